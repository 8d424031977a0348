# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report destination of the role recording_restore is checked before the first request to Webex:
a missing folder is created, a folder that cannot be created or written fails the run naming the path,
with zero requests sent (simulator counters), also in check mode. Files that still cannot be written
after the run fail it at the end, after the table, keeping the journal."""

import json
import pathlib
import re
import subprocess
import time

import pytest

from _role_helpers import (ANSIBLE_PLAYBOOK, OWNERS, PLAYBOOKS, ROLE_SEED, playbook_env, read_report, run_files, run_runbook,
                           seeded_simulator, statuses)

SEEDED = {'deleted': 15, 'available': 5}


report_simulator, report_sim = seeded_simulator('report', ROLE_SEED)


def blocked_report_base(tmp_path, depth):
    """A report base path whose folder cannot be created: a regular file stands where a folder should be
    (permission bits would not stop root)."""
    blocker = tmp_path / 'afile'
    blocker.write_text('not a folder\n')
    return blocker.joinpath(*(['sub'] * depth), 'report')


@pytest.mark.parametrize('check', [False, True], ids=['run', 'check_mode'])
def test_owner_bins_create_the_missing_report_folder(report_sim, tmp_path, check):
    folder = tmp_path / 'reports' / 'nested'
    report_base = folder / 'run-1'
    run = run_runbook('restore_owner_bins.yml', {'restore_owners': OWNERS, 'restore_report_path': str(report_base)},
                      playbook_env(report_sim), tmp_path, check=check)

    assert run.returncode == 0, run
    assert folder.is_dir()
    # Only the report is left in the folder, the run's files and the latest copies: the write probe is removed.
    written = run_files(report_base)
    assert len(written) == 1 and written[0].endswith('-check') is check
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [pathlib.Path(written[0]).name + '.csv', pathlib.Path(written[0]).name + '.json', 'run-1-latest.csv', 'run-1-latest.json'])
    report, rows = read_report(report_base)
    assert report['run']['check_mode'] is check
    assert report['totals']['restored'] == 15
    assert rows[-1]['row_type'] == 'total' and rows[-1]['restored'] == '15'
    if check:
        assert report_sim.counters()['writes'] == 0
        assert statuses(report_sim) == SEEDED
    else:
        assert statuses(report_sim) == {'available': 20}


@pytest.mark.parametrize('check', [False, True], ids=['run', 'check_mode'])
@pytest.mark.parametrize('depth', [0, 2], ids=['parent_is_a_file', 'ancestor_is_a_file'])
def test_owner_bins_unwritable_report_folder_fails_before_any_request(report_sim, tmp_path, depth, check):
    report_base = blocked_report_base(tmp_path, depth)
    run = run_runbook('restore_owner_bins.yml', {'restore_owners': OWNERS, 'restore_report_path': str(report_base)},
                      playbook_env(report_sim), tmp_path, check=check)

    assert run.returncode != 0, run
    assert str(report_base) in run.output, run
    assert str(report_base.parent) in run.output, run
    assert 'No request was sent to Webex: nothing was restored' in run.output, run
    assert report_sim.counters()['total'] == 0, run
    assert statuses(report_sim) == SEEDED
    assert (tmp_path / 'afile').read_text() == 'not a folder\n'


def test_owner_bins_report_folder_through_a_symlink(report_sim, tmp_path):
    (tmp_path / 'real').mkdir(mode=0o755)
    (tmp_path / 'link').symlink_to(tmp_path / 'real')
    report_base = tmp_path / 'link' / 'report'
    run = run_runbook('restore_owner_bins.yml', {'restore_owners': OWNERS, 'restore_report_path': str(report_base)},
                      playbook_env(report_sim), tmp_path)

    assert run.returncode == 0, run
    assert (tmp_path / 'link').is_symlink()
    assert (tmp_path / 'real').stat().st_mode & 0o777 == 0o755  # an existing folder keeps its mode
    assert len(run_files(tmp_path / 'real' / 'report')) == 1
    assert sorted(path.name for path in (tmp_path / 'real').iterdir() if 'latest' in path.name) == ['report-latest.csv', 'report-latest.json']


def test_owner_bins_report_file_that_is_a_folder_fails_before_any_request(report_sim, tmp_path):
    report_base = tmp_path / 'report'
    (tmp_path / 'report-latest.csv').mkdir()
    run = run_runbook('restore_owner_bins.yml', {'restore_owners': OWNERS, 'restore_report_path': str(report_base)},
                      playbook_env(report_sim), tmp_path)

    assert run.returncode != 0, run
    assert str(report_base) in run.output, run
    assert report_sim.counters()['total'] == 0, run
    assert statuses(report_sim) == SEEDED


@pytest.mark.parametrize('check', [False, True], ids=['run', 'check_mode'])
def test_recording_ids_unwritable_report_folder_fails_before_any_request(report_sim, tmp_path, check):
    ids = sorted(item['id'] for item in report_sim.recordings(owner_email=OWNERS[0], status='deleted'))
    report_base = blocked_report_base(tmp_path, 0)
    run = run_runbook('restore_recording_ids.yml',
                      {'restore_recording_ids': '\n'.join(ids), 'restore_report_path': str(report_base)},
                      playbook_env(report_sim), tmp_path, check=check)

    assert run.returncode != 0, run
    assert str(report_base) in run.output, run
    assert 'No request was sent to Webex: nothing was restored' in run.output, run
    assert report_sim.counters()['total'] == 0, run
    assert statuses(report_sim) == SEEDED


def test_recording_ids_create_the_missing_report_folder(report_sim, tmp_path):
    ids = sorted(item['id'] for item in report_sim.recordings(owner_email=OWNERS[0], status='deleted'))
    report_base = tmp_path / 'new-folder' / 'ids-report.json'  # a trailing .json is dropped from the base
    run = run_runbook('restore_recording_ids.yml',
                      {'restore_recording_ids': '\n'.join(ids), 'restore_report_path': str(report_base)},
                      playbook_env(report_sim), tmp_path)

    assert run.returncode == 0, run
    assert len(run_files(report_base.with_suffix(''))) == 1
    assert len(list(report_base.parent.iterdir())) == 4
    report, _rows = read_report(report_base.with_suffix(''))
    assert sorted(sum((row['restored'] for row in report['rows']), [])) == ids


def test_report_files_that_cannot_be_written_after_the_run_fail_it_after_the_table(report_sim, tmp_path):
    """The destination is fine before the first request; then a folder takes the place of BASE-latest.json (a disk
    that changed during the run). The restore completes, the table is printed, the run's own files are written, the
    journal is kept for the next report, and the play fails at the end naming the file and the cause."""
    report_sim.set_faults([{'kind': 'latency', 'seconds': 1.0, 'method': 'POST'}])
    report_base = tmp_path / 'report'
    vars_file = tmp_path / 'vars.json'
    vars_file.write_text(json.dumps({'restore_owners': OWNERS, 'restore_report_path': str(report_base)}))
    process = subprocess.Popen([ANSIBLE_PLAYBOOK, str(PLAYBOOKS / 'restore_owner_bins.yml'), '-e', '@%s' % vars_file],
                               env=playbook_env(report_sim), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        # The first request comes after the destination check; every restore request then takes a second.
        while report_sim.counters()['total'] == 0 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        (tmp_path / 'report-latest.json').mkdir()
        output = process.communicate(timeout=300)[0]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode != 0, output
    assert statuses(report_sim) == {'available': 20}
    assert re.search(r'"TOTAL +\w+ +15 ', output), output  # the table: 15 restored
    assert 'The audit report was not written: %s cannot be written: Is a directory.' % (tmp_path / 'report-latest.json') in output, output
    # The run's own files hold the whole run; the journal keeps what was restored for the next run's report.
    written = run_files(report_base)
    assert len(written) == 1
    report, rows = read_report(report_base, written[0])
    assert report['totals']['restored'] == 15 and rows[-1]['restored'] == '15'
    journal = [json.loads(line) for line in open('%s.journal.jsonl' % report_base)]
    assert sorted(rid for entry in journal if entry['outcome'] == 'restored' for ids in entry['owners'].values() for rid in ids) == sorted(
        rid for row in report['rows'] for rid in row['restored'])
    assert not (tmp_path / 'report-latest.csv').exists()
