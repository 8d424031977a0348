# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""How the service reads a bin over its windows, on scripted pages (the windows and cursors are
synthetic, so that the order of the exchanges can be asserted): the concurrent listing gives the same
merged result and request count as the sequential one, a failed window fails the listing with the first
error in window order, windows after it are not started, retries share one budget. What the listings
mean is tested against the simulator (test_recordings.py)."""

import urllib.parse
from collections import Counter

import pytest

from ansible_collections.webexops.recordings.plugins.module_utils._recordings import RecordingsService
from ansible_collections.webexops.recordings.plugins.module_utils._retry import RetryPolicy
from ansible_collections.webexops.recordings.plugins.module_utils._webex_client import WebexApiError, WebexClient

from scripted_transport import API, TOKEN, ScriptedTransport, error_body

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
        self.service = RecordingsService(self.client, max_concurrency)

    def read_bin(self, windows, **kwargs):
        """(items, pages): the listing and the number of GET pages it took."""
        items = self.service.read_bin(windows, **kwargs)
        return items, self.client.request_counts()['reads'] - self.client.request_counts()['retries']

    @property
    def calls(self):
        return self.transport.calls


def test_concurrent_listing_equals_the_sequential_one():
    sequential = Harness(paged_listing, max_concurrency=1)
    expected = sequential.read_bin(WINDOWS, admin=True, owner_email='a@b.example')
    concurrent = Harness(paged_listing, max_concurrency=4)
    items, pages = concurrent.read_bin(WINDOWS, admin=True, owner_email='a@b.example')

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
        h.read_bin(WINDOWS, admin=True)
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
        h.read_bin(WINDOWS)
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
        h.read_bin(WINDOWS)
    # 6 windows x 2 s would need 12 s; the budget of 9 s allows exactly 4 waits, whichever threads take them
    assert caught.value.status == 429 and 'retry budget exhausted' in str(caught.value)
    assert h.slept == [2.0] * 4 and h.policy.waited == 8.0
    assert h.client.request_counts()['retries'] == len(h.events) == 4

    h = Harness(handler, max_concurrency=4, max_wait=120)
    answered.clear()
    items, pages = h.read_bin(WINDOWS)
    assert h.client.request_counts() == {'reads': pages + len(WINDOWS), 'writes': 0, 'retries': len(WINDOWS)}
    assert sorted(h.slept) == [2.0] * len(WINDOWS)
    assert (items, pages) == Harness(paged_listing, max_concurrency=1).read_bin(WINDOWS)
