# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""Why a request failed, in the user's words: the one place that maps a failure to its cause and a
cause to the hint naming the option(s) to fix. The client (_webex_client.py) sets the cause of every
error it raises, for every module and every request; _errors.TaskFailed puts the hint into the task's
message. Pure: no HTTP.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

# Causes (WebexApiError.cause); None: nothing more to say than the error itself.
TOKEN_REFUSED = 'token_refused'      # 401: the token is invalid, expired or revoked
FORBIDDEN = 'forbidden'              # 403: a valid token without the scope or role the request needs
WRONG_API_URL = 'wrong_api_url'      # 404 on a collection path (a listing, a restore): not the API's base URL
UNREACHABLE = 'unreachable'          # no connection at all: refused, no such host, connect timeout
TLS_PLAIN_HTTP = 'tls_plain_http'    # https:// to a server that speaks plain HTTP ("wrong version number")
TLS_VERIFY = 'tls_verify'            # the server certificate could not be verified
CA_PATH_MISSING = 'ca_path_missing'  # the CA bundle named by ca_path does not exist
CAUSES = (TOKEN_REFUSED, FORBIDDEN, WRONG_API_URL, UNREACHABLE, TLS_PLAIN_HTTP, TLS_VERIFY, CA_PATH_MISSING)

DEFAULT_API_URL = 'https://webexapis.com/v1'

# What the operating system and urllib3 say when a connection cannot be made, and how it is shown.
_UNREACHABLE_DETAILS = (
    (re.compile(r'refused|errno 111\b|errno 61\b|winerror 10061', re.I), 'connection refused'),
    (re.compile(r'resolve|name or service not known|nodename nor servname|name resolution|getaddrinfo|no address associated'
                r'|errno -[235]\b|errno 11001\b', re.I), 'no such host'),
    (re.compile(r'timed out|timeout', re.I), 'no answer to the connection within timeout'),
    (re.compile(r'network is unreachable|no route to host', re.I), 'no route to the host'),
)


def cause_of_status(status):
    """The cause of an HTTP error status (None when the status says enough)."""
    return {401: TOKEN_REFUSED, 403: FORBIDDEN, 404: WRONG_API_URL}.get(status)


def cause_of_tls_error(text):
    """The cause of a TLS failure, from its text."""
    if 'WRONG_VERSION_NUMBER' in text.upper().replace(' ', '_'):
        return TLS_PLAIN_HTTP
    if 'CERTIFICATE_VERIFY_FAILED' in text.upper().replace(' ', '_'):
        return TLS_VERIFY
    return None


def unreachable_detail(text):
    """Why no connection could be made, from the transport error's text: 'connection refused', ..."""
    for pattern, detail in _UNREACHABLE_DETAILS:
        if pattern.search(text):
            return detail
    return 'no connection could be made'


def forbidden_hint(needs=None):
    """The hint of a refusal (403); ``needs`` says what the request needs, where the caller knows it."""
    return ('access_token is valid but not allowed this request: %s.'
            % (needs or 'it lacks the scope or the role this request needs (a user token reaches only its own recordings)'))


def hint(cause, api_url=None, url=None, method=None, detail=None, tries=None, ca_path=None):
    """The sentence that names the option(s) to fix for ``cause``, with what was tried: ``api_url`` the
    option's value, ``url`` the URL requested (no query), ``detail`` what failed, ``tries`` how many
    connections were attempted."""
    if cause == TOKEN_REFUSED:
        return ('access_token was refused (HTTP 401): the token is invalid, expired or revoked. Set a valid token in '
                'access_token or the WEBEX_ACCESS_TOKEN environment variable (a personal access token of developer.webex.com '
                'is valid for 12 hours).')
    if cause == FORBIDDEN:
        return forbidden_hint()
    if cause == WRONG_API_URL:
        ending = '' if (api_url or '').rstrip('/').endswith('/v1') else ', and %s does not' % api_url
        return ('api_url is probably wrong: %s %s answered HTTP 404 (not found). api_url must be the base URL of the API, '
                'ending in /v1 (default %s)%s.' % (method or 'GET', url, DEFAULT_API_URL, ending))
    if cause == UNREACHABLE:
        return ('api_url: no connection could be made to %s (%s; %s). Check api_url (or WEBEX_API_URL): the host, the '
                'port, and that the managed node can reach it.'
                % (_host_of(url or api_url), detail or 'no connection', _tries(tries)))
    if cause == TLS_PLAIN_HTTP:
        return ('api_url is %s, but %s answers in plain HTTP, not TLS ("wrong version number"). Use http:// in api_url only '
                'for a server without TLS (a local simulator); else check the host and the port.'
                % (api_url, _host_of(url or api_url)))
    if cause == TLS_VERIFY:
        return ('the TLS certificate of %s could not be verified: set ca_path (or WEBEX_CA_PATH) to the CA bundle that '
                'signed it; validate_certs: false only for a test server.' % _host_of(url or api_url))
    if cause == CA_PATH_MISSING:
        return ca_path_problem(ca_path)
    return None


def ca_path_problem(ca_path):
    """The message of a ca_path that does not exist (refused before any request)."""
    return ('ca_path must name an existing CA bundle file (PEM) or directory, got %r: it does not exist (set ca_path or '
            'WEBEX_CA_PATH, or leave both unset to trust the default CAs)' % (ca_path,))


def _host_of(url):
    match = re.match(r'^\w+://([^/?#]+)', url or '')
    return match.group(1).rsplit('@', 1)[-1] if match else url


def _tries(tries):
    if not tries:
        return 'not tried'
    return 'tried once' if tries == 1 else 'tried %d times' % tries
