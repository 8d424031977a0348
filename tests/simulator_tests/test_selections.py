"""Selections by location, owner type, service type, topic and creation window; owners without an email.

Workspaces (ownerType place) and virtual lines have no email: seeds name them by id, the API leaves ownerEmail
out of their recordings, the admin listing finds them by ownerId, and an administrator restores them by id.
Every filter the published definition gives the list endpoints is checked over HTTP against the same
selection computed here from the control API's view of the data.
"""

import datetime
import urllib.parse

import pytest

from conftest import Client, assert_error, assert_no_content, check_schema, ids_of
from webex_simulator import Simulator
from webex_simulator import seed as seedlib

UTC = datetime.timezone.utc

# The default seed's locations and owners without an email (tests/simulator/seeds/default.yml)
HQ = '217a6baf-3eb2-5144-9fbc-0cffbe17e74c'
BRANCH = '582a320e-6b7f-5c04-9ffa-f7bd68865eb6'
WAREHOUSE = '3e01d2bb-984d-56fd-a220-df96744c5640'
LOBBY = '9a3377b8-29c6-595b-a3f1-74a283a5167e'  # workspace (place), Branch
DOCK = 'a52a3398-6a8b-5485-b637-4e81d2fa86f5'  # workspace (place), Warehouse
HOTLINE = 'e4e80f40-d7ae-5a2e-a519-f7736f9e5eee'  # virtual line, Warehouse
ERIN_TOKEN = {'tokens': [{'token': 'erin-token', 'email': 'erin@example.com',
                          'scopes': ['spark:recordings_read', 'spark:recordings_write']}]}


def iso(moment):
    return moment.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')


def created(item):
    return datetime.datetime.fromisoformat(item['createTime'])


def last_days(days):
    """A window ending now: the admin endpoint takes at most 30 days."""
    now = datetime.datetime.now(UTC) + datetime.timedelta(seconds=1)
    return {'from': iso(now - datetime.timedelta(days=days)), 'to': iso(now)}


def matches(item, name, value):
    """What each published filter means, written independently of the simulator."""
    if name == 'topic':
        return value.lower() in item['topic'].lower()
    if name == 'locationId':
        return (item.get('serviceData') or {}).get('locationId') == value
    if name == 'ownerEmail':
        return (item.get('ownerEmail') or '').lower() == value.lower()
    return item.get(name) == value


def expected_ids(simulator, status, window, filters, owner_id=None):
    """The ids a listing must give, newest first (ties by id), from every recording of the simulator."""
    low, high = (datetime.datetime.fromisoformat(window[bound].replace('Z', '+00:00')) for bound in ('from', 'to'))
    items = [item for item in simulator.recordings(status=status)
             if low <= created(item) < high and all(matches(item, name, value) for name, value in filters.items())
             and (owner_id is None or item['ownerId'] == owner_id)]
    return ids_of(sorted(items, key=lambda item: (-created(item).timestamp(), item['id'])))


def follow(client, token, response):
    """Every page from a first response; each page checked against the schema and its Link kept."""
    items, links = [], []
    while True:
        assert response.status_code == 200, response.text
        check_schema('recording-list.json', response.json())
        items.extend(response.json()['items'])
        if 'next' not in response.links:
            return items, links
        links.append(response.links['next']['url'])
        response = client.get(links[-1], token)


@pytest.fixture(name='erin')
def erin_fixture(simulator):
    """The default seed plus a user token for erin (Branch, calling and customerAssist recordings)."""
    simulator.add_recordings(ERIN_TOKEN)
    return 'erin-token'


# the default seed


def test_default_seed_has_owners_without_email_locations_and_service_types(simulator):
    items = simulator.recordings()
    emailless = [item for item in items if 'ownerEmail' not in item]
    assert {item['ownerId'] for item in emailless} == {LOBBY, DOCK, HOTLINE}
    assert {item['ownerType'] for item in emailless} == {'place', 'virtualLine'}
    for owner_type in ('place', 'virtualLine'):
        assert {item['status'] for item in emailless if item['ownerType'] == owner_type} >= {'available', 'deleted'}
    assert {item['serviceData']['locationId'] for item in items} == {HQ, BRANCH, WAREHOUSE}
    assert {item['serviceType'] for item in items} == {'calling', 'customerAssist'}
    assert {item['serviceType'] for item in emailless} == {'calling', 'customerAssist'}
    # The default listings (last 7 days) and so the contract stage never meet an owner without an email.
    week_ago = datetime.datetime.now(UTC) - datetime.timedelta(days=7)
    assert all(created(item) < week_ago for item in emailless)
    for item in items:
        check_schema('recording-details.json', item)


def test_default_listings_show_no_owner_without_email(client):
    for status in ('available', 'deleted'):
        items, dummy = client.list_all('admin-token', admin=True, status=status, max=100)
        assert items and all('ownerEmail' in item for item in items)


# owners without an email


def test_owner_without_email_has_no_owner_email_key(simulator, client):
    window = last_days(30)
    items, dummy = client.list_all('admin-token', admin=True, status='deleted', ownerId=HOTLINE, max=100, **window)
    assert items and {item['ownerType'] for item in items} == {'virtualLine'}
    assert all('ownerEmail' not in item and item['ownerId'] == HOTLINE for item in items)
    details = client.get('/convergedRecordings/' + items[0]['id'], 'admin-token')
    assert details.status_code == 200
    assert 'ownerEmail' not in details.json() and details.json()['ownerType'] == 'virtualLine'
    # an administrator reading another owner's recording gets no download links
    assert 'temporaryDirectDownloadLinks' not in details.json()
    check_schema('recording-details.json', details.json())
    assert all('ownerEmail' not in item for item in simulator.recordings(owner_id=HOTLINE))


def test_admin_list_finds_owners_without_email_by_owner_id(simulator, client):
    window = last_days(30)
    for owner_id in (LOBBY, DOCK, HOTLINE):
        for status in ('available', 'deleted'):
            items, dummy = client.list_all('admin-token', admin=True, status=status, ownerId=owner_id, max=100, **window)
            assert ids_of(items) == expected_ids(simulator, status, window, {}, owner_id=owner_id)
            assert items and {item['ownerId'] for item in items} == {owner_id}
    # an email names a person, never a workspace: with the workspace's id it is someone else, so nothing
    mismatch, dummy = client.list_all('admin-token', admin=True, status='deleted', ownerId=LOBBY,
                                      ownerEmail='erin@example.com', **window)
    assert mismatch == []


def test_compliance_officer_reads_purged_recordings_of_a_workspace(simulator, client):
    purged = simulator.recordings(owner_id=LOBBY, status='purged')
    assert len(purged) == 1
    window = last_days(30)
    response = client.list('compliance-token', admin=True, status='purged', ownerId=LOBBY, **window)
    assert response.status_code == 200 and ids_of(response.json()['items']) == ids_of(purged)
    # purged items follow the details schema (the published list schema has no 'purged' status)
    check_schema('recording-details.json', response.json()['items'][0])
    details = client.get('/convergedRecordings/' + purged[0]['id'], 'compliance-token')
    assert details.status_code == 200 and 'ownerEmail' not in details.json()
    assert 'temporaryDirectDownloadLinks' in details.json()


def test_control_recordings_by_owner_id(simulator, client):
    by_id = client.control('GET', '/recordings', params={'ownerId': LOBBY}).json()['items']
    assert by_id and {item['ownerId'] for item in by_id} == {LOBBY}
    assert ids_of(by_id) == ids_of(simulator.recordings(owner_id=LOBBY))
    deleted = client.control('GET', '/recordings', params={'ownerId': LOBBY, 'status': 'deleted'}).json()['items']
    assert deleted and {item['status'] for item in deleted} == {'deleted'}
    erin = client.control('GET', '/recordings', params={'ownerEmail': 'ERIN@example.com'}).json()['items']
    erin_id = erin[0]['ownerId']
    both = client.control('GET', '/recordings', params={'ownerEmail': 'erin@example.com', 'ownerId': erin_id}).json()['items']
    assert ids_of(both) == ids_of(erin)
    assert client.control('GET', '/recordings', params={'ownerEmail': 'erin@example.com', 'ownerId': LOBBY}).json() == {'items': []}
    assert client.control('GET', '/recordings', params={'ownerId': 'no-such-owner'}).json() == {'items': []}


def test_admin_restores_workspace_and_virtual_line_recordings_by_id(simulator, client):
    ids = ids_of(simulator.recordings(owner_id=LOBBY, status='deleted')) + ids_of(
        simulator.recordings(owner_id=HOTLINE, status='deleted'))
    assert len(ids) >= 5
    others_before = [item for item in simulator.recordings() if item['ownerId'] not in (LOBBY, HOTLINE)]
    assert_no_content(client.action('restore', 'admin-token', {'recordingIds': ids}))
    statuses = {item['id']: item['status'] for item in simulator.recordings()}
    assert {statuses[recording_id] for recording_id in ids} == {'available'}
    assert simulator.recordings(owner_id=LOBBY, status='deleted') == []
    assert [item for item in simulator.recordings() if item['ownerId'] not in (LOBBY, HOTLINE)] == others_before
    # the bin listing of the workspace is empty now
    items, dummy = client.list_all('admin-token', admin=True, status='deleted', ownerId=LOBBY, **last_days(30))
    assert items == []
    # softDelete and purge by id work the same way
    assert_no_content(client.action('softDelete', 'admin-token', {'recordingIds': ids[:1]}))
    assert_no_content(client.action('purge', 'admin-token', {'recordingIds': ids[:1]}))
    assert {item['id']: item['status'] for item in simulator.recordings()}[ids[0]] == 'purged'


def test_restore_all_by_email_cannot_target_an_owner_without_email(simulator, client):
    workspace_bin = simulator.recordings(owner_id=DOCK, status='deleted')
    assert workspace_bin
    # restoreAll names owners by email only: erin's bin is restored, the workspaces' and the virtual line's stay
    assert_no_content(client.action('restore', 'admin-token', {'restoreAll': True, 'ownerEmail': 'erin@example.com'}))
    assert simulator.recordings(owner_email='erin@example.com', status='deleted') == []
    assert simulator.recordings(owner_id=DOCK, status='deleted') == workspace_bin
    assert simulator.recordings(owner_id=HOTLINE, status='deleted')
    # an id is not an email (400), and no email reaches a workspace (404)
    assert_error(client.action('restore', 'admin-token', {'restoreAll': True, 'ownerEmail': DOCK}), 400, 'ownerEmail')
    assert_error(client.action('restore', 'admin-token', {'restoreAll': True, 'ownerEmail': 'loading.dock@example.com'}),
                 404, 'No owner')
    assert simulator.recordings(owner_id=DOCK, status='deleted') == workspace_bin


def test_user_cannot_restore_a_workspace_recording(simulator, client):
    recording_id = ids_of(simulator.recordings(owner_id=LOBBY, status='deleted'))[0]
    assert_error(client.action('restore', 'alice-token', {'recordingIds': [recording_id]}), 404, recording_id)
    assert_error(client.get('/convergedRecordings/' + recording_id, 'alice-token'), 404)
    assert {item['id']: item['status'] for item in simulator.recordings()}[recording_id] == 'deleted'


def test_admin_of_another_org_cannot_reach_a_workspace():
    seed = {'org_id': 'org-a',
            'people': [{'email': 'boss@b.example.com', 'org_id': 'org-b'},
                       {'id': 'ws-a', 'type': 'place', 'display_name': 'Room A'}],
            'tokens': [{'token': 'boss-b', 'email': 'boss@b.example.com',
                        'scopes': ['spark-admin:recordings_read', 'spark-admin:recordings_write']}],
            'recordings': [{'id': 'rec-a', 'owner_id': 'ws-a', 'status': 'deleted', 'created_days_ago': 1}]}
    with Simulator(seed=seed) as simulator:
        client = Client(simulator)
        try:
            assert client.list('boss-b', admin=True, status='deleted', ownerId='ws-a').json() == {'items': []}
            assert_error(client.action('restore', 'boss-b', {'recordingIds': ['rec-a']}), 404, 'rec-a')
        finally:
            client.session.close()


# seeds


def test_seed_people_without_email_owner_id_and_locations():
    seed = {'org_id': 'org-1',
            'people': [{'email': 'ann@example.com', 'location_id': 'L-ann'},
                       {'id': 'ws-1', 'type': 'place', 'display_name': 'Lobby', 'location_id': 'L-lobby'},
                       {'id': 'vl-1', 'type': 'virtualLine'},
                       {'id': 'cq-1', 'type': 'callQueue', 'display_name': 'Queue'},
                       {'id': 'ws-2', 'type': 'place', 'email': 'room2@example.com'}],
            'recordings': [{'id': 'r1', 'owner_id': 'ws-1', 'status': 'deleted'},
                           {'id': 'r2', 'owner_id': 'ws-1', 'location_id': 'L-other', 'service_type': 'customerAssist'},
                           {'id': 'r3', 'owner_id': 'vl-1', 'storage_region': 'JP'},
                           {'id': 'r4', 'owner_email': 'ANN@example.com'},
                           {'id': 'r5', 'owner_email': 'ann@example.com', 'owner_id': seedlib.state.derived_id(
                               'person', 'ann@example.com')},
                           {'id': 'r6', 'owner_id': 'cq-1'},
                           {'id': 'r7', 'owner_id': 'ws-2'},
                           {'owner_id': 'ws-1', 'topic': 'derived id'}]}
    simulator = Simulator(seed=seed)
    by_id = {item['id']: item for item in simulator.recordings()}
    assert len(by_id) == 8
    assert 'ownerEmail' not in by_id['r1'] and by_id['r1']['ownerType'] == 'place' and by_id['r1']['ownerId'] == 'ws-1'
    assert by_id['r1']['serviceData']['locationId'] == 'L-lobby'  # the owner's location
    assert by_id['r2']['serviceData']['locationId'] == 'L-other'  # the recording's own
    assert by_id['r2']['serviceType'] == 'customerAssist' and by_id['r1']['serviceType'] == 'calling'
    assert by_id['r3']['ownerType'] == 'virtualLine' and 'ownerEmail' not in by_id['r3'] and by_id['r3']['storageRegion'] == 'JP'
    # no location on the owner: the org's default location, the same for every such recording
    default_location = by_id['r3']['serviceData']['locationId']
    assert by_id['r6']['serviceData']['locationId'] == default_location and default_location not in ('L-lobby', 'L-ann')
    assert by_id['r4']['ownerEmail'] == by_id['r5']['ownerEmail'] == 'ann@example.com'
    assert by_id['r4']['serviceData']['locationId'] == 'L-ann'
    assert by_id['r6']['ownerType'] == 'callQueue' and 'ownerEmail' not in by_id['r6']
    # a workspace may have an email too
    assert by_id['r7']['ownerEmail'] == 'room2@example.com' and by_id['r7']['ownerType'] == 'place'
    derived = [item for item in by_id.values() if item['topic'] == 'derived id']
    assert derived[0]['ownerId'] == 'ws-1'
    # deterministic: the same seed gives the same ids
    assert sorted(by_id) == sorted(item['id'] for item in Simulator(seed=seed).recordings())
    for item in by_id.values():
        check_schema('recording-details.json', item)


@pytest.mark.parametrize('seed, fragment', [
    ({'people': [{'display_name': 'Nobody'}]}, 'type user needs an email'),
    ({'people': [{'id': 'u-1', 'type': 'user'}]}, 'type user needs an email'),
    ({'people': [{'type': 'place', 'display_name': 'Lobby'}]}, 'place without an email needs an id'),
    ({'people': [{'type': 'virtualLine'}]}, 'virtualLine without an email needs an id'),
    ({'people': [{'id': 'ws', 'type': 'place', 'email': ''}]}, 'email must be a non-empty string'),
    ({'people': [{'id': 'ws', 'type': 'place', 'email': 7}]}, 'email must be a non-empty string'),
    ({'people': [{'id': ['ws'], 'type': 'place'}]}, "id must be a string"),
    ({'people': [{'id': 'ws', 'type': 'place', 'location_id': 5}]}, 'location_id must be a string'),
    ({'people': [{'id': 'ws', 'type': 'workspace'}]}, 'person type must be one of'),
    ({'people': [{'id': 'ws', 'type': 'place'}], 'recordings': [{'status': 'deleted'}]}, 'needs owner_email or owner_id'),
    ({'people': [{'id': 'ws', 'type': 'place'}], 'recordings': [{'owner_id': 'nope'}]}, "unknown owner_id 'nope'"),
    ({'people': [{'id': 'ws', 'type': 'place'}], 'recordings': [{'owner_id': ['ws']}]}, 'owner_id must be a string'),
    ({'people': [{'id': 'ws', 'type': 'place'}, {'email': 'a@example.com'}],
      'recordings': [{'owner_id': 'ws', 'owner_email': 'a@example.com'}]}, 'name different people'),
    ({'people': [{'id': 'ws', 'type': 'place'}], 'recordings': [{'owner_id': 'ws', 'service_type': 'meeting'}]},
     'service_type must be one of'),
    ({'people': [{'id': 'ws', 'type': 'place'}], 'recordings': [{'owner_id': 'ws', 'storage_region': 'EU'}]},
     'storage_region must be one of'),
    ({'people': [{'id': 'ws', 'type': 'place'}], 'recordings': [{'owner_id': 'ws', 'location_id': ['L1']}]},
     'location_id must be a string'),
    ({'generate': [{'owners': 1, 'service_type': 'meeting'}]}, 'service_type must be one of'),
])
def test_bad_seed_people_and_owners(seed, fragment):
    with pytest.raises(seedlib.SeedError) as error:
        Simulator(seed=seed)
    assert fragment in str(error.value)


def test_control_api_adds_owners_without_email(simulator, client):
    fragment = {'people': [{'id': 'ws-new', 'type': 'place', 'display_name': 'New Room', 'location_id': BRANCH}],
                'items': [{'id': 'ws-new-1', 'owner_id': 'ws-new', 'status': 'deleted', 'created_days_ago': 9}]}
    added = client.control('POST', '/recordings', json=fragment).json()['items']
    assert ids_of(added) == ['ws-new-1'] and 'ownerEmail' not in added[0]
    assert added[0]['serviceData']['locationId'] == BRANCH
    window = last_days(30)
    items, dummy = client.list_all('admin-token', admin=True, status='deleted', locationId=BRANCH, ownerType='place', **window)
    assert 'ws-new-1' in ids_of(items)
    assert_error(client.control('POST', '/recordings', json={'items': [{'owner_id': 'ghost'}]}), 400, 'ghost')
    assert_error(client.control('POST', '/recordings', json={'people': [{'type': 'place'}]}), 400, 'needs an id')


def test_generate_with_location_and_service_type(simulator, client):
    added = simulator.add_recordings({'generate': {'owners': 2, 'per_owner': 3, 'status': 'deleted', 'domain': 'gen.example.com',
                                                   'location_id': 'L-gen', 'service_type': 'customerAssist',
                                                   'storage_region': 'AU', 'created_days_ago': [1, 2]}})
    assert len(added) == 6
    assert {(item['serviceData']['locationId'], item['serviceType'], item['storageRegion']) for item in added} == {
        ('L-gen', 'customerAssist', 'AU')}
    items, dummy = client.list_all('admin-token', admin=True, status='deleted', locationId='L-gen', max=4)
    assert sorted(ids_of(items)) == sorted(ids_of(added))


# every published filter, over HTTP


# (filters, whether the default seed has matches in the admin bin or available listing of the last 30 days)
ADMIN_FILTERS = [
    ({'locationId': HQ}, True),
    ({'locationId': BRANCH}, True),
    ({'locationId': WAREHOUSE}, True),
    ({'locationId': 'no-such-location'}, False),
    ({'ownerType': 'user'}, True),
    ({'ownerType': 'place'}, True),
    ({'ownerType': 'virtualLine'}, True),
    ({'ownerType': 'callQueue'}, False),
    ({'serviceType': 'calling'}, True),
    ({'serviceType': 'customerAssist'}, True),
    ({'format': 'MP3'}, True),
    ({'topic': 'lobby'}, True),
    ({'topic': 'CALLBACK'}, True),
    ({'topic': 'no such topic'}, False),
    ({'storageRegion': 'US'}, True),
    ({'storageRegion': 'GB'}, True),
    ({'storageRegion': 'JP'}, False),
    ({'ownerId': LOBBY}, True),
    ({'ownerId': HOTLINE}, True),
    ({'ownerEmail': 'Erin@Example.com'}, True),
    ({'ownerEmail': 'erin@example.com', 'ownerId': 'bb5d7de0-5e8c-5f72-9cbc-9b7a70412cea'}, True),
    # combinations: every filter must match
    ({'locationId': WAREHOUSE, 'ownerType': 'virtualLine', 'serviceType': 'customerAssist'}, True),
    ({'locationId': WAREHOUSE, 'ownerType': 'place'}, True),
    ({'locationId': BRANCH, 'ownerType': 'user', 'serviceType': 'customerAssist'}, True),
    ({'ownerEmail': 'erin@example.com', 'locationId': WAREHOUSE}, True),
    ({'ownerId': LOBBY, 'topic': 'courier'}, True),
    ({'ownerId': LOBBY, 'locationId': WAREHOUSE}, False),
    ({'serviceType': 'calling', 'storageRegion': 'GB', 'format': 'MP3'}, True),
    ({'locationId': HQ, 'ownerType': 'place'}, False),
]


@pytest.mark.parametrize('filters, found', ADMIN_FILTERS, ids=lambda value: None if isinstance(value, bool) else
                         '&'.join('%s=%s' % (name, value[name][:12]) for name in value))
def test_admin_filter(simulator, client, filters, found):
    window = last_days(30)
    results = {}
    for status in ('available', 'deleted'):
        expected = expected_ids(simulator, status, window, filters)
        items, dummy = client.list_all('admin-token', admin=True, status=status, max=100, **window, **filters)
        assert ids_of(items) == expected, (status, filters)
        for item in items:
            assert all(matches(item, name, value) for name, value in filters.items() if name != 'ownerId')
            assert 'ownerId' not in filters or item['ownerId'] == filters['ownerId']
        results[status] = expected
    assert bool(results['available'] + results['deleted']) == found


USER_FILTERS = [
    ({'locationId': BRANCH}, True),
    ({'locationId': WAREHOUSE}, True),
    ({'locationId': HQ}, False),
    ({'ownerType': 'user'}, True),
    ({'ownerType': 'place'}, False),
    ({'serviceType': 'customerAssist'}, True),
    ({'serviceType': 'calling'}, True),
    ({'format': 'MP3'}, True),
    ({'topic': 'ASSISTED'}, True),
    ({'storageRegion': 'US'}, True),
    ({'storageRegion': 'GB'}, False),
    ({'locationId': BRANCH, 'serviceType': 'calling', 'topic': 'branch'}, True),
    ({'locationId': WAREHOUSE, 'serviceType': 'customerAssist'}, False),
]


@pytest.mark.parametrize('filters, found', USER_FILTERS, ids=lambda value: None if isinstance(value, bool) else
                         '&'.join('%s=%s' % (name, value[name][:12]) for name in value))
def test_user_filter(simulator, client, erin, filters, found):
    window = last_days(60)  # the user endpoint has no 30-day limit
    results = []
    for status in ('available', 'deleted'):
        expected = expected_ids(simulator, status, window, dict(filters, ownerEmail='erin@example.com'))
        items, dummy = client.list_all(erin, status=status, max=100, **window, **filters)
        assert ids_of(items) == expected, (status, filters)
        results += expected
    assert bool(results) == found


def test_user_endpoint_filters_only_the_callers_own_recordings(simulator, client, erin):
    window = last_days(60)
    # owner filters are not published for the user endpoint: ignored, the caller's own recordings only
    items, dummy = client.list_all(erin, status='deleted', ownerId=LOBBY, ownerEmail='alice@example.com', **window)
    assert items and {item['ownerEmail'] for item in items} == {'erin@example.com'}
    items, dummy = client.list_all(erin, status='deleted', locationId=WAREHOUSE, **window)
    assert ids_of(items) == expected_ids(simulator, 'deleted', window, {'locationId': WAREHOUSE, 'ownerEmail': 'erin@example.com'})
    assert len(items) == 1  # the Loading Dock and the Support Hotline are at the Warehouse too, but not erin's


@pytest.mark.parametrize('admin', [False, True], ids=['user', 'admin'])
@pytest.mark.parametrize('name, value', [
    ('serviceType', 'meeting'), ('serviceType', 'Calling'), ('format', 'MP4'), ('format', 'mp3'),
    ('ownerType', 'workspace'), ('ownerType', 'PLACE'), ('storageRegion', 'EU'), ('storageRegion', 'us'),
])
def test_filter_outside_the_published_values_is_400(client, admin, name, value):
    token = 'admin-token' if admin else 'alice-token'
    assert_error(client.list(token, admin=admin, **{name: value}), 400, name)
    if admin:
        # also when the owner is unknown: the value is checked first
        assert_error(client.list(token, admin=True, ownerEmail='ghost@example.com', **{name: value}), 400, name)


@pytest.mark.parametrize('name', ['locationId', 'topic', 'ownerId'])
def test_free_text_filters_take_any_value(client, name):
    for value in ('x', 'Call with User7', '%00', '\u00e9t\u00e9', ' '):
        response = client.list('admin-token', admin=True, status='deleted', **{name: value})
        assert response.status_code == 200, response.text
    # the user endpoint publishes locationId and topic, and ignores ownerId
    assert client.list('alice-token', **{name: 'x'}).status_code == 200


def test_filtered_paging_keeps_the_filter_in_every_link(simulator, client):
    window = last_days(30)
    filters = {'ownerType': 'place', 'locationId': BRANCH}
    expected = expected_ids(simulator, 'deleted', window, filters)
    assert len(expected) >= 2
    first = client.list('admin-token', admin=True, status='deleted', max=1, **window, **filters)
    items, links = follow(client, 'admin-token', first)
    assert ids_of(items) == expected
    assert len(links) == len(expected) - 1
    for link in links:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
        assert query['ownerType'] == ['place'] and query['locationId'] == [BRANCH] and query['status'] == ['deleted']
        assert query['max'] == ['1'] and 'cursor' in query


@pytest.mark.parametrize('filters', [
    {'serviceType': 'customerAssist'}, {'ownerEmail': 'erin@example.com'}, {'topic': 'call'},
    {'storageRegion': 'GB', 'serviceType': 'customerAssist'}, {'locationId': WAREHOUSE, 'ownerType': 'virtualLine'},
])
def test_filtered_paging_gives_every_match_once(simulator, client, filters):
    window = last_days(30)
    for status in ('available', 'deleted'):
        expected = expected_ids(simulator, status, window, filters)
        first = client.list('admin-token', admin=True, status=status, max=1, **window, **filters)
        items, links = follow(client, 'admin-token', first)
        assert ids_of(items) == expected
        assert len(links) == max(len(expected) - 1, 0)


def test_filtered_paging_with_many_non_matching_recordings_in_between(simulator, client):
    # 200 recordings elsewhere between the matching ones: a page of the filtered listing still holds max matches
    simulator.add_recordings({'generate': {'owners': 40, 'per_owner': 5, 'status': 'deleted', 'domain': 'noise.example.com',
                                           'created_days_ago': [8, 25]}})
    simulator.add_recordings({'people': [{'id': 'ws-far', 'type': 'place', 'location_id': 'L-far'}],
                              'items': [{'id': 'far-%02d' % number, 'owner_id': 'ws-far', 'status': 'deleted',
                                         'created_days_ago': 8 + number * 0.7} for number in range(25)]})
    window = last_days(30)
    response = client.list('admin-token', admin=True, status='deleted', locationId='L-far', max=10, **window)
    items, links = follow(client, 'admin-token', response)
    assert ids_of(items) == ['far-%02d' % number for number in range(25)]
    assert len(links) == 2


def test_cursor_does_not_carry_over_to_another_filter(client):
    window = last_days(30)
    first = client.list('admin-token', admin=True, status='deleted', max=1, ownerType='place', **window)
    link = first.links['next']['url']
    split = urllib.parse.urlsplit(link)
    query = dict(urllib.parse.parse_qsl(split.query))
    for change in ({'ownerType': 'virtualLine'}, {'locationId': BRANCH}, {'topic': 'call'}, {'serviceType': 'calling'}):
        url = urllib.parse.urlunsplit(split._replace(query=urllib.parse.urlencode(dict(query, **change))))
        assert_error(client.get(url, 'admin-token'), 400, 'cursor')
    without = {name: value for name, value in query.items() if name != 'ownerType'}
    url = urllib.parse.urlunsplit(split._replace(query=urllib.parse.urlencode(without)))
    assert_error(client.get(url, 'admin-token'), 400, 'cursor')
    assert client.get(link, 'admin-token').status_code == 200


def test_creation_window_selects_on_create_time(simulator, client):
    # A narrow window picks exactly the recordings created inside it, with or without other filters.
    lobby = sorted(simulator.recordings(owner_id=LOBBY, status='deleted'), key=created)
    newest = lobby[-1]
    moment = created(newest)
    window = {'from': iso(moment), 'to': iso(moment + datetime.timedelta(seconds=1))}
    items, dummy = client.list_all('admin-token', admin=True, status='deleted', ownerType='place', **window)
    assert ids_of(items) == [newest['id']]
    before = {'from': iso(moment - datetime.timedelta(days=1)), 'to': iso(moment)}
    items, dummy = client.list_all('admin-token', admin=True, status='deleted', ownerId=LOBBY, **before)
    assert newest['id'] not in ids_of(items)
    # the old recordings (70 and 95 days) need windows of their own, 30 days at most each
    now = datetime.datetime.now(UTC)
    for days_from, days_to, filters in ((100, 71, {'ownerType': 'place'}), (71, 41, {'ownerType': 'virtualLine'})):
        window = {'from': iso(now - datetime.timedelta(days=days_from)), 'to': iso(now - datetime.timedelta(days=days_to))}
        items, dummy = client.list_all('admin-token', admin=True, status='deleted', **window, **filters)
        assert len(items) == 1 and ids_of(items) == expected_ids(simulator, 'deleted', window, filters)
    wide = {'from': iso(now - datetime.timedelta(days=100)), 'to': iso(now - datetime.timedelta(days=41))}
    assert_error(client.list('admin-token', admin=True, status='deleted', ownerType='place', **wide), 400, 'within 30 days')
