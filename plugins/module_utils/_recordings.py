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
from ansible_collections.webexops.recordings.plugins.module_utils import _reconcile as reconcile_
from ansible_collections.webexops.recordings.plugins.module_utils import _selection as selection
from ansible_collections.webexops.recordings.plugins.module_utils._errors import TaskFailed
from ansible_collections.webexops.recordings.plugins.module_utils._listing import Listing, in_pool
from ansible_collections.webexops.recordings.plugins.module_utils._values import (
    DEFAULT_MAX_CONCURRENCY, match_key, owner_key, unique_ids, unique_owners,
)
from ansible_collections.webexops.recordings.plugins.module_utils._webex_client import WebexApiError, WebexOutcomeUnknown

# Owners named in a selection with nothing found are checked (one read each) only when there are at most this many:
# a run over thousands of owners whose bins are mostly empty must not pay a read per owner.
CHECK_OWNERS_AT_MOST = 10


def _ignore(message):
    return None


class RecordingsService:
    """Read, plan and restore through ``client`` (a WebexClient) for ``api`` (an _api.RecordingsApi),
    at most ``max_concurrency`` requests in flight. ``warn`` and ``log`` take one message each
    (module.warn, module.log)."""

    def __init__(self, client, api, max_concurrency=DEFAULT_MAX_CONCURRENCY, warn=None, log=None, journal=None):
        self.client = client
        self.api = api
        self.journal = journal
        self.max_concurrency = max(1, int(max_concurrency))
        self.listing = Listing(client, api, self.max_concurrency)
        self.warn = warn or _ignore
        self.log = log or _ignore

    # -- reading ----------------------------------------------------------------------------------

    def read_bin(self, windows, admin=False, owner_email=None, filters=None, status='deleted', fields=None, scopes=None):
        """Every recording of ``status`` over ``windows``: see _listing.Listing.read."""
        return self.listing.read(windows, admin, owner_email, filters, status, fields, scopes)

    def read_each(self, recording_ids, strategy):
        """{id: recording (the plan's fields) or None (404)}; any other error fails the task before any write."""
        def read(recording_id):
            try:
                item = self.client.get_optional(self.api.details_path(recording_id), headers=self.api.details_headers())
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
            return self.read_bin(windows, admin=True, fields=planner.PLAN_FIELDS), True
        except WebexApiError as exc:
            if exc.status != 403:
                raise TaskFailed.from_api_error('recording_ids: listing the recycle bin failed, nothing was restored', exc,
                                                planner.empty_result(strategy))
            self.log("administrator listing refused (HTTP 403), listing the caller's own recycle bin")
        try:
            return self.read_bin(windows, admin=False, fields=planner.PLAN_FIELDS), False
        except WebexApiError as exc:
            raise TaskFailed.from_api_error('recording_ids: listing the recycle bin failed, nothing was restored', exc,
                                            planner.empty_result(strategy),
                                            hint='the token needs %s or %s' % (self.api.user_read_scope, self.api.admin_read_scope))

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

    def nothing_found(self, owners, recordings, window, param, bin_only=True, filtered=False):
        """The owners (as given) of which ``recordings`` (what the selection found) holds nothing, with one
        warning naming them: the address may be wrong. The API says nothing of an owner it does not know (a
        listing of it is empty), so when at most CHECK_OWNERS_AT_MOST owners came up empty, each costs one read:
        its available recordings in ``window`` (its whole bin there when the selection was ``filtered``: an owner
        with recordings in the bin outside the filters is known); an owner with some is known, and not returned.
        ``bin_only``: what was read is the recycle bin (else the check would read the same again)."""
        found = set(match_key(owner_key(recording.get('owner_email'), recording.get('owner_id'))) for recording in recordings)
        empty = [owner for owner in owners if match_key(owner) not in found]
        if not empty:
            return []
        checked = bin_only and len(empty) <= CHECK_OWNERS_AT_MOST
        if checked:
            def has_recordings(owner):
                path, query = self.api.owner_probe_request(owner, window, 'deleted' if filtered else 'available')
                try:
                    return bool(self.client.read_page(path, query, set())[0])
                except WebexApiError:
                    return False
            known = in_pool(has_recordings, empty, self.max_concurrency)
            empty = [owner for owner, is_known in zip(empty, known) if not is_known]
        if empty:
            how = ('nor any recording of theirs %s from %s to %s' % (('in the recycle bin' if filtered else 'available'), window[0], window[1])
                   if checked else
                   '(not checked further: %d owners came up empty, more than %d)' % (len(empty), CHECK_OWNERS_AT_MOST))
            self.warn('%s: nothing found for %d owner(s) in the selection %s; the address may be wrong: %s' % (
                param, len(empty), how, planner.short_list(empty)))
        return empty

    # -- writing ----------------------------------------------------------------------------------

    def send_restore(self, key, recording_ids=None, owner_email=None, is_retry=False):
        method, path, query, body = self.api.restore_request(key, recording_ids, owner_email)
        self.client.send(method, path, query, body, is_retry=is_retry)

    def restore_batch(self, batch, plan):
        """Restore one (key, ids) batch of ``plan``; an unknown outcome is reconciled. Returns an outcome."""
        key, recording_ids = batch
        try:
            self.send_restore(key, recording_ids)
        except WebexOutcomeUnknown as exc:
            return self.reconcile(key, recording_ids, exc, plan)
        except WebexApiError as exc:
            return planner.outcome_failed(recording_ids, exc, exc.tracking_id)
        self.record_journal('restored', recording_ids, plan)
        return planner.outcome_restored(recording_ids)

    def restore_batches(self, plan):
        """Every (key, ids) batch of ``plan``, up to max_concurrency in flight; one merged outcome."""
        outcome = planner.new_outcome()
        for batch_outcome in in_pool(lambda batch: self.restore_batch(batch, plan), plan['batches'], self.max_concurrency):
            planner.merge_outcome(outcome, batch_outcome)
        return outcome

    def restore_whole_bin(self, owner_email, plan):
        """One restore of the whole listed bin of ``owner_email`` (the caller's when None) per batch key
        that holds recordings (one for an API whose batches go together)."""
        keys = []
        ids_of = {}
        for key, recording_ids in plan['batches']:
            if key not in ids_of:
                keys.append(key)
                ids_of[key] = []
            ids_of[key].extend(recording_ids)
        outcome = planner.new_outcome()
        for key_outcome in in_pool(lambda key: self._restore_key_bin(owner_email, key, ids_of[key], plan), keys, self.max_concurrency):
            planner.merge_outcome(outcome, key_outcome)
        return outcome

    def _restore_key_bin(self, owner_email, key, recording_ids, plan):
        try:
            self.send_restore(key, owner_email=owner_email)
        except WebexOutcomeUnknown as exc:
            return self.reconcile(key, recording_ids, exc, plan)
        except WebexApiError as exc:
            return planner.outcome_failed(recording_ids, exc, exc.tracking_id)
        # A 2xx answer to a whole-bin restore is the evidence that every listed recording is restored.
        self.record_journal('restored', recording_ids, plan)
        return planner.outcome_restored(recording_ids)

    def record_journal(self, outcome, recording_ids, plan):
        if self.journal is not None:
            self.journal.record(outcome, recording_ids, plan)

    def reconcile(self, key, recording_ids, error, plan):
        """After a write with an unknown outcome: see _reconcile.reconcile."""
        return reconcile_.reconcile(self, key, recording_ids, error, plan)

    # -- operations: read, plan, write unless check mode --------------------------------------------

    def restore_ids(self, recording_ids, on_missing, windows, check_mode, max_restores=None):
        """Restore the given ids (no more than ``max_restores`` in the bin). Returns (changed, result, diff); raises TaskFailed."""
        ids = unique_ids(recording_ids)
        # An API whose details do not show the recycle bin has its ids found by listing the bin.
        strategy = planner.BIN_LISTING if self.api.lists_to_find_ids else planner.choose_read_strategy(len(ids), len(windows))
        recordings = {}
        admin = False
        if strategy == planner.BIN_LISTING:
            listed, admin = self.read_org_or_own_bin(windows, strategy)
            in_bin = dict((recording['id'], recording) for recording in listed)
            recordings.update((rid, in_bin[rid]) for rid in ids if rid in in_bin)
        rest = [rid for rid in ids if rid not in recordings]
        if rest and not self.api.details_cover(admin):
            recordings.update(self._read_available(rest, windows, strategy))
        else:
            recordings.update(self.read_each(rest, strategy))

        plan = planner.build_restore_plan(ids, recordings, self.api.batch_key)
        # Ids read one by one (per_id) may be anyone's: their checks after a lost answer read them again one by one.
        plan['listing'] = {'admin': admin} if strategy == planner.BIN_LISTING else None
        plan['recordings'] = recordings
        if plan['missing']:
            if on_missing == 'fail':
                result, dummy = planner.build_result(plan, planner.new_outcome(), strategy)
                raise TaskFailed(planner.missing_message(plan['missing'], not_restorable=plan['not_restorable']),
                                 self._with_api(result, plan))
            self.warn(planner.missing_warning(plan['missing'], not_restorable=plan['not_restorable']))
        _refuse_over_cap(plan, strategy, None, max_restores)
        outcome = planner.predicted_outcome(plan) if check_mode else self.restore_batches(plan)
        return self._finish(plan, outcome, strategy)

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
                result['owners'] = planner.build_owners([], owners, planner.new_outcome(), owner_fields=self.api.owner_fields)
                raise TaskFailed.from_api_error('owner_email: listing the recycle bin of %s failed' % owner_email, exc, result,
                                                hint='an administrator token with %s is needed' % self.api.admin_read_scope)
            raise TaskFailed.from_api_error('restore_all: listing your own recycle bin failed. With an administrator token, set '
                                            'owner_email to name whose recycle bin to restore', exc, result)
        plan = self._bin_plan(recordings, bool(owner_email))
        plan['nothing_found'] = self.nothing_found(owners, recordings, windows[0], 'owner_email', filtered=bool(filters)) if owners else []
        _refuse_over_cap(plan, strategy, owners, max_restores)
        if not plan['to_restore'] or check_mode:
            outcome = planner.predicted_outcome(plan)
        elif narrowed:
            # A whole-bin restore would restore more than was selected: only the selected ids are sent.
            outcome = self.restore_batches(plan)
        else:
            outcome = self.restore_whole_bin(owner_email, plan)
        return self._finish(plan, outcome, strategy, owners)

    def restore_owner_bins(self, owner_emails, windows, check_mode, filters=None, max_restores=None, narrowed=False):
        """Restore the bins of several owners (administrator): one owner as restore_bin, more with one
        org-wide sweep and restores by id. Returns (changed, result, diff); raises TaskFailed."""
        owners = unique_owners(owner_emails)
        strategy = planner.choose_owner_strategy(len(owners))
        if strategy == planner.PER_OWNER:
            return self.restore_bin(owners[0], windows, check_mode, filters, max_restores, narrowed)
        recordings = self._sweep(windows, filters, strategy, owners, 'owner_emails')
        mine = planner.of_owners(recordings, owners)
        plan = self._bin_plan(mine, True)
        plan['nothing_found'] = self.nothing_found(owners, mine, windows[0], 'owner_emails', filtered=bool(filters))
        _refuse_over_cap(plan, strategy, owners, max_restores)
        outcome = planner.predicted_outcome(plan) if check_mode else self.restore_batches(plan)
        return self._finish(plan, outcome, strategy, owners)

    def restore_all_owners(self, windows, check_mode, filters=None, max_restores=None):
        """Restore what the organization's bin holds (administrator), narrowed by ``filters``, by id;
        per-owner results keyed by email, or by owner id where there is none. Raises TaskFailed."""
        recordings = self._sweep(windows, filters, planner.ORG_SWEEP, [], 'all_owners')
        plan = self._bin_plan(recordings, True)
        owners = planner.owners_of(recordings)
        _refuse_over_cap(plan, planner.ORG_SWEEP, owners, max_restores)
        outcome = planner.predicted_outcome(plan) if check_mode else self.restore_batches(plan)
        return self._finish(plan, outcome, planner.ORG_SWEEP, owners)

    def _bin_plan(self, recordings, admin):
        """The plan of a restore of the listed ``recordings`` (listed by an administrator or not); its per-owner results
        carry the API's owner fields."""
        plan = planner.plan_from_bin(recordings, self.api.batch_key)
        plan.update(listing={'admin': admin}, owner_fields=self.api.owner_fields)
        return plan

    def _finish(self, plan, outcome, strategy, owner_emails=None):
        """(changed, result, diff); raises TaskFailed, with the full result, when anything failed or is
        unknown. When the client stopped (a refused token, the controller gone), the message says so first."""
        result, diff = planner.build_result(plan, outcome, strategy, owner_emails)
        self._with_api(result, plan)
        if owner_emails is not None and 'nothing_found' in plan:
            result['nothing_found'] = plan['nothing_found']
        if result['failed_ids'] or result['unknown']:
            msg = planner.failure_message(result)
            if self.client.stopped:
                msg = '%s; no further request was sent. %s' % (self.client.stopped[:1].upper() + self.client.stopped[1:], msg)
            elif outcome['errors']:
                msg += '; first error: %s' % outcome['errors'][0]
            raise TaskFailed(msg, result)
        changed = result.pop('changed')
        return changed, result, diff

    def _with_api(self, result, plan):
        """``result`` with the API's name, on the result and on each recording of a restore of ids, with the
        profile's result fields (Meetings: site_url)."""
        result['api'] = self.api.name
        read = plan.get('recordings') or {}
        for record in result.get('recordings') or []:
            record['api'] = self.api.name
            for name in self.api.result_fields:
                record[name] = (read.get(record['id']) or {}).get(name)
        return result

    def _read_available(self, recording_ids, windows, strategy):
        """{id: recording or None} of ids not in the bin, found in a listing of the available recordings
        (where a details read cannot find them: the host an administrator would have to name is unknown)."""
        try:
            available = self.read_bin(windows, admin=True, status='available', fields=planner.PLAN_FIELDS)
        except WebexApiError as exc:
            raise TaskFailed.from_api_error('recording_ids: listing the available recordings failed, nothing was restored', exc,
                                            planner.empty_result(strategy))
        found = dict((recording['id'], recording) for recording in available)
        return dict((rid, found.get(rid)) for rid in recording_ids)

    def _sweep(self, windows, filters, strategy, owners, param):
        """The organization's bin (administrator), or a TaskFailed naming ``param``."""
        try:
            return self.read_bin(windows, admin=True, filters=filters, fields=planner.PLAN_FIELDS)
        except WebexApiError as exc:
            result = dict(planner.empty_result(strategy),
                          owners=planner.build_owners([], owners, planner.new_outcome(), owner_fields=self.api.owner_fields))
            raise TaskFailed.from_api_error('%s: the organization-wide listing of the recycle bin failed' % param, exc, result,
                                            hint='%s needs an administrator token with %s and %s' % (
                                                param, self.api.admin_read_scope, self.api.admin_write_scope))

    def read_selection(self, option, windows, filters=None, status='deleted', owners=None):
        """What a selection holds, for reading only: the caller's own listing (``option`` None), one
        owner's, or the organization's (several owners: one sweep, then their recordings). ``option``
        names whose recordings are read (selection.owner_option). Returns (recordings, owners with nothing
        found); raises TaskFailed."""
        owners = unique_owners(owners)
        recordings = self._read_selection(option, windows, filters, status, owners)
        return recordings, (self.nothing_found(owners, recordings, windows[0], option, bin_only=status == 'deleted', filtered=bool(filters))
                            if owners else [])

    def _read_selection(self, option, windows, filters, status, owners):
        try:
            if option is None:
                return self.read_bin(windows, filters=filters, status=status)
            if len(owners) == 1:
                return self.read_bin(windows, admin=True, owner_email=owners[0], filters=filters, status=status)
            recordings = self.read_bin(windows, admin=True, filters=filters, status=status)
        except WebexApiError as exc:
            where = '%s: listing the recordings failed' % option if option else 'listing your own recordings failed'
            raise TaskFailed.from_api_error(where, exc, selection.listing_result([]),
                                            hint='an administrator token with %s is needed' % self.api.admin_read_scope if option else None)
        return planner.of_owners(recordings, owners) if owners else recordings


def _refuse_over_cap(plan, strategy, owners, max_restores):
    """Fail before any write (in check mode too) when the selection holds more than max_restores."""
    if max_restores is not None and len(plan['to_restore']) > max_restores:
        result, dummy = planner.build_result(plan, planner.new_outcome(), strategy, owners)
        result.pop('changed')
        result['selected'] = len(plan['to_restore'])
        raise TaskFailed(planner.cap_message(len(plan['to_restore']), max_restores), result)
