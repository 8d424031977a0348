# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""webex_recording_restore with a selection, against the simulator in-process: server filters, a
creation window, every owner of the organization, the max_restores cap, and their request counts."""

import math

import pytest

from fixtures import ALICE_TOKEN

W = 13
ADMIN_LIST = '/v1/admin/convergedRecordings'
USER_LIST = '/v1/convergedRecordings'


def populate(webex):
    """150 deleted calls at L1, 20 at L2, customerAssist ones, a workspace's and a virtual line's."""
    for index in range(150):
        webex.add('l1-%03d' % index, owner='user%d@example.com' % (index % 3), location_id='L1', days_ago=5)
    for index in range(20):
        webex.add('l2-%02d' % index, owner='bob@example.com', location_id='L2', days_ago=40)
    for index in range(5):
        webex.add('ca-%d' % index, owner='alice@example.com', location_id='L2', service_type='customerAssist', days_ago=3)
    webex.add('ws-1', owner='lobby@places.example.com', location_id='L1', days_ago=2)
    webex.add('vl-1', owner='hotline@lines.example.com', location_id='L3', days_ago=2)
    webex.add('l1-available', owner='bob@example.com', status='available', location_id='L1')


def test_all_owners_with_a_location_restores_exactly_the_selection_by_id(run_module, webex):
    populate(webex)
    outcome = run_module({'all_owners': True, 'location_id': 'L1', 'max_restores': 151})
    result = outcome.result
    assert not outcome.failed, result.get('msg')
    assert sorted(result['restored']) == sorted(['l1-%03d' % index for index in range(150)] + ['ws-1'])
    assert result['strategy'] == 'org_sweep'
    assert result['selection'] == {'whose': 'all_owners', 'filters': {'location_id': 'L1'}, 'lookback_days': 365}
    # W windows (151 in the newest: one extra page); writes: ceil(151 / 100)
    assert result['requests'] == {'reads': W + 1, 'writes': 2, 'retries': 0}
    assert all(call['query'].get('locationId') == 'L1' for call in webex.reads() if 'from' in call['query'])
    assert all('recordingIds' in call['body'] for call in webex.writes())
    assert webex.status('l2-00') == 'deleted' and webex.status('vl-1') == 'deleted'
    assert result['owners']['lobby@places.example.com']['restored'] == ['ws-1']
    assert len(result['owners']['user0@example.com']['restored']) == 50


def test_all_owners_reports_the_type_of_each_owner(run_module, webex):
    # Owners of every type, with and without email (a workspace and a virtual line without one are keyed by owner id).
    webex.sim.add_recordings({'people': [{'id': 'WS-LOBBY', 'type': 'place'}, {'id': 'VL-HOTLINE', 'type': 'virtualLine'}],
                              'items': [{'id': 'ws-2', 'owner_id': 'WS-LOBBY', 'status': 'deleted', 'created_days_ago': 2},
                                        {'id': 'vl-2', 'owner_id': 'VL-HOTLINE', 'status': 'deleted', 'created_days_ago': 2}]})
    webex.add('u-1', owner='bob@example.com', days_ago=2)
    webex.add('ws-1', owner='lobby@places.example.com', days_ago=2)
    webex.add('vl-1', owner='hotline@lines.example.com', days_ago=2)
    for check_mode in (True, False):
        result = run_module({'all_owners': True, 'max_restores': 10}, check_mode=check_mode).result
        assert dict((owner, entry['owner_type']) for owner, entry in result['owners'].items()) == {
            'bob@example.com': 'user', 'lobby@places.example.com': 'place', 'hotline@lines.example.com': 'virtualLine',
            'WS-LOBBY': 'place', 'VL-HOTLINE': 'virtualLine'}
        # Converged lists no display name: the entries carry no owner_name, and nothing per recording.
        assert all(set(entry) == {'restored', 'failed', 'unknown', 'tracking_id', 'owner_type'} for entry in result['owners'].values())
        assert result['owners']['WS-LOBBY']['restored'] == ['ws-2'] and 'recordings' not in result
    # Costs nothing more: the type comes with the listing (W reads, one restore by id).
    assert result['requests'] == {'reads': W, 'writes': 1, 'retries': 0}


def test_an_owner_with_nothing_found_has_an_unknown_type(run_module, webex):
    webex.add('u-1', owner='bob@example.com', days_ago=2)
    result = run_module({'restore_all': True, 'owner_email': 'carol@example.com'}).result
    assert result['owners'] == {'carol@example.com': {'restored': [], 'failed': [], 'unknown': [], 'tracking_id': None,
                                                      'owner_type': None}}
    assert result['nothing_found'] == ['carol@example.com']


def test_a_combination_of_filters(run_module, webex):
    populate(webex)
    result = run_module({'all_owners': True, 'location_id': 'L2', 'service_type': 'customerAssist', 'max_restores': 10}).result
    assert sorted(result['restored']) == ['ca-%d' % index for index in range(5)]
    assert result['requests'] == {'reads': W, 'writes': 1, 'retries': 0}
    query = webex.reads()[0]['query']
    assert query['locationId'] == 'L2' and query['serviceType'] == 'customerAssist'


@pytest.mark.parametrize('check_mode', [True, False])
def test_the_cap_refuses_before_any_write(run_module, webex, check_mode):
    populate(webex)
    outcome = run_module({'all_owners': True, 'max_restores': 100}, check_mode=check_mode)
    assert outcome.failed
    assert 'max_restores' in outcome.result['msg'] and '177 recording(s)' in outcome.result['msg'] and 'max_restores=100' in outcome.result['msg']
    assert outcome.result['selected'] == 177 and outcome.result['changed'] is False and outcome.result['restored'] == []
    assert webex.writes() == [] and outcome.result['requests']['writes'] == 0
    assert webex.status('l1-000') == 'deleted'


def test_the_cap_allows_in_check_mode_then_for_real(run_module, webex):
    populate(webex)
    check = run_module({'all_owners': True, 'max_restores': 177}, check_mode=True).result
    assert check['changed'] is True and len(check['restored']) == 177 and webex.writes() == []
    real = run_module({'all_owners': True, 'max_restores': 177}).result
    assert sorted(real['restored']) == sorted(check['restored'])
    assert real['requests']['writes'] == math.ceil(177 / 100)
    again = run_module({'all_owners': True, 'max_restores': 0}).result
    assert again['changed'] is False and again['requests']['writes'] == 0


def test_all_owners_with_a_user_token_is_refused_after_one_read(run_module, webex):
    populate(webex)
    outcome = run_module({'all_owners': True, 'max_restores': 10, 'access_token': ALICE_TOKEN})
    assert outcome.failed and 'all_owners' in outcome.result['msg'] and 'administrator' in outcome.result['msg']
    assert outcome.result['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}
    assert [call['path'] for call in webex.calls()] == [ADMIN_LIST]


def test_own_bin_with_a_filter_restores_by_id_not_restore_all(run_module, webex):
    populate(webex)
    result = run_module({'restore_all': True, 'service_type': 'customerAssist', 'access_token': ALICE_TOKEN}).result
    assert sorted(result['restored']) == ['ca-%d' % index for index in range(5)]
    # no role read: a filtered selection is restored by id, which an administrator may do for its own bin too
    assert result['requests'] == {'reads': W, 'writes': 1, 'retries': 0}
    assert {call['path'] for call in webex.reads()} == {USER_LIST}
    assert webex.writes()[0]['body'] == {'recordingIds': sorted(result['restored'], key=result['restored'].index)}


def test_one_owner_in_a_creation_window(run_module, webex):
    populate(webex)
    result = run_module({'restore_all': True, 'owner_email': 'bob@example.com', 'created_after': _days_ago(60),
                         'created_before': _days_ago(30)}).result
    assert sorted(result['restored']) == ['l2-%02d' % index for index in range(20)]
    assert result['requests'] == {'reads': 2, 'writes': 1, 'retries': 0}   # 30 days: 2 windows of at most 29
    assert 'restoreAll' not in webex.writes()[0]['body']
    assert result['owners']['bob@example.com']['restored'] == result['restored']


def test_owner_emails_with_a_filter(run_module, webex):
    populate(webex)
    result = run_module({'owner_emails': ['user1@example.com', 'bob@example.com'], 'location_id': 'L1', 'max_restores': 60}).result
    assert len(result['owners']['user1@example.com']['restored']) == 50
    assert result['owners']['bob@example.com']['restored'] == []
    # one more read: nothing of bob in this selection (L1); is anything of bob's in the bin of the newest window?
    # bob's are 40 days old: nothing found there either, and the warning says what was looked at
    assert result['requests'] == {'reads': W + 1 + 1, 'writes': 1, 'retries': 0}
    assert result['nothing_found'] == ['bob@example.com']


@pytest.mark.parametrize('args, fragments', [
    ({'all_owners': True}, ['all_owners requires max_restores']),
    ({'all_owners': True, 'restore_all': True, 'max_restores': 1}, ['restore_all and all_owners are mutually exclusive']),
    ({'all_owners': True, 'owner_emails': ['a@example.com'], 'max_restores': 1}, ['owner_emails and all_owners are mutually exclusive']),
    ({'all_owners': False}, ['nothing to restore']),
    ({'recording_ids': ['a'], 'location_id': 'L1'}, ['mutually exclusive', 'recording_ids|location_id']),
    ({'recording_ids': ['a'], 'created_after': '2026-01-01'}, ['mutually exclusive', 'recording_ids|created_after']),
    ({'all_owners': True, 'max_restores': -1}, ['max_restores must be 0 or more']),
    ({'all_owners': True, 'max_restores': 5, 'created_after': '2999-01-01'}, ['created_after must not be in the future']),
    ({'all_owners': True, 'max_restores': 5, 'created_after': '2026-11-02', 'created_before': '2026-11-01'},
     ['must be before created_before']),
    ({'all_owners': True, 'max_restores': 5, 'owner_type': 'callQueue'}, ['owner_type', 'place']),
    ({'all_owners': True, 'max_restores': 5, 'service_type': 'meetings'}, ['service_type', 'customerAssist']),
    ({'all_owners': True, 'max_restores': 5, 'topic': ' '}, ['topic must not be empty']),
])
def test_selection_rules_are_refused_before_any_request(run_module, webex, args, fragments):
    outcome = run_module(args)
    assert outcome.failed, outcome.result
    for fragment in fragments:
        assert fragment in outcome.result['msg'], outcome.result['msg']
    assert webex.calls() == []


def _days_ago(days):
    from datetime import datetime, timedelta, timezone
    return (datetime.now(timezone.utc) - timedelta(days=days)).strftime('%Y-%m-%dT%H:%M:%SZ')
