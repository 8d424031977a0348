# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The pure planner on its own: strategies, plan, batching (keyed by the API profile), result and diff,
in the collection's recording fields."""

import pytest

from ansible_collections.webexops.recordings.plugins.module_utils import _planner as planner
from ansible_collections.webexops.recordings.plugins.module_utils._api import RECORDING_FIELDS


@pytest.mark.parametrize('count, windows, expected', [
    (1, 13, planner.PER_ID), (13, 13, planner.PER_ID), (14, 13, planner.BIN_LISTING), (250, 13, planner.BIN_LISTING),
    (2, 1, planner.BIN_LISTING),
])
def test_read_strategy_is_the_cheaper(count, windows, expected):
    assert planner.choose_read_strategy(count, windows) == expected


@pytest.mark.parametrize('owners, expected', [(1, planner.PER_OWNER), (2, planner.ORG_SWEEP), (50, planner.ORG_SWEEP)])
def test_owner_strategy_sweeps_when_more_than_one_owner(owners, expected):
    assert planner.choose_owner_strategy(owners) == expected


def test_batches_of_at_most_100():
    ids = ['id-%03d' % index for index in range(250)]
    cut = planner.batches(ids)
    assert [len(batch) for batch in cut] == [100, 100, 50]
    assert sum(cut, []) == ids
    assert planner.batches([]) == []


def test_batches_keyed_by_what_one_request_must_share():
    key_of = dict([('a%d' % n, ('L1',)) for n in range(150)] + [('b%d' % n, ('L2',)) for n in range(3)])
    ids = ['a0', 'b0'] + ['a%d' % n for n in range(1, 150)] + ['b1', 'b2', 'unkeyed']
    cut = planner.keyed_batches(ids, key_of)
    # groups in the order their keys first appear, each cut in batches of at most 100, order kept inside
    assert [(key, len(batch)) for key, batch in cut] == [(('L1',), 100), (('L1',), 50), (('L2',), 3), ((), 1)]
    assert cut[0][1][:2] == ['a0', 'a1'] and cut[2][1] == ['b0', 'b1', 'b2'] and cut[3][1] == ['unkeyed']
    assert sorted(sum([batch for dummy, batch in cut], [])) == sorted(ids)
    assert planner.keyed_batches([], key_of) == []


def rec(recording_id, status, owner='alice@example.com'):
    return {'id': recording_id, 'status': status, 'owner_email': owner}


def test_plan_fields_are_recording_fields():
    assert set(planner.PLAN_FIELDS) <= set(RECORDING_FIELDS)
    assert {'id', 'status', 'owner_email', 'owner_id'} <= set(planner.PLAN_FIELDS)
    assert set(planner.OWNER_FIELDS) == {'owner_type', 'owner_name'} and set(planner.OWNER_FIELDS) <= set(planner.PLAN_FIELDS)


def test_restore_plan_batches_by_the_key_of_each_recording_to_restore():
    recordings = dict((rid, dict(rec(rid, status), location_id=location)) for rid, status, location in (
        ('d1', 'deleted', 'L1'), ('d2', 'deleted', 'L2'), ('d3', 'deleted', 'L1'), ('a1', 'available', 'L3')))
    keys_asked = []

    def batch_key(recording):
        keys_asked.append(recording['id'])
        return (recording['location_id'],)

    plan = planner.build_restore_plan(['d1', 'd2', 'a1', 'd3', 'x1'], dict(recordings, x1=None), batch_key)
    assert plan['batches'] == [(('L1',), ['d1', 'd3']), (('L2',), ['d2'])]
    assert keys_asked == ['d1', 'd2', 'd3']    # only of the recordings to restore
    listed = planner.plan_from_bin([recordings[rid] for rid in ('d2', 'd1', 'd3')], batch_key)
    assert listed['batches'] == [(('L2',), ['d2']), (('L1',), ['d1', 'd3'])]


def test_restore_plan_keeps_the_owner_email_and_id_of_each_id():
    recordings = {'d1': {'id': 'd1', 'status': 'deleted', 'owner_email': 'alice@example.com', 'owner_id': 'A'},
                  'w1': {'id': 'w1', 'status': 'deleted', 'owner_email': None, 'owner_id': 'WS-1'}}
    plan = planner.build_restore_plan(['d1', 'w1', 'x1'], recordings)
    assert plan['owner_of'] == {'d1': 'alice@example.com', 'w1': None, 'x1': None}
    assert plan['owner_id_of'] == {'d1': 'A', 'w1': 'WS-1', 'x1': None}
    assert planner.owners_of(list(recordings.values()) + [dict(recordings['d1'], id='d2', owner_email='ALICE@example.com')]) == [
        'alice@example.com', 'WS-1']


def test_restore_plan_classifies_and_dedupes():
    recordings = {'d1': rec('d1', 'deleted'), 'a1': rec('a1', 'available'), 'p1': rec('p1', 'purged'), 'x1': None}
    plan = planner.build_restore_plan(['d1', 'a1', 'd1', 'p1', 'x1', 'a1'], recordings)
    assert plan['ids'] == ['d1', 'a1', 'p1', 'x1']
    assert plan['to_restore'] == ['d1']
    assert plan['already_available'] == ['a1']
    assert plan['missing'] == ['p1', 'x1']
    assert plan['batches'] == [((), ['d1'])]
    assert plan['before'] == {'d1': 'deleted', 'a1': 'available', 'p1': 'purged', 'x1': 'not_found'}


def test_restore_plan_of_250_deleted_ids_is_three_batches():
    ids = ['r%03d' % index for index in range(250)]
    plan = planner.build_restore_plan(ids + ids[:10], dict((i, rec(i, 'deleted')) for i in ids))
    assert [len(batch) for dummy, batch in plan['batches']] == [100, 100, 50]
    assert plan['batches'][0][1][0] == 'r000' and plan['batches'][2][1][-1] == 'r249'
    assert [key for key, dummy in plan['batches']] == [(), (), ()]


def test_result_and_diff_after_partial_failure():
    recordings = {'d1': rec('d1', 'deleted'), 'd2': rec('d2', 'deleted', 'bob@example.com'),
                  'a1': rec('a1', 'available'), 'x1': None}
    plan = planner.build_restore_plan(['d1', 'd2', 'a1', 'x1'], recordings)
    outcome = planner.new_outcome()
    planner.merge_outcome(outcome, planner.outcome_restored(['d1']))
    planner.merge_outcome(outcome, planner.outcome_failed(['d2'], 'boom', 'TRK-9'))
    result, diff = planner.build_result(plan, outcome, planner.PER_ID, owner_emails=['Bob@Example.com', 'alice@example.com'])
    assert result['changed'] is True
    assert result['restored'] == ['d1']
    assert result['failed_ids'] == ['d2']
    assert result['already_available'] == ['a1']
    assert result['missing'] == ['x1']
    assert result['tracking_ids'] == ['TRK-9']
    assert result['recordings'][0] == {'id': 'd1', 'owner_email': 'alice@example.com', 'owner_id': None, 'status_before': 'deleted',
                                       'status_after': 'available', 'action': 'restore'}
    assert result['recordings'][3]['action'] == 'missing'
    assert result['strategy'] == planner.PER_ID
    assert result['counts'] == {'restored': 1, 'already_available': 1, 'missing': 1, 'failed': 1, 'unknown': 0}
    assert result['owners']['Bob@Example.com'] == {'restored': [], 'failed': ['d2'], 'unknown': [], 'tracking_id': 'TRK-9'}
    assert result['owners']['alice@example.com'] == {'restored': ['d1'], 'failed': [], 'unknown': [], 'tracking_id': None}
    assert diff == {'before': {'recordings': {'d1': 'deleted', 'd2': 'deleted', 'a1': 'available'}},
                    'after': {'recordings': {'d1': 'available', 'd2': 'deleted', 'a1': 'available'}}}
    message = planner.failure_message(result)
    assert 'd2' in message and 'Bob@Example.com' in message and 'TRK-9' in message


def test_predicted_outcome_in_check_mode_matches_plan():
    plan = planner.build_restore_plan(['d1', 'a1'], {'d1': rec('d1', 'deleted'), 'a1': rec('a1', 'available')})
    result, diff = planner.build_result(plan, planner.predicted_outcome(plan), planner.PER_ID)
    assert result['changed'] is True and result['restored'] == ['d1']
    assert diff['after']['recordings'] == {'d1': 'available', 'a1': 'available'}
    plan = planner.build_restore_plan(['a1'], {'a1': rec('a1', 'available')})
    result, dummy = planner.build_result(plan, planner.predicted_outcome(plan), planner.PER_ID)
    assert result['changed'] is False


def test_whole_bin_plan_and_owner_grouping_is_case_insensitive():
    items = [rec('1', 'deleted', 'ALICE@example.com'), rec('2', 'deleted', 'carol@example.com'), rec('3', 'deleted', 'alice@example.com')]
    selected = planner.of_owners(items, ['alice@Example.com', 'bob@example.com'])
    assert [item['id'] for item in selected] == ['1', '3']
    assert planner.of_owners(items + [{'id': '4', 'status': 'deleted', 'owner_email': None, 'owner_id': 'WS-1'}],
                             ['carol@example.com', 'ALICE@example.com']) == [items[1], items[0], items[2]]
    plan = planner.plan_from_bin(selected)
    result, diff = planner.build_result(plan, planner.predicted_outcome(plan), planner.ORG_SWEEP,
                                        owner_emails=['alice@Example.com', 'bob@example.com'])
    assert result['owners']['alice@Example.com']['restored'] == ['1', '3']
    # A plan without owner fields (an API whose listings say nothing of who an owner is): the ids and tracking_id only.
    assert result['owners']['bob@example.com'] == {'restored': [], 'failed': [], 'unknown': [], 'tracking_id': None}
    assert diff['before']['recordings'] == {'1': 'deleted', '3': 'deleted'}


def test_owners_carry_the_type_and_name_their_recordings_show_and_null_when_none_does():
    items = [dict(rec('1', 'deleted', 'ALICE@example.com'), owner_type='user'),
             dict(rec('2', 'deleted', None), owner_id='WS-1', owner_type='place'),
             dict(rec('3', 'deleted', None), owner_id='VL-1', owner_type=None),
             dict(rec('4', 'deleted', None), owner_id='VL-1', owner_type='virtualLine'),
             dict(rec('5', 'deleted', 'alice@example.com'), owner_type='place', owner_name='Alice A.'),
             dict(rec('6', 'deleted', 'host@example.com'), owner_name='Host H.')]
    plan = planner.plan_from_bin(items)
    # One entry per owner, not per recording: the first recording of an owner that shows a field gives it.
    assert plan['owner_facts'] == {'alice@example.com': {'owner_type': 'user', 'owner_name': 'Alice A.'},
                                   'WS-1': {'owner_type': 'place'}, 'VL-1': {'owner_type': 'virtualLine'},
                                   'host@example.com': {'owner_name': 'Host H.'}}
    owners = ['Alice@Example.com', 'WS-1', 'VL-1', 'host@example.com', 'nobody@example.com']
    # The entries carry the owner fields of the plan (the API's), each in every entry: null when unknown.
    plan['owner_fields'] = ('owner_type',)
    result, dummy = planner.build_result(plan, planner.predicted_outcome(plan), planner.ORG_SWEEP, owners)
    assert dict((key, entry['owner_type']) for key, entry in result['owners'].items()) == {
        'Alice@Example.com': 'user', 'WS-1': 'place', 'VL-1': 'virtualLine', 'host@example.com': None, 'nobody@example.com': None}
    assert result['owners']['nobody@example.com'] == {'restored': [], 'failed': [], 'unknown': [], 'tracking_id': None,
                                                      'owner_type': None}
    plan['owner_fields'] = ('owner_name',)
    result, dummy = planner.build_result(plan, planner.predicted_outcome(plan), planner.ORG_SWEEP, owners)
    assert dict((key, entry['owner_name']) for key, entry in result['owners'].items()) == {
        'Alice@Example.com': 'Alice A.', 'WS-1': None, 'VL-1': None, 'host@example.com': 'Host H.', 'nobody@example.com': None}
    assert all('owner_type' not in entry for entry in result['owners'].values())
    # A listing that failed: every owner asked about has the owner fields asked for, null.
    assert planner.build_owners([], ['x@example.com'], planner.new_outcome(), owner_fields=planner.OWNER_FIELDS) == {
        'x@example.com': {'restored': [], 'failed': [], 'unknown': [], 'tracking_id': None, 'owner_type': None, 'owner_name': None}}


def test_bin_results_answer_per_owner_without_a_dict_per_recording():
    items = [rec(str(n), 'deleted', 'owner%d@example.com' % (n % 3)) for n in range(9)]
    plan = planner.plan_from_bin(items)
    outcome = planner.outcome_restored(['0', '1', '2', '3', '4', '5', '6', '7'])
    planner.merge_outcome(outcome, planner.outcome_failed(['8'], 'boom', 'TRK-1'))
    owners = ['owner0@example.com', 'owner1@example.com', 'owner2@example.com']
    for strategy in (planner.ORG_SWEEP, planner.PER_OWNER, planner.CALLER_BIN):
        result, diff = planner.build_result(plan, outcome, strategy, owners if strategy != planner.CALLER_BIN else None)
        assert 'recordings' not in result and 'recordings' not in planner.empty_result(strategy)
        assert result['counts'] == {'restored': 8, 'already_available': 0, 'missing': 0, 'failed': 1, 'unknown': 0}
        assert result['restored'] == ['0', '1', '2', '3', '4', '5', '6', '7'] and result['failed_ids'] == ['8']
        assert len(diff['before']['recordings']) == 9
    assert result_ids_of_owners(planner.build_result(plan, outcome, planner.ORG_SWEEP, owners)[0]) == {
        'owner0@example.com': (['0', '3', '6'], []), 'owner1@example.com': (['1', '4', '7'], []),
        'owner2@example.com': (['2', '5'], ['8'])}
    for strategy in planner.ID_STRATEGIES:
        assert planner.empty_result(strategy)['recordings'] == []
        assert len(planner.build_result(plan, outcome, strategy)[0]['recordings']) == 9


def result_ids_of_owners(result):
    return dict((key, (entry['restored'], entry['failed'])) for key, entry in result['owners'].items())


def test_missing_messages_name_parameter_and_ids():
    assert 'recording_ids' in planner.missing_message(['x1']) and 'x1' in planner.missing_message(['x1'])
    assert 'on_missing=fail' in planner.missing_message(['x1'])
    assert 'on_missing=warn' in planner.missing_warning(['x1'])
    long_list = planner.missing_message(['id%d' % i for i in range(30)])
    assert 'and 10 more' in long_list


def test_outcome_builders_and_merge_keep_the_tracking_id_of_each_failed_id():
    total = planner.new_outcome()
    planner.merge_outcome(total, planner.outcome_failed(['a', 'b'], 'first', 'T-1'))
    planner.merge_outcome(total, planner.outcome_failed(['c'], 'second', 'T-2'))
    planner.merge_outcome(total, planner.outcome_failed(['d'], 'unread', status_after='unknown'))
    planner.merge_outcome(total, planner.outcome_restored(['e']))
    assert total['failed'] == ['a', 'b', 'c', 'd'] and total['restored'] == ['e']
    assert total['tracking_ids'] == ['T-1', 'T-2']
    assert total['tracking_of'] == {'a': 'T-1', 'b': 'T-1', 'c': 'T-2'}
    assert total['status_after'] == {'a': 'deleted', 'b': 'deleted', 'c': 'deleted', 'd': 'unknown', 'e': 'available'}
    assert total['errors'] == ['first', 'second', 'unread']
