# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Filters of the recording_restore role: shape the results of webex_recording_restore runs into the
summary per owner, its human-readable table and the CSV audit report, in Python instead of Jinja.

The documentation of each filter is in the YAML file of the same name next to this file.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import csv
import io
import json
from datetime import datetime, timezone

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.parsing.convert_bool import boolean

TIME_FORMAT = '%Y-%m-%dT%H:%M:%SZ'
ID_LISTS = ('restored', 'already_available', 'missing', 'failed')
CSV_FIELDS = ('row_type', 'source', 'owner_email', 'outcome', 'restored', 'already_available', 'missing', 'failed',
              'tracking_id', 'error', 'restored_ids', 'failed_ids', 'missing_ids', 'run_started', 'check_mode')
NOT_ATTEMPTED = 'not attempted'
ID_ROW_LABEL = '(recording ids)'
ORG_ROW_LABEL = '(all owners)'
# call kind -> source of its rows
SOURCES = {'owners': 'owner_bin', 'all_owners': 'org_bin', 'ids': 'recording_ids'}
# The selection options of the role, in the order they are shown: the filters the server applies, then the window.
FILTER_NAMES = ('location_id', 'owner_type', 'service_type', 'topic')


def _plain(value):
    """A copy of JSON-like data made of plain dict, list, str, int, float, bool and None."""
    if isinstance(value, dict):
        return dict((to_text(key), _plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return to_text(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return to_text(value)


def _ids(value):
    """A list of ids; None, '' and other false values give []."""
    return _plain(value) if value else []


def _bool(value):
    return boolean(value, strict=False)


def _first(values, default=''):
    return values[0] if values else default


def _fold(value):
    """The sort key of Jinja's sort filter (case-insensitive on strings)."""
    return value.lower() if isinstance(value, str) else value


def _casefold_sorted(values):
    return sorted(values, key=_fold)


def _difference(values, other):
    """The values not in other, once each, in their order (ansible.builtin.difference then sorted)."""
    other = set(other)
    seen = set()
    result = []
    for value in values:
        if value not in other and value not in seen:
            seen.add(value)
            result.append(value)
    return result


def _require_dict(value, what):
    if not isinstance(value, dict):
        raise AnsibleFilterError('%s must be a dict, not %s' % (what, type(value).__name__))
    return value


def _json_or_dict(value, what):
    """``value``, or the dict the JSON text ``value`` holds. The role hands records and the summary on as JSON text:
    ansible-core 2.19 templates every item of a variable a filter reads, but a text in one piece."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise AnsibleFilterError('%s given as text must be JSON: %s' % (what, exc))
    return _require_dict(value, what)


def _require_list(value, what):
    if not isinstance(value, (list, tuple)):
        raise AnsibleFilterError('%s must be a list, not %s' % (what, type(value).__name__))
    return value


def restore_call_record(result, call, failed=False):
    """What the summary needs from one module run: its plan entry and its result, without the arguments.

    The values of the result are taken as they are (not copied item by item): on ansible-core 2.19 every item
    access of a variable is templated, which costs seconds for thousands of owners and ids.
    """
    result = _require_dict(result or {}, 'the result of the module run')
    call = _require_dict(call, 'call')
    run_failed = _bool(failed)
    if 'failed_ids' in result:
        failed_ids = result['failed_ids']
    else:
        # The module always returns failed_ids (the ids of the recordings whose action is failed).
        failed_ids = [entry.get('id') for entry in (result.get('recordings') or [])
                      if isinstance(entry, dict) and entry.get('action') == 'failed']
    msg = result.get('msg')
    # An owners run is reported per owner from `owners` alone: its id lists would carry every id a second time.
    per_owner = call.get('kind') == 'owners'
    return {
        'index': call.get('index'),
        'kind': call.get('kind'),
        'label': call.get('label'),
        'owner_emails': call.get('owner_emails') or [],
        'recording_ids': call.get('recording_ids') or [],
        'ran': True,
        'failed': run_failed,
        'changed': _bool(result.get('changed', False)),
        'msg': ('' if msg is None else to_text(msg)) if run_failed else '',
        'owners': result.get('owners') or {},
        'restored': [] if per_owner else (result.get('restored') or []),
        'already_available': [] if per_owner else (result.get('already_available') or []),
        'missing': [] if per_owner else (result.get('missing') or []),
        'failed_ids': [] if per_owner else (failed_ids or []),
        'tracking_ids': result.get('tracking_ids') or [],
        'requests': result.get('requests') or {},
        'selection': result.get('selection') or {},
        'selected': _opt_int(result.get('selected'), 'selected'),
    }


def _source(kind):
    return SOURCES.get(kind, 'recording_ids')


def _empty_label(source):
    """How a row without owner is named: the ids no owner accounts for, or an organization-wide run as a whole."""
    return ORG_ROW_LABEL if source == 'org_bin' else ID_ROW_LABEL


def _row_label(row):
    return row['owner_email'] or _empty_label(row['source'])


def _row(source, email, entry, tracking_id=None, error='', ran=True):
    row = {'source': source, 'owner_email': email}
    for name in ID_LISTS:
        row[name] = _ids(entry.get(name))
    row.update({'tracking_id': (entry.get('tracking_id') or '') if tracking_id is None else tracking_id, 'error': error, 'ran': ran})
    return row


def _outcome(row, run_failed):
    if not row['ran']:
        return 'skipped'
    if row['error'] or row['failed'] or (run_failed and row['missing']):
        return 'failed'
    if row['missing']:
        return 'missing'
    if row['restored']:
        return 'restored'
    return 'unchanged'


def _call_rows(call, rec):
    """The rows of one planned module run; rec is its record, None when it was not attempted.

    owners: one row per planned owner email. all_owners: one row per owner the module reported (keyed by email, or by
    owner id where the owner has none). ids: one row per owner the module reported. all_owners and ids: plus one row
    without owner for what no owner accounts for, or for the run as a whole when there is nothing else to show.
    """
    kind = call['kind']
    source = _source(kind)
    if rec is None:
        # Not attempted: an earlier module run failed and continue_on_failure is false.
        emails = (call.get('owner_emails') or []) if kind == 'owners' else ['']
        return [dict(_row(source, email, {}, tracking_id='', error=NOT_ATTEMPTED, ran=False), outcome='skipped') for email in emails]
    owners = rec.get('owners') or {}
    emails = (call.get('owner_emails') or []) if kind == 'owners' else _casefold_sorted(owners)
    rows = [_row(source, email, owners.get(email) or {}) for email in emails]
    if kind != 'owners':
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
        }
        if any(rest.values()) or not rows:
            tracking_id = _first(rec['tracking_ids']) if rest['failed'] else ''
            rows.append(_row(source, '', dict((name, _casefold_sorted(ids)) for name, ids in rest.items()), tracking_id=tracking_id))
    if rec['failed'] and not [row for row in rows if row['failed'] or row['missing']]:
        if kind == 'all_owners':
            # An organization-wide run that failed as a whole (a refused listing, more selected than max_restores):
            # one row for the run instead of a failed row for every owner it found; owners with ids keep their row.
            rows = [row for row in rows if row['owner_email'] and any(row[name] for name in ID_LISTS)]
            rows.append(_row(source, '', {}, tracking_id=_first(rec['tracking_ids']), error=rec['msg']))
        else:
            # The run failed as a whole (auth, network, ...): every row of it failed with its message.
            for row in rows:
                row['error'] = rec['msg']
                row['tracking_id'] = row['tracking_id'] or _first(rec['tracking_ids'])
    for row in rows:
        row['outcome'] = _outcome(row, rec['failed'])
    return rows


def _sum(items, key):
    return sum(len(item[key]) for item in items)


def _opt_text(value):
    """A selection value as text; None, '' and blanks give None (not set)."""
    if value is None:
        return None
    return to_text(value).strip() or None


def _opt_int(value, what):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise AnsibleFilterError('%s must be a whole number, not %r' % (what, value))
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AnsibleFilterError('%s must be a whole number, not %r' % (what, value))


def _summary_selection(selection, calls, records):
    """What the owner-bin runs selected: whose bins, the filters, the creation window and the cap."""
    selection = _require_dict(selection or {}, 'selection')
    kinds = set(call['kind'] for call in calls)
    if 'all_owners' in kinds:
        whose = 'all_owners'
    elif 'owners' in kinds:
        whose = 'owner_emails'
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
        'filters': dict((name, _opt_text(selection.get(name))) for name in FILTER_NAMES if _opt_text(selection.get(name)) is not None),
        'created_after': created_after,
        'created_before': _opt_text(selection.get('created_before')),
        'lookback_days': lookback_days,
        'max_restores': _opt_int(selection.get('max_restores'), 'max_restores'),
    }


def _is_narrowed(selection):
    """Whether the selection is more than the whole bins of listed owners (then the report shows a selection line)."""
    return bool(selection) and (selection.get('whose') == 'all_owners' or bool(selection.get('filters'))
                                or selection.get('created_after') is not None or selection.get('created_before') is not None
                                or selection.get('max_restores') is not None)


def _selection_text(selection):
    """The selection in words, on one line."""
    whose = {'all_owners': 'bins of every owner of the organization', 'owner_emails': 'bins of the listed owners'}
    parts = [whose.get(selection.get('whose'), 'no owner bins')]
    filters = selection.get('filters') or {}
    parts.extend('%s=%s' % (name, filters[name]) for name in FILTER_NAMES if name in filters)
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
                    as_json=False):
    """The summary of the role: one row per owner (or per id list), totals, errors, the module runs and the selection."""
    records = _require_list(records, 'the records of the module runs')
    calls = _require_list(calls, 'calls')
    by_index = {}
    for rec in records:
        rec = _json_or_dict(rec, 'a record')
        by_index.setdefault(rec['index'], rec)
    rows = []
    call_list = []
    errors = []
    for call in calls:
        call = _require_dict(call, 'a call')
        rec = by_index.get(call['index'])
        if rec is not None and rec['failed']:
            errors.append('%s: %s' % (rec['label'], rec['msg']))
        rows.extend(_call_rows(call, rec))
        call_list.append({
            'index': call['index'], 'kind': _plain(call['kind']), 'label': _plain(call['label']),
            'ran': rec is not None,
            'failed': rec['failed'] if rec is not None else False,
            'changed': rec['changed'] if rec is not None else False,
            'msg': rec['msg'] if rec is not None else NOT_ATTEMPTED,
            'tracking_ids': _plain(rec['tracking_ids']) if rec is not None else [],
            'requests': _plain(rec['requests']) if rec is not None else {},
            'selected': rec.get('selected') if rec is not None else None,
        })
    rows.sort(key=lambda row: (_fold(row['source']), _fold(row['owner_email'])))
    ran = [call for call in call_list if call['ran']]
    failed_rows = [row for row in rows if row['outcome'] == 'failed']
    if finished is None:
        finished = datetime.now(timezone.utc).strftime(TIME_FORMAT)
    summary = {
        'run': {
            'started': to_text(started),
            'finished': to_text(finished),
            'check_mode': _bool(check_mode),
            'continue_on_failure': _bool(continue_on_failure),
            'owners_requested': sum(len(call.get('owner_emails') or []) for call in calls if call['kind'] == 'owners'),
            'ids_requested': sum(len(call.get('recording_ids') or []) for call in calls if _source(call['kind']) == 'recording_ids'),
        },
        'selection': _summary_selection(selection, calls, [by_index[call['index']] for call in calls if call['index'] in by_index]),
        'totals': {
            'owners': len([row for row in rows if row['source'] == 'owner_bin' or (row['source'] == 'org_bin' and row['owner_email'])]),
            'restored': _sum(rows, 'restored'),
            'already_available': _sum(rows, 'already_available'),
            'missing': _sum(rows, 'missing'),
            'failed': _sum(rows, 'failed'),
            'failed_rows': len(failed_rows),
            'skipped_rows': len([row for row in rows if row['outcome'] == 'skipped']),
            'calls': len(call_list),
            'failed_calls': len([call for call in call_list if call['failed']]),
            'changed': bool([call for call in ran if call['changed']]),
            'requests': dict((name, sum(call['requests'].get(name, 0) for call in ran)) for name in ('reads', 'writes', 'retries')),
        },
        'failed_owners': [_row_label(row) for row in failed_rows],
        'errors': errors,
        'rows': rows,
        'calls': call_list,
    }
    return json.dumps(_plain(summary), sort_keys=True) if _bool(as_json) else summary


def restore_summary_lines(summary):
    """The summary as the lines of a table: a header, one line per row, the totals and the requests."""
    summary = _require_dict(summary, 'summary')
    run, totals, rows = summary['run'], summary['totals'], summary['rows']
    width = max([len(row['owner_email']) for row in rows] + [16])
    mode = 'check mode (nothing written, restored = would restore)' if run['check_mode'] else 'restore'
    lines = ['%s: started %s, finished %s' % (mode, run['started'], run['finished'])]
    selection = summary.get('selection')
    if _is_narrowed(selection):
        lines.append('selection: %s' % _selection_text(selection))
    lines += [
        '%s  %-9s %8s %9s %7s %6s  trackingId / error' % ('owner'.ljust(width), 'outcome', 'restored', 'available', 'missing', 'failed'),
    ]
    for row in rows:
        lines.append('%s  %-9s %8d %9d %7d %6d  %s' % (
            _row_label(row).ljust(width), row['outcome'], len(row['restored']), len(row['already_available']),
            len(row['missing']), len(row['failed']), ' '.join(to_text(text) for text in (row['tracking_id'], row['error']) if text)))
    lines.append('%s  %-9s %8d %9d %7d %6d' % (
        'TOTAL'.ljust(width), 'FAILED' if totals['failed_rows'] else 'ok', totals['restored'], totals['already_available'],
        totals['missing'], totals['failed']))
    lines.append('requests: %s reads, %s writes, %s retries in %s module run(s)' % (
        totals['requests']['reads'], totals['requests']['writes'], totals['requests']['retries'], totals['calls']))
    return lines


def _lower(value):
    return to_text(value).lower()


def _join(values, separator=' '):
    return separator.join(to_text(value) for value in values)


def restore_report_csv(summary):
    """The summary as CSV text: a header, one line per row, one total line; every field quoted, lines end in LF."""
    summary = _require_dict(summary, 'summary')
    run, totals = summary['run'], summary['totals']
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator='\n')
    writer.writerow(CSV_FIELDS)
    selection = summary.get('selection')
    if _is_narrowed(selection):
        # One line of its own (row_type selection) before the rows: the selection in words in owner_email, the other
        # columns empty but source, run_started and check_mode.
        source = 'org_bin' if selection.get('whose') == 'all_owners' else 'owner_bin'
        writer.writerow([to_text(value) for value in (
            'selection', source, _selection_text(selection), '', '', '', '', '', '', '', '', '', '', run['started'],
            _lower(run['check_mode']))])
    for row in summary['rows']:
        writer.writerow([to_text(value) for value in (
            'row', row['source'], row['owner_email'], row['outcome'], len(row['restored']), len(row['already_available']),
            len(row['missing']), len(row['failed']), row['tracking_id'], row['error'], _join(row['restored']),
            _join(row['failed']), _join(row['missing']), run['started'], _lower(run['check_mode']))])
    writer.writerow([to_text(value) for value in (
        'total', '', '', 'failed' if totals['failed_rows'] else 'ok', totals['restored'], totals['already_available'],
        totals['missing'], totals['failed'], '', _join(summary['errors'], ' | '), '', '', '', run['started'],
        _lower(run['check_mode']))])
    return buffer.getvalue()


def restore_report_texts(summary):
    """The console table, the JSON report and the CSV report of the summary, made from one copy of it.

    On ansible-core 2.19 every pass of a filter over a variable templates each item it reads, about a second per
    10,000 owners: one pass here instead of one for the table and one for each report.
    """
    summary = _plain(_json_or_dict(summary, 'summary'))
    return {
        'lines': restore_summary_lines(summary),
        # As ansible.builtin.to_nice_json(sort_keys=true) writes it.
        'json': json.dumps(summary, indent=4, sort_keys=True, separators=(',', ': ')) + '\n',
        'csv': restore_report_csv(summary),
    }


class FilterModule:
    """Filters that shape the results of webex_recording_restore into reports."""

    def filters(self):
        return {
            'restore_call_record': restore_call_record,
            'restore_summary': restore_summary,
            'restore_summary_lines': restore_summary_lines,
            'restore_report_csv': restore_report_csv,
            'restore_report_texts': restore_report_texts,
        }
