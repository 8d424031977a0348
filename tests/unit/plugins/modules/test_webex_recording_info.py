# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""webex_recording_info against the simulator in-process: what each selection holds, counts equal
to the simulator's truth, request counts, no write ever, check mode the same, refusals."""

import pytest
import yaml

from ansible_collections.webexops.recordings.plugins.module_utils._selection import selection_argument_spec
from ansible_collections.webexops.recordings.plugins.modules import webex_recording_info

from fixtures import ALICE_TOKEN
from test_webex_recording_restore_selection import populate

W = 13


def truth(webex, status='deleted', **where):
    """Ids of the simulator's recordings with that status whose API fields equal ``where``."""
    found = []
    for item in webex.sim.recordings():
        if item['status'] != status:
            continue
        fields = dict(item, locationId=(item.get('serviceData') or {}).get('locationId'))
        if all(fields.get(key) == value for key, value in where.items()):
            found.append(item['id'])
    return sorted(found)


@pytest.mark.parametrize('check_mode', [False, True])
def test_all_owners_lists_the_organization_bin(run_info, webex, check_mode):
    populate(webex)
    outcome = run_info({'all_owners': True}, check_mode=check_mode)
    result = outcome.result
    assert not outcome.failed, result.get('msg')
    assert result['changed'] is False
    assert sorted(item['id'] for item in result['recordings']) == truth(webex)
    assert result['count'] == len(truth(webex)) == 177
    assert result['count_by_owner']['lobby@places.example.com'] == 1 and result['count_by_owner']['bob@example.com'] == 20
    assert sum(result['count_by_owner'].values()) == result['count']
    assert result['requests'] == {'reads': W + 1, 'writes': 0, 'retries': 0}
    assert webex.writes() == []
    workspace = [item for item in result['recordings'] if item['id'] == 'ws-1'][0]
    assert workspace['owner_type'] == 'place' and workspace['location_id'] == 'L1' and workspace['status'] == 'deleted'
    assert set(workspace) == {'id', 'topic', 'owner_email', 'owner_id', 'owner_type', 'location_id', 'service_type',
                              'create_time', 'duration_seconds', 'size_bytes', 'status'}


@pytest.mark.parametrize('args, where', [
    ({'location_id': 'L2'}, {'locationId': 'L2'}),
    ({'service_type': 'customerAssist'}, {'serviceType': 'customerAssist'}),
    ({'owner_type': 'virtualLine'}, {'ownerType': 'virtualLine'}),
    ({'topic': 'call l2-05'}, {'topic': 'call l2-05'}),
    ({'location_id': 'L2', 'service_type': 'calling'}, {'locationId': 'L2', 'serviceType': 'calling'}),
])
def test_each_filter_is_sent_to_the_server_and_costs_no_more_reads(run_info, webex, args, where):
    populate(webex)
    result = run_info(dict(args, all_owners=True)).result
    assert sorted(item['id'] for item in result['recordings']) == truth(webex, **where)
    assert result['requests']['reads'] <= W + 1 and result['requests']['writes'] == 0


def test_status_available_and_one_owner(run_info, webex):
    populate(webex)
    result = run_info({'owner_email': 'bob@example.com', 'status': 'available'}).result
    assert [item['id'] for item in result['recordings']] == ['l1-available']
    assert result['count_by_owner'] == {'bob@example.com': 1}
    assert all(call['query']['ownerEmail'] == 'bob@example.com' for call in webex.reads())
    assert result['requests'] == {'reads': W, 'writes': 0, 'retries': 0}


def test_several_owners_are_read_with_one_sweep(run_info, webex):
    populate(webex)
    result = run_info({'owner_emails': ['BOB@example.com', 'alice@example.com']}).result
    assert result['count_by_owner'] == {'bob@example.com': 20, 'alice@example.com': 5}
    assert result['requests'] == {'reads': W + 1, 'writes': 0, 'retries': 0}
    assert all('ownerEmail' not in call['query'] for call in webex.reads())


def test_the_caller_own_bin(run_info, webex):
    populate(webex)
    result = run_info({'access_token': ALICE_TOKEN}).result
    assert sorted(item['id'] for item in result['recordings']) == truth(webex, ownerEmail='alice@example.com')
    assert {call['path'] for call in webex.reads()} == {'/v1/convergedRecordings'}
    assert result['selection'] == {'whose': 'caller', 'filters': {}, 'lookback_days': 365}


def test_a_user_token_is_refused_other_owners_after_one_read(run_info, webex):
    populate(webex)
    for args in ({'all_owners': True}, {'owner_email': 'bob@example.com'}):
        webex.clear_log()
        outcome = run_info(dict(args, access_token=ALICE_TOKEN))
        assert outcome.failed and 'administrator' in outcome.result['msg']
        assert outcome.result['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}
        assert outcome.result['recordings'] == [] and outcome.result['count'] == 0
        assert outcome.result['tracking_ids'][0] in outcome.result['msg']


@pytest.mark.parametrize('args, fragment', [
    ({'owner_email': 'a@example.com', 'all_owners': True}, 'mutually exclusive'),
    ({'owner_email': 'a@example.com', 'owner_emails': ['b@example.com']}, 'mutually exclusive'),
    ({'status': 'purged'}, 'status'),
    ({'created_after': 'last week'}, 'created_after must be an ISO 8601 date'),
])
def test_bad_selection_is_refused_before_any_request(run_info, webex, args, fragment):
    outcome = run_info(args)
    assert outcome.failed and fragment in outcome.result['msg'], outcome.result
    assert webex.calls() == []


def test_documentation_states_the_argspec():
    doc = yaml.safe_load(webex_recording_info.DOCUMENTATION)
    assert doc['extends_documentation_fragment'] == ['webexops.recordings.attributes', 'webexops.recordings.connection',
                                                     'webexops.recordings.selection']
    own = dict((name, entry) for name, entry in webex_recording_info.ARGUMENT_SPEC.items() if name not in selection_argument_spec())
    assert set(doc['options']) == set(own)
    returned = yaml.safe_load(webex_recording_info.RETURN)
    assert set(returned) == {'api', 'recordings', 'count', 'count_by_owner', 'nothing_found', 'selection', 'requests'}


@pytest.mark.parametrize('form', [{'timezone': 'Asia/Shanghai'}, {'time_fraction': 3}, {'timezone': 'America/Denver', 'time_fraction': 6}],
                         ids=['offset', 'fraction', 'offset+fraction'])
def test_a_creation_window_selects_alike_whatever_form_the_times_are_written_in(run_info, webex, form):
    """created_after/created_before given in any form, times answered in any form: the same instants, the same selection."""
    from datetime import timedelta, timezone
    populate(webex)
    start = webex.sim.start_time
    after_z = (start - timedelta(days=60)).strftime('%Y-%m-%dT%H:%M:%SZ')
    before_z = (start - timedelta(days=9)).strftime('%Y-%m-%dT%H:%M:%SZ')
    plain = run_info({'all_owners': True, 'created_after': after_z, 'created_before': before_z}).result
    webex.sim.set_settings(form)
    east = timezone(timedelta(hours=5, minutes=30))
    after_offset = (start - timedelta(days=60)).astimezone(east).isoformat(timespec='milliseconds')
    before_offset = (start - timedelta(days=9)).astimezone(east).isoformat()
    other = run_info({'all_owners': True, 'created_after': after_offset, 'created_before': before_offset}).result
    assert not other.get('failed'), other.get('msg')
    assert 0 < other['count'] < 177
    assert [item['id'] for item in other['recordings']] == [item['id'] for item in plain['recordings']]
    assert other['requests'] == plain['requests']
    assert other['recordings'][0]['create_time'] != plain['recordings'][0]['create_time']


def test_a_mistyped_owner_stands_out_and_costs_one_read(run_info, webex):
    webex.add('a1', days_ago=3)
    webex.add('a2', status='available', days_ago=3)
    webex.add('b9', owner='bob@example.com', status='available', days_ago=3)   # bob exists, his bin is empty
    outcome = run_info({'owner_emails': ['alice@example.com', 'alicia@example.com', 'bob@example.com']})
    result = outcome.result
    assert result['count_by_owner'] == {'alice@example.com': 1}
    assert result['nothing_found'] == ['alicia@example.com']
    assert [w for w in run_info.warnings if 'alicia@example.com' in w and 'may be wrong' in w and 'bob@example.com' not in w]
    # one sweep (W), then one read for each of the two owners that came up empty
    assert result['requests'] == {'reads': W + 2, 'writes': 0, 'retries': 0}


def test_many_owners_with_nothing_found_cost_no_read_each(run_info, webex):
    owners = ['nobody%02d@example.com' % n for n in range(11)]
    result = run_info({'owner_emails': owners}).result
    assert result['nothing_found'] == owners
    assert result['requests'] == {'reads': W, 'writes': 0, 'retries': 0}
    assert [w for w in run_info.warnings if 'not checked further: 11 owners came up empty' in w]
