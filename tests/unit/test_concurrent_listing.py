# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The listing windows read concurrently: the same merged result and request count as the sequential
listing, a refused listing costs one request, a failed window fails the listing, retries stay counted."""

import urllib.parse
from collections import Counter

import pytest

from ansible_collections.webexops.recordings.plugins.module_utils._retry import RetryPolicy
from ansible_collections.webexops.recordings.plugins.module_utils._webex_client import WebexApiError, WebexClient

from restore_fakes import API, TOKEN, FakeTransport, FakeWebex, error_body

W = 13  # listing windows of the default lookback_days (365)
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
        self.transport = FakeTransport(handler=handler, delay=delay)
        self.client.session.mount('https://', self.transport)

    @property
    def calls(self):
        return self.transport.calls


def test_concurrent_listing_equals_the_sequential_one():
    sequential = Harness(paged_listing, max_concurrency=1)
    expected = sequential.client.list_deleted(WINDOWS, admin=True, owner_email='a@b.example')
    concurrent = Harness(paged_listing, max_concurrency=4)
    items, pages = concurrent.client.list_deleted(WINDOWS, admin=True, owner_email='a@b.example')

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


def test_concurrent_listing_is_faster():
    sequential = Harness(paged_listing, max_concurrency=1, delay=0.03)
    sequential.client.list_deleted(WINDOWS)
    concurrent = Harness(paged_listing, max_concurrency=6, delay=0.03)
    concurrent.client.list_deleted(WINDOWS)
    span = [calls[-1].answered - calls[0].started for calls in (sequential.calls, concurrent.calls)]
    # sequential: 13 pages one after the other; concurrent: the probe then the longest window (4 pages)
    assert span[1] < span[0] * 0.75


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
        h.client.list_deleted(WINDOWS, admin=True)
    assert caught.value.status == 500 and caught.value.tracking_id == 'TRK-W2'
    assert h.client.request_counts()['reads'] == len(h.calls)
    # windows before the failed one were read completely (their errors would have come first)
    for index in (0, 1):
        assert len([call for call in h.calls if window_of(call) == index]) == max(1, PAGES[index])
    if max_concurrency == 1:
        assert max(window_of(call) for call in h.calls) == 2       # sequential: stops at the failure


def test_windows_after_a_failure_are_not_started():
    handler, delay = failing_window({1: 404})
    h = Harness(handler, max_concurrency=2, delay=delay)
    with pytest.raises(WebexApiError, match='window 1 failed'):
        h.client.list_deleted(WINDOWS)
    started = {window_of(call) for call in h.calls}
    assert started <= {0, 1, 2}   # window 0 was running with it; at most one more had taken the free worker
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
        h.client.list_deleted(WINDOWS)
    # 6 windows x 2 s would need 12 s; the budget of 9 s allows exactly 4 waits, whichever threads take them
    assert caught.value.status == 429 and 'retry budget exhausted' in str(caught.value)
    assert h.slept == [2.0] * 4 and h.policy.waited == 8.0
    assert h.client.request_counts()['retries'] == len(h.events) == 4

    h = Harness(handler, max_concurrency=4, max_wait=120)
    answered.clear()
    items, pages = h.client.list_deleted(WINDOWS)
    assert h.client.request_counts() == {'reads': pages + len(WINDOWS), 'writes': 0, 'retries': len(WINDOWS)}
    assert sorted(h.slept) == [2.0] * len(WINDOWS)
    assert (items, pages) == Harness(paged_listing, max_concurrency=1).client.list_deleted(WINDOWS)


# -- the module ------------------------------------------------------------------------------------

def reads(transport):
    return [call for call in transport.calls if call.method == 'GET']


def populate(api, owners=4, per_owner=230):
    """Recordings spread over several windows, more than 100 in some of them (extra pages)."""
    for owner in range(owners):
        for index in range(per_owner):
            api.add('o%d-%03d' % (owner, index), owner='user%d@example.com' % owner, days_ago=(index * 7) % 360 + 1 if index % 2 else 40)


@pytest.mark.parametrize('args', [
    {'owner_emails': ['user0@example.com', 'user2@example.com', 'user3@example.com']},
    {'owner_emails': ['user1@example.com']},
    {'restore_all': True, 'owner_email': 'user2@example.com'},
])
def test_module_result_and_counts_do_not_depend_on_max_concurrency(run_module, http_transport, args):
    results = []
    for max_concurrency in (1, 8):
        api = FakeWebex(admin=True)
        populate(api)
        http_transport.handler = api
        del http_transport.calls[:]
        outcome = run_module(dict(args, max_concurrency=max_concurrency))
        assert not outcome.failed, outcome.result.get('msg')
        results.append(outcome.result)
        assert len(reads(http_transport)) == outcome.result['requests']['reads']
    assert results[0] == results[1]
    assert results[0]['requests']['reads'] > W     # some windows have extra pages


def test_bin_listing_fallback_costs_exactly_one_extra_request(run_module, fake_webex, http_transport):
    ids = ['u%03d' % index for index in range(230)]
    for index, recording_id in enumerate(ids):
        fake_webex.add(recording_id, days_ago=40 if index < 210 else 100)   # 210 in one window: 2 extra pages
    outcome = run_module({'recording_ids': ids, 'max_concurrency': 8})
    result = outcome.result
    assert not outcome.failed, result.get('msg')
    assert result['strategy'] == 'bin_listing' and result['restored'] == ids
    assert result['requests'] == {'reads': 1 + W + 2, 'writes': 3, 'retries': 0}
    admin = [call for call in reads(http_transport) if call.path == '/v1/admin/convergedRecordings']
    assert len(admin) == 1 and reads(http_transport)[0] is admin[0]
    assert len(reads(http_transport)) == 1 + W + 2


@pytest.mark.parametrize('args', [
    {'owner_emails': ['a@example.com', 'b@example.com'], 'max_concurrency': 8},
    {'owner_emails': ['a@example.com'], 'max_concurrency': 8},
    {'restore_all': True, 'owner_email': 'a@example.com', 'max_concurrency': 8},
])
def test_a_refused_listing_costs_one_request(run_module, fake_webex, http_transport, args):
    fake_webex.fault(lambda call: call.method == 'GET', {'status': 403, 'body': error_body('Forbidden', 'T-403')}, times=100)
    outcome = run_module(args)
    assert outcome.failed and 'T-403' in outcome.result['msg']
    assert outcome.result['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}
    assert len(http_transport.calls) == 1
