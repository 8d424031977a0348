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

# The columns of a failed row that the artifacts repeat (the ids stay in the report: they can be thousands).
FAILURE_KEYS = ('whose', 'api', 'owner', 'owner_type', 'owner_name', 'outcome', 'tracking_id', 'error')


def _failure(row):
    failure = dict((key, row.get(key, '')) for key in FAILURE_KEYS)
    failure.update((name, len(row.get(name) or [])) for name in ('failed', 'missing', 'unknown'))
    return failure


def restore_report_stats(summary, as_json=False):
    """The job artifacts of a run: the run (with its report files), the selection, the totals, the owners by outcome,
    the failed rows (and those whose restore is unknown), what runs stopped halfway restored, and the errors."""
    summary = _plain(_json_or_dict(summary, 'summary'))
    rows = summary['rows']
    outcomes = {}
    for row in rows:
        # A row without owner (ids no owner accounts for, an organization-wide run as a whole) by the table's label of it:
        # (recording ids), (all owners).
        outcomes.setdefault(row['outcome'], []).append(row['owner'] or '(%s)' % row['whose'].replace('_', ' '))
    stats = {
        'run': summary['run'],
        'selection': summary.get('selection'),
        'totals': summary['totals'],
        'outcomes': outcomes,
        'failures': [_failure(row) for row in rows if row['outcome'] in ('failed', 'unknown')],
        'earlier_runs': dict((key, value) for key, value in (summary.get('earlier_runs') or {}).items()
                             if key in ('entries', 'started', 'restored_count', 'unknown_count')),
        'errors': summary['errors'],
    }
    return json.dumps(stats, sort_keys=True) if _bool(as_json) else stats


class FilterModule:
    """Filter that shapes the summary of the recording_restore role into job artifacts."""

    def filters(self):
        return {
            'restore_report_stats': restore_report_stats,
        }
