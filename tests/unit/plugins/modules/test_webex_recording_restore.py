# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""webex_recording_restore's main() against the simulator in-process: strategies and their request
counts, check and diff mode, missing ids, whole bins, owners, failures, unknown outcomes, retries,
secrets."""

import math

import pytest

from fixtures import ADMIN_TOKEN, ALICE_TOKEN
from module_runner import all_text

W = 13  # listing windows of the default lookback_days (365): ceil(366 / 29)
RESTORE = '/v1/convergedRecordings/restore'
ADMIN_LIST = '/v1/admin/convergedRecordings'
USER_LIST = '/v1/convergedRecordings'


def as_alice(args):
    return dict(args, access_token=ALICE_TOKEN)


def test_per_id_restores_deleted_and_reports_the_rest(run_module, webex):
    webex.add('d1')
    webex.add('a1', status='available')
    webex.add('p1', status='purged')
    outcome = run_module(as_alice({'recording_ids': ['d1', 'a1', 'd1', 'p1', 'x1'], 'on_missing': 'warn'}))
    result = outcome.result
    assert not outcome.failed, result
    assert result['changed'] is True
    assert result['restored'] == ['d1']
    assert result['already_available'] == ['a1']
    assert result['missing'] == ['p1', 'x1']
    assert result['failed_ids'] == []
    assert 'failed' not in result
    assert result['strategy'] == 'per_id'
    assert result['requests'] == {'reads': 4, 'writes': 1, 'retries': 0}   # reads = N unique ids
    assert [call['body'] for call in webex.writes()] == [{'recordingIds': ['d1']}]
    assert any('p1, x1' in warning and 'on_missing=warn' in warning for warning in run_module.warnings)
    assert dict(result['recordings'][0], owner_id=None) == {'id': 'd1', 'owner_email': 'alice@example.com', 'owner_id': None,
                                                            'status_before': 'deleted', 'status_after': 'available', 'action': 'restore',
                                                            'api': 'converged'}
    assert result['api'] == 'converged'
    assert result['recordings'][0]['owner_id']
    assert 'diff' not in result
    assert webex.status('d1') == 'available'


def test_the_old_missing_option_name_still_works(run_module, webex):
    webex.add('d1')
    outcome = run_module({'recording_ids': ['d1', 'x1'], 'missing': 'warn'})
    assert not outcome.failed and outcome.result['restored'] == ['d1'] and outcome.result['missing'] == ['x1']


def test_second_run_changes_nothing(run_module, webex):
    webex.add('d1')
    assert run_module({'recording_ids': ['d1']}).result['changed'] is True
    again = run_module({'recording_ids': ['d1']}).result
    assert again['changed'] is False and again['already_available'] == ['d1']
    assert again['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}


def test_missing_fails_before_any_write_by_default(run_module, webex):
    webex.add('d1')
    outcome = run_module({'recording_ids': ['d1', 'gone-1']})
    assert outcome.failed
    assert 'recording_ids' in outcome.result['msg'] and 'gone-1' in outcome.result['msg'] and 'on_missing=fail' in outcome.result['msg']
    assert webex.writes() == []
    assert outcome.result['missing'] == ['gone-1'] and outcome.result['restored'] == []
    assert outcome.result['changed'] is False
    assert webex.status('d1') == 'deleted'


def test_check_mode_reads_everything_writes_nothing(run_module, webex):
    webex.add('d1')
    webex.add('a1', status='available')
    outcome = run_module({'recording_ids': ['d1', 'a1']}, check_mode=True, diff=True)
    result = outcome.result
    assert result['changed'] is True and result['restored'] == ['d1']
    assert result['requests'] == {'reads': 2, 'writes': 0, 'retries': 0}
    assert webex.writes() == []
    assert result['diff'] == {'before': {'recordings': {'d1': 'deleted', 'a1': 'available'}},
                              'after': {'recordings': {'d1': 'available', 'a1': 'available'}}}
    assert webex.status('d1') == 'deleted'
    real = run_module({'recording_ids': ['d1', 'a1']}, diff=True).result
    assert real['changed'] == result['changed'] and real['restored'] == result['restored'] and real['diff'] == result['diff']


def test_bin_listing_for_many_ids_with_exact_request_counts(run_module, webex):
    deleted = ['del-%03d' % index for index in range(250)]
    for index, recording_id in enumerate(deleted):
        webex.add(recording_id, owner='user%d@example.com' % (index % 3), days_ago=5)
    webex.add('av-1', status='available')
    webex.add('av-2', status='available')
    webex.add('old-deleted', days_ago=500)   # outside the lookback: found by its GET
    ids = deleted + ['av-1', 'av-2', 'old-deleted', 'nope'] + deleted[:20]
    outcome = run_module({'recording_ids': ids, 'on_missing': 'warn'})
    result = outcome.result
    assert not outcome.failed, result['msg'] if outcome.failed else None
    assert result['strategy'] == 'bin_listing'
    # reads = W + extra pages (250 in one window: 3 pages, 2 extra) + U (4 ids not found in the bin)
    assert result['requests'] == {'reads': W + 2 + 4, 'writes': 3, 'retries': 0}
    # batches run concurrently: their order on the wire varies, their content does not
    sent = sorted((call['body']['recordingIds'] for call in webex.writes()), key=lambda batch: batch[0])
    assert sent == [deleted[:100], deleted[100:200], deleted[200:] + ['old-deleted']]
    assert result['restored'] == deleted + ['old-deleted']
    assert result['missing'] == ['nope']
    admin_lists = [call for call in webex.reads() if call['path'] == ADMIN_LIST]
    assert len(admin_lists) == W + 2
    assert all(call['query'].get('max', '100') == '100' for call in admin_lists if 'from' in call['query'])


@pytest.mark.parametrize('days_ago, extra_pages', [(40, 2), (5, 2)])
def test_bin_listing_falls_back_to_the_user_endpoint_for_one_extra_read(run_module, webex, days_ago, extra_pages):
    ids = ['u%03d' % index for index in range(230)]
    for index, recording_id in enumerate(ids):
        webex.add(recording_id, days_ago=days_ago if index < 210 else 100)   # 210 in one window: 2 extra pages
    outcome = run_module(as_alice({'recording_ids': ids, 'max_concurrency': 8}))
    result = outcome.result
    assert not outcome.failed, result.get('msg')
    assert result['strategy'] == 'bin_listing' and result['restored'] == ids
    assert result['requests'] == {'reads': 1 + W + extra_pages, 'writes': 3, 'retries': 0}
    reads = webex.reads()
    assert reads[0]['path'] == ADMIN_LIST and reads[0]['status'] == 403
    assert {call['path'] for call in reads[1:]} == {USER_LIST}


def test_restore_all_of_the_caller(run_module, webex):
    webex.add('d1', days_ago=200)
    webex.add('d2', days_ago=1)
    webex.add('bob1', owner='bob@example.com')
    outcome = run_module(as_alice({'restore_all': True}), diff=True)
    result = outcome.result
    assert result['changed'] is True and sorted(result['restored']) == ['d1', 'd2']
    # + 1: the refused admin listing that tells a user token from an administrator's
    assert result['requests'] == {'reads': 1 + W, 'writes': 1, 'retries': 0}
    assert [call['body'] for call in webex.writes()] == [{'restoreAll': True}]
    assert result['diff']['after']['recordings'] == {'d1': 'available', 'd2': 'available'}
    assert 'owners' not in result
    assert webex.status('bob1') == 'deleted'
    again = run_module(as_alice({'restore_all': True})).result
    assert again['changed'] is False and again['requests'] == {'reads': 1 + W, 'writes': 0, 'retries': 0}


@pytest.mark.parametrize('check_mode', [True, False])
def test_restore_all_with_an_admin_token_without_owner_email(run_module, webex, check_mode):
    webex.add('own1', owner='admin@example.com')
    outcome = run_module({'restore_all': True}, check_mode=check_mode)
    assert outcome.failed
    assert 'set owner_email' in outcome.result['msg']
    assert outcome.result['restored'] == [] and outcome.result['failed_ids'] == [] and outcome.result['changed'] is False
    assert outcome.result['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}
    assert [call['path'] for call in webex.calls()] == [ADMIN_LIST]
    assert webex.status('own1') == 'deleted'


def test_restore_all_refused_listing_says_to_set_owner_email(run_module, webex):
    webex.faults({'kind': 'status', 'status': 403, 'method': 'GET', 'path': USER_LIST})
    outcome = run_module(as_alice({'restore_all': True}))
    assert outcome.failed
    assert 'set owner_email' in outcome.result['msg']
    assert outcome.result['tracking_ids'] and outcome.result['tracking_ids'][-1] in outcome.result['msg']
    assert webex.writes() == []


def test_restore_all_of_one_owner(run_module, webex):
    webex.add('b1', owner='bob@example.com')
    webex.add('c1', owner='carol@example.com')
    outcome = run_module({'restore_all': True, 'owner_email': 'bob@example.com'}, check_mode=True)
    assert outcome.result['restored'] == ['b1'] and webex.writes() == []
    outcome = run_module({'restore_all': True, 'owner_email': 'bob@example.com'})
    result = outcome.result
    assert result['restored'] == ['b1']
    assert result['owners'] == {'bob@example.com': {'restored': ['b1'], 'failed': [], 'unknown': [], 'tracking_id': None,
                                                    'owner_type': 'user'}}
    assert webex.writes()[0]['body'] == {'restoreAll': True, 'ownerEmail': 'bob@example.com'}
    assert all(call['query']['ownerEmail'] == 'bob@example.com' for call in webex.reads())
    assert webex.status('c1') == 'deleted'


def test_owner_emails_sweep(run_module, webex):
    for index in range(130):
        webex.add('b%03d' % index, owner='bob@example.com', days_ago=40)
    webex.add('c1', owner='carol@example.com')
    webex.add('z1', owner='zed@example.com')
    outcome = run_module({'owner_emails': ['Bob@Example.com', 'carol@example.com', 'dan@example.com', 'BOB@example.com']})
    result = outcome.result
    assert not outcome.failed
    assert result['strategy'] == 'org_sweep'
    # reads = W + extra pages (130 in one window: 1 extra) + 1 for dan, of whom nothing was found (does dan exist?);
    # writes = ceil(131 / 100)
    assert result['requests'] == {'reads': W + 1 + 1, 'writes': math.ceil(131 / 100), 'retries': 0}
    assert result['nothing_found'] == ['dan@example.com']
    assert [w for w in run_module.warnings if 'nothing found for 1 owner(s)' in w and 'dan@example.com' in w and 'may be wrong' in w]
    assert sorted(result['owners']) == ['Bob@Example.com', 'carol@example.com', 'dan@example.com']
    assert len(result['owners']['Bob@Example.com']['restored']) == 130
    assert result['owners']['carol@example.com']['restored'] == ['c1']
    assert result['owners']['Bob@Example.com']['owner_type'] == result['owners']['carol@example.com']['owner_type'] == 'user'
    # Nothing found of dan: his type is unknown (null). Converged lists no display name: no owner_name.
    assert result['owners']['dan@example.com'] == {'restored': [], 'failed': [], 'unknown': [], 'tracking_id': None,
                                                   'owner_type': None}
    assert webex.status('z1') == 'deleted'
    checks = [call for call in webex.reads() if 'ownerEmail' in call['query']]
    assert [(call['query']['ownerEmail'], call['query']['status'], call['query']['max']) for call in checks] == [
        ('dan@example.com', 'available', '1')]


def test_owner_emails_with_one_owner_lists_that_owner(run_module, webex):
    webex.add('c1', owner='carol@example.com')
    result = run_module({'owner_emails': ['carol@example.com']}).result
    assert result['strategy'] == 'per_owner' and result['restored'] == ['c1']
    assert result['requests'] == {'reads': W, 'writes': 1, 'retries': 0}
    assert webex.writes()[0]['body'] == {'restoreAll': True, 'ownerEmail': 'carol@example.com'}


def test_owner_emails_failed_batch_fails_at_the_end_with_the_full_result(run_module, webex):
    for index in range(150):
        webex.add('a%03d' % index, owner='alice@example.com')
    webex.add('c1', owner='carol@example.com')
    # one batch at a time: the first one (alice's first 100) is refused, the next one still goes
    webex.faults({'kind': 'status', 'status': 409, 'next': 1, 'method': 'POST', 'path': RESTORE})
    outcome = run_module({'owner_emails': ['alice@example.com', 'carol@example.com'], 'max_concurrency': 1})
    result = outcome.result
    assert outcome.failed
    assert len(webex.writes()) == 2     # the second batch was still tried
    assert len(result['failed_ids']) == 100 and len(result['restored']) == 51
    tracking_id = result['owners']['alice@example.com']['tracking_id']
    assert tracking_id and result['tracking_ids'] == [tracking_id]
    assert len(result['owners']['alice@example.com']['failed']) == 100
    assert result['owners']['carol@example.com']['restored'] == ['c1']
    assert result['changed'] is True
    assert 'alice@example.com' in result['msg'] and tracking_id in result['msg']


def test_owner_emails_with_a_user_token(run_module, webex):
    outcome = run_module(as_alice({'owner_emails': ['bob@example.com', 'carol@example.com']}))
    assert outcome.failed
    assert 'owner_emails' in outcome.result['msg'] and 'administrator' in outcome.result['msg']
    assert outcome.result['tracking_ids'][0] in outcome.result['msg']
    assert webex.writes() == []


@pytest.mark.parametrize('args', [
    {'owner_emails': ['bob@example.com', 'carol@example.com'], 'max_concurrency': 8},
    {'owner_emails': ['bob@example.com'], 'max_concurrency': 8},
    {'restore_all': True, 'owner_email': 'bob@example.com', 'max_concurrency': 8},
])
def test_a_refused_listing_costs_one_request(run_module, webex, args):
    webex.faults({'kind': 'status', 'status': 403, 'method': 'GET'})
    outcome = run_module(args)
    assert outcome.failed and outcome.result['tracking_ids'][0] in outcome.result['msg']
    assert outcome.result['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}
    assert len(webex.calls()) == 1


def populate(webex, owners=4, per_owner=230):
    """Recordings spread over several windows, more than 100 in some of them (extra pages)."""
    for owner in range(owners):
        for index in range(per_owner):
            webex.add('o%d-%03d' % (owner, index), owner='user%d@example.com' % owner,
                      days_ago=(index * 7) % 360 + 1 if index % 2 else 40)


@pytest.mark.parametrize('args', [
    {'owner_emails': ['user0@example.com', 'user2@example.com', 'user3@example.com']},
    {'owner_emails': ['user1@example.com']},
    {'restore_all': True, 'owner_email': 'user2@example.com'},
])
def test_result_and_counts_do_not_depend_on_max_concurrency(run_module, webex, args):
    populate(webex)
    results = []
    for max_concurrency in (1, 8):
        webex.sim.reset(log=True, faults=True, data=True)
        populate(webex)
        outcome = run_module(dict(args, max_concurrency=max_concurrency), check_mode=True)
        assert not outcome.failed, outcome.result.get('msg')
        results.append(outcome.result)
        assert len(webex.reads()) == outcome.result['requests']['reads']
    assert results[0] == results[1]
    assert results[0]['requests']['reads'] > W     # some windows have extra pages


def test_unknown_outcome_is_reconciled_not_repeated(run_module, webex):
    webex.add('d1')
    webex.add('d2')
    # the write is applied, then the connection drops: the module must read, not repeat
    webex.faults({'kind': 'drop', 'when': 'after', 'next': 1, 'method': 'POST', 'path': RESTORE})
    outcome = run_module({'recording_ids': ['d1', 'd2']})
    result = outcome.result
    assert not outcome.failed, result
    assert result['restored'] == ['d1', 'd2'] and result['changed'] is True
    assert result['requests'] == {'reads': 4, 'writes': 1, 'retries': 0}
    assert len(webex.writes()) == 1


def test_unknown_outcome_not_applied_is_resent_for_the_remaining_ids(run_module, webex):
    webex.add('d1')
    webex.faults({'kind': 'status', 'status': 504, 'next': 1, 'method': 'POST', 'path': RESTORE})
    result = run_module({'recording_ids': ['d1']}).result
    assert result['restored'] == ['d1']
    assert result['requests'] == {'reads': 2, 'writes': 2, 'retries': 1}
    assert any('retried' in warning for warning in run_module.warnings)


def test_unknown_outcome_without_budget_fails(run_module, webex):
    webex.add('d1')
    webex.faults({'kind': 'status', 'status': 504, 'method': 'POST', 'path': RESTORE})
    outcome = run_module({'recording_ids': ['d1'], 'retry_max_wait': 0})
    assert outcome.failed
    assert outcome.result['failed_ids'] == ['d1'] and outcome.result['restored'] == []
    assert outcome.result['tracking_ids'][0] in outcome.result['msg'] and 'retry_max_wait=0' in outcome.result['msg']
    assert len(webex.writes()) == 1


def test_retries_are_visible(run_module, webex):
    webex.add('d1')
    webex.faults({'kind': 'status', 'status': 429, 'retry_after': '2', 'next': 2, 'method': 'GET'})
    result = run_module({'recording_ids': ['d1']}).result
    assert result['requests'] == {'reads': 3, 'writes': 1, 'retries': 2}
    assert run_module.slept == [2.0, 2.0]
    assert any('HTTP 429 x2' in warning for warning in run_module.warnings)
    assert len([log for log in run_module.logs if 'webex retry' in log]) == 2


def test_rate_limit_beyond_budget_fails_naming_the_budget(run_module, webex):
    webex.add('d1')
    webex.faults({'kind': 'status', 'status': 429, 'retry_after': '30'})
    outcome = run_module({'recording_ids': ['d1'], 'retry_max_wait': 60})
    assert outcome.failed
    assert 'retry budget exhausted' in outcome.result['msg'] and outcome.result['tracking_ids'][0] in outcome.result['msg']
    assert outcome.result['requests'] == {'reads': 3, 'writes': 0, 'retries': 2}
    assert len([warning for warning in run_module.warnings if 'retried' in warning]) == 1   # one summary, in the finally


def test_read_error_fails_before_any_write(run_module, webex):
    webex.add('d1')
    webex.add('d2')
    webex.faults({'kind': 'status', 'status': 503, 'method': 'GET', 'path': '/v1/convergedRecordings/d2'})
    outcome = run_module({'recording_ids': ['d1', 'd2'], 'retry_max_wait': 0})
    assert outcome.failed
    assert 'd2' in outcome.result['msg'] and 'nothing was restored' in outcome.result['msg']
    assert webex.writes() == []
    assert len(outcome.result['tracking_ids']) == 1 and outcome.result['tracking_ids'][0] in outcome.result['msg']


def test_the_token_never_appears_in_any_output(run_module, webex):
    """Every failure path; the client's own test covers an API that echoes the token back."""
    scenarios = [
        ({'recording_ids': ['d1']}, {'kind': 'status', 'status': 401}),
        ({'recording_ids': ['d1']}, {'kind': 'status', 'status': 409, 'method': 'POST'}),
        ({'recording_ids': ['d1'], 'retry_max_wait': 0}, {'kind': 'status', 'status': 503, 'method': 'POST'}),
        ({'recording_ids': ['d1'], 'retry_max_wait': 0}, {'kind': 'drop', 'when': 'before', 'method': 'POST'}),
        ({'restore_all': True}, {'kind': 'status', 'status': 403}),
        ({'owner_emails': ['bob@example.com', 'carol@example.com']}, {'kind': 'status', 'status': 403}),
        ({'restore_all': True, 'owner_email': 'bob@example.com'}, {'kind': 'status', 'status': 500}),
    ]
    outputs = []
    for args, fault in scenarios:
        webex.sim.reset(log=True, faults=True, data=True)
        webex.add('d1')
        webex.faults(fault)
        outcome = run_module(args)
        assert outcome.failed, args
        outputs.append(all_text(outcome.result))
    outputs.extend(run_module.warnings + run_module.logs)
    outputs.append(run_module({'recording_ids': [' ']}).result['msg'])
    outputs.append(all_text(webex.sim.requests()))
    for text in outputs:
        assert ADMIN_TOKEN not in text


@pytest.mark.parametrize('check_mode', [False, True])
def test_an_empty_id_list_is_a_no_op_that_sends_nothing(run_module, webex, check_mode):
    webex.add('d1')
    outcome = run_module({'recording_ids': []}, check_mode=check_mode, diff=True)
    result = outcome.result
    assert not outcome.failed, result
    assert result['changed'] is False and result['msg'] == 'recording_ids is empty: nothing to restore, no request was sent'
    assert result['restored'] == [] and result['recordings'] == [] and result['strategy'] == 'per_id'
    assert result['requests'] == {'reads': 0, 'writes': 0, 'retries': 0}
    assert result['diff'] == {'before': {'recordings': {}}, 'after': {'recordings': {}}}
    assert webex.calls() == []


@pytest.mark.parametrize('check_mode', [False, True])
# reads: per_id one per unique id (the ids and 'avail'); bin_listing W, then 'avail', not in the bin, by id.
@pytest.mark.parametrize('count, strategy, reads', [(3, 'per_id', 3 + 1), (20, 'bin_listing', W + 1)])
def test_max_restores_counts_the_ids_in_the_bin_and_refuses_before_any_write(run_module, webex, check_mode, count, strategy, reads):
    ids = ['cap-%02d' % index for index in range(count)]
    for recording_id in ids:
        webex.add(recording_id)
    webex.add('avail', status='available')
    outcome = run_module({'recording_ids': ids + ['avail'], 'max_restores': count - 1}, check_mode=check_mode)
    result = outcome.result
    assert outcome.failed, result
    assert 'max_restores' in result['msg'] and '%d recording(s) in the recycle bin' % count in result['msg']
    assert 'max_restores=%d' % (count - 1) in result['msg'] and 'nothing was restored' in result['msg']
    assert result['selected'] == count and result['strategy'] == strategy and result['restored'] == []
    assert result['requests'] == {'reads': reads, 'writes': 0, 'retries': 0}
    assert webex.writes() == []
    # The available id does not count: exactly the ids in the bin are allowed.
    allowed = run_module({'recording_ids': ids + ['avail'], 'max_restores': count}, check_mode=check_mode).result
    assert sorted(allowed['restored']) == ids and allowed['already_available'] == ['avail']
