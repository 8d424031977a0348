# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Which ancestors a module watches, and when it calls its controller gone (a fake /proc)."""

import os

from ansible_collections.webexops.recordings.plugins.module_utils._lifeline import Lifeline, _stat, watched_ancestors

# pid: (ppid, session, start time). The module (100) runs under a shell (90) under Ansible's worker (80),
# all in the worker's session 80; the worker's parent is ansible-playbook (70, session 7), whose parent is a shell.
PROCESSES = {100: (90, 80, 's100'), 90: (80, 80, 's90'), 80: (70, 80, 's80'), 70: (60, 7, 's70'), 60: (1, 7, 's60')}


def fake_stat(processes):
    return processes.get


def test_ancestors_are_watched_up_to_the_first_outside_the_own_session():
    assert watched_ancestors(100, stat=fake_stat(PROCESSES)) == [(90, 's90'), (80, 's80'), (70, 's70')]


def test_the_controller_is_gone_when_a_watched_ancestor_ends_or_its_pid_is_reused():
    processes = dict(PROCESSES)
    lifeline = Lifeline(stat=lambda pid: processes.get(100 if pid == os.getpid() else pid), getppid=lambda: 90)
    assert lifeline.gone() is None
    processes[60] = None                     # the user's shell is not watched
    assert lifeline.gone() is None
    processes[70] = (1, 7, 's-other')        # pid 70 reused by another process
    assert 'process 70 ended' in lifeline.gone()
    processes[70] = None
    assert 'the job was stopped' in lifeline.gone()


def test_without_proc_the_parent_is_watched():
    parents = [90]
    lifeline = Lifeline(stat=lambda pid: None, getppid=lambda: parents[0])
    assert lifeline.gone() is None
    parents[0] = 1
    assert 'is gone' in lifeline.gone()


def test_this_process_reads_its_own_ancestors_from_proc():
    ppid, session, started = _stat(os.getpid())
    assert ppid == os.getppid() and session == os.getsid(0) and started
    assert Lifeline().gone() is None


def test_a_stop_signal_is_a_stop_before_the_next_write_not_a_death_mid_request():
    import signal
    lifeline = Lifeline(stat=lambda pid: None, getppid=lambda: 90)
    previous = dict((name, signal.getsignal(getattr(signal, name))) for name in ('SIGTERM', 'SIGINT', 'SIGHUP'))
    try:
        lifeline.catch_stop_signals()
        assert lifeline.gone() is None
        os.kill(os.getpid(), signal.SIGTERM)     # handled: this process goes on
        assert 'asked to stop (signal %d)' % signal.SIGTERM in lifeline.gone()
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)
