# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The commands that README.md and playbooks/README.md show run as written, against the simulator.

Each markdown file is one scenario: the commands of its ```bash blocks, in order, in one shell
session (exported variables and the working directory carry over), from the root of a fresh copy
of the collection's files laid out like a clone, whose `.venv` is the virtual environment running
these tests (what scripts/demo and scripts/test create). The user has an empty home directory (no
collection in ~/.ansible/collections), no ANSIBLE_*, WEBEX_* or PYTHONPATH settings, no Ansible on
PATH, and a Galaxy server that refuses connections: only what the docs say makes the collection
usable, and without network.

Not run: `scripts/demo` and `scripts/test` (CI runs them). Substituted: the port the docs choose for
the simulator (8080, "or any free port"): `scripts/simulator --port 8080` is started in the
background with `--port 0` (the OS picks the port) and stopped at the end, and `127.0.0.1:8080` in
the other commands becomes the address it printed.

Checked: every command exits 0; an `ansible-playbook` run reads from the simulator, and sends no
write with `--check`, writes without, and writes an audit report of its own into $TMPDIR
(BASE-<UTC start>[-check].json and .csv) without losing an earlier one; the collection ends up
installed in the user's ~/.ansible/collections and nowhere else.
"""

import json
import pathlib
import re
import sys

import pytest

from _docs_session import Session, bash_commands, copy_working_copy, get_json, stop, user_environment, words

COLLECTION_ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCUMENTS = ['README.md', 'playbooks/README.md']
NOT_RUN = {'scripts/demo', 'scripts/test'}
SIMULATOR = 'scripts/simulator'
DOC_PORT = '8080'
# The ansible-playbook runs each document must show: a dry run everywhere, a real run in the runbook docs.
REQUIRED_RUNS = {'README.md': {'check'}, 'playbooks/README.md': {'check', 'real'}}
COLLECTION = 'webexops.recordings'
# The files of one run's report (roles/recording_restore/README.md, "Results and report").
RUN_REPORT = re.compile(r'^[\w.-]+-\d{8}T\d{6}Z(-check)?\.(json|csv)$')


def run_reports(folder):
    """The names of the reports runs wrote in folder (not the latest copies)."""
    return {path.name for path in folder.iterdir() if RUN_REPORT.match(path.name)}


def installed_locations(session):
    """Where the user's Ansible finds the collection (collections path -> version), with the venv's ansible-galaxy."""
    galaxy = str(pathlib.Path(sys.executable).with_name('ansible-galaxy'))
    completed = session.run('%s collection list %s --format json' % (galaxy, COLLECTION), timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return {path: found[COLLECTION]['version'] for path, found in json.loads(completed.stdout or '{}').items()
            if COLLECTION in found}


def simulator_command(command):
    """The documented simulator command with the OS choosing the port (and not in the background: the test is)."""
    assert re.search(r'--port[ =]%s\b' % DOC_PORT, command), (
        'the docs start the simulator on port %s (the port the other commands use): %s' % (DOC_PORT, command))
    command = re.sub(r'--port([ =])%s\b' % DOC_PORT, r'--port\g<1>0', command)
    return re.sub(r'\s*&\s*(#.*)?$', '', command)


@pytest.mark.parametrize('document', DOCUMENTS)
def test_documented_commands_run_as_written(tmp_path, document):
    commands = bash_commands(COLLECTION_ROOT / document)
    assert commands, '%s shows no ```bash block' % document
    clone = copy_working_copy(COLLECTION_ROOT, tmp_path / 'webexops.recordings')
    (clone / '.venv').symlink_to(sys.prefix, target_is_directory=True)
    home = tmp_path / 'home'
    tmpdir = tmp_path / 'tmp'
    home.mkdir()
    tmpdir.mkdir()
    session = Session(clone, user_environment(home, tmpdir), tmp_path / 'session')
    assert installed_locations(session) == {}, 'the collection is visible before the documented install'

    simulator = None
    control_url = None
    port = None
    runs = set()
    try:
        for command in commands:
            first = words(command)[0]
            if first in NOT_RUN:
                continue
            if first == SIMULATOR:
                assert simulator is None, 'two simulators in %s' % document
                simulator, line = session.start(simulator_command(command))
                assert line, 'the simulator did not start: %s\n%s' % (
                    command, (tmp_path / 'session' / 'background.log').read_text())
                info = json.loads(line)
                control_url = info['control_url']
                assert info['api_url'].startswith('http://127.0.0.1:'), info
                port = info['api_url'].split(':')[2].split('/')[0]
                continue
            if control_url:
                command = command.replace('127.0.0.1:%s' % DOC_PORT, '127.0.0.1:%s' % port)
            assert DOC_PORT not in command or control_url, (
                'a command uses the simulator port before the simulator is started: %s' % command)
            before = get_json(control_url + '/counters') if control_url else None
            reports_before = run_reports(tmpdir)
            completed = session.run(command)
            assert completed.returncode == 0, 'command failed (exit %d): %s\n--- stdout\n%s\n--- stderr\n%s' % (
                completed.returncode, command, completed.stdout, completed.stderr)
            if first == 'ansible-playbook':
                assert control_url, 'ansible-playbook before the simulator was started: %s' % command
                after = get_json(control_url + '/counters')
                reads, writes = after['reads'] - before['reads'], after['writes'] - before['writes']
                assert reads > 0, 'the run did not reach the simulator: %s\n%s' % (command, completed.stdout)
                if '--check' in words(command):
                    runs.add('check')
                    assert writes == 0, 'a check run sent %d write(s): %s' % (writes, command)
                else:
                    runs.add('real')
                    assert writes > 0, 'a real run sent no write: %s\n%s' % (command, completed.stdout)
                new = sorted(run_reports(tmpdir) - reports_before)
                assert reports_before <= run_reports(tmpdir), 'a run lost an earlier report: %s' % command
                assert len(new) == 2 and new[0][:-len('.csv')] == new[1][:-len('.json')], (
                    'the run wrote no report of its own into $TMPDIR: %s (%s)' % (command, new))
                assert new[0].endswith('-check.csv') is ('--check' in words(command)), new
                base = re.sub(r'-\d{8}T\d{6}Z(-check)?\.csv$', '', new[0])
                assert (tmpdir / ('%s-latest.json' % base)).read_text() == (tmpdir / new[1]).read_text()
    finally:
        if simulator is not None:
            stop(simulator)

    assert simulator is not None, '%s does not start the simulator' % document
    assert runs >= REQUIRED_RUNS[document], '%s shows no %s' % (
        document, ' and no '.join('%s run' % kind for kind in sorted(REQUIRED_RUNS[document] - runs)))
    locations = installed_locations(session)
    assert list(locations) == [str(home / '.ansible' / 'collections' / 'ansible_collections')], locations
