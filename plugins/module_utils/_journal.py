# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""The journal of applied restores: one JSON line per restore request whose outcome is known (or known
to be unknown), appended and flushed to disk as it happens, so that a run that is stopped halfway (a
cancelled AWX job, a killed controller) leaves a record of what it restored, and the next run's report
includes it. No HTTP, no AnsibleModule."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os
import threading
from datetime import datetime, timezone

JOURNAL_FORMAT = 1


class Journal:
    """Appends entries to ``path`` (created with mode 0600 when missing). Thread-safe."""

    def __init__(self, path, api, check_mode=False):
        self.path = path
        self.api = api
        self.check_mode = check_mode
        self._lock = threading.Lock()

    def record(self, outcome, recording_ids, plan):
        """One entry: ``outcome`` ('restored' or 'unknown') of ``recording_ids``, with their owners."""
        if not recording_ids or self.check_mode:
            return
        owners = {}
        for recording_id in recording_ids:
            owner = (plan['owner_of'].get(recording_id) or '').strip() or plan['owner_id_of'].get(recording_id) or ''
            owners.setdefault(owner, []).append(recording_id)
        entry = {'format': JOURNAL_FORMAT, 'time': datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'), 'api': self.api,
                 'outcome': outcome, 'owners': owners}
        line = json.dumps(entry, sort_keys=True) + '\n'
        with self._lock:
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(descriptor, line.encode('utf-8'))
                os.fsync(descriptor)
            finally:
                os.close(descriptor)


def read_journal(path):
    """The entries of a journal (an unfinished last line, written when the process died, is skipped)."""
    entries = []
    if not path or not os.path.exists(path):
        return entries
    with open(path) as handle:
        for line in handle:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get('outcome') in ('restored', 'unknown'):
                entries.append(entry)
    return entries
