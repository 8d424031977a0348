"""No input crashes a handler: hostile requests get a Webex answer (never a dropped connection), and a simulator bug
gets the last-resort 500 with the Webex error body, logged on stderr, instead of a dropped connection."""

import base64
import json

import pytest

from conftest import assert_error

DEEP = '[' * 50000 + ']' * 50000

HOSTILE_REQUESTS = [
    ('GET', '/convergedRecordings', {'to': '0001-01-01T00:00:00Z'}, None),
    ('GET', '/admin/convergedRecordings', {'from': '9999-12-30T00:00:00Z'}, None),
    ('GET', '/admin/convergedRecordings', {'from': '9999-12-31T23:59:59-23:59', 'to': '9999-12-31T23:59:59Z'}, None),
    ('GET', '/convergedRecordings', {'from': '0001-01-01T00:00:00+23:59'}, None),
    ('GET', '/convergedRecordings', {'from': '2024-13-45T99:99:99Z'}, None),
    ('GET', '/convergedRecordings', {'from': '\x00'}, None),
    ('GET', '/convergedRecordings', {'max': '9' * 5000}, None),
    ('GET', '/convergedRecordings', {'max': '\u0661\u0660\u0660\u0660'}, None),
    ('GET', '/convergedRecordings', {'status': 'deleted', 'cursor': base64.urlsafe_b64encode(DEEP[:40000].encode()).decode()}, None),
    ('GET', '/convergedRecordings', {'status': 'deleted', 'cursor': base64.urlsafe_b64encode(b'{"k": [1e999, "x"], "h": 1}').decode()},
     None),
    ('GET', '/convergedRecordings', {'cursor': '\u00e9\u00e9\u00e9'}, None),
    ('GET', '/admin/convergedRecordings', {'ownerEmail': '\ud7ff@x.y' * 100}, None),
    ('GET', '/admin/convergedRecordings', {'serviceType': '[]', 'topic': '%00'}, None),
    ('GET', '/convergedRecordings/%ff%fe%00', {}, None),
    ('GET', '/convergedRecordings/' + 'x' * 20000, {}, None),
    ('POST', '/convergedRecordings/restore', {}, DEEP),
    ('POST', '/convergedRecordings/restore', {}, '{"recordingIds": [' + '"a",' * 100 + '"b"]}'),
    ('POST', '/convergedRecordings/restore', {}, '{"recordingIds": ["\\ud800"]}'),
    ('POST', '/convergedRecordings/restore', {}, '{"restoreAll": true, "ownerEmail": "\\ud800@x.y"}'),
    ('POST', '/convergedRecordings/purge', {}, '{"recordingIds": [' + '1' * 5000 + ']}'),
    ('POST', '/convergedRecordings/softDelete', {}, '\xff\xfe'),
    ('POST', '/convergedRecordings/softDelete', {}, 'NaN'),
    ('POST', '/convergedRecordings/softDelete', {}, '{"trashAll": true, "trashAll": 1}'),
]


@pytest.mark.parametrize('method, path, params, body', HOSTILE_REQUESTS)
@pytest.mark.parametrize('token', ['admin-token', 'alice-token'])
def test_hostile_inputs_get_a_webex_answer(client, method, path, params, body, token):
    headers = {'Content-Type': 'application/json'} if body is not None else {}
    response = client.request(method, path, token, params=params, headers=headers,
                              data=body.encode('utf-8', 'surrogatepass') if body is not None else None)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert_error(response, response.status_code)
    assert 'internal_error' not in client.simulator.requests()[-1]
    assert client.simulator.counters()['connections'] == 1


def test_a_bug_in_the_api_answers_500_and_is_logged(simulator, client, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError('boom')

    monkeypatch.setattr(simulator.api, 'list_recordings', broken)
    simulator.reset()
    response = client.list('alice-token')
    body = assert_error(response, 500, 'Something went wrong on the server')
    assert 'RuntimeError' in body['message']
    stderr = capsys.readouterr().err
    assert 'internal error answering GET /v1/convergedRecordings' in stderr and 'RuntimeError: boom' in stderr
    assert 'alice-token' not in stderr
    # logged and counted like any answer; the connection is kept
    entry = simulator.requests()[-1]
    assert (entry['status'], entry['internal_error']) == (500, 'RuntimeError: boom')
    assert simulator.counters()['by_status'] == {'500': 1}
    monkeypatch.undo()
    assert client.list('alice-token').status_code == 200
    assert simulator.counters()['connections'] == 1


def test_a_bug_outside_the_api_answers_500_too(simulator, client, capsys, monkeypatch):
    def broken():
        raise KeyError('counters')

    monkeypatch.setattr(simulator, 'counters', broken)
    response = client.control('GET', '/counters')
    assert_error(response, 500, 'KeyError')
    assert response.headers['Connection'] == 'close'
    assert 'internal error answering GET /_sim/counters' in capsys.readouterr().err
    monkeypatch.undo()
    assert client.control('GET', '/health').json() == {'ok': True}


def test_a_bug_in_the_fault_plan_answers_500(simulator, client, capsys, monkeypatch):
    def broken(*args):
        raise ValueError('plan')

    monkeypatch.setattr(simulator.fault_plan, 'decide', broken)
    assert_error(client.list('alice-token'), 500, 'ValueError')
    assert 'ValueError: plan' in capsys.readouterr().err


def test_request_log_keeps_shallow_json_and_truncates_deep_json(simulator, client):
    simulator.reset()
    shallow = {'recordingIds': [[['x']]]}
    client.action('restore', 'alice-token', shallow)
    client.post('/convergedRecordings/restore', 'alice-token', data='[' * 40 + ']' * 40, headers={'Content-Type': 'application/json'})
    entries = client.control('GET', '/requests').json()['requests']
    # 32 levels or fewer: the parsed JSON; deeper: the raw text (at most 1,000 characters)
    assert entries[0]['body'] == shallow
    assert entries[1]['body'] == '[' * 40 + ']' * 40
    assert [entry['status'] for entry in entries] == [400, 400]


@pytest.mark.parametrize('body', [
    {'items': [{'owner_email': 5}]},
    {'items': [{'owner_email': ['alice@example.com']}]},
    {'people': [{'email': {'a': 1}}]},
    {'tokens': [{'token': 't', 'email': 7, 'scopes': []}]},
    {'items': [{'owner_email': 'alice@example.com', 'created_days_ago': 1e308}]},
    {'items': [{'owner_email': 'alice@example.com', 'created_days_ago': float('nan')}]},
    {'generate': {'owners': 10 ** 30}},
    {'generate': {'owners': float('inf')}},
    {'generate': {'owners': 1, 'per_owner': -1}},
    {'generate': {'owners': 1, 'prefix': 5}},
    {'generate': {'owners': 2, 'created_days_ago': [0, 1e308]}},
    {'generate': {'owners': 'many'}},
    {'items': [{'owner_email': 'alice@example.com', 'duration_seconds': 'long'}]},
])
def test_bad_seed_fragments_on_the_control_api_are_400(client, body):
    before = client.simulator.recordings()
    response = client.control('POST', '/recordings', data=json.dumps(body), timeout=10)
    assert_error(response, 400)
    assert client.simulator.recordings() == before
    assert client.control('GET', '/health').json() == {'ok': True}


def test_a_topic_that_is_not_a_string_is_kept_as_text(client):
    client.control('POST', '/recordings', json={'items': [{'owner_email': 'alice@example.com', 'topic': 12345,
                                                           'created_days_ago': 0.1}]})
    response = client.list('alice-token', topic='234')
    assert [item['topic'] for item in response.json()['items']] == ['12345']
