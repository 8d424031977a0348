# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The audit report's files on disk (plugins/plugin_utils/_report_files.py): the destination prepared before the first
request, the run's files created and never overwritten, the latest copies replaced whole, the journal removed."""

import os
import stat

import pytest

from ansible_collections.webexops.recordings.plugins.plugin_utils import _report_files as files

TEXTS = {'json': '{"rows": []}\n', 'csv': 'row_type,owner\r\nrun,\u00e9\r\n'}


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def listing(folder):
    return sorted(os.listdir(folder))


@pytest.mark.parametrize('value, bits', [('0640', 0o640), ('640', 0o640), (' 0750 ', 0o750), (0o600, 0o600), ('0', 0)])
def test_modes_are_octal_texts_or_numbers(value, bits):
    assert files.mode_bits(value, 'mode') == bits


@pytest.mark.parametrize('value', ['rw-r-----', '0899', '', '77777', True, -1, None])
def test_a_mode_that_is_not_octal_is_refused_naming_the_option(value):
    with pytest.raises(files.ReportFileError, match=r"^dir_mode must be an octal mode such as 0640, got"):
        files.mode_bits(value, 'dir_mode')


def test_files_are_named_after_their_base():
    assert files.files_of('/r/a-1') == {'json': '/r/a-1.json', 'csv': '/r/a-1.csv'}


def test_prepare_creates_the_missing_folders_with_the_mode_and_leaves_nothing_behind(tmp_path):
    os.umask(0o077)
    run_base = str(tmp_path / 'reports' / 'incident' / 'r-20261206T013000Z')

    assert files.prepare(run_base, str(tmp_path / 'reports' / 'incident' / 'r-latest'), 0o750) is True

    for folder in (tmp_path / 'reports', tmp_path / 'reports' / 'incident'):
        assert folder.is_dir() and mode_of(folder) == 0o750
    assert listing(tmp_path / 'reports' / 'incident') == []  # the probe is removed
    # An existing folder is left as it is.
    os.chmod(tmp_path / 'reports' / 'incident', 0o700)
    assert files.prepare(run_base, None, 0o750) is False
    assert mode_of(tmp_path / 'reports' / 'incident') == 0o700


def test_prepare_refuses_a_file_where_the_folder_goes(tmp_path):
    (tmp_path / 'reports').write_text('not a folder')
    with pytest.raises(files.ReportFileError, match='%s exists and is not a folder' % (tmp_path / 'reports')):
        files.prepare(str(tmp_path / 'reports' / 'sub' / 'r-1'), None, 0o750)


@pytest.mark.parametrize('name', ['r-1.json', 'r-1.csv'])
def test_prepare_refuses_a_run_whose_files_exist(tmp_path, name):
    (tmp_path / name).write_text('an earlier run of the same second')
    with pytest.raises(files.ReportFileError, match=r'r-1\.(json|csv) exists: a report is never overwritten'):
        files.prepare(str(tmp_path / 'r-1'), str(tmp_path / 'r-latest'), 0o750)


def test_prepare_refuses_a_folder_in_place_of_a_latest_copy(tmp_path):
    (tmp_path / 'r-latest.csv').mkdir()
    with pytest.raises(files.ReportFileError, match=r'r-latest\.csv is a folder'):
        files.prepare(str(tmp_path / 'r-1'), str(tmp_path / 'r-latest'), 0o750)


def test_prepare_refuses_a_folder_that_cannot_be_written():
    # /proc takes no new file, not even from root (the tests may run as root, which a mode would not stop).
    with pytest.raises(files.ReportFileError, match='^the folder /proc cannot be written: '):
        files.prepare('/proc/r-1', None, 0o750)


def test_write_creates_the_run_files_and_replaces_the_latest_copies(tmp_path):
    (tmp_path / 'r-latest.json').write_text('the previous run')
    written = files.write(str(tmp_path / 'r-2'), str(tmp_path / 'r-latest'), TEXTS, 0o640)

    assert written == {'json': str(tmp_path / 'r-2.json'), 'csv': str(tmp_path / 'r-2.csv'),
                       'latest_json': str(tmp_path / 'r-latest.json'), 'latest_csv': str(tmp_path / 'r-latest.csv')}
    for extension in ('json', 'csv'):
        for path in (written[extension], written['latest_' + extension]):
            # Byte for byte: UTF-8, and the CSV's \r\n kept as the csv module wrote them.
            assert open(path, 'rb').read() == TEXTS[extension].encode('utf-8')
            assert mode_of(path) == 0o640
    assert listing(tmp_path) == ['r-2.csv', 'r-2.json', 'r-latest.csv', 'r-latest.json']  # no temporary file left


def test_write_without_latest_writes_the_run_files_only(tmp_path):
    assert files.write(str(tmp_path / 'r-3'), None, TEXTS, 0o600) == {
        'json': str(tmp_path / 'r-3.json'), 'csv': str(tmp_path / 'r-3.csv')}
    assert listing(tmp_path) == ['r-3.csv', 'r-3.json']


def test_write_never_overwrites_a_run_file(tmp_path):
    (tmp_path / 'r-4.json').write_text('another run')
    with pytest.raises(files.ReportFileError, match=r'r-4\.json cannot be created: File exists'):
        files.write(str(tmp_path / 'r-4'), str(tmp_path / 'r-latest'), TEXTS, 0o640)
    assert (tmp_path / 'r-4.json').read_text() == 'another run'
    assert not (tmp_path / 'r-latest.json').exists()


def test_a_latest_copy_that_cannot_be_replaced_leaves_no_temporary_file(tmp_path):
    (tmp_path / 'r-latest.json').mkdir()
    with pytest.raises(files.ReportFileError, match=r'r-latest\.json cannot be written: Is a directory'):
        files.write(str(tmp_path / 'r-5'), str(tmp_path / 'r-latest'), TEXTS, 0o640)
    assert listing(tmp_path) == ['r-5.csv', 'r-5.json', 'r-latest.json']


def test_remove_tells_whether_the_file_was_there(tmp_path):
    journal = tmp_path / 'r.journal.jsonl'
    journal.write_text('{}\n')
    assert files.remove(str(journal)) is True
    assert not journal.exists()
    assert files.remove(str(journal)) is False
