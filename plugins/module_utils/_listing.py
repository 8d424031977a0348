# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""The listing engine: reads every recording of a listing over creation-time windows, pages and
sub-windows, at most ``max_concurrency`` requests in flight, and hands the service recordings in the
collection's fields. Which requests make a listing is the API profile's business (_api.py)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import threading
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.webexops.recordings.plugins.module_utils import _windows as windows_
from ansible_collections.webexops.recordings.plugins.module_utils._values import DEFAULT_MAX_CONCURRENCY


def in_pool(function, work, max_concurrency):
    """function(item) for every item, at most max_concurrency at once; results in input order."""
    if not work:
        return []
    with ThreadPoolExecutor(max_workers=min(max_concurrency, len(work))) as pool:
        return list(pool.map(function, work))


class _Sweep:
    """Shared state of a concurrent listing: the first failed task (in task order) so far."""

    def __init__(self):
        self._lock = threading.Lock()
        self._first_failed = None

    def failed(self, index):
        with self._lock:
            if self._first_failed is None or index < self._first_failed:
                self._first_failed = index

    def abandoned(self, index):
        """A task after a failed one: its result cannot be used, its next request is not sent."""
        with self._lock:
            return self._first_failed is not None and index > self._first_failed


class Listing:
    """Reads listings through ``client`` (a WebexClient) for ``api`` (an _api.RecordingsApi)."""

    def __init__(self, client, api, max_concurrency=DEFAULT_MAX_CONCURRENCY):
        self.client = client
        self.api = api
        self.max_concurrency = max(1, int(max_concurrency))
        self._scopes = {}
        self._scopes_lock = threading.Lock()

    def scopes(self, admin):
        """The scopes a listing covers (the profile's; when it needs a read to tell them, that one read
        is made once per run and kept)."""
        with self._scopes_lock:
            if admin not in self._scopes:
                request = self.api.scopes_request(admin)
                answer = self.client.get_json(request[0], params=request[1]) if request else None
                self._scopes[admin] = list(self.api.scopes(admin, answer))
            return self._scopes[admin]

    def read(self, windows, admin=False, owner_email=None, filters=None, status='deleted', fields=None, scopes=None):
        """Every recording of ``status`` (the recycle bin by default) over the windows [(from, to)],
        in the collection's fields (only ``fields`` when given: a restore keeps what it plans with,
        which at 50,000 recordings is a fraction of the memory), de-duplicated by id, newest first
        (ties by id). ``filters``: {selection filter option: value}, filtered by the server. Every window
        is listed in every scope (``scopes``, else the profile's: ``Listing.scopes``); "window" below is
        one window of one scope.

        1. The first page of the first window is read alone: a refused listing costs one request.
        2. The first pages of the other windows, up to max_concurrency at once.
        3. The rest of the windows whose first page links to a next one (D "dense" windows). When D
           is below max_concurrency, following their cursors (opaque, one page after another) would
           leave workers idle: a dense window estimated at many pages is read again as sub-windows
           (_windows.dense_window_parts), whole, concurrently. Otherwise each cursor is followed.
           Sub-windows are half-open like windows, so a recording created on a boundary is listed
           by exactly one of them; ids are de-duplicated anyway.
        When a request fails, tasks after it (in window order) that have not started are skipped,
        those running stop before their next page, and the first error in window order is raised.
        """
        windows = list(windows)
        scopes = self.scopes(admin) if scopes is None else list(scopes)
        units = [(scope, window) for scope in scopes for window in windows]
        if not units:
            return []
        if fields is not None and 'status' not in fields:
            fields = tuple(fields) + ('status',)
        context = {'admin': admin, 'owner_email': owner_email, 'filters': filters or {}, 'scopes': scopes,
                   'span': (min(window[0] for window in windows), max(window[1] for window in windows))}

        def keep(items):
            # Applied to every page as it arrives, so that at most a page is held whole.
            recordings = (self.api.recording(item, fields) for item in items if self.api.accepts(item, context))
            return [recording for recording in recordings if recording and recording.get('status') in (None, status)]

        def request(scope, window):
            return self.api.list_request(admin, window, status, owner_email, filters, windows_.PAGE_SIZE, scope=scope)

        def first_page(unit):
            path, query = request(*unit)
            items, link = self.client.read_page(path, query, set())
            return keep(items), link

        first = [first_page(units[0])]
        first += self._run_tasks([(lambda sweep, index, unit=unit: first_page(unit)) for unit in units[1:]])
        dense = [index for index, (dummy, link) in enumerate(first) if link]
        split = windows_.sub_window_count(len(dense), self.max_concurrency)
        tasks = []   # in window order, then sub-window order
        for index in dense:
            create_times = [recording.get('create_time') for recording in first[index][0]]
            scope, window = units[index]
            parts = windows_.dense_window_parts(window, create_times, split) if split > 1 else None
            if parts:
                tasks.extend((lambda sweep, task, part=part, scope=scope: self._read_pages(
                    request(scope, part), sweep, task, keep))
                    for part in parts)
            else:
                tasks.append(lambda sweep, task, url=first[index][1]: self._read_pages((url, None), sweep, task, keep))
        found = {}
        for recordings, dummy in first:
            _collect(found, recordings)
        for pages in self._run_tasks(tasks):
            for recordings in pages:
                _collect(found, recordings)
        return windows_.newest_first(found.values())

    def _read_pages(self, request, sweep, index, keep):
        """``keep`` of every page from ``request`` (path or url, query) on, Link followed as given;
        stops before the next page when a task before this one failed."""
        url, params = request
        seen = set([url]) if params is None else set()
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


def _collect(found, recordings):
    for recording in recordings:
        found.setdefault(recording['id'], recording)
