"""Authentication (401) and scopes (403) on every endpoint."""

import pytest

from conftest import assert_error, check_schema, recordings_of


@pytest.mark.parametrize('headers', [{}, {'Authorization': 'Bearer nope-token'}, {'Authorization': 'Basic YWxpY2U6eA=='},
                                     {'Authorization': 'Bearer'}, {'Authorization': 'alice-token'}])
@pytest.mark.parametrize('method, path', [('GET', '/convergedRecordings'), ('GET', '/admin/convergedRecordings'),
                                          ('GET', '/convergedRecordings/some-id'), ('POST', '/convergedRecordings/restore'),
                                          ('POST', '/convergedRecordings/softDelete'), ('POST', '/convergedRecordings/purge')])
def test_missing_unknown_or_malformed_authorization_is_401(client, method, path, headers):
    response = client.request(method, path, headers=dict(headers), json={'restoreAll': True})
    assert_error(response, 401)


def test_user_list_needs_user_read_scope(client):
    assert_error(client.list('compliance-token'), 403, 'spark:recordings_read')


def test_admin_list_needs_admin_or_compliance_read_scope(client):
    for token in ('alice-token', 'reader-token'):
        assert_error(client.list(token, admin=True), 403, 'spark-admin:recordings_read')
    for token in ('admin-token', 'compliance-token'):
        response = client.list(token, admin=True)
        assert response.status_code == 200
        check_schema('recording-list.json', response.json())


def test_details_scopes(simulator, client):
    alice_id = recordings_of(simulator, 'alice', 'available')[0]['id']
    response = client.get('/convergedRecordings/' + alice_id, 'alice-token')
    assert response.status_code == 200
    check_schema('recording-details.json', response.json())
    # reader holds spark:recordings_read but it is not alice's recording
    assert_error(client.get('/convergedRecordings/' + alice_id, 'reader-token'), 404, alice_id)


@pytest.mark.parametrize('operation, body', [('restore', {'restoreAll': True}), ('softDelete', {'trashAll': True}),
                                             ('purge', {'purgeAll': True})])
def test_write_needs_user_or_admin_write_scope(simulator, client, operation, body):
    before = simulator.recordings()
    for token in ('reader-token', 'compliance-token'):
        assert_error(client.action(operation, token, body), 403, 'recordings_write')
    assert simulator.recordings() == before


def test_scopes_checked_after_authentication(client):
    # an unknown token never learns about scopes
    assert_error(client.list('ghost', admin=True), 401)
