# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""webex_recording_restore in real ansible-playbook runs against the simulator.

Every scenario checks the state the simulator ends in and the number of requests it saw against the
request-count contract in the module's documentation.
"""

import math
from datetime import datetime, timedelta

from _playbook import run_module_play, run_module_tasks

ALICE_RECENT = 'a1000000-0000-4000-8000-000000000001'
ALICE_OLD = 'a1000000-0000-4000-8000-000000000002'
ALICE_AVAILABLE = 'a1000000-0000-4000-8000-000000000003'
ALICE_PURGED = 'a1000000-0000-4000-8000-000000000004'
BOB_RECENT = 'b2000000-0000-4000-8000-000000000001'
BOB_OLDER = 'b2000000-0000-4000-8000-000000000002'
ADMIN_OWN = 'd4000000-0000-4000-8000-000000000001'
UNKNOWN = 'ffffffff-0000-4000-8000-00000000dead'

RESTORE = 'POST /v1/convergedRecordings/restore'
DETAILS = 'GET /v1/convergedRecordings/{recordingId}'
USER_LIST = 'GET /v1/convergedRecordings'
ADMIN_LIST = 'GET /v1/admin/convergedRecordings'

LOOKBACK_DAYS = 365
# The lookback horizon [now - 365 days, now + 1 day) in windows of 29 days, inside the API's 30.
WINDOWS = math.ceil((LOOKBACK_DAYS + 1) / 29)


def args(sim, token, **module_args):
    module_args.update(access_token=token, api_url=sim.api_url)
    return module_args


def count(sim, endpoint):
    return sim.counters()['by_endpoint'].get(endpoint, 0)


def statuses(sim):
    return {item['id']: item['status'] for item in sim.recordings()}


def restore_bodies(sim):
    return [entry['body'] for entry in sim.requests() if entry['method'] == 'POST' and entry['path'].endswith('/restore')]


def result_of(run):
    assert len(run.results) == 1, run
    return run.results[0]


def test_restore_ids_as_user_reads_each_id_once_and_writes_once(module_sim, tmp_path):
    run = run_module_play(tmp_path, args(module_sim, 'alice-token', recording_ids=[ALICE_RECENT, ALICE_AVAILABLE, ALICE_RECENT]))
    result = result_of(run)
    assert result['changed'] is True, result
    assert result['restored'] == [ALICE_RECENT]
    assert result['already_available'] == [ALICE_AVAILABLE]
    assert result['missing'] == []
    assert statuses(module_sim)[ALICE_RECENT] == 'available'
    # Contract: 2 unique ids <= 13 windows, so one read per unique id and one write per batch of 100.
    assert count(module_sim, DETAILS) == 2
    assert count(module_sim, RESTORE) == 1
    assert restore_bodies(module_sim) == [{'recordingIds': [ALICE_RECENT]}]
    assert result['requests']['reads'] == 2 and result['requests']['writes'] == 1
    recordings = {item['id']: item for item in result['recordings']}
    assert recordings[ALICE_RECENT]['status_before'] == 'deleted'
    assert recordings[ALICE_RECENT]['status_after'] == 'available'
    assert recordings[ALICE_RECENT]['owner_email'] == 'alice@example.com'


def test_second_run_is_unchanged_and_sends_no_write(module_sim, tmp_path):
    module_args = args(module_sim, 'alice-token', recording_ids=[ALICE_RECENT, ALICE_AVAILABLE])
    first = result_of(run_module_play(tmp_path, module_args))
    assert first['changed'] is True
    module_sim.reset(log=True, faults=True, data=False)
    second = result_of(run_module_play(tmp_path, module_args))
    assert second['changed'] is False, second
    assert second['restored'] == []
    assert sorted(second['already_available']) == sorted([ALICE_RECENT, ALICE_AVAILABLE])
    assert count(module_sim, RESTORE) == 0
    assert count(module_sim, DETAILS) == 2


def test_check_mode_predicts_the_change_and_writes_nothing(module_sim, tmp_path):
    before = statuses(module_sim)
    run = run_module_play(tmp_path, args(module_sim, 'alice-token', restore_all=True), check=True)
    result = result_of(run)
    assert result['changed'] is True, result
    assert sorted(result['restored']) == sorted([ALICE_RECENT, ALICE_OLD])
    assert count(module_sim, RESTORE) == 0
    assert module_sim.counters()['writes'] == 0
    assert statuses(module_sim) == before
    # The real run then does exactly what check mode predicted.
    module_sim.reset(log=True, faults=True, data=False)
    real = result_of(run_module_play(tmp_path, args(module_sim, 'alice-token', restore_all=True)))
    assert real['changed'] is True
    assert sorted(real['restored']) == sorted(result['restored'])


def test_diff_mode_shows_status_before_and_after(module_sim, tmp_path):
    run = run_module_play(tmp_path, args(module_sim, 'alice-token', recording_ids=[ALICE_RECENT, ALICE_AVAILABLE]), diff=True)
    result = result_of(run)
    assert result['diff']['before']['recordings'][ALICE_RECENT] == 'deleted'
    assert result['diff']['after']['recordings'][ALICE_RECENT] == 'available'
    assert result['diff']['before']['recordings'][ALICE_AVAILABLE] == 'available'
    assert ALICE_RECENT in run.stdout and 'deleted' in run.stdout


def test_restore_all_as_user_covers_a_year_and_sends_one_restore_all(module_sim, tmp_path):
    result = result_of(run_module_play(tmp_path, args(module_sim, 'alice-token', restore_all=True)))
    assert result['changed'] is True, result
    # The recording made 200 days ago and deleted since is found thanks to the one-year horizon.
    assert sorted(result['restored']) == sorted([ALICE_RECENT, ALICE_OLD])
    assert restore_bodies(module_sim) == [{'restoreAll': True}]
    # One read of the admin listing (refused: 403) tells a user token from an administrator's.
    assert count(module_sim, ADMIN_LIST) == 1
    assert count(module_sim, USER_LIST) == WINDOWS
    assert result['requests']['reads'] == 1 + WINDOWS
    assert statuses(module_sim)[ALICE_OLD] == 'available'
    module_sim.reset(log=True, faults=True, data=False)
    again = result_of(run_module_play(tmp_path, args(module_sim, 'alice-token', restore_all=True)))
    assert again['changed'] is False and again['restored'] == []
    assert count(module_sim, RESTORE) == 0


def test_restore_all_for_another_owner_as_administrator(module_sim, tmp_path):
    result = result_of(run_module_play(tmp_path, args(module_sim, 'admin-token', restore_all=True, owner_email='bob@example.com')))
    assert result['changed'] is True, result
    assert sorted(result['restored']) == sorted([BOB_RECENT, BOB_OLDER])
    assert restore_bodies(module_sim) == [{'restoreAll': True, 'ownerEmail': 'bob@example.com'}]
    assert count(module_sim, ADMIN_LIST) == WINDOWS
    admin_queries = [entry['query'] for entry in module_sim.requests() if entry['path'] == '/v1/admin/convergedRecordings']
    assert all(query.get('ownerEmail') == 'bob@example.com' and query.get('status') == 'deleted' for query in admin_queries)
    assert statuses(module_sim)[BOB_RECENT] == 'available'
    assert statuses(module_sim)['c3000000-0000-4000-8000-000000000001'] == 'deleted'


def test_administrator_restore_all_without_owner_email_is_told_to_set_it(module_sim, tmp_path):
    # The administrator's own bin is not empty: without the role read, restoreAll would be sent.
    assert statuses(module_sim)[ADMIN_OWN] == 'deleted'
    for check_mode in (True, False):
        module_sim.reset(log=True, faults=True, data=False)
        run = run_module_play(tmp_path, args(module_sim, 'admin-token', restore_all=True), check=check_mode)
        result = result_of(run)
        assert result['failed'] is True, (check_mode, result)
        assert 'set owner_email' in result['msg'], result['msg']
        assert result['restored'] == [] and result.get('changed') is False
        assert module_sim.counters()['reads'] == 1 == count(module_sim, ADMIN_LIST)
        assert module_sim.counters()['writes'] == 0
        assert result['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}
    assert statuses(module_sim)[ADMIN_OWN] == 'deleted'


def test_every_admin_listing_window_stays_inside_the_30_day_limit(module_sim, tmp_path):
    result = result_of(run_module_play(tmp_path, args(module_sim, 'admin-token', restore_all=True, owner_email='bob@example.com')))
    assert result['changed'] is True, result
    windows = [entry['query'] for entry in module_sim.requests() if entry['path'] == '/v1/admin/convergedRecordings']
    assert len(windows) == WINDOWS
    for query in windows:
        start = datetime.fromisoformat(query['from'].replace('Z', '+00:00'))
        end = datetime.fromisoformat(query['to'].replace('Z', '+00:00'))
        assert timedelta(0) < end - start <= timedelta(days=29), query


def test_250_ids_are_read_from_the_bin_and_restored_in_three_writes(module_sim, tmp_path):
    bulk = sorted(item['id'] for item in module_sim.recordings() if item['ownerEmail'].endswith('@bulk.example.com'))
    assert len(bulk) == 250
    in_bin = sum(1 for status in statuses(module_sim).values() if status == 'deleted')
    result = result_of(run_module_play(tmp_path, args(module_sim, 'admin-token', recording_ids=bulk)))
    assert result['changed'] is True, result
    assert sorted(result['restored']) == bulk
    assert sorted(len(body['recordingIds']) for body in restore_bodies(module_sim)) == [50, 100, 100]
    # Contract: 250 ids > 13 windows, so one sweep of the org's bin replaces 250 reads:
    # W window requests plus the extra pages, and no per-id read since every id was in the bin.
    # The newest window [now - 29 d, now + 1 d) holds 254 of the org's 256 deleted recordings: 3 pages of 100.
    assert in_bin == 256
    listing_reads = count(module_sim, ADMIN_LIST)
    assert listing_reads == WINDOWS + 2
    assert count(module_sim, DETAILS) == 0
    assert result['requests'] == {'reads': listing_reads, 'writes': 3, 'retries': 0}
    assert all(statuses(module_sim)[rid] == 'available' for rid in bulk)


def test_missing_ids_fail_before_any_write_by_default(module_sim, tmp_path):
    result = result_of(run_module_play(tmp_path, args(module_sim, 'alice-token', recording_ids=[ALICE_RECENT, ALICE_PURGED, UNKNOWN, BOB_RECENT])))
    assert result['failed'] is True
    for rid in (ALICE_PURGED, UNKNOWN, BOB_RECENT):
        assert rid in result['msg']
    assert count(module_sim, RESTORE) == 0
    assert statuses(module_sim)[ALICE_RECENT] == 'deleted'
    assert sorted(result['missing']) == sorted([ALICE_PURGED, UNKNOWN, BOB_RECENT])


def test_missing_ids_can_be_reported_as_a_warning(module_sim, tmp_path):
    result = result_of(run_module_play(tmp_path, args(module_sim, 'alice-token', missing='warn', recording_ids=[ALICE_RECENT, UNKNOWN])))
    assert result.get('failed') is not True, result
    assert result['changed'] is True
    assert result['restored'] == [ALICE_RECENT]
    assert result['missing'] == [UNKNOWN]
    assert any(UNKNOWN in warning for warning in result['warnings'])
    assert restore_bodies(module_sim) == [{'recordingIds': [ALICE_RECENT]}]


def test_unknown_token_fails_with_401_and_tracking_id(module_sim, tmp_path):
    result = result_of(run_module_play(tmp_path, args(module_sim, 'not-a-real-token-5f2b', restore_all=True)))
    assert result['failed'] is True
    assert '401' in result['msg'] and 'trackingid' in result['msg'].lower(), result['msg']
    assert 'not-a-real-token-5f2b' not in repr(result)


def test_missing_write_scope_fails_with_403_and_tracking_id(module_sim, tmp_path):
    result = result_of(run_module_play(tmp_path, args(module_sim, 'reader-token', recording_ids=[ALICE_RECENT])))
    assert result['failed'] is True
    assert '403' in result['msg'] and 'trackingid' in result['msg'].lower(), result['msg']
    assert result['tracking_ids'], result
    assert statuses(module_sim)[ALICE_RECENT] == 'deleted'


def test_a_429_storm_is_waited_out_and_ends_restored(module_sim, tmp_path):
    module_sim.set_faults([{'kind': 'status', 'status': 429, 'retry_after': '1', 'next': 3, 'method': 'POST'}])
    result = result_of(run_module_play(tmp_path, args(module_sim, 'alice-token', recording_ids=[ALICE_RECENT])))
    assert result['changed'] is True, result
    assert result['restored'] == [ALICE_RECENT]
    assert result['requests']['retries'] == 3
    assert count(module_sim, RESTORE) == 4
    assert any('429' in warning for warning in result.get('warnings', [])), result
    assert statuses(module_sim)[ALICE_RECENT] == 'available'


def test_retry_budget_exhausted_reports_the_recordings_still_in_the_bin(module_sim, tmp_path):
    module_sim.set_faults([{'kind': 'status', 'status': 429, 'retry_after': '2', 'next': 50, 'method': 'POST'}])
    result = result_of(run_module_play(tmp_path, args(module_sim, 'alice-token', recording_ids=[ALICE_RECENT], retry_max_wait=3)))
    assert result['failed'] is True
    assert 'retry' in result['msg'].lower() and ALICE_RECENT in result['msg'], result['msg']
    assert result['failed_ids'] == [ALICE_RECENT]
    assert result['restored'] == []
    assert statuses(module_sim)[ALICE_RECENT] == 'deleted'


def test_write_dropped_after_it_was_applied_is_reconciled_without_a_second_write(module_sim, tmp_path):
    module_sim.set_faults([{'kind': 'drop', 'when': 'after', 'next': 1, 'method': 'POST'}])
    result = result_of(run_module_play(tmp_path, args(module_sim, 'alice-token', recording_ids=[ALICE_RECENT, ALICE_OLD])))
    assert result['changed'] is True, result
    assert sorted(result['restored']) == sorted([ALICE_RECENT, ALICE_OLD])
    assert count(module_sim, RESTORE) == 1
    # Two reads before the write, then the batch re-read to learn what the lost answer would have said.
    assert count(module_sim, DETAILS) == 4
    assert statuses(module_sim)[ALICE_OLD] == 'available'


def test_write_dropped_before_it_was_applied_is_reconciled_and_sent_again(module_sim, tmp_path):
    module_sim.set_faults([{'kind': 'drop', 'when': 'before', 'next': 1, 'method': 'POST'}])
    result = result_of(run_module_play(tmp_path, args(module_sim, 'alice-token', recording_ids=[ALICE_RECENT])))
    assert result['changed'] is True, result
    assert result['restored'] == [ALICE_RECENT]
    assert count(module_sim, RESTORE) == 2
    assert statuses(module_sim)[ALICE_RECENT] == 'available'


def test_self_signed_certificate_is_refused_by_default(tls_simulator, tmp_path):
    tls_simulator.reset(log=True, faults=True, data=True)
    result = result_of(run_module_play(tmp_path, args(tls_simulator, 'alice-token', recording_ids=[ALICE_RECENT])))
    assert result['failed'] is True
    assert 'certificate' in result['msg'].lower() and 'ca_path' in result['msg'], result['msg']
    assert statuses(tls_simulator)[ALICE_RECENT] == 'deleted'


def test_self_signed_certificate_is_accepted_with_its_ca(tls_simulator, tmp_path):
    tls_simulator.reset(log=True, faults=True, data=True)
    result = result_of(run_module_play(tmp_path, args(tls_simulator, 'alice-token', recording_ids=[ALICE_RECENT], ca_path=tls_simulator.ca_file)))
    assert result['changed'] is True, result
    assert statuses(tls_simulator)[ALICE_RECENT] == 'available'


def test_token_from_the_environment_never_appears_in_output(module_sim, tmp_path):
    env = {'WEBEX_ACCESS_TOKEN': 'alice-token', 'WEBEX_API_URL': module_sim.api_url}
    run = run_module_play(tmp_path, {'recording_ids': [ALICE_RECENT]}, env=env, verbosity=4)
    result = result_of(run)
    assert result['changed'] is True, result
    assert 'alice-token' not in run.output
    failing = run_module_play(tmp_path, {'recording_ids': [ALICE_RECENT], 'access_token': 'leaky-secret-value-42', 'api_url': module_sim.api_url},
                              verbosity=4)
    assert 'leaky-secret-value-42' not in failing.output
    assert 'leaky-secret-value-42' not in repr(failing.results)
    assert 'alice-token' not in repr(module_sim.requests())


def test_invalid_arguments_are_refused_before_any_request(module_sim, tmp_path):
    cases = [
        ({'recording_ids': [ALICE_RECENT], 'restore_all': True}, 'mutually exclusive'),
        ({}, 'one of the following is required'),
        ({'owner_email': 'bob@example.com', 'recording_ids': [ALICE_RECENT]}, 'owner_email'),
        ({'lookback_days': 3651, 'recording_ids': [ALICE_RECENT]}, 'lookback_days must be at most 3650'),
        ({'recording_ids': ['  ']}, 'recording_ids'),
        ({'recording_ids': ['..']}, 'must not be "." or ".."'),
        ({'recording_ids': ['.']}, 'must not be "." or ".."'),
        ({'recording_ids': [ALICE_RECENT, '../admin/convergedRecordings']}, 'must not contain "/"'),
        ({'recording_ids': ['a\nb']}, 'control characters'),
        ({'restore_all': True, 'owner_email': 'not-an-email'}, 'owner_email'),
    ]
    run = run_module_tasks(tmp_path, [args(module_sim, 'admin-token', **module_args) for module_args, dummy in cases])
    assert len(run.results) == len(cases), run
    for (module_args, expected), result in zip(cases, run.results):
        assert result['failed'] is True, (module_args, result)
        assert expected in result['msg'], (module_args, result['msg'])
    assert module_sim.counters()['total'] == 0
