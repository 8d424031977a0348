"""Get Recording Details: reach per role, deleted and purged recordings, download links."""

from conftest import assert_error, check_schema, recordings_of


def details(client, token, recording_id):
    return client.get('/convergedRecordings/' + recording_id, token)


def test_owner_sees_details_with_download_links(simulator, client):
    recording = recordings_of(simulator, 'alice', 'available')[0]
    response = details(client, 'alice-token', recording['id'])
    assert response.status_code == 200
    body = response.json()
    check_schema('recording-details.json', body)
    links = body.pop('temporaryDirectDownloadLinks')
    assert body == recording
    assert links['audioDownloadLink'].startswith('https://') and links['expiration'].endswith('Z')
    assert response.headers['trackingid']


def test_deleted_recording_details_say_deleted(simulator, client):
    recording = recordings_of(simulator, 'alice', 'deleted')[0]
    response = details(client, 'alice-token', recording['id'])
    assert response.status_code == 200
    check_schema('recording-details.json', response.json())
    assert response.json()['status'] == 'deleted'


def test_admin_sees_any_org_recording_without_download_links(simulator, client):
    recording = recordings_of(simulator, 'carol', 'deleted')[0]
    response = details(client, 'admin-token', recording['id'])
    assert response.status_code == 200
    check_schema('recording-details.json', response.json())
    assert response.json()['id'] == recording['id']
    assert 'temporaryDirectDownloadLinks' not in response.json()


def test_purged_is_404_except_for_compliance_officer(simulator, client):
    recording = recordings_of(simulator, 'bob', 'purged')[0]
    for token in ('bob-token', 'admin-token'):
        assert_error(details(client, token, recording['id']), 404, recording['id'])
    response = details(client, 'compliance-token', recording['id'])
    assert response.status_code == 200
    check_schema('recording-details.json', response.json())
    assert response.json()['status'] == 'purged'
    assert 'temporaryDirectDownloadLinks' in response.json()


def test_other_users_recording_is_404(simulator, client):
    recording = recordings_of(simulator, 'bob', 'available')[0]
    assert_error(details(client, 'alice-token', recording['id']), 404, recording['id'])


def test_unknown_id_is_404(client):
    assert_error(details(client, 'admin-token', 'no-such-recording'), 404, 'no-such-recording')
    assert_error(details(client, 'compliance-token', 'no-such-recording'), 404)


def test_other_org_is_404_even_for_admin(two_orgs):
    assert_error(details(two_orgs, 'admin-token', 'dddddddd-0000-5000-8000-000000000001'), 404)
    response = details(two_orgs, 'dave-token', 'dddddddd-0000-5000-8000-000000000001')
    assert response.status_code == 200
    check_schema('recording-details.json', response.json())
