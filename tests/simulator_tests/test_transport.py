"""HTTP behaviour: unknown paths and methods, keep-alive, concurrency, TLS verification."""

import concurrent.futures
import http.client
import json
import socket

import pytest
import requests

from conftest import Client, assert_error, check_schema, recordings_of
from webex_simulator import Simulator


@pytest.mark.parametrize('path', ['/nothing', '/convergedRecordings/a/b', '/admin/convergedRecordings/x', '/recordings/a/b', '/admin/recordings/x'])
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


# Every method token, not only the five http.server had do_<METHOD> handlers for (it answered the others with
# a 501 HTML page, no trackingid, Connection: close).
OTHER_METHODS = ('HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'FOO')
KNOWN_PATHS = {'/convergedRecordings': 'GET', '/admin/convergedRecordings': 'GET', '/convergedRecordings/some-id': 'GET',
               '/convergedRecordings/restore': 'POST', '/convergedRecordings/softDelete': 'POST',
               '/convergedRecordings/purge': 'POST'}


def assert_webex_error_headers(response, status):
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers['Content-Type'] == 'application/json;charset=UTF-8'
    assert response.headers['trackingid'].startswith('SIM_')
    assert 'html' not in response.text.lower()


@pytest.mark.parametrize('method', OTHER_METHODS + ('GET', 'POST', 'PUT', 'PATCH', 'DELETE'))
@pytest.mark.parametrize('path', sorted(KNOWN_PATHS))
def test_every_method_gets_a_webex_answer_on_a_known_path(client, method, path):
    allowed = KNOWN_PATHS[path]
    response = client.request(method, path, 'admin-token')
    if method == allowed:
        assert response.status_code != 405
        return
    assert_webex_error_headers(response, 405)
    assert response.headers['Allow'] == allowed
    if method == 'HEAD':
        # no body, but the headers of the answer a GET would have had, Content-Length included
        assert response.content == b''
        assert int(response.headers['Content-Length']) > 0
    else:
        body = assert_error(response, 405, method)
        assert body['errors'][0]['description'] == body['message']


@pytest.mark.parametrize('method', OTHER_METHODS)
def test_other_methods_on_an_unknown_path_are_404(client, method):
    response = client.request(method, '/nothing', 'admin-token')
    assert_webex_error_headers(response, 404)
    if method != 'HEAD':
        assert_error(response, 404)


@pytest.mark.parametrize('method', ('HEAD', 'OPTIONS', 'TRACE', 'FOO'))
def test_other_methods_on_the_control_api_are_405(client, method):
    response = client.control(method, '/counters')
    assert_webex_error_headers(response, 405)
    assert response.headers['Allow'] == 'GET'


def test_head_and_options_keep_the_connection(client):
    client.simulator.reset()
    for method in ('HEAD', 'OPTIONS', 'TRACE', 'HEAD'):
        assert client.request(method, '/convergedRecordings', 'alice-token').status_code == 405
    assert client.list('alice-token').status_code == 200
    counters = client.simulator.counters()
    assert counters['connections'] == 1
    assert counters['by_status'] == {'405': 4, '200': 1}
    assert [entry['method'] for entry in client.simulator.requests()] == ['HEAD', 'OPTIONS', 'TRACE', 'HEAD', 'GET']


def raw_exchange(port, data):
    """Send raw bytes on a fresh connection; read one response (status, headers, body)."""
    with socket.create_connection(('127.0.0.1', port), timeout=5) as sock:
        sock.sendall(data)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, response, response.read()


@pytest.mark.parametrize('request_bytes, status', [
    (b'GARBAGE\r\n\r\n', 400),                                      # bad request line
    (b'GET /v1/convergedRecordings HTTP/2.0\r\n\r\n', 505),         # unsupported version
    (b'GET /v1/convergedRecordings HTTP/1.x\r\n\r\n', 400),         # malformed version
    (b'GET /v1/' + b'a' * 70000 + b' HTTP/1.1\r\n\r\n', 414),       # request line over 64 KiB
    (b'GET /v1/convergedRecordings HTTP/1.1\r\nX-Long: ' + b'a' * 70000 + b'\r\n\r\n', 431),
])
def test_malformed_requests_get_the_webex_error_body(simulator, request_bytes, status):
    got, response, payload = raw_exchange(simulator.port, request_bytes)
    assert got == status
    assert response.getheader('Content-Type') == 'application/json;charset=UTF-8'
    assert response.getheader('Connection') == 'close'
    body = json.loads(payload)
    check_schema('error.json', body)
    assert body['trackingId'] == response.getheader('trackingid')
    assert 'Malformed HTTP request' in body['message']


def test_malformed_request_after_a_good_one_on_the_same_connection(simulator):
    with socket.create_connection(('127.0.0.1', simulator.port), timeout=5) as sock:
        sock.sendall(b'GET /v1/convergedRecordings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer alice-token\r\n\r\n')
        first = http.client.HTTPResponse(sock)
        first.begin()
        first.read()
        assert first.status == 200
        sock.sendall(b'GET /v1/convergedRecordings HTTP/1.1\r\nX-Long: ' + b'a' * 70000 + b'\r\n\r\n')
        second = http.client.HTTPResponse(sock)
        second.begin()
        assert second.status == 431
        check_schema('error.json', json.loads(second.read()))


@pytest.mark.parametrize('target', ['//[bad/v1/convergedRecordings', 'http://[bad/v1/convergedRecordings', '*',
                                    '//example.com/v1/convergedRecordings'])
def test_odd_request_targets_are_404(simulator, target):
    got, response, payload = raw_exchange(
        simulator.port, b'GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer alice-token\r\n\r\n' % target.encode())
    assert got == 404
    check_schema('error.json', json.loads(payload))
    assert response.getheader('trackingid')


def test_absolute_form_target_is_served(simulator):
    target = 'http://127.0.0.1:%d/v1/convergedRecordings?max=1' % simulator.port
    got, dummy, payload = raw_exchange(
        simulator.port, b'GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer alice-token\r\n\r\n' % target.encode())
    assert got == 200
    check_schema('recording-list.json', json.loads(payload))


def test_negative_chunk_size_is_400_not_a_hang(simulator):
    got, dummy, payload = raw_exchange(
        simulator.port, b'POST /v1/convergedRecordings/restore HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer alice-token\r\n'
                        b'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n{}\r\n0\r\n\r\n')
    assert got == 400
    check_schema('error.json', json.loads(payload))
