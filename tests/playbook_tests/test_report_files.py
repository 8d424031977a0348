# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reports that last and say who, where and when (roles/recording_restore/README.md, "Results and report"): every run
writes files of its own, BASE-<run id>.json and .csv, never an earlier run's, and copies them to BASE-latest; the
report records the run's id, the API URL, the collection's version and the AWX job; a relative report path is refused
before any request. Real ansible-playbook runs of the runbooks against the simulator."""

import datetime
import json
import pathlib

import yaml

from _role_helpers import (ADMIN_TOKEN, OWNERS, PLAYBOOKS, ROLE_SEED, playbook_env, read_report, run_files, run_runbook,
                           seeded_simulator)

COLLECTION_DIR = pathlib.Path(__file__).resolve().parents[2]
VERSION = yaml.safe_load((COLLECTION_DIR / 'galaxy.yml').read_text())['version']

files_simulator, files_sim = seeded_simulator('files', ROLE_SEED)


def test_a_check_run_and_a_rerun_never_overwrite_the_report_of_the_restore(files_sim, tmp_path):
    base = tmp_path / 'reports' / 'owners'
    survey = {'restore_owners': '\n'.join(OWNERS), 'restore_report_path': str(base)}
    env = playbook_env(files_sim)

    assert run_runbook('restore_owner_bins.yml', survey, env, tmp_path).returncode == 0
    assert run_runbook('restore_owner_bins.yml', survey, env, tmp_path, check=True).returncode == 0
    rerun = run_runbook('restore_owner_bins.yml', dict(survey, awx_job_id=4711, awx_job_template_name='Restore bins'), env,
                        tmp_path)
    assert rerun.returncode == 0, rerun

    written = run_files(base)
    assert len(written) == 3, written
    real, check, again = (read_report(base, run_file)[0] for run_file in written)
    assert written[1].endswith('-check') and written[2].endswith('-job4711')
    assert not written[0].endswith('-check') and '-job' not in written[0]
    # The record of the real restore is still there, and each file says which run it is.
    assert (real['run']['check_mode'], real['totals']['restored']) == (False, 15)
    assert (check['run']['check_mode'], check['totals']['restored']) == (True, 0)
    assert (again['run']['check_mode'], again['totals']['restored']) == (False, 0)
    ids = [pathlib.Path(path).name[len('owners-'):] for path in written]
    assert [report['run']['id'] for report in (real, check, again)] == ids
    assert again['run']['awx_job_id'] == 4711 and again['run']['awx_job_template_name'] == 'Restore bins'
    assert real['run']['awx_job_id'] is None and real['run']['awx_job_template_name'] is None
    # The latest copies are the rerun's, and the table named the rerun's files.
    latest, rows = read_report(base)
    assert latest == again and rows[0]['row_type'] == 'run' and 'awx_job_id=4711' in rows[0]['owner']
    assert 'report: %s.json and %s.csv' % (written[2], written[2]) in rerun.output
    assert sorted(path.name for path in base.parent.iterdir()) == sorted(
        [pathlib.Path(path).name + suffix for path in written for suffix in ('.json', '.csv')]
        + ['owners-latest.csv', 'owners-latest.json'])


def test_the_report_records_where_when_and_what_ran_never_the_token(files_sim, tmp_path):
    base = tmp_path / 'who'
    ids = sorted(item['id'] for item in files_sim.recordings(owner_email=OWNERS[0], status='deleted'))
    run = run_runbook('restore_recording_ids.yml', {'restore_recording_ids': '\n'.join(ids), 'restore_report_path': str(base),
                                                    'awx_job_id': '12', 'awx_job_template_name': 'Restore by id'},
                      playbook_env(files_sim), tmp_path, check=True)

    assert run.returncode == 0, run
    report, rows = read_report(base)
    started = datetime.datetime.strptime(report['run']['started'], '%Y-%m-%dT%H:%M:%SZ')
    assert report['run']['id'] == started.strftime('%Y%m%dT%H%M%SZ') + '-job12-check'
    assert report['run']['api_url'] == files_sim.api_url
    assert report['run']['collection_version'] == VERSION
    assert report['run']['org_id'] is None  # no listing of this API gives the organization's id
    assert (report['run']['awx_job_id'], report['run']['awx_job_template_name']) == (12, 'Restore by id')
    assert report['run']['check_mode'] is True and report['totals']['restored'] == len(ids)
    assert rows[0]['owner'] == ('id=%s; api_url=%s; collection_version=%s; awx_job_id=12; awx_job_template_name=Restore by id'
                                % (report['run']['id'], files_sim.api_url, VERSION))
    for path in [run_files(base)[0] + '.json', run_files(base)[0] + '.csv']:
        assert ADMIN_TOKEN not in pathlib.Path(path).read_text()
    assert ADMIN_TOKEN not in run.output


def test_a_relative_report_path_is_refused_before_any_request(files_sim, tmp_path):
    before = sorted(path.name for path in PLAYBOOKS.rglob('*'))
    run = run_runbook('restore_owner_bins.yml', {'restore_owners': OWNERS[0], 'restore_report_path': 'reports/owners'},
                      playbook_env(files_sim), tmp_path)

    assert run.returncode != 0, run
    assert ('recording_restore_report_path (restore_report_path of the runbooks) must be an absolute path, got '
            'reports/owners') in run.output, run
    assert 'No request was sent to Webex' in run.output
    assert files_sim.counters()['total'] == 0
    assert sorted(path.name for path in PLAYBOOKS.rglob('*')) == before, 'a report landed in the playbooks folder'


def test_the_files_of_a_run_that_exist_already_stop_it_before_any_request(files_sim, tmp_path):
    """Another run with the same path started in the same second: its report is kept, this run sends nothing."""
    base = tmp_path / 'same'
    now = datetime.datetime.now(datetime.timezone.utc)
    taken = [base.with_name('same-%s.json' % (now + datetime.timedelta(seconds=second)).strftime('%Y%m%dT%H%M%SZ'))
             for second in range(600)]
    for path in taken:
        path.write_text('{"an": "earlier report"}\n')
    run = run_runbook('restore_owner_bins.yml', {'restore_owners': OWNERS[0], 'restore_report_path': str(base)},
                      playbook_env(files_sim), tmp_path)

    assert run.returncode != 0, run
    assert 'a report is never overwritten' in run.output and 'No request was sent to Webex' in run.output, run
    assert files_sim.counters()['total'] == 0
    assert all(json.loads(path.read_text()) == {'an': 'earlier report'} for path in taken)
    assert not base.with_name('same-latest.json').exists()
