# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""The Webex Meetings recordings API (meetings, webinars, training and support sessions: the second
recycle bin, ``/recordings``) behind the collection's API seam (``_api.RecordingsApi``).

What differs from Converged, and how this profile answers it:
- a recycle bin is keyed by (host, site): a restore names its host (``hostEmail``, query, administrator
  only) and always its ``siteUrl`` (body), never relying on a preferred site; batches are keyed so;
- the administrator listing covers one site a call (its preferred one without ``siteUrl``): an
  administrator's listing covers every site of its own site list (one ``GET /meetingPreferences/sites``,
  cached per run by the listing engine), or ``site_url`` alone; the user listing covers all the caller's
  sites at once;
- the administrator listing has no host filter: the host is matched here, on the listed items;
- user-listing items name no host (the caller is the host), and also show recordings shared with the
  caller (``shareToMe``), which are not the caller's to restore (the planner leaves them out);
- details do not show recordings in the bin (or may: an inferred behaviour), so ids are found by listing.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from urllib.parse import quote

from ansible_collections.webexops.recordings.plugins.module_utils._api import RECORDING_FIELDS, RecordingsApi
from ansible_collections.webexops.recordings.plugins.module_utils._windows import parse_time

# selection filter option -> query parameter of both list endpoints (filtered by the server)
FILTER_PARAMS = {'service_type': 'serviceType', 'topic': 'topic', 'meeting_id': 'meetingId'}
# collection field -> key of a listed recording (admin-list items only carry hostEmail and hostDisplayName)
ITEM_KEYS = {'id': 'id', 'topic': 'topic', 'owner_email': 'hostEmail', 'owner_name': 'hostDisplayName', 'service_type': 'serviceType',
             'create_time': 'createTime', 'duration_seconds': 'durationSeconds', 'size_bytes': 'sizeBytes', 'status': 'status',
             'site_url': 'siteUrl', 'meeting_id': 'meetingId'}
SITES_PATH = '/meetingPreferences/sites'


def _lower(text):
    return text.strip().lower() if isinstance(text, str) else None


class MeetingsApi(RecordingsApi):
    name = 'meetings'
    user_read_scope = 'meeting:recordings_read'
    user_write_scope = 'meeting:recordings_write'
    admin_read_scope = 'meeting:admin_recordings_read'
    admin_write_scope = 'meeting:admin_recordings_write'
    lists_to_find_ids = True
    result_fields = ('site_url',)
    # No owner type: a host is a person. Its display name is in the administrator listing only.
    owner_fields = ('owner_name',)

    def __init__(self, site_url=None):
        self.site_url = _lower(site_url) or None

    def scopes_request(self, admin):
        # A user's listing covers all its sites; an administrator's one site a call.
        if admin and not self.site_url:
            return SITES_PATH, None
        return None

    def scopes(self, admin, answer=None):
        if self.site_url:
            return [self.site_url]
        if not admin:
            return [None]
        sites = []
        for site in (answer or {}).get('sites') or [] if isinstance(answer, dict) else []:
            url = _lower(site.get('siteUrl')) if isinstance(site, dict) else None
            if url and url not in sites:
                sites.append(url)
        return sites

    def list_request(self, admin, window, status, owner_email=None, filters=None, page_size=100, scope=None):
        # The host is matched on the items (accepts): the administrator listing has no host filter, and
        # hostEmail on the user listing would need the site admin role on every site of the host.
        query = dict((FILTER_PARAMS[name], value) for name, value in (filters or {}).items())
        query.update({'status': status, 'max': page_size, 'from': window[0], 'to': window[1]})
        if scope:
            query['siteUrl'] = scope
        return ('/admin/recordings' if admin else '/recordings'), query

    def accepts(self, item, context):
        if not isinstance(item, dict):
            return False
        owner = _lower(context.get('owner_email'))
        if owner and context.get('admin') and _lower(item.get('hostEmail')) != owner:
            return False
        sites = [scope for scope in context.get('scopes') or [] if scope]
        if sites and _lower(item.get('siteUrl')) not in sites:
            return False
        # With meetingId the server ignores the site and (administrator) the window: both are checked here.
        span = context.get('span')
        created = parse_time(item.get('createTime'))
        return span is None or created is None or parse_time(span[0]) <= created < parse_time(span[1])

    def owner_probe_request(self, owner_email, window, status):
        # The user listing as the administrator sees the host: every site of the host at once.
        query = {'hostEmail': owner_email, 'status': status, 'max': 1, 'from': window[0], 'to': window[1]}
        if self.site_url:
            query['siteUrl'] = self.site_url
        return '/recordings', query

    def details_path(self, recording_id):
        return '/recordings/%s' % quote(recording_id, safe='')

    def details_headers(self):
        return {'siteUrl': self.site_url} if self.site_url else None

    def details_cover(self, admin):
        # An administrator reads another host's details only with hostEmail, which an id alone does not tell.
        return not admin

    def recording(self, item, fields=None):
        if not isinstance(item, dict) or not item.get('id'):
            return None
        wanted = RECORDING_FIELDS if fields is None else fields
        recording = dict((name, item.get(ITEM_KEYS[name])) for name in wanted if name in ITEM_KEYS)
        if 'site_url' in recording:
            recording['site_url'] = _lower(recording['site_url'])
        if 'share_to_me' in wanted:
            recording['share_to_me'] = item.get('shareToMe') is True
        return recording

    def batch_key(self, recording):
        # One restore request: one host (None: the caller, from its own listing) on one site.
        return (recording.get('owner_email'), recording.get('site_url') or self.site_url)

    def batch_scope(self, key):
        return key[1] if key else None

    def restore_request(self, key, recording_ids=None, owner_email=None):
        host, site = key if key else (owner_email, self.site_url)
        body = {'recordingIds': list(recording_ids)} if recording_ids is not None else {'restoreAll': True}
        if site:
            body['siteUrl'] = site
        # hostEmail only for a host named by an administrator listing (or option): never with a user token.
        return 'POST', '/recordings/restore', ({'hostEmail': host} if host else None), body
