# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Action of the recording_restore role: prepares the destination of the audit report before the first request,
then renders the summary (the printed table, the job artifacts) and writes the report files.

Its documentation is plugins/modules/recording_restore_report.py. It runs on the controller and runs no module:
each module run costs a task a third of a second or more, and the report is tens of megabytes at 10,000 owners,
which as module arguments would be copied and, with -v, printed. The files go where the role reads the journal of
webex_recording_restore, on the controller: the role runs on localhost, and this action refuses any other host.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.webexops.recordings.plugins.filter.restore_report import restore_report_texts
from ansible_collections.webexops.recordings.plugins.plugin_utils import _report_files as report_files

ARGUMENT_SPEC = dict(
    state=dict(type='str', choices=['ready', 'written'], default='written'),
    summary=dict(type='raw'),
    path=dict(type='str'),
    latest_path=dict(type='str'),
    mode=dict(type='raw', default='0640'),
    dir_mode=dict(type='raw', default='0750'),
    journal=dict(type='str'),
)


def _absolute(args, option):
    value = (args.get(option) or '').strip()
    if value and not os.path.isabs(value):
        raise AnsibleActionFail('%s must be an absolute path, got %s' % (option, value))
    return value


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True  # the report records a check run too: it changes nothing that is managed
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC,
                                                  required_if=[('state', 'ready', ('path',)), ('state', 'written', ('summary',))])
        if self._connection.transport != 'local':
            raise AnsibleActionFail('recording_restore_report writes on the controller, beside the journal that '
                                    'webex_recording_restore keeps there: run it on localhost, not over %s'
                                    % self._connection.transport)
        run_base, latest_base, journal = (_absolute(args, option) for option in ('path', 'latest_path', 'journal'))
        if latest_base and not run_base:
            raise AnsibleActionFail('latest_path needs path: the latest copies are copies of the run files')
        try:
            mode, dir_mode = (report_files.mode_bits(args[option], option) for option in ('mode', 'dir_mode'))
            if args['state'] == 'ready':
                created = report_files.prepare(run_base, latest_base, dir_mode)
                result.update(changed=False, folder_created=created, files=report_files.files_of(run_base))
                return result
        except report_files.ReportFileError as exc:
            raise AnsibleActionFail(str(exc))
        result.update(self._written(args['summary'], run_base, latest_base, mode, journal))
        return result

    def _written(self, summary, run_base, latest_base, mode, journal):
        """The table and the artifacts, also when the files cannot be written: then failed, with ``error`` naming why."""
        texts = restore_report_texts(summary)
        result = dict(changed=False, lines=texts['lines'], stats=json.loads(texts['stats']), files={},
                      journal_removed=False, error='')
        try:
            if run_base:
                result['files'] = report_files.write(run_base, latest_base, texts, mode)
            # A check run leaves the journal for the real run's report; a report not written leaves it for the next.
            result['journal_removed'] = bool(journal) and not self._task.check_mode and report_files.remove(journal)
        except report_files.ReportFileError as exc:
            result.update(failed=True, msg=str(exc), error=str(exc))
        return result
