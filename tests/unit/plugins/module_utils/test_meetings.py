# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The Meetings profile alone: its requests and its words (pure, no server)."""

from ansible_collections.webexops.recordings.plugins.module_utils._meetings import MeetingsApi
from ansible_collections.webexops.recordings.plugins.module_utils._profiles import api_profile
from ansible_collections.webexops.recordings.plugins.module_utils._converged import ConvergedApi
from ansible_collections.webexops.recordings.plugins.module_utils._planner import OWNER_FIELDS, PLAN_FIELDS

WINDOW = ('2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z')
ADMIN_ITEM = {'id': 'a' * 32, 'topic': 'T', 'hostEmail': 'Carol@Example.com', 'hostDisplayName': 'Carol Jones', 'siteUrl': 'Example-EU.webex.com',
              'serviceType': 'EventCenter', 'createTime': '2026-11-10T08:00:00Z', 'durationSeconds': 60, 'sizeBytes': 10, 'status': 'deleted',
              'shareToMe': False, 'meetingId': 'm_I_1'}


def test_hosts_are_said_by_their_display_name_which_a_plan_keeps():
    # The administrator listing gives the host's display name (hostDisplayName), no owner type: a host is a person.
    api = MeetingsApi()
    assert api.owner_fields == ('owner_name',) and set(api.owner_fields) <= set(OWNER_FIELDS)
    assert api.recording(ADMIN_ITEM, PLAN_FIELDS) == {'id': 'a' * 32, 'status': 'deleted', 'owner_email': 'Carol@Example.com',
                                                      'create_time': '2026-11-10T08:00:00Z', 'site_url': 'example-eu.webex.com',
                                                      'share_to_me': False, 'owner_name': 'Carol Jones'}
    # A user's own listing names no host.
    assert api.recording({'id': 'b' * 32, 'status': 'deleted'}, PLAN_FIELDS)['owner_name'] is None


def test_the_registry_picks_the_profile_of_the_api_option():
    assert isinstance(api_profile({}), ConvergedApi) and isinstance(api_profile({'api': 'converged'}), ConvergedApi)
    meetings = api_profile({'api': 'meetings', 'site_url': ' Example.WEBEX.com '})
    assert isinstance(meetings, MeetingsApi) and meetings.site_url == 'example.webex.com'


def test_sites_are_read_only_for_an_administrator_without_site_url():
    api = MeetingsApi()
    assert api.scopes_request(False) is None and api.scopes(False) == [None]
    assert api.scopes_request(True) == ('/meetingPreferences/sites', None)
    answer = {'sites': [{'siteUrl': 'A.webex.com', 'default': True}, {'siteUrl': 'a.webex.com'}, {'siteUrl': 'b.webex.com'}, 'x', {}]}
    assert api.scopes(True, answer) == ['a.webex.com', 'b.webex.com']
    given = MeetingsApi('c.webex.com')
    assert given.scopes_request(True) is None and given.scopes(True) == given.scopes(False) == ['c.webex.com']


def test_list_request_sends_filters_and_the_site_never_the_host():
    api = MeetingsApi()
    path, query = api.list_request(True, WINDOW, 'deleted', 'carol@example.com', {'service_type': 'EventCenter', 'topic': 't',
                                                                                  'meeting_id': 'm'}, 100, scope='s.webex.com')
    assert path == '/admin/recordings'
    assert query == {'serviceType': 'EventCenter', 'topic': 't', 'meetingId': 'm', 'status': 'deleted', 'max': 100,
                     'from': WINDOW[0], 'to': WINDOW[1], 'siteUrl': 's.webex.com'}
    assert api.list_request(False, WINDOW, 'deleted')[0] == '/recordings'


def test_items_are_matched_to_the_host_site_and_span_of_the_listing():
    api = MeetingsApi()
    context = {'admin': True, 'owner_email': 'carol@example.com', 'scopes': ['example-eu.webex.com'], 'span': WINDOW}
    assert api.accepts(ADMIN_ITEM, context)
    assert not api.accepts(dict(ADMIN_ITEM, hostEmail='bob@example.com'), context)
    assert not api.accepts(dict(ADMIN_ITEM, siteUrl='example.webex.com'), context)
    assert not api.accepts(dict(ADMIN_ITEM, createTime='2026-12-01T00:00:00Z'), context)
    assert api.accepts(dict(ADMIN_ITEM, siteUrl='other.webex.com'), dict(context, scopes=[None]))


def test_recording_fields_batch_key_and_restore_requests():
    api = MeetingsApi()
    recording = api.recording(ADMIN_ITEM)
    assert recording == {'id': 'a' * 32, 'topic': 'T', 'owner_email': 'Carol@Example.com', 'owner_name': 'Carol Jones',
                         'service_type': 'EventCenter',
                         'create_time': '2026-11-10T08:00:00Z', 'duration_seconds': 60, 'size_bytes': 10, 'status': 'deleted',
                         'site_url': 'example-eu.webex.com', 'share_to_me': False, 'meeting_id': 'm_I_1'}
    key = api.batch_key(recording)
    assert key == ('Carol@Example.com', 'example-eu.webex.com') and api.batch_scope(key) == 'example-eu.webex.com'
    assert api.restore_request(key, ['x']) == ('POST', '/recordings/restore', {'hostEmail': 'Carol@Example.com'},
                                               {'recordingIds': ['x'], 'siteUrl': 'example-eu.webex.com'})
    # A user's own listing names no host: no hostEmail, the site always named.
    assert api.restore_request((None, 'example.webex.com')) == ('POST', '/recordings/restore', None,
                                                                {'restoreAll': True, 'siteUrl': 'example.webex.com'})
    assert api.details_headers() is None and MeetingsApi('s.webex.com').details_headers() == {'siteUrl': 's.webex.com'}
    assert api.details_cover(False) and not api.details_cover(True) and api.lists_to_find_ids
