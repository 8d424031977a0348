# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""Pure decisions of a restore: read strategy, restore plan and its batches, outcomes, result, diff
and messages, in the collection's words (recording fields of _api.RECORDING_FIELDS). No HTTP, no
AnsibleModule: everything here is unit-tested alone.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.webexops.recordings.plugins.module_utils._values import match_key, owner_key, unique_ids
from ansible_collections.webexops.recordings.plugins.module_utils._windows import instant_key

MAX_IDS_PER_RESTORE = 100   # a restore request takes at most 100 ids

PER_ID = 'per_id'
BIN_LISTING = 'bin_listing'
CALLER_BIN = 'caller_bin'
PER_OWNER = 'per_owner'
ORG_SWEEP = 'org_sweep'
# How a restore of recording_ids reads; its result lists every id asked about (``recordings``).
ID_STRATEGIES = (PER_ID, BIN_LISTING)
# What a bin restore's result may say of each owner besides its ids (``owners``): those of an API's listings (its
# profile's ``owner_fields``: Converged owner_type, Meetings owner_name, the hostDisplayName), null when unknown.
OWNER_FIELDS = ('owner_type', 'owner_name')
# What a restore plans with, of each listed recording.
# site_url and share_to_me: where an API has them (Meetings); a recording shared with the caller is not its to restore.
# Of OWNER_FIELDS each API has one, so a recording costs one short field more.
PLAN_FIELDS = ('id', 'status', 'owner_email', 'owner_id', 'create_time', 'site_url', 'share_to_me') + OWNER_FIELDS


# -- strategies ----------------------------------------------------------------------------------

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


def keyed_batches(ids, key_of):
    """[(key, ids)]: the ids grouped by key_of[id] (what one restore request's ids must share), in the
    order keys first appear, each group cut in batches of at most MAX_IDS_PER_RESTORE."""
    groups = {}
    order = []
    for recording_id in ids:
        key = key_of.get(recording_id, ())
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(recording_id)
    return [(key, batch) for key in order for batch in batches(groups[key])]


# -- plan ----------------------------------------------------------------------------------------

def status_of(recording):
    """'deleted', 'available', 'purged' or 'not_found' for a recording dict (None when the API said 404)."""
    if recording is None:
        return 'not_found'
    return recording.get('status') or 'not_found'


def build_restore_plan(requested_ids, recordings, batch_key=None):
    """Decide per id. ``recordings`` maps id -> recording (the collection's fields) as read (None
    for 404); ``batch_key(recording)`` what the ids of one restore request must share (the API's).

    Returns {ids, to_restore, already_available, missing, not_restorable, batches [(key, ids)], before, owner_of,
    owner_id_of, created_of, owner_facts ({owner match key: {owner field: value}}, one per owner, not per recording)}.
    A recording in the bin that is only shared with the caller (``share_to_me``) is not restorable: never sent, and
    missing as far as on_missing is concerned. More ids than one request takes are batched newest first, so that the
    ids of a batch lie close in time: a write whose answer is lost is then verified with a short listing (_recordings).
    """
    ids = unique_ids(requested_ids)
    plan = {'ids': ids, 'to_restore': [], 'already_available': [], 'missing': [], 'not_restorable': [], 'before': {}, 'owner_of': {},
            'owner_id_of': {}, 'created_of': {}, 'owner_facts': {}}
    key_of = {}
    for recording_id in ids:
        recording = recordings.get(recording_id)
        status = status_of(recording)
        plan['before'][recording_id] = status
        plan['owner_of'][recording_id] = (recording or {}).get('owner_email')
        plan['owner_id_of'][recording_id] = (recording or {}).get('owner_id')
        plan['created_of'][recording_id] = (recording or {}).get('create_time')
        if recording:
            _note_owner(plan['owner_facts'], recording)
        if status == 'deleted' and recording.get('share_to_me'):
            plan['not_restorable'].append(recording_id)
            plan['missing'].append(recording_id)
        elif status == 'deleted':
            plan['to_restore'].append(recording_id)
            if batch_key is not None:
                key_of[recording_id] = batch_key(recording)
        elif status == 'available':
            plan['already_available'].append(recording_id)
        else:
            plan['missing'].append(recording_id)
    plan['batches'] = keyed_batches(_newest_first(plan['to_restore'], plan['created_of']), key_of)
    return plan


def _note_owner(facts, recording):
    """Keep in ``facts`` what ``recording`` says of its owner (OWNER_FIELDS) that no earlier one of the owner said."""
    found = [(name, recording.get(name)) for name in OWNER_FIELDS if recording.get(name)]
    if found:
        entry = facts.setdefault(match_key(owner_key(recording.get('owner_email'), recording.get('owner_id'))), {})
        for name, value in found:
            entry.setdefault(name, value)


def _newest_first(ids, created_of):
    """``ids`` newest first when they need more than one request (one request: as given)."""
    if len(ids) <= MAX_IDS_PER_RESTORE:
        return ids
    key = instant_key([created_of.get(recording_id) for recording_id in ids])
    known = sorted((rid for rid in ids if created_of.get(rid)), key=lambda rid: key(created_of.get(rid)), reverse=True)
    return known + [rid for rid in ids if not created_of.get(rid)]


def plan_from_bin(recordings, batch_key=None):
    """Plan of a whole-bin restore: every listed recording is to be restored (those only shared with the
    caller are not in its bin)."""
    recordings = [recording for recording in recordings if not recording.get('share_to_me')]
    return build_restore_plan([recording['id'] for recording in recordings],
                              dict((recording['id'], recording) for recording in recordings), batch_key)


def of_owners(recordings, owner_emails):
    """The listed recordings owned by one of ``owner_emails``, grouped in the order of the owners."""
    position = dict((match_key(email), index) for index, email in enumerate(owner_emails))
    grouped = [[] for dummy in owner_emails]
    for recording in recordings:
        index = position.get(match_key(recording.get('owner_email') or ''))
        if index is not None:
            grouped[index].append(recording)
    return [recording for group in grouped for recording in group]


# -- outcome of the writes -----------------------------------------------------------------------

def new_outcome():
    """What the writes did: ids restored, failed (still in the recycle bin) and unknown (a write that may
    have been applied and could not be verified), the status after of each, the errors and trackingIds,
    and the trackingId of the failure of each failed or unknown id."""
    return {'restored': [], 'failed': [], 'unknown': [], 'status_after': {}, 'errors': [], 'tracking_ids': [], 'tracking_of': {}}


def outcome_restored(recording_ids):
    """Every id restored (a 2xx answer, or a read showing it available)."""
    outcome = new_outcome()
    outcome['restored'] = list(recording_ids)
    outcome['status_after'] = dict((recording_id, 'available') for recording_id in recording_ids)
    return outcome


def outcome_failed(recording_ids, error, tracking_id=None, status_after='deleted'):
    """Every id failed with ``error`` (a text); ``status_after`` as last known."""
    outcome = _outcome_of('failed', recording_ids, error, tracking_id)
    outcome['status_after'] = dict((recording_id, status_after) for recording_id in recording_ids)
    return outcome


def outcome_unknown(recording_ids, error, tracking_id=None):
    """Every id of a write that may have been applied and that could not be verified (``error``):
    neither restored nor still in the bin as far as we know. The next run settles it."""
    return _outcome_of('unknown', recording_ids, error, tracking_id)


def _outcome_of(kind, recording_ids, error, tracking_id):
    outcome = new_outcome()
    outcome[kind] = list(recording_ids)
    outcome['status_after'] = dict((recording_id, kind) for recording_id in recording_ids)
    outcome['errors'] = [str(error)]
    if tracking_id:
        outcome['tracking_ids'] = [tracking_id]
        outcome['tracking_of'] = dict((recording_id, tracking_id) for recording_id in recording_ids)
    return outcome


def merge_outcome(total, outcome):
    """Add ``outcome`` into ``total`` and return ``total``."""
    total['restored'].extend(outcome['restored'])
    total['failed'].extend(outcome['failed'])
    total['unknown'].extend(outcome['unknown'])
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
    result = {'restored': [], 'already_available': [], 'missing': [], 'failed_ids': [], 'unknown': [], 'tracking_ids': [],
              'counts': count_result({}), 'strategy': strategy}
    if strategy in ID_STRATEGIES:
        result['recordings'] = []
    return result


def count_result(result):
    """How many recordings each id list of a result holds (``failed`` counts ``failed_ids``)."""
    counts = dict((key, len(result.get(key) or [])) for key in ('restored', 'already_available', 'missing', 'unknown'))
    counts['failed'] = len(result.get('failed_ids') or [])
    return counts


def _record(plan, outcome, recording_id, restored, failed, unknown):
    before = plan['before'][recording_id]
    if recording_id in plan['missing']:
        after, action = before, ('not_restorable' if recording_id in plan['not_restorable'] else 'missing')
    elif before == 'available':
        after, action = 'available', 'none'
    elif recording_id in restored:
        after, action = 'available', 'restore'
    elif recording_id in failed:
        after, action = outcome['status_after'].get(recording_id, 'deleted'), 'failed'
    elif recording_id in unknown:
        after, action = 'unknown', 'unknown'
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
    unknown = set(outcome['unknown'])
    records = [_record(plan, outcome, recording_id, restored, failed, unknown) for recording_id in plan['ids']]
    result = {
        'changed': bool(restored),
        'restored': [r['id'] for r in records if r['action'] == 'restore'],
        'already_available': [r['id'] for r in records if r['action'] == 'none' and r['status_before'] == 'available'],
        'missing': [r['id'] for r in records if r['action'] in ('missing', 'not_restorable')],
        'failed_ids': [r['id'] for r in records if r['action'] == 'failed'],
        'unknown': [r['id'] for r in records if r['action'] == 'unknown'],
        'tracking_ids': list(outcome['tracking_ids']),
        'strategy': strategy,
    }
    result['counts'] = count_result(result)
    if strategy in ID_STRATEGIES:
        result['recordings'] = records
    if plan['not_restorable']:
        result['not_restorable'] = list(plan['not_restorable'])
    if owner_emails is not None:
        result['owners'] = build_owners(records, owner_emails, outcome, plan['owner_facts'], plan.get('owner_fields', ()))
    return result, build_diff(records)


def owners_of(recordings):
    """The owner keys of listed recordings, in the order first seen."""
    keys = []
    seen = set()
    for recording in recordings:
        key = owner_key(recording.get('owner_email'), recording.get('owner_id'))
        if match_key(key) not in seen:
            seen.add(match_key(key))
            keys.append(key)
    return keys


def build_owners(records, owner_keys, outcome, owner_facts=None, owner_fields=()):
    """{owner as given (email, or owner id): {restored, failed, unknown, tracking_id} and ``owner_fields``} of a bin
    restore. ``owner_fields`` (the API's, of OWNER_FIELDS) are in every entry: as ``owner_facts`` (the plan's) say, else None."""
    owners = {}
    by_key = {}
    for key in owner_keys:
        facts = (owner_facts or {}).get(match_key(key)) or {}
        owners[key] = {'restored': [], 'failed': [], 'unknown': [], 'tracking_id': None}
        owners[key].update((name, facts.get(name)) for name in owner_fields)
        by_key[match_key(key)] = owners[key]
    for record in records:
        entry = by_key.get(match_key(owner_key(record['owner_email'], record['owner_id'])))
        if entry is None:
            continue
        if record['action'] == 'restore':
            entry['restored'].append(record['id'])
        elif record['action'] in ('failed', 'unknown'):
            entry[record['action']].append(record['id'])
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

def short_list(values, limit=20):
    values = list(values)
    text = ', '.join(values[:limit])
    if len(values) > limit:
        text += ' and %d more' % (len(values) - limit)
    return text


def cap_message(count, max_restores):
    return ('max_restores: the selection holds %d recording(s) in the recycle bin, more than max_restores=%d; nothing was '
            'restored. Narrow the selection or raise max_restores.' % (count, max_restores))


def _shared_note(not_restorable):
    if not not_restorable:
        return ''
    return ('; of these, %d are only shared with you, not hosted by you, and not yours to restore (their host or an '
            'administrator can): %s' % (len(not_restorable), short_list(not_restorable)))


def missing_message(missing_ids, param='recording_ids', not_restorable=()):
    return ('%s: %d recording(s) not found, purged or not visible to this token (on_missing=fail, nothing was restored): %s%s'
            % (param, len(missing_ids), short_list(missing_ids), _shared_note(not_restorable)))


def missing_warning(missing_ids, param='recording_ids', not_restorable=()):
    return ('%s: %d recording(s) not found, purged or not visible to this token were skipped (on_missing=warn): %s%s'
            % (param, len(missing_ids), short_list(missing_ids), _shared_note(not_restorable)))


def failure_message(result):
    """Why the task fails after every batch was tried; names recordings, owners and trackingIds."""
    parts = []
    if result['failed_ids']:
        parts.append('%d recording(s) are still in the recycle bin after the restore: %s'
                     % (len(result['failed_ids']), short_list(result['failed_ids'])))
    if result.get('unknown'):
        parts.append('%d recording(s) may or may not have been restored: a restore request went unanswered and checking '
                     'it did not finish (run again to settle them): %s' % (len(result['unknown']), short_list(result['unknown'])))
    for kind, label in (('failed', 'owners with failures'), ('unknown', 'owners with unverified restores')):
        owners = sorted(key for key, entry in (result.get('owners') or {}).items() if entry.get(kind))
        if owners:
            parts.append('%s: %s' % (label, short_list(owners)))
    if result['tracking_ids']:
        parts.append('trackingId: %s' % short_list(result['tracking_ids']))
    return '; '.join(parts)
