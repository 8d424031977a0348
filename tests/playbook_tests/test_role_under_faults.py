# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role through its runbook under what production does to a run: about 20% faults at 1,000 owners, a job
stopped halfway (SIGKILL and SIGTERM, as an AWX cancel), and a token revoked mid-run. Every check compares the
report with the simulator's truth and its request log: nothing claimed that did not happen, nothing done left
unreported, no write repeated blindly."""

import json
import os
import signal
import subprocess
import time

import pytest

from _role_helpers import (ADMIN_TOKEN, ANSIBLE_PLAYBOOK, PLAYBOOKS, playbook_env, read_report, run_runbook,
                           seeded_simulator)

RESTORE = '/v1/convergedRecordings/restore'
OWNER_COUNT = 1000
SOAK_OWNERS = ['user%04d@soak.example.com' % number for number in range(OWNER_COUNT)]
SOAK_SEED = {
    'people': [{'id': 'soak-admin', 'email': 'admin@soak.example.com'}],
    'tokens': [{'token': ADMIN_TOKEN, 'email': 'admin@soak.example.com',
                'scopes': ['spark-admin:recordings_read', 'spark-admin:recordings_write']}],
    'generate': [
        {'owners': OWNER_COUNT, 'per_owner': 5, 'status': 'deleted', 'domain': 'soak.example.com', 'created_days_ago': [1, 25]},
        # Not selected: must stay in the bin.
        {'owners': 40, 'per_owner': 5, 'status': 'deleted', 'domain': 'other.example.com', 'created_days_ago': [1, 25]},
    ],
}
# About one request in five meets a fault: rate limits with Retry-After, 503s, connections dropped before and after a
# write is applied, and gateway 504s after the write was applied. Each fault draws on its own (simulator seed 0).
SOAK_FAULTS = [
    {'kind': 'status', 'status': 429, 'retry_after': '1', 'rate': 0.05},
    {'kind': 'status', 'status': 503, 'rate': 0.05},
    {'kind': 'drop', 'when': 'before', 'rate': 0.03},
    {'kind': 'drop', 'when': 'after', 'rate': 0.05, 'method': 'POST'},
    {'kind': 'status', 'status': 504, 'when': 'after', 'rate': 0.05, 'method': 'POST'},
]

soak_simulator, soak_sim = seeded_simulator('soak', SOAK_SEED)


def _bin_of(sim, owners):
    wanted = set(owner.lower() for owner in owners)
    return dict((item['id'], item['ownerEmail']) for item in sim.recordings(status='deleted') if item['ownerEmail'].lower() in wanted)


def _restore_posts(sim):
    return [entry for entry in sim.requests() if entry['method'] == 'POST' and entry['path'] == RESTORE]


def _applied(entry):
    """Whether a logged restore request changed the bin: a 2xx answer, or a fault that applied it and hid the answer."""
    status = entry.get('applied_status', entry['status']) if entry.get('fault') in ('drop-after', 'status-after') else entry['status']
    return status is not None and 200 <= status < 300


def assert_no_write_repeated_blindly(posts):
    """No id is sent again once a request holding it was applied (the module read the bin before any re-send)."""
    applied_at = {}
    for position, entry in enumerate(posts):
        for recording_id in entry['body']['recordingIds']:
            assert recording_id not in applied_at, 'id %s sent again (request %d) after request %d applied it' % (
                recording_id, position, applied_at[recording_id])
        if _applied(entry):
            for recording_id in entry['body']['recordingIds']:
                applied_at[recording_id] = position
    return applied_at


def _report_ids(report, key):
    return set(recording_id for row in report['rows'] for recording_id in row[key])


def test_1000_owners_under_20_percent_faults_with_the_default_settings(soak_sim, tmp_path):
    selected = _bin_of(soak_sim, SOAK_OWNERS)
    others = _bin_of(soak_sim, ['user%04d@other.example.com' % number for number in range(40)])
    assert len(selected) == 5 * OWNER_COUNT and len(others) == 200
    soak_sim.set_faults(SOAK_FAULTS)
    report_base = tmp_path / 'soak'
    run = run_runbook('restore_owner_bins.yml', {'restore_owners': '\n'.join(SOAK_OWNERS), 'restore_report_path': str(report_base)},
                      playbook_env(soak_sim), tmp_path)

    log = soak_sim.requests()
    faults = [entry for entry in log if entry.get('fault')]
    posts = _restore_posts(soak_sim)
    unanswered = [entry for entry in posts if entry.get('fault') in ('drop-after', 'status-after') and _applied(entry)]
    kinds = {}
    for entry in faults:
        kind = '%s %s' % (entry['method'], entry['fault'] if entry['fault'] != 'status' else entry['status'])
        kinds[kind] = kinds.get(kind, 0) + 1
    print('\nsoak: %d requests, %d faults %s, %d restore requests, %d applied but unanswered' % (
        len(log), len(faults), json.dumps(kinds, sort_keys=True), len(posts), len(unanswered)))
    assert run.returncode == 0, run
    assert len(faults) >= 0.15 * len(log) and unanswered, 'the soak must meet faults, and writes applied but unanswered'

    # The truth: every selected recording is available, nothing else changed.
    now = dict((item['id'], item['status']) for item in soak_sim.recordings())
    assert all(now[recording_id] == 'available' for recording_id in selected)
    assert all(now[recording_id] == 'deleted' for recording_id in others)
    applied = assert_no_write_repeated_blindly(posts)
    assert set(applied) == set(selected)

    # The report equals the truth: per owner, what was restored; nothing failed, nothing unknown.
    report, rows = read_report(report_base)
    assert report['totals']['restored'] == len(selected) and report['totals']['failed'] == 0 and report['totals']['unknown'] == 0
    by_owner = dict((row['owner'], row) for row in report['rows'])
    for recording_id, owner in selected.items():
        assert recording_id in by_owner[owner]['restored']
    assert _report_ids(report, 'restored') == set(selected)
    assert all(row['outcome'] == 'restored' for row in report['rows'])
    assert rows[-1]['outcome'] == 'ok'

    # A second run changes nothing and sends no write.
    soak_sim.set_faults([])
    soak_sim.reset(log=True, faults=True, data=False)
    again = run_runbook('restore_owner_bins.yml', {'restore_owners': '\n'.join(SOAK_OWNERS), 'restore_report_path': str(report_base)},
                        playbook_env(soak_sim), tmp_path)
    assert again.returncode == 0, again
    assert again.recap['changed'] == 0 and soak_sim.counters()['writes'] == 0


def _start_runbook(sim, extra_vars, tmp_path):
    vars_file = tmp_path / 'cancel-vars.json'
    vars_file.write_text(json.dumps(extra_vars))
    log = open(tmp_path / 'cancel.log', 'w')
    # Its own process group, as ansible-runner starts ansible-playbook for AWX.
    return subprocess.Popen([ANSIBLE_PLAYBOOK, str(PLAYBOOKS / 'restore_owner_bins.yml'), '-e', '@%s' % vars_file],
                            env=playbook_env(sim), stdout=log, stderr=subprocess.STDOUT, start_new_session=True), log


@pytest.mark.parametrize('stop', [signal.SIGKILL, signal.SIGTERM], ids=['SIGKILL', 'SIGTERM'])
def test_a_job_stopped_halfway_sends_no_further_write_and_the_rerun_reports_all(soak_sim, tmp_path, stop):
    selected = _bin_of(soak_sim, SOAK_OWNERS)
    # Each restore request takes 0.3 s: 50 batches, 4 at a time, about 4 s of writes to stop in.
    soak_sim.set_faults([{'kind': 'latency', 'seconds': 0.3, 'method': 'POST'}])
    report_base = tmp_path / 'cancel'
    survey = {'restore_owners': '\n'.join(SOAK_OWNERS), 'restore_report_path': str(report_base)}
    process, log = _start_runbook(soak_sim, survey, tmp_path)
    try:
        deadline = time.monotonic() + 120
        while len(_restore_posts(soak_sim)) < 12 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert process.poll() is None, 'the run ended before it could be stopped'
        os.killpg(process.pid, stop)
        process.wait(timeout=60)
        at_stop = len(_restore_posts(soak_sim))
        time.sleep(3)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
        # Ansible's forked worker runs in a session of its own and outlives a stopped ansible-playbook (blocked on the
        # dead controller's pipe once its module has stopped): end what this run left.
        _end_processes_of(str(tmp_path / 'cancel-vars.json'))
    posts = _restore_posts(soak_sim)
    # Requests already in flight (at most max_concurrency) may complete; no new one is sent.
    assert len(posts) <= at_stop + 4, (at_stop, len(posts))
    assert len(posts) < 50
    stopped_restored = set(recording_id for entry in posts if _applied(entry) for recording_id in entry['body']['recordingIds'])
    assert stopped_restored and len(stopped_restored) < len(selected)

    # The stopped run left a record of every batch it applied.
    journal = [json.loads(line) for line in open('%s.journal.jsonl' % report_base)]
    assert set(rid for entry in journal if entry['outcome'] == 'restored' for ids in entry['owners'].values() for rid in ids) == stopped_restored

    soak_sim.set_faults([])
    rerun = run_runbook('restore_owner_bins.yml', survey, playbook_env(soak_sim), tmp_path)
    assert rerun.returncode == 0, rerun
    assert all(item['status'] == 'available' for item in soak_sim.recordings() if item['id'] in selected)
    assert_no_write_repeated_blindly(_restore_posts(soak_sim))
    report, rows = read_report(report_base)
    earlier = set(rid for ids in report['earlier_runs']['restored'].values() for rid in ids)
    assert earlier == stopped_restored
    assert _report_ids(report, 'restored') == set(selected) - stopped_restored
    assert [row for row in rows if row['row_type'] == 'earlier_run']
    assert not os.path.exists('%s.journal.jsonl' % report_base)   # on record in the report now


def test_a_token_revoked_mid_run_stops_the_run_and_a_rerun_finishes(soak_sim, tmp_path):
    owners = SOAK_OWNERS[:60]        # 300 recordings: 3 restore requests, one at a time
    selected = _bin_of(soak_sim, owners)
    soak_sim.set_faults([{'kind': 'revoke', 'after': 1, 'method': 'POST'}])
    report_base = tmp_path / 'revoked'
    survey = {'restore_owners': '\n'.join(owners), 'restore_report_path': str(report_base), 'restore_max_concurrency': 1}
    run = run_runbook('restore_owner_bins.yml', survey, playbook_env(soak_sim), tmp_path)

    assert run.returncode != 0, run
    assert [entry['status'] for entry in _restore_posts(soak_sim)] == [204, 401]     # the third is never sent
    assert 'token was refused (HTTP 401' in run.output and 'no further request was sent' in run.output
    assert run.recap['changed'] >= 1, 'a run that restored recordings and then failed reports a change'
    report, dummy = read_report(report_base)
    restored = _report_ids(report, 'restored')
    now = _statuses(soak_sim)
    assert len(restored) == 100 and restored == set(rid for rid in selected if now[rid] == 'available')
    assert len(_report_ids(report, 'failed')) == 200
    assert report['failed_owners'] and all(row['outcome'] in ('restored', 'failed') for row in report['rows'])

    soak_sim.set_faults([])
    rerun = run_runbook('restore_owner_bins.yml', survey, playbook_env(soak_sim), tmp_path)
    assert rerun.returncode == 0, rerun
    now = _statuses(soak_sim)
    assert all(now[rid] == 'available' for rid in selected)


def _end_processes_of(marker):
    """SIGKILL every process of this test whose command line names ``marker``."""
    for entry in os.listdir('/proc'):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open('/proc/%s/cmdline' % entry, 'rb') as handle:
                if marker.encode() in handle.read():
                    os.kill(int(entry), signal.SIGKILL)
        except OSError:
            continue


def _statuses(sim):
    return dict((item['id'], item['status']) for item in sim.recordings())
