# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""What the reports of the recording_restore role record of the run (plugins/filter/restore_report.py, run_info):
its id, the API URL, the organization, the collection's version, the AWX job and the report files; and who each row
is about: the owner (email or owner id), its type and display name where the module run reports them."""

import csv
import io
import json

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.webexops.recordings.plugins.filter import restore_report as rr
from ansible_collections.webexops.recordings.plugins.filter import restore_runs as runs

STARTED = '2026-12-06T01:30:00Z'
FINISHED = '2026-12-06T01:30:09Z'
PLACE_ID = 'Y2lzY29zcGFyazovL3VzL1BMQUNFLzE'
RUN_INFO = {
    'id': '20261206T013000Z-job42', 'api_url': 'https://webexapis.com/v1', 'collection_version': '0.2.0',
    'awx_job_id': '42', 'awx_job_template_name': 'Restore owner bins', 'report_json': '/srv/reports/r-20261206T013000Z-job42.json',
    'report_csv': '/srv/reports/r-20261206T013000Z-job42.csv',
}


def all_owners_call():
    return {'index': 0, 'whose': 'all_owners', 'owner_emails': [], 'recording_ids': [], 'label': 'all owners'}


def owners_call(emails):
    return {'index': 0, 'whose': 'owners', 'owner_emails': list(emails), 'recording_ids': [], 'label': '%d owner(s)' % len(emails)}


def entry(restored=(), **extra):
    return dict({'restored': list(restored), 'failed': [], 'unknown': [], 'tracking_id': None}, **extra)


def result(owners, **extra):
    restored = sorted(recording for item in owners.values() for recording in item['restored'])
    return dict({'changed': bool(restored), 'restored': restored, 'already_available': [], 'missing': [], 'failed_ids': [],
                 'tracking_ids': [], 'owners': owners, 'requests': {'reads': 2, 'writes': 1, 'retries': 0}}, **extra)


def summarize(call, module_result, run_info=None, check_mode=False):
    record = runs.restore_call_record(module_result, call, as_json=True)
    return rr.restore_summary([record], [call], started=STARTED, finished=FINISHED, check_mode=check_mode, run_info=run_info)


def test_the_run_records_where_what_and_who_ran_it():
    summary = summarize(owners_call(['a@x.example.com']), result({'a@x.example.com': entry(['r1'])}), run_info=RUN_INFO)

    assert summary['run'] == {
        'started': STARTED, 'finished': FINISHED, 'check_mode': False, 'continue_on_failure': False,
        'owners_requested': 1, 'ids_requested': 0, 'id': '20261206T013000Z-job42', 'api_url': 'https://webexapis.com/v1',
        'org_id': None, 'collection_version': '0.2.0', 'awx_job_id': 42, 'awx_job_template_name': 'Restore owner bins',
        'report_json': RUN_INFO['report_json'], 'report_csv': RUN_INFO['report_csv']}
    texts = rr.restore_report_texts(json.dumps(summary))
    assert json.loads(texts['json'])['run'] == summary['run']
    assert texts['lines'][1] == 'report: %s and %s' % (RUN_INFO['report_json'], RUN_INFO['report_csv'])
    run_line = list(csv.DictReader(io.StringIO(texts['csv'])))[0]
    assert run_line['row_type'] == 'run' and run_line['run_started'] == STARTED and run_line['check_mode'] == 'false'
    assert run_line['owner'] == ('id=20261206T013000Z-job42; api_url=https://webexapis.com/v1; collection_version=0.2.0; '
                                 'awx_job_id=42; awx_job_template_name=Restore owner bins')


def test_blank_run_info_is_null_and_without_it_the_run_says_nothing_more():
    blank = dict((name, '') for name in RUN_INFO)
    summary = summarize(owners_call(['a@x']), result({'a@x': entry()}), run_info=json.dumps(blank))
    assert [summary['run'][name] for name in sorted(RUN_INFO)] == [None] * len(RUN_INFO)
    lines = rr.restore_summary_lines(summary)
    assert not [line for line in lines if line.startswith('report:')]
    assert list(csv.DictReader(io.StringIO(rr.restore_report_csv(summary))))[0]['owner'] == ''


@pytest.mark.parametrize('url, shown', [
    ('https://user:secret@webex.example.com/v1', 'https://webex.example.com/v1'),
    ('https://webex.example.com/v1?access_token=secret#frag', 'https://webex.example.com/v1'),
    ('http://127.0.0.1:8080/v1', 'http://127.0.0.1:8080/v1'),
])
def test_the_api_url_is_shown_without_user_information_or_query(url, shown):
    summary = summarize(owners_call(['a@x']), result({'a@x': entry()}), run_info={'api_url': url})
    assert summary['run']['api_url'] == shown
    assert 'secret' not in json.dumps(summary)


def test_the_organization_comes_from_the_module_runs_unless_given():
    module_result = result({'a@x': entry(['r1'])}, org_id='org-from-listing')
    assert summarize(owners_call(['a@x']), module_result)['run']['org_id'] == 'org-from-listing'
    assert summarize(owners_call(['a@x']), module_result, run_info={'org_id': 'org-given'})['run']['org_id'] == 'org-given'
    assert summarize(owners_call(['a@x']), result({'a@x': entry(['r1'])}))['run']['org_id'] is None


@pytest.mark.parametrize('run_info, message', [
    ({'token': 'x'}, 'run_info takes id, api_url, org_id, collection_version, awx_job_template_name, report_json, '
                     'report_csv, awx_job_id, not token'),
    ({'awx_job_id': 'job-7'}, "run_info awx_job_id must be a whole number, not 'job-7'"),
    ('not json', 'run_info given as text must be JSON'),
])
def test_bad_run_info_is_refused_naming_it(run_info, message):
    with pytest.raises(AnsibleFilterError, match=message.replace('(', r'\(')):
        summarize(owners_call(['a@x']), result({'a@x': entry()}), run_info=run_info)


def test_owner_columns_show_the_owner_its_type_and_display_name_where_reported():
    owners = {
        'ann@x.example.com': entry(['a1'], owner_type='user', owner_name='Ann Example'),
        PLACE_ID: entry(['p1', 'p2'], owner_type='place', owner_name='Lobby'),
        'line-7': entry(['v1'], owner_type='virtualLine'),
        # What webex_recording_restore says of an owner it knows nothing of: null (Converged: owner_type; Meetings: owner_name).
        'bob@x.example.com': entry(['b1'], owner_type=None),
    }
    summary = summarize(all_owners_call(), result(owners))

    assert [(row['owner'], row['owner_type'], row['owner_name']) for row in summary['rows']] == [
        ('ann@x.example.com', 'user', 'Ann Example'), ('bob@x.example.com', '', ''), ('line-7', 'virtualLine', ''),
        (PLACE_ID, 'place', 'Lobby')]
    assert 'owner_email' not in json.dumps(summary['rows'])
    lines = rr.restore_summary_lines(summary)[2:]  # after the first line and the selection line
    width = len('%s (Lobby, place)' % PLACE_ID)
    assert lines[0] == '%s  outcome   restored available missing failed unknown  trackingId / error' % 'owner'.ljust(width)
    assert lines[1].startswith('ann@x.example.com (Ann Example, user)'.ljust(width) + '  restored         1')
    assert lines[2].startswith('bob@x.example.com'.ljust(width) + '  restored')
    assert lines[3].startswith('line-7 (virtualLine)'.ljust(width) + '  restored')
    assert lines[4].startswith('%s (Lobby, place)  restored         2' % PLACE_ID)
    rows = [row for row in csv.DictReader(io.StringIO(rr.restore_report_csv(summary))) if row['row_type'] == 'row']
    assert [(row['owner'], row['owner_type'], row['owner_name'], row['restored']) for row in rows] == [
        ('ann@x.example.com', 'user', 'Ann Example', '1'), ('bob@x.example.com', '', '', '1'), ('line-7', 'virtualLine', '', '1'),
        (PLACE_ID, 'place', 'Lobby', '2')]


def test_a_meetings_row_names_its_host_and_api_in_one_pair_of_brackets():
    call = dict(owners_call(['erin@x.example.com', 'carl@x.example.com']), api='meetings')
    owners = {'erin@x.example.com': entry(['m1'], owner_name='Erin Evans'), 'carl@x.example.com': entry(['m2'], owner_name=None)}
    summary = summarize(call, result(owners))

    lines = rr.restore_summary_lines(summary)
    assert any(line.startswith('erin@x.example.com (Erin Evans, meetings)  restored') for line in lines), lines
    # Without a display name the row is named as before: the owner and its API.
    assert any(line.startswith('carl@x.example.com (meetings) ') for line in lines), lines
    assert summary['failed_owners'] == []
