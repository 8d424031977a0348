"""HTTP side of the simulator: the threaded server, the request handler, the control API, the Simulator object."""

import collections
import datetime
import http.server
import json
import shutil
import socket
import ssl
import sys
import tempfile
import threading
import urllib.parse
import uuid

from . import api, state
from . import faults as faultlib
from . import seed as seedlib
from . import tls as tlslib

CONTROL_PREFIX = '/_sim'
JSON_CONTENT_TYPE = 'application/json;charset=UTF-8'
MAX_BODY_BYTES = 10 * 1024 * 1024

_REASONS = {
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
    423: 'Locked', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway',
    503: 'Service Unavailable', 504: 'Gateway Timeout',
}
_FAULT_MESSAGES = {
    423: 'The requested resource is temporarily unavailable.',
    429: 'Too many requests have been sent in a given amount of time; the request has been rate limited.',
    500: 'Something went wrong on the server.',
    502: 'The server received an invalid response from an upstream server. Try again later.',
    503: 'Server is overloaded with requests. Try again later.',
    504: 'An upstream server failed to respond on time.',
}


class BadRequest(Exception):
    """A request whose body cannot even be read."""


def _utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def new_tracking_id():
    return 'SIM_%s' % uuid.uuid4()


def error_body(message, tracking_id):
    return {'message': message, 'errors': [{'description': message}], 'trackingId': tracking_id}


class RequestJournal:
    """The request log and counters of /v1 traffic; thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._empty()

    def _empty(self):
        self._entries = []
        self._total = self._reads = self._writes = self._no_response = self._connections = 0
        self._by_endpoint = dict.fromkeys(api.ENDPOINTS, 0)
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
        if isinstance(error, (ConnectionError, socket.timeout, ssl.SSLError, TimeoutError)):
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

    def do_GET(self):  # pylint: disable=invalid-name
        self._dispatch()

    def do_POST(self):  # pylint: disable=invalid-name
        self._dispatch()

    def do_PUT(self):  # pylint: disable=invalid-name
        self._dispatch()

    def do_PATCH(self):  # pylint: disable=invalid-name
        self._dispatch()

    def do_DELETE(self):  # pylint: disable=invalid-name
        self._dispatch()

    # plumbing

    def _read_body(self):
        if 'chunked' in self.headers.get('Transfer-Encoding', '').lower():
            chunks = []
            while True:
                size_line = self.rfile.readline(1024)
                try:
                    size = int(size_line.split(b';')[0].strip(), 16)
                except ValueError:
                    raise BadRequest('malformed chunked body') from None
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
        if payload:
            self.wfile.write(payload)
        self.wfile.flush()

    def _send_error(self, status, message, headers=None):
        tracking_id = new_tracking_id()
        self._send(status, error_body(message, tracking_id), headers, tracking_id)
        return status

    def _abandon(self):
        """Close the connection without a response (an unknown outcome for the client)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _dispatch(self):
        split = urllib.parse.urlsplit(self.path)
        path = split.path
        query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
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
        simulator = self.server.simulator
        endpoint = api.endpoint_of(method, path)
        authorization = self.headers.get('Authorization')
        entry = {
            'method': method,
            'path': path,
            'query': {name: values[-1] if len(values) == 1 else values for name, values in query.items()},
            'body': _logged_body(body),
            'status': None,
            'authorization': _redacted(authorization),
        }
        decision = simulator.fault_plan.decide(method, path, endpoint)
        # Every outcome is recorded before the client can see it: a test reading the log right after
        # its response must find the entry.
        if decision.latency and simulator.stopping.wait(decision.latency):
            simulator.journal.record(dict(entry, fault='stopped'), endpoint)
            self._abandon()
            return
        action = decision.action
        if action is not None and (action.kind == 'hang' or (action.kind == 'drop' and action.when == 'before')):
            simulator.journal.record(dict(entry, fault='hang' if action.kind == 'hang' else 'drop-before'), endpoint)
            if action.kind == 'hang':
                simulator.stopping.wait(action.seconds)
            self._abandon()
            return
        tracking_id = new_tracking_id()
        if action is not None and action.kind == 'status':
            headers = {'Retry-After': action.retry_after} if action.retry_after is not None else {}
            simulator.journal.record(dict(entry, status=action.status, fault='status'), endpoint)
            self._send(action.status, error_body(_FAULT_MESSAGES[action.status], tracking_id), headers, tracking_id)
            return
        with simulator.lock:
            response = simulator.api.handle(method, path, query, authorization, body, simulator.base_url)
        if action is not None and action.kind == 'drop':
            simulator.journal.record(dict(entry, fault='drop-after', applied_status=response.status), endpoint)
            self._abandon()
            return
        response_body = response.body
        if response.status >= 400:
            response_body = error_body(response.body['message'], tracking_id)
        simulator.journal.record(dict(entry, status=response.status), endpoint)
        self._send(response.status, response_body, response.headers, tracking_id)

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
                data = json.loads(body) if body.strip() else {}
            except ValueError:
                self._send_error(400, 'The request body is not valid JSON.')
                return
            if not isinstance(data, dict):
                self._send_error(400, 'The request body must be a JSON object.')
                return
        try:
            result = self._control_result(simulator, method, route, query, data)
        except (faultlib.FaultError, seedlib.SeedError, ValueError, TypeError) as error:
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
            simulator.reset(log=data.get('log', True), faults=data.get('faults', True), data=data.get('data', False))
            return {'ok': True}
        if route == '/faults':
            if method == 'PUT':
                fault_list = data.get('faults')
                if not isinstance(fault_list, list):
                    raise faultlib.FaultError('body must be {"faults": [...]}')
                simulator.set_faults(fault_list)
            return {'faults': simulator.faults()}
        if method == 'POST':
            return {'items': simulator.add_recordings(data)}
        return {'items': simulator.recordings(owner_email=params.get('ownerEmail'), status=params.get('status'))}


def _redacted(authorization):
    if authorization is None:
        return None
    scheme = authorization.split(' ', 1)[0]
    return '%s ***' % scheme if scheme else '***'


def _logged_body(body):
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body[:1000].decode('utf-8', 'replace')


class Simulator:
    """The Webex Converged Recordings API simulator, usable in-process or through the CLI.

    sim = Simulator(seed=None|path|dict, tls=False); sim.start(); sim.api_url ...; sim.stop()
    """

    def __init__(self, seed=None, host='127.0.0.1', port=0, tls=False, faults=None,
                 random_seed=0, verbose=False):
        self.host = host
        self.port = port
        self.tls = tls
        self.verbose = verbose
        self.seed_data = seedlib.read_seed(seed)
        self.start_time = _utc_now().replace(microsecond=0)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.journal = RequestJournal()
        self.fault_plan = faultlib.FaultPlan(random_seed)
        self.store = None
        self.api = None
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
        self.store = store
        self.api = api.WebexApi(store, _utc_now)

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

    def reset(self, log=True, faults=True, data=False):
        if log:
            self.journal.clear()
        if faults:
            self.fault_plan.replace([])
        if data:
            with self.lock:
                self._load_seed()

    def recordings(self, owner_email=None, status=None):
        """Every recording (purged too) as the API shows it, optionally filtered."""
        with self.lock:
            items = self.store.all_recordings()
        if owner_email is not None:
            items = [item for item in items if item.owner.email.lower() == owner_email.lower()]
        if status is not None:
            items = [item for item in items if item.status == status]
        return [item.to_json() for item in items]

    def add_recordings(self, data):
        """Add seed fragments at run time: {"items": [...]}, {"generate": [...]} (a single mapping is accepted)."""
        fragment = dict(data)
        if isinstance(fragment.get('generate'), dict):
            fragment['generate'] = [fragment['generate']]
        with self.lock:
            loader = seedlib.SeedLoader(self.store, self.start_time, self.org_id)
            added = loader.load(fragment)
        return [recording.to_json() for recording in added]

    @property
    def org_id(self):
        return str(self.seed_data.get('org_id') or seedlib.DEFAULT_ORG_ID)
