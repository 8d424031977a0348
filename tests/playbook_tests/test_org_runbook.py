# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The incident-recovery runbook playbooks/restore_org_bin.yml (the organization's recycle bin,
all_owners, narrowed by filters, capped by max_restores) with real ansible-playbook runs against an
in-process simulator on 127.0.0.1: request counts, the cap, the audit report and its selection."""

import datetime
import math

import pytest

from _playbook import run_playbook
from _role_helpers import ADMIN_TOKEN, playbook_env, read_report, run_runbook, seeded_simulator

RUNBOOK = 'restore_org_bin.yml'
LISTING = '/v1/admin/convergedRecordings'
RESTORE = 'POST /v1/convergedRecordings/restore'
HQ = 'loc-hq-0001'
BRANCH = 'loc-branch-0002'
LOBBY = 'workspace-lobby-0001'        # a workspace (place) without email
HOTLINE = 'virtual-line-hotline-0001'  # a virtual line without email
USERS = ['ann@org.example.com', 'ben@org.example.com']


def _recordings(count, owner, status='deleted', location=HQ, service='calling', days=(1.0, 19.0), topic='Call'):
    """count recordings of one owner (an email, or the id of an owner without one), spread over days."""
    key = 'owner_email' if '@' in owner else 'owner_id'
    low, high = days
    return [{key: owner, 'status': status, 'location_id': location, 'service_type': service, 'topic': '%s %d' % (topic, number),
             'created_days_ago': low + (high - low) * number / max(count - 1, 1)} for number in range(count)]


# What the incident recovery selects below (HQ, calling, the last 20 days): 130 recordings in the bin of two
# people, a workspace and a virtual line, two restore batches. Around it, what it must leave alone.
SELECTED = {USERS[0]: 50, USERS[1]: 40, LOBBY: 25, HOTLINE: 15}
ORG_SEED = {
    'people': [
        {'id': 'org-admin', 'email': 'admin@org.example.com', 'display_name': 'Org Admin'},
        {'id': 'org-ann', 'email': USERS[0]},
        {'id': 'org-ben', 'email': USERS[1]},
        {'id': LOBBY, 'type': 'place', 'display_name': 'Lobby Phone'},
        {'id': HOTLINE, 'type': 'virtualLine', 'display_name': 'Support Hotline'},
    ],
    'tokens': [
        {'token': ADMIN_TOKEN, 'email': 'admin@org.example.com',
         'scopes': ['spark-admin:recordings_read', 'spark-admin:recordings_write', 'spark:recordings_read',
                    'spark:recordings_write']},
    ],
    'recordings': (
        sum((_recordings(count, owner, topic='Incident %s' % owner.split('@', maxsplit=1)[0]) for owner, count in SELECTED.items()), [])
        + _recordings(5, USERS[0], service='customerAssist', topic='Queue')     # another service
        + _recordings(20, USERS[1], location=BRANCH, topic='Branch')          # another location
        + _recordings(3, LOBBY, days=(40.0, 60.0), topic='Older')              # before the window
        + _recordings(10, USERS[0], status='available', topic='Kept')         # not in the bin
    ),
}
SELECTED_TOTAL = sum(SELECTED.values())  # 130


org_simulator, org_sim = seeded_simulator('org', ORG_SEED)


def created_after(days):
    """An ISO 8601 date-time `days` ago, as an operator would type it (UTC, Z)."""
    moment = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def incident_survey(report_base, cap, **extra):
    """Survey answers as AWX sends them: strings, empty = not set."""
    survey = {'restore_max_restores': str(cap), 'restore_location_id': HQ, 'restore_service_type': 'calling',
              'restore_owner_type': '', 'restore_topic': '', 'restore_created_after': created_after(20),
              'restore_created_before': '', 'restore_report_path': str(report_base), 'restore_continue_on_failure': 'false',
              'restore_lookback_days': '', 'restore_retry_max_wait': ''}
    survey.update(extra)
    return survey


def in_bin(sim):
    """{owner key: number of recordings in the bin} (email, or owner id where there is none)."""
    counts = {}
    for item in sim.recordings(status='deleted'):
        key = item.get('ownerEmail') or item['ownerId']
        counts[key] = counts.get(key, 0) + 1
    return counts


def selected_in_bin(sim):
    return sorted(item['id'] for item in sim.recordings(status='deleted')
                  if item['serviceData']['locationId'] == HQ and item['serviceType'] == 'calling' and 'Incident' in item['topic'])


def listings(sim):
    return [entry for entry in sim.requests() if entry['path'] == LISTING]


def assert_listed_with_filters(sim):
    """Every listing read is organization-wide and filtered by the server: one window, two pages of 100."""
    reads = listings(sim)
    assert len(reads) == 2, reads  # 1 window (20 days) + 1 more page: 130 recordings, 100 per page
    for entry in reads:
        assert entry['query']['locationId'] == HQ and entry['query']['serviceType'] == 'calling'
        assert entry['query']['status'] == 'deleted'
        assert 'ownerEmail' not in entry['query'] and 'ownerType' not in entry['query'] and 'topic' not in entry['query']
    assert sim.counters()['reads'] == 2


def assert_report_selection(report, rows, cap, check_mode):
    assert report['run']['check_mode'] is check_mode
    selection = report['selection']
    assert selection['whose'] == 'all_owners'
    assert selection['filters'] == {'location_id': HQ, 'service_type': 'calling'}
    assert selection['created_after'].endswith('Z') and selection['created_before'] is None
    assert selection['lookback_days'] is None and selection['max_restores'] == cap
    assert rows[0]['row_type'] == 'run'
    assert rows[1]['row_type'] == 'selection' and rows[1]['whose'] == 'all_owners'
    text = rows[1]['owner']
    for part in ('every owner of the organization', 'location_id=%s' % HQ, 'service_type=calling',
                 'created from %s to now' % selection['created_after'], 'max_restores=%d' % cap):
        assert part in text, text
    assert rows[1]['check_mode'] == ('true' if check_mode else 'false')
    assert rows[-1]['row_type'] == 'total'


def test_check_mode_predicts_the_selection_and_writes_nothing(org_sim, tmp_path):
    before = in_bin(org_sim)
    report_base = tmp_path / 'dry-run'
    run = run_runbook(RUNBOOK, incident_survey(report_base, 500), playbook_env(org_sim), tmp_path, check=True)

    assert run.returncode == 0, run
    assert org_sim.counters()['writes'] == 0
    assert in_bin(org_sim) == before
    assert_listed_with_filters(org_sim)
    report, rows = read_report(report_base)
    assert_report_selection(report, rows, 500, check_mode=True)
    assert report['totals']['restored'] == SELECTED_TOTAL and report['totals']['failed_rows'] == 0
    assert {row['owner']: len(row['restored']) for row in report['rows']} == SELECTED
    assert {row['whose'] for row in report['rows']} == {'all_owners'}
    assert report['calls'][0]['whose'] == 'all_owners' and report['calls'][0]['requests']['writes'] == 0
    assert 'selection: bins of every owner of the organization; location_id=%s; service_type=calling' % HQ in run.output
    assert ADMIN_TOKEN not in run.output


def test_restores_exactly_the_selection_in_batches_then_changes_nothing(org_sim, tmp_path):
    wanted = selected_in_bin(org_sim)
    assert len(wanted) == SELECTED_TOTAL
    before = in_bin(org_sim)
    report_base = tmp_path / 'incident'
    # The cap equal to what the selection holds lets it through.
    survey = incident_survey(report_base, SELECTED_TOTAL)
    first = run_runbook(RUNBOOK, survey, playbook_env(org_sim), tmp_path)

    assert first.returncode == 0, first
    assert first.recap['changed'] >= 1
    assert_listed_with_filters(org_sim)
    counters = org_sim.counters()
    assert counters['by_endpoint'][RESTORE] == counters['writes'] == math.ceil(SELECTED_TOTAL / 100)
    bodies = [entry['body'] for entry in org_sim.requests() if entry['method'] == 'POST']
    assert sorted(sum((body['recordingIds'] for body in bodies), [])) == wanted
    assert not [body for body in bodies if body.get('restoreAll')]  # by id: restoreAll would restore more
    # Only the selection left the bin: other services, locations and older recordings stay.
    assert selected_in_bin(org_sim) == []
    assert in_bin(org_sim) == {owner: count - SELECTED.get(owner, 0) for owner, count in before.items()
                               if count - SELECTED.get(owner, 0)}
    report, rows = read_report(report_base)
    assert_report_selection(report, rows, SELECTED_TOTAL, check_mode=False)
    assert report['totals']['restored'] == SELECTED_TOTAL and report['totals']['owners'] == 4
    assert report['totals']['requests'] == {'reads': 2, 'writes': 2, 'retries': 0}
    by_owner = {row['owner']: row for row in report['rows']}
    assert by_owner[LOBBY]['outcome'] == 'restored' and len(by_owner[LOBBY]['restored']) == SELECTED[LOBBY]
    assert by_owner[HOTLINE]['outcome'] == 'restored' and len(by_owner[HOTLINE]['restored']) == SELECTED[HOTLINE]
    assert [row['owner'] for row in rows if row['row_type'] == 'row'] == sorted(SELECTED, key=str.lower)
    # Each owner's type, as the listing gave it, in the JSON and CSV reports and the table; no display name from Converged.
    types = {USERS[0]: 'user', USERS[1]: 'user', LOBBY: 'place', HOTLINE: 'virtualLine'}
    assert {row['owner']: (row['owner_type'], row['owner_name']) for row in report['rows']} == {
        owner: (kind, '') for owner, kind in types.items()}
    assert {row['owner']: (row['owner_type'], row['owner_name']) for row in rows if row['row_type'] == 'row'} == {
        owner: (kind, '') for owner, kind in types.items()}
    for owner, kind in types.items():
        assert '%s (%s)' % (owner, kind) in first.output, first

    org_sim.reset(log=True, faults=False, data=False)
    second = run_runbook(RUNBOOK, survey, playbook_env(org_sim), tmp_path)
    assert second.returncode == 0, second
    assert second.recap['changed'] == 0, second
    assert org_sim.counters()['writes'] == 0
    report, _rows = read_report(report_base)
    assert report['totals']['restored'] == 0
    assert [(row['owner'], row['outcome']) for row in report['rows']] == [('', 'unchanged')]


@pytest.mark.parametrize('check', [True, False], ids=['check', 'run'])
def test_cap_refuses_before_any_write_naming_count_and_cap(org_sim, tmp_path, check):
    before = in_bin(org_sim)
    cap = SELECTED_TOTAL - 1
    report_base = tmp_path / 'capped'
    run = run_runbook(RUNBOOK, incident_survey(report_base, cap), playbook_env(org_sim), tmp_path, check=check)

    assert run.returncode != 0, run
    assert org_sim.counters()['writes'] == 0
    assert in_bin(org_sim) == before
    assert_listed_with_filters(org_sim)
    assert '%d recording(s)' % SELECTED_TOTAL in run.output and 'max_restores=%d' % cap in run.output
    report, rows = read_report(report_base)
    assert_report_selection(report, rows, cap, check_mode=check)
    assert report['calls'][0]['selected'] == SELECTED_TOTAL and report['calls'][0]['failed'] is True
    assert report['totals']['restored'] == 0 and report['totals']['failed_rows'] == 1
    assert [(row['owner'], row['outcome']) for row in report['rows']] == [('', 'failed')]
    assert 'max_restores=%d' % cap in report['rows'][0]['error']
    assert report['failed_owners'] == ['(all owners)']
    assert rows[-1]['outcome'] == 'failed' and str(SELECTED_TOTAL) in rows[-1]['error']


def test_owner_type_selects_the_workspaces_keyed_by_owner_id(org_sim, tmp_path):
    report_base = tmp_path / 'workspaces'
    survey = incident_survey(report_base, 100, restore_owner_type='place', restore_location_id='', restore_service_type='',
                             restore_created_after='', restore_lookback_days='28')
    run = run_runbook(RUNBOOK, survey, playbook_env(org_sim), tmp_path, check=True)

    assert run.returncode == 0, run
    reads = listings(org_sim)
    assert len(reads) == 1  # 28 days back: one window, one page
    assert reads[0]['query']['ownerType'] == 'place' and 'locationId' not in reads[0]['query']
    report, rows = read_report(report_base)
    assert [(row['owner'], len(row['restored'])) for row in report['rows']] == [(LOBBY, SELECTED[LOBBY])]
    assert report['selection'] == {'whose': 'all_owners', 'filters': {'owner_type': 'place'}, 'created_after': None,
                                   'created_before': None, 'lookback_days': 28, 'max_restores': 100}
    assert 'owner_type=place; created in the last 28 days; max_restores=100' in rows[1]['owner']


@pytest.mark.parametrize('cap', [None, '', '0', '-5', 'ten', '2.5'], ids=['unset', 'empty', 'zero', 'negative', 'text', 'fraction'])
def test_a_missing_or_bad_cap_fails_before_any_request(org_sim, tmp_path, cap):
    survey = incident_survey(tmp_path / 'never', 1)
    if cap is None:
        del survey['restore_max_restores']
    else:
        survey['restore_max_restores'] = cap
    run = run_runbook(RUNBOOK, survey, playbook_env(org_sim), tmp_path)

    assert run.returncode != 0, run
    assert 'Set restore_max_restores to a positive whole number' in run.output
    assert org_sim.counters()['total'] == 0
    assert not list(tmp_path.glob('never*'))


def test_a_bad_filter_fails_before_any_request(org_sim, tmp_path):
    run = run_runbook(RUNBOOK, incident_survey(tmp_path / 'never', 10, restore_service_type='meetings'), playbook_env(org_sim),
                      tmp_path)
    assert run.returncode != 0, run
    assert 'recording_restore_service_type' in run.output and 'customerAssist' in run.output
    assert org_sim.counters()['total'] == 0

    future = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)).strftime('%Y-%m-%d')
    run = run_runbook(RUNBOOK, incident_survey(tmp_path / 'never', 10, restore_created_after=future), playbook_env(org_sim), tmp_path)
    assert run.returncode != 0, run
    assert 'created_after must not be in the future' in run.output
    assert org_sim.counters()['total'] == 0


def role_play(role_vars):
    """A play that includes the role with these variables, as a playbook of one's own would."""
    return [{'name': 'Restore with the role', 'hosts': 'localhost', 'connection': 'local', 'gather_facts': False,
             'vars': {'ansible_python_interpreter': '{{ ansible_playbook_python }}'},
             'tasks': [{'name': 'Restore', 'ansible.builtin.include_role': {'name': 'webexops.recordings.recording_restore'},
                        'vars': role_vars}]}]


def test_role_narrows_the_bins_of_listed_owners_and_restores_by_id(org_sim, tmp_path):
    report_base = tmp_path / 'branch'
    run = run_playbook(tmp_path, role_play({'recording_restore_owners': USERS, 'recording_restore_location_id': BRANCH,
                                            'recording_restore_lookback_days': 28, 'recording_restore_max_restores': 20,
                                            'recording_restore_report_path': str(report_base)}),
                       env=playbook_env(org_sim))

    assert run.returncode == 0, run
    reads = listings(org_sim)
    assert reads[0]['query']['locationId'] == BRANCH and 'ownerEmail' not in reads[0]['query']
    # then one read asks whether ann, of whom nothing was found at the branch, has anything in the bin at all
    assert len(reads) == 2 and reads[1]['query']['ownerEmail'] == USERS[0] and 'locationId' not in reads[1]['query']
    posts = [entry['body'] for entry in org_sim.requests() if entry['method'] == 'POST']
    assert len(posts) == 1 and len(posts[0]['recordingIds']) == 20 and not posts[0].get('restoreAll')
    assert in_bin(org_sim)[USERS[1]] == SELECTED[USERS[1]]  # ben's HQ recordings stay in the bin
    report, rows = read_report(report_base)
    assert [(row['owner'], row['whose'], row['outcome'], len(row['restored'])) for row in report['rows']] == [
        (USERS[0], 'owners', 'unchanged', 0), (USERS[1], 'owners', 'restored', 20)]
    assert report['selection'] == {'whose': 'owners', 'filters': {'location_id': BRANCH}, 'created_after': None,
                                   'created_before': None, 'lookback_days': 28, 'max_restores': 20}
    assert rows[1]['row_type'] == 'selection' and rows[1]['whose'] == 'owners'
    assert 'bins of the listed owners; location_id=%s; created in the last 28 days; max_restores=20' % BRANCH == rows[1]['owner']


@pytest.mark.parametrize('role_vars', [
    {'recording_restore_all_owners': True},
    {'recording_restore_all_owners': True, 'recording_restore_max_restores': 10, 'recording_restore_owners': USERS[:1]},
    {'recording_restore_ids': ['some-recording-id'], 'recording_restore_service_type': 'calling'},
], ids=['all-owners-without-cap', 'all-owners-and-owners', 'selection-with-ids-only'])
def test_role_refuses_a_selection_it_cannot_apply_before_any_request(org_sim, tmp_path, role_vars):
    run = run_playbook(tmp_path, role_play(role_vars), env=playbook_env(org_sim))
    assert run.returncode != 0, run
    assert 'recording_restore_all_owners restores every owner' in run.output
    assert org_sim.counters()['total'] == 0
