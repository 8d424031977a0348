# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The pure planner on its own: windows, strategies, plan, batching, result and diff."""

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.webexops.recordings.plugins.module_utils import _planner as planner
from ansible_collections.webexops.recordings.plugins.module_utils import _selection as selection
from ansible_collections.webexops.recordings.plugins.module_utils._connection import validate_connection

NOW = datetime(2026, 3, 15, 12, 30, 45, 123456, tzinfo=timezone.utc)


def parse(text):
    return datetime.strptime(text, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=timezone.utc)


@pytest.mark.parametrize('days', [1, 29, 30, 59, 60, 365, 400])
def test_windows_cover_lookback_to_tomorrow_contiguously(days):
    windows = planner.lookback_windows(NOW, days)
    # W = ceil((days + 1) / 29): the formula the module documents
    assert len(windows) == -(-(days + 1) // 29)
    starts = [parse(window[0]) for window in windows]
    ends = [parse(window[1]) for window in windows]
    # newest first, contiguous, each at most 29 days (inside the 30 the admin listing allows)
    assert ends[0] == (NOW + timedelta(days=1)).replace(microsecond=0)
    assert starts[-1] <= NOW - timedelta(days=days)
    assert starts[-1] > NOW - timedelta(days=days, seconds=1)
    for index in range(1, len(windows)):
        assert ends[index] == starts[index - 1]
    for start, end in zip(starts, ends):
        assert timedelta(0) < end - start <= timedelta(days=29)


def test_default_lookback_needs_13_windows():
    assert len(planner.lookback_windows(NOW, 365)) == 13


def test_windows_accept_naive_utc():
    assert planner.lookback_windows(NOW.replace(tzinfo=None), 10) == planner.lookback_windows(NOW, 10)


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


def test_unique_ids_keep_first_appearance():
    assert planner.unique_ids(['b', 'a', 'b', ' c ', 'a', 'c']) == ['b', 'a', 'c']


def rec(recording_id, status, owner='alice@example.com'):
    return {'id': recording_id, 'status': status, 'ownerEmail': owner}


def test_restore_plan_classifies_and_dedupes():
    recordings = {'d1': rec('d1', 'deleted'), 'a1': rec('a1', 'available'), 'p1': rec('p1', 'purged'), 'x1': None}
    plan = planner.build_restore_plan(['d1', 'a1', 'd1', 'p1', 'x1', 'a1'], recordings)
    assert plan['ids'] == ['d1', 'a1', 'p1', 'x1']
    assert plan['to_restore'] == ['d1']
    assert plan['already_available'] == ['a1']
    assert plan['missing'] == ['p1', 'x1']
    assert plan['batches'] == [['d1']]
    assert plan['before'] == {'d1': 'deleted', 'a1': 'available', 'p1': 'purged', 'x1': 'not_found'}


def test_restore_plan_of_250_deleted_ids_is_three_batches():
    ids = ['r%03d' % index for index in range(250)]
    plan = planner.build_restore_plan(ids + ids[:10], dict((i, rec(i, 'deleted')) for i in ids))
    assert [len(batch) for batch in plan['batches']] == [100, 100, 50]
    assert plan['batches'][0][0] == 'r000' and plan['batches'][2][-1] == 'r249'


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
    assert result['counts'] == {'restored': 1, 'already_available': 1, 'missing': 1, 'failed': 1}
    assert result['owners']['Bob@Example.com'] == {'restored': [], 'failed': ['d2'], 'tracking_id': 'TRK-9'}
    assert result['owners']['alice@example.com'] == {'restored': ['d1'], 'failed': [], 'tracking_id': None}
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
    selected = planner.items_of_owners(items, ['alice@Example.com', 'bob@example.com'])
    assert [item['id'] for item in selected] == ['1', '3']
    assert planner.unique_owners([' alice@Example.com', 'ALICE@example.com', 'bob@example.com']) == ['alice@Example.com', 'bob@example.com']
    plan = planner.plan_from_bin(selected)
    result, diff = planner.build_result(plan, planner.predicted_outcome(plan), planner.ORG_SWEEP,
                                        owner_emails=['alice@Example.com', 'bob@example.com'])
    assert result['owners']['alice@Example.com']['restored'] == ['1', '3']
    assert result['owners']['bob@example.com'] == {'restored': [], 'failed': [], 'tracking_id': None}
    assert diff['before']['recordings'] == {'1': 'deleted', '3': 'deleted'}


def test_bin_results_answer_per_owner_without_a_dict_per_recording():
    items = [rec(str(n), 'deleted', 'owner%d@example.com' % (n % 3)) for n in range(9)]
    plan = planner.plan_from_bin(items)
    outcome = planner.outcome_restored(['0', '1', '2', '3', '4', '5', '6', '7'])
    planner.merge_outcome(outcome, planner.outcome_failed(['8'], 'boom', 'TRK-1'))
    owners = ['owner0@example.com', 'owner1@example.com', 'owner2@example.com']
    for strategy in (planner.ORG_SWEEP, planner.PER_OWNER, planner.CALLER_BIN):
        result, diff = planner.build_result(plan, outcome, strategy, owners if strategy != planner.CALLER_BIN else None)
        assert 'recordings' not in result and 'recordings' not in planner.empty_result(strategy)
        assert result['counts'] == {'restored': 8, 'already_available': 0, 'missing': 0, 'failed': 1}
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
    assert 'missing=fail' in planner.missing_message(['x1'])
    assert 'missing=warn' in planner.missing_warning(['x1'])
    long_list = planner.missing_message(['id%d' % i for i in range(30)])
    assert 'and 10 more' in long_list


BASE = {'access_token': 'tok', 'api_url': 'https://webexapis.com/v1', 'timeout': 30, 'retry_max_wait': 120,
        'recording_ids': None, 'restore_all': None, 'owner_email': None, 'owner_emails': None,
        'lookback_days': 365, 'max_concurrency': 4}


@pytest.mark.parametrize('change, fragment', [
    ({'recording_ids': ['a']}, None),
    ({'access_token': None, 'recording_ids': ['a']}, 'access_token is required'),
    ({'access_token': '  ', 'recording_ids': ['a']}, 'access_token is required'),
    ({'recording_ids': []}, 'recording_ids must not be an empty list'),
    ({'recording_ids': ['a', ' ', '']}, "recording_ids item 3 (''): an id must not be empty or blank"),
    ({'recording_ids': ['a', '..']}, "recording_ids item 2 ('..'): an id must not be \".\" or \"..\""),
    ({'restore_all': False, 'owner_email': 'a@b.example'}, 'owner_email requires restore_all: true'),
    ({'restore_all': True, 'owner_email': 'not-an-email'}, 'owner_email must be an email address'),
    ({'restore_all': False}, 'restore_all is false and neither recording_ids, owner_emails nor all_owners: true is set: nothing to restore'),
    ({'owner_emails': []}, 'owner_emails must not be an empty list'),
    ({'owner_emails': ['a@b.example', 'bad@', '']}, "owner_emails must hold email addresses only, got 'bad@', ''"),
    ({'recording_ids': ['a'], 'lookback_days': 0}, 'lookback_days must be at least 1'),
    ({'recording_ids': ['a'], 'max_concurrency': 0}, 'max_concurrency must be between 1 and 32'),
    ({'recording_ids': ['a'], 'max_concurrency': 33}, 'max_concurrency must be between 1 and 32'),
    ({'recording_ids': ['a'], 'api_url': 'ftp://x'}, 'api_url must be an http:// or https:// URL'),
    ({'recording_ids': ['a'], 'timeout': 0}, 'timeout must be greater than 0'),
    ({'recording_ids': ['a'], 'retry_max_wait': -1}, 'retry_max_wait must be 0 (never retry) or more'),
])
def test_validate_params(change, fragment):
    params = dict(BASE, **change)
    errors = validate_connection(params) + planner.validate_restore(params) + selection.validate_selection(params, NOW)
    if fragment is None:
        assert errors == []
    else:
        assert any(fragment in error for error in errors), errors


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


@pytest.mark.parametrize('value, problem', [
    ('0f7c3a52-9c1e-4f4e-8f0a-6a8d3b1c2e4f', None),
    ('  padded-id  ', None),
    ('Y2lzY29zcGFyazovL3VzL1JFQ09SRElORy8x=', None),
    ('a.b..c', None),
    ('...', None),
    ('%2e%2e', None),
    ('.', 'must not be "." or ".."'),
    ('..', 'must not be "." or ".."'),
    (' .. ', 'must not be "." or ".."'),
    ('a/b', 'must not contain "/"'),
    ('a\\b', 'must not contain "/"'),
    ('', 'must not be empty or blank'),
    (None, 'must not be empty or blank'),
    ('a b', 'blanks or control characters'),
    ('a\u0085b', 'blanks or control characters'),
    ('a\x1bb', 'blanks or control characters'),
])
def test_id_problem(value, problem):
    found = planner.id_problem(value)
    if problem is None:
        assert found is None
    else:
        assert problem in found


def test_email_key_compares_case_and_blank_insensitively():
    assert planner.email_key(' Alice@Example.COM ') == planner.email_key('alice@example.com')
    assert planner.email_key(None) == ''
