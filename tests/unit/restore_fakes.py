# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Test doubles of the unit tests: a scripted fake HTTP transport, an in-memory fake Webex API, and a
runner of the module's main() with patched arguments (ansible-core 2.16 .. 2.19)."""

import contextlib
import http.client
import json
import re
import threading
import time
import urllib.parse
from datetime import datetime, timedelta, timezone

import pytest
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from ansible.module_utils import basic

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


class FakeTransport(BaseAdapter):
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


# -- in-memory Webex API ---------------------------------------------------------------------------

def iso(moment):
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def parse_iso(text):
    return datetime.strptime(text, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=timezone.utc)


class FakeWebex:
    """Just enough of the Converged Recordings API for module tests (creation-time windows, Link
    pagination, admin and user views, restore rules). ``faults`` are answered first when they match."""

    def __init__(self, admin=False, caller='alice@example.com', page_size_cap=100):
        self.admin = admin
        self.caller = caller
        self.page_size_cap = page_size_cap
        self.recordings = {}
        self.faults = []   # (predicate(call) -> bool, response dict or exception, remaining count)
        self.now = datetime.now(timezone.utc)

    def add(self, recording_id, owner='alice@example.com', status='deleted', days_ago=10):
        self.recordings[recording_id] = {
            'id': recording_id, 'ownerEmail': owner, 'status': status, 'topic': 'call %s' % recording_id,
            'createTime': iso(self.now - timedelta(days=days_ago)), 'format': 'MP3',
        }

    def fault(self, predicate, answer, times=1):
        self.faults.append([predicate, answer, times])

    def visible(self, recording):
        return self.admin or recording['ownerEmail'].lower() == self.caller.lower()

    def __call__(self, call):
        for fault in self.faults:
            if fault[2] > 0 and fault[0](call):
                fault[2] -= 1
                if isinstance(fault[1], dict) and fault[1].get('apply_first'):
                    self.route(call)
                    return {key: value for key, value in fault[1].items() if key != 'apply_first'}
                return fault[1]
        return self.route(call)

    def route(self, call):
        path = call.path[len('/v1'):]
        if call.method == 'GET' and path in ('/convergedRecordings', '/admin/convergedRecordings'):
            return self.listing(call, admin_endpoint=path.startswith('/admin'))
        if call.method == 'POST' and path == '/convergedRecordings/restore':
            return self.restore(call.body or {})
        match = re.match(r'^/convergedRecordings/([^/]+)$', path)
        if call.method == 'GET' and match:
            recording = self.recordings.get(urllib.parse.unquote(match.group(1)))
            if recording is None or recording['status'] == 'purged' or not self.visible(recording):
                return {'status': 404, 'body': error_body('The requested resource could not be found.', 'TRACK-404')}
            return {'body': dict(recording)}
        return {'status': 404, 'body': error_body('no route', 'TRACK-ROUTE')}

    def listing(self, call, admin_endpoint):
        query = call.query
        if admin_endpoint and not self.admin:
            return {'status': 403, 'body': error_body('Forbidden', 'TRACK-403')}
        start, end = parse_iso(query['from']), parse_iso(query['to'])
        if admin_endpoint and end - start > timedelta(days=30):
            return {'status': 400, 'body': error_body('window too wide', 'TRACK-400')}
        items = []
        for recording in sorted(self.recordings.values(), key=lambda r: r['createTime'], reverse=True):
            if recording['status'] != query.get('status', 'available'):
                continue
            if not start <= parse_iso(recording['createTime']) < end:
                continue
            if admin_endpoint:
                if query.get('ownerEmail') and recording['ownerEmail'].lower() != query['ownerEmail'].lower():
                    continue
            elif recording['ownerEmail'].lower() != self.caller.lower():
                continue
            items.append(dict(recording))
        size = min(int(query.get('max', 10)), self.page_size_cap)
        offset = int(query.get('cursor', 0))
        page = items[offset:offset + size]
        headers = {}
        if offset + size < len(items):
            next_query = dict(query, cursor=str(offset + size))
            headers['Link'] = '<%s%s?%s>; rel="next"' % (API.replace('/v1', ''), call.path, urllib.parse.urlencode(next_query))
        return {'body': {'items': page}, 'headers': headers}

    def restore(self, body):
        if body.get('restoreAll'):
            owner = body.get('ownerEmail')
            if self.admin and not owner:
                return {'status': 400, 'body': error_body('ownerEmail is required for an administrator', 'TRACK-RA400')}
            if not self.admin and owner:
                return {'status': 400, 'body': error_body('ownerEmail must be empty for a user', 'TRACK-RA400U')}
            owner = owner or self.caller
            for recording in self.recordings.values():
                if recording['ownerEmail'].lower() == owner.lower() and recording['status'] == 'deleted':
                    recording['status'] = 'available'
            return {'status': 204}
        ids = body.get('recordingIds') or []
        if not ids or len(ids) > 100 or body.get('ownerEmail'):
            return {'status': 400, 'body': error_body('bad restore body', 'TRACK-BODY')}
        for recording_id in ids:
            recording = self.recordings.get(recording_id)
            if recording and self.visible(recording) and recording['status'] == 'deleted':
                recording['status'] = 'available'
        return {'status': 204}


# -- running the module ----------------------------------------------------------------------------

class ModuleExit(Exception):
    def __init__(self, result, failed):
        super().__init__(result.get('msg'))
        self.result = result
        self.failed = failed


@contextlib.contextmanager
def module_args(args):
    """patch_module_args of ansible-core 2.19, or the classic _ANSIBLE_ARGS patch before it."""
    try:
        from ansible.module_utils.testing import patch_module_args
    except ImportError:
        patch_module_args = None
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    saved = basic._ANSIBLE_ARGS
    basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode()
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = saved


class ModuleRunner:
    def __init__(self, monkeypatch):
        self.warnings = []
        self.logs = []
        self.monkeypatch = monkeypatch

        def exit_json(module, **kwargs):
            raise ModuleExit(kwargs, failed=False)

        def fail_json(module, msg, **kwargs):
            kwargs['msg'] = msg
            raise ModuleExit(kwargs, failed=True)

        monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
        monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
        monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda module, warning: self.warnings.append(warning))
        monkeypatch.setattr(basic.AnsibleModule, 'log', lambda module, msg, log_args=None: self.logs.append(msg))
        # Waits of the retry policy are not slept in unit tests.
        from ansible_collections.webexops.recordings.plugins.module_utils import _retry
        self.slept = []
        monkeypatch.setattr(_retry.RetryPolicy, '__init__', _fast_policy_init(_retry.RetryPolicy.__init__, self.slept))

    def __call__(self, args, check_mode=False, diff=False, with_token=True, with_api=True):
        from ansible_collections.webexops.recordings.plugins.modules import webex_recording_restore
        args = dict(args)
        if with_token:
            args.setdefault('access_token', TOKEN)
        if with_api:
            args.setdefault('api_url', API)
        if check_mode:
            args['_ansible_check_mode'] = True
        if diff:
            args['_ansible_diff'] = True
        with module_args(args):
            with pytest.raises(ModuleExit) as caught:
                webex_recording_restore.main()
        return caught.value


def _fast_policy_init(original, slept):
    def init(self, max_wait, sleep=None, **kwargs):
        original(self, max_wait, sleep=slept.append, **kwargs)
    return init


def all_text(value):
    """Every string inside a result (keys and values), for secret searches."""
    if isinstance(value, dict):
        return ' '.join(all_text(k) + ' ' + all_text(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ' '.join(all_text(v) for v in value)
    return str(value)
