"""Meetings listings: the user list (hosted + shared, all sites), the admin list (one site), filters, windows, paging."""

import urllib.parse

import pytest

from conftest import assert_error
from meetings_support import (EU, MEETING_D, MEETING_D_SERIES, US, R, check_user_item, choices_client, days_ago, ids, iso,
                              list_all, listing, numbers, since)


def test_user_list_is_hosted_and_shared_of_the_last_7_days_on_every_site(client):
    response = listing(client, 'alice-token')
    assert response.status_code == 200 and 'Link' not in response.headers
    items = response.json()['items']
    for item in items:
        check_user_item(item)
    # newest first: 20 (0.5 d, admin's, shared), 1 (1.0), 9 (1.5, bob's, shared), 13 (2.2, carol's on EU, shared), 2 (4.0, EU)
    assert numbers(items) == [20, 1, 9, 13, 2]
    assert [item['shareToMe'] for item in items] == [True, False, True, True, False]
    assert {item['siteUrl'] for item in items} == {US, EU}
    assert all(item['status'] == 'available' for item in items)


def test_shared_recordings_show_share_to_me_for_the_sharee_only(client):
    bob = {item['id']: item['shareToMe'] for item in list_all(client, 'bob-token')[0]}
    alice = {item['id']: item['shareToMe'] for item in list_all(client, 'alice-token')[0]}
    assert alice[R[1]] is False and bob[R[1]] is True      # alice's, shared with bob
    assert alice[R[9]] is True and bob[R[9]] is False      # bob's, shared with alice
    assert alice[R[20]] is True and bob[R[20]] is True     # admin's, shared with both


def test_user_bin_includes_what_was_shared_with_the_caller_and_deleted_by_its_host(client):
    items, dummy = list_all(client, 'alice-token', status='deleted')
    # 3 (2.0), 4 (2.02), 5 (3.0, EU), 11 (6.0, bob's, shared): 6 (12 d) and 7 (40 d) are outside the default window
    assert numbers(items) == [3, 4, 5, 11]
    assert [item['shareToMe'] for item in items] == [False, False, False, True]
    assert {item['status'] for item in items} == {'deleted'}


def test_user_list_site_url_filters_one_site_case_insensitively(client):
    assert numbers(list_all(client, 'alice-token', siteUrl=EU)[0]) == [13, 2]
    assert numbers(list_all(client, 'alice-token', siteUrl='Example-EU.Webex.com')[0]) == [13, 2]
    assert numbers(list_all(client, 'alice-token', siteUrl=US, status='deleted')[0]) == [3, 4, 11]
    # a site the caller is not set up on lists nothing; a site that does not exist is 404
    assert list_all(client, 'bob-token', siteUrl=EU)[0] == []
    assert_error(listing(client, 'alice-token', siteUrl='nowhere.webex.com'), 404, 'Site not found')


def test_user_list_filters(client):
    deleted = dict(since(60), status='deleted')
    assert numbers(list_all(client, 'alice-token', serviceType='SupportCenter', **deleted)[0]) == [6, 7]
    assert numbers(list_all(client, 'alice-token', format='ARF', **deleted)[0]) == [4, 6]
    assert numbers(list_all(client, 'alice-token', topic='DESIGN review', **deleted)[0]) == [3, 4]
    assert numbers(list_all(client, 'alice-token', meetingId=MEETING_D, **deleted)[0]) == [3, 4]
    assert numbers(list_all(client, 'alice-token', meetingId=MEETING_D_SERIES, **deleted)[0]) == [3, 4]
    assert numbers(list_all(client, 'alice-token', integrationTag='JIRA-101')[0]) == [1]
    assert numbers(list_all(client, 'alice-token', serviceType='EventCenter', topic='launch')[0]) == [2]
    # meetingId: siteUrl is ignored (published), even an unknown one
    assert numbers(list_all(client, 'alice-token', meetingId=MEETING_D, siteUrl='nowhere.webex.com', status='deleted')[0]) == [3, 4]
    for name, value in (('serviceType', 'meetingcenter'), ('serviceType', 'calling'), ('format', 'UPLOADED'), ('format', 'MP3')):
        assert_error(listing(client, 'alice-token', **{name: value}), 400, name)


def test_every_service_type_is_in_the_default_seed(client):
    items = []
    for site in (US, EU):
        for status in ('available', 'deleted'):
            items += list_all(client, 'admin-token', admin=True, siteUrl=site, status=status, **since(29))[0]
    assert {item['status'] for item in items} == {'available', 'deleted'}
    assert {item['serviceType'] for item in items} == {'MeetingCenter', 'EventCenter', 'TrainingCenter', 'SupportCenter'}


def test_user_list_status(client):
    assert_error(listing(client, 'alice-token', status='purged'), 403, 'compliance officer')
    assert_error(listing(client, 'alice-token', status='trash'), 400, 'status')
    assert_error(listing(client, 'admin-token', admin=True, status='purged'), 403, 'compliance officer')


def test_user_list_window(client):
    # explicit window, from inclusive / to exclusive on createTime; the user list has no 30-day limit
    assert numbers(list_all(client, 'alice-token', status='deleted', **{'from': iso(days_ago(45)), 'to': iso(days_ago(10))})[0]) == [6, 7]
    assert numbers(list_all(client, 'alice-token', status='deleted', **since(400))[0]) == [3, 4, 5, 11, 6, 7]
    # only from: 7 days from it; only to: the 7 days before it
    assert numbers(list_all(client, 'alice-token', status='deleted', **{'from': iso(days_ago(14.5))})[0]) == [6]
    assert numbers(list_all(client, 'alice-token', status='deleted', to=iso(days_ago(4.5)))[0]) == [11]
    assert numbers(list_all(client, 'alice-token', status='deleted', **{'from': iso(days_ago(50)), 'to': iso(days_ago(0))})[0]) \
        == [3, 4, 5, 11, 6, 7]
    assert_error(listing(client, 'alice-token', **{'from': iso(days_ago(1)), 'to': iso(days_ago(2))}), 400, 'from cannot be after to')
    assert_error(listing(client, 'alice-token', **{'from': 'yesterday'}), 400, 'ISO 8601')


@pytest.mark.parametrize('value', ['0', '101', '2.5', 'ten'])
def test_max_out_of_range(client, value):
    assert_error(listing(client, 'alice-token', max=value), 400, 'max')


def test_paging_follows_link_with_every_filter(client):
    everything, pages = list_all(client, 'alice-token', max=100, status='deleted', **since(60))
    assert pages == 1 and len(everything) == 6
    paged, pages = list_all(client, 'alice-token', max=1, status='deleted', **since(60))
    assert pages == 6 and ids(paged) == ids(everything)
    first = listing(client, 'alice-token', max=1, status='deleted', siteUrl=US, topic='review')
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(first.links['next']['url']).query)
    assert {name: values[0] for name, values in query.items() if name not in ('cursor', 'from', 'to')} == \
        {'max': '1', 'status': 'deleted', 'siteUrl': US, 'topic': 'review'}
    assert first.json()['items'] and set(query) >= {'cursor', 'from', 'to'}
    # the cursor belongs to its query
    changed = first.links['next']['url'].replace('topic=review', 'topic=design')
    assert_error(client.get(changed, 'alice-token'), 400, 'cursor')


def test_host_email_with_a_user_token_is_refused(client):
    assert_error(listing(client, 'alice-token', hostEmail='bob@example.com'), 403, 'hostEmail')
    assert_error(listing(client, 'alice-token', hostEmail='alice@example.com'), 403, 'hostEmail')
    # meeting:recordings_read only, not the admin-level scope
    assert_error(listing(client, 'reader-token', hostEmail='bob@example.com'), 403, 'meeting:admin_recordings_read')


def test_host_email_with_a_user_token_ignored_under_the_other_reading():
    with choices_client(email_for_users='ignored') as client:
        own, dummy = list_all(client, 'alice-token')
        assert list_all(client, 'alice-token', hostEmail='bob@example.com')[0] == own


def test_admin_lists_a_host_with_host_email(client):
    items, dummy = list_all(client, 'admin-token', hostEmail='carol@example.com', status='deleted')
    assert numbers(items) == [14, 15]
    shared, dummy = list_all(client, 'admin-token', hostEmail='ALICE@example.com')
    # the host's view: what is shared with alice carries shareToMe
    assert numbers(shared) == [20, 1, 9, 13, 2] and [item['shareToMe'] for item in shared] == [True, False, True, True, False]
    assert_error(listing(client, 'admin-token', hostEmail='ghost@example.com'), 404, 'ghost@example.com')
    assert_error(listing(client, 'admin-token', hostEmail='not-an-email'), 400, 'hostEmail')


def test_site_admin_of_some_sites_only(client):
    # eu-admin administers the EU site only: carol (EU only) is fine, alice (US and EU) needs siteUrl=EU
    assert numbers(list_all(client, 'eu-admin-token', hostEmail='carol@example.com', status='deleted')[0]) == [14, 15]
    assert_error(listing(client, 'eu-admin-token', hostEmail='alice@example.com'), 403, 'not a site admin of %s' % US)
    assert numbers(list_all(client, 'eu-admin-token', hostEmail='alice@example.com', siteUrl=EU)[0]) == [13, 2]
    assert_error(listing(client, 'eu-admin-token', hostEmail='alice@example.com', siteUrl=US), 403, 'not a site admin')


def test_admin_list_defaults_to_the_preferred_site(client):
    items, dummy = list_all(client, 'admin-token', admin=True, status='deleted')
    # every host's recordings on example.webex.com (admin's preferred site), last 7 days, newest first
    assert numbers(items) == [21, 3, 4, 10, 18, 11]
    assert {item['siteUrl'] for item in items} == {US}
    assert {(item['hostEmail'], item['hostDisplayName']) for item in items} >= {('alice@example.com', 'Alice Able'),
                                                                                ('bob@example.com', 'Bob Baker')}
    # eu-admin's preferred site is the EU one
    assert numbers(list_all(client, 'eu-admin-token', admin=True, status='deleted')[0]) == [14, 5, 17, 15]


def test_admin_list_site_url(client):
    assert numbers(list_all(client, 'admin-token', admin=True, siteUrl=EU)[0]) == [13, 2]
    assert_error(listing(client, 'eu-admin-token', admin=True, siteUrl=US), 403, 'not a site admin of %s' % US)
    assert_error(listing(client, 'admin-token', admin=True, siteUrl='nowhere.webex.com'), 404, 'Site not found')


def test_admin_list_has_no_host_filter(client):
    # hostEmail is not a parameter of the admin list: every host of the site is listed
    assert list_all(client, 'admin-token', admin=True, status='deleted', hostEmail='bob@example.com')[0] == \
        list_all(client, 'admin-token', admin=True, status='deleted')[0]


def test_admin_list_needs_the_admin_scope(client):
    for token in ('alice-token', 'reader-token', 'compliance-token'):
        assert_error(listing(client, token, admin=True), 403, 'meeting:admin_recordings_read')


def test_admin_list_window_within_30_days(client):
    to = days_ago(0)
    thirty = listing(client, 'admin-token', admin=True, status='deleted', **{'from': iso(days_ago(30)), 'to': iso(to)})
    assert thirty.status_code == 200
    assert numbers(thirty.json()['items']) == [21, 3, 4, 10, 18, 11, 6]
    over = listing(client, 'admin-token', admin=True, **{'from': '2026-01-01T00:00:00Z', 'to': '2026-01-31T00:00:01Z'})
    assert_error(over, 400, 'within 30 days')
    exact = listing(client, 'admin-token', admin=True, **{'from': '2026-01-01T00:00:00Z', 'to': '2026-01-31T00:00:00Z'})
    assert exact.status_code == 200
    # only to: the 7 days before it (within the limit)
    assert numbers(list_all(client, 'admin-token', admin=True, status='deleted', to=iso(days_ago(4.5)))[0]) == [18, 11]
    assert numbers(list_all(client, 'admin-token', admin=True, status='deleted', **{'from': iso(days_ago(14.5))})[0]) == [6]
    assert numbers(list_all(client, 'admin-token', admin=True, status='deleted', **since(29))[0]) == [21, 3, 4, 10, 18, 11, 6]


def test_admin_list_with_meeting_id_ignores_site_and_window(client):
    # meeting D is on the US site, 2 days old: siteUrl=EU and a window far away are ignored
    far = {'from': '2020-01-01T00:00:00Z', 'to': '2020-12-31T00:00:00Z'}
    items, dummy = list_all(client, 'admin-token', admin=True, status='deleted', meetingId=MEETING_D, siteUrl=EU, **far)
    assert numbers(items) == [3, 4]
    # ... but only on sites the caller administers
    assert list_all(client, 'eu-admin-token', admin=True, status='deleted', meetingId=MEETING_D)[0] == []


def test_admin_list_pages_over_a_generated_site(simulator, client):
    added = client.control('POST', '/recordings', params={'api': 'meetings'},
                           json={'generate': {'hosts': 5, 'per_host': 5, 'status': 'deleted', 'sites': [EU],
                                              'created_days_ago': [0.1, 6.9]}}).json()['items']
    assert len(added) == 25
    items, pages = list_all(client, 'admin-token', admin=True, siteUrl=EU, status='deleted', max=10)
    assert pages == 3 and len(items) == 25 + 4
    assert set(ids(added)) <= set(ids(items)) and len(set(ids(items))) == len(items)
    keys = [(item['createTime'], item['id']) for item in items]
    assert [key[0] for key in keys] == sorted((key[0] for key in keys), reverse=True)
    assert simulator.counters()['by_endpoint']['GET /v1/admin/recordings'] == 3
