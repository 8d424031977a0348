# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The job artifacts of the recording_restore role (plugins/filter/restore_stats.py): what set_stats publishes of the
summary, in AWX shown on the job and handed to the next node of a workflow."""

import json

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.webexops.recordings.plugins.filter import restore_report as rr
from ansible_collections.webexops.recordings.plugins.filter import restore_runs as runs
from ansible_collections.webexops.recordings.plugins.filter import restore_stats as rs

STARTED = '2026-12-06T01:30:00Z'
FINISHED = '2026-12-06T01:30:09Z'


def calls():
    return [
        {'index': 0, 'whose': 'owners', 'owner_emails': ['a@x', 'b@x', 'c@x'], 'recording_ids': [], 'label': '3 owner(s): a@x .. c@x'},
        {'index': 1, 'whose': 'recording_ids', 'owner_emails': [], 'recording_ids': ['r9'], 'label': '1 recording id(s)'},
    ]


def summary_text():
    owners = {
        'a@x': {'restored': ['a1', 'a2'], 'failed': [], 'unknown': [], 'tracking_id': None},
        'b@x': {'restored': [], 'failed': ['b1', 'b2', 'b3'], 'unknown': [], 'tracking_id': 'T-B', 'owner_type': 'user'},
        'c@x': {'restored': [], 'failed': [], 'unknown': [], 'tracking_id': None},
    }
    result = {'changed': True, 'owners': owners, 'restored': [], 'failed_ids': ['b1', 'b2', 'b3'], 'tracking_ids': ['T-B'],
              'requests': {'reads': 4, 'writes': 2, 'retries': 1}, 'msg': '3 restore(s) failed'}
    record = runs.restore_call_record(result, calls()[0], failed=True, as_json=True)
    return rr.restore_summary([record], calls(), started=STARTED, finished=FINISHED, as_json=True,
                              run_info={'id': '20261206T013000Z-job42', 'awx_job_id': 42, 'report_json': '/srv/r.json',
                                        'report_csv': '/srv/r.csv', 'api_url': 'https://webexapis.com/v1'})


def test_the_artifacts_hold_the_run_the_totals_the_owners_by_outcome_and_the_failures():
    summary = json.loads(summary_text())
    stats = rs.restore_report_stats(summary_text())

    assert sorted(stats) == ['earlier_runs', 'errors', 'failures', 'outcomes', 'run', 'selection', 'totals']
    assert stats['run'] == summary['run'] and stats['run']['awx_job_id'] == 42 and stats['run']['report_csv'] == '/srv/r.csv'
    assert stats['totals'] == summary['totals'] and stats['selection'] == summary['selection']
    # A row without owner (the ids of a run not attempted) by the table's label.
    assert stats['outcomes'] == {'restored': ['a@x'], 'failed': ['b@x'], 'unchanged': ['c@x'], 'skipped': ['(recording ids)']}
    assert stats['failures'] == [{'whose': 'owners', 'api': '', 'owner': 'b@x', 'owner_type': 'user', 'owner_name': '', 'outcome': 'failed',
                                  'tracking_id': 'T-B', 'error': '', 'failed': 3, 'missing': 0, 'unknown': 0}]
    assert stats['errors'] == ['3 owner(s): a@x .. c@x: 3 restore(s) failed']
    # No id lists: the report file keeps them.
    assert 'b1' not in json.dumps(stats)


def test_the_artifacts_as_json_text_and_from_a_dict_are_the_same():
    assert json.loads(rs.restore_report_stats(json.loads(summary_text()), as_json=True)) == rs.restore_report_stats(summary_text())


def test_the_artifacts_refuse_what_is_not_a_summary():
    with pytest.raises(AnsibleFilterError, match='summary given as text must be JSON'):
        rs.restore_report_stats('{nope')
    with pytest.raises(AnsibleFilterError, match='summary must be a dict, not list'):
        rs.restore_report_stats([])


def test_the_filter_is_registered():
    assert rs.FilterModule().filters() == {'restore_report_stats': rs.restore_report_stats}
