# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""A requests adapter that answers from a script: the exact HTTP exchanges of the client's own tests
(headers, TLS arguments, error bodies, transport exceptions). Tests of the service and the module
talk to the simulator instead (simulator_transport.py)."""

import http.client
import json
import threading
import time
import urllib.parse

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

TOKEN = 'SECRET-token-0123456789abcdef'
API = 'https://webex.test/v1'


def make_response(request, status=200, body=None, headers=None, text=None):
    response = requests.Response()
    response.status_code = status
    response.reason = http.client.responses.get(status, 'Unknown')
    response.request = request
    response.url = request.url
    response.headers = CaseInsensitiveDict(headers or {})
    if body is not None:
        response._content = json.dumps(body).encode()
        response.headers.setdefault('Content-Type', 'application/json')
    else:
        response._content = (text or '').encode()
    response.encoding = 'utf-8'
    return response


def error_body(message, tracking_id='TRACK-1', descriptions=None):
    return {'message': message, 'errors': [{'description': d} for d in (descriptions or [message])], 'trackingId': tracking_id}


class Recorded:
    def __init__(self, request):
        self.method = request.method
        self.url = request.url
        split = urllib.parse.urlsplit(request.url)
        self.path = split.path
        self.query = dict(urllib.parse.parse_qsl(split.query))
        self.headers = dict(request.headers)
        self.body = json.loads(request.body) if request.body else None

    def __repr__(self):
        return '%s %s %s' % (self.method, self.path, self.query or '')


class ScriptedTransport(BaseAdapter):
    """A requests adapter answering from a script (list of dicts or exceptions) or a handler.

    Thread-safe: the code under test sends from several threads. The script and the handler are
    consulted one request at a time; ``delay`` seconds are then waited outside the lock, so that
    requests really overlap, and ``max_in_flight`` records how many did at once. ``delay`` may be a
    function of the recorded call. Each recorded call carries ``started`` and ``answered`` (monotonic).
    """

    def __init__(self, script=None, handler=None, delay=0.0):
        super().__init__()
        self.script = list(script or [])
        self.handler = handler
        self.delay = delay
        self.calls = []
        self.send_kwargs = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()

    def send(self, request, **kwargs):
        call = Recorded(request)
        call.started = time.monotonic()
        with self._lock:
            self.calls.append(call)
            self.send_kwargs.append(kwargs)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                if self.script:
                    item = self.script.pop(0)
                elif self.handler is not None:
                    item = self.handler(call)
                else:
                    item = AssertionError('unexpected request %r' % call)
            except Exception as exc:  # pylint: disable=broad-except
                item = exc
        try:
            delay = self.delay(call) if callable(self.delay) else self.delay
            if delay:
                time.sleep(delay)
        finally:
            with self._lock:
                self.in_flight -= 1
            call.answered = time.monotonic()
        if isinstance(item, Exception):
            raise item
        if isinstance(item, requests.Response):
            return item
        return make_response(request, **item)

    def close(self):
        pass
