"""Listing: scopes of each endpoint, filters, window, max, ordering, pagination."""

import base64
import datetime
import urllib.parse

import pytest
import requests

from conftest import assert_error, check_schema, ids_of, recordings_of
from webex_simulator import Simulator

UTC = datetime.timezone.utc


def iso(moment):
    return moment.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')


def created(item):
    return datetime.datetime.fromisoformat(item['createTime'])


def window_ids(simulator, owner, status, days_from, days_to=0):
    """Ids of the owner's recordings created between days_from and days_to days ago, newest first."""
    now = datetime.datetime.now(UTC)
    low, high = now - datetime.timedelta(days=days_from), now - datetime.timedelta(days=days_to)
    items = [item for item in recordings_of(simulator, owner, status) if low <= created(item) < high]
    return ids_of(sorted(items, key=lambda item: (-created(item).timestamp(), item['id'])))


def test_user_list_defaults_to_own_available_of_last_7_days(simulator, client):
    response = client.list('alice-token')
    assert response.status_code == 200
    body = response.json()
    check_schema('recording-list.json', body)
    assert ids_of(body['items']) == window_ids(simulator, 'alice', 'available', 7)
    assert body['items'] and {item['ownerEmail'] for item in body['items']} == {'alice@example.com'}
    assert 'Link' not in response.headers
    assert response.headers['trackingid']


def test_user_list_deleted_is_the_bin(simulator, client):
    items, dummy = client.list_all('alice-token', status='deleted')
    assert ids_of(items) == window_ids(simulator, 'alice', 'deleted', 7)
    assert {item['status'] for item in items} == {'deleted'}


def test_user_list_ignores_owner_filters(simulator, client):
    items, dummy = client.list_all('alice-token', status='deleted', ownerEmail='bob@example.com')
    assert ids_of(items) == window_ids(simulator, 'alice', 'deleted', 7)


def test_user_list_rejects_purged_and_unknown_status(client):
    assert_error(client.list('alice-token', status='purged'), 400, 'status')
    assert_error(client.list('alice-token', status='trash'), 400, 'status')
    assert_error(client.list('admin-token', admin=True, status='trash'), 400, 'status')


def test_admin_list_without_owner_is_the_whole_org(simulator, client):
    items, dummy = client.list_all('admin-token', admin=True, status='deleted', max=100)
    expected = sorted(set(window_ids(simulator, 'alice', 'deleted', 7) + window_ids(simulator, 'bob', 'deleted', 7)
                          + window_ids(simulator, 'carol', 'deleted', 7)))
    assert sorted(ids_of(items)) == expected
    assert {item['ownerEmail'] for item in items} == {'alice@example.com', 'bob@example.com', 'carol@example.com'}


def test_admin_list_owner_email_and_owner_id_filters(simulator, client):
    bob = recordings_of(simulator, 'bob')[0]
    expected = window_ids(simulator, 'bob', 'deleted', 7)
    by_email, dummy = client.list_all('admin-token', admin=True, status='deleted', ownerEmail='bob@example.com')
    by_id, dummy = client.list_all('admin-token', admin=True, status='deleted', ownerId=bob['ownerId'])
    both, dummy = client.list_all('admin-token', admin=True, status='deleted', ownerId=bob['ownerId'], ownerEmail='bob@example.com')
    assert ids_of(by_email) == ids_of(by_id) == ids_of(both) == expected
    mismatch, dummy = client.list_all('admin-token', admin=True, status='deleted', ownerId=bob['ownerId'], ownerEmail='alice@example.com')
    unknown, dummy = client.list_all('admin-token', admin=True, ownerEmail='ghost@example.com')
    assert mismatch == [] and unknown == []
    assert_error(client.list('admin-token', admin=True, ownerEmail='not-an-email'), 400, 'ownerEmail')


def test_admin_list_does_not_cross_orgs(two_orgs):
    items, dummy = two_orgs.list_all('admin-token', admin=True, status='deleted', ownerEmail='dave@other.example.com')
    assert items == []
    items, dummy = two_orgs.list_all('other-admin-token', admin=True, status='deleted')
    assert ids_of(items) == ['dddddddd-0000-5000-8000-000000000002']


def test_purged_listing_only_for_compliance_officer(simulator, client):
    assert_error(client.list('admin-token', admin=True, status='purged'), 403, 'compliance')
    response = client.list('compliance-token', admin=True, status='purged', max=100)
    assert response.status_code == 200
    items = response.json()['items']
    # The published RecordingObject lists no 'purged' status; those items follow the details schema.
    for item in items:
        check_schema('recording-details.json', item)
    assert {item['status'] for item in items} == {'purged'}
    assert sorted(ids_of(items)) == sorted(window_ids(simulator, 'alice', 'purged', 7) + window_ids(simulator, 'bob', 'purged', 7)
                                           + window_ids(simulator, 'carol', 'purged', 7))


def test_window_from_inclusive_to_exclusive_on_create_time(simulator, client):
    target = recordings_of(simulator, 'alice', 'deleted')[0]
    moment = created(target)
    included = client.list('alice-token', status='deleted', **{'from': iso(moment), 'to': iso(moment + datetime.timedelta(seconds=1))})
    excluded = client.list('alice-token', status='deleted', **{'from': iso(moment - datetime.timedelta(seconds=1)), 'to': iso(moment)})
    assert ids_of(included.json()['items']) == [target['id']]
    assert excluded.json()['items'] == []
    for response in (included, excluded):
        check_schema('recording-list.json', response.json())


def test_old_recordings_need_a_window_covering_their_create_time(simulator, client):
    now = datetime.datetime.now(UTC)
    params = {'from': iso(now - datetime.timedelta(days=60)), 'to': iso(now - datetime.timedelta(days=30))}
    items, dummy = client.list_all('alice-token', status='deleted', **params)
    assert ids_of(items) == window_ids(simulator, 'alice', 'deleted', 60, 30)
    assert len(items) == 1


def test_only_from_or_only_to_spans_7_days(simulator, client):
    now = datetime.datetime.now(UTC)
    only_from, dummy = client.list_all('alice-token', status='deleted', **{'from': iso(now - datetime.timedelta(days=50))})
    assert ids_of(only_from) == window_ids(simulator, 'alice', 'deleted', 50, 43)
    only_to, dummy = client.list_all('alice-token', status='deleted', to=iso(now - datetime.timedelta(days=40)))
    assert ids_of(only_to) == window_ids(simulator, 'alice', 'deleted', 47, 40)
    assert len(only_from) == len(only_to) == 1


def test_iso_8601_with_offset_and_naive(simulator, client):
    now = datetime.datetime.now(UTC)
    offset = (now - datetime.timedelta(days=6)).astimezone(datetime.timezone(datetime.timedelta(hours=8))).isoformat()
    naive = (now + datetime.timedelta(minutes=1)).replace(tzinfo=None).isoformat()
    items, dummy = client.list_all('alice-token', status='deleted', **{'from': offset, 'to': naive})
    assert ids_of(items) == window_ids(simulator, 'alice', 'deleted', 6)


def test_window_errors(client):
    now = datetime.datetime.now(UTC)
    assert_error(client.list('alice-token', **{'from': iso(now), 'to': iso(now - datetime.timedelta(seconds=1))}), 400, 'from')
    assert_error(client.list('alice-token', **{'from': 'yesterday'}), 400, 'ISO 8601')
    too_wide = {'from': iso(now - datetime.timedelta(days=30, seconds=1)), 'to': iso(now)}
    assert_error(client.list('admin-token', admin=True, **too_wide), 400, '30 days')
    exactly_30 = {'from': iso(now - datetime.timedelta(days=30)), 'to': iso(now)}
    assert client.list('admin-token', admin=True, **exactly_30).status_code == 200
    # the user endpoint publishes no 30-day limit
    assert client.list('alice-token', **too_wide).status_code == 200


@pytest.mark.parametrize('value', ['0', '101', '-1', 'ten', '2.5'])
def test_max_out_of_bounds_is_400(client, value):
    assert_error(client.list('alice-token', max=value), 400, 'max')


def test_max_bounds_and_default(client):
    simulator = client.simulator
    simulator.add_recordings({'generate': {'owners': 1, 'per_owner': 150, 'domain': 'example.com', 'created_days_ago': [0.01, 6]}})
    token_seed = {'tokens': [{'token': 'gen-token', 'email': 'user0000@example.com', 'scopes': ['spark:recordings_read']}]}
    simulator.add_recordings(token_seed)
    assert len(client.list('gen-token').json()['items']) == 10
    assert len(client.list('gen-token', max=1).json()['items']) == 1
    assert len(client.list('gen-token', max=100).json()['items']) == 100
    items, pages = client.list_all('gen-token', max=100)
    assert (len(items), pages) == (150, 2)


def test_newest_first_with_id_tie_break(client):
    simulator = client.simulator
    tie = [{'id': 'tie-%s' % letter, 'owner_email': 'carol@example.com', 'created_days_ago': 0.5, 'topic': 'tie'} for letter in 'cab']
    simulator.add_recordings({'items': tie})
    items, dummy = client.list_all('admin-token', admin=True, ownerEmail='carol@example.com', max=2)
    keys = [(-created(item).timestamp(), item['id']) for item in items]
    assert keys == sorted(keys)
    assert [item['id'] for item in items if item['id'].startswith('tie-')] == ['tie-a', 'tie-b', 'tie-c']


def test_pagination_follows_link_until_exhausted(client):
    simulator = client.simulator
    simulator.add_recordings({'generate': {'owners': 20, 'per_owner': 5, 'status': 'deleted', 'domain': 'example.com',
                                           'created_days_ago': [0.1, 6.9]}})
    expected = client.list('admin-token', admin=True, status='deleted', max=100).json()['items']
    items, pages = client.list_all('admin-token', admin=True, status='deleted', max=7)
    in_window = [item for item in simulator.recordings(status='deleted')
                 if created(item) > datetime.datetime.now(UTC) - datetime.timedelta(days=7)]
    assert len(items) == len(in_window) == 109
    assert len(set(ids_of(items))) == len(items)
    assert ids_of(items)[:100] == ids_of(expected)
    assert pages == -(-len(items) // 7)


def test_next_link_is_absolute_and_keeps_filters(client):
    response = client.list('admin-token', admin=True, status='deleted', ownerEmail='alice@example.com', max=1)
    link = response.links['next']['url']
    assert link.startswith(client.simulator.api_url + '/admin/convergedRecordings?')
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    assert query['status'] == ['deleted'] and query['ownerEmail'] == ['alice@example.com'] and query['max'] == ['1']
    assert 'cursor' in query and 'from' in query and 'to' in query


def test_removing_items_between_pages_skips_nothing(simulator, client):
    first = client.list('alice-token', status='deleted', max=1)
    first_id = first.json()['items'][0]['id']
    client.action('restore', 'alice-token', {'recordingIds': [first_id]})
    rest = []
    response = client.get(first.links['next']['url'], 'alice-token')
    while True:
        rest.extend(response.json()['items'])
        if 'next' not in response.links:
            break
        response = client.get(response.links['next']['url'], 'alice-token')
    assert len(rest) >= 2
    assert ids_of(rest) == window_ids(simulator, 'alice', 'deleted', 7)


def test_tampered_cursor_is_400(client):
    response = client.list('admin-token', admin=True, status='deleted', max=1)
    link = response.links['next']['url']
    split = urllib.parse.urlsplit(link)
    query = dict(urllib.parse.parse_qsl(split.query))
    for change in ({'cursor': query['cursor'][:-3] + 'AAA'}, {'cursor': 'garbage!'}, {'status': 'available'}, {'max': '2'},
                   {'ownerEmail': 'bob@example.com'}):
        tampered = dict(query, **change)
        url = urllib.parse.urlunsplit(split._replace(query=urllib.parse.urlencode(tampered)))
        assert_error(client.get(url, 'admin-token'), 400, 'cursor')


def test_extra_published_filters(simulator, client):
    simulator.add_recordings({'items': [{'id': 'assist-1', 'owner_email': 'alice@example.com', 'service_type': 'customerAssist',
                                         'storage_region': 'DE', 'created_days_ago': 0.2, 'topic': 'Queue Call About Billing'}]})
    assert ids_of(client.list('alice-token', serviceType='customerAssist').json()['items']) == ['assist-1']
    assert ids_of(client.list('alice-token', storageRegion='DE').json()['items']) == ['assist-1']
    assert ids_of(client.list('alice-token', topic='about billing').json()['items']) == ['assist-1']
    assert 'assist-1' not in ids_of(client.list('alice-token', serviceType='calling').json()['items'])
    assert_error(client.list('alice-token', serviceType='meeting'), 400, 'serviceType')


def test_admin_lists_a_generated_org_of_5000():
    seed = {'people': [{'email': 'boss@bulk.example.com'}],
            'tokens': [{'token': 't', 'email': 'boss@bulk.example.com', 'scopes': ['spark-admin:recordings_read']}],
            'generate': [{'owners': 1000, 'per_owner': 5, 'status': 'deleted', 'domain': 'bulk.example.com', 'created_days_ago': [0, 6]}]}
    with Simulator(seed=seed) as simulator:
        response = requests.get(simulator.api_url + '/admin/convergedRecordings', params={'status': 'deleted', 'max': 100},
                                headers={'Authorization': 'Bearer t'}, timeout=5)
        assert response.status_code == 200
        check_schema('recording-list.json', response.json())
        assert len(response.json()['items']) == 100 and 'next' in response.links


# Window bounds at the edges of what a datetime holds: the defaults (7 days before or after the one bound given)
# and offsets used to overflow, and the simulator dropped the connection (OverflowError) instead of answering.
@pytest.mark.parametrize('admin, params, fragment', [
    (False, {'to': '0001-01-01T00:00:00Z'}, 'from defaults to 7 days before to'),
    (True, {'to': '0001-01-01T00:00:00Z'}, 'from defaults to 7 days before to'),
    (True, {'from': '9999-12-30T00:00:00Z'}, 'to defaults to 7 days after from'),
    (False, {'from': '9999-12-30T00:00:00Z'}, 'to defaults to 7 days after from'),
    (False, {'from': '0001-01-01T00:00:00+01:00', 'to': '0001-01-03T00:00:00Z'}, 'out of the supported range'),
    (True, {'from': '9999-12-30T00:00:00Z', 'to': '9999-12-31T23:59:59-01:00'}, 'out of the supported range'),
])
def test_window_out_of_range_is_400(client, admin, params, fragment):
    assert_error(client.list('admin-token' if admin else 'alice-token', admin=admin, **params), 400, fragment)
    # the connection was kept: the next request on the same session is served
    assert client.list('alice-token').status_code == 200
    assert client.simulator.counters()['connections'] == 1


@pytest.mark.parametrize('params', [{'from': '0001-01-01T00:00:00Z'}, {'to': '0001-01-08T00:00:00Z'},
                                    {'from': '9999-12-24T23:59:59.999999Z'}, {'to': '9999-12-31T23:59:59.999999Z'},
                                    {'from': '9999-12-01T00:00:00Z', 'to': '9999-12-31T00:00:00Z'}])
def test_window_at_the_edges_of_the_range_is_served(client, params):
    response = client.list('admin-token', admin=True, status='deleted', **params)
    assert response.status_code == 200, response.text
    assert response.json() == {'items': []}


def test_admin_window_limit_uses_the_instants_not_the_wall_clock(client):
    # 30 days apart on the calendar, but 31 days and 2 hours apart in time: refused, naming the rule
    wide = {'from': '2024-01-01T00:00:00+14:00', 'to': '2024-01-31T00:00:00-12:00'}
    body = assert_error(client.list('admin-token', admin=True, **wide), 400, 'within 30 days')
    assert 'to - from is 31 days, 2:00:00' in body['message']
    narrow = {'from': '2024-01-01T00:00:00-12:00', 'to': '2024-01-31T00:00:00+14:00'}
    assert client.list('admin-token', admin=True, **narrow).status_code == 200
    # exactly 30 days with an offset on one side only, and one microsecond more
    exact = {'from': '2024-01-01T05:00:00+05:00', 'to': '2024-01-31T00:00:00Z'}
    assert client.list('admin-token', admin=True, **exact).status_code == 200
    over = {'from': '2024-01-01T05:00:00+05:00', 'to': '2024-01-31T00:00:00.000001Z'}
    assert_error(client.list('admin-token', admin=True, **over), 400, 'within 30 days')
    # the compliance officer uses the same endpoint and the same rule
    assert_error(client.list('compliance-token', admin=True, **over), 400, 'within 30 days')


def test_admin_window_with_one_bound_spans_7_days(client):
    # Only from or only to: the published defaults make a 7-day window, always inside the 30-day rule,
    # and the next link pins it.
    for params, pinned in (({'from': '2024-03-01T00:00:00Z'}, ('2024-03-01T00:00:00Z', '2024-03-08T00:00:00Z')),
                           ({'to': '2024-03-01T00:00:00+01:00'}, ('2024-02-22T23:00:00Z', '2024-02-29T23:00:00Z'))):
        client.simulator.add_recordings({'items': [
            {'owner_email': 'carol@example.com', 'status': 'deleted', 'topic': 'old %s %d' % (pinned[0], number),
             'created_days_ago': (datetime.datetime.now(UTC) - datetime.datetime.fromisoformat(pinned[0])).total_seconds()
             / 86400 - 1 - number * 0.1} for number in range(3)]})
        response = client.list('admin-token', admin=True, status='deleted', max=1, **params)
        assert response.status_code == 200, response.text
        assert len(response.json()['items']) == 1
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(response.links['next']['url']).query)
        assert (query['from'], query['to']) == ([pinned[0]], [pinned[1]])


def test_deeply_nested_cursor_is_400(client):
    cursor = base64.urlsafe_b64encode(b'[' * 20000 + b']' * 20000).decode().rstrip('=')
    assert_error(client.list('alice-token', status='deleted', cursor=cursor), 400, 'cursor')
    assert client.simulator.counters()['connections'] == 1
