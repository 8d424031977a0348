# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The Converged Recordings profile on its own (pure, no HTTP): the listing requests per caller,
administrator, owner and filters; the details path; an API item in the collection's fields; the
restore requests. That the simulator answers these requests as Webex does is tested with the service."""

import pytest

from ansible_collections.webexops.recordings.plugins.module_utils._api import RECORDING_FIELDS, RecordingsApi
from ansible_collections.webexops.recordings.plugins.module_utils._converged import ConvergedApi
from ansible_collections.webexops.recordings.plugins.module_utils._planner import OWNER_FIELDS, PLAN_FIELDS
from ansible_collections.webexops.recordings.plugins.module_utils._selection import FILTER_OPTIONS

WINDOW = ('2026-01-01T00:00:00Z', '2026-01-30T00:00:00Z')
ITEM = {
    'id': 'r1', 'topic': 'Weekly sync', 'createTime': '2026-01-10T08:00:00Z', 'timeRecorded': '2026-01-10T07:00:00Z',
    'ownerId': 'U-1', 'ownerType': 'user', 'ownerEmail': 'alice@example.com', 'format': 'MP3', 'durationSeconds': 3540,
    'sizeBytes': 123456, 'serviceType': 'calling', 'storageRegion': 'US', 'status': 'deleted',
    'serviceData': {'locationId': 'L1', 'callSessionId': 'CS-1'},
}


@pytest.fixture
def api():
    return ConvergedApi()


def test_the_profile_implements_the_seam(api):
    assert isinstance(api, RecordingsApi) and api.name == 'converged'
    assert (api.user_read_scope, api.user_write_scope) == ('spark:recordings_read', 'spark:recordings_write')
    assert (api.admin_read_scope, api.admin_write_scope) == ('spark-admin:recordings_read', 'spark-admin:recordings_write')


@pytest.mark.parametrize('admin, owner_email, path, more', [
    (False, None, '/convergedRecordings', {}),
    (True, None, '/admin/convergedRecordings', {}),
    (True, 'bob@example.com', '/admin/convergedRecordings', {'ownerEmail': 'bob@example.com'}),
    (True, '', '/admin/convergedRecordings', {}),
])
def test_list_request_per_caller_administrator_and_owner(api, admin, owner_email, path, more):
    assert api.list_request(admin, WINDOW, 'deleted', owner_email) == (path, dict(
        {'status': 'deleted', 'max': 100, 'from': WINDOW[0], 'to': WINDOW[1]}, **more))


def test_list_request_sends_every_filter_as_its_query_parameter(api):
    filters = {'location_id': 'L1', 'owner_type': 'virtualLine', 'service_type': 'customerAssist', 'topic': 'Weekly'}
    # meeting_id is a filter of the Meetings API only (refused with api: converged before any request).
    assert set(filters) == set(FILTER_OPTIONS) - {'meeting_id'}
    path, query = api.list_request(True, WINDOW, 'available', 'bob@example.com', filters, page_size=50)
    assert path == '/admin/convergedRecordings'
    assert query == {'locationId': 'L1', 'ownerType': 'virtualLine', 'serviceType': 'customerAssist', 'topic': 'Weekly',
                     'status': 'available', 'max': 50, 'from': WINDOW[0], 'to': WINDOW[1], 'ownerEmail': 'bob@example.com'}
    assert api.list_request(False, WINDOW, 'deleted', filters={'location_id': 'L2'}) == (
        '/convergedRecordings', {'locationId': 'L2', 'status': 'deleted', 'max': 100, 'from': WINDOW[0], 'to': WINDOW[1]})


def test_a_role_probe_asks_for_one_item(api):
    assert api.list_request(True, WINDOW, 'deleted', page_size=1) == (
        '/admin/convergedRecordings', {'status': 'deleted', 'max': 1, 'from': WINDOW[0], 'to': WINDOW[1]})


@pytest.mark.parametrize('recording_id, path', [
    ('r1', '/convergedRecordings/r1'),
    ('Y2lzY29zcGFyazovL3VzL1JFQ09SRElORy8x=', '/convergedRecordings/Y2lzY29zcGFyazovL3VzL1JFQ09SRElORy8x%3D'),
    ('a/b c', '/convergedRecordings/a%2Fb%20c'),
    ('a?b#c', '/convergedRecordings/a%3Fb%23c'),
    ('%2e%2e', '/convergedRecordings/%252e%252e'),
    ('a.b..c', '/convergedRecordings/a.b..c'),
    ('é', '/convergedRecordings/%C3%A9'),
])
def test_details_path_sends_the_id_as_one_quoted_segment(api, recording_id, path):
    assert api.details_path(recording_id) == path


def test_recording_maps_every_field_including_the_location(api):
    assert api.recording(ITEM) == {
        'id': 'r1', 'topic': 'Weekly sync', 'owner_email': 'alice@example.com', 'owner_id': 'U-1', 'owner_type': 'user',
        'service_type': 'calling', 'create_time': '2026-01-10T08:00:00Z', 'duration_seconds': 3540, 'size_bytes': 123456,
        'status': 'deleted', 'location_id': 'L1'}
    # The Meetings API's fields (host display names, sites, shares, meeting ids) are not Converged's: left out.
    assert set(api.recording(ITEM)) == set(RECORDING_FIELDS) - {'owner_name', 'site_url', 'share_to_me', 'meeting_id'}


def test_owners_are_said_by_their_type_which_a_plan_keeps(api):
    # A listing gives the owner's type, no display name: per-owner results carry owner_type.
    assert api.owner_fields == ('owner_type',) and set(api.owner_fields) <= set(OWNER_FIELDS)
    assert api.recording(ITEM, PLAN_FIELDS) == {'id': 'r1', 'status': 'deleted', 'owner_email': 'alice@example.com', 'owner_id': 'U-1',
                                                'create_time': '2026-01-10T08:00:00Z', 'owner_type': 'user'}


def test_recording_keeps_only_the_fields_asked_for(api):
    assert api.recording(ITEM, ('id', 'status', 'owner_email', 'owner_id', 'create_time')) == {
        'id': 'r1', 'status': 'deleted', 'owner_email': 'alice@example.com', 'owner_id': 'U-1', 'create_time': '2026-01-10T08:00:00Z'}
    assert api.recording(ITEM, ('status',)) == {'status': 'deleted'}
    assert api.recording(ITEM, ('location_id',)) == {'location_id': 'L1'}
    assert api.recording(ITEM, ()) == {}


def test_recording_of_an_item_without_email_or_location(api):
    workspace = {'id': 'ws-1', 'ownerId': 'WS-1', 'ownerType': 'place', 'status': 'deleted'}
    mapped = api.recording(workspace)
    assert mapped['owner_email'] is None and mapped['owner_id'] == 'WS-1' and mapped['owner_type'] == 'place'
    assert mapped['location_id'] is None and mapped['topic'] is None
    assert api.recording(dict(workspace, serviceData=None))['location_id'] is None


@pytest.mark.parametrize('item', [None, [], 'r1', {}, {'id': ''}, {'id': None, 'status': 'deleted'}, {'status': 'deleted'}])
def test_recording_of_what_is_no_recording_is_none(api, item):
    assert api.recording(item) is None


def test_batch_key_lets_any_ids_of_the_organization_go_together(api):
    assert api.batch_key(api.recording(ITEM)) == ()
    assert api.batch_key({'id': 'x', 'owner_email': 'bob@example.com'}) == api.batch_key({'id': 'y', 'owner_id': 'WS-1'})


def test_restore_request_bodies(api):
    assert api.restore_request((), ['r1', 'r2']) == ('POST', '/convergedRecordings/restore', None, {'recordingIds': ['r1', 'r2']})
    assert api.restore_request((), ('r3',)) == ('POST', '/convergedRecordings/restore', None, {'recordingIds': ['r3']})
    # the whole bin: the caller's own, or (administrator) the named owner's
    assert api.restore_request(()) == ('POST', '/convergedRecordings/restore', None, {'restoreAll': True})
    assert api.restore_request((), owner_email='bob@example.com') == (
        'POST', '/convergedRecordings/restore', None, {'restoreAll': True, 'ownerEmail': 'bob@example.com'})
    # ids win over the owner: Webex takes ownerEmail only with restoreAll
    assert api.restore_request((), ['r1'], owner_email='bob@example.com') == (
        'POST', '/convergedRecordings/restore', None, {'recordingIds': ['r1']})
