# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of test_documented_commands.py: read the commands of a markdown file, run them as a user would.

A Session is one shell session of a user: each command runs in its own `bash -c`, and the exported
variables and the working directory it leaves behind are what the next command starts with (as if
typed one after the other into one terminal).
"""

import json
import os
import pathlib
import re
import select
import shlex
import shutil
import subprocess
import time
import urllib.request

FENCE = re.compile(r'^```(\S*)[ \t]*$')

# Files of a working copy that a clone does not have (what .gitignore keeps out of git).
NOT_IN_A_CLONE = {'.venv', '.venvs', '.git', '.ansible', '.cache', '.pytest_cache', 'build', 'collections',
                  'tests/output'}


def bash_commands(markdown):
    """The commands of the ```bash blocks of a markdown file, in order, one per line (`\\` continues a line)."""
    commands = []
    language = None
    pending = ''
    for line in pathlib.Path(markdown).read_text().splitlines():
        fence = FENCE.match(line.strip())
        if fence:
            language = fence.group(1) if language is None else None
            continue
        if language not in ('bash', 'sh', 'shell', 'console'):
            continue
        if line.rstrip().endswith('\\'):
            pending += line.rstrip()[:-1] + ' '
            continue
        command = (pending + line).strip()
        pending = ''
        if command.startswith('$ '):
            command = command[2:]
        if command and not command.startswith('#'):
            commands.append(command)
    return commands


def words(command):
    """The words of a command, without its trailing comment."""
    return shlex.split(command, comments=True)


def copy_working_copy(source, dest):
    """Copy the collection's files the way a fresh clone has them (no venvs, caches, test output)."""
    source = pathlib.Path(source)

    def ignore(directory, names):
        relative = pathlib.Path(directory).relative_to(source)
        return [name for name in names
                if (relative / name).as_posix() in NOT_IN_A_CLONE or name == '__pycache__' or name.endswith('.pyc')
                or (relative == pathlib.Path('.') and name.endswith('.tar.gz'))]

    shutil.copytree(source, dest, ignore=ignore, symlinks=True)
    return pathlib.Path(dest)


def user_environment(home, tmpdir):
    """A user's environment: no Ansible or Webex settings, no PYTHONPATH, no Ansible on PATH, an empty home.

    Nothing of the test harness can make the collection visible to Ansible (ANSIBLE_COLLECTIONS_PATH and
    PYTHONPATH both point at the laid-out tree in CI), and a Galaxy server that refuses every connection
    proves that the documented install needs no network.
    """
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(('ANSIBLE_', 'WEBEX_', 'PYTHON', 'VIRTUAL_ENV', 'BASH_ENV', 'PYTEST_'))
           and name not in ('HOME', 'TMPDIR', 'ENV', 'CDPATH')}
    path = [entry for entry in env.get('PATH', '/usr/bin:/bin').split(os.pathsep)
            if entry and not os.access(os.path.join(entry, 'ansible-playbook'), os.X_OK)]
    env.update({
        'PATH': os.pathsep.join(path),
        'HOME': str(home),
        'TMPDIR': str(tmpdir),
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_GALAXY_SERVER': 'http://127.0.0.1:9/',
    })
    return env


class Session:
    """A user's shell session: exported variables and the working directory carry over between commands."""

    def __init__(self, cwd, env, state_dir):
        self.cwd = str(cwd)
        self.env = dict(env)
        self.state_dir = pathlib.Path(state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True)

    def run(self, command, timeout=600):
        """Run one command as written; returns the CompletedProcess (stdout and stderr as text)."""
        env_file = self.state_dir / 'env'
        cwd_file = self.state_dir / 'cwd'
        for path in (env_file, cwd_file):
            if path.exists():
                path.unlink()
        script = '%s\n__docs_rc=$?\nenv -0 > %s\nprintf %%s "$PWD" > %s\nexit "$__docs_rc"\n' % (
            command, shlex.quote(str(env_file)), shlex.quote(str(cwd_file)))
        completed = subprocess.run(['bash', '-c', script], cwd=self.cwd, env=self.env, capture_output=True,
                                   text=True, timeout=timeout, check=False)
        if env_file.exists():
            entries = [entry.split('=', 1) for entry in env_file.read_text().split('\0') if '=' in entry]
            self.env = {name: value for name, value in entries if name not in ('_', 'PWD', 'OLDPWD', 'SHLVL')}
        if cwd_file.exists():
            self.cwd = cwd_file.read_text()
        return completed

    def start(self, command, timeout=60):
        """Start a long-running command (the simulator) in the background; returns (process, first stdout line)."""
        log = open(self.state_dir / 'background.log', 'w')   # pylint: disable=consider-using-with
        process = subprocess.Popen(['bash', '-c', 'exec ' + command], cwd=self.cwd, env=self.env,  # pylint: disable=consider-using-with
                                   stdout=subprocess.PIPE, stderr=log, text=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and process.poll() is None:
            ready, dummy, dummy = select.select([process.stdout], [], [], 0.2)
            if ready:
                return process, process.stdout.readline()
        return process, ''


def stop(process):
    """Stop a process started by Session.start (SIGTERM, then SIGKILL)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
    if process.stdout:
        process.stdout.close()


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)
