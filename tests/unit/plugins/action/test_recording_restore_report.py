# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The report step of the recording_restore role (plugins/action/recording_restore_report.py): its options refused
before anything is written, the destination prepared, the table, artifacts and files made from one summary, the
journal removed only once a real run's report holds it, and a failure to write that still returns the table."""

import json
import types

import pytest

from ansible.errors import AnsibleActionFail

from ansible_collections.webexops.recordings.plugins.action.recording_restore_report import ActionModule
from ansible_collections.webexops.recordings.plugins.filter import restore_report as rr
from ansible_collections.webexops.recordings.plugins.filter import restore_runs as runs
from ansible_collections.webexops.recordings.plugins.filter import restore_stats

CALL = {'index': 0, 'whose': 'owners', 'owner_emails': ['a@x.example.com', 'b@x.example.com'], 'recording_ids': [],
        'label': '2 owner(s)'}
RESULT = {'changed': True, 'restored': ['r1', 'r2'], 'already_available': [], 'missing': [], 'failed_ids': [],
          'tracking_ids': [], 'requests': {'reads': 2, 'writes': 1, 'retries': 0},
          'owners': {'a@x.example.com': {'restored': ['r1', 'r2'], 'failed': [], 'unknown': [], 'tracking_id': None},
                     'b@x.example.com': {'restored': [], 'failed': [], 'unknown': [], 'tracking_id': None}}}


@pytest.fixture
def summary_text():
    record = runs.restore_call_record(RESULT, CALL, as_json=True)
    return rr.restore_summary([record], [CALL], started='2026-12-06T01:30:00Z', finished='2026-12-06T01:30:09Z',
                              as_json=True)


def run_action(args, check_mode=False, transport='local'):
    task = types.SimpleNamespace(args=args, async_val=0, check_mode=check_mode, diff=False,
                                 action='webexops.recordings.recording_restore_report')
    connection = types.SimpleNamespace(transport=transport, _shell=types.SimpleNamespace(tmpdir=None))
    action = ActionModule(task, connection, play_context=None, loader=None, templar=None, shared_loader_obj=None)
    action._load_name = task.action  # as the plugin loader names each plugin it loads (messages use it)
    return action.run(task_vars={})


def test_ready_prepares_the_folder_and_names_the_files(tmp_path):
    base = str(tmp_path / 'new' / 'r-20261206T013000Z')

    result = run_action({'state': 'ready', 'path': base, 'latest_path': str(tmp_path / 'new' / 'r-latest'),
                         'dir_mode': '0700'})

    assert result['changed'] is False and result['folder_created'] is True
    assert result['files'] == {'json': base + '.json', 'csv': base + '.csv'}
    assert (tmp_path / 'new').is_dir() and list((tmp_path / 'new').iterdir()) == []


def test_ready_fails_naming_the_file_in_the_way(tmp_path):
    (tmp_path / 'r-1.json').write_text('{}')
    with pytest.raises(AnsibleActionFail, match=r'r-1\.json exists: a report is never overwritten'):
        run_action({'state': 'ready', 'path': str(tmp_path / 'r-1')})


def test_written_renders_writes_and_removes_the_journal(tmp_path, summary_text):
    journal = tmp_path / 'r.journal.jsonl'
    journal.write_text('{"restored": ["r0"]}\n')
    base, latest = str(tmp_path / 'r-1'), str(tmp_path / 'r-latest')

    result = run_action({'summary': summary_text, 'path': base, 'latest_path': latest, 'mode': '0600',
                         'journal': str(journal)})

    texts = rr.restore_report_texts(summary_text)
    assert result['changed'] is False and 'failed' not in result and result['error'] == ''
    assert result['lines'] == texts['lines']
    assert result['stats'] == restore_stats.restore_report_stats(summary_text)
    assert result['files'] == {'json': base + '.json', 'csv': base + '.csv', 'latest_json': latest + '.json',
                               'latest_csv': latest + '.csv'}
    for kind, path in result['files'].items():
        assert open(path, encoding='utf-8', newline='').read() == texts[kind.replace('latest_', '')]
    assert json.loads((tmp_path / 'r-1.json').read_text()) == json.loads(summary_text)
    assert result['journal_removed'] is True and not journal.exists()


def test_a_check_run_writes_its_report_and_keeps_the_journal(tmp_path, summary_text):
    journal = tmp_path / 'r.journal.jsonl'
    journal.write_text('{}\n')

    result = run_action({'summary': summary_text, 'path': str(tmp_path / 'r-1-check'), 'journal': str(journal)},
                        check_mode=True)

    assert result['journal_removed'] is False and journal.exists()
    assert sorted(result['files']) == ['csv', 'json'] and (tmp_path / 'r-1-check.json').exists()


def test_written_without_a_path_only_renders(tmp_path, summary_text):
    result = run_action({'summary': json.loads(summary_text)})

    assert result['files'] == {} and result['journal_removed'] is False
    assert result['lines'] == rr.restore_summary_lines(json.loads(summary_text))


def test_files_that_cannot_be_written_fail_but_return_the_table_and_keep_the_journal(tmp_path, summary_text):
    (tmp_path / 'r-1.csv').write_text('another run')
    journal = tmp_path / 'r.journal.jsonl'
    journal.write_text('{}\n')

    result = run_action({'summary': summary_text, 'path': str(tmp_path / 'r-1'), 'journal': str(journal)})

    assert result['failed'] is True and result['msg'] == result['error']
    assert result['error'] == '%s cannot be created: File exists' % (tmp_path / 'r-1.csv')
    assert result['lines'] == rr.restore_report_texts(summary_text)['lines'] and result['stats']['totals']
    assert result['journal_removed'] is False and journal.exists()


@pytest.mark.parametrize('args, message', [
    ({'state': 'ready'}, 'state is ready but all of the following are missing: path'),
    ({'path': '/tmp/r'}, 'state is written but all of the following are missing: summary'),
    ({'summary': '{}', 'path': 'reports/r'}, 'path must be an absolute path, got reports/r'),
    ({'summary': '{}', 'path': '/tmp/r', 'latest_path': 'r-latest'}, 'latest_path must be an absolute path'),
    ({'summary': '{}', 'journal': 'r.journal.jsonl'}, 'journal must be an absolute path'),
    ({'summary': '{}', 'latest_path': '/tmp/r-latest'}, 'latest_path needs path'),
    ({'state': 'ready', 'path': '/tmp/r', 'dir_mode': 'u=rwx'}, "dir_mode must be an octal mode such as 0640, got 'u=rwx'"),
    ({'summary': '{}', 'path': '/tmp/r', 'mode': '0999'}, "mode must be an octal mode such as 0640, got '0999'"),
    ({'state': 'gone', 'path': '/tmp/r'}, 'value of state must be one of: ready, written, got: gone'),
    ({'summary': '{}', 'paths': '/tmp/r'}, 'Unsupported parameters for (webexops.recordings.recording_restore_report) module: paths'),
])
def test_bad_options_are_refused_before_anything_is_written(tmp_path, args, message):
    with pytest.raises(AnsibleActionFail, match=message.replace('(', r'\(').replace(')', r'\)')):
        run_action(args)


def test_a_host_that_is_not_the_controller_is_refused(tmp_path, summary_text):
    with pytest.raises(AnsibleActionFail, match='writes on the controller.*run it on localhost, not over ssh'):
        run_action({'summary': summary_text, 'path': str(tmp_path / 'r-1')}, transport='ssh')
    assert list(tmp_path.iterdir()) == []
