#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: webex_recording_restore
short_description: Restore Webex call recordings from the recycle bin
version_added: 0.1.0
description:
  - Restores recordings of the Webex Converged Recordings API (Webex Calling recordings) from the recycle bin,
    by id (O(recording_ids)), the whole bin of the caller or of one owner (O(restore_all), O(owner_email)),
    or the whole bin of several owners (O(owner_emails)).
  - Reads the state first and writes only what is still in the recycle bin, so running it twice changes nothing the second time.
  - Every broken combination of options is refused before any request.
  - "Required scopes: a user token needs C(spark:recordings_read) and C(spark:recordings_write) and restores only its own recordings;
    an administrator token needs C(spark-admin:recordings_read) and C(spark-admin:recordings_write) and may restore any recording
    of the organization it manages."
  - "Batching: the API takes at most 100 ids per restore request; more ids are sent in batches of at most 100,
    up to O(max_concurrency) batches in flight. Duplicate ids are restored once."
  - "Request counts (without retries; every retry adds one request and is counted in RV(requests.retries)).
    N is the number of unique ids, W the number of listing windows, W = ceil((O(lookback_days) + 1) / 29)
    (W = 13 for the default 365 days), P the extra pages (a window with more than 100 recordings in the bin needs one more read per 100)."
  - "Listings: the first page of the newest window is read alone (so a refused listing costs one request), then the windows are read
    up to O(max_concurrency) at once, the pages of one window in order. The order of the requests on the wire varies, their number does not;
    the result is the same as a sequential listing. When one window fails, the windows after it are not started and the task fails with
    the error of the first failed window (no partial listing is used)."
  - "O(recording_ids), per id strategy, used when N <= W: reads = N (one C(GET /convergedRecordings/{id}) each,
    O(max_concurrency) in flight); writes = ceil(D / 100) where D is the number of ids found in the recycle bin."
  - "O(recording_ids), bin listing strategy, used when N > W: the organization's bin is listed
    (C(GET /admin/convergedRecordings?status=deleted&max=100) over the W windows, following every page); when the token is not an administrator
    the first listing answers 403 and the module lists the caller's own bin (C(GET /convergedRecordings)) instead, which costs that one extra request.
    Then one C(GET /convergedRecordings/{id}) for each requested id not found in the bin (U), to tell an available recording from a missing one.
    reads = W (+1 if the administrator listing was refused) + P + U; writes = ceil(D / 100)."
  - "O(restore_all) with O(owner_email) (administrator endpoint with C(ownerEmail)):
    reads = W + P; writes = 1 C(restoreAll) request when the bin holds something, else 0."
  - "O(restore_all) without O(owner_email) (the caller's own bin): one read of the administrator listing first
    (C(GET /admin/convergedRecordings?max=1)) tells an administrator token, which must set O(owner_email), from a user token (403):
    an administrator token fails with reads = 1, writes = 0, in check mode too. A user token: reads = 1 + W + P,
    writes = 1 C(restoreAll) request when the bin holds something, else 0."
  - "O(owner_emails) with one owner: as O(owner_email). With more owners (owners x W > W) one organization-wide sweep is cheaper in reads:
    reads = W + P (the pages also hold other owners' recordings), then the recordings of the requested owners (matched case-insensitively)
    are restored by id: writes = ceil(T / 100), T the number of their recordings in the bin."
  - "A write whose outcome is unknown (timeout, dropped connection, 500/502/503/504 answer) is never repeated blindly:
    the module reads the status of every id of that request again (one C(GET) each, counted in RV(requests.reads)) and re-sends only the ids still in the bin,
    waiting and counting against O(retry_max_wait). Nothing is reported as restored without a 2xx answer or a read showing it available."
  - "The listings filter on creation time: a recording created long ago and deleted yesterday is only found when O(lookback_days) covers its creation.
    Webex keeps call recordings for one year, hence the default of 365 days. The windows end one day in the future so that nothing created just now is missed."
author:
  - Contributors to the webexops.recordings collection (@webexops)
requirements:
  - python >= 3.6
  - requests
extends_documentation_fragment:
  - webexops.recordings.connection
attributes:
  check_mode:
    description: Every read is made, no write. The result has the same shape; RV(restored) lists what would be restored and C(changed) is exact.
    support: full
  diff_mode:
    description: Shows the status of every existing recording concerned, before and after.
    support: full
  platform:
    description: Runs wherever Python and C(requests) can reach the Webex API, usually C(localhost).
    support: full
    platforms: all
  action_group:
    description: Use C(group/webexops.recordings.webex) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - webexops.recordings.webex
options:
  recording_ids:
    description:
      - Ids of the recordings to restore.
      - Ids already available are reported in RV(already_available) and not written.
      - Ids unknown, purged or not visible to the token are handled as O(missing) says.
      - "An id is accepted when, after surrounding blanks are removed, it is not empty, is not V(.) or V(..), and holds no V(/), V(\\),
        blank or control character: it is sent percent-encoded as exactly one URL path segment. Any other id fails the task before any request."
      - Mutually exclusive with O(restore_all), O(owner_email) and O(owner_emails).
    type: list
    elements: str
  restore_all:
    description:
      - Restore the whole recycle bin of the caller (user token) or, with O(owner_email), of that owner (administrator token).
      - An administrator token must set O(owner_email).
    type: bool
  owner_email:
    description:
      - Owner whose whole recycle bin is restored. Administrator token only. Requires O(restore_all=true).
    type: str
  owner_emails:
    description:
      - Owners whose whole recycle bins are restored. Administrator token only.
      - Results per owner are in RV(owners).
      - Mutually exclusive with O(recording_ids), O(restore_all) and O(owner_email).
    type: list
    elements: str
  missing:
    description:
      - What to do with requested ids that do not exist, are purged, or are not visible to the token.
      - V(fail) fails the task before any write and names them.
      - V(warn) restores the others and warns about them.
    type: str
    choices: [fail, warn]
    default: fail
  lookback_days:
    description:
      - How far back (in days of creation time) the recycle bin is listed. At least 1.
      - Listings are made in windows of 29 days, one day inside the 30 days the administrator listing allows.
    type: int
    default: 365
  max_concurrency:
    description:
      - Requests in flight at once (listing windows, reads per id and restore batches), from 1 to 32.
    type: int
    default: 4
notes:
  - The token needs no other scope; a compliance officer token cannot restore.
  - Retries of V(429) and V(423) answers honour C(Retry-After); every retry is logged and summarized in a warning.
seealso:
  - name: Restore Recordings from Recycle Bin
    description: The converged recordings restore API.
    link: https://developer.webex.com/docs/api/v1/converged-recordings/restore-recordings-from-recycle-bin
  - name: List Recordings
    description: The converged recordings list API of a user.
    link: https://developer.webex.com/docs/api/v1/converged-recordings/list-recordings
  - name: List Recordings for Admin or Compliance officer
    description: The converged recordings list API of an administrator.
    link: https://developer.webex.com/docs/api/v1/converged-recordings/list-recordings-for-admin-or-compliance-officer
  - name: Get Recording Details
    description: The converged recording details API.
    link: https://developer.webex.com/docs/api/v1/converged-recordings/get-recording-details
'''

EXAMPLES = r'''
- name: Restore three recordings (token from WEBEX_ACCESS_TOKEN)
  webexops.recordings.webex_recording_restore:
    recording_ids:
      - 7a4dd7c1-0a0b-4e2f-9f4c-0f6f2cdd1a01
      - 9b5ee8d2-1b1c-4f30-8a5d-1a7a3dee2b02
      - 3c6ff9e3-2c2d-4041-9b6e-2b8b4eff3c03

- name: Restore what exists, warn about the rest, show the plan only
  webexops.recordings.webex_recording_restore:
    access_token: "{{ lookup('ansible.builtin.env', 'WEBEX_ACCESS_TOKEN') }}"
    recording_ids: "{{ ids_from_ticket }}"
    missing: warn
  check_mode: true
  diff: true
  register: plan

- name: Restore my whole recycle bin (user token)
  webexops.recordings.webex_recording_restore:
    restore_all: true

- name: Restore the whole recycle bin of one person (administrator token)
  webexops.recordings.webex_recording_restore:
    restore_all: true
    owner_email: alice@example.com

- name: Restore the recycle bins of a team (administrator token, one organization-wide sweep)
  webexops.recordings.webex_recording_restore:
    owner_emails:
      - alice@example.com
      - bob@example.com
    lookback_days: 365
    max_concurrency: 8
    retry_max_wait: 300
  register: team_restore

- name: Set the connection once for the whole play
  module_defaults:
    group/webexops.recordings.webex:
      api_url: https://webexapis.com/v1
      timeout: 60
  block:
    - name: Restore one recording
      webexops.recordings.webex_recording_restore:
        recording_ids: [7a4dd7c1-0a0b-4e2f-9f4c-0f6f2cdd1a01]
'''

RETURN = r'''
restored:
  description: Ids restored by this run (in check mode, ids that would be restored), in the order requested or listed.
  returned: always
  type: list
  elements: str
  sample: [7a4dd7c1-0a0b-4e2f-9f4c-0f6f2cdd1a01]
already_available:
  description: Requested ids that were not in the recycle bin (nothing to do). Empty when a whole bin is restored.
  returned: always
  type: list
  elements: str
  sample: [9b5ee8d2-1b1c-4f30-8a5d-1a7a3dee2b02]
missing:
  description: Requested ids that do not exist, are purged, or are not visible to the token.
  returned: always
  type: list
  elements: str
  sample: [3c6ff9e3-2c2d-4041-9b6e-2b8b4eff3c03]
failed_ids:
  description:
    - Ids still in the recycle bin (or of unknown state) after every restore request was tried. The task fails when it is not empty.
    - Not named C(failed), which Ansible reserves for the outcome of the task.
  returned: always
  type: list
  elements: str
  sample: []
recordings:
  description: One entry per recording concerned.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Recording id.
      type: str
      returned: always
      sample: 7a4dd7c1-0a0b-4e2f-9f4c-0f6f2cdd1a01
    owner_email:
      description: Owner of the recording, as the API reported it; null for a missing recording.
      type: str
      returned: always
      sample: alice@example.com
    status_before:
      description: V(deleted) (in the recycle bin), V(available), V(purged) or V(not_found).
      type: str
      returned: always
      sample: deleted
    status_after:
      description: Status after the run (predicted in check mode); V(unknown) when it could not be read again after a write with unknown outcome.
      type: str
      returned: always
      sample: available
    action:
      description: V(restore) (restored, or would be in check mode), V(none), V(missing) or V(failed).
      type: str
      returned: always
      sample: restore
  sample:
    - id: 7a4dd7c1-0a0b-4e2f-9f4c-0f6f2cdd1a01
      owner_email: alice@example.com
      status_before: deleted
      status_after: available
      action: restore
owners:
  description: Per owner results, keyed by the email as given in O(owner_email) or O(owner_emails).
  returned: when O(owner_email) or O(owner_emails) is set
  type: dict
  contains:
    restored:
      description: Ids of that owner restored (or that would be).
      type: list
      elements: str
      returned: always
    already_available:
      description: Always empty (the whole bin is restored, there is no id list to compare).
      type: list
      elements: str
      returned: always
    missing:
      description: Always empty (the whole bin is restored).
      type: list
      elements: str
      returned: always
    failed:
      description: Ids of that owner still in the recycle bin after every batch was tried.
      type: list
      elements: str
      returned: always
    tracking_id:
      description: trackingId of the failed request of that owner, null when nothing failed.
      type: str
      returned: always
  sample:
    alice@example.com:
      restored: [7a4dd7c1-0a0b-4e2f-9f4c-0f6f2cdd1a01]
      already_available: []
      missing: []
      failed: []
      tracking_id: null
strategy:
  description: How the state was read. V(per_id), V(bin_listing), V(caller_bin) (the caller's own bin), V(per_owner) (one listing per owner) or V(org_sweep).
  returned: always
  type: str
  sample: per_id
requests:
  description: Requests actually sent to the API, retries included.
  returned: always
  type: dict
  contains:
    reads:
      description: GET requests sent.
      type: int
      returned: always
      sample: 3
    writes:
      description: POST restore requests sent.
      type: int
      returned: always
      sample: 1
    retries:
      description: Requests that repeated an earlier one (429, 423, 502, 503, 504, connection failures of reads, re-sends after a reconciled unknown outcome).
      type: int
      returned: always
      sample: 0
  sample:
    reads: 3
    writes: 1
    retries: 0
tracking_ids:
  description: trackingId of every failed request; Webex support asks for them.
  returned: always
  type: list
  elements: str
  sample: [ROUTERGW_5fa3c1e2-a1b2-4c3d-8e9f-0123456789ab]
'''

from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.webexops.recordings.plugins.module_utils import _planner as planner
from ansible_collections.webexops.recordings.plugins.module_utils._connection import build_client, connection_argument_spec
from ansible_collections.webexops.recordings.plugins.module_utils._webex_client import (
    ADMIN_LIST_PATH, HAS_REQUESTS, REQUESTS_IMPORT_ERROR, WebexApiError, WebexOutcomeUnknown, redact,
)

MUTUALLY_EXCLUSIVE = [
    ('recording_ids', 'restore_all'),
    ('recording_ids', 'owner_email'),
    ('recording_ids', 'owner_emails'),
    ('owner_email', 'owner_emails'),
    ('restore_all', 'owner_emails'),
]
REQUIRED_ONE_OF = [('recording_ids', 'restore_all', 'owner_emails')]
REQUIRED_BY = {'owner_email': 'restore_all'}
CALLER_BIN = 'caller_bin'


def argument_spec():
    spec = dict(
        recording_ids=dict(type='list', elements='str'),
        restore_all=dict(type='bool'),
        owner_email=dict(type='str'),
        owner_emails=dict(type='list', elements='str'),
        missing=dict(type='str', choices=['fail', 'warn'], default='fail'),
        lookback_days=dict(type='int', default=365),
        max_concurrency=dict(type='int', default=4),
    )
    spec.update(connection_argument_spec())
    return spec


class RestoreFailed(Exception):
    """The task fails with this message and this (complete) result."""

    def __init__(self, msg, result):
        super().__init__(msg)
        self.msg = msg
        self.result = result


def _empty_result(strategy):
    return {'restored': [], 'already_available': [], 'missing': [], 'failed_ids': [], 'recordings': [],
            'tracking_ids': [], 'strategy': strategy}


def _api_failure(prefix, exc, strategy, extra=None):
    result = _empty_result(strategy)
    if exc.tracking_id:
        result['tracking_ids'].append(exc.tracking_id)
    if extra:
        result.update(extra)
    return RestoreFailed('%s: %s' % (prefix, exc), result)


def _in_pool(function, work, max_concurrency):
    """function(item) for every item, at most max_concurrency at once; results in input order."""
    if not work:
        return []
    with ThreadPoolExecutor(max_workers=min(max_concurrency, len(work))) as pool:
        return list(pool.map(function, work))


def _read_each(client, recording_ids, max_concurrency, strategy):
    """{id: recording or None}; any error other than 404 fails the task before any write."""
    def read(recording_id):
        try:
            return recording_id, client.get_recording(recording_id), None
        except WebexApiError as exc:
            return recording_id, None, exc

    recordings = {}
    errors = []
    for recording_id, recording, error in _in_pool(read, recording_ids, max_concurrency):
        if error is not None:
            errors.append((recording_id, error))
        else:
            recordings[recording_id] = recording
    if errors:
        result = _empty_result(strategy)
        result['tracking_ids'] = [error.tracking_id for dummy, error in errors if error.tracking_id]
        raise RestoreFailed('recording_ids: reading %d recording(s) failed, nothing was restored: %s' % (
            len(errors), '; '.join('%s: %s' % (rid, error) for rid, error in errors[:5])), result)
    return recordings


def _write_batches(client, id_batches, max_concurrency):
    outcome = planner.new_outcome()
    for batch_outcome in _in_pool(client.restore_batch, id_batches, max_concurrency):
        planner.merge_outcome(outcome, batch_outcome)
    return outcome


def _list_org_or_own_bin(module, client, windows, strategy):
    """The org bin (administrator); a token refused there (403) lists its own bin instead."""
    try:
        return client.list_deleted(windows, admin=True)[0]
    except WebexApiError as exc:
        if exc.status != 403:
            raise _api_failure('recording_ids: listing the recycle bin failed, nothing was restored', exc, strategy)
        module.log('administrator listing refused (HTTP 403), listing the caller\'s own recycle bin')
    try:
        return client.list_deleted(windows, admin=False)[0]
    except WebexApiError as exc:
        raise _api_failure('recording_ids: listing the recycle bin failed (the token needs spark:recordings_read or '
                           'spark-admin:recordings_read), nothing was restored', exc, strategy)


def _finish(plan, outcome, strategy, owner_emails=None, whole_bin=False):
    """(changed, result, diff); raises RestoreFailed, with the full result, when anything failed."""
    result, diff = planner.build_result(plan, outcome, owner_emails=owner_emails, whole_bin=whole_bin)
    result['strategy'] = strategy
    if result['failed_ids']:
        msg = planner.failure_message(result)
        if outcome['errors']:
            msg += '; first error: %s' % outcome['errors'][0]
        raise RestoreFailed(msg, result)
    changed = result.pop('changed')
    return changed, result, diff


def restore_ids(module, client, windows):
    params = module.params
    ids = planner.unique_ids(params['recording_ids'])
    strategy = planner.choose_read_strategy(len(ids), len(windows))
    recordings = {}
    if strategy == planner.BIN_LISTING:
        in_bin = dict((item['id'], item) for item in _list_org_or_own_bin(module, client, windows, strategy))
        recordings.update((rid, in_bin[rid]) for rid in ids if rid in in_bin)
    unread = [rid for rid in ids if rid not in recordings]
    recordings.update(_read_each(client, unread, params['max_concurrency'], strategy))

    plan = planner.build_restore_plan(ids, recordings)
    if plan['missing']:
        if params['missing'] == 'fail':
            result, dummy = planner.build_result(plan, planner.new_outcome())
            result['strategy'] = strategy
            raise RestoreFailed(planner.missing_message(plan['missing']), result)
        module.warn(planner.missing_warning(plan['missing']))
    if module.check_mode:
        outcome = planner.predicted_outcome(plan)
    else:
        outcome = _write_batches(client, plan['batches'], params['max_concurrency'])
    return _finish(plan, outcome, strategy)


def _failed_outcome(recording_ids, exc):
    return planner.merge_outcome(planner.new_outcome(), {
        'restored': [], 'failed': list(recording_ids), 'tracking_ids': [exc.tracking_id] if exc.tracking_id else [],
        'status_after': dict((rid, 'deleted') for rid in recording_ids), 'errors': [str(exc)]})


def _restore_whole_bin_of(client, windows, owner_email, check_mode, strategy, owners):
    """List the bin of owner_email (or of the caller when None) and restore it with one restoreAll.

    Returns (items, plan, outcome).
    """
    param = 'owner_emails' if owners and len(owners) > 1 else ('owner_email' if owner_email else 'restore_all')
    extra = {'owners': planner.build_owners([], owners, planner.new_outcome())} if owners else None
    try:
        items = client.list_deleted(windows, admin=bool(owner_email), owner_email=owner_email)[0]
    except WebexApiError as exc:
        if owner_email:
            raise _api_failure('%s: listing the recycle bin of %s failed (an administrator token with spark-admin:recordings_read is needed)'
                               % (param, owner_email), exc, strategy, extra)
        raise _api_failure('restore_all: listing your own recycle bin failed. With an administrator token, set owner_email '
                           'to name whose recycle bin to restore', exc, strategy, extra)
    plan = planner.plan_from_bin(items)
    if not plan['to_restore'] or check_mode:
        return items, plan, planner.predicted_outcome(plan)
    try:
        client.restore_all(owner_email)
    except WebexOutcomeUnknown as exc:
        return items, plan, planner.merge_outcome(planner.new_outcome(), client.reconcile(plan['to_restore'], exc))
    except WebexApiError as exc:
        outcome = _failed_outcome(plan['to_restore'], exc)
        if not owner_email and exc.status == 400:
            outcome['errors'].insert(0, 'the API refused to restore the whole recycle bin without an owner: an administrator token '
                                        'must name the owner, set owner_email (%s)' % exc)
        return items, plan, outcome
    # A 2xx answer to restoreAll is the evidence that every listed recording is restored.
    return items, plan, planner.predicted_outcome(plan)


def _refuse_administrator_without_owner(client, windows):
    """An administrator's restoreAll must name the owner: ask the admin listing first (one read)."""
    try:
        client.get_json(ADMIN_LIST_PATH, params={'status': 'deleted', 'from': windows[0][0], 'to': windows[0][1], 'max': 1})
    except WebexApiError as exc:
        if exc.status == 403:
            return
        raise _api_failure('restore_all: reading the role of the token failed, nothing was restored', exc, CALLER_BIN)
    raise RestoreFailed('restore_all without owner_email: this token can list the organization\'s recordings (an administrator '
                        'token), and an administrator must name whose recycle bin to restore: set owner_email. Nothing was '
                        'restored.', _empty_result(CALLER_BIN))


def restore_whole_bin(module, client, windows):
    owner_email = module.params['owner_email']
    if not owner_email:
        _refuse_administrator_without_owner(client, windows)
    owners = [owner_email] if owner_email else None
    strategy = planner.PER_OWNER if owner_email else CALLER_BIN
    dummy, plan, outcome = _restore_whole_bin_of(client, windows, owner_email, module.check_mode, strategy, owners)
    return _finish(plan, outcome, strategy, owner_emails=owners, whole_bin=True)


def restore_owners(module, client, windows):
    params = module.params
    owners = []
    for email in params['owner_emails']:
        if email.strip().lower() not in [owner.lower() for owner in owners]:
            owners.append(email.strip())
    strategy = planner.choose_owner_strategy(len(owners), len(windows))
    if strategy == planner.PER_OWNER:
        all_items = []
        outcome = planner.new_outcome()
        for owner in owners:
            items, dummy, owner_outcome = _restore_whole_bin_of(client, windows, owner, module.check_mode, strategy, owners)
            all_items.extend(items)
            planner.merge_outcome(outcome, owner_outcome)
        return _finish(planner.plan_from_bin(all_items), outcome, strategy, owner_emails=owners, whole_bin=True)

    try:
        items = client.list_deleted(windows, admin=True)[0]
    except WebexApiError as exc:
        raise _api_failure('owner_emails: the organization-wide listing of the recycle bin failed (owner_emails needs an administrator '
                           'token with spark-admin:recordings_read and spark-admin:recordings_write)', exc, strategy,
                           {'owners': planner.build_owners([], owners, planner.new_outcome())})
    grouped = planner.group_by_owner(items, owners)
    plan = planner.plan_from_bin([item for owner in owners for item in grouped[owner]])
    if module.check_mode:
        outcome = planner.predicted_outcome(plan)
    else:
        outcome = _write_batches(client, plan['batches'], params['max_concurrency'])
    return _finish(plan, outcome, strategy, owner_emails=owners, whole_bin=True)


def run(module, client, now=None):
    """Read, plan, write unless check mode. Returns (changed, result, diff); raises RestoreFailed."""
    windows = planner.lookback_windows(now or planner.utc_now(), module.params['lookback_days'])
    if module.params['recording_ids'] is not None:
        changed, result, diff = restore_ids(module, client, windows)
    elif module.params['owner_emails'] is not None:
        changed, result, diff = restore_owners(module, client, windows)
    else:
        changed, result, diff = restore_whole_bin(module, client, windows)
    result['requests'] = client.request_counts()
    return changed, result, diff


def _retry_logger(module, events):
    def notify(event):
        events.append(event)
        module.log('webex retry %d of %s %s after %s: waiting %.1fs' % (
            event['retry'], event['method'], event['path'], event['reason'], event['wait']))
    return notify


def _warn_about_retries(module, events, max_wait):
    if not events:
        return
    reasons = {}
    for event in events:
        reasons[event['reason']] = reasons.get(event['reason'], 0) + 1
    waited = sum(event['wait'] for event in events)
    module.warn('%d Webex API request(s) were retried (%s); %.1fs waited of retry_max_wait=%gs' % (
        len(events), ', '.join('%s x%d' % item for item in sorted(reasons.items())), waited, max_wait))


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        mutually_exclusive=MUTUALLY_EXCLUSIVE,
        required_one_of=REQUIRED_ONE_OF,
        required_by=REQUIRED_BY,
        supports_check_mode=True,
    )
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    secrets = [module.params['access_token'] or '']
    problems = planner.validate_params(module.params)
    if problems:
        module.fail_json(msg=redact('; '.join(problems), secrets))

    events = []
    client = build_client(module.params, notify=_retry_logger(module, events), max_concurrency=module.params['max_concurrency'])
    try:
        changed, result, diff = run(module, client)
    except RestoreFailed as exc:
        _warn_about_retries(module, events, module.params['retry_max_wait'])
        result = dict(exc.result)
        result['requests'] = client.request_counts()
        changed = bool(result.pop('changed', False) or result.get('restored'))
        module.fail_json(msg=redact(exc.msg, secrets), changed=changed, **result)
    except WebexApiError as exc:
        _warn_about_retries(module, events, module.params['retry_max_wait'])
        result = _empty_result(None)
        result['tracking_ids'] = [exc.tracking_id] if exc.tracking_id else []
        result['requests'] = client.request_counts()
        module.fail_json(msg=redact(str(exc), secrets), **result)
    _warn_about_retries(module, events, module.params['retry_max_wait'])
    if module._diff:
        result['diff'] = diff
    module.exit_json(changed=changed, **result)


if __name__ == '__main__':
    main()
