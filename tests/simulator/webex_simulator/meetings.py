"""The Webex Meetings recordings API: sites, the user and admin listings, details, and the recycle bin.

Pure like api.py: takes a parsed request, returns an ApiResponse; the caller holds the state lock. It shares
authentication, the error answers, `max`, the `from`/`to` window rules and the cursors with the Converged
Recordings API (api.WebexApi), so that both APIs of the simulator read times and pages the same way.
Every choice where the published definition is silent is in docs/simulator.md ("Meetings").
"""

import datetime
import hashlib
import urllib.parse

from . import api, state
from . import meetings_state as mstate

LIST_PATH = '/v1/recordings'
ADMIN_LIST_PATH = '/v1/admin/recordings'
DETAILS_TEMPLATE = '/v1/recordings/{recordingId}'
SITES_PATH = '/v1/meetingPreferences/sites'
ACTION_PATHS = {
    '/v1/recordings/restore': 'restore',
    '/v1/recordings/softDelete': 'softDelete',
    '/v1/recordings/purge': 'purge',
}
ENDPOINTS = (
    'GET ' + LIST_PATH,
    'GET ' + ADMIN_LIST_PATH,
    'GET ' + DETAILS_TEMPLATE,
    'POST /v1/recordings/restore',
    'POST /v1/recordings/softDelete',
    'POST /v1/recordings/purge',
    'GET ' + SITES_PATH,
)

# softDelete has no all-flag in the published definition.
BULK_OPERATIONS = {
    'restore': api.BulkOperation('restore', 'restoreAll', 'deleted', 'available'),
    'softDelete': api.BulkOperation('softDelete', None, 'available', 'deleted'),
    'purge': api.BulkOperation('purge', 'purgeAll', 'deleted', 'purged'),
}
LIST_STATUSES = ('available', 'deleted', 'purged')

# The earliest and latest instants: a listing that ignores from/to (admin list with meetingId) reads all time.
_ALL_TIME = (state.to_micros(datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)),
             state.to_micros(datetime.datetime.max.replace(tzinfo=datetime.timezone.utc)))


def is_meetings_path(path):
    """Whether a /v1 path belongs to the Meetings API (the Converged API answers every other path)."""
    return path in (LIST_PATH, ADMIN_LIST_PATH, SITES_PATH) or path.startswith(LIST_PATH + '/')


def endpoint_of(method, path):
    """The counter key of a Meetings request ('GET /v1/recordings/{recordingId}'), None when unknown."""
    if path in ACTION_PATHS:
        key = 'POST ' + path
    elif path in (LIST_PATH, ADMIN_LIST_PATH, SITES_PATH):
        key = 'GET ' + path
    elif _details_id(path) is not None:
        key = 'GET ' + DETAILS_TEMPLATE
    else:
        return None
    return key if key.startswith(method + ' ') else None


def _details_id(path):
    prefix = LIST_PATH + '/'
    if path.startswith(prefix) and path not in ACTION_PATHS:
        recording_id = urllib.parse.unquote(path[len(prefix):])
        if recording_id and '/' not in recording_id:
            return recording_id
    return None


class MeetingsApi(api.WebexApi):
    """Answers the seven Meetings endpoints from the people of a RecordingStore and a MeetingStore."""

    def __init__(self, people, meetings, clock):
        super().__init__(people, clock)
        self.meetings = meetings

    def handle_request(self, method, path, query, headers, body, base_url):
        """method, path (no query), query (parse_qs dict), headers (case-insensitive mapping), raw body bytes.

        Never raises for anything a client sends (rule violations become error answers); a bug is the caller's 500.
        """
        try:
            return self._route_meetings(method, path, query, headers, body, base_url)
        except api.ApiError as error:
            return api.ApiResponse(error.status, {'message': error.message}, dict(error.headers))

    def _route_meetings(self, method, path, query, headers, body, base_url):
        params = api._single_values(query)
        if path in ACTION_PATHS:
            self._require_method(method, 'POST')
            identity = self.authenticate(headers.get('Authorization'))
            return self.bulk(identity, BULK_OPERATIONS[ACTION_PATHS[path]], params, body, headers.get('Content-Type'))
        if path in (LIST_PATH, ADMIN_LIST_PATH, SITES_PATH):
            self._require_method(method, 'GET')
            identity = self.authenticate(headers.get('Authorization'))
            if path == SITES_PATH:
                return self.sites(identity, params)
            if path == ADMIN_LIST_PATH:
                return self.list_admin(identity, params, base_url)
            return self.list_user(identity, params, base_url)
        recording_id = _details_id(path)
        if recording_id is not None:
            self._require_method(method, 'GET')
            identity = self.authenticate(headers.get('Authorization'))
            return self.recording_details(identity, recording_id, params, headers.get('siteUrl') or None)
        raise api.ApiError(404, 'The requested resource could not be found: %s' % path)

    # who and where

    def _subject(self, identity, params, name, admin_scope):
        """-> (person acted for, acting as administrator). Without `name` (hostEmail, userEmail): the caller."""
        email = params.get(name)
        if email is None:
            return identity.person, False
        if not identity.has(admin_scope):
            if self.meetings.choices['email_for_users'] == 'ignored':
                return identity.person, False
            raise api.ApiError(403, '%s is only honoured for the admin-level meeting scope %s, which this token lacks.'
                               % (name, admin_scope))
        if not api.EMAIL_PATTERN.match(email):
            raise api.ApiError(400, '%s is not a valid email address: %r' % (name, email))
        person = self.store.person_by_email(email)
        if person is None or person.org_id != identity.org_id:
            raise api.ApiError(404, 'No user %s in the organization (%s).' % (email, name))
        return person, True

    def _known_site(self, url, name='siteUrl'):
        site = self.meetings.site(url)
        if site is None:
            raise api.ApiError(404, 'Site not found: %s %r is not a Webex site.' % (name, url))
        return site.url

    def _require_site_admin(self, identity, site_url):
        site = self.meetings.site(site_url)
        if site.org_id != identity.org_id or not self.meetings.is_site_admin(identity.person, site_url):
            raise api.ApiError(403, 'The caller is not a site admin of %s: an administrator acts only on the sites '
                                    'it administers.' % site_url)

    def _preferred_site(self, person, who):
        site_url = self.meetings.preferred_site(person)
        if site_url is None:
            raise api.ApiError(400, 'siteUrl is required: %s has no preferred site.' % who)
        return site_url

    # sites

    def sites(self, identity, params):
        if not (identity.has(mstate.SCOPE_PREFERENCES_READ) or identity.has(mstate.SCOPE_ADMIN_PREFERENCES_READ)):
            raise api.ApiError(403, 'Getting the site list requires the %s or %s scope.'
                               % (mstate.SCOPE_PREFERENCES_READ, mstate.SCOPE_ADMIN_PREFERENCES_READ))
        person, acting = self._subject(identity, params, 'userEmail', mstate.SCOPE_ADMIN_PREFERENCES_READ)
        if acting:
            # The user is searched on siteUrl, else on the admin's preferred site (the published description).
            site_url = self._known_site(params['siteUrl']) if 'siteUrl' in params else \
                self._preferred_site(identity.person, 'the caller')
            self._require_site_admin(identity, site_url)
            if site_url not in self.meetings.person_sites(person):
                raise api.ApiError(404, 'No user %s on site %s.' % (person.email, site_url))
        preferred = self.meetings.preferred_site(person)
        return api.ApiResponse(200, {'sites': [{'siteUrl': url, 'default': url == preferred}
                                               for url in self.meetings.person_sites(person)]})

    # listings

    def list_user(self, identity, params, base_url):
        """Recordings hosted by or shared with the caller (or, for an administrator, the host of hostEmail)."""
        if not (identity.has(mstate.SCOPE_USER_READ) or identity.has(mstate.SCOPE_ADMIN_READ)):
            raise api.ApiError(403, 'Listing recordings requires the %s or %s scope.'
                               % (mstate.SCOPE_USER_READ, mstate.SCOPE_ADMIN_READ))
        status = self._status(params)
        page_size = self._page_size(params.get('max'))
        window_from, window_to = self._window(params.get('from'), params.get('to'))
        filters = self._filters(params)
        subject, acting = self._subject(identity, params, 'hostEmail', mstate.SCOPE_ADMIN_READ)
        if 'siteUrl' in params and 'meetingId' not in params:  # meetingId: siteUrl is ignored (published)
            site_urls = [self._known_site(params['siteUrl'])]
        else:
            site_urls = self.meetings.person_sites(subject)
        if acting:
            for site_url in site_urls:
                self._require_site_admin(identity, site_url)
        link_params = dict(params, **{'from': state.iso_z(window_from), 'to': state.iso_z(window_to), 'max': str(page_size)})
        link_params.pop('cursor', None)
        after_key = self._after_key(LIST_PATH, params)
        candidates = (recording for recording in self.meetings.visible_window(
            subject, status, state.to_micros(window_from), state.to_micros(window_to), after_key)
            if recording.site_url in site_urls)
        return self._page(LIST_PATH, candidates, filters, page_size, link_params, base_url,
                          lambda recording: recording.to_json(viewer=subject))

    def list_admin(self, identity, params, base_url):
        """Every host's recordings on one site (siteUrl, else the caller's preferred site) that the caller administers."""
        if not identity.has(mstate.SCOPE_ADMIN_READ):
            raise api.ApiError(403, 'Listing recordings for an admin requires the %s scope.' % mstate.SCOPE_ADMIN_READ)
        status = self._status(params)
        page_size = self._page_size(params.get('max'))
        filters = self._filters(params)
        link_params = dict(params, max=str(page_size))
        link_params.pop('cursor', None)
        after_key = self._after_key(ADMIN_LIST_PATH, params)
        if 'meetingId' in params:
            # siteUrl, from and to are ignored (published): that meeting's recordings on every site the caller administers.
            candidates = (recording for recording in self.meetings.all_recordings()
                          if recording.status == status and (after_key is None or recording.sort_key > tuple(after_key))
                          and self._administers(identity, recording.site_url))
        else:
            window_from, window_to = self._window(params.get('from'), params.get('to'))
            if window_to - window_from > api.ADMIN_MAX_WINDOW:
                raise api.ApiError(400, 'The interval between from and to must be within 30 days (to - from is %s).'
                                   % (window_to - window_from))
            site_url = self._known_site(params['siteUrl']) if 'siteUrl' in params else \
                self._preferred_site(identity.person, 'the caller')
            self._require_site_admin(identity, site_url)
            # The next link pins the resolved site and window, so that every page lists the same ones.
            link_params.update({'siteUrl': site_url, 'from': state.iso_z(window_from), 'to': state.iso_z(window_to)})
            candidates = self.meetings.site_window(site_url, status, state.to_micros(window_from),
                                                   state.to_micros(window_to), after_key)
        return self._page(ADMIN_LIST_PATH, candidates, filters, page_size, link_params, base_url,
                          lambda recording: recording.to_json(admin=True))

    def _administers(self, identity, site_url):
        site = self.meetings.site(site_url)
        return site is not None and site.org_id == identity.org_id and self.meetings.is_site_admin(identity.person, site_url)

    @staticmethod
    def _status(params):
        status = params.get('status', 'available')
        if status not in LIST_STATUSES:
            raise api.ApiError(400, 'status must be one of %s' % ', '.join(LIST_STATUSES))
        if status == 'purged':
            raise api.ApiError(403, 'Only a compliance officer may list purged recordings.')
        return status

    @staticmethod
    def _filters(params):
        """The list filters of the published definition; all must match (AND)."""
        filters = []
        for name, allowed, attribute in (('serviceType', mstate.SERVICE_TYPES, 'service_type'),
                                         ('format', mstate.FILTER_FORMATS, 'format')):
            wanted = params.get(name)
            if wanted is None:
                continue
            if wanted not in allowed:
                raise api.ApiError(400, '%s must be one of %s' % (name, ', '.join(allowed)))
            filters.append(lambda recording, attribute=attribute, wanted=wanted: getattr(recording, attribute) == wanted)
        topic = params.get('topic')
        if topic is not None:
            filters.append(lambda recording: topic.lower() in recording.topic.lower())
        meeting_id = params.get('meetingId')
        if meeting_id is not None:
            filters.append(lambda recording: recording.matches_meeting(meeting_id))
        tag = params.get('integrationTag')
        if tag is not None:
            filters.append(lambda recording: tag in recording.integration_tags)
        return filters

    @staticmethod
    def _after_key(path, params):
        if 'cursor' not in params:
            return None
        # A cursor is only valid with exactly the query of the link that carried it.
        request_params = {name: value for name, value in params.items() if name != 'cursor'}
        return api._decode_cursor(params['cursor'], api._query_hash(path, request_params))

    @staticmethod
    def _page(path, candidates, filters, page_size, link_params, base_url, render):
        page = []
        has_more = False
        for recording in candidates:
            if not all(accept(recording) for accept in filters):
                continue
            if len(page) == page_size:
                has_more = True
                break
            page.append(recording)
        headers = {}
        if has_more:
            query_hash = api._query_hash(path, link_params)
            link_params = dict(link_params, cursor=api._encode_cursor(page[-1].sort_key, query_hash))
            headers['Link'] = '<%s%s?%s>; rel="next"' % (base_url, path, urllib.parse.urlencode(link_params))
        return api.ApiResponse(200, {'items': [render(recording) for recording in page]}, headers)

    # details

    def recording_details(self, identity, recording_id, params, header_site):
        if not (identity.has(mstate.SCOPE_USER_READ) or identity.has(mstate.SCOPE_ADMIN_READ)):
            raise api.ApiError(403, 'Getting recording details requires the %s or %s scope.'
                               % (mstate.SCOPE_USER_READ, mstate.SCOPE_ADMIN_READ))
        subject, acting = self._subject(identity, params, 'hostEmail', mstate.SCOPE_ADMIN_READ)
        if header_site is not None:
            header_site = self._known_site(header_site, 'siteUrl header')
            if acting:
                self._require_site_admin(identity, header_site)
        recording = self.meetings.recordings_by_id.get(recording_id)
        hidden_deleted = (recording is not None and recording.status == 'deleted'
                          and self.meetings.choices['details_of_deleted'] == 'not_found')
        if (recording is None or recording.status == 'purged' or hidden_deleted or not recording.visible_to(subject)
                or (header_site is not None and recording.site_url != header_site)):
            raise api.ApiError(404, 'Recording not found: %s' % recording_id)
        if acting:
            self._require_site_admin(identity, recording.site_url)
        body = recording.to_json(viewer=subject)
        body['temporaryDirectDownloadLinks'] = self._meeting_download_links(recording)
        return api.ApiResponse(200, body)

    def _meeting_download_links(self, recording):
        expiration = self.clock() + api.DOWNLOAD_LINK_LIFETIME
        ticket = hashlib.sha256(('%s/%s' % (recording.id, expiration.isoformat())).encode()).hexdigest()[:32]
        base = '%s/%s/nbr' % (mstate.DOWNLOAD_BASE, recording.site_url)
        return {
            'recordingDownloadLink': '%s/MultiThreadDownloadServlet?recordid=%s&ticket=%s' % (base, recording.id, ticket),
            'audioDownloadLink': '%s/downloadMedia.do?recordid=%s&ticket=%s&mediaType=1' % (base, recording.id, ticket),
            'transcriptDownloadLink': '%s/downloadMedia.do?recordid=%s&ticket=%s&mediaType=2' % (base, recording.id, ticket),
            'expiration': state.iso_z(expiration.replace(microsecond=0)),
        }

    # softDelete / restore / purge

    def bulk(self, identity, operation, params, raw_body, content_type):
        if not (identity.has(mstate.SCOPE_USER_WRITE) or identity.has(mstate.SCOPE_ADMIN_WRITE)):
            raise api.ApiError(403, '%s requires the %s or %s scope.'
                               % (operation.name, mstate.SCOPE_USER_WRITE, mstate.SCOPE_ADMIN_WRITE))
        if raw_body and api.media_type(content_type) != api.JSON_MEDIA_TYPE:
            raise api.ApiError(415, 'Unsupported media type %r: the request body must be sent as %s.'
                               % (content_type or '(no Content-Type)', api.JSON_MEDIA_TYPE))
        all_flag, recording_ids, body_site = self._bulk_request(operation, raw_body)
        if all_flag:
            if recording_ids:
                raise api.ApiError(400, 'recordingIds should be empty when %s is true.' % operation.all_flag)
        else:
            when = ' when %s is false or absent' % operation.all_flag if operation.all_flag else ''
            if not recording_ids:
                raise api.ApiError(400, 'recordingIds should not be empty%s.' % when)
            if len(recording_ids) > api.MAX_IDS:
                raise api.ApiError(400, 'recordingIds holds at most %d ids; %d given.' % (api.MAX_IDS, len(recording_ids)))
        host, acting = self._subject(identity, params, 'hostEmail', mstate.SCOPE_ADMIN_WRITE)
        if body_site is not None:
            site_url = self._known_site(body_site)
        else:
            site_url = self._preferred_site(host, host.email if acting else 'the caller')
        if acting:
            self._require_site_admin(identity, site_url)
        if all_flag:
            selected = self.meetings.hosted(host, site_url, operation.source_status)
        else:
            selected = self._resolve_ids(operation, host, site_url, recording_ids)
        for recording in selected:
            self.meetings.set_status(recording, operation.target_status)
        return api.ApiResponse(204)

    @staticmethod
    def _bulk_request(operation, raw_body):
        """-> (all_flag: bool, recording_ids: list, siteUrl: str or None); JSON null counts as absent."""
        if raw_body.strip():
            try:
                body = api.loads_json(raw_body)
            except ValueError as error:
                raise api.ApiError(400, 'The request body is not valid JSON: %s' % error) from None
        else:
            body = {}
        if not isinstance(body, dict):
            raise api.ApiError(400, 'The request body must be a JSON object.')
        all_flag = body.get(operation.all_flag) if operation.all_flag else None
        if all_flag is not None and not isinstance(all_flag, bool):
            raise api.ApiError(400, '%s must be a boolean.' % operation.all_flag)
        recording_ids = body.get('recordingIds')
        if recording_ids is not None and not (isinstance(recording_ids, list)
                                              and all(isinstance(item, str) for item in recording_ids)):
            raise api.ApiError(400, 'recordingIds must be an array of strings.')
        site_url = body.get('siteUrl')
        if site_url is not None and not isinstance(site_url, str):
            raise api.ApiError(400, 'siteUrl must be a string.')
        for misplaced in ('hostEmail', 'ownerEmail'):
            if body.get(misplaced) is not None:
                raise api.ApiError(400, '%s is not a field of this body: the host goes in the hostEmail query parameter.'
                                   % misplaced)
        return bool(all_flag), recording_ids or [], site_url or None

    def _resolve_ids(self, operation, host, site_url, recording_ids):
        """The host's recordings on the site in the source status. The ids that are not: see meeting_choices.ids."""
        unique_ids = list(dict.fromkeys(recording_ids))
        recordings = [self.meetings.recordings_by_id.get(recording_id) for recording_id in unique_ids]
        reachable = [recording is not None and recording.status != 'purged' and recording.host.id == host.id
                     and recording.site_url == site_url for recording in recordings]
        if self.meetings.choices['ids'] == 'partial':
            return [recording for recording, ok in zip(recordings, reachable)
                    if ok and recording.status == operation.source_status]
        unreachable = [recording_id for recording_id, ok in zip(unique_ids, reachable) if not ok]
        if unreachable:
            raise api.ApiError(404, 'Recordings not found among those %s hosts on site %s: %s'
                               % (host.email, site_url, ', '.join(unreachable)))
        wrong_status = [recording.id for recording in recordings if recording.status != operation.source_status]
        if wrong_status:
            raise api.ApiError(400, '%s needs recordings with status %s; not so: %s'
                               % (operation.name, operation.source_status, ', '.join(wrong_status)))
        return recordings


def control_listing(meetings, host_email=None, site_url=None, status=None):
    """GET /_sim/recordings?api=meetings: every meeting recording (purged too), optionally filtered."""
    items = meetings.all_recordings()
    if host_email is not None:
        items = [item for item in items if (item.host.email or '').lower() == host_email.lower()]
    if site_url is not None:
        items = [item for item in items if item.site_url == site_url.lower()]
    if status is not None:
        items = [item for item in items if item.status == status]
    return [item.control_json() for item in items]
