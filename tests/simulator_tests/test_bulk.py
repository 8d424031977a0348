"""restore / softDelete / purge: the published rules, reach, and the simulator's all-or-nothing choice."""

import pytest

from conftest import assert_error, assert_no_content, ids_of, recordings_of

OPERATIONS = {
    # operation: (all flag, status needed, status after)
    'restore': ('restoreAll', 'deleted', 'available'),
    'softDelete': ('trashAll', 'available', 'deleted'),
    'purge': ('purgeAll', 'deleted', 'purged'),
}


def status_of(simulator, recording_id):
    return {item['id']: item['status'] for item in simulator.recordings()}[recording_id]


@pytest.fixture(name='operation', params=sorted(OPERATIONS))
def operation_fixture(request):
    return request.param


def source_ids(simulator, owner, operation):
    return ids_of(recordings_of(simulator, owner, OPERATIONS[operation][1]))


def test_user_acts_on_own_ids(simulator, client, operation):
    flag, dummy, after = OPERATIONS[operation]
    ids = source_ids(simulator, 'alice', operation)[:2]
    assert_no_content(client.action(operation, 'alice-token', {flag: False, 'recordingIds': ids}))
    assert [status_of(simulator, recording_id) for recording_id in ids] == [after, after]


def test_null_counts_as_absent(simulator, client, operation):
    flag, dummy, after = OPERATIONS[operation]
    ids = source_ids(simulator, 'alice', operation)[:1]
    assert_no_content(client.action(operation, 'alice-token', {flag: None, 'ownerEmail': None, 'recordingIds': ids}))
    assert status_of(simulator, ids[0]) == after


def test_user_all_flag_acts_on_every_own_recording_whatever_its_age(simulator, client, operation):
    flag, source, after = OPERATIONS[operation]
    ids = source_ids(simulator, 'alice', operation)
    assert len(ids) >= 3
    bob_before = recordings_of(simulator, 'bob')
    assert_no_content(client.action(operation, 'alice-token', {flag: True, 'ownerEmail': None, 'recordingIds': None}))
    assert all(status_of(simulator, recording_id) == after for recording_id in ids)
    assert recordings_of(simulator, 'alice', source) == []
    assert recordings_of(simulator, 'bob') == bob_before


def test_admin_all_flag_acts_on_owner(simulator, client, operation):
    flag, source, dummy = OPERATIONS[operation]
    alice_before = recordings_of(simulator, 'alice')
    assert_no_content(client.action(operation, 'admin-token', {flag: True, 'ownerEmail': 'Bob@Example.com'}))
    assert recordings_of(simulator, 'bob', source) == []
    assert recordings_of(simulator, 'alice') == alice_before


def test_admin_acts_on_any_ids_of_its_org(simulator, client, operation):
    flag, dummy, after = OPERATIONS[operation]
    ids = source_ids(simulator, 'alice', operation)[:1] + source_ids(simulator, 'carol', operation)[:1]
    assert_no_content(client.action(operation, 'admin-token', {flag: False, 'recordingIds': ids}))
    assert [status_of(simulator, recording_id) for recording_id in ids] == [after, after]


def test_admin_all_flag_without_owner_email_is_400(simulator, client, operation):
    flag = OPERATIONS[operation][0]
    before = simulator.recordings()
    for body in ({flag: True}, {flag: True, 'ownerEmail': None}, {flag: True, 'ownerEmail': ''}):
        assert_error(client.action(operation, 'admin-token', body), 400, 'ownerEmail should not be empty')
    assert simulator.recordings() == before


def test_user_all_flag_with_owner_email_is_400_even_its_own(simulator, client, operation):
    flag = OPERATIONS[operation][0]
    before = simulator.recordings()
    for email in ('alice@example.com', 'bob@example.com'):
        assert_error(client.action(operation, 'alice-token', {flag: True, 'ownerEmail': email}), 400, 'ownerEmail should be empty')
    assert simulator.recordings() == before


def test_all_flag_with_ids_is_400(simulator, client, operation):
    flag = OPERATIONS[operation][0]
    ids = source_ids(simulator, 'bob', operation)[:1]
    before = simulator.recordings()
    assert_error(client.action(operation, 'admin-token', {flag: True, 'ownerEmail': 'bob@example.com', 'recordingIds': ids}),
                 400, 'recordingIds should be empty')
    assert_error(client.action(operation, 'bob-token', {flag: True, 'recordingIds': ids}), 400, 'recordingIds should be empty')
    assert simulator.recordings() == before


def test_ids_with_owner_email_is_400(simulator, client, operation):
    flag = OPERATIONS[operation][0]
    ids = source_ids(simulator, 'bob', operation)[:1]
    before = simulator.recordings()
    for body in ({'recordingIds': ids, 'ownerEmail': 'bob@example.com'}, {flag: False, 'recordingIds': ids, 'ownerEmail': 'x@y.z'}):
        assert_error(client.action(operation, 'admin-token', body), 400, 'ownerEmail should be empty')
    assert simulator.recordings() == before


@pytest.mark.parametrize('body', [{}, {'recordingIds': []}, {'recordingIds': None}, {'ownerEmail': None}])
def test_without_ids_is_400(simulator, client, operation, body):
    before = simulator.recordings()
    assert_error(client.action(operation, 'alice-token', body), 400, 'recordingIds should not be empty')
    assert simulator.recordings() == before


def test_101_ids_is_400_and_100_is_checked_normally(simulator, client, operation):
    before = simulator.recordings()
    assert_error(client.action(operation, 'admin-token', {'recordingIds': ['id-%d' % n for n in range(101)]}), 400, 'at most 100')
    # 100 unknown ids pass the size rule and fail on the ids instead
    assert_error(client.action(operation, 'admin-token', {'recordingIds': ['id-%d' % n for n in range(100)]}), 404, 'id-99')
    assert simulator.recordings() == before


def test_100_ids_succeed(simulator, client):
    simulator.add_recordings({'generate': {'owners': 1, 'per_owner': 100, 'status': 'deleted', 'domain': 'example.com'}})
    ids = ids_of(simulator.recordings(owner_email='user0000@example.com'))
    assert len(ids) == 100
    assert_no_content(client.action('restore', 'admin-token', {'recordingIds': ids}))
    assert {item['status'] for item in simulator.recordings(owner_email='user0000@example.com')} == {'available'}


@pytest.mark.parametrize('raw, content_type', [('not json', 'application/json'), ('[1, 2]', 'application/json'),
                                               ('"text"', 'application/json'), ('{"recordingIds": "abc"}', 'application/json'),
                                               ('{"recordingIds": [1, 2]}', 'application/json')])
def test_malformed_body_is_400(simulator, client, raw, content_type):
    before = simulator.recordings()
    response = client.post('/convergedRecordings/restore', 'alice-token', data=raw, headers={'Content-Type': content_type})
    assert_error(response, 400)
    assert simulator.recordings() == before


@pytest.mark.parametrize('body', [{'restoreAll': 'true'}, {'restoreAll': 1}, {'ownerEmail': 5, 'restoreAll': True}])
def test_wrong_types_are_400(simulator, client, body):
    before = simulator.recordings()
    assert_error(client.action('restore', 'admin-token', body), 400, 'must be')
    assert simulator.recordings() == before


def test_admin_malformed_owner_email_is_400_unknown_owner_is_404(simulator, client):
    before = simulator.recordings()
    assert_error(client.action('restore', 'admin-token', {'restoreAll': True, 'ownerEmail': 'not-an-email'}), 400, 'not a valid email')
    assert_error(client.action('restore', 'admin-token', {'restoreAll': True, 'ownerEmail': 'ghost@example.com'}), 404, 'ghost@example.com')
    assert simulator.recordings() == before


def test_all_flag_with_nothing_to_do_is_204(simulator, client):
    assert_no_content(client.action('restore', 'alice-token', {'restoreAll': True}))
    before = simulator.recordings()
    assert_no_content(client.action('restore', 'alice-token', {'restoreAll': True}))
    assert simulator.recordings() == before


def test_user_cannot_reach_another_users_ids(simulator, client, operation):
    mine = source_ids(simulator, 'alice', operation)[:1]
    bobs = source_ids(simulator, 'bob', operation)[:1]
    before = simulator.recordings()
    body = assert_error(client.action(operation, 'alice-token', {'recordingIds': mine + bobs}), 404, bobs[0])
    assert mine[0] not in body['message']
    assert simulator.recordings() == before


def test_admin_cannot_reach_another_org(two_orgs):
    simulator = two_orgs.simulator
    before = simulator.recordings()
    dave_deleted = 'dddddddd-0000-5000-8000-000000000002'
    assert_error(two_orgs.action('restore', 'admin-token', {'recordingIds': [dave_deleted]}), 404, dave_deleted)
    assert_error(two_orgs.action('restore', 'admin-token', {'restoreAll': True, 'ownerEmail': 'dave@other.example.com'}), 404)
    alice_deleted = recordings_of(simulator, 'alice', 'deleted')[0]['id']
    assert_error(two_orgs.action('restore', 'other-admin-token', {'recordingIds': [alice_deleted]}), 404, alice_deleted)
    assert simulator.recordings() == before
    assert_no_content(two_orgs.action('restore', 'other-admin-token', {'recordingIds': [dave_deleted]}))
    assert status_of(simulator, dave_deleted) == 'available'


def test_unknown_or_purged_id_refuses_the_whole_request(simulator, client, operation):
    good = source_ids(simulator, 'alice', operation)[:2]
    purged = ids_of(recordings_of(simulator, 'alice', 'purged'))[:1]
    before = simulator.recordings()
    body = assert_error(client.action(operation, 'alice-token', {'recordingIds': good + ['no-such-id'] + purged}), 404)
    assert 'no-such-id' in body['message'] and purged[0] in body['message']
    assert good[0] not in body['message']
    assert simulator.recordings() == before


def test_id_in_wrong_state_refuses_the_whole_request(simulator, client, operation):
    dummy, source, dummy = OPERATIONS[operation]
    good = source_ids(simulator, 'alice', operation)[:2]
    wrong_status = 'available' if source == 'deleted' else 'deleted'
    wrong = ids_of(recordings_of(simulator, 'alice', wrong_status))[:1]
    before = simulator.recordings()
    body = assert_error(client.action(operation, 'alice-token', {'recordingIds': good + wrong}), 400, wrong[0])
    assert good[0] not in body['message']
    assert simulator.recordings() == before


def test_restore_of_available_is_400_not_idempotent(simulator, client):
    recording_id = source_ids(simulator, 'alice', 'restore')[0]
    assert_no_content(client.action('restore', 'alice-token', {'recordingIds': [recording_id]}))
    assert_error(client.action('restore', 'alice-token', {'recordingIds': [recording_id]}), 400, recording_id)


def test_duplicate_ids_count_once(simulator, client):
    recording_id = source_ids(simulator, 'alice', 'restore')[0]
    assert_no_content(client.action('restore', 'alice-token', {'recordingIds': [recording_id, recording_id]}))
    assert status_of(simulator, recording_id) == 'available'


def test_purged_is_final(simulator, client):
    recording_id = source_ids(simulator, 'alice', 'purge')[0]
    assert_no_content(client.action('purge', 'alice-token', {'recordingIds': [recording_id]}))
    assert_error(client.action('restore', 'alice-token', {'recordingIds': [recording_id]}), 404, recording_id)
    assert_error(client.get('/convergedRecordings/' + recording_id, 'alice-token'), 404)


@pytest.mark.parametrize('depth', [1000, 100000])
def test_deeply_nested_body_is_400(simulator, client, depth):
    # 100,000 levels used to drop the connection (RecursionError in the JSON decoder)
    before = simulator.recordings()
    simulator.reset()
    raw = '{"recordingIds": ' + '[' * depth + ']' * depth + '}'
    response = client.post('/convergedRecordings/restore', 'alice-token', data=raw, headers={'Content-Type': 'application/json'})
    assert_error(response, 400)
    assert simulator.recordings() == before
    # logged (as raw text: too deep to keep as JSON), and the log still encodes
    entry = client.control('GET', '/requests').json()['requests'][-1]
    assert entry['status'] == 400 and isinstance(entry['body'], str) and len(entry['body']) == 1000
    assert client.simulator.counters()['connections'] == 1


def test_deeply_nested_control_body_is_400(client):
    response = client.control('PUT', '/faults', data='[' * 100000 + ']' * 100000)
    assert_error(response, 400, 'JSON')
    assert client.control('GET', '/faults').json() == {'faults': []}


@pytest.mark.parametrize('content_type', [None, 'text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded',
                                          'application/xml', 'multipart/form-data; boundary=x', 'application/jsonx', ''])
def test_body_that_is_not_declared_json_is_415(simulator, client, operation, content_type):
    flag, dummy, dummy = OPERATIONS[operation]
    before = simulator.recordings()
    headers = {} if content_type is None else {'Content-Type': content_type}
    response = client.post('/convergedRecordings/%s' % operation, 'alice-token', headers=headers,
                           data='{"%s": true}' % flag)
    body = assert_error(response, 415, 'application/json')
    assert 'Unsupported media type' in body['message']
    assert simulator.recordings() == before


@pytest.mark.parametrize('content_type', ['application/json', 'application/json;charset=UTF-8', 'application/json; charset=utf-8',
                                          'Application/JSON', 'application/json ; charset="utf-8"'])
def test_json_media_type_with_parameters_is_accepted(simulator, client, content_type):
    assert_no_content(client.post('/convergedRecordings/restore', 'alice-token', data='{"restoreAll": true}',
                                  headers={'Content-Type': content_type}))
    assert recordings_of(simulator, 'alice', 'deleted') == []


def test_empty_body_needs_no_content_type(client):
    # No body at all: nothing to declare. It counts as {} and breaks the id rule (400), it is not a 415.
    assert_error(client.post('/convergedRecordings/restore', 'alice-token'), 400, 'recordingIds should not be empty')
    assert_error(client.post('/convergedRecordings/restore', 'alice-token', headers={'Content-Type': 'text/plain'}),
                 400, 'recordingIds should not be empty')


def test_media_type_is_checked_after_authentication_and_scope(client):
    headers = {'Content-Type': 'text/plain'}
    assert_error(client.post('/convergedRecordings/restore', None, data='{}', headers=headers), 401)
    assert_error(client.post('/convergedRecordings/restore', 'reader-token', data='{}', headers=headers), 403)
    assert_error(client.get('/convergedRecordings/restore', 'alice-token', data='{}', headers=headers), 405)
