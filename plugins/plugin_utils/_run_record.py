# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""What the role's report records besides the module runs: the run itself (its id, API URL, organization, collection
version, AWX job, report files; never the token) and what runs stopped halfway restored (the module's journal).
The job artifacts of a run are made
of the summary here too. Controller side only (the filter plugins)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json
import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.webexops.recordings.plugins.plugin_utils._filter_input import _first, _ids, _json_or_dict, _opt_int, _opt_text

# What the report records of the run besides its rows (restore_summary's run_info), never the token: the run's id (the
# UTC start, the AWX job, check), where it ran, what ran it, where its report files are.
RUN_INFO_TEXTS = ('id', 'api_url', 'org_id', 'collection_version', 'awx_job_template_name', 'report_json', 'report_csv')


def _api_url(url):
    """The API URL as the report shows it: without user information or query (neither may carry a secret there)."""
    return re.sub(r'^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@', r'\1', url.split('?', 1)[0].split('#', 1)[0]) if url else url


def run_info(given, records):
    """What the report records of the run (RUN_INFO_TEXTS, awx_job_id), checked; the organization's id from the run
    info ``given``, else from the first module run that reports one (org_id of its result)."""
    given = _json_or_dict(given or {}, 'run_info')
    unknown = sorted(set(given) - set(RUN_INFO_TEXTS) - set(['awx_job_id']))
    if unknown:
        raise AnsibleFilterError('run_info takes %s, not %s' % (', '.join(RUN_INFO_TEXTS + ('awx_job_id',)), ', '.join(unknown)))
    info = dict((name, _opt_text(given.get(name))) for name in RUN_INFO_TEXTS)
    info['api_url'] = _api_url(info['api_url'])
    info['awx_job_id'] = _opt_int(given.get('awx_job_id'), 'run_info awx_job_id')
    if info['org_id'] is None:
        info['org_id'] = _first([_opt_text(rec.get('org_id')) for rec in records if _opt_text(rec.get('org_id'))], None)
    return info


def earlier_runs(journal):
    """What runs stopped halfway restored, from the journal the module kept (JSON lines; README of the role,
    "A run that was stopped"): {entries, restored: {owner: ids}, unknown: {owner: ids}, counts}."""
    entries = []
    for line in (journal if isinstance(journal, (list, tuple)) else to_text(journal or '').splitlines()):
        try:
            entry = line if isinstance(line, dict) else json.loads(line)
        except ValueError:
            continue   # the last line of a run killed while writing it
        if isinstance(entry, dict) and entry.get('outcome') in ('restored', 'unknown') and isinstance(entry.get('owners'), dict):
            entries.append(entry)
    found = {'restored': {}, 'unknown': {}}
    for entry in entries:
        for owner, ids in entry['owners'].items():
            found[entry['outcome']].setdefault(to_text(owner), []).extend(_ids(ids))
    # An id first unknown, then restored (a later entry) counts as restored.
    restored = set(rid for ids in found['restored'].values() for rid in ids)
    found['unknown'] = dict((owner, [rid for rid in ids if rid not in restored]) for owner, ids in found['unknown'].items())
    found['unknown'] = dict((owner, ids) for owner, ids in found['unknown'].items() if ids)
    return {'entries': len(entries), 'started': _first([to_text(entry.get('time', '')) for entry in entries]),
            'restored': dict((owner, sorted(set(ids))) for owner, ids in found['restored'].items()),
            'unknown': dict((owner, sorted(set(ids))) for owner, ids in found['unknown'].items()),
            'restored_count': len(restored), 'unknown_count': len(set(rid for ids in found['unknown'].values() for rid in ids))}


# The columns of a failed row that the artifacts repeat (the ids stay in the report: they can be thousands).
FAILURE_KEYS = ('whose', 'api', 'owner', 'owner_type', 'owner_name', 'outcome', 'tracking_id', 'error')


def _failure(row):
    failure = dict((key, row.get(key, '')) for key in FAILURE_KEYS)
    failure.update((name, len(row.get(name) or [])) for name in ('failed', 'missing', 'unknown'))
    return failure


def audit_stats(summary):
    """The job artifacts of a run (a plain summary): the run, the selection, the totals, the owners by outcome, the
    failed rows (and those whose restore is unknown), what runs stopped halfway restored, and the errors."""
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
    return stats
