"""Meetings softDelete / restore / purge: (host, site) batches, hostEmail, site admins, and both readings of the unknowns."""

import json

import pytest

from conftest import assert_error, assert_no_content
from meetings_support import EU, US, R, action, choices_client, list_all, snapshot, statuses


def test_user_restores_own_ids_on_the_preferred_site(simulator, client):
    assert_no_content(action(client, 'restore', 'alice-token', {'restoreAll': False, 'recordingIds': [R[3], R[4]]}))
    assert statuses(simulator, 3, 4, 6) == ['available', 'available', 'deleted']
    entry = simulator.requests()[-1]
    assert entry['path'] == '/v1/recordings/restore' and entry['query'] == {} and entry['status'] == 204


def test_ids_on_another_site_are_not_found_there(simulator, client):
    before = snapshot(simulator)
    # recording 5 is alice's on the EU site; without siteUrl the call means her preferred (US) site
    assert_error(action(client, 'restore', 'alice-token', {'recordingIds': [R[5]]}), 404, R[5])
    assert_error(action(client, 'restore', 'alice-token', {'recordingIds': [R[3], R[5]], 'siteUrl': US}), 404, R[5])
    assert snapshot(simulator) == before
    assert_no_content(action(client, 'restore', 'alice-token', {'recordingIds': [R[5]], 'siteUrl': EU}))
    assert statuses(simulator, 5, 3) == ['available', 'deleted']


def test_all_or_nothing_refusals(simulator, client):
    before = snapshot(simulator)
    unknown = '0' * 32
    assert_error(action(client, 'restore', 'alice-token', {'recordingIds': [R[3], unknown]}), 404, unknown)
    # already available: 400 naming it
    assert_error(action(client, 'restore', 'alice-token', {'recordingIds': [R[3], R[1]]}), 400, R[1])
    # purged: gone
    assert_error(action(client, 'restore', 'alice-token', {'recordingIds': [R[8]]}), 404, R[8])
    # shared with alice, hosted by bob: only the host restores
    assert_error(action(client, 'restore', 'alice-token', {'recordingIds': [R[11]]}), 404, R[11])
    # another host's
    assert_error(action(client, 'restore', 'alice-token', {'recordingIds': [R[10]]}), 404, R[10])
    assert snapshot(simulator) == before


def test_partial_reading_acts_on_what_it_can():
    with choices_client(ids='partial') as client:
        simulator = client.simulator
        unknown = '0' * 32
        body = {'recordingIds': [R[3], R[5], R[1], R[8], R[11], unknown, R[3]]}
        assert_no_content(action(client, 'restore', 'alice-token', body))
        # only 3 (alice's, US, in the bin) is restored; the rest are skipped, nothing else changes
        assert statuses(simulator, 3, 5, 1, 8, 11) == ['available', 'deleted', 'available', 'purged', 'deleted']
        # rule violations stay 400 under either reading
        assert_error(action(client, 'restore', 'alice-token', {'recordingIds': [unknown] * 50 + ['1' * 32] * 51}), 400, 'at most 100')
        assert_error(action(client, 'restore', 'alice-token', {'recordingIds': []}), 400, 'should not be empty')


def test_id_count_rules(simulator, client):
    before = snapshot(simulator)
    hundred_one = ['%032x' % number for number in range(101)]
    assert_error(action(client, 'restore', 'alice-token', {'recordingIds': hundred_one}), 400, 'at most 100')
    assert_error(action(client, 'restore', 'alice-token', {'recordingIds': []}), 400, 'should not be empty')
    assert_error(action(client, 'restore', 'alice-token', {}), 400, 'should not be empty')
    assert_error(action(client, 'restore', 'alice-token', {'restoreAll': True, 'recordingIds': [R[3]]}), 400, 'should be empty')
    assert_error(action(client, 'purge', 'alice-token', {'purgeAll': True, 'recordingIds': [R[3]]}), 400, 'should be empty')
    assert snapshot(simulator) == before
    # 100 ids, duplicates counted once
    assert_no_content(action(client, 'restore', 'alice-token', {'recordingIds': [R[3]] * 60 + [R[4]] * 40}))
    assert statuses(simulator, 3, 4) == ['available', 'available']


def test_restore_all_is_one_host_on_one_site(simulator, client):
    # erin: 17 on EU (her preferred site), 18 on US
    assert_no_content(action(client, 'restore', 'admin-token', {'restoreAll': True}, host='erin@example.com'))
    assert statuses(simulator, 17, 18) == ['available', 'deleted']
    assert_no_content(action(client, 'restore', 'admin-token', {'restoreAll': True, 'siteUrl': US}, host='erin@example.com'))
    assert statuses(simulator, 17, 18) == ['available', 'available']
    # nobody else was touched
    assert statuses(simulator, 3, 10, 14, 21) == ['deleted'] * 4
    # nothing left to restore: 204
    assert_no_content(action(client, 'restore', 'admin-token', {'restoreAll': True}, host='erin@example.com'))


def test_user_restore_all_is_its_preferred_site_whatever_the_age(simulator, client):
    assert_no_content(action(client, 'restore', 'alice-token', {'restoreAll': True}))
    # 3, 4, 6 (12 days) and 7 (40 days) on US; 5 (EU) stays; bob's 11 (shared with alice) stays
    assert statuses(simulator, 3, 4, 6, 7, 5, 11) == ['available'] * 4 + ['deleted', 'deleted']
    assert_no_content(action(client, 'restore', 'alice-token', {'restoreAll': True, 'siteUrl': 'EXAMPLE-EU.webex.com'}))
    assert statuses(simulator, 5) == ['available']


def test_host_email_needs_the_admin_write_scope(simulator, client):
    before = snapshot(simulator)
    for host in ('bob@example.com', 'alice@example.com'):
        assert_error(action(client, 'restore', 'alice-token', {'restoreAll': True}, host=host), 403, 'hostEmail')
    assert snapshot(simulator) == before


def test_host_email_with_a_user_token_ignored_under_the_other_reading():
    with choices_client(email_for_users='ignored') as client:
        assert_no_content(action(client, 'restore', 'alice-token', {'restoreAll': True}, host='bob@example.com'))
        # the caller's own bin (preferred site), not bob's
        assert statuses(client.simulator, 3, 4, 10) == ['available', 'available', 'deleted']


def test_admin_acts_for_a_host_on_sites_it_administers(simulator, client):
    before = snapshot(simulator)
    # eu-admin is not a site admin of example.webex.com (alice's preferred site)
    assert_error(action(client, 'restore', 'eu-admin-token', {'recordingIds': [R[3]]}, host='alice@example.com'), 403, 'not a site admin')
    assert_error(action(client, 'restore', 'eu-admin-token', {'restoreAll': True, 'siteUrl': US}, host='alice@example.com'),
                 403, 'not a site admin')
    assert snapshot(simulator) == before
    assert_no_content(action(client, 'restore', 'eu-admin-token', {'recordingIds': [R[5]], 'siteUrl': EU}, host='alice@example.com'))
    assert_no_content(action(client, 'restore', 'eu-admin-token', {'restoreAll': True}, host='carol@example.com'))
    assert statuses(simulator, 5, 14, 15, 16, 3) == ['available'] * 4 + ['deleted']


def test_admin_without_host_email_acts_as_a_host_itself(simulator, client):
    assert_error(action(client, 'restore', 'admin-token', {'recordingIds': [R[3]]}), 404, R[3])
    assert_no_content(action(client, 'restore', 'admin-token', {'recordingIds': [R[21]]}))
    assert statuses(simulator, 21, 3) == ['available', 'deleted']


def test_unknown_or_malformed_host_and_site(simulator, client):
    before = snapshot(simulator)
    assert_error(action(client, 'restore', 'admin-token', {'restoreAll': True}, host='ghost@example.com'), 404, 'ghost@example.com')
    assert_error(action(client, 'restore', 'admin-token', {'restoreAll': True}, host='ghost'), 400, 'hostEmail')
    assert_error(action(client, 'restore', 'alice-token', {'restoreAll': True, 'siteUrl': 'nowhere.webex.com'}), 404, 'Site not found')
    assert snapshot(simulator) == before


def test_host_without_a_preferred_site_must_name_one():
    with choices_client() as client:
        client.control('POST', '/recordings', params={'api': 'meetings'}, json={
            'people': [{'email': 'nosite@example.com'}],
            'tokens': [{'token': 'nosite-token', 'email': 'nosite@example.com',
                        'scopes': ['meeting:recordings_read', 'meeting:recordings_write']}]})
        assert_error(action(client, 'restore', 'nosite-token', {'restoreAll': True}), 400, 'no preferred site')
        assert_error(action(client, 'restore', 'admin-token', {'restoreAll': True}, host='nosite@example.com'), 400, 'no preferred site')
        assert_no_content(action(client, 'restore', 'nosite-token', {'restoreAll': True, 'siteUrl': US}))


@pytest.mark.parametrize('body, fragment', [
    ({'restoreAll': True, 'hostEmail': 'bob@example.com'}, 'hostEmail'),
    ({'restoreAll': True, 'ownerEmail': 'bob@example.com'}, 'ownerEmail'),
    ({'restoreAll': 'yes'}, 'boolean'),
    ({'recordingIds': 'abc'}, 'array of strings'),
    ({'recordingIds': [1, 2]}, 'array of strings'),
    ({'restoreAll': True, 'siteUrl': 7}, 'siteUrl must be a string'),
    ([R[3]], 'JSON object'),
])
def test_bad_bodies(simulator, client, body, fragment):
    before = snapshot(simulator)
    assert_error(action(client, 'restore', 'admin-token', body), 400, fragment)
    assert snapshot(simulator) == before


def test_media_type_and_json(simulator, client):
    before = snapshot(simulator)
    body = json.dumps({'recordingIds': [R[3]]})
    response = client.post('/recordings/restore', 'alice-token', data=body, headers={'Content-Type': 'text/plain'})
    assert_error(response, 415, 'media type')
    response = client.post('/recordings/restore', 'alice-token', data='{not json', headers={'Content-Type': 'application/json'})
    assert_error(response, 400, 'not valid JSON')
    assert snapshot(simulator) == before
    response = client.post('/recordings/restore', 'alice-token', data=body, headers={'Content-Type': 'application/json;charset=UTF-8'})
    assert_no_content(response)


def test_write_scopes(simulator, client):
    before = snapshot(simulator)
    for operation in ('restore', 'softDelete', 'purge'):
        # reader-token has meeting:recordings_read only; compliance-token no meeting scope at all
        assert_error(action(client, operation, 'reader-token', {'recordingIds': [R[3]]}), 403, 'meeting:recordings_write')
        assert_error(action(client, operation, 'compliance-token', {'recordingIds': [R[3]]}), 403, 'meeting:admin_recordings_write')
    assert_error(action(client, 'restore', 'nobody', {'recordingIds': [R[3]]}), 401)
    assert snapshot(simulator) == before


def test_soft_delete_then_restore_round_trip(simulator, client):
    assert_no_content(action(client, 'softDelete', 'alice-token', {'recordingIds': [R[1]]}))
    assert statuses(simulator, 1) == ['deleted']
    alice_bin = [item['id'] for item in list_all(client, 'alice-token', status='deleted')[0]]
    bob_bin = {item['id']: item['shareToMe'] for item in list_all(client, 'bob-token', status='deleted')[0]}
    assert R[1] in alice_bin and bob_bin[R[1]] is True
    assert R[1] not in [item['id'] for item in list_all(client, 'alice-token')[0]]
    # in the bin: a second softDelete is 400, bob (a sharee) cannot restore it, alice can
    assert_error(action(client, 'softDelete', 'alice-token', {'recordingIds': [R[1]]}), 400, R[1])
    assert_error(action(client, 'restore', 'bob-token', {'recordingIds': [R[1]]}), 404, R[1])
    assert_no_content(action(client, 'restore', 'alice-token', {'recordingIds': [R[1]]}))
    assert statuses(simulator, 1) == ['available']
    assert R[1] in [item['id'] for item in list_all(client, 'alice-token')[0]]


def test_soft_delete_has_no_all_flag(simulator, client):
    before = snapshot(simulator)
    assert_error(action(client, 'softDelete', 'alice-token', {}), 400, 'recordingIds should not be empty.')
    assert_error(action(client, 'softDelete', 'alice-token', {'trashAll': True}), 400, 'recordingIds should not be empty')
    assert_error(action(client, 'softDelete', 'alice-token', {'restoreAll': True}), 400, 'recordingIds should not be empty')
    assert snapshot(simulator) == before


def test_admin_soft_deletes_for_a_host(simulator, client):
    assert_no_content(action(client, 'softDelete', 'admin-token', {'recordingIds': [R[2]], 'siteUrl': EU}, host='alice@example.com'))
    assert statuses(simulator, 2) == ['deleted']


def test_purge_all_for_a_host_and_site(simulator, client):
    assert_no_content(action(client, 'purge', 'admin-token', {'purgeAll': True, 'siteUrl': EU}, host='carol@example.com'))
    assert statuses(simulator, 14, 15, 16, 13) == ['purged', 'purged', 'purged', 'available']
    # purged: out of every listing, not restorable
    assert list_all(client, 'admin-token', hostEmail='carol@example.com', status='deleted')[0] == []
    assert_error(action(client, 'restore', 'admin-token', {'recordingIds': [R[14]], 'siteUrl': EU}, host='carol@example.com'), 404, R[14])
