"""HTTP behaviour: unknown paths and methods, keep-alive, concurrency, TLS verification."""

import concurrent.futures
import http.client
import json

import pytest
import requests

from conftest import Client, assert_error, check_schema, recordings_of
from webex_simulator import Simulator


@pytest.mark.parametrize('path', ['/nothing', '/convergedRecordings/a/b', '/admin/convergedRecordings/x', '/recordings/restore'])
def test_unknown_path_is_404(client, path):
    assert_error(client.get(path, 'admin-token'), 404)


def test_unknown_path_outside_v1_is_404(client):
    response = requests.get(client.simulator.base_url + '/elsewhere', timeout=5)
    assert_error(response, 404)


@pytest.mark.parametrize('method, path', [('POST', '/convergedRecordings'), ('DELETE', '/admin/convergedRecordings'),
                                          ('GET', '/convergedRecordings/restore'), ('PUT', '/convergedRecordings/softDelete'),
                                          ('PATCH', '/convergedRecordings/some-id')])
def test_wrong_method_is_405(client, method, path):
    response = client.request(method, path, 'admin-token', json={})
    assert_error(response, 405)
    assert response.headers['Allow'] in ('GET', 'POST')


def test_keep_alive_reuses_one_connection(client):
    client.simulator.reset()
    for dummy in range(5):
        assert client.list('alice-token').status_code == 200
    assert client.action('restore', 'alice-token', {'restoreAll': True}).status_code == 204
    assert client.list('alice-token').status_code == 200
    assert client.simulator.counters()['connections'] == 1


def test_error_responses_keep_the_connection_too(client):
    client.simulator.reset()
    client.post('/convergedRecordings/restore', 'alice-token', data='not json')
    client.get('/nothing', 'alice-token')
    client.list('nobody')
    assert client.list('alice-token').status_code == 200
    assert client.simulator.counters()['connections'] == 1


def test_every_response_has_content_length_on_http_1_1(simulator):
    connection = http.client.HTTPConnection('127.0.0.1', simulator.port, timeout=5)
    try:
        for method, path, body in (('GET', '/v1/convergedRecordings', None), ('POST', '/v1/convergedRecordings/restore', '{"restoreAll": true}'),
                                   ('GET', '/v1/nothing', None)):
            connection.request(method, path, body=body, headers={'Authorization': 'Bearer alice-token'})
            response = connection.getresponse()
            payload = response.read()
            assert response.version == 11
            assert int(response.getheader('Content-Length')) == len(payload)
            assert response.getheader('trackingid')
    finally:
        connection.close()


def test_concurrent_clients(simulator):
    simulator.set_faults([{'kind': 'latency', 'seconds': 0.1}])
    deleted = [item['id'] for item in recordings_of(simulator, 'alice', 'deleted')]

    def work(number):
        session = requests.Session()
        try:
            headers = {'Authorization': 'Bearer %s' % ('admin-token' if number % 2 else 'bob-token')}
            response = session.get(simulator.api_url + '/convergedRecordings', headers=headers, timeout=5)
            check_schema('recording-list.json', response.json())
            if number < len(deleted):
                restore = session.post(simulator.api_url + '/convergedRecordings/restore', timeout=5,
                                       headers={'Authorization': 'Bearer admin-token'}, json={'recordingIds': [deleted[number]]})
                assert restore.status_code == 204
            return response.status_code
        finally:
            session.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(work, range(20)))
    assert statuses == [200] * 20
    assert recordings_of(simulator, 'alice', 'deleted') == []
    assert simulator.counters()['total'] == 20 + len(deleted)


def test_tls_verification():
    with Simulator(tls=True) as simulator:
        assert simulator.api_url.startswith('https://127.0.0.1:')
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(simulator.api_url + '/convergedRecordings', headers={'Authorization': 'Bearer alice-token'}, timeout=5)
        response = requests.get(simulator.api_url + '/convergedRecordings', headers={'Authorization': 'Bearer alice-token'},
                                verify=simulator.ca_file, timeout=5)
        assert response.status_code == 200
        check_schema('recording-list.json', response.json())
        localhost = simulator.api_url.replace('127.0.0.1', 'localhost')
        assert requests.get(localhost + '/convergedRecordings', headers={'Authorization': 'Bearer alice-token'},
                            verify=simulator.ca_file, timeout=5).status_code == 200
        # the Link header stays on https
        tls_client = Client(simulator, verify=simulator.ca_file)
        assert tls_client.list('alice-token', status='deleted', max=1).links['next']['url'].startswith('https://')
        tls_client.session.close()
        ca_file = simulator.ca_file
    assert ca_file.endswith('ca.pem')


def test_binds_loopback_by_default(simulator):
    assert simulator.host == '127.0.0.1'
    assert json.loads(json.dumps(simulator.ready_info(1)))['api_url'] == 'http://127.0.0.1:%d/v1' % simulator.port
