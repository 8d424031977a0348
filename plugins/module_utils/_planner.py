# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""Pure decisions: argument rules, listing windows, read strategy, restore plan, outcomes, result
and diff. No HTTP, no AnsibleModule: everything here is unit-tested alone.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re
from datetime import datetime, timedelta, timezone

MAX_WINDOW_DAYS = 30        # the admin listing takes a from..to window of at most 30 days
# One day inside that limit: a stricter reading of "within 30 days" or a server clock ahead of ours
# must not refuse every listing. W = ceil((lookback_days + 1) / 29): still 13 for the default 365.
WINDOW_DAYS = MAX_WINDOW_DAYS - 1
MAX_IDS_PER_RESTORE = 100   # the restore endpoint takes at most 100 recordingIds
MIN_CONCURRENCY = 1
MAX_CONCURRENCY = 32

PER_ID = 'per_id'
BIN_LISTING = 'bin_listing'
CALLER_BIN = 'caller_bin'
PER_OWNER = 'per_owner'
ORG_SWEEP = 'org_sweep'
# How a restore of recording_ids reads; its result lists every id asked about (``recordings``).
ID_STRATEGIES = (PER_ID, BIN_LISTING)
# What a restore plans with, of each listed recording.
PLAN_FIELDS = ('id', 'status', 'ownerEmail', 'ownerId', 'createTime')

# A deliberately simple check: one @, no blanks, a dot in the domain. The API has the last word.
_EMAIL_RE = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s.]+$')


def is_blank(value):
    """None, empty or only blanks."""
    return value is None or not str(value).strip()


def id_problem(recording_id):
    """Why ``recording_id`` cannot be sent, or None. An id travels as exactly one URL path segment
    (percent-encoded): ``.`` and ``..`` would be removed as dot segments and steer the request to
    another path, ``/`` and ``\\`` separate segments for some HTTP stacks, and blanks or control
    characters are never part of a Webex id. Surrounding blanks are ignored."""
    if is_blank(recording_id):
        return 'an id must not be empty or blank'
    value = str(recording_id).strip()
    if value in ('.', '..'):
        return 'an id must not be "." or "..", which a URL path resolves to another endpoint'
    if any(char in value for char in '/\\'):
        return 'an id must not contain "/" or "\\" (it must travel as exactly one URL path segment)'
    if any(char.isspace() or ord(char) < 32 or 127 <= ord(char) < 160 for char in value):
        return 'an id must not contain blanks or control characters'
    return None


def is_email(value):
    """A deliberately simple check (one @, no blanks, a dot in the domain); the API has the last word."""
    return bool(_EMAIL_RE.match((value or '').strip()))


def email_key(email):
    """The form under which two owner emails are the same owner: Webex compares them case-insensitively."""
    return (email or '').strip().lower()


def validate_reading(params):
    """Rules of the options that shape the reads (lookback_days, max_concurrency)."""
    errors = []
    lookback_days = params.get('lookback_days')
    if lookback_days is not None and lookback_days < 1:
        errors.append('lookback_days must be at least 1, got %s' % lookback_days)
    max_concurrency = params.get('max_concurrency')
    if max_concurrency is not None and not MIN_CONCURRENCY <= max_concurrency <= MAX_CONCURRENCY:
        errors.append('max_concurrency must be between %d and %d, got %s' % (MIN_CONCURRENCY, MAX_CONCURRENCY, max_concurrency))
    return errors


def validate_restore(params):
    """Rules of webex_recording_restore that the argspec cannot express; messages name the option and the rule.
    The selection options (owners, filters, window) are checked by _selection.validate_selection."""
    errors = []
    recording_ids = params.get('recording_ids')
    if recording_ids is not None:
        if not recording_ids:
            errors.append('recording_ids must not be an empty list')
        for index, value in enumerate(recording_ids):
            problem = id_problem(value)
            if problem:
                errors.append('recording_ids item %d (%r): %s' % (index + 1, value, problem))
    restore_all = params.get('restore_all')
    if params.get('owner_email') is not None and restore_all is not True:
        errors.append('owner_email requires restore_all: true (it names the owner whose whole recycle bin is restored)')
    if not restore_all and recording_ids is None and params.get('owner_emails') is None and not params.get('all_owners'):
        errors.append('restore_all is false and neither recording_ids, owner_emails nor all_owners: true is set: nothing to restore')
    if restore_all and params.get('all_owners'):
        errors.append('restore_all and all_owners are mutually exclusive: all_owners already restores every owner selected')
    if params.get('all_owners') and params.get('max_restores') is None:
        errors.append('all_owners requires max_restores: the most recordings this run may restore (it fails before any write above it)')
    max_restores = params.get('max_restores')
    if max_restores is not None and max_restores < 0:
        errors.append('max_restores must be 0 or more, got %s' % max_restores)
    return errors


# -- listing windows -----------------------------------------------------------------------------

def _iso(moment):
    return moment.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def windows_between(start, end):
    """Contiguous (from, to) ISO 8601 windows covering [start, end), newest first, each of at most
    WINDOW_DAYS (29) days."""
    start = start.astimezone(timezone.utc).replace(microsecond=0)
    end = end.astimezone(timezone.utc).replace(microsecond=0)
    windows = []
    window_end = end
    while window_end > start:
        window_start = max(start, window_end - timedelta(days=WINDOW_DAYS))
        windows.append((_iso(window_start), _iso(window_end)))
        window_end = window_start
    return windows


def lookback_windows(now, lookback_days):
    """The windows of [now - lookback_days, now + 1 day): the end lies in the future so that a
    recording created "just now" (or by a server whose clock is ahead) is not missed."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    now = now.replace(microsecond=0)
    return windows_between(now - timedelta(days=lookback_days), now + timedelta(days=1))


def sub_window_count(dense_windows, max_concurrency):
    """Into how many pieces each of ``dense_windows`` windows (first page full, more pages linked) may
    be cut: enough to give every worker a task, ceil(max_concurrency / dense), when there are fewer
    dense windows than workers; else 1 (their cursors are followed: splitting would only add reads)."""
    if dense_windows < 1 or dense_windows >= max_concurrency:
        return 1
    return -(-max_concurrency // dense_windows)


def _parse_iso(text):
    try:
        return datetime.strptime(str(text), '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def dense_window_parts(window, first_page, parts):
    """The sub-windows a dense window is read as, or None to follow its cursor instead.

    A hint, never a condition of correctness: the oldest createTime on the first page estimates the
    window's density (a server listing newest first has read [oldest, end) on that page). The
    window is split only when the estimate exceeds 2 x ``parts`` pages, into [oldest, end) (re-read
    whole: nothing is assumed about what the first page held) and ``parts`` equal pieces of
    [start, oldest). Together they are the whole window, half-open: every recording falls in exactly
    one of them, whatever the order the server lists in.
    """
    start, end = [_parse_iso(text) for text in window]
    times = [moment for moment in (_parse_iso(item.get('createTime')) for item in first_page) if moment is not None]
    if start is None or end is None or parts < 2 or not times:
        return None
    oldest = min(times)
    if not start < oldest < end:
        return None
    estimated_pages = len(first_page) * (end - start).total_seconds() / (end - oldest).total_seconds() / MAX_IDS_PER_RESTORE
    seconds = int((oldest - start).total_seconds())
    if estimated_pages < 2 * parts or seconds < parts:
        return None
    cuts = [start + timedelta(seconds=seconds * index // parts) for index in range(parts)] + [oldest]
    return [(_iso(oldest), _iso(end))] + [(_iso(cuts[index]), _iso(cuts[index + 1])) for index in range(parts)]


def newest_first(items):
    """Listed recordings newest first, ties by id: an order of our own, so that the result does not
    depend on how the listing was cut or on the order the server used."""
    ordered = sorted(items, key=lambda item: str(item.get('id')))
    return sorted(ordered, key=lambda item: str(item.get('createTime') or ''), reverse=True)


def utc_now():
    return datetime.now(timezone.utc)


# -- strategies ----------------------------------------------------------------------------------

def unique_ids(recording_ids):
    """Ids without duplicates (nor surrounding blanks), in the order of first appearance."""
    seen = set()
    result = []
    for value in recording_ids or []:
        value = value.strip()
        if value not in seen:
            seen.add(value)
            result.append(value)
    return result


def unique_owners(owner_emails):
    """Owner emails without duplicates (compared as email_key), stripped, in the order given."""
    seen = set()
    result = []
    for email in owner_emails or []:
        if email_key(email) not in seen:
            seen.add(email_key(email))
            result.append(email.strip())
    return result


def choose_read_strategy(unique_count, windows):
    """PER_ID costs N reads (one GET per unique id); BIN_LISTING costs W + extra pages + the ids not
    found in the bin. The listing is chosen when N > W, the only cost known before reading."""
    return BIN_LISTING if unique_count > windows else PER_ID


def choose_owner_strategy(owner_count):
    """PER_OWNER lists one owner's bin (W windows) and restores it with one restoreAll; ORG_SWEEP
    lists the org's bin once (W windows) for every owner, cheaper than owners x W as soon as owners > 1."""
    return ORG_SWEEP if owner_count > 1 else PER_OWNER


def batches(ids, size=MAX_IDS_PER_RESTORE):
    """[ids] cut in consecutive lists of at most ``size`` (the restore endpoint's limit)."""
    return [list(ids[start:start + size]) for start in range(0, len(ids), size)]


# -- plan ----------------------------------------------------------------------------------------

def status_of(recording):
    """'deleted', 'available', 'purged' or 'not_found' for a recording dict (None when the API said 404)."""
    if recording is None:
        return 'not_found'
    return recording.get('status') or 'not_found'


def build_restore_plan(requested_ids, recordings):
    """Decide per id. ``recordings`` maps id -> recording dict as read (None for 404).

    Returns {ids, to_restore, already_available, missing, batches, before, owner_of}.
    """
    ids = unique_ids(requested_ids)
    plan = {'ids': ids, 'to_restore': [], 'already_available': [], 'missing': [], 'before': {}, 'owner_of': {}, 'owner_id_of': {}}
    for recording_id in ids:
        recording = recordings.get(recording_id)
        status = status_of(recording)
        plan['before'][recording_id] = status
        plan['owner_of'][recording_id] = (recording or {}).get('ownerEmail')
        plan['owner_id_of'][recording_id] = (recording or {}).get('ownerId')
        if status == 'deleted':
            plan['to_restore'].append(recording_id)
        elif status == 'available':
            plan['already_available'].append(recording_id)
        else:
            plan['missing'].append(recording_id)
    plan['batches'] = batches(plan['to_restore'])
    return plan


def plan_from_bin(items):
    """Plan of a whole-bin restore: every listed recording is to be restored."""
    recordings = dict((item['id'], item) for item in items)
    return build_restore_plan([item['id'] for item in items], recordings)


def items_of_owners(items, owner_emails):
    """The listed items owned by one of ``owner_emails``, grouped in the order of the owners."""
    position = dict((email_key(email), index) for index, email in enumerate(owner_emails))
    grouped = [[] for dummy in owner_emails]
    for item in items:
        index = position.get(email_key(item.get('ownerEmail')))
        if index is not None:
            grouped[index].append(item)
    return [item for group in grouped for item in group]


# -- outcome of the writes -----------------------------------------------------------------------

def new_outcome():
    """What the writes did: ids restored and failed, the status after of each, the errors and
    trackingIds, and the trackingId of the failure of each failed id."""
    return {'restored': [], 'failed': [], 'status_after': {}, 'errors': [], 'tracking_ids': [], 'tracking_of': {}}


def outcome_restored(recording_ids):
    """Every id restored (a 2xx answer, or a read showing it available)."""
    outcome = new_outcome()
    outcome['restored'] = list(recording_ids)
    outcome['status_after'] = dict((recording_id, 'available') for recording_id in recording_ids)
    return outcome


def outcome_failed(recording_ids, error, tracking_id=None, status_after='deleted'):
    """Every id failed with ``error`` (a text); ``status_after`` as last known."""
    outcome = new_outcome()
    outcome['failed'] = list(recording_ids)
    outcome['status_after'] = dict((recording_id, status_after) for recording_id in recording_ids)
    outcome['errors'] = [str(error)]
    if tracking_id:
        outcome['tracking_ids'] = [tracking_id]
        outcome['tracking_of'] = dict((recording_id, tracking_id) for recording_id in recording_ids)
    return outcome


def merge_outcome(total, outcome):
    """Add ``outcome`` into ``total`` and return ``total``."""
    total['restored'].extend(outcome['restored'])
    total['failed'].extend(outcome['failed'])
    total['status_after'].update(outcome['status_after'])
    total['errors'].extend(outcome['errors'])
    for tracking_id in outcome['tracking_ids']:
        if tracking_id not in total['tracking_ids']:
            total['tracking_ids'].append(tracking_id)
    for recording_id, tracking_id in outcome['tracking_of'].items():
        total['tracking_of'].setdefault(recording_id, tracking_id)
    return total


def predicted_outcome(plan):
    """Check mode, or a 2xx answer to restoreAll: every planned id restored."""
    return outcome_restored(plan['to_restore'])


# -- result --------------------------------------------------------------------------------------

def empty_result(strategy):
    """The result keys every run returns, before anything was read."""
    result = {'restored': [], 'already_available': [], 'missing': [], 'failed_ids': [], 'tracking_ids': [],
              'counts': count_result({}), 'strategy': strategy}
    if strategy in ID_STRATEGIES:
        result['recordings'] = []
    return result


def count_result(result):
    """How many recordings each id list of a result holds (``failed`` counts ``failed_ids``)."""
    counts = dict((key, len(result.get(key) or [])) for key in ('restored', 'already_available', 'missing'))
    counts['failed'] = len(result.get('failed_ids') or [])
    return counts


def _record(plan, outcome, recording_id, restored, failed):
    before = plan['before'][recording_id]
    if recording_id in plan['missing']:
        after, action = before, 'missing'
    elif before == 'available':
        after, action = 'available', 'none'
    elif recording_id in restored:
        after, action = 'available', 'restore'
    elif recording_id in failed:
        after, action = outcome['status_after'].get(recording_id, 'deleted'), 'failed'
    else:
        after, action = before, 'none'
    return {'id': recording_id, 'owner_email': plan['owner_of'].get(recording_id), 'owner_id': plan['owner_id_of'].get(recording_id),
            'status_before': before, 'status_after': after, 'action': action}


def build_result(plan, outcome, strategy, owner_emails=None):
    """(result with ``changed``, diff) of a run; ``owner_emails``: the owners asked about, if any.

    A restore of recording_ids answers per id (``recordings``). A bin restore answers per owner
    (``owners``: ids by outcome) and in the id lists, without a dict per recording: at 50,000
    recordings that dict was most of the result Ansible has to carry.
    """
    restored = set(outcome['restored'])
    failed = set(outcome['failed'])
    records = [_record(plan, outcome, recording_id, restored, failed) for recording_id in plan['ids']]
    result = {
        'changed': bool(restored),
        'restored': [r['id'] for r in records if r['action'] == 'restore'],
        'already_available': [r['id'] for r in records if r['action'] == 'none' and r['status_before'] == 'available'],
        'missing': [r['id'] for r in records if r['action'] == 'missing'],
        'failed_ids': [r['id'] for r in records if r['action'] == 'failed'],
        'tracking_ids': list(outcome['tracking_ids']),
        'strategy': strategy,
    }
    result['counts'] = count_result(result)
    if strategy in ID_STRATEGIES:
        result['recordings'] = records
    if owner_emails is not None:
        result['owners'] = build_owners(records, owner_emails, outcome)
    return result, build_diff(records)


def owner_key(owner_email, owner_id):
    """How per-owner results are keyed: the owner's email, or its id when it has none (workspaces,
    virtual lines)."""
    return (owner_email or '').strip() or owner_id or ''


def match_key(key):
    """The form under which two owner keys (emails or owner ids) are the same owner."""
    return email_key(key) if '@' in key else key


def owners_of(items):
    """The owner keys of listed recordings, in the order first seen."""
    keys = []
    seen = set()
    for item in items:
        key = owner_key(item.get('ownerEmail'), item.get('ownerId'))
        if match_key(key) not in seen:
            seen.add(match_key(key))
            keys.append(key)
    return keys


def build_owners(records, owner_keys, outcome):
    """{owner as given (email, or owner id): {restored, failed, tracking_id}} of a bin restore."""
    owners = {}
    by_key = {}
    for key in owner_keys:
        owners[key] = {'restored': [], 'failed': [], 'tracking_id': None}
        by_key[match_key(key)] = owners[key]
    for record in records:
        entry = by_key.get(match_key(owner_key(record['owner_email'], record['owner_id'])))
        if entry is None:
            continue
        if record['action'] == 'restore':
            entry['restored'].append(record['id'])
        elif record['action'] == 'failed':
            entry['failed'].append(record['id'])
            if entry['tracking_id'] is None:
                entry['tracking_id'] = outcome['tracking_of'].get(record['id'])
    return owners


def build_diff(records):
    """Before/after status of every recording that exists (missing ids have no state to show)."""
    before = {}
    after = {}
    for record in records:
        if record['status_before'] in ('deleted', 'available'):
            before[record['id']] = record['status_before']
            after[record['id']] = record['status_after']
    return {'before': {'recordings': before}, 'after': {'recordings': after}}


# -- messages ------------------------------------------------------------------------------------

def _short_list(values, limit=20):
    values = list(values)
    text = ', '.join(values[:limit])
    if len(values) > limit:
        text += ' and %d more' % (len(values) - limit)
    return text


def cap_message(count, max_restores):
    return ('max_restores: the selection holds %d recording(s) in the recycle bin, more than max_restores=%d; nothing was '
            'restored. Narrow the selection or raise max_restores.' % (count, max_restores))


def missing_message(missing_ids, param='recording_ids'):
    return ('%s: %d recording(s) not found, purged or not visible to this token (missing=fail, nothing was restored): %s'
            % (param, len(missing_ids), _short_list(missing_ids)))


def missing_warning(missing_ids, param='recording_ids'):
    return ('%s: %d recording(s) not found, purged or not visible to this token were skipped (missing=warn): %s'
            % (param, len(missing_ids), _short_list(missing_ids)))


def failure_message(result):
    """Why the task fails after every batch was tried; names recordings, owners and trackingIds."""
    parts = ['%d recording(s) are still in the recycle bin after the restore: %s'
             % (len(result['failed_ids']), _short_list(result['failed_ids']))]
    failed_owners = sorted(email for email, entry in (result.get('owners') or {}).items() if entry['failed'])
    if failed_owners:
        parts.append('owners with failures: %s' % _short_list(failed_owners))
    if result['tracking_ids']:
        parts.append('trackingId: %s' % _short_list(result['tracking_ids']))
    return '; '.join(parts)
