# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run real ansible-playbook processes and read back what a task registered."""

import json
import os
import pathlib
import subprocess
import sys

import yaml

ANSIBLE_PLAYBOOK = str(pathlib.Path(sys.executable).with_name('ansible-playbook'))


class PlaybookRun:
    """The outcome of one ansible-playbook process."""

    def __init__(self, completed, results):
        self.returncode = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.results = results

    @property
    def output(self):
        return self.stdout + self.stderr

    def __repr__(self):
        return 'PlaybookRun(rc=%s)\n--- stdout\n%s\n--- stderr\n%s' % (self.returncode, self.stdout, self.stderr)


def ansible_env(extra=None):
    """Environment for ansible-playbook: quiet, deterministic, no WEBEX_* leaking in from the caller."""
    env = {key: value for key, value in os.environ.items() if not key.startswith('WEBEX_')}
    env.update({
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_FORCE_COLOR': '0',
        'ANSIBLE_LOCALHOST_WARNING': 'false',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
        'ANSIBLE_RETRY_FILES_ENABLED': 'false',
        'ANSIBLE_DEPRECATION_WARNINGS': 'false',
    })
    env.update(extra or {})
    return env


def run_module_play(tmp_path, module_args, env=None, check=False, diff=False, verbosity=0,
                    module='webexops.recordings.webex_recording_restore', play_extra=None):
    """Run one task of `module` on localhost; return a PlaybookRun whose results[0] is what it registered."""
    return run_module_tasks(tmp_path, [module_args], env=env, check=check, diff=diff, verbosity=verbosity,
                            module=module, play_extra=play_extra)


def run_module_tasks(tmp_path, module_args_list, env=None, check=False, diff=False, verbosity=0,
                     module='webexops.recordings.webex_recording_restore', play_extra=None):
    """Run one task of `module` per entry of module_args_list, in one play; results[i] is what task i registered.

    No task stops the play (ignore_errors), so that each result, failed or not, is written out by a copy task
    that runs even in check mode.
    """
    tasks = []
    result_files = []
    first = len(list(tmp_path.glob('result-*.json')))
    for index, module_args in enumerate(module_args_list):
        result_file = tmp_path / ('result-%d.json' % (first + index))
        result_files.append(result_file)
        tasks.append({'name': 'Call the module (%d)' % index, module: module_args, 'register': 'outcome', 'ignore_errors': True})
        tasks.append({'name': 'Keep the result (%d)' % index, 'check_mode': False, 'diff': False,
                      'ansible.builtin.copy': {'content': '{{ outcome | to_nice_json }}', 'dest': str(result_file), 'mode': '0600'}})
    play = {
        'name': 'Run the module',
        'hosts': 'localhost',
        'gather_facts': False,
        'vars': {'ansible_python_interpreter': '{{ ansible_playbook_python }}'},
        'tasks': tasks,
    }
    play.update(play_extra or {})
    return run_playbook(tmp_path, [play], env=env, check=check, diff=diff, verbosity=verbosity, result_files=result_files)


def run_playbook(tmp_path, plays, env=None, check=False, diff=False, verbosity=0, result_files=(), extra_args=()):
    """Write plays to a file and run ansible-playbook on it."""
    playbook = tmp_path / ('play-%d.yml' % len(list(tmp_path.glob('play-*.yml'))))
    playbook.write_text(yaml.safe_dump(plays, sort_keys=False))
    command = [ANSIBLE_PLAYBOOK, str(playbook)]
    if check:
        command.append('--check')
    if diff:
        command.append('--diff')
    if verbosity:
        command.append('-' + 'v' * verbosity)
    command.extend(extra_args)
    completed = subprocess.run(command, env=ansible_env(env), capture_output=True, text=True, timeout=600, check=False)
    results = [json.loads(path.read_text()) for path in result_files if path.exists()]
    return PlaybookRun(completed, results)
