# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Filters of the recording_restore role: plan its module runs, and shape the results of webex_recording_restore
runs into the summary per owner, its human-readable table and the CSV audit report, in Python instead of Jinja.

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

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.webexops.recordings.plugins.module_utils import _selection

TIME_FORMAT = '%Y-%m-%dT%H:%M:%SZ'
ID_LISTS = ('restored', 'already_available', 'missing', 'failed')
CSV_FIELDS = ('row_type', 'whose', 'owner_email', 'outcome', 'restored', 'already_available', 'missing', 'failed',
              'tracking_id', 'error', 'restored_ids', 'failed_ids', 'missing_ids', 'run_started', 'check_mode')
NOT_ATTEMPTED = 'not attempted'
ID_ROW_LABEL = '(recording ids)'
ORG_ROW_LABEL = '(all owners)'
OWNERS = _selection.WHOSE_OWNERS
ALL_OWNERS = _selection.WHOSE_ALL_OWNERS
RECORDING_IDS = _selection.WHOSE_RECORDING_IDS
# Whose recordings a module run of the role restores (the caller's own bin is not one of them).
RUN_WHOSE = (OWNERS, ALL_OWNERS, RECORDING_IDS)


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
    """``value``, or the dict the JSON text ``value`` holds (why text: roles/recording_restore/README.md, "Data path")."""
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


def _whose(call, what='call'):
    """Whose recordings the planned run ``call`` restores, as the plain value of _selection.WHOSE."""
    call = _require_dict(call, what)
    whose = call.get('whose')
    if whose not in RUN_WHOSE:
        raise AnsibleFilterError('%s must have whose set to %s, got %r' % (what, ', '.join(RUN_WHOSE), whose))
    return RUN_WHOSE[RUN_WHOSE.index(whose)]


def _texts(value, variable, same=None):
    """The entries of the list ``value`` as trimmed texts, blank and null ones dropped, each once (as ``same`` compares
    them), in their order."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise AnsibleFilterError('%s must be a list, not %s' % (variable, type(value).__name__))
    seen = set()
    result = []
    for position, item in enumerate(value, 1):
        if item is None:
            continue
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise AnsibleFilterError('%s must hold texts only: entry %d is %s' % (variable, position, type(item).__name__))
        text = to_text(item).strip()
        key = same(text) if same else text
        if text and key not in seen:
            seen.add(key)
            result.append(text)
    return result


def _whole(value, variable, rule):
    """``value`` as an int of at least 0 (None: 0); else an error naming the variable and the rule."""
    if value is None:
        return 0
    number = None
    if not isinstance(value, bool):
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if isinstance(value, float) and number != value:
            number = None
    if number is None or number < 0:
        raise AnsibleFilterError('%s must be %s, got %r' % (variable, rule, value))
    return number


def restore_run_plan(owners, recording_ids=None, all_owners=False, owners_per_call=0):
    """The module runs of the recording_restore role: the owners in chunks of owners_per_call (0: one run for all),
    every owner of the organization, the recording ids; each {index, whose, owner_emails, recording_ids, label}.

    Blank entries are dropped, and duplicates: owner emails compared without case (as Webex compares them), ids as
    they are. Errors name the role's variables."""
    owner_list = _texts(owners, 'recording_restore_owners', same=lambda text: text.lower())
    id_list = _texts(recording_ids, 'recording_restore_ids')
    try:
        every_owner = boolean(all_owners, strict=True)
    except TypeError:
        raise AnsibleFilterError('recording_restore_all_owners must be true or false, got %r' % (all_owners,))
    chunk_size = _whole(owners_per_call, 'recording_restore_owners_per_call',
                        'a whole number, 0 or more (0: every owner in one module run)') or max(len(owner_list), 1)
    if every_owner and owner_list:
        raise AnsibleFilterError(
            'recording_restore_all_owners restores every owner of the organization: leave recording_restore_owners empty '
            'with it (got %d owner(s))' % len(owner_list))
    if not (owner_list or id_list or every_owner):
        raise AnsibleFilterError('Set recording_restore_owners, recording_restore_all_owners and/or recording_restore_ids: '
                                 'there is nothing to restore')
    calls = []
    for start in range(0, len(owner_list), chunk_size):
        chunk = owner_list[start:start + chunk_size]
        label = '%d owner(s): %s' % (len(chunk), chunk[0]) + (' .. %s' % chunk[-1] if len(chunk) > 1 else '')
        calls.append({'whose': OWNERS, 'owner_emails': chunk, 'recording_ids': [], 'label': label})
    if every_owner:
        calls.append({'whose': ALL_OWNERS, 'owner_emails': [], 'recording_ids': [], 'label': 'all owners'})
    if id_list:
        calls.append({'whose': RECORDING_IDS, 'owner_emails': [], 'recording_ids': id_list,
                      'label': '%d recording id(s)' % len(id_list)})
    for index, call in enumerate(calls):
        call['index'] = index
    return calls


def restore_call_record(result, call, failed=False, as_json=False):
    """What the summary needs from one module run: its plan entry and its result, without the arguments.

    The values of the result are taken as they are, not copied item by item (README of the role, "Data path").
    """
    result = _require_dict(result or {}, 'the result of the module run')
    whose = _whose(call)
    run_failed = _bool(failed)
    if 'failed_ids' in result:
        failed_ids = result['failed_ids']
    else:
        # The module always returns failed_ids (the ids of the recordings whose action is failed).
        failed_ids = [entry.get('id') for entry in (result.get('recordings') or [])
                      if isinstance(entry, dict) and entry.get('action') == 'failed']
    msg = result.get('msg')
    # An owners run is reported per owner from `owners` alone: its id lists would carry every id a second time.
    per_owner = whose == OWNERS
    record = {
        'index': call.get('index'),
        'whose': whose,
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
    return json.dumps(_plain(record), sort_keys=True) if _bool(as_json) else record


def _empty_label(whose):
    """How a row without owner is named: the ids no owner accounts for, or an organization-wide run as a whole."""
    return ORG_ROW_LABEL if whose == ALL_OWNERS else ID_ROW_LABEL


def _row_label(row):
    return row['owner_email'] or _empty_label(row['whose'])


def _row(whose, email, entry, tracking_id=None, error='', ran=True):
    row = {'whose': whose, 'owner_email': email}
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
        }
        if any(rest.values()) or not rows:
            tracking_id = _first(rec['tracking_ids']) if rest['failed'] else ''
            rows.append(_row(whose, '', dict((name, _casefold_sorted(ids)) for name, ids in rest.items()), tracking_id=tracking_id))
    if rec['failed'] and not [row for row in rows if row['failed'] or row['missing']]:
        if whose == ALL_OWNERS:
            # An organization-wide run that failed as a whole (a refused listing, more selected than max_restores):
            # one row for the run instead of a failed row for every owner it found; owners with ids keep their row.
            rows = [row for row in rows if row['owner_email'] and any(row[name] for name in ID_LISTS)]
            rows.append(_row(whose, '', {}, tracking_id=_first(rec['tracking_ids']), error=rec['msg']))
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
                    as_json=False):
    """The summary of the role: one row per owner (or per id list), totals, errors, the module runs and the selection."""
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
        rows.extend(_call_rows(call, whose, rec))
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
    rows.sort(key=lambda row: (_fold(row['whose']), _fold(row['owner_email'])))
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
            'owners_requested': sum(len(call.get('owner_emails') or []) for call, whose in planned if whose == OWNERS),
            'ids_requested': sum(len(call.get('recording_ids') or []) for call, whose in planned if whose == RECORDING_IDS),
        },
        'selection': _summary_selection(selection, planned, [by_index[call['index']] for call in calls if call['index'] in by_index]),
        'totals': {
            'owners': len([row for row in rows if row['whose'] == OWNERS or (row['whose'] == ALL_OWNERS and row['owner_email'])]),
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
        # columns empty but whose, run_started and check_mode.
        writer.writerow([to_text(value) for value in (
            'selection', selection.get('whose') or '', _selection_text(selection), '', '', '', '', '', '', '', '', '', '', run['started'],
            _lower(run['check_mode']))])
    for row in summary['rows']:
        writer.writerow([to_text(value) for value in (
            'row', row['whose'], row['owner_email'], row['outcome'], len(row['restored']), len(row['already_available']),
            len(row['missing']), len(row['failed']), row['tracking_id'], row['error'], _join(row['restored']),
            _join(row['failed']), _join(row['missing']), run['started'], _lower(run['check_mode']))])
    writer.writerow([to_text(value) for value in (
        'total', '', '', 'failed' if totals['failed_rows'] else 'ok', totals['restored'], totals['already_available'],
        totals['missing'], totals['failed'], '', _join(summary['errors'], ' | '), '', '', '', run['started'],
        _lower(run['check_mode']))])
    return buffer.getvalue()


def restore_report_texts(summary):
    """The console table, the JSON report and the CSV report of the summary, made from one copy of it.

    One pass over the summary instead of one for the table and one for each report (README of the role, "Data path").
    """
    summary = _plain(_json_or_dict(summary, 'summary'))
    return {
        'lines': restore_summary_lines(summary),
        # As ansible.builtin.to_nice_json(sort_keys=true) writes it.
        'json': json.dumps(summary, indent=4, sort_keys=True, separators=(',', ': ')) + '\n',
        'csv': restore_report_csv(summary),
    }


class FilterModule:
    """Filters that plan the role's runs of webex_recording_restore and shape their results into reports."""

    def filters(self):
        return {
            'restore_run_plan': restore_run_plan,
            'restore_call_record': restore_call_record,
            'restore_summary': restore_summary,
            'restore_summary_lines': restore_summary_lines,
            'restore_report_csv': restore_report_csv,
            'restore_report_texts': restore_report_texts,
        }
