# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""The recordings service: reads a recycle bin (windows, pages, concurrency), plans with _planner,
restores in batches and reconciles writes of unknown outcome. It takes plain parameters and returns
plain data; HTTP goes through the client, decisions through the planner, and no AnsibleModule is
involved, so every module of the collection can reuse it.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import threading
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.webexops.recordings.plugins.module_utils import _planner as planner
from ansible_collections.webexops.recordings.plugins.module_utils import _selection as selection
from ansible_collections.webexops.recordings.plugins.module_utils._errors import TaskFailed
from ansible_collections.webexops.recordings.plugins.module_utils._webex_client import (
    ADMIN_LIST_PATH, MAX_PAGE_SIZE, RESTORE_PATH, USER_LIST_PATH, WebexApiError, WebexOutcomeUnknown,
)


def _ignore(message):
    return None


class _Sweep:
    """Shared state of a concurrent listing: the first failed window (in window order) so far."""

    def __init__(self):
        self._lock = threading.Lock()
        self._first_failed = None

    def failed(self, index):
        with self._lock:
            if self._first_failed is None or index < self._first_failed:
                self._first_failed = index

    def abandoned(self, index):
        """A window after a failed one: its result cannot be used, its next request is not sent."""
        with self._lock:
            return self._first_failed is not None and index > self._first_failed


class RecordingsService:
    """Read, plan and restore through ``client`` (a WebexClient), at most ``max_concurrency``
    requests in flight. ``warn`` and ``log`` take one message each (module.warn, module.log)."""

    def __init__(self, client, max_concurrency=4, warn=None, log=None):
        self.client = client
        self.max_concurrency = max(1, int(max_concurrency))
        self.warn = warn or _ignore
        self.log = log or _ignore

    def in_pool(self, function, work):
        """function(item) for every item, at most max_concurrency at once; results in input order."""
        if not work:
            return []
        with ThreadPoolExecutor(max_workers=min(self.max_concurrency, len(work))) as pool:
            return list(pool.map(function, work))

    # -- reading ----------------------------------------------------------------------------------

    def read_bin(self, windows, admin=False, owner_email=None, filters=None, status='deleted', fields=None):
        """Every recording of ``status`` (the recycle bin by default) over the windows [(from, to)],
        de-duplicated by id, newest first (ties by id). ``filters``: more query parameters the server
        filters on (locationId, ...). ``fields``: the keys kept of each recording (all when None); a
        restore keeps what it plans with, which at 50,000 recordings is a fraction of the memory.

        1. The first page of the first window is read alone: a refused listing costs one request.
        2. The first pages of the other windows, up to max_concurrency at once.
        3. The rest of the windows whose first page links to a next one (D "dense" windows). When D
           is below max_concurrency, following their cursors (opaque, one page after another) would
           leave workers idle: a dense window estimated at many pages is read again as sub-windows
           (planner.dense_window_parts), whole, concurrently. Otherwise each cursor is followed.
           Sub-windows are half-open like windows, so a recording created on a boundary is listed
           by exactly one of them; ids are de-duplicated anyway.
        When a request fails, tasks after it (in window order) that have not started are skipped,
        those running stop before their next page, and the first error in window order is raised.
        """
        path = ADMIN_LIST_PATH if admin else USER_LIST_PATH
        windows = list(windows)
        if not windows:
            return []

        def keep(items):
            # Applied to every page as it arrives, so that at most a page is held whole.
            return _kept(items, status, fields)

        def params_for(window):
            params = dict(filters or {}, status=status, max=MAX_PAGE_SIZE)
            params.update({'from': window[0], 'to': window[1]})
            if owner_email:
                params['ownerEmail'] = owner_email
            return params

        first = [self.client.read_page(path, params_for(windows[0]), set())]
        first += self._run_tasks([(lambda sweep, index, window=window: self.client.read_page(path, params_for(window), set()))
                                  for window in windows[1:]])
        dense = [index for index, (dummy, link) in enumerate(first) if link]
        split = planner.sub_window_count(len(dense), self.max_concurrency)
        tasks = []   # in window order, then sub-window order
        for index in dense:
            parts = planner.dense_window_parts(windows[index], first[index][0], split) if split > 1 else None
            if parts:
                tasks.extend((lambda sweep, task, part=part: self._read_pages(path, params_for(part), set(), sweep, task, keep))
                             for part in parts)
            else:
                tasks.append(lambda sweep, task, url=first[index][1]: self._read_pages(url, None, set([url]), sweep, task, keep))
        found = {}
        for items, dummy in first:
            _collect(found, keep(items))
        for pages in self._run_tasks(tasks):
            for items in pages:
                _collect(found, items)
        return planner.newest_first(found.values())

    def _read_pages(self, url, params, seen, sweep, index, keep):
        """``keep`` of every page from ``url`` on (Link followed as given); stops before the next page
        when a task before this one failed."""
        pages = []
        while url:
            if sweep.abandoned(index):
                return pages
            items, url = self.client.read_page(url, params, seen)
            params = None
            pages.append(keep(items))
        return pages

    def _run_tasks(self, tasks):
        """Results of the tasks, task(sweep, index), up to max_concurrency at once, in task order. When
        one fails, the tasks after it that have not started are skipped and the first error in task
        order is raised."""
        if not tasks:
            return []
        sweep = _Sweep()

        def run(index):
            if sweep.abandoned(index):
                return None
            try:
                return tasks[index](sweep, index)
            except Exception:
                sweep.failed(index)
                raise

        workers = min(self.max_concurrency, len(tasks))
        if workers <= 1:
            return [run(index) for index in range(len(tasks))]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(run, index) for index in range(len(tasks))]
        for future in futures:
            if future.exception() is not None:
                raise future.exception()
        return [future.result() for future in futures]

    def read_each(self, recording_ids, strategy):
        """{id: recording or None (404)}; any other error fails the task before any write."""
        def read(recording_id):
            try:
                return recording_id, self.client.get_recording(recording_id), None
            except WebexApiError as exc:
                return recording_id, None, exc

        recordings = {}
        errors = []
        for recording_id, recording, error in self.in_pool(read, recording_ids):
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
            raise TaskFailed.from_api_error('recording_ids: listing the recycle bin failed (the token needs spark:recordings_read or '
                                            'spark-admin:recordings_read), nothing was restored', exc, planner.empty_result(strategy))

    def refuse_administrator_without_owner(self, window):
        """An administrator's restoreAll must name the owner. One read of the admin listing (403 for a
        user token) tells, before anything is listed, written or predicted."""
        try:
            self.client.get_json(ADMIN_LIST_PATH, params={'status': 'deleted', 'from': window[0], 'to': window[1], 'max': 1})
        except WebexApiError as exc:
            if exc.status == 403:
                return
            raise TaskFailed.from_api_error('restore_all: reading the role of the token failed, nothing was restored', exc,
                                            planner.empty_result(planner.CALLER_BIN))
        raise TaskFailed("restore_all without owner_email: this token can list the organization's recordings (an administrator "
                         'token), and an administrator must name whose recycle bin to restore: set owner_email. Nothing was '
                         'restored.', planner.empty_result(planner.CALLER_BIN))

    # -- writing ----------------------------------------------------------------------------------

    def restore_batch(self, recording_ids):
        """Restore one batch of ids; an unknown outcome is reconciled. Returns an outcome."""
        try:
            self.client.restore_ids(recording_ids)
        except WebexOutcomeUnknown as exc:
            return self.reconcile(recording_ids, exc)
        except WebexApiError as exc:
            return planner.outcome_failed(recording_ids, exc, exc.tracking_id)
        return planner.outcome_restored(recording_ids)

    def restore_batches(self, id_batches):
        """Every batch, up to max_concurrency in flight; one merged outcome."""
        outcome = planner.new_outcome()
        for batch_outcome in self.in_pool(self.restore_batch, id_batches):
            planner.merge_outcome(outcome, batch_outcome)
        return outcome

    def restore_whole_bin(self, owner_email, plan):
        """One restoreAll for the listed bin of ``owner_email`` (the caller's when None)."""
        try:
            self.client.restore_all(owner_email)
        except WebexOutcomeUnknown as exc:
            return self.reconcile(plan['to_restore'], exc)
        except WebexApiError as exc:
            return planner.outcome_failed(plan['to_restore'], exc, exc.tracking_id)
        # A 2xx answer to restoreAll is the evidence that every listed recording is restored.
        return planner.predicted_outcome(plan)

    def _check_after_unknown(self, recording_ids, outcome):
        """Read every id again after a write of unknown outcome; returns the ids still in the bin."""
        still_deleted = []
        for recording_id in recording_ids:
            try:
                recording = self.client.get_recording(recording_id)
            except WebexApiError as exc:
                planner.merge_outcome(outcome, planner.outcome_failed(
                    [recording_id], 'could not read %s to check the restore: %s' % (recording_id, exc), status_after='unknown'))
                continue
            status = planner.status_of(recording)
            if status == 'available':
                planner.merge_outcome(outcome, planner.outcome_restored([recording_id]))
            elif status == 'deleted':
                still_deleted.append(recording_id)
            else:
                planner.merge_outcome(outcome, planner.outcome_failed(
                    [recording_id], 'recording %s is %s after a restore with unknown outcome' % (recording_id, status),
                    status_after=status))
        return still_deleted

    def reconcile(self, recording_ids, error):
        """After a write with an unknown outcome: read every id again, re-send only those still in
        the bin. Re-sends wait and count against the same retry budget; nothing is reported restored
        without a read (or a 2xx answer) showing it."""
        outcome = planner.new_outcome()
        policy = self.client.retry_policy
        pending = list(recording_ids)
        attempt = 0
        while pending:
            still_deleted = self._check_after_unknown(pending, outcome)
            pending = []
            if not still_deleted:
                break
            delay = policy.backoff_delay(attempt)
            if not policy.consume(delay):
                error.note = 'outcome unknown, %d id(s) still in the recycle bin; %s' % (
                    len(still_deleted), policy.exhausted_note(delay))
                planner.merge_outcome(outcome, planner.outcome_failed(still_deleted, error, error.tracking_id))
                break
            attempt += 1
            self.client.announce_retry('POST', RESTORE_PATH, error.status, 'outcome unknown, re-sending %d id(s) still in the '
                                       'recycle bin' % len(still_deleted), delay, attempt)
            for chunk in planner.batches(still_deleted):
                try:
                    self.client.restore_ids(chunk, is_retry=True)
                except WebexOutcomeUnknown as exc:
                    error = exc
                    pending.extend(chunk)
                except WebexApiError as exc:
                    planner.merge_outcome(outcome, planner.outcome_failed(chunk, exc, exc.tracking_id))
                else:
                    planner.merge_outcome(outcome, planner.outcome_restored(chunk))
        return outcome

    # -- operations: read, plan, write unless check mode --------------------------------------------

    def restore_ids(self, recording_ids, on_missing, windows, check_mode):
        """Restore the given ids. Returns (changed, result, diff); raises TaskFailed."""
        ids = planner.unique_ids(recording_ids)
        strategy = planner.choose_read_strategy(len(ids), len(windows))
        recordings = {}
        if strategy == planner.BIN_LISTING:
            in_bin = dict((item['id'], item) for item in self.read_org_or_own_bin(windows, strategy))
            recordings.update((rid, in_bin[rid]) for rid in ids if rid in in_bin)
        recordings.update(self.read_each([rid for rid in ids if rid not in recordings], strategy))

        plan = planner.build_restore_plan(ids, recordings)
        if plan['missing']:
            if on_missing == 'fail':
                result, dummy = planner.build_result(plan, planner.new_outcome(), strategy)
                raise TaskFailed(planner.missing_message(plan['missing']), result)
            self.warn(planner.missing_warning(plan['missing']))
        outcome = planner.predicted_outcome(plan) if check_mode else self.restore_batches(plan['batches'])
        return _finish(plan, outcome, strategy)

    def restore_bin(self, owner_email, windows, check_mode, filters=None, max_restores=None, narrowed=False):
        """Restore the bin of ``owner_email`` (administrator), or the caller's own when None: with one
        restoreAll, or by id when the selection is ``narrowed`` (server ``filters`` or a creation window).
        Returns (changed, result, diff); raises TaskFailed."""
        narrowed = narrowed or bool(filters)
        owners = [owner_email] if owner_email else None
        strategy = planner.PER_OWNER if owner_email else planner.CALLER_BIN
        if not owner_email and not narrowed:
            self.refuse_administrator_without_owner(windows[0])
        try:
            items = self.read_bin(windows, admin=bool(owner_email), owner_email=owner_email, filters=filters,
                                  fields=planner.PLAN_FIELDS)
        except WebexApiError as exc:
            result = planner.empty_result(strategy)
            if owners:
                result['owners'] = planner.build_owners([], owners, planner.new_outcome())
                raise TaskFailed.from_api_error('owner_email: listing the recycle bin of %s failed (an administrator token with '
                                                'spark-admin:recordings_read is needed)' % owner_email, exc, result)
            raise TaskFailed.from_api_error('restore_all: listing your own recycle bin failed. With an administrator token, set '
                                            'owner_email to name whose recycle bin to restore', exc, result)
        plan = planner.plan_from_bin(items)
        _refuse_over_cap(plan, strategy, owners, max_restores)
        if not plan['to_restore'] or check_mode:
            outcome = planner.predicted_outcome(plan)
        elif narrowed:
            # restoreAll would restore more than was selected: only the selected ids are sent.
            outcome = self.restore_batches(plan['batches'])
        else:
            outcome = self.restore_whole_bin(owner_email, plan)
        return _finish(plan, outcome, strategy, owners)

    def restore_owner_bins(self, owner_emails, windows, check_mode, filters=None, max_restores=None, narrowed=False):
        """Restore the bins of several owners (administrator): one owner as restore_bin, more with one
        org-wide sweep and restores by id. Returns (changed, result, diff); raises TaskFailed."""
        owners = planner.unique_owners(owner_emails)
        strategy = planner.choose_owner_strategy(len(owners))
        if strategy == planner.PER_OWNER:
            return self.restore_bin(owners[0], windows, check_mode, filters, max_restores, narrowed)
        items = self._sweep(windows, filters, strategy, owners, 'owner_emails')
        plan = planner.plan_from_bin(planner.items_of_owners(items, owners))
        _refuse_over_cap(plan, strategy, owners, max_restores)
        outcome = planner.predicted_outcome(plan) if check_mode else self.restore_batches(plan['batches'])
        return _finish(plan, outcome, strategy, owners)

    def restore_all_owners(self, windows, check_mode, filters=None, max_restores=None):
        """Restore what the organization's bin holds (administrator), narrowed by ``filters``, by id;
        per-owner results keyed by email, or by owner id where there is none. Raises TaskFailed."""
        items = self._sweep(windows, filters, planner.ORG_SWEEP, [], 'all_owners')
        plan = planner.plan_from_bin(items)
        owners = planner.owners_of(items)
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
                                            'token with spark-admin:recordings_read and spark-admin:recordings_write)' % (param, param),
                                            exc, result)

    def read_selection(self, whose, windows, filters=None, status='deleted', owners=None):
        """What a selection holds, for reading only: the caller's own listing (``whose`` 'caller'), one
        owner's, or the organization's (several owners: one sweep, then their recordings). Raises TaskFailed."""
        owners = planner.unique_owners(owners)
        try:
            if whose == 'caller':
                return self.read_bin(windows, filters=filters, status=status)
            if len(owners) == 1:
                return self.read_bin(windows, admin=True, owner_email=owners[0], filters=filters, status=status)
            items = self.read_bin(windows, admin=True, filters=filters, status=status)
        except WebexApiError as exc:
            where = ('%s: listing the recordings failed (an administrator token with spark-admin:recordings_read is needed)' % whose
                     if whose != 'caller' else 'listing your own recordings failed')
            raise TaskFailed.from_api_error(where, exc, selection.listing_result([]))
        return planner.items_of_owners(items, owners) if owners else items


def _kept(items, status, fields=None):
    """The recordings of a page that are of ``status``, with only ``fields`` (all when None)."""
    return [item if fields is None else dict((key, item[key]) for key in fields if key in item)
            for item in items if isinstance(item, dict) and item.get('id') and item.get('status', status) == status]


def _collect(found, items):
    for item in items:
        found.setdefault(item['id'], item)


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
