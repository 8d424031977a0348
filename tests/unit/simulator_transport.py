# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The simulator in-process: a requests adapter that hands every request to ``Simulator.exchange``
(the same code that answers over HTTP, faults and request log included) without a socket.

The unit tests of the service and the module use it, so that every test has one model of Webex: the
simulator's. A fault that drops the connection becomes a ``ConnectionError``, a hang a ``ReadTimeout``,
as requests raises them for a real server.
"""

import http.client
import json
import threading
import urllib.parse

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from webex_simulator import Simulator

API_BASE = 'https://webex.test'
API = API_BASE + '/v1'


class SimulatorTransport(BaseAdapter):
    """Answers every request from ``simulator``; keeps each request as sent (``sent``), the kwargs
    of each send, and the peak of requests in flight at once (latency faults make them overlap)."""

    def __init__(self, simulator):
        super().__init__()
        self.simulator = simulator
        self.sent = []
        self.send_kwargs = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()

    def send(self, request, **kwargs):
        split = urllib.parse.urlsplit(request.url)
        body = request.body.encode() if isinstance(request.body, str) else request.body
        with self._lock:
            self.sent.append(request)
            self.send_kwargs.append(kwargs)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            answer = self.simulator.exchange(request.method, split.path, urllib.parse.parse_qs(split.query),
                                             request.headers, body or b'')
        finally:
            with self._lock:
                self.in_flight -= 1
        if answer.no_answer == 'hang':
            raise requests.exceptions.ReadTimeout('Read timed out (simulator hang)', request=request)
        if answer.no_answer is not None:
            raise requests.exceptions.ConnectionError(
                'Connection aborted: RemoteDisconnected (simulator %s)' % answer.no_answer, request=request)
        response = requests.Response()
        response.status_code = answer.status
        response.reason = http.client.responses.get(answer.status, 'Unknown')
        response.request = request
        response.url = request.url
        response.headers = CaseInsensitiveDict(answer.headers)
        response._content = json.dumps(answer.body).encode() if answer.body is not None else b''
        response.encoding = 'utf-8'
        return response

    def close(self):
        pass


def in_process_simulator(seed):
    """A Simulator that is never started: ``exchange`` answers as if it listened at API_BASE."""
    simulator = Simulator(seed=seed)
    simulator.base_url = API_BASE
    return simulator
