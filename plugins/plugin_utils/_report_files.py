# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The audit report's files on disk, for the recording_restore_report action (controller side).

A run's own files, ``BASE-<run id>.json`` and ``.csv``, are created and never overwritten; the latest copies,
``BASE-latest.json`` and ``.csv``, are replaced whole (written beside, then renamed over), so that a reader
never sees half a report. Every failure is a ReportFileError that names the file.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import tempfile

EXTENSIONS = ('json', 'csv')


class ReportFileError(Exception):
    """A report file or its folder that cannot be made or written; the message names it."""


def mode_bits(value, option):
    """The permission bits of ``value``: an octal text (``'0640'``) or a number; else ReportFileError naming ``option``."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 0o7777:
        return value
    text = str(value).strip()
    try:
        bits = int(text, 8)
    except ValueError:
        bits = -1
    if not text or not 0 <= bits <= 0o7777:
        raise ReportFileError('%s must be an octal mode such as 0640, got %r' % (option, value))
    return bits


def files_of(base):
    """{extension: path} of the report files named ``base`` (``base.json``, ``base.csv``)."""
    return dict((extension, '%s.%s' % (base, extension)) for extension in EXTENSIONS)


def _os_error(exc, what):
    return ReportFileError('%s: %s' % (what, exc.strerror or exc))


def make_folder(folder, mode):
    """Create ``folder`` and its missing parents with ``mode``; True when it was missing."""
    missing = []
    current = folder
    while not os.path.lexists(current):
        missing.append(current)
        current = os.path.dirname(current)
    if not os.path.isdir(current):
        raise ReportFileError('%s exists and is not a folder' % current)
    for path in reversed(missing):
        try:
            os.mkdir(path)
            os.chmod(path, mode)  # the umask does not decide what the role was told
        except OSError as exc:
            raise _os_error(exc, 'the folder %s cannot be created' % path)
    return bool(missing)


def prepare(run_base, latest_base, folder_mode):
    """Make sure the report can be written before anything else happens; True when its folder was created.

    The folder is created when missing, the run's own files must not exist (a report is never overwritten),
    the latest copies must not be folders, and a probe file is written in the folder and removed.
    """
    folder = os.path.dirname(run_base)
    created = make_folder(folder, folder_mode)
    for path in files_of(run_base).values():
        if os.path.lexists(path):
            raise ReportFileError('%s exists: a report is never overwritten (a run with the same path started in the '
                                  'same second)' % path)
    for path in files_of(latest_base).values() if latest_base else ():
        if os.path.isdir(path):
            raise ReportFileError('%s is a folder' % path)
    try:
        handle, probe = tempfile.mkstemp(dir=folder, prefix='.%s.' % os.path.basename(run_base), suffix='.write-probe')
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise _os_error(exc, 'the folder %s cannot be written' % folder)
    return created


def _write(handle, text, mode):
    with os.fdopen(handle, 'wb') as stream:
        os.fchmod(stream.fileno(), mode)
        stream.write(text.encode('utf-8'))


def write_new(path, text, mode):
    """Create ``path`` holding ``text``; a file already there is an error, never overwritten."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except OSError as exc:
        raise _os_error(exc, '%s cannot be created' % path)
    try:
        _write(handle, text, mode)
    except OSError as exc:
        raise _os_error(exc, '%s cannot be written' % path)


def replace(path, text, mode):
    """Replace ``path`` whole by a file holding ``text`` (written beside it, then renamed over it)."""
    folder, name = os.path.split(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix='.%s.' % name, suffix='.tmp')
    except OSError as exc:
        raise _os_error(exc, '%s cannot be written' % path)
    try:
        _write(handle, text, mode)
        os.replace(temporary, path)
    except OSError as exc:
        if os.path.lexists(temporary):
            os.unlink(temporary)
        raise _os_error(exc, '%s cannot be written' % path)


def write(run_base, latest_base, texts, mode):
    """Write the run's files (new) and, with ``latest_base``, replace the latest copies: {name: path} written."""
    written = {}
    for extension, path in files_of(run_base).items():
        write_new(path, texts[extension], mode)
        written[extension] = path
    for extension, path in files_of(latest_base).items() if latest_base else ():
        replace(path, texts[extension], mode)
        written['latest_' + extension] = path
    return written


def remove(path):
    """Remove the file ``path``; True when it was there."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise _os_error(exc, '%s cannot be removed' % path)
    return True
