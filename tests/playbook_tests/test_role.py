# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role recording_restore through its runbooks (playbooks/), with real ansible-playbook runs
against an in-process simulator on 127.0.0.1: results, audit reports and simulator counters."""

import pytest

from _role_helpers import (ADMIN_TOKEN, OWNERS, ROLE_SEED, playbook_env, read_report, run_runbook,
                           seeded_simulator, statuses)

CSV_FIELDS = ['row_type', 'whose', 'api', 'owner', 'owner_type', 'owner_name', 'outcome', 'restored', 'already_available',
              'missing', 'failed', 'unknown', 'tracking_id', 'error', 'restored_ids', 'failed_ids', 'missing_ids', 'unknown_ids',
              'run_started', 'check_mode']
RESTORE_PATH = '/v1/convergedRecordings/restore'


role_simulator, role_sim = seeded_simulator('role', ROLE_SEED)


def deleted_ids(sim, owner):
    return sorted(item['id'] for item in sim.recordings(owner_email=owner, status='deleted'))


def test_owner_bins_restored_by_one_sweep_then_idempotent(role_sim, tmp_path):
    report_base = tmp_path / 'report'
    survey = {'restore_owners': '\n'.join(OWNERS[:3]) + '\n' + ', '.join(OWNERS[3:]) + '\nghost@role.example.com\n',
              'restore_report_path': str(report_base)}
    first = run_runbook('restore_owner_bins.yml', survey, playbook_env(role_sim), tmp_path)

    assert first.returncode == 0, first
    assert first.recap['changed'] >= 1
    assert statuses(role_sim) == {'available': 20}
    counters = role_sim.counters()
    assert counters['by_endpoint']['POST /v1/convergedRecordings/restore'] == 1  # 15 ids: one batch
    assert counters['by_endpoint']['GET /v1/convergedRecordings/{recordingId}'] == 0
    listings = [r for r in role_sim.requests() if r['path'] == '/v1/admin/convergedRecordings']
    # org-wide, not per owner; one more read asks whether the owner that came up empty (ghost) has any recording
    assert listings and [r['query'].get('ownerEmail') for r in listings if r['query'].get('ownerEmail')] == ['ghost@role.example.com']

    report, rows = read_report(report_base)
    assert report['run']['check_mode'] is False
    assert report['totals']['restored'] == 15
    assert report['totals']['failed_rows'] == 0
    assert report['totals']['requests']['writes'] == 1
    by_owner = {row['owner']: row for row in report['rows']}
    assert sorted(by_owner) == sorted(OWNERS + ['ghost@role.example.com'])
    for owner in OWNERS:
        assert by_owner[owner]['outcome'] == 'restored' and len(by_owner[owner]['restored']) == 3
    assert by_owner['ghost@role.example.com']['outcome'] == 'nothing_found'   # no such owner: the address may be wrong
    assert list(rows[0]) == CSV_FIELDS
    assert rows[0]['row_type'] == 'run'
    assert [row['owner'] for row in rows[1:-1]] == sorted(by_owner)
    assert rows[-1]['row_type'] == 'total' and rows[-1]['restored'] == '15' and rows[-1]['outcome'] == 'ok'
    for text in (first.output, (tmp_path / 'report-latest.json').read_text(), (tmp_path / 'report-latest.csv').read_text()):
        assert ADMIN_TOKEN not in text

    role_sim.reset(log=True, faults=False, data=False)
    second = run_runbook('restore_owner_bins.yml', survey, playbook_env(role_sim), tmp_path)
    assert second.returncode == 0, second
    assert second.recap['changed'] == 0, second
    assert role_sim.counters()['writes'] == 0
    assert read_report(report_base)[0]['totals']['restored'] == 0


def test_check_mode_predicts_and_writes_nothing(role_sim, tmp_path):
    report_base = tmp_path / 'dry-run'
    run = run_runbook('restore_owner_bins.yml', {'restore_owners': OWNERS, 'restore_report_path': str(report_base)},
                      playbook_env(role_sim), tmp_path, check=True)

    assert run.returncode == 0, run
    assert role_sim.counters()['writes'] == 0
    assert statuses(role_sim) == {'deleted': 15, 'available': 5}
    report, rows = read_report(report_base)
    assert report['run']['check_mode'] is True
    assert report['totals']['restored'] == 15
    assert {row['check_mode'] for row in rows} == {'true'}


@pytest.mark.parametrize('file_format', ['lines', 'yaml'])
def test_recording_ids_from_a_file(role_sim, tmp_path, file_format):
    wanted = deleted_ids(role_sim, OWNERS[1])[:2]
    available = sorted(item['id'] for item in role_sim.recordings(owner_email=OWNERS[1], status='available'))
    ids = wanted + available
    ids_file = tmp_path / 'ids.txt'
    if file_format == 'lines':
        ids_file.write_text('# ticket 4711\n' + '\n'.join(ids) + '\n\n')
    else:
        ids_file.write_text('---\n' + ''.join('- %s\n' % i for i in ids))
    report_base = tmp_path / 'ids-report'
    run = run_runbook('restore_recording_ids.yml',
                      {'restore_recording_ids_file': str(ids_file), 'restore_report_path': str(report_base)},
                      playbook_env(role_sim), tmp_path)

    assert run.returncode == 0, run
    assert deleted_ids(role_sim, OWNERS[1]) == sorted(set(deleted_ids(role_sim, OWNERS[1])) - set(wanted))
    assert role_sim.counters()['writes'] == 1
    report, _rows = read_report(report_base)
    assert sorted(sum((row['restored'] for row in report['rows']), [])) == sorted(wanted)
    assert sorted(sum((row['already_available'] for row in report['rows']), [])) == available
    assert {row['whose'] for row in report['rows']} == {'recording_ids'}


def test_unknown_id_fails_after_the_report_unless_warn(role_sim, tmp_path):
    wanted = deleted_ids(role_sim, OWNERS[2])[:1]
    unknown = 'no-such-recording-0001'
    report_base = tmp_path / 'missing'
    survey = {'restore_recording_ids': '%s\n%s' % (wanted[0], unknown), 'restore_report_path': str(report_base)}

    failed = run_runbook('restore_recording_ids.yml', survey, playbook_env(role_sim), tmp_path)
    assert failed.returncode != 0, failed
    assert unknown in failed.output
    report, rows = read_report(report_base)
    assert report['totals']['failed_rows'] >= 1
    assert unknown in sum((row['missing'] for row in report['rows']), [])
    assert rows[-1]['outcome'] == 'failed'

    warned = run_runbook('restore_recording_ids.yml', dict(survey, restore_missing='warn'),
                         playbook_env(role_sim), tmp_path)
    assert warned.returncode == 0, warned
    report, _rows = read_report(report_base)
    assert unknown in sum((row['missing'] for row in report['rows']), [])
    assert report['totals']['failed_rows'] == 0


@pytest.mark.parametrize('continue_on_failure', [True, False])
def test_failed_chunk_reported_and_play_fails_at_the_end(role_sim, tmp_path, continue_on_failure):
    # The first restore request (owners 0 and 1, the first chunk) answers 500; no retries.
    role_sim.set_faults([{'kind': 'status', 'status': 500, 'next': 1, 'method': 'POST', 'path': RESTORE_PATH}])
    report_base = tmp_path / 'chunks'
    run = run_runbook('restore_owner_bins.yml',
                      {'restore_owners': '\n'.join(OWNERS), 'restore_owners_per_call': '2', 'restore_retry_max_wait': '0',
                       'restore_continue_on_failure': continue_on_failure, 'restore_report_path': str(report_base)},
                      playbook_env(role_sim), tmp_path)

    assert run.returncode != 0, run
    assert OWNERS[0] in run.output and OWNERS[1] in run.output
    report, rows = read_report(report_base)
    by_owner = {row['owner']: row for row in report['rows']}
    for owner in OWNERS[:2]:
        assert by_owner[owner]['outcome'] == 'failed'
        assert by_owner[owner]['tracking_id']
        assert len(deleted_ids(role_sim, owner)) == 3
    later = 'restored' if continue_on_failure else 'skipped'
    for owner in OWNERS[2:]:
        assert by_owner[owner]['outcome'] == later
        assert len(deleted_ids(role_sim, owner)) == (0 if continue_on_failure else 3)
    assert report['totals']['failed_calls'] == 1
    assert rows[-1]['outcome'] == 'failed'
    assert role_sim.counters()['by_endpoint']['POST /v1/convergedRecordings/restore'] == (3 if continue_on_failure else 1)


@pytest.mark.parametrize('fail_on_it', [False, True])
def test_a_mistyped_owner_stands_out_and_may_fail_the_job(role_sim, tmp_path, fail_on_it):
    report_base = tmp_path / 'typo'
    survey = {'restore_owners': '%s\nuser00O1@role.example.com' % OWNERS[0], 'restore_report_path': str(report_base),
              'restore_fail_on_nothing_found': fail_on_it}
    run = run_runbook('restore_owner_bins.yml', survey, playbook_env(role_sim), tmp_path)

    assert (run.returncode != 0) is fail_on_it, run
    assert 'user00O1@role.example.com' in run.output and 'may be wrong' in run.output
    report, rows = read_report(report_base)
    outcomes = dict((row['owner'], row['outcome']) for row in report['rows'])
    assert outcomes == {OWNERS[0]: 'restored', 'user00O1@role.example.com': 'nothing_found'}
    assert report['nothing_found_owners'] == ['user00O1@role.example.com']
    # one sweep, then one read to ask whether the owner that came up empty has any recording at all
    checks = [entry for entry in role_sim.requests() if entry['query'].get('ownerEmail')]
    assert [entry['query']['ownerEmail'] for entry in checks] == ['user00O1@role.example.com']
    assert statuses(role_sim, OWNERS[:1]) == {'available': 4}
