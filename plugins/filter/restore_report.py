# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Filters of the recording_restore role that shape the records of its webex_recording_restore runs
(restore_runs.py) into the summary per owner, its human-readable table and the JSON and CSV audit reports, in
Python instead of Jinja.

"Whose recordings" a run restores and a row reports is one of the values of the modules' selection
(module_utils/_selection.py): owners, all_owners or recording_ids.

The documentation of each filter is in the YAML file of the same name next to this file.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import csv
import io
import json
from datetime import datetime, timezone

from ansible.module_utils.common.text.converters import to_text

from ansible_collections.webexops.recordings.plugins.module_utils import _selection
from ansible_collections.webexops.recordings.plugins.plugin_utils._run_record import audit_stats, earlier_runs, run_info as record_run_info
from ansible_collections.webexops.recordings.plugins.plugin_utils._filter_input import (
    ALL_OWNERS, OWNERS, RECORDING_IDS, _bool, _casefold_sorted, _difference, _first, _fold, _ids,
    _json_or_dict, _opt_int, _opt_text, _plain, _require_dict, _require_list, _whose,
)

TIME_FORMAT = '%Y-%m-%dT%H:%M:%SZ'
ID_LISTS = ('restored', 'already_available', 'missing', 'failed', 'unknown')
CSV_FIELDS = ('row_type', 'whose', 'api', 'owner', 'owner_type', 'owner_name', 'outcome', 'restored', 'already_available',
              'missing', 'failed', 'unknown', 'tracking_id', 'error', 'restored_ids', 'failed_ids', 'missing_ids', 'unknown_ids',
              'run_started', 'check_mode')
# What the report records of the run besides its rows (restore_summary's run_info), never the token: the run's id (the
# UTC start, the AWX job, check), where it ran, what ran it, where its report files are.
RUN_INFO_WORDS = ('id', 'api_url', 'org_id', 'collection_version', 'awx_job_id', 'awx_job_template_name')
NOT_ATTEMPTED = 'not attempted'
ID_ROW_LABEL = '(recording ids)'
ORG_ROW_LABEL = '(all owners)'


def _empty_label(whose):
    """How a row without owner is named: the ids no owner accounts for, or an organization-wide run as a whole."""
    return ORG_ROW_LABEL if whose == ALL_OWNERS else ID_ROW_LABEL


def _row_label(row, known=()):
    """A row's owner (or what stands for it), with ``known`` facts of it and its API (but Converged) in brackets."""
    label = row['owner'] or _empty_label(row['whose'])
    notes = list(known) + ([] if row.get('api', 'converged') == 'converged' else [row['api']])
    return '%s (%s)' % (label, ', '.join(notes)) if notes else label


def _row(whose, owner, entry, tracking_id=None, error='', ran=True):
    """A row: owner is the email, or the owner id of an owner without one (workspaces, virtual lines); its type and
    display name when the module run reports them for the owner (owner_type, owner_name), else empty."""
    row = {'whose': whose, 'owner': owner, 'owner_type': _opt_text(entry.get('owner_type')) or '',
           'owner_name': _opt_text(entry.get('owner_name')) or ''}
    for name in ID_LISTS:
        row[name] = _ids(entry.get(name))
    row.update({'tracking_id': (entry.get('tracking_id') or '') if tracking_id is None else tracking_id, 'error': error, 'ran': ran})
    return row


def _outcome(row, run_failed):
    if not row['ran']:
        return 'skipped'
    if row['error'] or row['failed'] or (run_failed and row['missing']):
        return 'failed'
    if row['unknown']:
        # A restore request went unanswered and could not be checked: the next run settles it.
        return 'unknown'
    if row['missing']:
        return 'missing'
    if row['restored']:
        return 'restored'
    if row.get('nothing_found'):
        # Nothing of this owner in the selection, nor (when checked) any recording at all: the address may be wrong.
        return 'nothing_found'
    return 'unchanged'


def _call_rows(call, whose, rec):
    """The rows of one planned module run; rec is its record, None when it was not attempted.

    owners: one row per planned owner email. all_owners: one row per owner the module reported (keyed by email, or by
    owner id where the owner has none). recording_ids: one row per owner the module reported. all_owners and
    recording_ids: plus one row without owner for what no owner accounts for, or for the run as a whole when there is
    nothing else to show.
    """
    if rec is None:
        # Not attempted: an earlier module run failed and continue_on_failure is false.
        emails = (call.get('owner_emails') or []) if whose == OWNERS else ['']
        return [dict(_row(whose, email, {}, tracking_id='', error=NOT_ATTEMPTED, ran=False), outcome='skipped') for email in emails]
    owners = rec.get('owners') or {}
    emails = (call.get('owner_emails') or []) if whose == OWNERS else _casefold_sorted(owners)
    rows = [_row(whose, email, owners.get(email) or {}) for email in emails]
    if whose != OWNERS:
        # Ids no owner accounts for (unknown ids, or a module without per-owner results).
        covered = set()
        for row in rows:
            for name in ID_LISTS:
                covered.update(row[name])
        rest = {
            'restored': _difference(rec['restored'], covered),
            'already_available': _difference(rec['already_available'], covered),
            'missing': _difference(rec['missing'], covered),
            'failed': _difference(rec['failed_ids'], covered),
            'unknown': _difference(rec.get('unknown') or [], covered),
        }
        if any(rest.values()) or not rows:
            tracking_id = _first(rec['tracking_ids']) if rest['failed'] else ''
            rows.append(_row(whose, '', dict((name, _casefold_sorted(ids)) for name, ids in rest.items()), tracking_id=tracking_id))
    if rec['failed'] and not [row for row in rows if row['failed'] or row['missing'] or row['unknown']]:
        if whose == ALL_OWNERS:
            # An organization-wide run that failed as a whole (a refused listing, more selected than max_restores):
            # one row for the run instead of a failed row for every owner it found; owners with ids keep their row.
            rows = [row for row in rows if row['owner'] and any(row[name] for name in ID_LISTS)]
            rows.append(_row(whose, '', {}, tracking_id=_first(rec['tracking_ids']), error=rec['msg']))
        else:
            # The run failed as a whole (auth, network, ...): every row of it failed with its message.
            for row in rows:
                row['error'] = rec['msg']
                row['tracking_id'] = row['tracking_id'] or _first(rec['tracking_ids'])
    nothing_found = set(_fold(owner) for owner in rec.get('nothing_found') or [])
    for row in rows:
        if row['owner'] and _fold(row['owner']) in nothing_found:
            row['nothing_found'] = True
        row['outcome'] = _outcome(row, rec['failed'])
        row.pop('nothing_found', None)
    return rows


def _sum(items, key):
    return sum(len(item[key]) for item in items)


def _summary_selection(selection, planned, records):
    """What the owner-bin runs selected: whose bins, the filters, the creation window and the cap."""
    selection = _require_dict(selection or {}, 'selection')
    planned_whose = set(whose for dummy, whose in planned)
    if ALL_OWNERS in planned_whose:
        whose = ALL_OWNERS
    elif OWNERS in planned_whose:
        whose = OWNERS
    else:
        whose = None
    created_after = _opt_text(selection.get('created_after'))
    lookback_days = None
    if created_after is None:
        lookback_days = _opt_int(selection.get('lookback_days'), 'lookback_days')
        if lookback_days is None:
            # Unset: the module's default, as a module run reported it.
            reported = [rec['selection'].get('lookback_days') for rec in records
                        if isinstance(rec.get('selection'), dict) and rec['selection'].get('lookback_days') is not None]
            lookback_days = _opt_int(reported[0], 'lookback_days') if reported else None
    return {
        'whose': whose,
        'filters': dict((name, _opt_text(selection.get(name))) for name in _selection.FILTER_OPTIONS if _opt_text(selection.get(name)) is not None),
        'created_after': created_after,
        'created_before': _opt_text(selection.get('created_before')),
        'lookback_days': lookback_days,
        'max_restores': _opt_int(selection.get('max_restores'), 'max_restores'),
    }


def _is_narrowed(selection):
    """Whether the selection is more than the whole bins of listed owners (then the report shows a selection line)."""
    return bool(selection) and (selection.get('whose') == ALL_OWNERS or bool(selection.get('filters'))
                                or selection.get('created_after') is not None or selection.get('created_before') is not None
                                or selection.get('max_restores') is not None)


def _selection_text(selection):
    """The selection in words, on one line."""
    whose = {ALL_OWNERS: 'bins of every owner of the organization', OWNERS: 'bins of the listed owners'}
    parts = [whose.get(selection.get('whose'), 'no owner bins')]
    filters = selection.get('filters') or {}
    parts.extend('%s=%s' % (name, filters[name]) for name in _selection.FILTER_OPTIONS if name in filters)
    lookback = selection.get('lookback_days')
    horizon = ('%s days ago' % lookback) if lookback is not None else 'the lookback horizon'
    if selection.get('created_after') is not None or selection.get('created_before') is not None:
        parts.append('created from %s to %s' % (selection.get('created_after') or horizon, selection.get('created_before') or 'now'))
    else:
        parts.append('created in the last %s days' % lookback if lookback is not None else 'created within the lookback horizon')
    cap = selection.get('max_restores')
    parts.append('max_restores=%s' % cap if cap is not None else 'no max_restores')
    return '; '.join(parts)


def restore_summary(records, calls, started='', finished=None, check_mode=False, continue_on_failure=False, selection=None,
                    as_json=False, run_info=None, journal=None):
    """The summary of the role: one row per owner (or per id list), totals, errors, the module runs and the selection;
    the run's start, end, mode and run_info; what runs stopped halfway restored (``journal``: the lines of the module's
    journal as the run found it)."""
    records = _require_list(records, 'the records of the module runs')
    calls = _require_list(calls, 'calls')
    by_index = {}
    for rec in records:
        rec = _json_or_dict(rec, 'a record')
        by_index.setdefault(rec['index'], rec)
    planned = [(call, _whose(call, 'a call')) for call in calls]
    rows = []
    call_list = []
    errors = []
    for call, whose in planned:
        rec = by_index.get(call['index'])
        if rec is not None and rec['failed']:
            errors.append('%s: %s' % (rec['label'], rec['msg']))
        # The role's runs name their recordings API (recording_restore_apis): the rows carry it.
        rows.extend(dict(row, api=call['api']) if call.get('api') else row for row in _call_rows(call, whose, rec))
        call_list.append({
            'index': call['index'], 'whose': whose, 'label': _plain(call['label']),
            'ran': rec is not None,
            'failed': rec['failed'] if rec is not None else False,
            'changed': rec['changed'] if rec is not None else False,
            'msg': rec['msg'] if rec is not None else NOT_ATTEMPTED,
            'tracking_ids': _plain(rec['tracking_ids']) if rec is not None else [],
            'requests': _plain(rec['requests']) if rec is not None else {},
            'selected': rec.get('selected') if rec is not None else None,
        })
    rows.sort(key=lambda row: (_fold(row['whose']), _fold(row['owner'])))
    ran = [call for call in call_list if call['ran']]
    failed_rows = [row for row in rows if row['outcome'] == 'failed']
    unknown_rows = [row for row in rows if row['outcome'] == 'unknown']
    nothing_found_rows = [row for row in rows if row['outcome'] == 'nothing_found']
    if finished is None:
        finished = datetime.now(timezone.utc).strftime(TIME_FORMAT)
    info = record_run_info(run_info, list(by_index.values()))
    summary = {
        'run': {
            'started': to_text(started),
            'finished': to_text(finished),
            'check_mode': _bool(check_mode),
            'continue_on_failure': _bool(continue_on_failure),
            'owners_requested': sum(len(call.get('owner_emails') or []) for call, whose in planned if whose == OWNERS),
            'ids_requested': sum(len(call.get('recording_ids') or []) for call, whose in planned if whose == RECORDING_IDS),
        },
        'selection': _summary_selection(selection, planned, [by_index[call['index']] for call in calls if call['index'] in by_index]),
        'totals': {
            'owners': len([row for row in rows if row['whose'] == OWNERS or (row['whose'] == ALL_OWNERS and row['owner'])]),
            'restored': _sum(rows, 'restored'),
            'already_available': _sum(rows, 'already_available'),
            'missing': _sum(rows, 'missing'),
            'failed': _sum(rows, 'failed'),
            'unknown': _sum(rows, 'unknown'),
            'failed_rows': len(failed_rows),
            'unknown_rows': len(unknown_rows),
            'nothing_found_rows': len(nothing_found_rows),
            'skipped_rows': len([row for row in rows if row['outcome'] == 'skipped']),
            'calls': len(call_list),
            'failed_calls': len([call for call in call_list if call['failed']]),
            'changed': bool([call for call in ran if call['changed']]),
            'requests': dict((name, sum(call['requests'].get(name, 0) for call in ran)) for name in ('reads', 'writes', 'retries')),
        },
        'failed_owners': [_row_label(row) for row in failed_rows],
        'unknown_owners': [_row_label(row) for row in unknown_rows],
        'nothing_found_owners': [_row_label(row) for row in nothing_found_rows],
        'earlier_runs': earlier_runs(journal),
        'errors': errors,
        'rows': rows,
        'calls': call_list,
    }
    summary['run'].update(info)
    return json.dumps(_plain(summary), sort_keys=True) if _bool(as_json) else summary


def restore_summary_lines(summary):
    """The summary as the lines of a table: a header, one line per row, the totals and the requests."""
    summary = _require_dict(summary, 'summary')
    run, totals, rows = summary['run'], summary['totals'], summary['rows']
    width = max([len(_row_display(row)) for row in rows] + [16])
    outcome_width = max([len(row['outcome']) for row in rows] + [9])
    mode = 'check mode (nothing written, restored = would restore)' if run['check_mode'] else 'restore'
    lines = ['%s: started %s, finished %s' % (mode, run['started'], run['finished'])]
    if run.get('report_json'):
        lines.append('report: %s and %s' % (run['report_json'], run.get('report_csv')))
    selection = summary.get('selection')
    if _is_narrowed(selection):
        lines.append('selection: %s' % _selection_text(selection))
    lines += [
        '%s  %s %8s %9s %7s %6s %7s  trackingId / error' % (
            'owner'.ljust(width), 'outcome'.ljust(outcome_width), 'restored', 'available', 'missing', 'failed', 'unknown'),
    ]
    for row in rows:
        lines.append('%s  %s %8d %9d %7d %6d %7d  %s' % (
            _row_display(row).ljust(width), row['outcome'].ljust(outcome_width), len(row['restored']), len(row['already_available']),
            len(row['missing']), len(row['failed']), len(row.get('unknown') or []),
            ' '.join(to_text(text) for text in (row['tracking_id'], row['error']) if text)))
    lines.append('%s  %s %8d %9d %7d %6d %7d' % (
        'TOTAL'.ljust(width), _total_outcome(totals).upper().ljust(outcome_width), totals['restored'], totals['already_available'],
        totals['missing'], totals['failed'], totals.get('unknown', 0)))
    earlier = summary.get('earlier_runs') or {}
    if earlier.get('entries'):
        lines.append('earlier run(s) stopped halfway, from the journal: %d recording(s) restored (%d owner(s)), %d unknown' % (
            earlier['restored_count'], len(earlier['restored']), earlier['unknown_count']))
    lines.append('requests: %s reads, %s writes, %s retries in %s module run(s)' % (
        totals['requests']['reads'], totals['requests']['writes'], totals['requests']['retries'], totals['calls']))
    return lines


def _total_outcome(totals):
    return 'failed' if totals['failed_rows'] else ('unknown' if totals.get('unknown_rows') else 'ok')


def _row_display(row):
    """How the table names the owner of a row: its email or id, with its display name, type and API (but Converged)
    when known, in one pair of brackets: ``erin@example.com (Erin Evans, meetings)``."""
    return _row_label(row, [text for text in (row.get('owner_name'), row.get('owner_type')) if text])


def _lower(value):
    return to_text(value).lower()


def _run_text(run):
    """What the report records of the run, in words on one line (the CSV line with row_type run)."""
    return '; '.join('%s=%s' % (name, to_text(run[name])) for name in RUN_INFO_WORDS if run.get(name) is not None)


def _csv_line(row_type, run, **columns):
    """One CSV line: the given columns, the run's start and mode, every other column empty."""
    columns.update(row_type=row_type, run_started=run['started'], check_mode=_lower(run['check_mode']))
    return [to_text(columns.get(name, '')) for name in CSV_FIELDS]


def _join(values, separator=' '):
    return separator.join(to_text(value) for value in values)


def restore_report_csv(summary):
    """The summary as CSV text: a header, the run line, the selection line when narrowed, one line per row, one total
    line; every field quoted, lines end in LF."""
    summary = _require_dict(summary, 'summary')
    run, totals = summary['run'], summary['totals']
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator='\n')
    writer.writerow(CSV_FIELDS)
    # What the report records of the run (row_type run), in words in the owner column.
    writer.writerow(_csv_line('run', run, owner=_run_text(run)))
    selection = summary.get('selection')
    if _is_narrowed(selection):
        # One line of its own (row_type selection) before the rows: the selection in words in the owner column.
        writer.writerow(_csv_line('selection', run, whose=selection.get('whose') or '', owner=_selection_text(selection)))
    for row in summary['rows']:
        writer.writerow(_csv_line(
            'row', run, whose=row['whose'], api=row.get('api', ''), owner=row['owner'], owner_type=row.get('owner_type', ''),
            owner_name=row.get('owner_name', ''), outcome=row['outcome'], restored=len(row['restored']),
            already_available=len(row['already_available']), missing=len(row['missing']), failed=len(row['failed']),
            unknown=len(row.get('unknown') or []), tracking_id=row['tracking_id'], error=row['error'],
            restored_ids=_join(row['restored']), failed_ids=_join(row['failed']), missing_ids=_join(row['missing']),
            unknown_ids=_join(row.get('unknown') or [])))
    earlier = summary.get('earlier_runs') or {}
    for owner in _casefold_sorted(set(earlier.get('restored') or {}) | set(earlier.get('unknown') or {})):
        # What a run stopped halfway restored (from the journal): one line per owner, outcome restored or unknown.
        restored, unknown = earlier['restored'].get(owner, []), earlier['unknown'].get(owner, [])
        writer.writerow(_csv_line(
            'earlier_run', dict(run, started=earlier.get('started', ''), check_mode=False), owner=owner,
            outcome='unknown' if unknown else 'restored', restored=len(restored), unknown=len(unknown),
            restored_ids=_join(restored), unknown_ids=_join(unknown)))
    writer.writerow(_csv_line(
        'total', run, outcome=_total_outcome(totals), restored=totals['restored'],
        already_available=totals['already_available'], missing=totals['missing'], failed=totals['failed'],
        unknown=totals.get('unknown', 0), error=_join(summary['errors'], ' | ')))
    return buffer.getvalue()


def restore_report_texts(summary):
    """The console table, the JSON report, the CSV report and the job artifacts (``stats``, JSON text; as
    restore_report_stats makes them) of the summary, made from one copy of it.

    One pass over the summary instead of one for each (README of the role, "Data path").
    """
    summary = _plain(_json_or_dict(summary, 'summary'))
    return {
        'lines': restore_summary_lines(summary),
        # As ansible.builtin.to_nice_json(sort_keys=true) writes it.
        'json': json.dumps(summary, indent=4, sort_keys=True, separators=(',', ': ')) + '\n',
        'csv': restore_report_csv(summary),
        'stats': json.dumps(audit_stats(summary), sort_keys=True),
    }


class FilterModule:
    """Filters that plan the role's runs of webex_recording_restore and shape their results into reports."""

    def filters(self):
        return {
            'restore_summary': restore_summary,
            'restore_summary_lines': restore_summary_lines,
            'restore_report_csv': restore_report_csv,
            'restore_report_texts': restore_report_texts,
        }
