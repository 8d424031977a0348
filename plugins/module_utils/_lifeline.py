# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""Is the controller that started this module still there? AWX cancels a job by signalling
ansible-playbook; a forked Ansible worker runs in a session of its own and survives it, and so would
the module and its remaining restore requests. The module watches its ancestors, up to and including
the first one outside its own session (the controller), and stops before its next write when one of
them is gone. A signal to stop (SIGTERM, SIGINT, SIGHUP: what a worker that is being stopped sends its
children) does not kill it mid-request either: the requests in flight finish and are journaled, and no
new write is sent. No HTTP, no AnsibleModule."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import signal

MAX_ANCESTORS = 8


def _stat(pid):
    """(ppid, session id, start time) of ``pid`` from /proc, or None when it is gone or unreadable."""
    try:
        with open('/proc/%d/stat' % pid) as handle:
            text = handle.read()
    except (IOError, OSError):
        return None
    fields = text[text.rindex(')') + 2:].split()
    # fields[0] is the state (field 3 of proc(5)): ppid is field 4, session 6, starttime 22.
    return int(fields[1]), int(fields[3]), fields[19]


def watched_ancestors(pid=None, stat=_stat):
    """[(pid, start time)] of the ancestors to watch: up to and including the first outside the session
    of ``pid`` (this process by default); [] where /proc cannot tell (then the parent is watched)."""
    own = stat(pid or os.getpid())
    if own is None:
        return []
    ppid, session = own[0], own[1]
    watched = []
    while ppid > 1 and len(watched) < MAX_ANCESTORS:
        info = stat(ppid)
        if info is None:
            break
        watched.append((ppid, info[2]))
        if info[1] != session:
            break
        ppid = info[0]
    return watched


STOP_SIGNALS = ('SIGTERM', 'SIGINT', 'SIGHUP')


class Lifeline:
    """``gone()``: a reason to stop (an ancestor ended, or a stop signal came), or None while the controller is there."""

    def __init__(self, stat=_stat, getppid=os.getppid):
        self._stat = stat
        self._getppid = getppid
        self._parent = getppid()
        self._ancestors = watched_ancestors(stat=stat)
        self.signalled = None

    def catch_stop_signals(self):
        """Turn the stop signals into a stop before the next write (called from the main thread)."""
        for name in STOP_SIGNALS:
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), self._on_signal)

    def _on_signal(self, signum, frame):
        self.signalled = signum

    def gone(self):
        if self.signalled is not None:
            return 'the module was asked to stop (signal %d): the job was stopped' % self.signalled
        for pid, started in self._ancestors:
            info = self._stat(pid)
            if info is None or info[2] != started:
                return 'the controller that started this module is gone (process %d ended): the job was stopped' % pid
        if self._getppid() != self._parent:
            return 'the process that started this module is gone: the job was stopped'
        return None
