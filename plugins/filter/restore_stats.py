# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Filter of the recording_restore role that shapes its summary (restore_report.py) into what the role publishes with
ansible.builtin.set_stats: in AWX the job's artifacts, shown on the job and handed to the next node of a workflow, which
outlive the job's execution environment where a report file does not.

The documentation of the filter is in the YAML file of the same name next to this file.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json

from ansible_collections.webexops.recordings.plugins.plugin_utils._filter_input import _bool, _json_or_dict, _plain
from ansible_collections.webexops.recordings.plugins.plugin_utils._run_record import audit_stats


def restore_report_stats(summary, as_json=False):
    """The job artifacts of a run: the run (with its report files), the selection, the totals, the owners by outcome,
    the failed rows (and those whose restore is unknown), what runs stopped halfway restored, and the errors."""
    stats = audit_stats(_plain(_json_or_dict(summary, 'summary')))
    return json.dumps(stats, sort_keys=True) if _bool(as_json) else stats


class FilterModule:
    """Filter that shapes the summary of the recording_restore role into job artifacts."""

    def filters(self):
        return {
            'restore_report_stats': restore_report_stats,
        }
