"""The revoke fault over HTTP: a token that stops working mid-run (expired or revoked after some requests)."""

import json
import os
import pathlib
import subprocess
import sys

import pytest
import requests

from conftest import TIMEOUT, Client, assert_error, assert_no_content, recordings_of
from webex_simulator import Simulator, faults

REPO = pathlib.Path(__file__).resolve().parent.parent.parent
REVOKED_MESSAGE = 'The access token is invalid or expired.'


def _requests_of_a_run(simulator, client):
    """A run's mix: listings, details, a restore; each a callable returning the response."""
    deleted = [item['id'] for item in recordings_of(simulator, 'alice', 'deleted')]
    return [
        lambda: client.list('alice-token', status='deleted'),
        lambda: client.get('/convergedRecordings/' + deleted[0], 'alice-token'),
        lambda: client.list('admin-token', admin=True, status='deleted'),
        lambda: client.action('restore', 'alice-token', {'recordingIds': [deleted[0]]}),
        lambda: client.action('restore', 'alice-token', {'recordingIds': [deleted[1]]}),
        lambda: client.list('alice-token'),
        lambda: client.get('/convergedRecordings/' + deleted[2], 'admin-token'),
    ]


@pytest.mark.parametrize('after', [0, 1, 3, 5])
def test_401_from_the_request_after_n_on_until_reset(simulator, client, after):
    simulator.set_faults([{'kind': 'revoke', 'after': after}])
    statuses = []
    for send in _requests_of_a_run(simulator, client):
        response = send()
        statuses.append(response.status_code)
        if len(statuses) > after:
            body = assert_error(response, 401, REVOKED_MESSAGE)
            assert body['trackingId'].startswith('SIM_')
            assert 'Retry-After' not in response.headers
    assert all(status in (200, 204) for status in statuses[:after]), statuses
    assert statuses[after:] == [401] * (len(statuses) - after)
    # nothing was applied by a refused request: the restores after the revocation left the bin as it was
    log = simulator.requests()
    assert [entry['status'] for entry in log] == statuses
    assert [entry.get('fault') for entry in log] == [None] * after + ['revoke'] * (len(statuses) - after)
    still_deleted = {item['id'] for item in recordings_of(simulator, 'alice', 'deleted')}
    restored = [entry['body']['recordingIds'][0] for entry in log[:after] if entry['method'] == 'POST']
    refused = [entry['body']['recordingIds'][0] for entry in log[after:] if entry['method'] == 'POST']
    assert not set(restored) & still_deleted and set(refused) <= still_deleted
    assert simulator.faults() == [{'kind': 'revoke', 'after': 0, 'method': None, 'path': None}]
    assert simulator.counters()['by_status']['401'] == len(statuses) - after
    # until reset (or the faults replaced)
    simulator.reset(log=False, faults=True)
    assert client.list('alice-token').status_code == 200
    simulator.set_faults(['revoke'])
    assert_error(client.list('alice-token'), 401)
    simulator.set_faults([])
    assert client.list('alice-token').status_code == 200


def test_after_counts_down_and_the_control_api_shows_it(client):
    response = client.control('PUT', '/faults', json={'faults': [{'kind': 'revoke', 'after': 2}]})
    assert response.json() == {'faults': [{'kind': 'revoke', 'after': 2, 'method': None, 'path': None}]}
    assert client.list('alice-token').status_code == 200
    assert client.control('GET', '/faults').json()['faults'][0]['after'] == 1
    assert client.list('alice-token').status_code == 200
    assert client.control('GET', '/faults').json()['faults'][0]['after'] == 0
    assert_error(client.list('alice-token'), 401)
    # the fault stays: every later request too
    assert client.control('GET', '/faults').json()['faults'][0]['after'] == 0
    assert_error(client.list('alice-token'), 401)
    assert client.control('POST', '/reset', json={}).status_code == 200
    assert client.control('GET', '/faults').json() == {'faults': []}
    assert client.list('alice-token').status_code == 200


def test_method_and_path_choose_the_requests_that_count_and_fail(simulator, client):
    deleted = [item['id'] for item in recordings_of(simulator, 'alice', 'deleted')]
    simulator.set_faults([{'kind': 'revoke', 'after': 1, 'method': 'post', 'path': '/v1/convergedRecordings/restore'}])
    assert client.list('alice-token').status_code == 200  # not counted
    assert_no_content(client.action('restore', 'alice-token', {'recordingIds': [deleted[0]]}))
    assert client.get('/convergedRecordings/' + deleted[1], 'alice-token').status_code == 200
    assert_error(client.action('restore', 'alice-token', {'recordingIds': [deleted[1]]}), 401)
    assert_error(client.action('restore', 'bob-token', {'restoreAll': True}), 401)
    assert client.action('softDelete', 'alice-token', {'recordingIds': [deleted[0]]}).status_code == 204
    assert client.list('alice-token', status='deleted').status_code == 200
    simulator.set_faults([{'kind': 'revoke', 'after': 2, 'path': '/v1/convergedRecordings/{recordingId}'}])
    statuses = [client.get('/convergedRecordings/' + deleted[2], 'alice-token').status_code for dummy in range(4)]
    assert statuses == [200, 200, 401, 401]
    assert client.list('alice-token').status_code == 200


def test_faults_are_tried_in_order(client):
    """Like the other faults: a revoke after an earlier fault that answered is not consulted for that request."""
    client.simulator.set_faults([{'kind': 'status', 'status': 429, 'retry_after': '1', 'next': 1},
                                 {'kind': 'revoke', 'after': 1}])
    assert [client.list('alice-token').status_code for dummy in range(4)] == [429, 200, 401, 401]
    client.simulator.set_faults([{'kind': 'revoke', 'after': 1}, {'kind': 'status', 'status': 503}])
    assert [client.list('alice-token').status_code for dummy in range(3)] == [503, 401, 401]
    client.simulator.set_faults([{'kind': 'revoke'}, {'kind': 'latency', 'seconds': 0.01}])
    assert_error(client.list('alice-token'), 401)


def test_every_request_counts_whatever_its_answer(client):
    """The token is used by requests the API refuses too (a 404, a 403): they count towards after."""
    client.simulator.set_faults([{'kind': 'revoke', 'after': 2}])
    assert_error(client.get('/convergedRecordings/no-such-id', 'alice-token'), 404)
    assert_error(client.list('alice-token', admin=True), 403)
    assert_error(client.list('admin-token', admin=True), 401, REVOKED_MESSAGE)


@pytest.mark.parametrize('spec, fragment', [
    ('revoke:next=1', 'takes no next or rate'),
    ('revoke:rate=0.5', 'takes no next or rate'),
    ('revoke:after=-1', 'after must be at least 0'),
    ('revoke:after=x', 'after must be a number'),
    ('revoke:after=1.5', 'after must be'),
    ('revoke:status=401', 'unknown field(s) for a revoke fault: status'),
])
def test_bad_revoke_faults(client, spec, fragment):
    with pytest.raises(faults.FaultError, match=fragment.replace('(', r'\(').replace(')', r'\)')):
        faults.parse_fault_spec(spec)
    kind, dummy, pair = spec.partition(':')
    name, dummy, value = pair.partition('=')
    data = {'kind': kind, name: json.loads(value) if value not in ('x',) else value}
    assert_error(client.control('PUT', '/faults', json={'faults': [data]}), 400, fragment)
    assert_error(client.control('PUT', '/faults', json={'faults': [{'kind': 'revoke', 'after': True}]}), 400, 'after')


def test_cli_spec_and_command_line(tmp_path):
    assert faults.parse_fault_spec('revoke:after=2:method=get:path=/v1/admin/*').to_json() == {
        'kind': 'revoke', 'after': 2, 'method': 'GET', 'path': '/v1/admin/*'}
    assert faults.parse_fault_spec('revoke').after == 0
    ready_file = tmp_path / 'ready.json'
    environment = dict(os.environ, PYTHONPATH=str(REPO / 'tests' / 'simulator'))
    process = subprocess.Popen([sys.executable, '-m', 'webex_simulator', '--ready-file', str(ready_file),
                                '--fault', 'revoke:after=2', '--verbose'],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment, text=True)
    try:
        info = json.loads(process.stdout.readline())
        headers = {'Authorization': 'Bearer alice-token'}
        statuses = [requests.get(info['api_url'] + '/convergedRecordings', headers=headers, timeout=TIMEOUT).status_code
                    for dummy in range(4)]
        assert statuses == [200, 200, 401, 401]
    finally:
        process.terminate()
        dummy, err = process.communicate(timeout=10)
    assert process.returncode == 0
    assert 'alice-token' not in err and 'GET /v1/convergedRecordings' in err


def test_the_token_is_never_in_the_log(capfd):
    token = 'alice-token'
    with Simulator(verbose=True, faults=['revoke:after=1']) as simulator:
        client = Client(simulator)
        assert client.list(token).status_code == 200
        assert_error(client.list(token), 401)
        assert_error(client.action('restore', token, {'restoreAll': True}), 401)
        log = client.control('GET', '/requests').json()['requests']
        assert [entry['authorization'] for entry in log] == ['Bearer ***'] * 3
        assert [entry.get('fault') for entry in log] == [None, 'revoke', 'revoke']
        everything = json.dumps(log) + json.dumps(simulator.counters()) + json.dumps(simulator.faults())
        client.session.close()
    captured = capfd.readouterr()
    assert token not in everything + captured.out + captured.err
    assert 'GET /v1/convergedRecordings' in captured.err
