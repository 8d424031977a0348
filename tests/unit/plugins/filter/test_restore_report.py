# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The filters of the recording_restore role (plugins/filter/restore_report.py): call records, summary,
summary table and CSV report, on module results shaped like webex_recording_restore's."""

import csv
import io
import json

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.webexops.recordings.plugins.filter import restore_report as rr
from ansible_collections.webexops.recordings.plugins.filter import restore_runs as runs
from ansible_collections.webexops.recordings.plugins.filter import restore_stats as stats_filter
from ansible_collections.webexops.recordings.plugins.plugin_utils import _filter_input as filter_input
from ansible_collections.webexops.recordings.plugins.module_utils import _selection

STARTED = '2026-11-29T10:00:00Z'
FINISHED = '2026-11-29T10:00:07Z'
CSV_COLUMNS = ('row_type', 'whose', 'api', 'owner', 'owner_type', 'owner_name', 'outcome', 'restored', 'already_available',
               'missing', 'failed', 'unknown', 'tracking_id', 'error', 'restored_ids', 'failed_ids', 'missing_ids', 'unknown_ids',
               'run_started', 'check_mode')
CSV_HEADER = ','.join('"%s"' % name for name in CSV_COLUMNS) + '\n'


def csv_line(check_mode='false', **columns):
    """One line of the CSV report as it must be written: the named columns, every other one empty."""
    columns.update(run_started=STARTED, check_mode=check_mode)
    return ','.join('"%s"' % columns.get(name, '') for name in CSV_COLUMNS) + '\n'


def run_line(check_mode='false', words=''):
    """The CSV line with row_type run: what the report records of the run, in words in the owner column."""
    return csv_line(check_mode, row_type='run', owner=words)


def owners_call(index, emails):
    label = '%d owner(s): %s' % (len(emails), emails[0]) + (' .. %s' % emails[-1] if len(emails) > 1 else '')
    return {'index': index, 'whose': 'owners', 'owner_emails': list(emails), 'recording_ids': [], 'label': label}


def ids_call(index, ids):
    return {'index': index, 'whose': 'recording_ids', 'owner_emails': [], 'recording_ids': list(ids),
            'label': '%d recording id(s)' % len(ids)}


def all_owners_call(index):
    return {'index': index, 'whose': 'all_owners', 'owner_emails': [], 'recording_ids': [], 'label': 'all owners'}


SELECTION = {'all_owners': True, 'location_id': 'loc-1', 'owner_type': None, 'service_type': 'calling', 'topic': '',
             'created_after': '2026-11-01', 'created_before': None, 'lookback_days': None, 'max_restores': '250'}
PLACE_ID = 'Y2lzY29zcGFyazovL3VzL1BMQUNFLzE'
LINE_ID = 'Y2lzY29zcGFyazovL3VzL1ZJUlRVQUxfTElORS8y'


def owner_entry(restored=(), failed=(), tracking_id=None):
    return {'restored': list(restored), 'already_available': [], 'missing': [], 'failed': list(failed),
            'tracking_id': tracking_id}


def module_result(owners=None, restored=(), already_available=(), missing=(), failed_ids=(), tracking_ids=(),
                  changed=None, reads=3, writes=1, retries=0, **extra):
    result = {
        'changed': bool(restored) if changed is None else changed,
        'restored': list(restored), 'already_available': list(already_available), 'missing': list(missing),
        'failed_ids': list(failed_ids), 'tracking_ids': list(tracking_ids), 'recordings': [],
        'requests': {'reads': reads, 'writes': writes, 'retries': retries}, 'strategy': 'org_sweep',
        'invocation': {'module_args': {'access_token': 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER', 'api_url': 'https://x'}},
    }
    if owners is not None:
        result['owners'] = owners
    result.update(extra)
    return result


def summarize(pairs, calls=None, check_mode=False, continue_on_failure=False, selection=None):
    """pairs: [(call, result, failed)], result None = not attempted (no record)."""
    records = [runs.restore_call_record(result, call, failed=failed) for call, result, failed in pairs if result is not None]
    calls = calls if calls is not None else [call for call, _result, _failed in pairs]
    return rr.restore_summary(records, calls, started=STARTED, finished=FINISHED, check_mode=check_mode,
                              continue_on_failure=continue_on_failure, selection=selection)


def rows_by_owner(summary):
    return {row['owner']: row for row in summary['rows']}


def parse_csv(text):
    return list(csv.DictReader(io.StringIO(text, newline='')))


def test_filters_are_registered():
    assert sorted(rr.FilterModule().filters()) == ['restore_report_csv', 'restore_report_texts', 'restore_summary',
                                                   'restore_summary_lines']
    assert sorted(runs.FilterModule().filters()) == ['restore_call_record', 'restore_run_plan']


def test_whose_and_filter_names_are_the_selection_vocabulary():
    """The runs, rows and selection say whose recordings with the modules' values; the filters are the modules' own."""
    assert filter_input.RUN_WHOSE == (_selection.WHOSE_OWNERS, _selection.WHOSE_ALL_OWNERS, _selection.WHOSE_RECORDING_IDS)
    assert set(filter_input.RUN_WHOSE) < set(_selection.WHOSE)
    selection = {'location_id': 'L', 'owner_type': 'place', 'service_type': 'calling', 'topic': 'T', 'meeting_id': 'M', 'max_restores': 1}
    summary = summarize([(owners_call(0, ['a@x']), module_result(owners={}), False)], selection=selection)
    assert list(summary['selection']['filters']) == list(_selection.FILTER_OPTIONS)
    assert summary['selection']['whose'] == _selection.WHOSE_OWNERS
    assert 'location_id=L; owner_type=place; service_type=calling; topic=T' in rr.restore_summary_lines(summary)[1]


# restore_call_record


def test_call_record_keeps_results_and_no_arguments():
    call = owners_call(0, ['a@x.example.com'])
    result = module_result(owners={'a@x.example.com': owner_entry(['r1', 'r2'])}, restored=['r1', 'r2'])
    record = runs.restore_call_record(result, call)

    assert record == {
        'index': 0, 'whose': 'owners', 'label': '1 owner(s): a@x.example.com', 'owner_emails': ['a@x.example.com'],
        'recording_ids': [], 'ran': True, 'failed': False, 'changed': True, 'msg': '',
        # An owners run keeps its ids once, per owner.
        'owners': {'a@x.example.com': owner_entry(['r1', 'r2'])}, 'restored': [], 'already_available': [],
        'missing': [], 'failed_ids': [], 'unknown': [], 'nothing_found': [], 'tracking_ids': [], 'requests': {'reads': 3, 'writes': 1, 'retries': 0},
        'selection': {}, 'selected': None, 'org_id': None,
    }
    assert 'invocation' not in record and 'VALUE_SPECIFIED' not in json.dumps(record) and 'api_url' not in json.dumps(record)
    summary = rr.restore_summary([record], [call], started='s', finished='f')
    assert summary['rows'][0]['restored'] == ['r1', 'r2'] and summary['totals']['restored'] == 2
    # The other runs keep their id lists: the ids no owner accounts for are reported from them.
    assert runs.restore_call_record(dict(result, owners={}), all_owners_call(0))['restored'] == ['r1', 'r2']


def test_call_record_of_a_failed_run_keeps_its_message_and_reads_failed_ids_from_recordings():
    call = ids_call(1, ['r1', 'r2'])
    result = module_result(restored=['r1'], tracking_ids=['T-1'], failed=True, msg='HTTP 500',
                           recordings=[{'id': 'r1', 'action': 'restore'}, {'id': 'r2', 'action': 'failed'}])
    del result['failed_ids']  # 'failed' of a result is Ansible's flag: without failed_ids, read them from recordings

    failed = runs.restore_call_record(result, call, failed=True)
    assert failed['failed'] is True and failed['msg'] == 'HTTP 500'
    assert failed['failed_ids'] == ['r2'] and failed['tracking_ids'] == ['T-1']
    assert runs.restore_call_record(dict(result, failed_ids=['r2']), call, failed=True)['failed_ids'] == ['r2']
    # The message is only kept for a failed run (a warning run has none that matters).
    assert runs.restore_call_record(result, call, failed=False)['msg'] == ''
    assert runs.restore_call_record(result, call, failed='yes')['failed'] is True


def test_call_record_of_a_missing_result_is_empty():
    record = runs.restore_call_record({}, owners_call(0, ['a@x.example.com']), failed=True)
    assert record['failed'] is True and record['changed'] is False and record['msg'] == ''
    assert record['owners'] == {} and record['requests'] == {}
    assert record['restored'] == record['failed_ids'] == record['tracking_ids'] == []
    assert runs.restore_call_record(None, ids_call(0, ['r1']))['owners'] == {}


def test_call_record_refuses_what_is_not_a_result():
    with pytest.raises(AnsibleFilterError, match='must be a dict'):
        runs.restore_call_record(['not', 'a', 'result'], owners_call(0, ['a@x']))
    with pytest.raises(AnsibleFilterError, match='call must be a dict'):
        runs.restore_call_record({}, 'owners')


@pytest.mark.parametrize('whose', [None, 'ids', 'owner_bin', 'caller', 'Owners'])
def test_a_call_that_is_not_a_run_of_the_role_is_refused(whose):
    call = dict(owners_call(0, ['a@x']), whose=whose)
    message = "call must have whose set to owners, all_owners, recording_ids, got %r" % (whose,)
    with pytest.raises(AnsibleFilterError) as raised:
        runs.restore_call_record({}, call)
    assert str(raised.value) == message
    with pytest.raises(AnsibleFilterError, match='a call must have whose set to owners, all_owners, recording_ids'):
        rr.restore_summary([], [call])
    # The vocabulary of 0.1.0 (kind, ids) is not read.
    legacy = {'index': 0, 'kind': 'ids', 'owner_emails': [], 'recording_ids': ['r1'], 'label': '1 recording id(s)'}
    with pytest.raises(AnsibleFilterError, match='got None'):
        runs.restore_call_record({}, legacy)


def test_call_record_as_json_text_is_the_record():
    call = owners_call(0, ['a@x.example.com'])
    result = module_result(owners={'a@x.example.com': owner_entry(['r1'])}, restored=['r1'])
    text = runs.restore_call_record(result, call, as_json=True)
    assert isinstance(text, str) and json.loads(text) == runs.restore_call_record(result, call)
    assert text == json.dumps(json.loads(text), sort_keys=True)
    assert 'VALUE_SPECIFIED' not in text and 'api_url' not in text
    assert rr.restore_summary([text], [call], started=STARTED, finished=FINISHED)['rows'][0]['restored'] == ['r1']


# restore_summary: owners


def test_owner_rows_in_plan_order_sorted_without_case_and_totals():
    emails = ['b@x.example.com', 'Zed@x.example.com', 'alice@x.example.com', 'ghost@x.example.com']
    call = owners_call(0, emails)
    owners = {
        'b@x.example.com': owner_entry(['b1']),
        'Zed@x.example.com': owner_entry(['z1', 'z2']),
        'alice@x.example.com': owner_entry(['a1', 'a2', 'a3']),
        'ghost@x.example.com': owner_entry(),
    }
    summary = summarize([(call, module_result(owners=owners, restored=['b1', 'z1', 'z2', 'a1', 'a2', 'a3'], reads=14), False)])

    assert [row['owner'] for row in summary['rows']] == ['alice@x.example.com', 'b@x.example.com',
                                                         'ghost@x.example.com', 'Zed@x.example.com']
    by_owner = rows_by_owner(summary)
    assert by_owner['alice@x.example.com'] == {
        'whose': 'owners', 'owner': 'alice@x.example.com', 'owner_type': '', 'owner_name': '', 'restored': ['a1', 'a2', 'a3'],
        'already_available': [], 'missing': [], 'failed': [], 'unknown': [], 'tracking_id': '', 'error': '', 'ran': True,
        'outcome': 'restored'}
    assert by_owner['ghost@x.example.com']['outcome'] == 'unchanged'
    assert summary['run'] == {'started': STARTED, 'finished': FINISHED, 'check_mode': False, 'continue_on_failure': False,
                              'owners_requested': 4, 'ids_requested': 0, 'id': None, 'api_url': None, 'org_id': None,
                              'collection_version': None, 'awx_job_id': None, 'awx_job_template_name': None,
                              'report_json': None, 'report_csv': None}
    assert summary['totals'] == {
        'owners': 4, 'restored': 6, 'already_available': 0, 'missing': 0, 'failed': 0, 'unknown': 0, 'failed_rows': 0,
        'unknown_rows': 0, 'nothing_found_rows': 0,
        'skipped_rows': 0, 'calls': 1, 'failed_calls': 0, 'changed': True,
        'requests': {'reads': 14, 'writes': 1, 'retries': 0}}
    assert summary['failed_owners'] == [] and summary['errors'] == []
    assert summary['calls'] == [{'index': 0, 'whose': 'owners', 'label': call['label'], 'ran': True, 'failed': False,
                                 'changed': True, 'msg': '', 'tracking_ids': [], 'requests': {'reads': 14, 'writes': 1, 'retries': 0},
                                 'selected': None}]
    assert summary['selection'] == {'whose': 'owners', 'filters': {}, 'created_after': None, 'created_before': None,
                                    'lookback_days': None, 'max_restores': None}


def test_owner_absent_from_the_module_result_is_unchanged():
    call = owners_call(0, ['a@x.example.com', 'b@x.example.com'])
    summary = summarize([(call, module_result(owners={'a@x.example.com': owner_entry(['a1'])}, restored=['a1']), False)])
    assert rows_by_owner(summary)['b@x.example.com']['outcome'] == 'unchanged'
    assert rows_by_owner(summary)['b@x.example.com']['restored'] == []


def test_second_run_changes_nothing():
    call = owners_call(0, ['a@x.example.com'])
    summary = summarize([(call, module_result(owners={'a@x.example.com': owner_entry()}, writes=0), False)])
    assert summary['totals']['changed'] is False and summary['totals']['restored'] == 0
    assert summary['rows'][0]['outcome'] == 'unchanged'


def test_check_mode_is_recorded():
    call = owners_call(0, ['a@x.example.com'])
    summary = summarize([(call, module_result(owners={'a@x.example.com': owner_entry(['a1'])}, restored=['a1'], writes=0), False)],
                        check_mode=True)
    assert summary['run']['check_mode'] is True
    assert summary['rows'][0]['outcome'] == 'restored'  # would restore
    first_line = 'check mode (nothing written, restored = would restore): started %s, finished %s' % (STARTED, FINISHED)
    assert rr.restore_summary_lines(summary)[0] == first_line
    rows = parse_csv(rr.restore_report_csv(summary))
    assert {row['check_mode'] for row in rows} == {'true'}
    assert {row['check_mode'] for row in parse_csv(rr.restore_report_csv(summarize(
        [(call, module_result(owners={}), False)])))} == {'false'}


def test_report_texts_are_the_table_and_both_reports_of_one_summary():
    from ansible.plugins.filter.core import to_nice_json
    calls = [owners_call(0, ['a@x.example.com', 'b@x.example.com']), ids_call(1, ['r9', 'x1'])]
    summary = summarize([
        (calls[0], module_result(owners={'a@x.example.com': owner_entry(['a1', 'a2']), 'b@x.example.com': owner_entry([], ['b1'], 'T-1')},
                                 tracking_ids=['T-1'], failed=True, msg='1 recording(s) are still in the recycle bin: b1 \u00e9'), True),
        (calls[1], module_result(restored=['r9'], missing=['x1']), False)], calls=calls)
    texts = rr.restore_report_texts(summary)
    assert sorted(texts) == ['csv', 'json', 'lines', 'stats']
    assert texts['lines'] == rr.restore_summary_lines(summary)
    assert json.loads(texts['stats']) == stats_filter.restore_report_stats(summary)
    assert texts['csv'] == rr.restore_report_csv(summary)
    assert texts['json'] == to_nice_json(summary, sort_keys=True) + '\n'
    assert json.loads(texts['json']) == summary and '\\u00e9' in texts['json']
    with pytest.raises(AnsibleFilterError, match='summary must be a dict'):
        rr.restore_report_texts(['not', 'a', 'summary'])
    # The role hands the summary on as JSON text.
    assert rr.restore_report_texts(json.dumps(summary)) == texts
    with pytest.raises(AnsibleFilterError, match='summary given as text must be JSON'):
        rr.restore_report_texts('{not json')


def test_summary_of_records_given_as_json_text_and_as_json_text():
    calls = [owners_call(0, ['a@x.example.com']), ids_call(1, ['r9'])]
    records = [runs.restore_call_record(module_result(owners={'a@x.example.com': owner_entry(['a1'])}), calls[0]),
               runs.restore_call_record(module_result(restored=['r9']), calls[1])]
    summary = rr.restore_summary(records, calls, started=STARTED, finished=FINISHED)
    as_text = [json.dumps(record) for record in records]
    assert rr.restore_summary(as_text, calls, started=STARTED, finished=FINISHED) == summary
    text = rr.restore_summary(as_text, calls, started=STARTED, finished=FINISHED, as_json=True)
    assert isinstance(text, str) and json.loads(text) == summary
    with pytest.raises(AnsibleFilterError, match='a record given as text must be JSON'):
        rr.restore_summary(['[1, 2'], calls)
    with pytest.raises(AnsibleFilterError, match='a record must be a dict'):
        rr.restore_summary(['[1, 2]'], calls)


# restore_summary: ids


def test_ids_without_owners_make_one_row_sorted_without_case():
    call = ids_call(0, ['b2', 'A1', 'c3', 'unknown-9', 'Unknown-1'])
    result = module_result(restored=['c3', 'b2'], already_available=['A1'], missing=['unknown-9', 'Unknown-1'])
    summary = summarize([(call, result, False)])

    assert summary['rows'] == [{
        'whose': 'recording_ids', 'owner': '', 'owner_type': '', 'owner_name': '', 'restored': ['b2', 'c3'], 'already_available': ['A1'],
        'missing': ['Unknown-1', 'unknown-9'], 'failed': [], 'unknown': [], 'tracking_id': '', 'error': '', 'ran': True, 'outcome': 'missing'}]
    assert summary['run']['ids_requested'] == 5 and summary['run']['owners_requested'] == 0
    assert summary['totals']['owners'] == 0 and summary['totals']['missing'] == 2


def test_ids_with_owners_make_owner_rows_and_a_rest_row():
    call = ids_call(0, ['a1', 'b1', 'b2', 'gone'])
    owners = {'b@x.example.com': owner_entry(['b1', 'b2']), 'a@x.example.com': owner_entry(['a1'])}
    summary = summarize([(call, module_result(owners=owners, restored=['a1', 'b1', 'b2'], missing=['gone']), False)])
    assert [(row['owner'], row['restored'], row['missing']) for row in summary['rows']] == [
        ('', [], ['gone']), ('a@x.example.com', ['a1'], []), ('b@x.example.com', ['b1', 'b2'], [])]
    assert [row['whose'] for row in summary['rows']] == ['recording_ids'] * 3


def test_ids_all_accounted_for_by_owners_make_no_rest_row():
    call = ids_call(0, ['a1'])
    summary = summarize([(call, module_result(owners={'a@x.example.com': owner_entry(['a1'])}, restored=['a1']), False)])
    assert [row['owner'] for row in summary['rows']] == ['a@x.example.com']


def test_ids_with_nothing_to_report_still_make_a_row():
    summary = summarize([(ids_call(0, []), module_result(), False)])
    assert len(summary['rows']) == 1 and summary['rows'][0]['outcome'] == 'unchanged'


def test_missing_ids_of_a_failed_run_fail_and_with_warn_are_missing():
    call = ids_call(0, ['r1', 'nope'])
    failed = summarize([(call, module_result(restored=['r1'], missing=['nope'], msg='1 missing'), True)])
    assert failed['rows'][0]['outcome'] == 'failed' and failed['rows'][0]['error'] == ''
    assert failed['failed_owners'] == ['(recording ids)']
    assert failed['errors'] == ['2 recording id(s): 1 missing']
    warned = summarize([(call, module_result(restored=['r1'], missing=['nope'], msg='warned'), False)])
    assert warned['rows'][0]['outcome'] == 'missing' and warned['totals']['failed_rows'] == 0 and warned['errors'] == []


def test_failed_ids_of_an_id_run_carry_the_first_tracking_id():
    call = ids_call(0, ['r1', 'r2', 'r3'])
    result = module_result(restored=['r1'], failed_ids=['r3', 'r2'], tracking_ids=['T-1', 'T-2'], msg='HTTP 500')
    row = summarize([(call, result, True)])['rows'][0]
    assert row['failed'] == ['r2', 'r3'] and row['tracking_id'] == 'T-1' and row['outcome'] == 'failed'
    assert row['error'] == ''  # the failed ids explain the failure
    assert summarize([(call, module_result(restored=['r1']), False)])['rows'][0]['tracking_id'] == ''


# restore_summary: failures, skipped chunks


def test_failed_owner_ids_carry_their_tracking_id_and_other_owners_are_not_blamed():
    call = owners_call(0, ['a@x.example.com', 'b@x.example.com'])
    owners = {'a@x.example.com': owner_entry(failed=['a1', 'a2'], tracking_id='T-A'), 'b@x.example.com': owner_entry(['b1'])}
    summary = summarize([(call, module_result(owners=owners, restored=['b1'], failed_ids=['a1', 'a2'], tracking_ids=['T-A'],
                                              msg='2 recording(s) are still in the recycle bin'), True)])
    by_owner = rows_by_owner(summary)
    assert by_owner['a@x.example.com']['outcome'] == 'failed' and by_owner['a@x.example.com']['tracking_id'] == 'T-A'
    assert by_owner['a@x.example.com']['error'] == ''
    assert by_owner['b@x.example.com']['outcome'] == 'restored' and by_owner['b@x.example.com']['error'] == ''
    assert summary['failed_owners'] == ['a@x.example.com']
    assert summary['errors'] == ['2 owner(s): a@x.example.com .. b@x.example.com: 2 recording(s) are still in the recycle bin']
    assert summary['totals']['failed'] == 2 and summary['totals']['failed_calls'] == 1
    assert summary['calls'][0]['tracking_ids'] == ['T-A']


def test_run_failed_as_a_whole_fails_every_row_with_its_message_and_tracking_id():
    calls = [owners_call(0, ['a@x.example.com', 'b@x.example.com']), ids_call(1, ['r1'])]
    msg = 'owner_emails: the listing failed: HTTP 401 (trackingId: T-401)'
    summary = summarize([(calls[0], module_result(owners={}, tracking_ids=['T-401'], changed=False, reads=1, writes=0, msg=msg), True),
                         (calls[1], module_result(tracking_ids=[], changed=False, reads=1, writes=0, msg='HTTP 401'), True)],
                        continue_on_failure=True)
    assert [(row['owner'], row['outcome'], row['tracking_id'], row['error']) for row in summary['rows']] == [
        ('a@x.example.com', 'failed', 'T-401', msg), ('b@x.example.com', 'failed', 'T-401', msg),
        ('', 'failed', '', 'HTTP 401')]
    assert summary['failed_owners'] == ['a@x.example.com', 'b@x.example.com', '(recording ids)']
    assert summary['errors'] == ['2 owner(s): a@x.example.com .. b@x.example.com: ' + msg, '1 recording id(s): HTTP 401']
    assert summary['run']['continue_on_failure'] is True
    assert summary['totals']['failed_calls'] == 2 and summary['totals']['changed'] is False


def test_chunks_after_a_failure_are_skipped():
    calls = [owners_call(0, ['a@x.example.com', 'b@x.example.com']), owners_call(1, ['c@x.example.com', 'D@x.example.com']),
             ids_call(2, ['r1'])]
    owners = {'a@x.example.com': owner_entry(failed=['a1'], tracking_id='T-1'), 'b@x.example.com': owner_entry(failed=['b1'], tracking_id='T-1')}
    first = module_result(owners=owners, failed_ids=['a1', 'b1'], tracking_ids=['T-1'], changed=False, msg='HTTP 500', reads=5)
    summary = summarize([(calls[0], first, True), (calls[1], None, False), (calls[2], None, False)])

    assert [(row['owner'], row['outcome'], row['error']) for row in summary['rows']] == [
        ('a@x.example.com', 'failed', ''), ('b@x.example.com', 'failed', ''), ('c@x.example.com', 'skipped', 'not attempted'),
        ('D@x.example.com', 'skipped', 'not attempted'), ('', 'skipped', 'not attempted')]
    skipped = rows_by_owner(summary)['c@x.example.com']
    assert skipped == {'whose': 'owners', 'owner': 'c@x.example.com', 'owner_type': '', 'owner_name': '', 'restored': [], 'already_available': [],
                       'missing': [], 'failed': [], 'unknown': [], 'tracking_id': '', 'error': 'not attempted', 'ran': False, 'outcome': 'skipped'}
    assert summary['totals']['skipped_rows'] == 3 and summary['totals']['failed_rows'] == 2
    assert summary['totals']['calls'] == 3 and summary['totals']['failed_calls'] == 1
    assert summary['totals']['requests'] == {'reads': 5, 'writes': 1, 'retries': 0}  # only the runs that ran
    assert summary['run']['owners_requested'] == 4 and summary['run']['ids_requested'] == 1
    assert summary['calls'][1] == {'index': 1, 'whose': 'owners', 'label': calls[1]['label'], 'ran': False, 'failed': False,
                                   'changed': False, 'msg': 'not attempted', 'tracking_ids': [], 'requests': {}, 'selected': None}
    assert summary['failed_owners'] == ['a@x.example.com', 'b@x.example.com']  # skipped rows are not failed


def test_records_are_matched_by_index_not_position():
    calls = [owners_call(0, ['a@x.example.com']), owners_call(1, ['b@x.example.com'])]
    records = [runs.restore_call_record(module_result(owners={'b@x.example.com': owner_entry(['b1'])}, restored=['b1']), calls[1])]
    summary = rr.restore_summary(records, calls, started=STARTED, finished=FINISHED)
    assert rows_by_owner(summary)['a@x.example.com']['outcome'] == 'skipped'
    assert rows_by_owner(summary)['b@x.example.com']['outcome'] == 'restored'


def test_summary_defaults_finished_to_now_and_is_json():
    summary = rr.restore_summary([], [owners_call(0, ['a@x.example.com'])])
    assert len(summary['run']['finished']) == len('2026-11-29T10:00:00Z') and summary['run']['finished'].endswith('Z')
    assert json.loads(json.dumps(summary)) == summary


def test_summary_refuses_what_is_not_a_list():
    with pytest.raises(AnsibleFilterError, match='must be a list'):
        rr.restore_summary({'index': 0}, [])
    with pytest.raises(AnsibleFilterError, match='must be a dict'):
        rr.restore_summary([], ['not a call'])


# restore_summary: all owners (the organization's bin) and the selection


def test_all_owners_rows_come_from_the_module_result_keyed_by_email_or_owner_id():
    call = all_owners_call(0)
    owners = {'bob@x.example.com': owner_entry(['b1']), PLACE_ID: owner_entry(['p1', 'p2']), 'Alice@x.example.com': owner_entry(['a1']),
              LINE_ID: owner_entry(['v1'])}
    result = module_result(owners=owners, restored=['b1', 'p1', 'p2', 'a1', 'v1'], reads=2, writes=1,
                           selection={'whose': 'all_owners', 'filters': {'location_id': 'loc-1'}, 'lookback_days': 365})
    summary = summarize([(call, result, False)], selection=dict(SELECTION, created_after=None))

    assert [(row['whose'], row['owner'], row['outcome'], len(row['restored'])) for row in summary['rows']] == [
        ('all_owners', 'Alice@x.example.com', 'restored', 1), ('all_owners', 'bob@x.example.com', 'restored', 1),
        ('all_owners', PLACE_ID, 'restored', 2), ('all_owners', LINE_ID, 'restored', 1)]  # sorted without case
    assert summary['totals']['owners'] == 4 and summary['totals']['restored'] == 5
    assert summary['run']['owners_requested'] == 0 and summary['run']['ids_requested'] == 0
    assert summary['calls'][0]['whose'] == 'all_owners' and summary['calls'][0]['selected'] is None
    # lookback_days unset in the role: the module's default, as it reported it
    assert summary['selection'] == {'whose': 'all_owners', 'filters': {'location_id': 'loc-1', 'service_type': 'calling'},
                                    'created_after': None, 'created_before': None, 'lookback_days': 365, 'max_restores': 250}
    lines = rr.restore_summary_lines(summary)
    assert lines[1] == ('selection: bins of every owner of the organization; location_id=loc-1; service_type=calling; '
                        'created in the last 365 days; max_restores=250')
    width = len(LINE_ID)  # the column is as wide as the longest owner key
    assert lines[3].startswith('Alice@x.example.com'.ljust(width) + '  restored')
    assert lines[5].startswith('%s  restored         2' % PLACE_ID.ljust(width))


def test_all_owners_with_nothing_selected_makes_one_row_for_the_organization():
    summary = summarize([(all_owners_call(0), module_result(owners={}, changed=False, reads=1, writes=0), False)], selection=SELECTION)
    assert [(row['whose'], row['owner'], row['outcome']) for row in summary['rows']] == [('all_owners', '', 'unchanged')]
    assert summary['totals']['owners'] == 0 and summary['totals']['changed'] is False
    assert rr.restore_summary_lines(summary)[3].startswith('(all owners)      unchanged')


def test_all_owners_over_the_cap_fails_as_one_row_naming_count_and_cap():
    msg = ('max_restores: the selection holds 7 recording(s) in the recycle bin, more than max_restores=5; nothing was '
           'restored. Narrow the selection or raise max_restores.')
    owners = dict((key, owner_entry()) for key in ('a@x.example.com', 'b@x.example.com', PLACE_ID))
    result = module_result(owners=owners, changed=False, reads=2, writes=0, selected=7, msg=msg)
    del result['changed']  # the module leaves changed out of a refused run
    summary = summarize([(all_owners_call(0), result, True)], check_mode=True, selection=dict(SELECTION, max_restores=5))

    assert summary['rows'] == [{'whose': 'all_owners', 'owner': '', 'owner_type': '', 'owner_name': '', 'restored': [], 'already_available': [], 'missing': [],
                                'failed': [], 'unknown': [], 'tracking_id': '', 'error': msg, 'ran': True, 'outcome': 'failed'}]
    assert summary['failed_owners'] == ['(all owners)']
    assert summary['errors'] == ['all owners: ' + msg]
    assert summary['calls'][0]['selected'] == 7 and summary['calls'][0]['failed'] is True
    assert summary['totals']['requests']['writes'] == 0 and summary['totals']['changed'] is False
    assert summary['selection']['max_restores'] == 5
    rows = parse_csv(rr.restore_report_csv(summary))
    assert [row['row_type'] for row in rows] == ['run', 'selection', 'row', 'total']
    assert rows[2]['owner'] == '' and rows[2]['error'] == msg and rows[-1]['outcome'] == 'failed'
    assert 'more than max_restores=5' in rows[-1]['error']


def test_all_owners_with_failed_ids_keeps_the_owner_rows():
    owners = {'a@x.example.com': owner_entry(['a1']), PLACE_ID: owner_entry(failed=['p1'], tracking_id='T-P')}
    result = module_result(owners=owners, restored=['a1'], failed_ids=['p1'], tracking_ids=['T-P'], msg='1 still in the bin')
    summary = summarize([(all_owners_call(0), result, True)], selection=SELECTION)
    assert [(row['owner'], row['outcome'], row['tracking_id'], row['error']) for row in summary['rows']] == [
        ('a@x.example.com', 'restored', '', ''), (PLACE_ID, 'failed', 'T-P', '')]
    assert summary['failed_owners'] == [PLACE_ID]


def test_all_owners_listing_refused_fails_with_its_tracking_id():
    result = module_result(owners={}, tracking_ids=['T-403'], changed=False, reads=1, writes=0, msg='all_owners: HTTP 403')
    summary = summarize([(all_owners_call(0), result, True)], selection=SELECTION)
    assert [(row['owner'], row['outcome'], row['tracking_id'], row['error']) for row in summary['rows']] == [
        ('', 'failed', 'T-403', 'all_owners: HTTP 403')]


def test_all_owners_not_attempted_is_one_skipped_row_and_ids_still_run():
    calls = [ids_call(0, ['r1']), all_owners_call(1)]
    summary = summarize([(calls[0], module_result(restored=[], missing=['r1'], msg='1 missing'), True), (calls[1], None, False)],
                        selection=SELECTION)
    assert [(row['whose'], row['owner'], row['outcome']) for row in summary['rows']] == [
        ('all_owners', '', 'skipped'), ('recording_ids', '', 'failed')]
    assert summary['failed_owners'] == ['(recording ids)']
    assert summary['run']['ids_requested'] == 1
    assert summary['selection']['whose'] == 'all_owners'


def test_owner_chunk_over_the_cap_fails_every_listed_owner_and_keeps_the_count():
    call = owners_call(0, ['a@x.example.com', 'b@x.example.com'])
    msg = 'max_restores: the selection holds 3 recording(s) in the recycle bin, more than max_restores=2; nothing was restored.'
    result = module_result(owners={'a@x.example.com': owner_entry(), 'b@x.example.com': owner_entry()}, changed=False, writes=0,
                           selected=3, msg=msg)
    summary = summarize([(call, result, True)], selection={'max_restores': 2, 'service_type': 'customerAssist'})
    assert [(row['owner'], row['outcome'], row['error']) for row in summary['rows']] == [
        ('a@x.example.com', 'failed', msg), ('b@x.example.com', 'failed', msg)]
    assert summary['calls'][0]['selected'] == 3
    assert summary['selection'] == {'whose': 'owners', 'filters': {'service_type': 'customerAssist'}, 'created_after': None,
                                    'created_before': None, 'lookback_days': None, 'max_restores': 2}
    assert rr.restore_summary_lines(summary)[1] == ('selection: bins of the listed owners; service_type=customerAssist; '
                                                    'created within the lookback horizon; max_restores=2')


def test_selection_window_and_blank_values():
    call = owners_call(0, ['a@x.example.com'])
    result = module_result(owners={'a@x.example.com': owner_entry(['a1'])}, restored=['a1'],
                           selection={'whose': 'owners', 'filters': {}, 'created_after': '2026-11-01'})
    summary = summarize([(call, result, False)], selection={
        'all_owners': False, 'location_id': ' ', 'topic': ' Weekly ', 'owner_type': 'place', 'created_after': '2026-11-01',
        'created_before': '2026-11-20T08:00:00Z', 'lookback_days': 90, 'max_restores': None})
    # created_after replaces lookback_days; blanks are unset; values are trimmed
    assert summary['selection'] == {'whose': 'owners', 'filters': {'owner_type': 'place', 'topic': 'Weekly'},
                                    'created_after': '2026-11-01', 'created_before': '2026-11-20T08:00:00Z', 'lookback_days': None,
                                    'max_restores': None}
    assert rr.restore_summary_lines(summary)[1] == ('selection: bins of the listed owners; owner_type=place; topic=Weekly; '
                                                    'created from 2026-11-01 to 2026-11-20T08:00:00Z; no max_restores')
    only_before = summarize([(call, result, False)], selection={'created_before': '2026-11-20', 'lookback_days': '30'})
    assert only_before['selection']['lookback_days'] == 30
    assert 'created from 30 days ago to 2026-11-20' in rr.restore_summary_lines(only_before)[1]


def test_selection_of_whole_bins_or_ids_adds_no_line():
    call = owners_call(0, ['a@x.example.com'])
    summary = summarize([(call, module_result(owners={}), False)], selection={'lookback_days': 30, 'location_id': ''})
    assert summary['selection']['filters'] == {} and summary['selection']['lookback_days'] == 30
    assert not [line for line in rr.restore_summary_lines(summary) if line.startswith('selection')]
    assert 'selection' not in rr.restore_report_csv(summary)
    ids_only = summarize([(ids_call(0, ['r1']), module_result(restored=['r1']), False)])
    assert ids_only['selection']['whose'] is None
    # A summary made before the selection existed is still shown and written.
    del summary['selection']
    assert rr.restore_summary_lines(summary)[1].startswith('owner')
    assert rr.restore_report_csv(summary).startswith(CSV_HEADER + run_line() + '"row"')


def test_selection_refuses_what_is_not_a_number_or_a_dict():
    call = all_owners_call(0)
    with pytest.raises(AnsibleFilterError, match='max_restores must be a whole number'):
        summarize([(call, module_result(owners={}), False)], selection={'max_restores': 'many'})
    with pytest.raises(AnsibleFilterError, match='max_restores must be a whole number'):
        summarize([(call, module_result(owners={}), False)], selection={'max_restores': True})
    with pytest.raises(AnsibleFilterError, match='selection must be a dict'):
        summarize([(call, module_result(owners={}), False)], selection=['all_owners'])
    with pytest.raises(AnsibleFilterError, match='selected must be a whole number'):
        runs.restore_call_record(module_result(selected='seven'), call, failed=True)


def test_call_record_keeps_the_selection_and_the_selected_count():
    selection = {'whose': 'all_owners', 'filters': {'service_type': 'calling'}, 'lookback_days': 365}
    record = runs.restore_call_record(module_result(owners={}, selection=selection, selected='12'), all_owners_call(0), failed=True)
    assert record['selection'] == selection and record['selected'] == 12
    assert record['whose'] == 'all_owners' and record['owner_emails'] == []


# restore_summary_lines


def test_summary_lines_table():
    calls = [owners_call(0, ['alice@x.example.com', 'b@x.example.com']), ids_call(1, ['r1', 'nope'])]
    owners = {'alice@x.example.com': owner_entry(['a1', 'a2']), 'b@x.example.com': owner_entry(failed=['b1'], tracking_id='T-B')}
    summary = summarize([(calls[0], module_result(owners=owners, restored=['a1', 'a2'], failed_ids=['b1'], msg='boom', retries=2), True),
                         (calls[1], module_result(already_available=['r1'], missing=['nope'], reads=2, writes=0), False)],
                        continue_on_failure=True)
    assert rr.restore_summary_lines(summary) == [
        'restore: started 2026-11-29T10:00:00Z, finished 2026-11-29T10:00:07Z',
        'owner                outcome   restored available missing failed unknown  trackingId / error',
        'alice@x.example.com  restored         2         0       0      0       0  ',
        'b@x.example.com      failed           0         0       0      1       0  T-B',
        '(recording ids)      missing          0         1       1      0       0  ',
        'TOTAL                FAILED           2         1       1      1       0',
        'requests: 5 reads, 1 writes, 2 retries in 2 module run(s)',
    ]


def test_summary_lines_minimum_width_and_errors():
    call = owners_call(0, ['a@x'])
    summary = summarize([(call, module_result(owners={}, tracking_ids=['T-1'], msg='HTTP 401'), True)])
    lines = rr.restore_summary_lines(summary)
    assert lines[1].startswith('owner             outcome')  # 16 columns at least
    assert lines[2] == 'a@x               failed           0         0       0      0       0  T-1 HTTP 401'
    assert lines[3] == 'TOTAL             FAILED           0         0       0      0       0'


# restore_report_csv


def test_csv_report_exact_text():
    calls = [owners_call(0, ['a@x.example.com', 'b@x.example.com'])]
    owners = {'a@x.example.com': owner_entry(['a1', 'a2']), 'b@x.example.com': owner_entry(failed=['b1', 'b2'], tracking_id='T-B')}
    summary = summarize([(calls[0], module_result(owners=owners, restored=['a1', 'a2'], failed_ids=['b1', 'b2'], msg='2 failed'), True)])

    def counts(restored=0, failed=0):
        return dict(restored=restored, already_available=0, missing=0, failed=failed, unknown=0)

    assert rr.restore_report_csv(summary) == CSV_HEADER + run_line() + (
        csv_line(row_type='row', whose='owners', owner='a@x.example.com', outcome='restored', restored_ids='a1 a2', **counts(2))
        + csv_line(row_type='row', whose='owners', owner='b@x.example.com', outcome='failed', tracking_id='T-B', failed_ids='b1 b2',
                   **counts(failed=2))
        + csv_line(row_type='total', outcome='failed', error='2 owner(s): a@x.example.com .. b@x.example.com: 2 failed',
                   **counts(2, 2)))


def test_csv_quotes_every_field_and_doubles_quotes():
    email = 'we"ird,name@x.example.com'
    call = owners_call(0, [email])
    msg = 'HTTP 500: "Something" went wrong,\nline two'
    summary = summarize([(call, module_result(owners={}, tracking_ids=['T-1'], msg=msg), True)])
    text = rr.restore_report_csv(summary)

    assert '"we""ird,name@x.example.com"' in text and '"""Something"""' not in text and '""Something""' in text
    rows = parse_csv(text)[1:]
    assert list(rows[0]) == list(rr.CSV_FIELDS)
    assert rows[0]['owner'] == email and rows[0]['error'] == msg and rows[0]['tracking_id'] == 'T-1'
    assert rows[-1]['row_type'] == 'total' and rows[-1]['outcome'] == 'failed'
    assert rows[-1]['error'] == '1 owner(s): %s: %s' % (email, msg)
    assert text.endswith('"false"\n') and '\r' not in text and rows[0]['unknown'] == '0' and rows[0]['api'] == ''


def test_csv_total_row_ok_and_errors_joined():
    calls = [ids_call(0, ['r1']), ids_call(1, ['r2'])]
    ok = summarize([(calls[0], module_result(restored=['r1']), False)], calls=calls[:1])
    rows = parse_csv(rr.restore_report_csv(ok))
    assert rows[-1]['outcome'] == 'ok' and rows[-1]['restored'] == '1' and rows[-1]['error'] == ''
    two = summarize([(calls[0], module_result(msg='one'), True), (calls[1], module_result(msg='two'), True)])
    assert parse_csv(rr.restore_report_csv(two))[-1]['error'] == '1 recording id(s): one | 1 recording id(s): two'


def test_csv_is_deterministic():
    calls = [owners_call(0, ['b@x', 'a@x']), owners_call(1, ['c@x'])]
    pairs = [(calls[0], module_result(owners={'a@x': owner_entry(['1']), 'b@x': owner_entry(['2'])}, restored=['1', '2']), False),
             (calls[1], None, False)]
    texts = {rr.restore_report_csv(summarize(pairs)) for _attempt in range(3)}
    assert len(texts) == 1
    assert [row['owner'] for row in parse_csv(texts.pop())] == ['', 'a@x', 'b@x', 'c@x', '']


def test_csv_selection_line_exact_text():
    call = all_owners_call(0)
    result = module_result(owners={PLACE_ID: owner_entry(['p1'])}, restored=['p1'])
    summary = summarize([(call, result, False)], check_mode=True, selection=dict(SELECTION, created_before='2026-11-20'))
    counts = dict(restored=1, already_available=0, missing=0, failed=0, unknown=0)
    assert rr.restore_report_csv(summary) == CSV_HEADER + run_line('true') + (
        csv_line('true', row_type='selection', whose='all_owners',
                 owner='bins of every owner of the organization; location_id=loc-1; service_type=calling; created from '
                       '2026-11-01 to 2026-11-20; max_restores=250')
        + csv_line('true', row_type='row', whose='all_owners', owner=PLACE_ID, outcome='restored', restored_ids='p1', **counts)
        + csv_line('true', row_type='total', outcome='ok', **counts))


def test_csv_of_an_empty_summary_has_the_header_and_the_total():
    summary = rr.restore_summary([], [], started=STARTED, finished=FINISHED)
    assert rr.restore_report_csv(summary) == CSV_HEADER + run_line() + csv_line(
        row_type='total', outcome='ok', restored=0, already_available=0, missing=0, failed=0, unknown=0)


# unknown outcomes and runs stopped halfway


def test_an_unverified_restore_is_its_own_outcome_neither_restored_nor_failed():
    call = owners_call(0, ['a@x.example.com', 'b@x.example.com'])
    owners = {'a@x.example.com': dict(owner_entry(['a1']), unknown=['a2', 'a3'], tracking_id='T-U'),
              'b@x.example.com': owner_entry(['b1'])}
    summary = summarize([(call, module_result(owners=owners, restored=['a1', 'b1'], unknown=['a2', 'a3'],
                                              msg='2 recording(s) may or may not have been restored'), True)])
    by_owner = rows_by_owner(summary)
    assert by_owner['a@x.example.com']['outcome'] == 'unknown' and by_owner['a@x.example.com']['unknown'] == ['a2', 'a3']
    assert by_owner['b@x.example.com']['outcome'] == 'restored'
    assert summary['totals']['unknown'] == 2 and summary['totals']['unknown_rows'] == 1
    assert summary['totals']['failed'] == 0 and summary['totals']['failed_rows'] == 0 and summary['totals']['restored'] == 2
    assert summary['unknown_owners'] == ['a@x.example.com'] and summary['failed_owners'] == []
    lines = rr.restore_summary_lines(summary)
    assert lines[-2].split()[:2] == ['TOTAL', 'UNKNOWN'] and lines[-2].split()[-1] == '2'
    rows = parse_csv(rr.restore_report_csv(summary))
    assert rows[0]['row_type'] == 'run'
    assert rows[1]['outcome'] == 'unknown' and rows[1]['unknown'] == '2' and rows[1]['unknown_ids'] == 'a2 a3'
    assert rows[-1]['outcome'] == 'unknown' and rows[-1]['unknown'] == '2'


def test_ids_of_a_recording_ids_run_that_are_unknown_get_the_row_without_owner():
    call = ids_call(0, ['r1', 'r2'])
    summary = summarize([(call, module_result(restored=['r1'], unknown=['r2'], msg='lost'), True)])
    assert [(row['owner'], row['outcome'], row['unknown']) for row in summary['rows']] == [('', 'unknown', ['r2'])]


JOURNAL = '\n'.join([
    '{"format": 1, "time": "2026-11-29T09:00:00Z", "api": "converged", "outcome": "restored", "owners": {"a@x": ["a1", "a2"]}}',
    '{"format": 1, "time": "2026-11-29T09:00:01Z", "api": "converged", "outcome": "unknown", "owners": {"b@x": ["b1"], "a@x": ["a3"]}}',
    '{"format": 1, "time": "2026-11-29T09:00:02Z", "api": "converged", "outcome": "restored", "owners": {"a@x": ["a3"]}}',
    '{"format": 1, "time": "2026-11-29T09:00:03Z", "outc',
])


def test_what_a_run_stopped_halfway_restored_is_in_the_next_report():
    call = owners_call(0, ['a@x', 'b@x'])
    records = [runs.restore_call_record(module_result(owners={'a@x': owner_entry(), 'b@x': owner_entry(['b2'])}, restored=['b2']), call)]
    summary = rr.restore_summary(records, [call], started=STARTED, finished=FINISHED, journal=JOURNAL)
    earlier = summary['earlier_runs']
    assert earlier['entries'] == 3 and earlier['started'] == '2026-11-29T09:00:00Z'
    assert earlier['restored'] == {'a@x': ['a1', 'a2', 'a3']} and earlier['unknown'] == {'b@x': ['b1']}
    assert earlier['restored_count'] == 3 and earlier['unknown_count'] == 1
    assert 'earlier run(s) stopped halfway, from the journal: 3 recording(s) restored (1 owner(s)), 1 unknown' in rr.restore_summary_lines(summary)
    rows = [row for row in parse_csv(rr.restore_report_csv(summary)) if row['row_type'] == 'earlier_run']
    assert [(row['owner'], row['outcome'], row['restored_ids'], row['unknown_ids']) for row in rows] == [
        ('a@x', 'restored', 'a1 a2 a3', ''), ('b@x', 'unknown', '', 'b1')]
    assert rr.restore_summary(records, [call], journal='')['earlier_runs']['entries'] == 0


def test_an_owner_of_whom_nothing_was_found_stands_out():
    call = owners_call(0, ['alice@x', 'Alicia@x', 'bob@x'])
    result = module_result(owners={'alice@x': owner_entry(['a1']), 'Alicia@x': owner_entry(), 'bob@x': owner_entry()},
                           restored=['a1'], nothing_found=['alicia@x'])
    summary = summarize([(call, result, False)])
    assert [(row['owner'], row['outcome']) for row in summary['rows']] == [
        ('alice@x', 'restored'), ('Alicia@x', 'nothing_found'), ('bob@x', 'unchanged')]
    assert summary['nothing_found_owners'] == ['Alicia@x'] and summary['totals']['nothing_found_rows'] == 1
    assert summary['totals']['failed_rows'] == 0
    lines = rr.restore_summary_lines(summary)
    assert lines[3].startswith('Alicia@x          nothing_found        0') and lines[1].startswith('owner             outcome       ')
    assert parse_csv(rr.restore_report_csv(summary))[2]['outcome'] == 'nothing_found'
