# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""The Webex Converged Recordings API (Webex Calling and Customer Assist recordings) behind the
collection's API seam (``_api.RecordingsApi``)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from urllib.parse import quote

from ansible_collections.webexops.recordings.plugins.module_utils._api import RECORDING_FIELDS, RecordingsApi

# selection filter option -> query parameter of both list endpoints (filtered by the server)
FILTER_PARAMS = {'location_id': 'locationId', 'owner_type': 'ownerType', 'service_type': 'serviceType', 'topic': 'topic'}
# collection field -> key of a listed recording (location_id is read from serviceData)
ITEM_KEYS = {'id': 'id', 'topic': 'topic', 'owner_email': 'ownerEmail', 'owner_id': 'ownerId', 'owner_type': 'ownerType',
             'service_type': 'serviceType', 'create_time': 'createTime', 'duration_seconds': 'durationSeconds',
             'size_bytes': 'sizeBytes', 'status': 'status'}


class ConvergedApi(RecordingsApi):
    name = 'converged'
    user_read_scope = 'spark:recordings_read'
    user_write_scope = 'spark:recordings_write'
    admin_read_scope = 'spark-admin:recordings_read'
    admin_write_scope = 'spark-admin:recordings_write'
    # No display name in a listing (only in a recording's metadata, one read each).
    owner_fields = ('owner_type',)

    def list_request(self, admin, window, status, owner_email=None, filters=None, page_size=100, scope=None):
        query = dict((FILTER_PARAMS[name], value) for name, value in (filters or {}).items())
        query.update({'status': status, 'max': page_size, 'from': window[0], 'to': window[1]})
        if owner_email:
            query['ownerEmail'] = owner_email
        return ('/admin/convergedRecordings' if admin else '/convergedRecordings'), query

    def details_path(self, recording_id):
        return '/convergedRecordings/%s' % quote(recording_id, safe='')

    def recording(self, item, fields=None):
        if not isinstance(item, dict) or not item.get('id'):
            return None
        wanted = RECORDING_FIELDS if fields is None else fields
        recording = dict((name, item.get(ITEM_KEYS[name])) for name in wanted if name in ITEM_KEYS)
        if 'location_id' in wanted:
            recording['location_id'] = (item.get('serviceData') or {}).get('locationId')
        return recording

    def batch_key(self, recording):
        # Any ids of the organization go together (at most 100 a request).
        return ()

    def restore_request(self, key, recording_ids=None, owner_email=None):
        if recording_ids is not None:
            body = {'recordingIds': list(recording_ids)}
        else:
            # An administrator names the owner in the body; Webex takes ownerEmail only with restoreAll.
            body = {'restoreAll': True}
            if owner_email:
                body['ownerEmail'] = owner_email
        return 'POST', '/convergedRecordings/restore', None, body
