# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The module end to end over the in-memory fake API: strategies and their request counts, check
and diff mode, missing ids, whole bins, owners, failures, unknown outcomes, retries, secrets."""

import math

from restore_fakes import TOKEN, all_text, error_body

W = 13  # listing windows of the default lookback_days (365)


def writes(transport):
    return [call for call in transport.calls if call.method == 'POST']


def reads(transport):
    return [call for call in transport.calls if call.method == 'GET']


def test_per_id_restores_deleted_and_reports_the_rest(run_module, fake_webex, http_transport):
    fake_webex.add('d1')
    fake_webex.add('a1', status='available')
    fake_webex.add('p1', status='purged')
    outcome = run_module({'recording_ids': ['d1', 'a1', 'd1', 'p1', 'x1'], 'missing': 'warn'})
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
    assert [call.body for call in writes(http_transport)] == [{'recordingIds': ['d1']}]
    assert any('p1, x1' in warning and 'missing=warn' in warning for warning in run_module.warnings)
    assert result['recordings'][0] == {'id': 'd1', 'owner_email': 'alice@example.com', 'status_before': 'deleted',
                                       'status_after': 'available', 'action': 'restore'}
    assert 'diff' not in result
    assert fake_webex.recordings['d1']['status'] == 'available'


def test_second_run_changes_nothing(run_module, fake_webex, http_transport):
    fake_webex.add('d1')
    assert run_module({'recording_ids': ['d1']}).result['changed'] is True
    again = run_module({'recording_ids': ['d1']}).result
    assert again['changed'] is False and again['already_available'] == ['d1']
    assert again['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}


def test_missing_fails_before_any_write_by_default(run_module, fake_webex, http_transport):
    fake_webex.add('d1')
    outcome = run_module({'recording_ids': ['d1', 'gone-1']})
    assert outcome.failed
    assert 'recording_ids' in outcome.result['msg'] and 'gone-1' in outcome.result['msg'] and 'missing=fail' in outcome.result['msg']
    assert writes(http_transport) == []
    assert outcome.result['missing'] == ['gone-1'] and outcome.result['restored'] == []
    assert outcome.result['changed'] is False
    assert fake_webex.recordings['d1']['status'] == 'deleted'


def test_check_mode_reads_everything_writes_nothing(run_module, fake_webex, http_transport):
    fake_webex.add('d1')
    fake_webex.add('a1', status='available')
    outcome = run_module({'recording_ids': ['d1', 'a1']}, check_mode=True, diff=True)
    result = outcome.result
    assert result['changed'] is True and result['restored'] == ['d1']
    assert result['requests'] == {'reads': 2, 'writes': 0, 'retries': 0}
    assert writes(http_transport) == []
    assert result['diff'] == {'before': {'recordings': {'d1': 'deleted', 'a1': 'available'}},
                              'after': {'recordings': {'d1': 'available', 'a1': 'available'}}}
    assert fake_webex.recordings['d1']['status'] == 'deleted'
    real = run_module({'recording_ids': ['d1', 'a1']}, diff=True).result
    assert real['changed'] == result['changed'] and real['restored'] == result['restored'] and real['diff'] == result['diff']


def test_bin_listing_for_many_ids_with_exact_request_counts(run_module, fake_webex, http_transport):
    fake_webex.admin = True
    deleted = ['del-%03d' % index for index in range(250)]
    for index, recording_id in enumerate(deleted):
        fake_webex.add(recording_id, owner='user%d@example.com' % (index % 3), days_ago=5)
    fake_webex.add('av-1', status='available')
    fake_webex.add('av-2', status='available')
    fake_webex.add('old-deleted', days_ago=500)   # outside the lookback: found by its GET
    ids = deleted + ['av-1', 'av-2', 'old-deleted', 'nope'] + deleted[:20]
    outcome = run_module({'recording_ids': ids, 'missing': 'warn'})
    result = outcome.result
    assert not outcome.failed, result['msg'] if outcome.failed else None
    assert result['strategy'] == 'bin_listing'
    # reads = W + extra pages (250 in one window: 3 pages, 2 extra) + U (4 ids not found in the bin)
    assert result['requests'] == {'reads': W + 2 + 4, 'writes': 3, 'retries': 0}
    # batches run concurrently: their order on the wire varies, their content does not
    sent = sorted((call.body['recordingIds'] for call in writes(http_transport)), key=lambda batch: batch[0])
    assert sent == [deleted[:100], deleted[100:200], deleted[200:] + ['old-deleted']]
    assert result['restored'] == deleted + ['old-deleted']
    assert result['missing'] == ['nope']
    admin_lists = [call for call in reads(http_transport) if call.path == '/v1/admin/convergedRecordings']
    assert len(admin_lists) == W + 2
    assert all(call.query.get('max', '100') == '100' for call in admin_lists)


def test_bin_listing_falls_back_to_the_user_endpoint(run_module, fake_webex, http_transport):
    ids = ['u%02d' % index for index in range(15)]
    for recording_id in ids:
        fake_webex.add(recording_id)
    outcome = run_module({'recording_ids': ids})
    result = outcome.result
    assert not outcome.failed
    assert result['requests'] == {'reads': 1 + W, 'writes': 1, 'retries': 0}   # + 1 for the refused admin listing
    assert reads(http_transport)[0].path == '/v1/admin/convergedRecordings'
    assert {call.path for call in reads(http_transport)[1:]} == {'/v1/convergedRecordings'}
    assert result['restored'] == ids


def test_restore_all_of_the_caller(run_module, fake_webex, http_transport):
    fake_webex.add('d1', days_ago=200)
    fake_webex.add('d2', days_ago=1)
    fake_webex.add('bob1', owner='bob@example.com')
    outcome = run_module({'restore_all': True}, diff=True)
    result = outcome.result
    assert result['changed'] is True and sorted(result['restored']) == ['d1', 'd2']
    # + 1: the refused admin listing that tells a user token from an administrator's
    assert result['requests'] == {'reads': 1 + W, 'writes': 1, 'retries': 0}
    assert [call.body for call in writes(http_transport)] == [{'restoreAll': True}]
    assert result['diff']['after']['recordings'] == {'d1': 'available', 'd2': 'available'}
    assert 'owners' not in result
    again = run_module({'restore_all': True}).result
    assert again['changed'] is False and again['requests'] == {'reads': 1 + W, 'writes': 0, 'retries': 0}


def test_restore_all_with_an_admin_token_without_owner_email(run_module, fake_webex, http_transport):
    fake_webex.admin = True
    fake_webex.add('own1')
    for check_mode in (True, False):
        http_transport.calls.clear()
        outcome = run_module({'restore_all': True}, check_mode=check_mode)
        assert outcome.failed
        assert 'set owner_email' in outcome.result['msg']
        assert outcome.result['restored'] == [] and outcome.result['failed_ids'] == []
        assert outcome.result['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}
        assert [call.path for call in http_transport.calls] == ['/v1/admin/convergedRecordings']


def test_restore_all_refused_listing_says_to_set_owner_email(run_module, fake_webex, http_transport):
    fake_webex.fault(lambda call: call.path == '/v1/convergedRecordings', {'status': 403, 'body': error_body('Forbidden', 'T-403')})
    outcome = run_module({'restore_all': True})
    assert outcome.failed
    assert 'set owner_email' in outcome.result['msg'] and 'T-403' in outcome.result['msg']
    assert writes(http_transport) == []


def test_restore_all_of_one_owner(run_module, fake_webex, http_transport):
    fake_webex.admin = True
    fake_webex.add('b1', owner='bob@example.com')
    fake_webex.add('c1', owner='carol@example.com')
    outcome = run_module({'restore_all': True, 'owner_email': 'bob@example.com'}, check_mode=True)
    assert outcome.result['restored'] == ['b1'] and writes(http_transport) == []
    outcome = run_module({'restore_all': True, 'owner_email': 'bob@example.com'})
    result = outcome.result
    assert result['restored'] == ['b1']
    assert result['owners'] == {'bob@example.com': {'restored': ['b1'], 'already_available': [], 'missing': [], 'failed': [],
                                                    'tracking_id': None}}
    assert writes(http_transport)[0].body == {'restoreAll': True, 'ownerEmail': 'bob@example.com'}
    assert all(call.query['ownerEmail'] == 'bob@example.com' for call in reads(http_transport))
    assert fake_webex.recordings['c1']['status'] == 'deleted'


def test_owner_emails_sweep(run_module, fake_webex, http_transport):
    fake_webex.admin = True
    for index in range(130):
        fake_webex.add('b%03d' % index, owner='Bob@Example.com', days_ago=40)
    fake_webex.add('c1', owner='carol@example.com')
    fake_webex.add('z1', owner='zed@example.com')
    outcome = run_module({'owner_emails': ['bob@example.com', 'carol@example.com', 'dan@example.com', 'BOB@example.com']})
    result = outcome.result
    assert not outcome.failed
    assert result['strategy'] == 'org_sweep'
    # reads = W + extra pages (130 in one window: 1 extra); writes = ceil(131 / 100)
    assert result['requests'] == {'reads': W + 1, 'writes': math.ceil(131 / 100), 'retries': 0}
    assert sorted(result['owners']) == ['bob@example.com', 'carol@example.com', 'dan@example.com']
    assert len(result['owners']['bob@example.com']['restored']) == 130
    assert result['owners']['carol@example.com']['restored'] == ['c1']
    assert result['owners']['dan@example.com'] == {'restored': [], 'already_available': [], 'missing': [], 'failed': [], 'tracking_id': None}
    assert fake_webex.recordings['z1']['status'] == 'deleted'
    assert all('ownerEmail' not in call.query for call in reads(http_transport))


def test_owner_emails_with_one_owner_lists_that_owner(run_module, fake_webex, http_transport):
    fake_webex.admin = True
    fake_webex.add('c1', owner='carol@example.com')
    result = run_module({'owner_emails': ['carol@example.com']}).result
    assert result['strategy'] == 'per_owner' and result['restored'] == ['c1']
    assert result['requests'] == {'reads': W, 'writes': 1, 'retries': 0}
    assert writes(http_transport)[0].body == {'restoreAll': True, 'ownerEmail': 'carol@example.com'}


def test_owner_emails_failed_batch_fails_at_the_end_with_the_full_result(run_module, fake_webex, http_transport):
    fake_webex.admin = True
    for index in range(150):
        fake_webex.add('a%03d' % index, owner='alice@example.com')
    fake_webex.add('c1', owner='carol@example.com')

    def first_batch(call):
        return call.method == 'POST' and 'a000' in (call.body or {}).get('recordingIds', [])

    fake_webex.fault(first_batch, {'status': 409, 'body': error_body('Conflict', 'TRK-409')})
    outcome = run_module({'owner_emails': ['alice@example.com', 'carol@example.com']})
    result = outcome.result
    assert outcome.failed
    assert len(writes(http_transport)) == 2     # the second batch was still tried
    assert len(result['failed_ids']) == 100 and len(result['restored']) == 51
    assert result['owners']['alice@example.com']['tracking_id'] == 'TRK-409'
    assert len(result['owners']['alice@example.com']['failed']) == 100
    assert result['owners']['carol@example.com']['restored'] == ['c1']
    assert result['changed'] is True
    assert 'alice@example.com' in result['msg'] and 'TRK-409' in result['msg']
    assert result['tracking_ids'] == ['TRK-409']


def test_owner_emails_with_a_user_token(run_module, fake_webex, http_transport):
    outcome = run_module({'owner_emails': ['a@example.com', 'b@example.com']})
    assert outcome.failed
    assert 'owner_emails' in outcome.result['msg'] and 'administrator' in outcome.result['msg'] and 'TRACK-403' in outcome.result['msg']
    assert writes(http_transport) == []


def test_unknown_outcome_is_reconciled_not_repeated(run_module, fake_webex, http_transport):
    fake_webex.add('d1')
    fake_webex.add('d2')
    # the write is applied, but the gateway answers 502: the module must read, not repeat
    fake_webex.fault(lambda call: call.method == 'POST', {'apply_first': True, 'status': 502, 'body': error_body('Bad Gateway', 'GW')})
    outcome = run_module({'recording_ids': ['d1', 'd2']})
    result = outcome.result
    assert not outcome.failed, result
    assert result['restored'] == ['d1', 'd2'] and result['changed'] is True
    assert result['requests'] == {'reads': 4, 'writes': 1, 'retries': 0}
    assert len(writes(http_transport)) == 1


def test_unknown_outcome_not_applied_is_resent_for_the_remaining_ids(run_module, fake_webex, http_transport):
    fake_webex.add('d1')
    fake_webex.fault(lambda call: call.method == 'POST', {'status': 504})
    result = run_module({'recording_ids': ['d1']}).result
    assert result['restored'] == ['d1']
    assert result['requests'] == {'reads': 2, 'writes': 2, 'retries': 1}
    assert any('retried' in warning for warning in run_module.warnings)


def test_unknown_outcome_without_budget_fails(run_module, fake_webex, http_transport):
    fake_webex.add('d1')
    fake_webex.fault(lambda call: call.method == 'POST', {'status': 504, 'body': error_body('Gateway Timeout', 'GT-1')})
    outcome = run_module({'recording_ids': ['d1'], 'retry_max_wait': 0})
    assert outcome.failed
    assert outcome.result['failed_ids'] == ['d1'] and outcome.result['restored'] == []
    assert 'GT-1' in outcome.result['msg'] and 'retry_max_wait=0' in outcome.result['msg']
    assert len(writes(http_transport)) == 1


def test_retries_are_visible(run_module, fake_webex, http_transport):
    fake_webex.add('d1')
    fake_webex.fault(lambda call: call.method == 'GET', {'status': 429, 'headers': {'Retry-After': '2'}}, times=2)
    result = run_module({'recording_ids': ['d1']}).result
    assert result['requests'] == {'reads': 3, 'writes': 1, 'retries': 2}
    assert run_module.slept == [2.0, 2.0]
    assert any('HTTP 429 x2' in warning for warning in run_module.warnings)
    assert len([log for log in run_module.logs if 'webex retry' in log]) == 2


def test_rate_limit_beyond_budget_fails_naming_the_budget(run_module, fake_webex, http_transport):
    fake_webex.add('d1')
    fake_webex.fault(lambda call: True, {'status': 429, 'headers': {'Retry-After': '30'},
                                         'body': error_body('Too Many Requests', 'RL-1')}, times=100)
    outcome = run_module({'recording_ids': ['d1'], 'retry_max_wait': 60})
    assert outcome.failed
    assert 'retry budget exhausted' in outcome.result['msg'] and 'RL-1' in outcome.result['msg']
    assert outcome.result['requests'] == {'reads': 3, 'writes': 0, 'retries': 2}


def test_read_error_fails_before_any_write(run_module, fake_webex, http_transport):
    fake_webex.add('d1')
    fake_webex.add('d2')
    fake_webex.fault(lambda call: call.path.endswith('/d2'), {'status': 401, 'body': error_body('Unauthorized', 'AUTH-1')})
    outcome = run_module({'recording_ids': ['d1', 'd2']})
    assert outcome.failed
    assert 'd2' in outcome.result['msg'] and 'AUTH-1' in outcome.result['msg'] and 'nothing was restored' in outcome.result['msg']
    assert writes(http_transport) == []
    assert outcome.result['tracking_ids'] == ['AUTH-1']


def test_the_token_never_appears_in_any_output(run_module, fake_webex, http_transport):
    """Every failure path, with an API that echoes the token back in its error bodies."""
    echo = error_body('token %s rejected' % TOKEN, 'ECHO', ['Bearer %s is not valid' % TOKEN])
    outputs = []
    scenarios = [
        ({'recording_ids': ['d1']}, lambda call: True, echo),
        ({'recording_ids': ['d1']}, lambda call: call.method == 'POST', echo),
        ({'recording_ids': ['d1'], 'retry_max_wait': 0}, lambda call: call.method == 'POST', dict(echo, status=503)),
        ({'restore_all': True}, lambda call: True, dict(echo, status=403)),
        ({'owner_emails': ['a@example.com', 'b@example.com']}, lambda call: True, dict(echo, status=403)),
        ({'restore_all': True, 'owner_email': 'a@example.com'}, lambda call: True, dict(echo, status=500)),
    ]
    for args, predicate, answer in scenarios:
        fake_webex.recordings.clear()
        fake_webex.faults = []
        fake_webex.add('d1')
        answer = dict(answer)
        body = {'status': answer.pop('status', 400), 'body': answer}
        fake_webex.fault(predicate, body, times=100)
        outcome = run_module(args)
        assert outcome.failed, args
        outputs.append(all_text(outcome.result))
    outputs.extend(run_module.warnings + run_module.logs)
    outputs.append(run_module({'recording_ids': [' ']}).result['msg'])
    for text in outputs:
        assert TOKEN not in text
