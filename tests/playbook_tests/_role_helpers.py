# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the role and playbook tests (test_role.py): run a runbook, read its recap and report."""

import csv
import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

from webex_simulator import Simulator

from _playbook import ansible_env

COLLECTION_DIR = pathlib.Path(__file__).resolve().parents[2]
PLAYBOOKS = COLLECTION_DIR / 'playbooks'
ANSIBLE_PLAYBOOK = str(pathlib.Path(sys.executable).with_name('ansible-playbook'))
ADMIN_TOKEN = 'role-admin-token'
USER_TOKEN = 'role-user-token'


def seeded_simulator(name, seed):
    """Two fixtures for a test module: NAME_simulator, one simulator with ``seed`` started for the
    module, and NAME_sim, that simulator reset for each test (seed data back, no faults, empty log).
    Use as ``name_simulator, name_sim = seeded_simulator('name', SEED)``."""
    @pytest.fixture(scope='module', name=name + '_simulator')
    def started():
        with Simulator(seed=seed) as sim:
            yield sim

    @pytest.fixture(name=name + '_sim')
    def fresh(request):
        sim = request.getfixturevalue(name + '_simulator')
        sim.reset(log=True, faults=True, data=True)
        return sim
    return started, fresh


# Five owners with three recordings each in the bin and one available, plus an administrator.
ROLE_SEED = {
    'people': [
        {'id': 'role-admin', 'email': 'admin@role.example.com', 'display_name': 'Role Admin'},
        {'id': 'role-user', 'email': 'user0000@role.example.com', 'display_name': 'User 0000'},
    ],
    'tokens': [
        {'token': ADMIN_TOKEN, 'email': 'admin@role.example.com',
         'scopes': ['spark-admin:recordings_read', 'spark-admin:recordings_write',
                    'spark:recordings_read', 'spark:recordings_write']},
        {'token': USER_TOKEN, 'email': 'user0000@role.example.com',
         'scopes': ['spark:recordings_read', 'spark:recordings_write']},
    ],
    'generate': [
        {'owners': 5, 'per_owner': 3, 'status': 'deleted', 'domain': 'role.example.com', 'created_days_ago': [1, 80]},
        {'owners': 5, 'per_owner': 1, 'status': 'available', 'domain': 'role.example.com', 'created_days_ago': [1, 20]},
    ],
}
OWNERS = ['user%04d@role.example.com' % number for number in range(5)]


def collections_path():
    """The tree that holds ansible_collections/webexops/recordings (the laid-out collection)."""
    if os.environ.get('ANSIBLE_COLLECTIONS_PATH'):
        return os.environ['ANSIBLE_COLLECTIONS_PATH']
    return str(COLLECTION_DIR.parents[2])


def playbook_env(sim, token=ADMIN_TOKEN, extra=None):
    """What an AWX credential would inject, plus a quiet, deterministic Ansible."""
    env = ansible_env({'WEBEX_ACCESS_TOKEN': token, 'WEBEX_API_URL': sim.api_url, 'ANSIBLE_COLLECTIONS_PATH': collections_path()})
    env.update(extra or {})
    return env


class RoleRun:
    """One ansible-playbook run of a runbook."""

    def __init__(self, completed):
        self.returncode = completed.returncode
        self.output = completed.stdout + completed.stderr

    @property
    def recap(self):
        """{'ok': N, 'changed': N, 'failed': N, ...} of localhost."""
        match = re.search(r'^localhost\s*:\s*(.*)$', self.output, re.MULTILINE)
        assert match, self.output
        return {key: int(value) for key, value in re.findall(r'(\w+)=(\d+)', match.group(1))}

    def __repr__(self):
        return 'RoleRun(rc=%s)\n%s' % (self.returncode, self.output)


def run_runbook(name, extra_vars, env, tmp_path, check=False, verbosity=0):
    """Run playbooks/NAME with extra vars from a JSON file, as AWX passes survey answers."""
    vars_file = tmp_path / ('vars-%d.json' % len(list(tmp_path.glob('vars-*.json'))))
    vars_file.write_text(json.dumps(extra_vars))
    command = [ANSIBLE_PLAYBOOK, str(PLAYBOOKS / name), '-e', '@%s' % vars_file]
    if check:
        command.append('--check')
    if verbosity:
        command.append('-' + 'v' * verbosity)
    completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)
    return RoleRun(completed)


def read_report(base, run_file=None):
    """(json report, csv rows as dicts) of a report base path: the latest run's (BASE-latest.json and .csv), or the
    run's own files BASE-<run id>.json and .csv when run_file names them (without .json/.csv)."""
    stem = run_file or '%s-latest' % base
    report = json.loads(pathlib.Path('%s.json' % stem).read_text())
    with open('%s.csv' % stem, newline='') as handle:
        rows = list(csv.DictReader(handle))
    return report, rows


# The files a run writes: BASE-<UTC start>[-job<N>][-check].json and .csv (roles/recording_restore/README.md).
RUN_FILE = re.compile(r'^-(\d{8}T\d{6}Z)(-job\d+)?(-check)?\.(json|csv)$')


def run_files(base):
    """The report files of every run of a base path, [BASE-<run id>, ...] without .json/.csv, oldest first; each run
    wrote both."""
    base = pathlib.Path(base)
    found = {}
    for path in base.parent.glob(base.name + '-*'):
        match = RUN_FILE.match(path.name[len(base.name):])
        if match:
            found.setdefault(str(path)[:-len(match.group(4)) - 1], set()).add(match.group(4))
    assert all(kinds == {'json', 'csv'} for kinds in found.values()), found
    return sorted(found)


def statuses(sim, owners=OWNERS):
    """{status: count} over the recordings of the owners."""
    counts = {}
    for owner in owners:
        for item in sim.recordings(owner_email=owner):
            counts[item['status']] = counts.get(item['status'], 0) + 1
    return counts
