# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The info-then-restore flow over HTTP: list with webex_recording_info, restore exactly those ids, and
run the same play again (the bin is empty by then: an empty id list is a no-op that sends nothing).
max_restores caps an id list too, and lookback_days has an upper bound; both are refused before any
write (lookback_days before any request). Request counts asserted."""

import math

from _playbook import run_module_tasks, run_playbook

INFO = 'webexops.recordings.webex_recording_info'
RESTORE = 'webexops.recordings.webex_recording_restore'
ALICE_RECENT = 'a1000000-0000-4000-8000-000000000001'
ALICE_OLD = 'a1000000-0000-4000-8000-000000000002'
ALICE_AVAILABLE = 'a1000000-0000-4000-8000-000000000003'
BOB_RECENT = 'b2000000-0000-4000-8000-000000000001'
W = math.ceil((365 + 1) / 29)   # listing windows of the default lookback


def info_then_restore_play(sim, tmp_path, token='alice-token'):
    """The documented flow, as a user writes it: list the bin, restore what was listed."""
    connection = {'access_token': token, 'api_url': sim.api_url}
    listed, restored = tmp_path / 'listed.json', tmp_path / 'restored.json'
    play = {
        'name': 'List, then restore exactly those ids',
        'hosts': 'localhost',
        'gather_facts': False,
        'vars': {'ansible_python_interpreter': '{{ ansible_playbook_python }}'},
        'tasks': [
            {'name': 'List my recycle bin', INFO: connection, 'register': 'listed'},
            {'name': 'Restore exactly those', RESTORE: dict(connection, recording_ids="{{ listed.recordings | map(attribute='id') | list }}"),
             'register': 'restored'},
            {'name': 'Keep the listing', 'ansible.builtin.copy': {'content': '{{ listed | to_nice_json }}', 'dest': str(listed), 'mode': '0600'}},
            {'name': 'Keep the restore', 'ansible.builtin.copy': {'content': '{{ restored | to_nice_json }}', 'dest': str(restored), 'mode': '0600'}},
        ],
    }
    return lambda: run_playbook(tmp_path, [play], result_files=[listed, restored])


def test_list_then_restore_those_ids_and_run_it_again(module_sim, tmp_path):
    play = info_then_restore_play(module_sim, tmp_path)
    first = play()
    assert first.returncode == 0, first
    listed, restored = first.results
    # The caller's own bin, the default 365 days: alice's two deleted recordings, one read per window.
    assert sorted(item['id'] for item in listed['recordings']) == [ALICE_RECENT, ALICE_OLD]
    assert listed['requests'] == {'reads': W, 'writes': 0, 'retries': 0}
    assert restored['changed'] is True and sorted(restored['restored']) == [ALICE_RECENT, ALICE_OLD]
    assert restored['requests'] == {'reads': 2, 'writes': 1, 'retries': 0}   # per id, then one batch
    assert module_sim.counters()['total'] == W + 2 + 1

    module_sim.reset(log=True, faults=True, data=False)
    again = play()
    assert again.returncode == 0, again
    listed, restored = again.results
    assert listed['recordings'] == [] and listed['requests'] == {'reads': W, 'writes': 0, 'retries': 0}
    assert restored['changed'] is False and restored['failed'] is False
    assert restored['msg'] == 'recording_ids is empty: nothing to restore, no request was sent'
    assert restored['requests'] == {'reads': 0, 'writes': 0, 'retries': 0}
    assert restored['restored'] == [] and restored['recordings'] == []
    assert module_sim.counters()['total'] == W and module_sim.counters()['writes'] == 0
    assert 'failed=0' in again.stdout


def test_max_restores_counts_the_ids_in_the_bin_before_any_write(module_sim, tmp_path):
    ids = [ALICE_RECENT, BOB_RECENT, ALICE_AVAILABLE]   # two in the bin, one already available
    connection = {'access_token': 'admin-token', 'api_url': module_sim.api_url}
    for check in (True, False):
        module_sim.reset(log=True, faults=True, data=False)
        refused = run_module_tasks(tmp_path, [dict(connection, recording_ids=ids, max_restores=1)], check=check).results[0]
        assert refused['failed'] is True, refused
        for words in ('max_restores', '2 recording(s) in the recycle bin', 'max_restores=1', 'nothing was restored'):
            assert words in refused['msg'], refused['msg']
        assert refused['selected'] == 2 and refused['restored'] == []
        assert refused['requests'] == {'reads': 3, 'writes': 0, 'retries': 0}
        assert module_sim.counters()['writes'] == 0 and module_sim.counters()['reads'] == 3
    module_sim.reset(log=True, faults=True, data=False)
    allowed = run_module_tasks(tmp_path, [dict(connection, recording_ids=ids, max_restores=2)]).results[0]
    assert allowed['changed'] is True and sorted(allowed['restored']) == [ALICE_RECENT, BOB_RECENT]
    assert allowed['already_available'] == [ALICE_AVAILABLE]
    assert allowed['requests'] == {'reads': 3, 'writes': 1, 'retries': 0}


def test_lookback_days_above_ten_years_is_refused_before_any_request(module_sim, tmp_path):
    connection = {'access_token': 'admin-token', 'api_url': module_sim.api_url}
    cases = [
        (RESTORE, dict(connection, restore_all=True, owner_email='alice@example.com', lookback_days=100000)),
        (RESTORE, dict(connection, recording_ids=[ALICE_RECENT], lookback_days=3651)),
        (INFO, dict(connection, owner_email='alice@example.com', lookback_days=3651)),
    ]
    for module, module_args in cases:
        result = run_module_tasks(tmp_path, [module_args], module=module).results[0]
        assert result['failed'] is True, result
        assert 'lookback_days must be at most 3650' in result['msg'] and 'got %d' % module_args['lookback_days'] in result['msg']
    assert module_sim.counters()['total'] == 0
    # The bound itself is accepted: ceil(3651 / 29) = 126 windows, one read each.
    result = run_module_tasks(tmp_path, [dict(connection, owner_email='alice@example.com', lookback_days=3650)], module=INFO).results[0]
    assert result['requests'] == {'reads': math.ceil(3651 / 29), 'writes': 0, 'retries': 0}
    assert module_sim.counters()['total'] == math.ceil(3651 / 29)
