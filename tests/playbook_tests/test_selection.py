# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Selections over HTTP: webex_recording_info and webex_recording_restore in real ansible-playbook runs
against the simulator, with the request counts of docs/design.md asserted per task: each filter, a
combination, all_owners with and without filters, the max_restores cap, workspace and virtual-line
recordings (no email) restored by id, the info module's counts against the simulator's truth, and a
user token refused all_owners."""

import math

import pytest

from webex_simulator import Simulator

from _playbook import run_module_tasks

W = 13   # listing windows of the default lookback (365 days in windows of 29)
INFO = 'webexops.recordings.webex_recording_info'
RESTORE = 'webexops.recordings.webex_recording_restore'
ADMIN_SCOPES = ['spark-admin:recordings_read', 'spark-admin:recordings_write', 'spark:recordings_read', 'spark:recordings_write']
SEED = {
    'org_id': 'a9c1f2d3-0000-4000-8000-0000000000aa',
    'people': [
        {'email': 'admin@sel.example.com'}, {'email': 'ann@sel.example.com'}, {'email': 'ben@sel.example.com'},
        {'id': 'ws-lobby', 'type': 'place', 'display_name': 'Lobby phone'},
        {'id': 'vl-hotline', 'type': 'virtualLine', 'display_name': 'Hotline'},
    ],
    'tokens': [
        {'token': 'admin-token', 'email': 'admin@sel.example.com', 'scopes': ADMIN_SCOPES},
        {'token': 'ann-token', 'email': 'ann@sel.example.com', 'scopes': ['spark:recordings_read', 'spark:recordings_write']},
    ],
    'recordings': (
        [{'id': 'ann-hq-%03d' % n, 'owner_email': 'ann@sel.example.com', 'status': 'deleted', 'created_days_ago': 3,
          'location_id': 'HQ', 'topic': 'Sales call %d' % n} for n in range(130)]
        + [{'id': 'ben-br-%02d' % n, 'owner_email': 'ben@sel.example.com', 'status': 'deleted', 'created_days_ago': 50,
            'location_id': 'BRANCH', 'service_type': 'customerAssist', 'topic': 'Support %d' % n} for n in range(30)]
        + [{'id': 'lobby-%d' % n, 'owner_id': 'ws-lobby', 'status': 'deleted', 'created_days_ago': 2, 'location_id': 'HQ',
            'topic': 'Lobby %d' % n} for n in range(4)]
        + [{'id': 'hotline-%d' % n, 'owner_id': 'vl-hotline', 'status': 'deleted', 'created_days_ago': 10,
            'location_id': 'BRANCH', 'topic': 'Hotline %d' % n} for n in range(3)]
        + [{'id': 'ann-available', 'owner_email': 'ann@sel.example.com', 'status': 'available', 'created_days_ago': 1,
            'location_id': 'HQ'}]
    ),
}
IN_BIN = 130 + 30 + 4 + 3


@pytest.fixture
def sim():
    with Simulator(seed=SEED) as simulator:
        yield simulator


def task(sim, module=RESTORE, token='admin-token', **args):
    return dict(args, access_token=token, api_url=sim.api_url), module


def run(tmp_path, sim, tasks, check=False):
    """Run the tasks (one play), each with its module; returns the registered results."""
    results = []
    for args, module in tasks:
        played = run_module_tasks(tmp_path, [args], module=module, check=check)
        assert len(played.results) == 1, played
        results.append(played.results[0])
    return results


def truth(sim, **where):
    ids = []
    for item in sim.recordings(status='deleted'):
        fields = dict(item, locationId=(item.get('serviceData') or {}).get('locationId'))
        if all(fields.get(key) == value for key, value in where.items()):
            ids.append(item['id'])
    return sorted(ids)


def test_info_counts_equal_the_simulator_truth_for_each_filter(sim, tmp_path):
    cases = [
        ({}, {}),
        ({'location_id': 'HQ'}, {'locationId': 'HQ'}),
        ({'owner_type': 'place'}, {'ownerType': 'place'}),
        ({'service_type': 'customerAssist'}, {'serviceType': 'customerAssist'}),
        ({'topic': 'lobby 2'}, {'topic': 'Lobby 2'}),
        ({'location_id': 'BRANCH', 'owner_type': 'virtualLine'}, {'locationId': 'BRANCH', 'ownerType': 'virtualLine'}),
    ]
    results = run(tmp_path, sim, [task(sim, INFO, all_owners=True, **args) for args, dummy in cases])
    for (args, where), result in zip(cases, results):
        assert not result.get('failed'), result
        assert sorted(item['id'] for item in result['recordings']) == truth(sim, **where), args
        assert result['count'] == len(truth(sim, **where))
        # one read per window, one more for the window holding more than 100 (the 130 + 4 at HQ)
        extra = 1 if result['count'] > 100 else 0
        assert result['requests'] == {'reads': W + extra, 'writes': 0, 'retries': 0}, args
    everything = results[0]
    assert everything['count_by_owner'] == {'ann@sel.example.com': 130, 'ben@sel.example.com': 30, 'ws-lobby': 4, 'vl-hotline': 3}
    assert sim.counters()['writes'] == 0


def test_info_creation_window(sim, tmp_path):
    result = run(tmp_path, sim, [task(sim, INFO, all_owners=True, created_after=_days_ago(60), created_before=_days_ago(20))])[0]
    assert sorted(item['id'] for item in result['recordings']) == sorted('ben-br-%02d' % n for n in range(30))
    assert result['requests']['reads'] == 2   # 40 days: two windows of at most 29


@pytest.mark.parametrize('check', [True, False])
def test_the_cap_refuses_without_a_write(sim, tmp_path, check):
    result = run(tmp_path, sim, [task(sim, all_owners=True, max_restores=IN_BIN - 1)], check=check)[0]
    assert result['failed'] is True
    assert '%d recording(s)' % IN_BIN in result['msg'] and 'max_restores=%d' % (IN_BIN - 1) in result['msg']
    assert result['selected'] == IN_BIN
    assert sim.counters()['writes'] == 0 and result['requests'] == {'reads': W + 1, 'writes': 0, 'retries': 0}


def test_all_owners_check_then_real_then_again(sim, tmp_path):
    check = run(tmp_path, sim, [task(sim, all_owners=True, max_restores=IN_BIN)], check=True)[0]
    assert check['changed'] is True and len(check['restored']) == IN_BIN and sim.counters()['writes'] == 0
    real = run(tmp_path, sim, [task(sim, all_owners=True, max_restores=IN_BIN)])[0]
    assert sorted(real['restored']) == sorted(check['restored'])
    assert real['requests'] == {'reads': W + 1, 'writes': math.ceil(IN_BIN / 100), 'retries': 0}
    assert real['owners']['ws-lobby']['restored'] == ['lobby-%d' % n for n in range(4)]
    assert sorted(real['owners']['vl-hotline']['restored']) == ['hotline-%d' % n for n in range(3)]
    assert truth(sim) == []
    again = run(tmp_path, sim, [task(sim, all_owners=True, max_restores=0)])[0]
    assert again['changed'] is False and again['requests']['writes'] == 0


def test_workspace_and_virtual_line_recordings_are_restored_by_id(sim, tmp_path):
    result = run(tmp_path, sim, [task(sim, all_owners=True, owner_type='place', max_restores=10),
                                 task(sim, all_owners=True, location_id='BRANCH', owner_type='virtualLine', max_restores=10)])
    assert sorted(result[0]['restored']) == ['lobby-%d' % n for n in range(4)]
    assert sorted(result[1]['restored']) == ['hotline-%d' % n for n in range(3)]
    bodies = [entry['body'] for entry in sim.requests() if entry['method'] == 'POST']
    assert bodies == [{'recordingIds': result[0]['restored']}, {'recordingIds': result[1]['restored']}]
    assert result[0]['requests'] == result[1]['requests'] == {'reads': W, 'writes': 1, 'retries': 0}
    assert truth(sim, ownerType='place') == [] and truth(sim, ownerType='virtualLine') == []


def test_one_owner_with_a_filter_is_restored_by_id(sim, tmp_path):
    result = run(tmp_path, sim, [task(sim, restore_all=True, owner_email='ann@sel.example.com', topic='sales call 129')])[0]
    assert result['restored'] == ['ann-hq-129']
    assert [entry['body'] for entry in sim.requests() if entry['method'] == 'POST'] == [{'recordingIds': ['ann-hq-129']}]
    assert result['requests'] == {'reads': W, 'writes': 1, 'retries': 0}


def test_a_user_token_is_refused_all_owners_after_one_read(sim, tmp_path):
    results = run(tmp_path, sim, [task(sim, token='ann-token', all_owners=True, max_restores=5),
                                  task(sim, INFO, token='ann-token', all_owners=True)])
    for result in results:
        assert result['failed'] is True and 'administrator' in result['msg']
        assert result['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}
    assert sim.counters()['writes'] == 0 and sim.counters()['reads'] == 2


def _days_ago(days):
    from datetime import datetime, timedelta, timezone
    return (datetime.now(timezone.utc) - timedelta(days=days)).strftime('%Y-%m-%dT%H:%M:%SZ')
