# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""The only place of the collection that speaks HTTP to Webex: session, auth, TLS, timeouts, error
mapping, retries (through _retry.py), request counting and pagination. It knows no endpoint: which
requests mean what is the API profile's business (_api.py), when to send them the service's
(_recordings.py)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re
import threading
import traceback

from ansible_collections.webexops.recordings.plugins.module_utils import _diagnosis as diagnosis
from ansible_collections.webexops.recordings.plugins.module_utils._retry import (
    BACKOFF, DEFAULT_RETRY_MAX_WAIT, FAIL, FATAL, NOT_SENT, OUTCOME_UNKNOWN, SENT_NO_ANSWER, RetryPolicy,
)
from ansible_collections.webexops.recordings.plugins.module_utils._values import DEFAULT_MAX_CONCURRENCY

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    from requests.adapters import HTTPAdapter
    from requests.utils import default_user_agent
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
    HAS_REQUESTS = True
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

COLLECTION_NAME = 'webexops.recordings'
# Equal to galaxy.yml's version (a unit test keeps them equal: a module on a managed node has no galaxy.yml).
COLLECTION_VERSION = '0.2.0'

# urllib3 keeps this many idle connections per host; never fewer than the worker threads.
MIN_POOL_SIZE = 10
# Before the first write of a run, a connection that cannot be made at all (refused, no such host,
# connect timeout) is tried this many times, not for the whole retry budget: nothing is reachable.
UNREACHABLE_TRIES = 2

_BEARER_RE = re.compile(r'(Bearer\s+)\S+', re.IGNORECASE)
_URL_USERINFO_RE = re.compile(r'(\w+://)[^/@\s]+@')


def user_agent():
    if HAS_REQUESTS:
        return '%s/%s %s' % (COLLECTION_NAME, COLLECTION_VERSION, default_user_agent())
    return '%s/%s' % (COLLECTION_NAME, COLLECTION_VERSION)


def redact(text, secrets=()):
    """Remove every secret, any bearer credential and URL user:password from ``text``."""
    text = '' if text is None else str(text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, '********')
    text = _BEARER_RE.sub(r'\1********', text)
    return _URL_USERINFO_RE.sub(r'\1********@', text)


class WebexApiError(Exception):
    """Any failure of a Webex API call: HTTP status, message, error descriptions, trackingId."""

    def __init__(self, message, status=None, descriptions=None, tracking_id=None, method=None, path=None, note=None,
                 cause=None, hint=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.descriptions = list(descriptions or [])
        self.tracking_id = tracking_id
        self.method = method
        self.path = path
        self.note = note
        # Why it failed (a _diagnosis cause, or None) and the sentence naming the option(s) to fix.
        self.cause = cause
        self.hint = hint

    def __str__(self):
        return self.describe()

    def describe(self, hint=True):
        """The error as text, ending with its hint unless ``hint`` is false."""
        where = '%s %s' % (self.method, self.path) if self.method else 'Webex API'
        status = 'HTTP %s' % self.status if self.status else 'no HTTP response'
        text = '%s: %s: %s' % (where, status, self.message)
        extra = [d for d in self.descriptions if d and d != self.message]
        if extra:
            text += ' (%s)' % '; '.join(extra)
        if self.note:
            text += ' [%s]' % self.note
        text += ' (trackingId: %s)' % self.tracking_id if self.tracking_id else ' (no trackingId)'
        if hint and self.hint:
            text += '. %s' % self.hint
        return text


class WebexOutcomeUnknown(WebexApiError):
    """A write may or may not have been applied (timeout, dropped connection, 5xx): never repeat it blindly."""


class WebexRequestsStopped(WebexApiError):
    """Not sent: an earlier answer (401, or 403 to a write) or the write guard stopped every further request."""


def _error_from_response(response, method, path, secrets):
    body = None
    try:
        body = response.json()
    except ValueError:
        body = None
    descriptions = []
    message = None
    tracking_id = None
    if isinstance(body, dict):
        message = body.get('message')
        for item in body.get('errors') or []:
            if isinstance(item, dict) and item.get('description'):
                descriptions.append(redact(item['description'], secrets))
        tracking_id = body.get('trackingId')
    if not tracking_id:
        tracking_id = response.headers.get('trackingid')
    if not message:
        message = descriptions[0] if descriptions else (response.reason or 'error')
        if body is None and response.text:
            # Not the JSON error body of the API (a proxy or gateway page): quote its start.
            message = '%s: %s' % (message, ' '.join(response.text.split())[:200])
    return WebexApiError(redact(message, secrets), status=response.status_code, descriptions=descriptions,
                         tracking_id=tracking_id, method=method, path=path,
                         cause=diagnosis.cause_of_status(response.status_code))


def _transport_failure_kind(exc):
    """Whether a requests exception happened before the request reached the server."""
    if isinstance(exc, (requests.exceptions.SSLError, requests.exceptions.ProxyError, requests.exceptions.InvalidURL,
                        requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema,
                        requests.exceptions.InvalidHeader)):
        return FATAL
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return NOT_SENT
    if isinstance(exc, requests.exceptions.ConnectionError):
        reason = exc.args[0] if exc.args else None
        reason = getattr(reason, 'reason', reason)
        if isinstance(reason, (NewConnectionError, ConnectTimeoutError)):
            return NOT_SENT
    return SENT_NO_ANSWER


def _transport_failure_text(exc):
    """What failed, without the wrapping of requests and urllib3 (the pool, the URL and its query)."""
    reason = getattr(exc.args[0], 'reason', None) if exc.args else None
    return str(reason if reason is not None else exc)


def _transport_failure_reason(exc, kind):
    """(a short reason, the _diagnosis cause) of a failure without an HTTP answer of ``kind``."""
    if isinstance(exc, requests.exceptions.SSLError):
        cause = diagnosis.cause_of_tls_error(str(exc))
        return {diagnosis.TLS_PLAIN_HTTP: 'TLS to a plain-HTTP server',
                diagnosis.TLS_VERIFY: 'TLS certificate verification failed'}.get(cause, 'TLS error'), cause
    if kind == NOT_SENT:
        return diagnosis.unreachable_detail(str(exc)), diagnosis.UNREACHABLE
    if isinstance(exc, requests.exceptions.Timeout):
        return 'timeout', None
    return 'connection error', None


class WebexClient:
    """One keep-alive Session, bearer auth, timeout, TLS, Link pagination, error mapping, retries.

    ``notify(event)`` is called before every retry with a dict: method, path, status (None for a
    transport failure), reason, wait (seconds), retry (1-based count for that request).

    Stops: after a 401 (the token is invalid, expired or revoked) or a 403 to a write, no further
    request is sent (each raises WebexRequestsStopped, and ``stopped`` says why), so that a token lost
    in the middle of a run does not send the remaining batches. ``write_guard()``, called before every
    write, returns a reason to stop (e.g. the controller that ran the module is gone) or None.
    """

    def __init__(self, api_url, access_token, timeout=30, validate_certs=True, ca_path=None,
                 retry_policy=None, notify=None, max_concurrency=DEFAULT_MAX_CONCURRENCY, session=None, write_guard=None):
        if not HAS_REQUESTS:
            raise RuntimeError('the Python library requests is required')
        self.base_url = api_url.rstrip('/')
        self.timeout = timeout
        self.retry_policy = retry_policy or RetryPolicy(DEFAULT_RETRY_MAX_WAIT)
        self._secrets = (access_token,)
        self._notify = notify
        # Verify against the CA bundle when given; True lets requests honour REQUESTS_CA_BUNDLE.
        self._verify = (ca_path or True) if validate_certs else False
        self._ca_path = ca_path
        # Whether a write of this run reached the server (or may have): from then on an unreachable
        # server is retried within the budget, as for any transient failure.
        self._wrote = False
        self.session = session or requests.Session()
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=max(MIN_POOL_SIZE, int(max_concurrency)))
        self.session.mount('https://', adapter)
        self.session.mount('http://', adapter)
        self.session.headers.update({
            'Authorization': 'Bearer %s' % access_token,
            'User-Agent': user_agent(),
            'Accept': 'application/json',
        })
        self.max_concurrency = max(1, int(max_concurrency))
        self.write_guard = write_guard
        self.stopped = None
        self._lock = threading.Lock()
        self.reads = 0
        self.writes = 0
        self.retries = 0

    # -- accounting -------------------------------------------------------------------------------

    def request_counts(self):
        with self._lock:
            return {'reads': self.reads, 'writes': self.writes, 'retries': self.retries}

    def _count(self, method, is_retry):
        with self._lock:
            if method == 'GET':
                self.reads += 1
            else:
                self.writes += 1
            if is_retry:
                self.retries += 1

    def announce_retry(self, method, path, status, reason, wait, retry_number):
        if self._notify:
            self._notify({'method': method, 'path': path, 'status': status, 'reason': reason,
                          'wait': wait, 'retry': retry_number})

    def may_resend(self, error, attempt, what):
        """May a write whose outcome was unknown (``error``), and that a read has shown not applied,
        be sent again? ``attempt`` counts the re-sends so far, ``what`` says what is re-sent. Waits
        the backoff, counted against the one retry budget, announces the re-send and returns True;
        or, when the budget cannot pay the wait, notes why on ``error`` and returns False."""
        delay = self.retry_policy.backoff_delay(attempt)
        if not self.retry_policy.consume(delay):
            error.note = 'outcome unknown, %s; %s' % (what, self.retry_policy.exhausted_note(delay))
            return False
        self.announce_retry(error.method or 'POST', error.path, error.status, 'outcome unknown, re-sending %s' % what, delay, attempt + 1)
        return True

    def redact(self, text):
        return redact(text, self._secrets)

    def _explain(self, error, url, tries, detail=None):
        """The hook of _diagnosis: the hint of ``error``'s cause, with what was tried."""
        if error.cause:
            error.hint = diagnosis.hint(error.cause, api_url=self.redact(self.base_url), url=self.redact(url.split('?')[0]),
                                        method=error.method, detail=detail, tries=tries, ca_path=self._ca_path)
        return error

    # -- HTTP -------------------------------------------------------------------------------------

    def _url_and_path(self, path_or_url):
        if '://' in path_or_url:
            url = path_or_url
            shown = url[len(self.base_url):] if url.startswith(self.base_url) else url
        else:
            url = self.base_url + path_or_url
            shown = path_or_url
        return url, self.redact(shown)

    def request(self, method, path_or_url, params=None, json_body=None, is_retry=False, headers=None):
        """Send one API request, repeating it as the retry policy allows. Returns the 2xx response.

        ``is_retry``: this request repeats an earlier one (a re-send after a reconciled unknown outcome).
        """
        method = method.upper()
        url, shown = self._url_and_path(path_or_url)
        attempt = 0
        backoffs = 0  # the exponent of the backoff counts transient failures only
        while True:
            self._check_not_stopped(method, shown)
            self._count(method, is_retry or attempt > 0)
            retry_after = None
            try:
                response = self.session.request(method, url, params=params, json=json_body, headers=headers,
                                                timeout=self.timeout, verify=self._verify)
            except requests.exceptions.RequestException as exc:
                kind = _transport_failure_kind(exc)
                decision = self.retry_policy.classify_exception(method, kind)
                status = None
                reason, cause = _transport_failure_reason(exc, kind)
                error_class = WebexOutcomeUnknown if decision == OUTCOME_UNKNOWN else WebexApiError
                error = self._explain(error_class('%s: %s' % (reason, self.redact(_transport_failure_text(exc))), method=method, path=shown,
                                                  cause=cause),
                                      url, attempt + 1, reason)
                self._wrote = self._wrote or (method != 'GET' and kind == SENT_NO_ANSWER)
                if kind == NOT_SENT and not self._wrote and attempt + 1 >= UNREACHABLE_TRIES:
                    decision = FAIL
                    error.note = 'not retried further: nothing could be reached and nothing was written yet'
            except OSError as exc:
                # requests checks the CA bundle (verify) itself, before any connection.
                cause = diagnosis.CA_PATH_MISSING if 'CA certificate bundle' in str(exc) else None
                raise self._explain(WebexApiError(self.redact(exc), method=method, path=shown, cause=cause), url, attempt)
            else:
                self._wrote = self._wrote or method != 'GET'
                if 200 <= response.status_code < 300:
                    return response
                status = response.status_code
                reason = 'HTTP %s' % status
                retry_after = response.headers.get('Retry-After')
                error = self._explain(_error_from_response(response, method, shown, self._secrets), url, attempt + 1)
                decision = self.retry_policy.classify_status(method, status)
                if status == 401 or (status == 403 and method not in ('GET', 'HEAD')):
                    self._stop('the token was refused (HTTP %s to %s %s)' % (status, method, shown))
                if decision == OUTCOME_UNKNOWN:
                    error = WebexOutcomeUnknown(error.message, status=error.status, descriptions=error.descriptions,
                                                tracking_id=error.tracking_id, method=method, path=shown)
            if decision == OUTCOME_UNKNOWN:
                error.note = 'the outcome of this write is unknown; it was not repeated'
                raise error
            if decision == FAIL:
                raise error
            delay = self.retry_policy.delay_for(decision, backoffs, retry_after)
            if decision == BACKOFF:
                backoffs += 1
            if not self.retry_policy.consume(delay):
                error.note = self.retry_policy.exhausted_note(delay)
                raise error
            attempt += 1
            self.announce_retry(method, shown, status, reason, delay, attempt)

    def _stop(self, reason):
        with self._lock:
            if self.stopped is None:
                self.stopped = reason

    def _check_not_stopped(self, method, shown):
        """Raise WebexRequestsStopped instead of sending, once a stop was decided (or the guard decides one)."""
        if self.stopped is None and method not in ('GET', 'HEAD') and self.write_guard is not None:
            reason = self.write_guard()
            if reason:
                self._stop(reason)
        if self.stopped is not None:
            raise WebexRequestsStopped('not sent: %s' % self.stopped, method=method, path=shown)

    def get_json(self, path_or_url, params=None, headers=None):
        response = self.request('GET', path_or_url, params=params, headers=headers)
        return self._json(response, path_or_url)

    def _json(self, response, path_or_url):
        try:
            return response.json()
        except ValueError:
            raise WebexApiError('the answer is not JSON', status=response.status_code, method='GET',
                                path=self._url_and_path(path_or_url)[1],
                                tracking_id=response.headers.get('trackingid'))

    def read_page(self, url, params, seen):
        """One GET page of a listing: (items, url of the next page or None). ``seen`` holds the Link
        urls already followed, so that a Link pointing back fails instead of looping."""
        response = self.request('GET', url, params=params)
        body = self._json(response, url)
        items = list(body.get('items') or []) if isinstance(body, dict) else []
        link = response.links.get('next', {}).get('url')
        if link and link in seen:
            raise WebexApiError('the Link header points back to a page already read', method='GET',
                                path=self._url_and_path(link)[1], status=response.status_code)
        if link:
            seen.add(link)
        return items, link

    def get_optional(self, path, headers=None):
        """The JSON of a GET (with ``headers`` besides the client's own), or None when the API answers 404 (not found)."""
        try:
            return self.get_json(path, headers=headers)
        except WebexApiError as exc:
            if exc.status == 404:
                return None
            raise

    def send(self, method, path, params=None, json_body=None, is_retry=False):
        """Send one write (``is_retry``: it repeats an earlier one, after a read showed it was not applied)."""
        self.request(method, path, params=params, json_body=json_body, is_retry=is_retry)
