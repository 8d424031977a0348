# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each runbook launched the way AWX launches a job template (_awx.py): the survey answers turned into extra vars as AWX
computes them from the survey spec (docs/awx/), the environment the credential type injects (docs/awx/
credential_type.yml), a private data directory as AWX lays it out, ansible_runner.run() on it, against the simulator.

Every runbook runs twice: with only the required answers as a Check job, and with every answer as a Run job, so that
each is run required-only and with all answers, in check mode and for real, without the whole cross product. What the
job leaves: its status and output (the events), its artifacts (set_stats: the summary, which outlives the job's
container), the report files on the volume the job was given, and the requests the simulator saw. The token is in
none of them."""

import csv
import datetime
import importlib.util
import json
import os
import pathlib

import pytest
import yaml

import _awx
from _role_helpers import collections_path, run_files, seeded_simulator

COLLECTION_DIR = pathlib.Path(__file__).resolve().parents[2]
SURVEYS = COLLECTION_DIR / 'docs' / 'awx'
CREDENTIAL_TYPE = COLLECTION_DIR / 'docs' / 'awx' / 'credential_type.yml'
TOKEN = 'awx-admin-token-0f3a'
HQ = 'loc-hq-awx'
BRANCH = 'loc-branch-awx'
LOBBY = 'awx-lobby-workspace'
ANN, BEN = 'ann@awx.example.com', 'ben@awx.example.com'
UNKNOWN_ID = 'not-a-recording-of-this-org'
SEED = {
    'org_id': 'awx-org-0001',
    'people': [
        {'id': 'awx-admin', 'email': 'admin@awx.example.com', 'display_name': 'Awx Admin'},
        {'id': 'awx-ann', 'email': ANN, 'display_name': 'Ann Awx', 'location_id': HQ},
        {'id': 'awx-ben', 'email': BEN, 'display_name': 'Ben Awx', 'location_id': HQ},
        {'id': LOBBY, 'type': 'place', 'display_name': 'Lobby Phone', 'location_id': BRANCH},
    ],
    'tokens': [{'token': TOKEN, 'email': 'admin@awx.example.com',
                'scopes': ['spark-admin:recordings_read', 'spark-admin:recordings_write', 'spark:recordings_read',
                           'spark:recordings_write']}],
    'recordings': (
        [{'id': 'ann-%d' % n, 'owner_email': ANN, 'status': 'deleted', 'created_days_ago': 2 + n, 'topic': 'Ann call %d' % n}
         for n in range(3)]
        + [{'id': 'ann-old', 'owner_email': ANN, 'status': 'deleted', 'created_days_ago': 200, 'topic': 'Ann old call'}]
        + [{'id': 'ben-%d' % n, 'owner_email': BEN, 'status': 'deleted', 'created_days_ago': 4, 'topic': 'Ben call %d' % n}
           for n in range(2)]
        + [{'id': 'ben-up', 'owner_email': BEN, 'status': 'available', 'created_days_ago': 1, 'topic': 'Ben call up'}]
        + [{'id': 'lobby-%d' % n, 'owner_id': LOBBY, 'status': 'deleted', 'created_days_ago': 3 + n, 'topic': 'Lobby call %d' % n,
            'service_type': 'calling'} for n in range(2)]
        + [{'id': 'lobby-queue', 'owner_id': LOBBY, 'status': 'deleted', 'created_days_ago': 3, 'topic': 'Lobby queue call',
            'service_type': 'customerAssist'}]),
}
ALL_DELETED = 9
awx_simulator, awx_sim = seeded_simulator('awx', SEED)


def survey(playbook):
    return json.loads((SURVEYS / ('%s.survey.json' % playbook)).read_text())


def credential_env(sim):
    """The environment the credential type injects for a credential with the token and the simulator's URL, rendered
    as AWX renders it (tests/tools/awx_credential_env.py)."""
    spec = importlib.util.spec_from_file_location('awx_credential_env', COLLECTION_DIR / 'tests' / 'tools' / 'awx_credential_env.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return dict(tool.render_env(yaml.safe_load(CREDENTIAL_TYPE.read_text()), {'token': TOKEN, 'api_url': sim.api_url}))


def launch(tmp_path, sim, playbook, answers, check, job_id, monkeypatch):
    """Launch the job template of playbooks/PLAYBOOK.yml through the API with these answers; run it as AWX does."""
    for name in [name for name in os.environ if name.startswith('WEBEX_')]:
        monkeypatch.delenv(name)
    spec = survey(playbook)
    extra_vars = _awx.launch_extra_vars(spec, answers)
    extra_vars.update(_awx.meta_vars(job_id, spec['name']))
    root = tmp_path / ('job-%d' % job_id)
    env = _awx.job_env(root, credential_env(sim), collections_path(), job_id)
    _awx.private_data_dir(root, COLLECTION_DIR / 'playbooks', extra_vars, env, check=check)
    job = _awx.run_job(root, 'playbooks/%s.yml' % playbook, job_id)
    # What AWX shows and keeps of the job (its events, their output and results, its artifacts) and the report files.
    assert TOKEN not in json.dumps(job.events) and TOKEN not in json.dumps(job.artifacts), 'the token leaked into the job'
    leaked = [str(path) for path in tmp_path.glob('volume/*') if TOKEN in path.read_text(errors='replace')]
    assert not leaked, 'the token is in %s' % leaked
    return extra_vars, job


def audit(job):
    assert set(job.artifacts) == {'recording_restore_audit'}, job
    return job.artifacts['recording_restore_audit']


def deleted(sim):
    return sorted(item['id'] for item in sim.recordings(status='deleted'))


def read_csv(path):
    with open(path, newline='') as handle:
        return list(csv.DictReader(handle))


def assert_check_job(sim, job, audit_data, restorable, job_id):
    assert job.status == 'successful' and job.rc == 0, job
    assert sim.counters()['writes'] == 0 and sim.counters()['reads'] > 0
    assert len(deleted(sim)) == ALL_DELETED
    assert audit_data['run']['check_mode'] is True and audit_data['totals']['restored'] == restorable
    # Without a report path no file is written: the artifacts are the record of the job.
    assert audit_data['run']['report_json'] is None and audit_data['run']['report_csv'] is None
    assert audit_data['run']['awx_job_id'] == job_id and audit_data['run']['id'].endswith('-job%d-check' % job_id)


def assert_report_files(volume, audit_data, job_id, template_name, sim):
    """The job's report files on the volume, named after the run; the JSON report is the artifacts' summary and more."""
    written = run_files(volume / 'restore')
    assert len(written) == 1 and written[0].endswith('-job%d' % job_id), written
    assert audit_data['run']['report_json'] == written[0] + '.json' and audit_data['run']['report_csv'] == written[0] + '.csv'
    report = json.loads(pathlib.Path(written[0] + '.json').read_text())
    assert (volume / 'restore-latest.json').read_text() == pathlib.Path(written[0] + '.json').read_text()
    assert report['run'] == audit_data['run'] and report['totals'] == audit_data['totals']
    run = report['run']
    assert run['awx_job_id'] == job_id and run['awx_job_template_name'] == template_name
    assert run['api_url'] == sim.api_url and run['check_mode'] is False
    assert run['collection_version'] == yaml.safe_load((COLLECTION_DIR / 'galaxy.yml').read_text())['version']
    datetime.datetime.strptime(run['started'], '%Y-%m-%dT%H:%M:%SZ')
    rows = read_csv(written[0] + '.csv')
    assert rows[0]['row_type'] == 'run' and 'awx_job_id=%d' % job_id in rows[0]['owner']
    return report, rows


@pytest.mark.parametrize('playbook, answers, restorable', [
    ('restore_owner_bins', {'restore_owners': '%s\n%s' % (ANN, BEN)}, 6),
    ('restore_recording_ids', {'restore_recording_ids': 'ann-0\nann-1\nben-up'}, 2),
    ('restore_org_bin', {'restore_max_restores': 100}, ALL_DELETED),
], ids=['owner_bins', 'recording_ids', 'org_bin'])
def test_check_job_with_only_the_required_answers(awx_sim, tmp_path, monkeypatch, playbook, answers, restorable):
    extra_vars, job = launch(tmp_path, awx_sim, playbook, answers, True, 101, monkeypatch)

    # What AWX sent: the answers, '' for every unanswered text question, the choice defaults; no unanswered integer.
    spec = survey(playbook)
    for question in spec['spec']:
        if question['variable'] not in answers and question['type'] == 'integer':
            assert question['variable'] not in extra_vars
    assert extra_vars['restore_report_path'] == ''
    audit_data = audit(job)
    assert_check_job(awx_sim, job, audit_data, restorable, 101)
    assert audit_data['run']['awx_job_template_name'] == spec['name']
    assert audit_data['failures'] == [] and audit_data['errors'] == []
    if playbook == 'restore_recording_ids':
        assert extra_vars['restore_missing'] == 'fail'  # the default AWX applies
        # A run of ids is one row of its own (the module reports no owner for ids).
        assert audit_data['outcomes'] == {'restored': ['(recording ids)']}
        assert audit_data['totals']['already_available'] == 1


def test_owner_bins_run_job_with_every_answer(awx_sim, tmp_path, monkeypatch):
    volume = tmp_path / 'volume'
    answers = {'restore_owners': '%s\n%s\n' % (ANN, BEN), 'restore_report_path': str(volume / 'restore'),
               'restore_continue_on_failure': 'true', 'restore_lookback_days': 30, 'restore_retry_max_wait': 0}
    extra_vars, job = launch(tmp_path, awx_sim, 'restore_owner_bins', answers, False, 202, monkeypatch)

    assert extra_vars['restore_lookback_days'] == 30  # an integer, not its text
    assert job.status == 'successful', job
    assert deleted(awx_sim) == ['ann-old', 'lobby-0', 'lobby-1', 'lobby-queue']  # 200 days ago: beyond the 30 days
    audit_data = audit(job)
    assert audit_data['totals']['restored'] == 5 and audit_data['outcomes'] == {'restored': [ANN, BEN]}
    assert audit_data['selection']['lookback_days'] == 30
    report, rows = assert_report_files(volume, audit_data, 202, survey('restore_owner_bins')['name'], awx_sim)
    assert report['run']['continue_on_failure'] is True
    assert [(row['owner'], row['outcome'], row['restored']) for row in rows if row['row_type'] == 'row'] == [
        (ANN, 'restored', '3'), (BEN, 'restored', '2')]
    assert 'report: %s' % audit_data['run']['report_json'] in job.output


def test_recording_ids_run_job_with_every_answer(awx_sim, tmp_path, monkeypatch):
    volume = tmp_path / 'volume'
    answers = {'restore_recording_ids': 'ann-0\nben-1\n%s' % UNKNOWN_ID, 'restore_missing': 'warn',
               'restore_report_path': str(volume / 'restore'), 'restore_lookback_days': 30}
    _extra_vars, job = launch(tmp_path, awx_sim, 'restore_recording_ids', answers, False, 303, monkeypatch)

    assert job.status == 'successful', job
    assert 'ann-0' not in deleted(awx_sim) and 'ben-1' not in deleted(awx_sim)
    audit_data = audit(job)
    assert audit_data['totals']['restored'] == 2 and audit_data['totals']['missing'] == 1
    assert audit_data['outcomes'] == {'missing': ['(recording ids)']}  # warned about, not failed
    _report, rows = assert_report_files(volume, audit_data, 303, survey('restore_recording_ids')['name'], awx_sim)
    assert [(row['whose'], row['owner'], row['outcome'], row['restored_ids'], row['missing_ids'])
            for row in rows if row['row_type'] == 'row'] == [('recording_ids', '', 'missing', 'ann-0 ben-1', UNKNOWN_ID)]


def test_org_bin_run_job_with_every_answer(awx_sim, tmp_path, monkeypatch):
    volume = tmp_path / 'volume'
    now = datetime.datetime.now(datetime.timezone.utc)
    answers = {'restore_max_restores': 2, 'restore_location_id': BRANCH, 'restore_owner_type': 'place',
               'restore_service_type': 'calling', 'restore_topic': 'Lobby call',
               'restore_created_after': (now - datetime.timedelta(days=20)).strftime('%Y-%m-%d'),
               'restore_created_before': (now - datetime.timedelta(hours=1)).strftime('%Y-%m-%dT%H:%M:%SZ'),
               'restore_report_path': str(volume / 'restore'), 'restore_lookback_days': 30, 'restore_retry_max_wait': 0,
               'restore_apis': 'converged'}
    assert set(answers) == set(question['variable'] for question in survey('restore_org_bin')['spec'])
    _extra_vars, job = launch(tmp_path, awx_sim, 'restore_org_bin', answers, False, 404, monkeypatch)

    assert job.status == 'successful', job
    assert deleted(awx_sim) == ['ann-0', 'ann-1', 'ann-2', 'ann-old', 'ben-0', 'ben-1', 'lobby-queue']
    listing = [entry['query'] for entry in awx_sim.requests() if entry['path'] == '/v1/admin/convergedRecordings']
    assert listing and all(query['locationId'] == BRANCH and query['ownerType'] == 'place' and query['serviceType'] == 'calling'
                           and query['topic'] == 'Lobby call' for query in listing)
    audit_data = audit(job)
    assert audit_data['outcomes'] == {'restored': [LOBBY]} and audit_data['totals']['restored'] == 2
    assert audit_data['selection']['filters'] == {'location_id': BRANCH, 'owner_type': 'place', 'service_type': 'calling',
                                                  'topic': 'Lobby call'}
    assert audit_data['selection']['max_restores'] == 2
    _report, rows = assert_report_files(volume, audit_data, 404, survey('restore_org_bin')['name'], awx_sim)
    # The workspace is named by its owner id under the owner column, not under an email column.
    assert [(row['owner'], row['whose'], row['restored_ids']) for row in rows if row['row_type'] == 'row'] == [
        (LOBBY, 'all_owners', 'lobby-0 lobby-1')]
    assert rows[1]['row_type'] == 'selection'
