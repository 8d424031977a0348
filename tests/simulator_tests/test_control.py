"""Control API, request log redaction, counters, reset, seeds, the CLI."""

import datetime
import json
import os
import pathlib
import signal
import subprocess
import sys
import time

import requests

from conftest import TIMEOUT, assert_error, check_schema, recordings_of
from webex_simulator import Simulator
from webex_simulator import seed as seedlib

REPO = pathlib.Path(__file__).resolve().parent.parent.parent


def test_health(client):
    response = client.control('GET', '/health')
    assert (response.status_code, response.json()) == (200, {'ok': True})


def test_request_log_redacts_the_token(client, capfd):
    client.simulator.reset()
    client.action('restore', 'alice-token', {'restoreAll': True, 'ownerEmail': None})
    client.list('alice-token', status='deleted', max=3)
    client.get('/convergedRecordings')
    log = client.control('GET', '/requests').json()['requests']
    assert log[0] == {'method': 'POST', 'path': '/v1/convergedRecordings/restore', 'query': {},
                      'body': {'restoreAll': True, 'ownerEmail': None}, 'status': 204, 'authorization': 'Bearer ***'}
    assert log[1]['query'] == {'status': 'deleted', 'max': '3'} and log[1]['status'] == 200
    assert log[2]['authorization'] is None and log[2]['status'] == 401
    captured = capfd.readouterr()
    everything = json.dumps(log) + json.dumps(client.simulator.counters()) + captured.out + captured.err
    assert 'alice-token' not in everything


def test_counters(simulator, client):
    simulator.reset()
    recording_id = recordings_of(simulator, 'alice', 'deleted')[0]['id']
    client.list('alice-token')
    client.list('admin-token', admin=True)
    client.get('/convergedRecordings/' + recording_id, 'alice-token')
    client.action('restore', 'alice-token', {'recordingIds': [recording_id]})
    client.action('softDelete', 'alice-token', {'recordingIds': [recording_id]})
    client.action('purge', 'alice-token', {'recordingIds': [recording_id]})
    client.get('/nothing', 'alice-token')
    counters = client.control('GET', '/counters').json()
    assert counters['total'] == 7 and counters['reads'] == 4 and counters['writes'] == 3
    assert counters['by_endpoint'] == {
        'GET /v1/convergedRecordings': 1, 'GET /v1/admin/convergedRecordings': 1, 'GET /v1/convergedRecordings/{recordingId}': 1,
        'POST /v1/convergedRecordings/restore': 1, 'POST /v1/convergedRecordings/softDelete': 1, 'POST /v1/convergedRecordings/purge': 1,
        # the Meetings endpoints (counted in test_meetings.py)
        'GET /v1/recordings': 0, 'GET /v1/admin/recordings': 0, 'GET /v1/recordings/{recordingId}': 0, 'POST /v1/recordings/restore': 0,
        'POST /v1/recordings/softDelete': 0, 'POST /v1/recordings/purge': 0, 'GET /v1/meetingPreferences/sites': 0}
    assert counters['by_status'] == {'200': 3, '204': 3, '404': 1}
    # control requests are not counted
    assert client.control('GET', '/counters').json()['total'] == 7


def test_reset(simulator, client):
    original = simulator.recordings()
    client.action('restore', 'alice-token', {'restoreAll': True})
    simulator.set_faults([{'kind': 'latency', 'seconds': 0.01}])
    assert client.control('POST', '/reset', json={}).json() == {'ok': True}
    assert simulator.requests() == [] and simulator.faults() == [] and simulator.counters()['total'] == 0
    assert simulator.recordings() != original
    simulator.set_faults([{'kind': 'latency', 'seconds': 0.01}])
    client.control('POST', '/reset', json={'log': False, 'faults': False, 'data': True})
    assert simulator.recordings() == original and simulator.faults() != []


def test_control_recordings(client):
    everything = client.control('GET', '/recordings').json()['items']
    assert {item['status'] for item in everything} == {'available', 'deleted', 'purged'}
    for item in everything:
        check_schema('recording-details.json', item)
    alice_purged = client.control('GET', '/recordings', params={'ownerEmail': 'alice@example.com', 'status': 'purged'}).json()['items']
    assert alice_purged and {(item['ownerEmail'], item['status']) for item in alice_purged} == {('alice@example.com', 'purged')}
    new_item = {'owner_email': 'bob@example.com', 'status': 'deleted', 'created_days_ago': 2, 'topic': 'added'}
    added = client.control('POST', '/recordings', json={'items': [new_item]}).json()['items']
    assert len(added) == 1 and added[0]['topic'] == 'added'
    generated = client.control('POST', '/recordings', json={'generate': {'owners': 3, 'per_owner': 2}}).json()['items']
    assert len(generated) == 6
    assert_error(client.control('POST', '/recordings', json={'items': [{'owner_email': 'ghost@example.com'}]}), 400, 'ghost')
    assert_error(client.control('GET', '/nothing'), 404)
    assert_error(client.control('DELETE', '/faults'), 405)


def test_default_seed_content(simulator):
    items = simulator.recordings()
    owners = {item.get('ownerEmail') for item in items}
    # None: the workspaces and the virtual line (test_selections.py has the details of those recordings)
    assert owners == {'alice@example.com', 'bob@example.com', 'carol@example.com', 'erin@example.com', None}
    for owner in owners:
        assert {item['status'] for item in items if item.get('ownerEmail') == owner} == {'available', 'deleted', 'purged'}
    # what the demo and the documented commands rely on: 11 recordings each for alice, bob and carol
    for owner in ('alice', 'bob', 'carol'):
        assert len(recordings_of(simulator, owner)) == 11
    now = time.time()
    ages = [(now - _epoch(item['createTime'])) / 86400 for item in items]
    assert min(ages) < 7 and any(40 <= age <= 300 for age in ages) and max(ages) <= 301


def _epoch(text):
    return datetime.datetime.fromisoformat(text).timestamp()


def test_seed_loads_deterministically(tmp_path):
    seed_file = tmp_path / 'seed.json'
    seed_file.write_text(json.dumps({'org_id': 'org-1', 'people': [{'email': 'p@example.com'}],
                                     'recordings': [{'owner_email': 'p@example.com', 'topic': 'x'}],
                                     'generate': [{'owners': 3, 'per_owner': 2, 'status': 'deleted'}]}))
    first = Simulator(seed=str(seed_file)).recordings()
    second = Simulator(seed=str(seed_file)).recordings()
    assert [item['id'] for item in first] == [item['id'] for item in second]
    assert len(first) == 7
    assert Simulator().recordings()[0]['id'] == Simulator(seed=str(seedlib.DEFAULT_SEED_PATH)).recordings()[0]['id']


def test_generate_1000_owners_loads_fast():
    seed = {'generate': [{'owners': 1000, 'per_owner': 5, 'status': 'deleted', 'domain': 'bulk.example.com', 'created_days_ago': [0, 300]}]}
    # CPU time of this process: wall time on a busy CI machine says little about the loader.
    started = time.process_time()
    simulator = Simulator(seed=seed)
    elapsed = time.process_time() - started
    assert len(simulator.store.recordings_by_id) == 5000
    assert elapsed < 1.0, elapsed


def test_cli_prints_ready_json_and_stops_on_sigterm(tmp_path):
    ready_file = tmp_path / 'ready.json'
    environment = dict(os.environ, PYTHONPATH=str(REPO / 'tests' / 'simulator'))
    process = subprocess.Popen([sys.executable, '-m', 'webex_simulator', '--ready-file', str(ready_file),
                                '--fault', 'status:status=429:retry_after=1:next=1', '--verbose'],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment, text=True)
    try:
        info = json.loads(process.stdout.readline())
        assert set(info) == {'api_url', 'control_url', 'ca_file', 'pid'} and info['pid'] == process.pid
        assert json.loads(ready_file.read_text()) == info
        headers = {'Authorization': 'Bearer alice-token'}
        first = requests.get(info['api_url'] + '/convergedRecordings', headers=headers, timeout=TIMEOUT)
        assert (first.status_code, first.headers['Retry-After']) == (429, '1')
        assert requests.get(info['api_url'] + '/convergedRecordings', headers=headers, timeout=TIMEOUT).status_code == 200
        assert requests.get(info['control_url'] + '/health', timeout=TIMEOUT).json() == {'ok': True}
    finally:
        process.send_signal(signal.SIGTERM)
        dummy, err = process.communicate(timeout=10)
    assert process.returncode == 0
    assert 'alice-token' not in err
    assert 'GET /v1/convergedRecordings' in err


def test_cli_rejects_bad_fault():
    environment = dict(os.environ, PYTHONPATH=str(REPO / 'tests' / 'simulator'))
    result = subprocess.run([sys.executable, '-m', 'webex_simulator', '--fault', 'status:status=418'], capture_output=True,
                            env=environment, text=True, timeout=20, check=False)
    assert result.returncode == 2 and 'status must be one of' in result.stderr


def test_cli_rejects_a_seed_with_values_of_the_wrong_type(tmp_path):
    seed_file = tmp_path / 'seed.json'
    seed_file.write_text(json.dumps({'generate': [{'owners': 'many'}]}), encoding='utf-8')
    environment = dict(os.environ, PYTHONPATH=str(REPO / 'tests' / 'simulator'))
    result = subprocess.run([sys.executable, '-m', 'webex_simulator', '--seed', str(seed_file)], capture_output=True,
                            env=environment, text=True, timeout=20, check=False)
    assert result.returncode == 2 and 'bad seed data' in result.stderr and 'Traceback' not in result.stderr
