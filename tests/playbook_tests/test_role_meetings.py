# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Both recycle bins in one job: the owner-bins runbook with restore_apis: both, over HTTP against the simulator's
default seed (Converged and Meetings recordings of the same people), request counts asserted."""

import pathlib

from _role_helpers import playbook_env, read_report, run_runbook, seeded_simulator

SEED = str(pathlib.Path(__file__).resolve().parents[1] / 'simulator' / 'seeds' / 'default.yml')
meetings_simulator, meetings_sim = seeded_simulator('meetings', SEED)


def test_one_job_restores_an_owners_recordings_from_both_bins(meetings_sim, tmp_path):
    converged_before = [item for item in meetings_sim.recordings(owner_email='erin@example.com') if item['status'] == 'deleted']
    base = tmp_path / 'report'
    survey = {'restore_owners': 'erin@example.com', 'restore_apis': 'both', 'restore_lookback_days': 58,
              'restore_report_path': str(base)}
    run = run_runbook('restore_owner_bins.yml', survey, playbook_env(meetings_sim, token='admin-token'), tmp_path)
    assert run.returncode == 0, run

    counters = meetings_sim.counters()['by_endpoint']
    # Meetings: 1 site list + 3 windows x 2 sites, then one restoreAll per site holding erin's recordings.
    assert counters['GET /v1/meetingPreferences/sites'] == 1
    assert counters['GET /v1/admin/recordings'] == 6
    assert counters['POST /v1/recordings/restore'] == 2
    writes = sorted((r['query'].get('hostEmail'), r['body'].get('siteUrl'), r['body'].get('restoreAll'))
                    for r in meetings_sim.requests() if r['path'] == '/v1/recordings/restore')
    assert writes == [('erin@example.com', 'example-eu.webex.com', True), ('erin@example.com', 'example.webex.com', True)]
    assert not [item for item in meetings_sim.meeting_recordings(host_email='erin@example.com') if item['status'] == 'deleted']
    # Converged: erin's own bin as before (one owner: per_owner, restoreAll when anything is in it).
    assert converged_before and counters['POST /v1/convergedRecordings/restore'] == 1

    report, rows = read_report(base)
    assert sorted((row['api'], row['owner']) for row in report['rows']) == [
        ('converged', 'erin@example.com'), ('meetings', 'erin@example.com')]
    meetings_row = [row for row in report['rows'] if row['api'] == 'meetings'][0]
    assert meetings_row['outcome'] == 'restored' and len(meetings_row['restored']) == 2
    assert [row['api'] for row in rows if row['row_type'] == 'row'] == ['converged', 'meetings']
    # Who erin is, as each API's listing says it: her type (Converged), her display name as a meeting host (Meetings).
    assert [(row['api'], row['owner_type'], row['owner_name']) for row in rows if row['row_type'] == 'row'] == [
        ('converged', 'user', ''), ('meetings', '', 'Erin Evans')]
    assert meetings_row['owner_name'] == 'Erin Evans' and 'erin@example.com (Erin Evans, meetings)' in run.output

    rerun = run_runbook('restore_owner_bins.yml', dict(survey, restore_report_path=str(tmp_path / 'again')),
                        playbook_env(meetings_sim, token='admin-token'), tmp_path)
    assert rerun.returncode == 0, rerun
    assert meetings_sim.counters()['by_endpoint']['POST /v1/recordings/restore'] == 2   # no write on the rerun


def test_a_wrong_answer_for_the_bins_is_refused_before_any_request(meetings_sim, tmp_path):
    run = run_runbook('restore_owner_bins.yml', {'restore_owners': 'erin@example.com', 'restore_apis': 'calls'},
                      playbook_env(meetings_sim, token='admin-token'), tmp_path)
    assert run.returncode != 0 and 'restore_apis must be converged, meetings or both' in run.output
    assert meetings_sim.counters()['total'] == 0
