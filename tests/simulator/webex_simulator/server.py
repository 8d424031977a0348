"""HTTP side of the simulator: the threaded server, the request handler, the control API, the Simulator object."""

import collections
import dataclasses
import datetime
import http.server
import json
import shutil
import socket
import ssl
import sys
import tempfile
import threading
import traceback
import urllib.parse
import uuid

from . import api, meetings, state
from . import faults as faultlib
from . import meetings_seed
from . import meetings_state
from . import seed as seedlib
from . import timeforms
from . import tls as tlslib

CONTROL_PREFIX = '/_sim'
JSON_CONTENT_TYPE = 'application/json;charset=UTF-8'
MAX_BODY_BYTES = 10 * 1024 * 1024

_REASONS = {
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
    415: 'Unsupported Media Type', 423: 'Locked', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway',
    503: 'Service Unavailable', 504: 'Gateway Timeout',
}
_FAULT_MESSAGES = {
    400: 'The request was invalid or cannot be otherwise served.',
    401: 'Authentication credentials were missing or incorrect.',
    403: 'The request is understood, but it has been refused or access is not allowed.',
    404: 'The URI requested is invalid or the resource requested does not exist.',
    405: 'The request was made to a resource using an HTTP request method that is not supported.',
    409: 'The request could not be processed because it conflicts with some established rule of the system.',
    410: 'The requested resource is no longer available.',
    415: 'The request was made to a resource without specifying a media type or used a media type that is not supported.',
    423: 'The requested resource is temporarily unavailable.',
    428: 'File(s) cannot be scanned for malware and need to be force downloaded.',
    429: 'Too many requests have been sent in a given amount of time; the request has been rate limited.',
    500: 'Something went wrong on the server.',
    502: 'The server received an invalid response from an upstream server. Try again later.',
    503: 'Server is overloaded with requests. Try again later.',
    504: 'An upstream server failed to respond on time.',
}


class BadRequest(Exception):
    """A request whose body cannot even be read."""


# Failures of the connection itself (the client went away, timed out, broke TLS): nobody to answer.
_CONNECTION_ERRORS = (ConnectionError, TimeoutError, ssl.SSLError)


def _utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def new_tracking_id():
    return 'SIM_%s' % uuid.uuid4()


def error_body(message, tracking_id):
    return {'message': message, 'errors': [{'description': message}], 'trackingId': tracking_id}


@dataclasses.dataclass
class Answer:
    """What the simulator does with one /v1 request: a response (status, JSON body or None, headers,
    trackingid), or none at all (``no_answer``: 'drop-before', 'drop-after', 'hang' or 'stopped')."""

    status: int = None
    body: dict = None
    headers: dict = dataclasses.field(default_factory=dict)
    tracking_id: str = None
    no_answer: str = None


class RequestJournal:
    """The request log and counters of /v1 traffic; thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._empty()

    def _empty(self):
        self._entries = []
        self._total = self._reads = self._writes = self._no_response = self._connections = 0
        self._by_endpoint = dict.fromkeys(api.ENDPOINTS + meetings.ENDPOINTS, 0)
        self._by_status = collections.Counter()

    def clear(self):
        with self._lock:
            self._empty()

    def connection_opened(self):
        with self._lock:
            self._connections += 1

    def record(self, entry, endpoint):
        """entry: method, path, query, body, status (None when no response was sent), authorization."""
        with self._lock:
            self._entries.append(entry)
            self._total += 1
            if entry['method'] in ('GET', 'HEAD'):
                self._reads += 1
            else:
                self._writes += 1
            if endpoint is not None:
                self._by_endpoint[endpoint] += 1
            if entry['status'] is None:
                self._no_response += 1
            else:
                self._by_status[str(entry['status'])] += 1

    def requests(self):
        with self._lock:
            return [dict(entry) for entry in self._entries]

    def counters(self):
        with self._lock:
            return {
                'total': self._total,
                'reads': self._reads,
                'writes': self._writes,
                'by_endpoint': dict(self._by_endpoint),
                'by_status': dict(self._by_status),
                'no_response': self._no_response,
                'connections': self._connections,
            }


class SimulatorHTTPServer(http.server.ThreadingHTTPServer):
    """Threaded HTTP/1.1 server; TLS handshakes happen in the connection's own thread."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def __init__(self, address, simulator, ssl_context=None):
        self.simulator = simulator
        self.ssl_context = ssl_context
        super().__init__(address, RequestHandler)

    def finish_request(self, request, client_address):
        if self.ssl_context is None:
            super().finish_request(request, client_address)
            return
        try:
            secure = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # the client refused our certificate (or went away): nothing to answer
        try:
            super().finish_request(secure, client_address)
        finally:
            try:
                secure.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        # Clients that time out or drop connections are normal in fault tests: no traceback noise.
        error = sys.exc_info()[1]
        if isinstance(error, _CONNECTION_ERRORS):
            return
        super().handle_error(request, client_address)


class RequestHandler(http.server.BaseHTTPRequestHandler):
    """Routes /_sim to the control API and everything else to the Webex API (with faults)."""

    protocol_version = 'HTTP/1.1'
    server_version = 'WebexSimulator/1.0'
    # Idle keep-alive connections are closed after this many seconds.
    timeout = 120

    def setup(self):
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle + delayed ACK add ~40 ms per response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.simulator.journal.connection_opened()

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        # The default logs to stderr for every request; only with --verbose, and never headers (tokens).
        if self.server.simulator.verbose:
            sys.stderr.write('webex-simulator: %s %s\n' % (self.address_string(), format % args))

    def handle_one_request(self):
        # Per request, also for errors http.server answers before any dispatch (send_error below).
        self._response_started = False
        super().handle_one_request()

    def __getattr__(self, name):
        # http.server looks up do_<METHOD> and answers a missing one with a 501 HTML page. Every method token
        # (GET, POST, HEAD, OPTIONS, TRACE, CONNECT, made-up ones) goes through the same dispatch instead, so
        # that each gets a Webex answer: 404 on an unknown path, 405 with Allow on a known one.
        if name.startswith('do_'):
            return self._dispatch
        raise AttributeError(name)

    def send_error(self, code, message=None, explain=None):
        """Errors http.server finds itself (bad request line, header lines too long or too many, request URI
        too long, bad HTTP version): the Webex error body, never the HTML page; the connection is closed."""
        self.close_connection = True
        if self._response_started:
            return
        if self.request_version == 'HTTP/0.9':
            # Still the default: the request line did not parse. Answer with a status line and headers anyway
            # (http.server would send a bare body, as to an HTTP/0.9 client).
            self.request_version = 'HTTP/1.0'
        reason = message or self.responses.get(code, ('Bad Request',))[0]
        detail = '%s: %s' % (reason, explain) if explain else reason
        try:
            self._send_error(code, 'Malformed HTTP request (%s).' % detail)
        except OSError:
            pass

    # plumbing

    _response_started = False

    def _read_body(self):
        if 'chunked' in self.headers.get('Transfer-Encoding', '').lower():
            chunks = []
            while True:
                size_line = self.rfile.readline(1024)
                try:
                    size = int(size_line.split(b';')[0].strip(), 16)
                except ValueError:
                    raise BadRequest('malformed chunked body') from None
                if size < 0 or size > MAX_BODY_BYTES - sum(len(chunk) for chunk in chunks):
                    raise BadRequest('chunked body too large or malformed')
                if size == 0:
                    while self.rfile.readline(1024) not in (b'\r\n', b'\n', b''):
                        pass
                    return b''.join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
        length_text = self.headers.get('Content-Length', '0') or '0'
        try:
            length = int(length_text)
        except ValueError:
            raise BadRequest('Content-Length is not a number') from None
        if length < 0 or length > MAX_BODY_BYTES:
            raise BadRequest('Content-Length out of range')
        return self.rfile.read(length) if length else b''

    def _send(self, status, body=None, headers=None, tracking_id=None):
        payload = b'' if body is None else json.dumps(body).encode('utf-8')
        self._response_started = True
        self.send_response(status, _REASONS.get(status))
        if body is not None:
            self.send_header('Content-Type', JSON_CONTENT_TYPE)
        self.send_header('Content-Length', str(len(payload)))
        if tracking_id is not None:
            self.send_header('trackingid', tracking_id)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header('Connection', 'close')
        self.end_headers()
        # HEAD: the headers (Content-Length included) of the answer, without its body (RFC 9110 9.3.2).
        if payload and self.command != 'HEAD':
            self.wfile.write(payload)
        self.wfile.flush()

    def _send_error(self, status, message, headers=None):
        tracking_id = new_tracking_id()
        self._send(status, error_body(message, tracking_id), headers, tracking_id)
        return status

    def _abandon(self):
        """Close the connection without a response (an unknown outcome for the client)."""
        self._response_started = True
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _dispatch(self):
        try:
            self._handle_request()
        except _CONNECTION_ERRORS:
            raise
        except Exception as error:  # pylint: disable=broad-except
            # Last resort: a bug in the simulator answers 500 with the Webex error body instead of dropping the
            # connection (which a client would take for a network failure of unknown outcome). Closed after it:
            # how much of the request was read is unknown.
            self.close_connection = True
            log_internal_error(self.command, self.path, error)
            if not self._response_started:
                try:
                    self._send_error(500, internal_error_message(error))
                except OSError:
                    pass

    def _handle_request(self):
        path, query = split_target(self.path)
        try:
            body = self._read_body()
        except BadRequest as error:
            self.close_connection = True
            self._send_error(400, str(error))
            return
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + '/'):
            self._control(self.command, path, query, body)
        else:
            self._webex(self.command, path, query, body)

    # Webex API

    def _webex(self, method, path, query, body):
        answer = self.server.simulator.exchange(method, path, query, self.headers, body)
        if answer.no_answer is not None:
            self._abandon()
            return
        self._send(answer.status, answer.body, answer.headers, answer.tracking_id)

    # control API

    def _control(self, method, path, query, body):
        simulator = self.server.simulator
        route = path[len(CONTROL_PREFIX):] or '/'
        routes = {
            '/health': ('GET',),
            '/requests': ('GET',),
            '/counters': ('GET',),
            '/reset': ('POST',),
            '/faults': ('GET', 'PUT'),
            '/recordings': ('GET', 'POST'),
            '/settings': ('GET', 'PUT'),
        }
        if route not in routes:
            self._send_error(404, 'Unknown control resource: %s' % path)
            return
        if method not in routes[route]:
            self._send_error(405, 'Method %s is not allowed on %s' % (method, path), {'Allow': ', '.join(routes[route])})
            return
        data = None
        if method in ('POST', 'PUT'):
            try:
                data = api.loads_json(body) if body.strip() else {}
            except ValueError:
                self._send_error(400, 'The request body is not valid JSON.')
                return
            if not isinstance(data, dict):
                self._send_error(400, 'The request body must be a JSON object.')
                return
        try:
            result = self._control_result(simulator, method, route, query, data)
        except (faultlib.FaultError, seedlib.SeedError, timeforms.TimeFormError, ValueError, TypeError,
                OverflowError) as error:
            self._send_error(400, str(error))
            return
        self._send(200, result)

    @staticmethod
    def _control_result(simulator, method, route, query, data):
        params = {name: values[-1] for name, values in query.items()}
        if route == '/health':
            return {'ok': True}
        if route == '/requests':
            return {'requests': simulator.requests()}
        if route == '/counters':
            return simulator.counters()
        if route == '/reset':
            simulator.reset(log=data.get('log', True), faults=data.get('faults', True), data=data.get('data', False),
                            settings=data.get('settings', True))
            return {'ok': True}
        if route == '/settings':
            if method == 'PUT':
                simulator.set_settings(data)
            return simulator.settings()
        if route == '/faults':
            if method == 'PUT':
                fault_list = data.get('faults')
                if not isinstance(fault_list, list):
                    raise faultlib.FaultError('body must be {"faults": [...]}')
                simulator.set_faults(fault_list)
            return {'faults': simulator.faults()}
        if params.get('api', 'converged') not in ('converged', 'meetings'):
            raise ValueError('api must be converged or meetings, not %r' % params['api'])
        if params.get('api') == 'meetings':
            if method == 'POST':
                return {'items': simulator.add_meeting_recordings(data)}
            return {'items': simulator.meeting_recordings(host_email=params.get('hostEmail'), site_url=params.get('siteUrl'),
                                                          status=params.get('status'))}
        if method == 'POST':
            return {'items': simulator.add_recordings(data)}
        return {'items': simulator.recordings(owner_email=params.get('ownerEmail'), status=params.get('status'),
                                              owner_id=params.get('ownerId'))}


def split_target(target):
    """Request target -> (path, parse_qs dict). Origin form '/p?q' is split as is (a path starting with '//' is a
    path, not a host); absolute form 'http://host/p?q' gives its path and query."""
    target = target.split('#', 1)[0]
    if '://' in target.partition('?')[0]:
        try:
            split = urllib.parse.urlsplit(target)
        except ValueError:
            return '', {}
        target = split.path + ('?' + split.query if split.query else '')
    path, dummy, query_text = target.partition('?')
    return path, urllib.parse.parse_qs(query_text, keep_blank_values=True)


def internal_error_message(error):
    return ('Something went wrong on the server (a simulator bug: %s; the traceback is on its stderr).'
            % type(error).__name__)


def log_internal_error(method, path, error):
    # Always, not only with --verbose: this is a bug to fix. The path only (no query), never headers.
    sys.stderr.write('webex-simulator: internal error answering %s %s:\n%s'
                     % (method, str(path).split('?', 1)[0],
                        ''.join(traceback.format_exception(type(error), error, error.__traceback__))))
    sys.stderr.flush()


# The request log keeps a parsed JSON body only this deep, so that GET /_sim/requests can always encode it.
MAX_LOGGED_JSON_DEPTH = 32


def _json_depth(value):
    """Nesting depth of a parsed JSON value, without recursion."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _redacted(authorization):
    if authorization is None:
        return None
    scheme = authorization.split(' ', 1)[0]
    return '%s ***' % scheme if scheme else '***'


def _logged_body(body):
    if not body:
        return None
    try:
        parsed = api.loads_json(body)
        if _json_depth(parsed) <= MAX_LOGGED_JSON_DEPTH:
            return parsed
    except ValueError:
        pass
    return body[:1000].decode('utf-8', 'replace')


class Simulator:
    """The Webex Converged Recordings API simulator, usable in-process or through the CLI.

    sim = Simulator(seed=None|path|dict, tls=False); sim.start(); sim.api_url ...; sim.stop()
    """

    def __init__(self, seed=None, host='127.0.0.1', port=0, tls=False, faults=None,
                 random_seed=0, verbose=False, time_fraction=0, timezone=None):
        self.host = host
        self.port = port
        self.tls = tls
        self.verbose = verbose
        self.seed_data = seedlib.read_seed(seed)
        # The time form of answers (docs/simulator.md, "Time forms"); reset restores these start-up values.
        self.initial_time_settings = timeforms.TimeSettings().updated(
            {'time_fraction': time_fraction, 'timezone': timezone})
        self.time_settings = self.initial_time_settings
        self.start_time = _utc_now().replace(microsecond=0)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.journal = RequestJournal()
        self.fault_plan = faultlib.FaultPlan(random_seed)
        self.store = None
        self.api = None
        self.meeting_store = None
        self.meetings_api = None
        self._load_seed()
        if faults:
            self.set_faults(faults)
        self.ca_file = None
        self._tls_dir = None
        self._server = None
        self._thread = None
        self.base_url = None

    def _load_seed(self):
        store = state.RecordingStore()
        seedlib.SeedLoader(store, self.start_time).load(self.seed_data)
        meeting_store = meetings_state.MeetingStore()
        meetings_seed.MeetingSeedLoader(store, meeting_store, self.start_time).load(self.seed_data)
        self.store = store
        self.api = api.WebexApi(store, _utc_now, lambda: self.time_settings)
        self.meeting_store = meeting_store
        self.meetings_api = meetings.MeetingsApi(store, meeting_store, _utc_now)

    # life cycle

    def start(self):
        ssl_context = None
        if self.tls:
            self._tls_dir = tempfile.mkdtemp(prefix='webex-simulator-tls-')
            self.ca_file, cert_path, key_path = tlslib.generate_certificates(self._tls_dir)
            ssl_context = tlslib.server_context(cert_path, key_path)
        self._server = SimulatorHTTPServer((self.host, self.port), self, ssl_context)
        self.port = self._server.server_address[1]
        host = '[%s]' % self.host if ':' in self.host else self.host
        self.base_url = '%s://%s:%d' % ('https' if self.tls else 'http', host, self.port)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={'poll_interval': 0.02},
                                        name='webex-simulator', daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._tls_dir is not None:
            shutil.rmtree(self._tls_dir, ignore_errors=True)
            self._tls_dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def api_url(self):
        return self.base_url + api.API_PREFIX

    @property
    def control_url(self):
        return self.base_url + CONTROL_PREFIX

    def ready_info(self, pid):
        return {'api_url': self.api_url, 'control_url': self.control_url, 'ca_file': self.ca_file, 'pid': pid}

    # observation and control (also behind /_sim)

    def exchange(self, method, path, query, headers, body):
        """One /v1 request without a socket: faults, the API, the request log. ``query`` is a
        parse_qs dict, ``headers`` any case-insensitive mapping, ``body`` the raw bytes. The HTTP
        handler sends what this returns; the unit tests call it in-process. Returns an Answer."""
        endpoint = api.endpoint_of(method, path) or meetings.endpoint_of(method, path)
        authorization = headers.get('Authorization')
        entry = {
            'method': method,
            'path': path,
            'query': {name: values[-1] if len(values) == 1 else values for name, values in query.items()},
            'body': _logged_body(body),
            'status': None,
            'authorization': _redacted(authorization),
        }
        if headers.get('siteUrl') is not None:
            # The one request header an API reads besides Authorization and Content-Type (Meetings details).
            entry['headers'] = {'siteUrl': headers.get('siteUrl')}
        decision = self.fault_plan.decide(method, path, endpoint)
        # Every outcome is recorded before the client can see it: a test reading the log right after
        # its response must find the entry.
        if decision.latency and self.stopping.wait(decision.latency):
            self.journal.record(dict(entry, fault='stopped'), endpoint)
            return Answer(no_answer='stopped')
        action = decision.action
        if action is not None and (action.kind == 'hang' or (action.kind == 'drop' and action.when == 'before')):
            kind = 'hang' if action.kind == 'hang' else 'drop-before'
            self.journal.record(dict(entry, fault=kind), endpoint)
            if action.kind == 'hang':
                self.stopping.wait(action.seconds)
            return Answer(no_answer=kind)
        tracking_id = new_tracking_id()
        if action is not None and action.kind == 'revoke':
            # The token no longer works: 401 as for an unknown token, nothing applied.
            self.journal.record(dict(entry, status=401, fault='revoke'), endpoint)
            return Answer(401, error_body(api.INVALID_TOKEN_MESSAGE, tracking_id), {}, tracking_id)
        if action is not None and action.kind == 'status' and action.when != 'after':
            retry_after = {'Retry-After': action.retry_after} if action.retry_after is not None else {}
            self.journal.record(dict(entry, status=action.status, fault='status'), endpoint)
            return Answer(action.status, error_body(_FAULT_MESSAGES[action.status], tracking_id), retry_after, tracking_id)
        internal_error = None
        with self.lock:
            try:
                if meetings.is_meetings_path(path):
                    response = self.meetings_api.handle_request(method, path, query, headers, body, self.base_url)
                else:
                    response = self.api.handle(method, path, query, authorization, body, self.base_url,
                                               headers.get('Content-Type'), headers.get('timezone'))
            except Exception as error:  # pylint: disable=broad-except
                # A bug, not a client mistake: 500 with the Webex error body, logged, counted like any answer.
                log_internal_error(method, path, error)
                internal_error = '%s: %s' % (type(error).__name__, error)
                response = api.ApiResponse(500, {'message': internal_error_message(error)})
        if internal_error is not None:
            entry['internal_error'] = internal_error
        if action is not None and action.kind == 'drop':
            self.journal.record(dict(entry, fault='drop-after', applied_status=response.status), endpoint)
            return Answer(no_answer='drop-after')
        if action is not None and action.kind == 'status':
            self.journal.record(dict(entry, status=action.status, fault='status-after', applied_status=response.status), endpoint)
            return Answer(action.status, error_body(_FAULT_MESSAGES[action.status], tracking_id), {}, tracking_id)
        response_body = response.body
        if response.status >= 400:
            response_body = error_body(response.body['message'], tracking_id)
        self.journal.record(dict(entry, status=response.status), endpoint)
        return Answer(response.status, response_body, dict(response.headers or {}), tracking_id)

    def counters(self):
        return self.journal.counters()

    def requests(self):
        return self.journal.requests()

    def faults(self):
        return self.fault_plan.to_json()

    def set_faults(self, fault_list):
        """Replace every fault; accepts dicts (JSON form), CLI spec strings or Fault objects."""
        parsed = []
        for fault in fault_list:
            if isinstance(fault, str):
                parsed.append(faultlib.parse_fault_spec(fault))
            elif isinstance(fault, faultlib.Fault):
                parsed.append(fault)
            else:
                parsed.append(faultlib.parse_fault(fault))
        self.fault_plan.replace(parsed)

    def settings(self):
        """The time form settings: {"timezone": name or None, "time_fraction": 0..6}."""
        return self.time_settings.to_json()

    def set_settings(self, data):
        """Change the settings named in ``data`` (timezone, time_fraction); the others keep their values.
        Raises timeforms.TimeFormError (a ValueError) naming the setting and the rule; nothing changes then."""
        self.time_settings = self.time_settings.updated(data)
        return self.settings()

    def reset(self, log=True, faults=True, data=False, settings=True):
        if log:
            self.journal.clear()
        if faults:
            self.fault_plan.replace([])
        if settings:
            self.time_settings = self.initial_time_settings
        if data:
            with self.lock:
                self._load_seed()

    def recordings(self, owner_email=None, status=None, owner_id=None):
        """Every recording (purged too) as the API shows it to a request without a timezone header (the time form
        of the settings), optionally filtered (emails case-insensitively)."""
        time_form = self.time_settings.form()
        with self.lock:
            items = self.store.all_recordings()
        if owner_email is not None:
            items = [item for item in items if (item.owner.email or '').lower() == owner_email.lower()]
        if owner_id is not None:
            items = [item for item in items if item.owner.id == owner_id]
        if status is not None:
            items = [item for item in items if item.status == status]
        return [item.to_json(time_form) for item in items]

    def add_recordings(self, data):
        """Add seed fragments at run time: {"items": [...]}, {"generate": [...]} (a single mapping is accepted)."""
        fragment = dict(data)
        if isinstance(fragment.get('generate'), dict):
            fragment['generate'] = [fragment['generate']]
        with self.lock:
            loader = seedlib.SeedLoader(self.store, self.start_time, self.org_id)
            added = loader.load(fragment)
        return [recording.to_json(self.time_settings.form()) for recording in added]

    def meeting_recordings(self, host_email=None, site_url=None, status=None):
        """Every meeting recording (purged too) as an administrator sees it, plus sharedWith; optionally filtered."""
        with self.lock:
            return meetings.control_listing(self.meeting_store, host_email=host_email, site_url=site_url, status=status)

    def add_meeting_recordings(self, data):
        """Add Meetings seed fragments at run time: people, tokens, sites, site_admins, {"items": [...]} (meeting
        recordings), {"generate": [...]} (a single mapping is accepted)."""
        with self.lock:
            seedlib.SeedLoader(self.store, self.start_time, self.org_id).load(
                {key: data[key] for key in ('org_id', 'people', 'tokens') if key in data})
            loader = meetings_seed.MeetingSeedLoader(self.store, self.meeting_store, self.start_time, self.org_id)
            added = loader.load(data, items_key='items', generate_key='generate')
        return [recording.control_json() for recording in added]

    @property
    def org_id(self):
        return str(self.seed_data.get('org_id') or seedlib.DEFAULT_ORG_ID)
