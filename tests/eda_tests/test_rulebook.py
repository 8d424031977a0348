# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""A real ansible-rulebook runs extensions/eda/rulebooks/recycle_bin_surge.yml against the simulator
(stage eda, tests/ci/35-eda.sh: the eda venv first on PATH, the laid-out collection on
ANSIBLE_COLLECTIONS_PATH, the simulator on PYTHONPATH). Recordings are soft-deleted through the API, the
source reports the surge, the rulebook runs the owner-bins runbook in check mode (its report lists the
recordings, nothing is restored) and, when the opt-in rule is enabled, restores with a cap; then the run
is stopped."""

import ast
import glob
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import time

import pytest
import requests
import yaml

from webex_simulator import Simulator

TOKEN = 'SECRET-eda-admin-token-0123456789'
OWNER = 'user0000@surge.example.com'
OTHER = 'user0000@big.example.com'
SEED = {
    'org_id': '0b7e5a52-1c1d-4a8b-9f0e-6c3d2b1a0f99',
    'people': [{'email': 'admin@example.com'}, {'email': 'carol@example.com'}],
    'tokens': [{'token': TOKEN, 'email': 'admin@example.com',
                'scopes': ['spark-admin:recordings_read', 'spark-admin:recordings_write', 'spark:recordings_read',
                           'spark:recordings_write']}],
    'recordings': [{'id': 'old-%d' % index, 'owner_email': 'carol@example.com', 'status': 'deleted', 'created_days_ago': 3 + index}
                   for index in range(5)],
    'generate': [
        {'owners': 1, 'per_owner': 25, 'status': 'available', 'domain': 'surge.example.com', 'created_days_ago': [1, 20]},
        {'owners': 1, 'per_owner': 30, 'status': 'available', 'domain': 'big.example.com', 'created_days_ago': [1, 20]},
    ],
}
RULEBOOK = 'webexops.recordings.recycle_bin_surge'
DEADLINE = 120


def _wait_for(what, predicate, process, log_path, timeout=DEADLINE):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if process.poll() is not None:
            pytest.fail('ansible-rulebook exited (%s) before %s:\n%s' % (process.returncode, what, log_path.read_text()))
        time.sleep(0.2)
    pytest.fail('no %s within %d s:\n%s' % (what, timeout, log_path.read_text()))


def _soft_delete(sim, recording_ids):
    answer = requests.post(sim.api_url + '/convergedRecordings/softDelete', json={'recordingIds': recording_ids},
                           headers={'Authorization': 'Bearer %s' % TOKEN}, timeout=30)
    assert answer.status_code == 204, answer.text


def _ids(sim, owner, status=None):
    return sorted(item['id'] for item in sim.recordings(owner_email=owner, status=status))


class Rulebook:
    """One ansible-rulebook process of the collection's rulebook, its output in a file."""

    def __init__(self, tmp_path, sim, variables):
        self.tmp_path = tmp_path
        self.log_path = tmp_path / 'ansible-rulebook.log'
        self.reports = tmp_path / 'reports'
        self.reports.mkdir()
        self.state_file = tmp_path / 'state.json'
        (tmp_path / 'inventory.yml').write_text(yaml.safe_dump({'all': {'hosts': {'localhost': {
            'ansible_connection': 'local', 'ansible_python_interpreter': '{{ ansible_playbook_python }}'}}}}))
        (tmp_path / 'vars.yml').write_text(yaml.safe_dump(dict({
            'webex_poll_interval': 1, 'webex_surge_threshold': 25, 'webex_surge_window': 60,
            'webex_state_file': str(self.state_file), 'webex_report_dir': str(self.reports),
            'webex_restore_enabled': False, 'webex_restore_cap': 0}, **variables)))
        env = {key: value for key, value in os.environ.items() if not key.startswith('WEBEX_')}
        env.update({'WEBEX_API_URL': sim.api_url, 'WEBEX_ACCESS_TOKEN': TOKEN, 'ANSIBLE_NOCOLOR': '1', 'NO_COLOR': '1',
                    'ANSIBLE_LOCALHOST_WARNING': 'false', 'ANSIBLE_DEPRECATION_WARNINGS': 'false'})
        assert env.get('ANSIBLE_COLLECTIONS_PATH'), 'run through the eda stage (the collections path of the laid-out tree)'
        command = [shutil.which('ansible-rulebook'), '-r', RULEBOOK, '-i', 'inventory.yml', '--vars', 'vars.yml',
                   '--print-events', '-v']
        self.log = self.log_path.open('w')
        self.process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_for(self, what, predicate, timeout=DEADLINE):
        return _wait_for(what, predicate, self.process, self.log_path, timeout)

    def baseline_done(self):
        return self.wait_for('first poll (the state file)', self.state_file.exists)

    def report(self, kind, owner):
        def found():
            paths = glob.glob(str(self.reports / ('webex-surge-%s-%s-*.json' % (kind, owner))))
            return paths[0] if paths and pathlib.Path(paths[0]).stat().st_size else None
        return json.loads(pathlib.Path(self.wait_for('%s report of %s' % (kind, owner), found)).read_text())

    def stop(self):
        """SIGINT, as Ctrl-C: the run must end by itself within 30 s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                pytest.fail('ansible-rulebook did not stop within 30 s of SIGINT:\n%s' % self.log_path.read_text())
        self.log.close()
        return self.log_path.read_text()


@pytest.fixture
def sim():
    with Simulator(seed=SEED) as simulator:
        yield simulator


def _surges(output):
    """The surge events ansible-rulebook printed (--print-events: a banner "[received event]", the ruleset,
    "Event:", the event as Python literals, a line of asterisks)."""
    events = []
    for block in re.findall(r'^\*\* [^\n]*\[received event\] \*+\n[^\n]*\nEvent:\n(.*?)^\*{20,}$', output, re.S | re.M):
        event = ast.literal_eval(block.strip())
        if event.get('webex_recycle_bin', {}).get('type') == 'surge':
            events.append(event['webex_recycle_bin'])
    return events


def _owner_row(report, owner):
    rows = [row for row in report['rows'] if row.get('owner') == owner]
    assert len(rows) == 1, report['rows']
    return rows[0]


def test_a_surge_of_deletions_runs_a_check_mode_preview_of_that_owner(tmp_path, sim):
    recording_ids = _ids(sim, OWNER, 'available')
    assert len(recording_ids) == 25
    rulebook = Rulebook(tmp_path, sim, {})
    try:
        rulebook.baseline_done()
        sim.reset(log=True, faults=False, data=False)
        _soft_delete(sim, recording_ids)
        report = rulebook.report('preview', OWNER)
        time.sleep(3)   # a few more polls: no second surge, no second preview
    finally:
        output = rulebook.stop()

    assert report['run']['check_mode'] is True
    row = _owner_row(report, OWNER)
    assert sorted(row['restored']) == recording_ids and row['failed'] == [] and row['missing'] == []
    assert report['totals']['restored'] == 25 and report['totals']['requests']['writes'] == 0
    # Check mode: nothing was restored, and the only write of the run is the test's own softDelete.
    assert _ids(sim, OWNER, 'deleted') == recording_ids
    assert [entry['path'] for entry in sim.requests() if entry['method'] == 'POST'] == ['/v1/convergedRecordings/softDelete']
    assert not glob.glob(str(rulebook.reports / 'webex-surge-restore-*'))
    # one preview run: its own report and the -latest copy of it (roles/recording_restore/README.md)
    previews = glob.glob(str(rulebook.reports / 'webex-surge-preview-*.json'))
    assert len([path for path in previews if not path.endswith('-latest.json')]) == 1 and len(previews) == 2
    surges = _surges(output)
    assert surges == [{'type': 'surge', 'by': 'owner', 'key': OWNER, 'count': 25, 'window_minutes': 60,
                       'recording_ids': recording_ids}], output
    # A poll of the organization's bin over lookback_days 30 costs 2 reads (W = 2 windows), nothing else.
    assert 'requests: 2 reads, 0 writes, 0 retries' in output
    assert TOKEN not in output and TOKEN not in rulebook.state_file.read_text()
    assert 'Traceback' not in output


def test_the_opt_in_rule_restores_a_surge_within_the_cap_and_refuses_one_above(tmp_path, sim):
    small, big = _ids(sim, OWNER, 'available'), _ids(sim, OTHER, 'available')
    assert (len(small), len(big)) == (25, 30)
    rulebook = Rulebook(tmp_path, sim, {'webex_restore_enabled': True, 'webex_restore_cap': 25})
    try:
        rulebook.baseline_done()
        _soft_delete(sim, small + big)
        restored = rulebook.report('restore', OWNER)
        refused = rulebook.report('restore', OTHER)
        preview = rulebook.report('preview', OTHER)
    finally:
        output = rulebook.stop()

    assert restored['run']['check_mode'] is False
    assert sorted(_owner_row(restored, OWNER)['restored']) == small
    assert _ids(sim, OWNER, 'available') == small
    # Over the cap: the run fails before any write, naming the count; that owner's recordings stay in the bin.
    assert _owner_row(refused, OTHER)['restored'] == [] and refused['totals']['failed_rows'] == 1
    assert _ids(sim, OTHER, 'deleted') == big
    assert preview['run']['check_mode'] is True and sorted(_owner_row(preview, OTHER)['restored']) == big
    assert sorted(surge['key'] for surge in _surges(output)) == sorted([OWNER, OTHER])
    assert TOKEN not in output
