# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""The reconciliation of a restore whose outcome is unknown (timeout, dropped connection, 5xx): which of
its ids are still in the recycle bin, re-sending only those. Functions of the service (_recordings):
``service`` gives the client, the API profile, the listing and the journal. Speaks only the
collection's words; never names an API."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from datetime import timedelta

from ansible_collections.webexops.recordings.plugins.module_utils import _planner as planner
from ansible_collections.webexops.recordings.plugins.module_utils._webex_client import WebexApiError, WebexOutcomeUnknown
from ansible_collections.webexops.recordings.plugins.module_utils._windows import parse_time, windows_between

# A write of unknown outcome with more ids than this is verified with a listing of the span of time its
# recordings were created in (a read or two), not with one read per id.
VERIFY_BY_ID_AT_MOST = 3


def still_in_bin(service, recording_ids, plan, key=()):
    """The status of ``recording_ids`` after a write of unknown outcome: ({id: status} of those
    checked, {id: error} of those that could not be checked).

    A few ids are read one by one. More are checked with one listing of the recycle bin over the
    span of time they were created in (batches are cut newest first, so the span is short: a read
    or two instead of one per id), of their owner when they have one: an id no longer listed there
    left the bin after our restore request, which is what restored it. The listing is of the batch's
    scope (``key``: the profile's batch_scope); an API whose details do not show the bin is always
    checked with a listing."""
    listing = plan.get('listing')
    created = [parse_time(plan['created_of'].get(rid)) for rid in recording_ids]
    by_id = len(recording_ids) <= VERIFY_BY_ID_AT_MOST and not service.api.lists_to_find_ids
    if listing is None or by_id or not all(created):
        return statuses_by_id(service, recording_ids)
    scope = service.api.batch_scope(key)
    owners = set(plan['owner_of'].get(rid) for rid in recording_ids)
    owner = owners.pop() if len(owners) == 1 and listing['admin'] else None
    windows = windows_between(min(created), max(created) + timedelta(seconds=1))
    try:
        listed = service.read_bin(windows, admin=listing['admin'], owner_email=owner, fields=('id', 'status'),
                                  scopes=None if scope is None else [scope])
        in_bin = set(recording['id'] for recording in listed)
    except WebexApiError as exc:
        return {}, dict((rid, exc) for rid in recording_ids)
    return dict((rid, 'deleted' if rid in in_bin else 'available') for rid in recording_ids), {}


def statuses_by_id(service, recording_ids):
    statuses, errors = {}, {}
    for recording_id in recording_ids:
        try:
            recording = service.client.get_optional(service.api.details_path(recording_id), headers=service.api.details_headers())
        except WebexApiError as exc:
            errors[recording_id] = exc
            continue
        statuses[recording_id] = planner.status_of(service.api.recording(recording, ('status',)) if recording is not None else None)
    return statuses, errors


def reconcile(service, key, recording_ids, error, plan):
    """After a write with an unknown outcome: check which ids are still in the bin, re-send only
    those, as long as the client's retry budget pays the wait. Nothing is reported restored without
    a 2xx answer or a read showing it out of the bin; ids that could not be checked are unknown."""
    outcome = planner.new_outcome()
    pending = list(recording_ids)
    attempt = 0
    while pending:
        statuses, errors = still_in_bin(service, pending, plan, key)
        unchecked = [rid for rid in pending if rid in errors]
        if unchecked:
            planner.merge_outcome(outcome, planner.outcome_unknown(
                unchecked, 'a restore request went unanswered and checking it failed: %s' % errors[unchecked[0]], error.tracking_id))
            service.record_journal('unknown', unchecked, plan)
        restored = [rid for rid in pending if statuses.get(rid) == 'available']
        still_deleted = [rid for rid in pending if statuses.get(rid) == 'deleted']
        planner.merge_outcome(outcome, planner.outcome_restored(restored))
        service.record_journal('restored', restored, plan)
        for rid in pending:
            if rid in statuses and statuses[rid] not in ('available', 'deleted'):
                planner.merge_outcome(outcome, planner.outcome_failed(
                    [rid], 'recording %s is %s after a restore with unknown outcome' % (rid, statuses[rid]), status_after=statuses[rid]))
        pending = []
        if not still_deleted:
            break
        if not service.client.may_resend(error, attempt, '%d id(s) still in the recycle bin' % len(still_deleted)):
            planner.merge_outcome(outcome, planner.outcome_failed(still_deleted, error, error.tracking_id))
            break
        attempt += 1
        for chunk in planner.batches(still_deleted):
            try:
                service.send_restore(key, chunk, is_retry=True)
            except WebexOutcomeUnknown as exc:
                error = exc
                pending.extend(chunk)
            except WebexApiError as exc:
                planner.merge_outcome(outcome, planner.outcome_failed(chunk, exc, exc.tracking_id))
            else:
                planner.merge_outcome(outcome, planner.outcome_restored(chunk))
                service.record_journal('restored', chunk, plan)
    return outcome
