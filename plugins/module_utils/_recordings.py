# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""The recordings service: reads (through the listing engine, or id by id), plans with _planner,
restores in batches and reconciles writes of unknown outcome. It takes plain parameters in the
collection's words and returns plain data; HTTP goes through the client, what a request looks like
through the API profile (_api.py), decisions through the planner, and no AnsibleModule is involved,
so every module of the collection reuses it whatever the API.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.webexops.recordings.plugins.module_utils import _planner as planner
from ansible_collections.webexops.recordings.plugins.module_utils import _selection as selection
from ansible_collections.webexops.recordings.plugins.module_utils._errors import TaskFailed
from ansible_collections.webexops.recordings.plugins.module_utils._listing import Listing, in_pool
from ansible_collections.webexops.recordings.plugins.module_utils._values import (
    DEFAULT_MAX_CONCURRENCY, unique_ids, unique_owners,
)
from ansible_collections.webexops.recordings.plugins.module_utils._webex_client import WebexApiError, WebexOutcomeUnknown


def _ignore(message):
    return None


class RecordingsService:
    """Read, plan and restore through ``client`` (a WebexClient) for ``api`` (an _api.RecordingsApi),
    at most ``max_concurrency`` requests in flight. ``warn`` and ``log`` take one message each
    (module.warn, module.log)."""

    def __init__(self, client, api, max_concurrency=DEFAULT_MAX_CONCURRENCY, warn=None, log=None):
        self.client = client
        self.api = api
        self.max_concurrency = max(1, int(max_concurrency))
        self.listing = Listing(client, api, self.max_concurrency)
        self.warn = warn or _ignore
        self.log = log or _ignore

    # -- reading ----------------------------------------------------------------------------------

    def read_bin(self, windows, admin=False, owner_email=None, filters=None, status='deleted', fields=None):
        """Every recording of ``status`` over ``windows``: see _listing.Listing.read."""
        return self.listing.read(windows, admin, owner_email, filters, status, fields)

    def read_each(self, recording_ids, strategy):
        """{id: recording (the plan's fields) or None (404)}; any other error fails the task before any write."""
        def read(recording_id):
            try:
                item = self.client.get_optional(self.api.details_path(recording_id))
                return recording_id, self.api.recording(item, planner.PLAN_FIELDS) if item is not None else None, None
            except WebexApiError as exc:
                return recording_id, None, exc

        recordings = {}
        errors = []
        for recording_id, recording, error in in_pool(read, recording_ids, self.max_concurrency):
            if error is not None:
                errors.append((recording_id, error))
            else:
                recordings[recording_id] = recording
        if errors:
            result = planner.empty_result(strategy)
            result['tracking_ids'] = [error.tracking_id for dummy, error in errors if error.tracking_id]
            raise TaskFailed('recording_ids: reading %d recording(s) failed, nothing was restored: %s' % (
                len(errors), '; '.join('%s: %s' % (rid, error) for rid, error in errors[:5])), result)
        return recordings

    def read_org_or_own_bin(self, windows, strategy):
        """The org's bin (administrator); a token refused there (403) lists its own bin instead."""
        try:
            return self.read_bin(windows, admin=True, fields=planner.PLAN_FIELDS)
        except WebexApiError as exc:
            if exc.status != 403:
                raise TaskFailed.from_api_error('recording_ids: listing the recycle bin failed, nothing was restored', exc,
                                                planner.empty_result(strategy))
            self.log("administrator listing refused (HTTP 403), listing the caller's own recycle bin")
        try:
            return self.read_bin(windows, admin=False, fields=planner.PLAN_FIELDS)
        except WebexApiError as exc:
            raise TaskFailed.from_api_error('recording_ids: listing the recycle bin failed (the token needs %s or %s), nothing was '
                                            'restored' % (self.api.user_read_scope, self.api.admin_read_scope),
                                            exc, planner.empty_result(strategy))

    def refuse_administrator_without_owner(self, window):
        """An administrator's restoreAll must name the owner. One read of the admin listing (403 for a
        user token) tells, before anything is listed, written or predicted."""
        path, query = self.api.list_request(True, window, 'deleted', page_size=1)
        try:
            self.client.get_json(path, params=query)
        except WebexApiError as exc:
            if exc.status == 403:
                return
            raise TaskFailed.from_api_error('restore_all: reading the role of the token failed, nothing was restored', exc,
                                            planner.empty_result(planner.CALLER_BIN))
        raise TaskFailed("restore_all without owner_email: this token can list the organization's recordings (an administrator "
                         'token), and an administrator must name whose recycle bin to restore: set owner_email. Nothing was '
                         'restored.', planner.empty_result(planner.CALLER_BIN))

    # -- writing ----------------------------------------------------------------------------------

    def _send_restore(self, key, recording_ids=None, owner_email=None, is_retry=False):
        method, path, query, body = self.api.restore_request(key, recording_ids, owner_email)
        self.client.send(method, path, query, body, is_retry=is_retry)

    def restore_batch(self, batch):
        """Restore one (key, ids) batch; an unknown outcome is reconciled. Returns an outcome."""
        key, recording_ids = batch
        try:
            self._send_restore(key, recording_ids)
        except WebexOutcomeUnknown as exc:
            return self.reconcile(key, recording_ids, exc)
        except WebexApiError as exc:
            return planner.outcome_failed(recording_ids, exc, exc.tracking_id)
        return planner.outcome_restored(recording_ids)

    def restore_batches(self, batches):
        """Every (key, ids) batch, up to max_concurrency in flight; one merged outcome."""
        outcome = planner.new_outcome()
        for batch_outcome in in_pool(self.restore_batch, batches, self.max_concurrency):
            planner.merge_outcome(outcome, batch_outcome)
        return outcome

    def restore_whole_bin(self, owner_email, plan):
        """One restore of the whole listed bin of ``owner_email`` (the caller's when None)."""
        try:
            self._send_restore((), owner_email=owner_email)
        except WebexOutcomeUnknown as exc:
            return self.reconcile((), plan['to_restore'], exc)
        except WebexApiError as exc:
            return planner.outcome_failed(plan['to_restore'], exc, exc.tracking_id)
        # A 2xx answer to a whole-bin restore is the evidence that every listed recording is restored.
        return planner.predicted_outcome(plan)

    def _check_after_unknown(self, recording_ids, outcome):
        """Read every id again after a write of unknown outcome; returns the ids still in the bin."""
        still_deleted = []
        for recording_id in recording_ids:
            try:
                recording = self.client.get_optional(self.api.details_path(recording_id))
            except WebexApiError as exc:
                planner.merge_outcome(outcome, planner.outcome_failed(
                    [recording_id], 'could not read %s to check the restore: %s' % (recording_id, exc), status_after='unknown'))
                continue
            status = planner.status_of(self.api.recording(recording, ('status',)) if recording is not None else None)
            if status == 'available':
                planner.merge_outcome(outcome, planner.outcome_restored([recording_id]))
            elif status == 'deleted':
                still_deleted.append(recording_id)
            else:
                planner.merge_outcome(outcome, planner.outcome_failed(
                    [recording_id], 'recording %s is %s after a restore with unknown outcome' % (recording_id, status),
                    status_after=status))
        return still_deleted

    def reconcile(self, key, recording_ids, error):
        """After a write with an unknown outcome: read every id again, re-send only those still in
        the bin, as long as the client's retry budget pays the wait. Nothing is reported restored
        without a read (or a 2xx answer) showing it."""
        outcome = planner.new_outcome()
        pending = list(recording_ids)
        attempt = 0
        while pending:
            still_deleted = self._check_after_unknown(pending, outcome)
            pending = []
            if not still_deleted:
                break
            if not self.client.may_resend(error, attempt, '%d id(s) still in the recycle bin' % len(still_deleted)):
                planner.merge_outcome(outcome, planner.outcome_failed(still_deleted, error, error.tracking_id))
                break
            attempt += 1
            for chunk in planner.batches(still_deleted):
                try:
                    self._send_restore(key, chunk, is_retry=True)
                except WebexOutcomeUnknown as exc:
                    error = exc
                    pending.extend(chunk)
                except WebexApiError as exc:
                    planner.merge_outcome(outcome, planner.outcome_failed(chunk, exc, exc.tracking_id))
                else:
                    planner.merge_outcome(outcome, planner.outcome_restored(chunk))
        return outcome

    # -- operations: read, plan, write unless check mode --------------------------------------------

    def restore_ids(self, recording_ids, on_missing, windows, check_mode, max_restores=None):
        """Restore the given ids (no more than ``max_restores`` in the bin). Returns (changed, result, diff); raises TaskFailed."""
        ids = unique_ids(recording_ids)
        strategy = planner.choose_read_strategy(len(ids), len(windows))
        recordings = {}
        if strategy == planner.BIN_LISTING:
            in_bin = dict((recording['id'], recording) for recording in self.read_org_or_own_bin(windows, strategy))
            recordings.update((rid, in_bin[rid]) for rid in ids if rid in in_bin)
        recordings.update(self.read_each([rid for rid in ids if rid not in recordings], strategy))

        plan = planner.build_restore_plan(ids, recordings, self.api.batch_key)
        if plan['missing']:
            if on_missing == 'fail':
                result, dummy = planner.build_result(plan, planner.new_outcome(), strategy)
                raise TaskFailed(planner.missing_message(plan['missing']), result)
            self.warn(planner.missing_warning(plan['missing']))
        _refuse_over_cap(plan, strategy, None, max_restores)
        outcome = planner.predicted_outcome(plan) if check_mode else self.restore_batches(plan['batches'])
        return _finish(plan, outcome, strategy)

    def restore_bin(self, owner_email, windows, check_mode, filters=None, max_restores=None, narrowed=False):
        """Restore the bin of ``owner_email`` (administrator), or the caller's own when None: with one
        whole-bin restore, or by id when the selection is ``narrowed`` (``filters`` or a creation
        window). Returns (changed, result, diff); raises TaskFailed."""
        narrowed = narrowed or bool(filters)
        owners = [owner_email] if owner_email else None
        strategy = planner.PER_OWNER if owner_email else planner.CALLER_BIN
        if not owner_email and not narrowed:
            self.refuse_administrator_without_owner(windows[0])
        try:
            recordings = self.read_bin(windows, admin=bool(owner_email), owner_email=owner_email, filters=filters,
                                       fields=planner.PLAN_FIELDS)
        except WebexApiError as exc:
            result = planner.empty_result(strategy)
            if owners:
                result['owners'] = planner.build_owners([], owners, planner.new_outcome())
                raise TaskFailed.from_api_error('owner_email: listing the recycle bin of %s failed (an administrator token with '
                                                '%s is needed)' % (owner_email, self.api.admin_read_scope), exc, result)
            raise TaskFailed.from_api_error('restore_all: listing your own recycle bin failed. With an administrator token, set '
                                            'owner_email to name whose recycle bin to restore', exc, result)
        plan = planner.plan_from_bin(recordings, self.api.batch_key)
        _refuse_over_cap(plan, strategy, owners, max_restores)
        if not plan['to_restore'] or check_mode:
            outcome = planner.predicted_outcome(plan)
        elif narrowed:
            # A whole-bin restore would restore more than was selected: only the selected ids are sent.
            outcome = self.restore_batches(plan['batches'])
        else:
            outcome = self.restore_whole_bin(owner_email, plan)
        return _finish(plan, outcome, strategy, owners)

    def restore_owner_bins(self, owner_emails, windows, check_mode, filters=None, max_restores=None, narrowed=False):
        """Restore the bins of several owners (administrator): one owner as restore_bin, more with one
        org-wide sweep and restores by id. Returns (changed, result, diff); raises TaskFailed."""
        owners = unique_owners(owner_emails)
        strategy = planner.choose_owner_strategy(len(owners))
        if strategy == planner.PER_OWNER:
            return self.restore_bin(owners[0], windows, check_mode, filters, max_restores, narrowed)
        recordings = self._sweep(windows, filters, strategy, owners, 'owner_emails')
        plan = planner.plan_from_bin(planner.of_owners(recordings, owners), self.api.batch_key)
        _refuse_over_cap(plan, strategy, owners, max_restores)
        outcome = planner.predicted_outcome(plan) if check_mode else self.restore_batches(plan['batches'])
        return _finish(plan, outcome, strategy, owners)

    def restore_all_owners(self, windows, check_mode, filters=None, max_restores=None):
        """Restore what the organization's bin holds (administrator), narrowed by ``filters``, by id;
        per-owner results keyed by email, or by owner id where there is none. Raises TaskFailed."""
        recordings = self._sweep(windows, filters, planner.ORG_SWEEP, [], 'all_owners')
        plan = planner.plan_from_bin(recordings, self.api.batch_key)
        owners = planner.owners_of(recordings)
        _refuse_over_cap(plan, planner.ORG_SWEEP, owners, max_restores)
        outcome = planner.predicted_outcome(plan) if check_mode else self.restore_batches(plan['batches'])
        return _finish(plan, outcome, planner.ORG_SWEEP, owners)

    def _sweep(self, windows, filters, strategy, owners, param):
        """The organization's bin (administrator), or a TaskFailed naming ``param``."""
        try:
            return self.read_bin(windows, admin=True, filters=filters, fields=planner.PLAN_FIELDS)
        except WebexApiError as exc:
            result = dict(planner.empty_result(strategy), owners=planner.build_owners([], owners, planner.new_outcome()))
            raise TaskFailed.from_api_error('%s: the organization-wide listing of the recycle bin failed (%s needs an administrator '
                                            'token with %s and %s)' % (param, param, self.api.admin_read_scope,
                                                                       self.api.admin_write_scope), exc, result)

    def read_selection(self, option, windows, filters=None, status='deleted', owners=None):
        """What a selection holds, for reading only: the caller's own listing (``option`` None), one
        owner's, or the organization's (several owners: one sweep, then their recordings). ``option``
        names whose recordings are read (selection.owner_option). Raises TaskFailed."""
        owners = unique_owners(owners)
        try:
            if option is None:
                return self.read_bin(windows, filters=filters, status=status)
            if len(owners) == 1:
                return self.read_bin(windows, admin=True, owner_email=owners[0], filters=filters, status=status)
            recordings = self.read_bin(windows, admin=True, filters=filters, status=status)
        except WebexApiError as exc:
            where = ('%s: listing the recordings failed (an administrator token with %s is needed)' % (option, self.api.admin_read_scope)
                     if option else 'listing your own recordings failed')
            raise TaskFailed.from_api_error(where, exc, selection.listing_result([]))
        return planner.of_owners(recordings, owners) if owners else recordings


def _refuse_over_cap(plan, strategy, owners, max_restores):
    """Fail before any write (in check mode too) when the selection holds more than max_restores."""
    if max_restores is not None and len(plan['to_restore']) > max_restores:
        result, dummy = planner.build_result(plan, planner.new_outcome(), strategy, owners)
        result.pop('changed')
        result['selected'] = len(plan['to_restore'])
        raise TaskFailed(planner.cap_message(len(plan['to_restore']), max_restores), result)


def _finish(plan, outcome, strategy, owner_emails=None):
    """(changed, result, diff); raises TaskFailed, with the full result, when anything failed."""
    result, diff = planner.build_result(plan, outcome, strategy, owner_emails)
    if result['failed_ids']:
        msg = planner.failure_message(result)
        if outcome['errors']:
            msg += '; first error: %s' % outcome['errors'][0]
        raise TaskFailed(msg, result)
    changed = result.pop('changed')
    return changed, result, diff
