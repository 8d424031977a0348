# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The listing engine on its own. On scripted pages (the windows and cursors are synthetic, so that
the order of the exchanges can be asserted): the concurrent listing gives the same merged result and
request count as the sequential one, a failed window fails the listing with the first error in window
order, windows after it are not started, retries share one budget. Against the simulator in-process:
a dense window read as sub-windows lists every recording once, and enough dense windows keep their
cursors and the minimum of reads. What the service makes of a listing: test_recordings.py."""

import urllib.parse
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.webexops.recordings.plugins.module_utils import _windows as windows_
from ansible_collections.webexops.recordings.plugins.module_utils._api import RECORDING_FIELDS
from ansible_collections.webexops.recordings.plugins.module_utils._converged import ConvergedApi
from ansible_collections.webexops.recordings.plugins.module_utils._listing import Listing, in_pool
from ansible_collections.webexops.recordings.plugins.module_utils._retry import RetryPolicy
from ansible_collections.webexops.recordings.plugins.module_utils._webex_client import WebexApiError, WebexClient

from fixtures import ADMIN_TOKEN
from scripted_transport import API, TOKEN, ScriptedTransport, error_body
from simulator_transport import API as SIMULATED_API

WINDOWS = [('w%d-from' % index, 'w%d-to' % index) for index in range(6)]
# Pages per window; ids overlap between neighbouring windows so that the de-duplication is visible.
PAGES = [3, 1, 2, 0, 4, 2]


def window_of(call):
    return int(call.query['from'][1:].split('-')[0])


def paged_listing(call):
    """Window N answers PAGES[N] pages (one empty page when 0), linked by an opaque cursor."""
    index = window_of(call)
    page = int(call.query.get('cursor', 0))
    count = PAGES[index]
    items = [{'id': 'r%d-%d-%d' % (index, page, n), 'status': 'deleted'} for n in range(3)] if count else []
    if count and page == count - 1 and index + 1 < len(PAGES):
        items.append({'id': 'r%d-0-0' % (index + 1), 'status': 'deleted'})   # also listed by the next window
    items.append({'id': 'avail-%d-%d' % (index, page), 'status': 'available'})
    headers = {}
    if page + 1 < count:
        query = dict(call.query, cursor=str(page + 1))
        headers['Link'] = '<%s%s?%s>; rel="next"' % (API.replace('/v1', ''), call.path, urllib.parse.urlencode(query))
    return {'body': {'items': items}, 'headers': headers}


class Harness:
    def __init__(self, handler, max_concurrency=4, delay=0.02, max_wait=120):
        self.slept = []
        self.events = []
        self.policy = RetryPolicy(max_wait, sleep=self.slept.append, clock=lambda: 0.0, rand=lambda: 0.5)
        self.client = WebexClient(API, TOKEN, retry_policy=self.policy, notify=self.events.append, max_concurrency=max_concurrency)
        self.transport = ScriptedTransport(handler=handler, delay=delay)
        self.client.session.mount('https://', self.transport)
        self.listing = Listing(self.client, ConvergedApi(), max_concurrency)

    def read(self, windows, **kwargs):
        """(recordings, pages): the listing and the number of GET pages it took."""
        recordings = self.listing.read(windows, **kwargs)
        return recordings, self.client.request_counts()['reads'] - self.client.request_counts()['retries']

    @property
    def calls(self):
        return self.transport.calls


def test_concurrent_listing_equals_the_sequential_one():
    sequential = Harness(paged_listing, max_concurrency=1)
    expected = sequential.read(WINDOWS, admin=True, owner_email='a@b.example')
    concurrent = Harness(paged_listing, max_concurrency=4)
    items, pages = concurrent.read(WINDOWS, admin=True, owner_email='a@b.example')

    assert (items, pages) == expected
    assert pages == sum(max(1, count) for count in PAGES)
    ids = [item['id'] for item in items]
    assert ids[:4] == ['r0-0-0', 'r0-0-1', 'r0-0-2', 'r0-1-0']          # window order, then page order
    assert len(ids) == len(set(ids)) and not any(rid.startswith('avail') for rid in ids)
    assert concurrent.client.request_counts() == sequential.client.request_counts() == {'reads': pages, 'writes': 0, 'retries': 0}
    assert Counter(call.url for call in concurrent.calls) == Counter(call.url for call in sequential.calls)
    assert sequential.transport.max_in_flight == 1
    assert 1 < concurrent.transport.max_in_flight <= 4
    # the first page of the first window is read alone, before any other request is sent
    first = concurrent.calls[0]
    assert window_of(first) == 0 and 'cursor' not in first.query
    assert all(call.started >= first.answered for call in concurrent.calls[1:])
    # the pages of one window are read in order, one at a time
    for index in range(len(WINDOWS)):
        own = [call for call in concurrent.calls if window_of(call) == index]
        assert [int(call.query.get('cursor', 0)) for call in own] == list(range(max(1, PAGES[index])))
        assert all(later.started >= earlier.answered for earlier, later in zip(own, own[1:]))


def failing_window(failures, delays=None):
    """Windows in ``failures`` answer that status to their first page; ``delays`` slow some windows down."""
    def handler(call):
        index = window_of(call)
        if index in failures and 'cursor' not in call.query:
            return {'status': failures[index], 'body': error_body('window %d failed' % index, 'TRK-W%d' % index)}
        return paged_listing(call)

    def delay(call):
        return (delays or {}).get(window_of(call), 0.01)
    return handler, delay


@pytest.mark.parametrize('max_concurrency', [1, 2, 6])
def test_a_failed_window_fails_the_listing_with_the_first_error_in_window_order(max_concurrency):
    # window 4 fails fast, window 2 fails slowly: the error is window 2's, as in the sequential listing
    handler, delay = failing_window({2: 500, 4: 404}, delays={2: 0.15})
    h = Harness(handler, max_concurrency=max_concurrency, delay=delay)
    with pytest.raises(WebexApiError) as caught:
        h.read(WINDOWS, admin=True)
    assert caught.value.status == 500 and caught.value.tracking_id == 'TRK-W2'
    assert h.client.request_counts()['reads'] == len(h.calls)
    # the first pages are read before any further page: a failed one stops the listing there
    assert all('cursor' not in call.query for call in h.calls)
    if max_concurrency == 1:
        assert max(window_of(call) for call in h.calls) == 2       # sequential: stops at the failure


def test_windows_after_a_failure_are_not_started():
    # window 1 fails at once, the others answer slowly: the failure is known before a worker is free again
    handler, delay = failing_window({1: 404}, delays=dict((index, 0.0 if index == 1 else 0.2) for index in range(len(WINDOWS))))
    h = Harness(handler, max_concurrency=2, delay=delay)
    with pytest.raises(WebexApiError, match='window 1 failed'):
        h.read(WINDOWS)
    started = {window_of(call) for call in h.calls}
    assert started <= {0, 1, 2}   # window 0 read alone first; window 2 took the other worker with window 1
    assert len(h.calls) < sum(max(1, count) for count in PAGES)


def test_retries_and_budget_are_shared_by_the_windows():
    answered = set()

    def handler(call):
        index = window_of(call)
        if index not in answered:
            answered.add(index)
            return {'status': 429, 'headers': {'Retry-After': '2'}, 'body': error_body('slow down', 'TRK-429')}
        return paged_listing(call)

    h = Harness(handler, max_concurrency=4, max_wait=9)
    with pytest.raises(WebexApiError) as caught:
        h.read(WINDOWS)
    # 6 windows x 2 s would need 12 s; the budget of 9 s allows exactly 4 waits, whichever threads take them
    assert caught.value.status == 429 and 'retry budget exhausted' in str(caught.value)
    assert h.slept == [2.0] * 4 and h.policy.waited == 8.0
    assert h.client.request_counts()['retries'] == len(h.events) == 4

    h = Harness(handler, max_concurrency=4, max_wait=120)
    answered.clear()
    items, pages = h.read(WINDOWS)
    assert h.client.request_counts() == {'reads': pages + len(WINDOWS), 'writes': 0, 'retries': len(WINDOWS)}
    assert sorted(h.slept) == [2.0] * len(WINDOWS)
    assert (items, pages) == Harness(paged_listing, max_concurrency=1).read(WINDOWS)


def test_recordings_come_in_the_collection_fields_and_filters_in_the_profile_words():
    def handler(call):
        return {'body': {'items': [
            {'id': 'r1', 'status': 'deleted', 'ownerEmail': 'a@b.example', 'ownerId': 'A', 'createTime': '2026-01-02T00:00:00Z',
             'serviceData': {'locationId': 'L1'}, 'format': 'MP3'},
            {'id': 'r2', 'ownerId': 'WS-1', 'createTime': '2026-01-02T06:00:00+08:00'},      # no status: kept
            {'id': 'r3', 'status': 'available', 'createTime': '2026-01-04T00:00:00Z'},       # another status: dropped
            {'status': 'deleted'}, 'not-an-item',                                             # no recording: dropped
        ]}}

    h = Harness(handler, max_concurrency=1, delay=0)
    window = ('2026-01-01T00:00:00Z', '2026-01-30T00:00:00Z')
    recordings, pages = h.read([window], admin=True, owner_email='a@b.example', filters={'location_id': 'L1', 'topic': 'x'})
    assert pages == 1
    assert h.calls[0].path == '/v1/admin/convergedRecordings'
    assert h.calls[0].query == {'locationId': 'L1', 'topic': 'x', 'status': 'deleted', 'max': '100', 'from': window[0],
                                'to': window[1], 'ownerEmail': 'a@b.example'}
    # newest first as instants: r1 (2 Jan 00:00Z) is newer than r2 (1 Jan 22:00Z), though its text sorts lower
    assert [recording['id'] for recording in recordings] == ['r1', 'r2']
    # Converged has no host display names, sites, shares or meeting ids: those fields of the Meetings API are left out.
    assert all(set(recording) == set(RECORDING_FIELDS) - {'owner_name', 'site_url', 'share_to_me', 'meeting_id'}
               for recording in recordings)
    assert recordings[0]['owner_email'] == 'a@b.example' and recordings[0]['location_id'] == 'L1'
    assert recordings[1]['owner_id'] == 'WS-1' and recordings[1]['status'] is None

    h = Harness(handler, max_concurrency=1, delay=0)
    recordings, dummy = h.read([window], fields=('id', 'owner_email'))
    assert h.calls[0].path == '/v1/convergedRecordings' and 'ownerEmail' not in h.calls[0].query
    # the status is always kept: it decides what the listing keeps
    assert recordings == [{'id': 'r1', 'owner_email': 'a@b.example', 'status': 'deleted'},
                          {'id': 'r2', 'owner_email': None, 'status': None}]


def test_no_windows_no_request():
    h = Harness(paged_listing)
    assert h.read([]) == ([], 0)
    assert h.calls == []


def test_in_pool_keeps_the_input_order_and_the_bound():
    # the first items answer slowest: results come back in input order, not in completion order
    transport = ScriptedTransport(handler=lambda call: {'body': {}}, delay=lambda call: 0.05 - 0.004 * int(call.path.rsplit('/', 1)[1]))
    client = WebexClient(API, TOKEN, max_concurrency=3)
    client.session.mount('https://', transport)
    assert in_pool(lambda number: (client.get_json('/x/%d' % number), number)[1], list(range(10)), 3) == list(range(10))
    assert 1 < transport.max_in_flight <= 3
    assert in_pool(lambda number: number, [], 3) == []


# -- dense windows read as sub-windows (against the simulator in-process) -------------------------

def _listing(max_concurrency=4):
    client = WebexClient(SIMULATED_API, ADMIN_TOKEN, retry_policy=RetryPolicy(120, sleep=lambda seconds: None, rand=lambda: 0.0),
                         max_concurrency=max_concurrency)
    return client, Listing(client, ConvergedApi(), max_concurrency)


def _at(webex, moment, recording_id, owner='alice@example.com'):
    """A deleted recording created exactly at ``moment`` (whole seconds, as Webex gives createTime)."""
    days_ago = (webex.sim.start_time - moment).total_seconds() / 86400 - 1e-7
    webex.add(recording_id, owner=owner, days_ago=days_ago)


def _parse(text):
    return datetime.strptime(text, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=timezone.utc)


def test_a_dense_window_is_read_as_sub_windows_and_ties_on_their_boundaries_are_listed_once(webex):
    start = webex.sim.start_time - timedelta(days=28)
    window = (windows_.format_time(start), windows_.format_time(webex.sim.start_time + timedelta(days=1)))
    # 1,600 recordings on 400 distinct seconds (4 at each: ties), spread from the window's start to now
    for index in range(1600):
        _at(webex, start + timedelta(seconds=6048 * (index // 4) + 1), 'r%04d' % index)
    client, dummy = _listing(max_concurrency=4)
    path, query = ConvergedApi().list_request(True, window, 'deleted')
    assert query == {'status': 'deleted', 'max': 100, 'from': window[0], 'to': window[1]}
    first_page, dummy = client.read_page(path, query, set())
    parts = windows_.dense_window_parts(window, [item['createTime'] for item in first_page], 4)
    assert parts and len(parts) == 5
    # more recordings exactly on every boundary between sub-windows, 3 on each (ties)
    boundaries = sorted(set(_parse(part[0]) for part in parts) - {start})
    for number, moment in enumerate(boundaries):
        for tie in range(3):
            _at(webex, moment, 'edge-%d-%d' % (number, tie))
    webex.clear_log()
    client, listing = _listing(max_concurrency=4)
    items = listing.read([window], admin=True)
    ids = [item['id'] for item in items]
    expected = sorted(item['id'] for item in webex.sim.recordings(status='deleted'))
    assert len(ids) == len(set(ids)) == len(expected) == 1600 + 3 * len(boundaries)
    assert sorted(ids) == expected
    # the listing asked for exactly these sub-windows, and every edge recording sits in exactly one
    asked = sorted(set((call['query']['from'], call['query']['to']) for call in webex.reads() if 'from' in call['query']))
    assert asked == sorted([window] + parts)
    for number, moment in enumerate(boundaries):
        holders = [part for part in parts if _parse(part[0]) <= moment < _parse(part[1])]
        assert len(holders) == 1
    # reads: the window's first page, then every page of every sub-window (each holding n_i: ceil(n_i / 100), at least 1)
    created = dict((item['id'], _parse(item['createTime'])) for item in webex.sim.recordings(status='deleted'))
    pages = 0
    for part in parts:
        held = sum(1 for moment in created.values() if _parse(part[0]) <= moment < _parse(part[1]))
        pages += max(1, -(-held // 100))
    assert client.request_counts() == {'reads': 1 + pages, 'writes': 0, 'retries': 0}
    # the cost of reading concurrently: the first page again, and at most one partial page per sub-window
    assert 1 + pages <= -(-len(expected) // 100) + 1 + len(parts)


def test_enough_dense_windows_keep_their_cursors_and_the_minimum_reads(webex):
    client, listing = _listing(max_concurrency=2)
    windows = windows_.lookback_windows(datetime.now(timezone.utc), 365)
    for index in range(600):
        webex.add('s%03d' % index, days_ago=1 + (index % 6) * 30)   # 100 in each of six windows: one page each... plus
    for index in range(150):
        webex.add('t%03d' % index, days_ago=2 + (index % 3) * 30)   # ...150 more in three of them: 3 dense windows >= 2 workers
    items = listing.read(windows, admin=True)
    assert len(items) == 750
    counts = {}
    created = [_parse(item['create_time']) for item in items]
    for start, end in windows:
        counts[(start, end)] = sum(1 for moment in created if _parse(start) <= moment < _parse(end))
    least = sum(max(1, -(-count // 100)) for count in counts.values())
    assert client.request_counts()['reads'] == least
    assert not [call for call in webex.reads() if 'from' in call['query'] and (call['query']['from'], call['query']['to'])
                not in windows]


TIME_FORMS = [{}, {'timezone': 'Asia/Shanghai'}, {'time_fraction': 3}, {'timezone': 'America/New_York', 'time_fraction': 6}]


@pytest.mark.parametrize('form', TIME_FORMS, ids=['Z', 'offset', 'fraction', 'offset+fraction'])
def test_a_dense_window_is_split_alike_whatever_form_the_server_writes_times_in(webex, form):
    """Webex may write createTime with an offset or fractional seconds: the split must not depend on it."""
    start = webex.sim.start_time - timedelta(days=28)
    window = (windows_.format_time(start), windows_.format_time(webex.sim.start_time + timedelta(days=1)))
    for index in range(1200):
        _at(webex, start + timedelta(seconds=2016 * index + 1), 'r%04d' % index)
    runs = {}
    for name, settings in (('Z', {'timezone': None, 'time_fraction': 0}), ('form', dict({'timezone': None, 'time_fraction': 0}, **form))):
        webex.clear_log()                        # (a reset of the log also resets the settings: set them after)
        webex.sim.set_settings(settings)
        client, listing = _listing(max_concurrency=4)
        items = listing.read([window], admin=True)
        asked = sorted(set((call['query']['from'], call['query']['to']) for call in webex.reads()))
        runs[name] = ([item['id'] for item in items], asked, client.request_counts(), items[0]['create_time'])
    ids, asked, counts, newest = runs['form']
    assert len(ids) == 1200 and len(asked) == 6          # the window, then 5 sub-windows: split
    assert runs['form'][:3] == runs['Z'][:3]             # same order, same sub-windows, same reads
    if form:
        assert newest != runs['Z'][3] and windows_.parse_time(newest) == windows_.parse_time(runs['Z'][3])
