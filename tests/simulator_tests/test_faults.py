"""Injected faults over HTTP: status, latency, drop before/after, hang; next-N expiry and rate determinism."""

import time

import pytest
import requests

from conftest import TIMEOUT, Client, assert_error, assert_no_content, check_schema, recordings_of
from webex_simulator import Simulator


def test_429_with_retry_after_for_next_n_then_normal(client):
    client.simulator.set_faults([{'kind': 'status', 'status': 429, 'retry_after': '2', 'next': 2}])
    for dummy in range(2):
        response = client.list('alice-token')
        assert_error(response, 429)
        assert response.headers['Retry-After'] == '2'
    assert client.simulator.faults() == []
    response = client.list('alice-token')
    assert response.status_code == 200
    check_schema('recording-list.json', response.json())


@pytest.mark.parametrize('status', [400, 401, 403, 404, 405, 409, 410, 415, 423, 428, 500, 502, 503, 504])
def test_other_statuses(client, status):
    client.simulator.set_faults([{'kind': 'status', 'status': status, 'next': 1}])
    response = client.list('alice-token')
    assert_error(response, status)
    assert 'Retry-After' not in response.headers


def test_423_may_carry_retry_after(client):
    client.simulator.set_faults([{'kind': 'status', 'status': 423, 'retry_after': '1', 'next': 1}])
    response = client.list('alice-token')
    assert_error(response, 423)
    assert response.headers['Retry-After'] == '1'


def test_status_fault_does_not_apply_the_write(simulator, client):
    recording_id = recordings_of(simulator, 'alice', 'deleted')[0]['id']
    simulator.set_faults([{'kind': 'status', 'status': 503, 'method': 'POST', 'path': '/v1/convergedRecordings/restore'}])
    assert client.list('alice-token').status_code == 200  # GET does not match
    assert_error(client.action('restore', 'alice-token', {'recordingIds': [recording_id]}), 503)
    assert recordings_of(simulator, 'alice', 'deleted')[0]['id'] == recording_id


def test_path_may_name_an_endpoint_template(simulator, client):
    recording_id = recordings_of(simulator, 'alice', 'available')[0]['id']
    simulator.set_faults([{'kind': 'status', 'status': 500, 'path': '/v1/convergedRecordings/{recordingId}'}])
    assert_error(client.get('/convergedRecordings/' + recording_id, 'alice-token'), 500)
    assert client.list('alice-token').status_code == 200


def _rate_pattern(client, count=30):
    client.simulator.set_faults([{'kind': 'status', 'status': 503, 'rate': 0.5}])
    return [client.list('alice-token').status_code for dummy in range(count)]


def test_rate_is_deterministic_given_the_random_seed(client):
    first = _rate_pattern(client)
    second = _rate_pattern(client)
    assert first == second
    assert set(first) == {200, 503}
    with Simulator(random_seed=1) as other:
        other_client = Client(other)
        assert _rate_pattern(other_client) != first


def test_latency_is_added(client):
    started = time.monotonic()
    client.list('alice-token')
    baseline = time.monotonic() - started
    client.simulator.set_faults([{'kind': 'latency', 'seconds': 0.3}])
    started = time.monotonic()
    response = client.list('alice-token')
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert 0.3 <= elapsed < 0.3 + baseline + 1.0


def test_drop_before_closes_without_applying(simulator, client):
    recording_id = recordings_of(simulator, 'alice', 'deleted')[0]['id']
    simulator.set_faults([{'kind': 'drop', 'when': 'before', 'next': 1, 'method': 'POST'}])
    with pytest.raises(requests.ConnectionError):
        client.action('restore', 'alice-token', {'recordingIds': [recording_id]})
    assert recordings_of(simulator, 'alice', 'deleted')[0]['id'] == recording_id
    assert_no_content(client.action('restore', 'alice-token', {'recordingIds': [recording_id]}))
    log = simulator.requests()
    assert log[0]['status'] is None and log[0]['fault'] == 'drop-before'
    assert simulator.counters()['no_response'] == 1


def test_drop_after_applies_then_closes(simulator, client):
    recording_id = recordings_of(simulator, 'alice', 'deleted')[0]['id']
    simulator.set_faults(['drop:when=after:next=1:method=POST'])
    with pytest.raises(requests.ConnectionError):
        client.action('restore', 'alice-token', {'recordingIds': [recording_id]})
    assert [item['status'] for item in simulator.recordings() if item['id'] == recording_id] == ['available']
    # the retry now meets the changed state
    assert_error(client.action('restore', 'alice-token', {'recordingIds': [recording_id]}), 400, recording_id)
    assert simulator.requests()[0]['applied_status'] == 204


def test_hang_times_the_client_out(simulator, client):
    simulator.set_faults([{'kind': 'hang', 'seconds': 1.5, 'next': 1}])
    started = time.monotonic()
    with pytest.raises(requests.Timeout):
        client.get('/convergedRecordings', 'alice-token', timeout=0.3)
    assert time.monotonic() - started < 1.2
    assert client.list('alice-token').status_code == 200


def test_faults_via_control_api(client):
    fault = {'kind': 'status', 'status': 429, 'retry_after': '1', 'when': 'before', 'next': 1, 'rate': None, 'method': 'GET',
             'path': None}
    response = client.control('PUT', '/faults', json={'faults': [fault]})
    assert response.status_code == 200
    assert response.json() == {'faults': [fault]}
    assert client.control('GET', '/faults', timeout=TIMEOUT).json() == {'faults': [fault]}
    assert_error(client.list('alice-token'), 429)
    assert client.control('GET', '/faults').json() == {'faults': []}
    assert_error(client.control('PUT', '/faults', json={'faults': [{'kind': 'status', 'status': 418}]}), 400, 'status')
    assert_error(client.control('PUT', '/faults', json={'faults': [{'kind': 'boom'}]}), 400, 'kind')


def test_cli_fault_spec_and_counting_of_faulted_requests(client):
    simulator = client.simulator
    simulator.set_faults(['status:status=429:retry_after=1:next=3', 'latency:seconds=0.01'])
    statuses = [client.list('alice-token').status_code for dummy in range(4)]
    assert statuses == [429, 429, 429, 200]
    counters = simulator.counters()
    assert counters['total'] == 4 and counters['by_status'] == {'429': 3, '200': 1}
    assert counters['by_endpoint']['GET /v1/convergedRecordings'] == 4


def test_exchange_in_process_answers_like_http(simulator, client):
    """Simulator.exchange is what the HTTP handler sends: the unit tests use it without a socket."""
    simulator.set_faults([{'kind': 'status', 'status': 403, 'next': 1, 'path': '/v1/convergedRecordings'}])
    answer = simulator.exchange('GET', '/v1/convergedRecordings', {'max': ['1']}, {'Authorization': 'Bearer alice-token'}, b'')
    assert answer.status == 403 and answer.no_answer is None
    assert answer.body['trackingId'] == answer.tracking_id and answer.body['errors']
    over_http = client.list('alice-token', max=1)
    in_process = simulator.exchange('GET', '/v1/convergedRecordings', {'max': ['1']}, {'Authorization': 'Bearer alice-token'}, b'')
    assert over_http.status_code == in_process.status == 200
    assert over_http.json()['items'] == in_process.body['items']
    simulator.set_faults([{'kind': 'drop', 'when': 'after', 'next': 1, 'method': 'POST'}])
    dropped = simulator.exchange('POST', '/v1/convergedRecordings/restore', {}, {'Authorization': 'Bearer alice-token',
                                                                                 'Content-Type': 'application/json'},
                                 b'{"restoreAll": true}')
    assert dropped.no_answer == 'drop-after' and dropped.status is None
    assert simulator.requests()[-1]['fault'] == 'drop-after'


def test_a_status_after_apply_applies_the_write_then_answers_the_error(simulator, client):
    """504 from a gateway that gave up while the backend restored: the write is applied, the client sees 504."""
    deleted = [item['id'] for item in recordings_of(simulator, 'alice', 'deleted')][:2]
    simulator.set_faults([{'kind': 'status', 'status': 504, 'when': 'after', 'next': 1, 'method': 'POST'}])
    assert_error(client.action('restore', 'alice-token', {'recordingIds': deleted}), 504)
    assert not set(deleted) & set(item['id'] for item in recordings_of(simulator, 'alice', 'deleted'))
    entry = simulator.requests()[-1]
    assert entry['fault'] == 'status-after' and entry['status'] == 504 and entry['applied_status'] == 204
    assert client.list('alice-token').status_code == 200 and simulator.faults() == []   # next: 1 expired
