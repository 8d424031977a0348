# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The journal of applied restores: one line per entry, owners by key, nothing in check mode, a torn
last line skipped."""

import json
import os
import stat

from ansible_collections.webexops.recordings.plugins.module_utils import _planner as planner
from ansible_collections.webexops.recordings.plugins.module_utils._journal import Journal, read_journal


def _plan():
    return planner.build_restore_plan(['a1', 'a2', 'w1'], {
        'a1': {'id': 'a1', 'status': 'deleted', 'owner_email': 'alice@example.com'},
        'a2': {'id': 'a2', 'status': 'deleted', 'owner_email': 'alice@example.com'},
        'w1': {'id': 'w1', 'status': 'deleted', 'owner_email': None, 'owner_id': 'workspace-1'}})


def test_entries_are_appended_one_line_each_with_owners_by_key(tmp_path):
    path = str(tmp_path / 'r.journal.jsonl')
    journal = Journal(path, 'converged')
    journal.record('restored', ['a1', 'w1'], _plan())
    journal.record('unknown', ['a2'], _plan())
    journal.record('restored', [], _plan())
    lines = open(path).read().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first['outcome'] == 'restored' and first['api'] == 'converged' and first['format'] == 1
    assert first['owners'] == {'alice@example.com': ['a1'], 'workspace-1': ['w1']}
    assert [entry['outcome'] for entry in read_journal(path)] == ['restored', 'unknown']
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_check_mode_writes_nothing(tmp_path):
    path = str(tmp_path / 'r.journal.jsonl')
    Journal(path, 'converged', check_mode=True).record('restored', ['a1'], _plan())
    assert not os.path.exists(path) and read_journal(path) == []


def test_a_torn_last_line_is_skipped(tmp_path):
    path = str(tmp_path / 'r.journal.jsonl')
    Journal(path, 'converged').record('restored', ['a1'], _plan())
    with open(path, 'a') as handle:
        handle.write('{"outcome": "restored", "owners": {"alice@exa')
    assert len(read_journal(path)) == 1
