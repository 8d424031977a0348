"""Meetings: details, the site list, scopes, routing, counters and log, faults, the control API and the seed."""

import json

import pytest
import requests

from conftest import assert_error, assert_no_content
from meetings_support import (EU, US, R, action, check_details, check_sites, choices_client, meeting_seed, statuses)
from webex_simulator import Simulator
from webex_simulator import seed as seedlib


def details(client, token, number_or_id, host=None, site=None):
    recording_id = R.get(number_or_id, number_or_id)
    headers = {'siteUrl': site} if site is not None else {}
    params = {'hostEmail': host} if host is not None else None
    return client.get('/recordings/%s' % recording_id, token, params=params, headers=headers)


# details

def test_details_of_own_and_shared(client):
    own = details(client, 'alice-token', 1)
    assert own.status_code == 200
    body = own.json()
    check_details(body)
    assert body['id'] == R[1] and body['shareToMe'] is False and body['siteUrl'] == US
    links = body['temporaryDirectDownloadLinks']
    assert set(links) == {'recordingDownloadLink', 'audioDownloadLink', 'transcriptDownloadLink', 'expiration'}
    assert all('.invalid/' in links[name] for name in links if name != 'expiration')
    shared = details(client, 'alice-token', 13).json()
    assert shared['shareToMe'] is True and shared['siteUrl'] == EU
    # neither hosted by nor shared with alice
    assert_error(details(client, 'alice-token', 12), 404, R[12])
    assert_error(details(client, 'alice-token', '0' * 32), 404)


def test_details_of_binned_and_purged_recordings(client):
    assert_error(details(client, 'alice-token', 3), 404, R[3])
    assert_error(details(client, 'alice-token', 8), 404, R[8])


def test_details_of_binned_recordings_under_the_other_reading():
    with choices_client(details_of_deleted='found') as client:
        body = details(client, 'alice-token', 3).json()
        check_details(body)
        assert body['status'] == 'deleted'
        assert_error(details(client, 'alice-token', 8), 404, R[8])


def test_details_site_url_header(simulator, client):
    assert details(client, 'alice-token', 2, site=EU).status_code == 200
    assert details(client, 'alice-token', 2, site='EXAMPLE-eu.webex.com').status_code == 200
    assert_error(details(client, 'alice-token', 2, site=US), 404, R[2])
    assert_error(details(client, 'alice-token', 2, site='nowhere.webex.com'), 404, 'Site not found')
    # the header is in the request log (it is the one header the Meetings API reads besides the token)
    assert simulator.requests()[-1]['headers'] == {'siteUrl': 'nowhere.webex.com'}


def test_details_for_a_host(client):
    body = details(client, 'admin-token', 13, host='carol@example.com', site=EU).json()
    check_details(body)
    # carol's view: her own recording
    assert (body['id'], body['shareToMe']) == (R[13], False)
    assert details(client, 'admin-token', 13, host='alice@example.com').json()['shareToMe'] is True
    assert_error(details(client, 'admin-token', 14, host='carol@example.com'), 404, R[14])  # in the bin
    # without hostEmail an administrator reads only what it hosts or was shared with it
    assert_error(details(client, 'admin-token', 13), 404, R[13])
    assert details(client, 'eu-admin-token', 13, host='carol@example.com').status_code == 200
    assert_error(details(client, 'eu-admin-token', 1, host='alice@example.com'), 403, 'not a site admin of %s' % US)
    assert_error(details(client, 'eu-admin-token', 2, host='alice@example.com', site=US), 403, 'not a site admin')
    assert_error(details(client, 'alice-token', 9, host='bob@example.com'), 403, 'hostEmail')
    assert_error(details(client, 'compliance-token', 1), 403, 'meeting:recordings_read')


def test_get_on_an_action_path_is_405(client):
    for operation in ('restore', 'softDelete', 'purge'):
        response = client.get('/recordings/%s' % operation, 'alice-token')
        assert_error(response, 405)
        assert response.headers['Allow'] == 'POST'
    response = client.post('/recordings', 'alice-token', json={})
    assert_error(response, 405)
    assert response.headers['Allow'] == 'GET'
    assert_error(client.request('PUT', '/meetingPreferences/sites', 'alice-token', json={'siteUrl': EU}), 405)
    assert_error(client.get('/recordings', None), 401)


# site list

def test_site_list_of_the_caller(client):
    for token, expected in (('alice-token', [{'siteUrl': US, 'default': True}, {'siteUrl': EU, 'default': False}]),
                            ('bob-token', [{'siteUrl': US, 'default': True}]),
                            ('admin-token', [{'siteUrl': US, 'default': True}, {'siteUrl': EU, 'default': False}]),
                            ('eu-admin-token', [{'siteUrl': EU, 'default': True}])):
        response = client.get('/meetingPreferences/sites', token)
        assert response.status_code == 200
        check_sites(response.json())
        assert response.json() == {'sites': expected}, token
    assert_error(client.get('/meetingPreferences/sites', 'compliance-token'), 403, 'meeting:preferences_read')


def test_site_list_of_a_user(client):
    def sites(token, **params):
        return client.get('/meetingPreferences/sites', token, params=params)
    # the user is searched on siteUrl, else on the admin's preferred site
    assert sites('admin-token', userEmail='erin@example.com').json() == {
        'sites': [{'siteUrl': US, 'default': False}, {'siteUrl': EU, 'default': True}]}
    assert_error(sites('admin-token', userEmail='carol@example.com'), 404, 'on site %s' % US)
    assert sites('admin-token', userEmail='carol@example.com', siteUrl=EU).json() == {'sites': [{'siteUrl': EU, 'default': True}]}
    assert_error(sites('eu-admin-token', userEmail='bob@example.com'), 404, 'on site %s' % EU)
    assert_error(sites('eu-admin-token', userEmail='bob@example.com', siteUrl=US), 403, 'not a site admin')
    assert_error(sites('admin-token', userEmail='ghost@example.com'), 404, 'ghost@example.com')
    assert_error(sites('admin-token', userEmail='ghost'), 400, 'userEmail')
    assert_error(sites('admin-token', userEmail='carol@example.com', siteUrl='nowhere.webex.com'), 404, 'Site not found')
    assert_error(sites('alice-token', userEmail='bob@example.com'), 403, 'meeting:admin_preferences_read')


def test_site_list_user_email_ignored_under_the_other_reading():
    with choices_client(email_for_users='ignored') as client:
        response = client.get('/meetingPreferences/sites', 'bob-token', params={'userEmail': 'alice@example.com'})
        assert response.json() == {'sites': [{'siteUrl': US, 'default': True}]}


# counters, log, faults

def test_counters_and_log_cover_the_meetings_endpoints(simulator, client, capfd):
    simulator.reset()
    client.get('/recordings', 'alice-token')
    client.get('/admin/recordings', 'admin-token')
    details(client, 'alice-token', 1, site=US)
    client.get('/meetingPreferences/sites', 'alice-token')
    action(client, 'softDelete', 'alice-token', {'recordingIds': [R[1]]})
    action(client, 'restore', 'admin-token', {'recordingIds': [R[1]]}, host='alice@example.com')
    action(client, 'purge', 'alice-token', {'recordingIds': [R[8]]})
    counters = simulator.counters()
    meetings = {key: value for key, value in counters['by_endpoint'].items() if 'onverged' not in key}
    assert meetings == {'GET /v1/recordings': 1, 'GET /v1/admin/recordings': 1, 'GET /v1/recordings/{recordingId}': 1,
                        'GET /v1/meetingPreferences/sites': 1, 'POST /v1/recordings/softDelete': 1,
                        'POST /v1/recordings/restore': 1, 'POST /v1/recordings/purge': 1}
    assert (counters['total'], counters['reads'], counters['writes']) == (7, 4, 3)
    assert counters['by_status'] == {'200': 4, '204': 2, '404': 1}
    log = simulator.requests()
    assert log[2]['path'] == '/v1/recordings/%s' % R[1] and log[2]['headers'] == {'siteUrl': US}
    assert log[5] == {'method': 'POST', 'path': '/v1/recordings/restore', 'query': {'hostEmail': 'alice@example.com'},
                      'body': {'recordingIds': [R[1]]}, 'status': 204, 'authorization': 'Bearer ***'}
    everything = json.dumps(log) + capfd.readouterr().err
    assert 'alice-token' not in everything and 'admin-token' not in everything


def test_faults_apply_to_the_meetings_endpoints(simulator, client):
    simulator.set_faults([{'kind': 'status', 'status': 429, 'retry_after': '2', 'next': 1,
                           'path': '/v1/recordings/{recordingId}'}])
    response = details(client, 'alice-token', 1)
    assert_error(response, 429)
    assert response.headers['Retry-After'] == '2'
    assert details(client, 'alice-token', 1).status_code == 200
    # drop after: the restore is applied, the client gets no answer
    simulator.set_faults([{'kind': 'drop', 'when': 'after', 'next': 1, 'method': 'POST', 'path': '/v1/recordings/restore'}])
    with pytest.raises(requests.ConnectionError):
        action(client, 'restore', 'alice-token', {'recordingIds': [R[3]]})
    assert statuses(simulator, 3) == ['available']
    assert simulator.requests()[-1]['fault'] == 'drop-after' and simulator.requests()[-1]['applied_status'] == 204


# control API

def test_control_listing_of_meeting_recordings(client):
    everything = client.control('GET', '/recordings', params={'api': 'meetings'}).json()['items']
    assert len(everything) == 21 and {item['status'] for item in everything} == {'available', 'deleted', 'purged'}
    first = {item['id']: item for item in everything}[R[1]]
    assert first['hostEmail'] == 'alice@example.com' and first['sharedWith'] == ['bob@example.com'] and first['siteUrl'] == US
    erin = client.control('GET', '/recordings', params={'api': 'meetings', 'hostEmail': 'ERIN@example.com', 'status': 'deleted'}).json()
    assert sorted(item['id'] for item in erin['items']) == sorted([R[17], R[18]])
    eu = client.control('GET', '/recordings', params={'api': 'meetings', 'siteUrl': EU}).json()['items']
    assert {item['siteUrl'] for item in eu} == {EU} and len(eu) == 7
    # the converged listing is unchanged, and holds no meeting recording
    converged = client.control('GET', '/recordings').json()['items']
    assert not {item['id'] for item in converged} & set(R.values())
    assert_error(client.control('GET', '/recordings', params={'api': 'zoom'}), 400, 'api must be')


def test_control_adds_meeting_recordings(simulator, client):
    added = client.control('POST', '/recordings', params={'api': 'meetings'}, json={
        'items': [{'host': 'bob@example.com', 'status': 'deleted', 'created_days_ago': 0.2, 'topic': 'Added',
                   'shared_with': ['alice@example.com'], 'service_type': 'SupportCenter', 'format': 'UPLOADED'}],
        'generate': [{'hosts': 3, 'per_host': 2, 'status': 'deleted', 'sites': [US, EU],
                      'service_type': ['EventCenter', 'TrainingCenter']}]}).json()['items']
    assert len(added) == 7
    assert added[0]['siteUrl'] == US and added[0]['sharedWith'] == ['alice@example.com'] and added[0]['format'] == 'UPLOADED'
    assert all(len(item['id']) == 32 and int(item['id'], 16) >= 0 for item in added)
    generated = added[1:]
    assert {item['hostEmail'] for item in generated} == {'host%04d@meetings.example.com' % number for number in range(3)}
    assert {item['siteUrl'] for item in generated} == {US, EU}
    assert {item['serviceType'] for item in generated} == {'EventCenter', 'TrainingCenter'}
    assert len(simulator.meeting_recordings()) == 28
    # generated hosts are set up on the sites they host on, first one preferred
    response = client.get('/meetingPreferences/sites', 'admin-token', params={'userEmail': 'host0001@meetings.example.com'})
    assert response.json() == {'sites': [{'siteUrl': US, 'default': True}, {'siteUrl': EU, 'default': False}]}
    # deterministic: the same generate gives the same ids
    again = client.control('POST', '/recordings', params={'api': 'meetings'},
                           json={'generate': {'hosts': 3, 'per_host': 2, 'status': 'deleted', 'sites': [US, EU],
                                              'service_type': ['EventCenter', 'TrainingCenter']}}).json()['items']
    assert [item['id'] for item in again] == [item['id'] for item in generated]
    assert len(simulator.meeting_recordings()) == 28


@pytest.mark.parametrize('fragment, message', [
    ({'items': [{'host': 'ghost@example.com'}]}, 'ghost@example.com'),
    ({'items': [{'host': 'bob@example.com', 'site': EU}]}, 'not set up on site'),
    ({'items': [{'host': 'bob@example.com', 'site': 'nowhere.webex.com'}]}, 'unknown site'),
    ({'items': [{'host': 'bob@example.com', 'id': 'not-hex'}]}, '32 lowercase hex'),
    ({'items': [{'host': 'bob@example.com', 'service_type': 'calling'}]}, 'service_type'),
    ({'items': [{'host': 'bob@example.com', 'format': 'MP3'}]}, 'format'),
    ({'items': [{'host': 'bob@example.com', 'status': 'gone'}]}, 'status'),
    ({'items': [{'host': 'bob@example.com', 'shared_with': ['carol@example.com']}]}, 'not set up on site'),
    ({'items': [{'host': 'bob@example.com', 'shared_with': ['bob@example.com']}]}, 'itself'),
    ({'items': [{'host': 'bob@example.com', 'created_days_ago': 1e9}]}, 'created_days_ago'),
    ({'generate': {'hosts': 2000, 'per_host': 1000}}, 'meeting_generate makes'),
    ({'generate': {'hosts': 1, 'sites': ['nowhere.webex.com']}}, 'unknown site'),
    ({'sites': ['not a host name']}, 'host name'),
    ({'site_admins': {US: ['ghost@example.com']}}, 'ghost@example.com'),
    ({'people': [{'email': 'new@example.com', 'sites': [US], 'preferred_site': EU}]}, 'preferred_site'),
    ({'people': [{'email': 'new@example.com', 'sites': 'example.webex.com'}]}, 'list of site URLs'),
])
def test_control_refuses_bad_meeting_data(simulator, client, fragment, message):
    before = simulator.meeting_recordings()
    assert_error(client.control('POST', '/recordings', params={'api': 'meetings'}, json=fragment), 400, message)
    assert simulator.meeting_recordings() == before


def test_reset_restores_the_meetings_data(simulator, client):
    original = simulator.meeting_recordings()
    assert_no_content(action(client, 'restore', 'alice-token', {'restoreAll': True}))
    assert simulator.meeting_recordings() != original
    client.control('POST', '/reset', json={'data': True})
    assert simulator.meeting_recordings() == original


# seed

def test_default_seed_meetings_picture(simulator):
    items = simulator.meeting_recordings()
    assert {item['siteUrl'] for item in items} == {US, EU}
    assert len({item['hostEmail'] for item in items}) >= 5
    assert {item['serviceType'] for item in items} == {'MeetingCenter', 'EventCenter', 'TrainingCenter', 'SupportCenter'}
    assert {item['status'] for item in items} == {'available', 'deleted', 'purged'}
    assert sum(1 for item in items if item['sharedWith']) >= 4
    assert all(len(item['id']) == 32 for item in items)
    # the converged data is what it was: 33 + 16 recordings
    assert len(simulator.recordings()) == 49


def test_seed_choices_are_checked():
    for choices, message in (({'ids': 'some'}, 'ids must be one of'), ({'colour': 'blue'}, 'unknown choice')):
        with pytest.raises(seedlib.SeedError, match=message):
            Simulator(seed=meeting_seed(**choices))


def test_seed_site_of_another_org_is_refused():
    data = meeting_seed()
    data['sites'].append({'url': 'other.webex.com', 'org_id': 'a0a0a0a0-0000-5000-8000-000000000001'})
    data['people'][1]['sites'] = [US, 'other.webex.com']
    with pytest.raises(seedlib.SeedError, match='not in the org'):
        Simulator(seed=data)


def test_seed_without_meetings_data_serves_empty_meetings(client):
    data = meeting_seed()
    for key in ('sites', 'site_admins', 'meeting_recordings'):
        del data[key]
    for person in data['people']:
        person.pop('sites', None)
        person.pop('preferred_site', None)
    with Simulator(seed=data) as running:
        assert running.meeting_recordings() == []
        assert len(running.recordings()) == 49
    assert client.get('/recordings', 'alice-token').status_code == 200


def test_choices_can_change_at_run_time_and_reset_restores_the_seed_s(simulator, client):
    assert_error(action(client, 'restore', 'alice-token', {'recordingIds': [R[3], R[1]]}), 400, R[1])
    client.control('POST', '/recordings', params={'api': 'meetings'}, json={'meeting_choices': {'ids': 'partial'}})
    assert_no_content(action(client, 'restore', 'alice-token', {'recordingIds': [R[3], R[1]]}))
    assert statuses(simulator, 3) == ['available']
    client.control('POST', '/reset', json={'data': True})
    assert_error(action(client, 'restore', 'alice-token', {'recordingIds': [R[3], R[1]]}), 400, R[1])
