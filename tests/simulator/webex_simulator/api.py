"""The Converged Recordings API rules: authentication, scopes, listing, details and bulk actions.

Pure: takes a parsed request, returns an ApiResponse. No sockets; the caller holds the state lock.
"""

import base64
import binascii
import dataclasses
import datetime
import hashlib
import json
import re
import urllib.parse

from . import state, timeforms

API_PREFIX = '/v1'
LIST_PATH = '/v1/convergedRecordings'
ADMIN_LIST_PATH = '/v1/admin/convergedRecordings'
DETAILS_TEMPLATE = '/v1/convergedRecordings/{recordingId}'
ACTION_PATHS = {
    '/v1/convergedRecordings/restore': 'restore',
    '/v1/convergedRecordings/softDelete': 'softDelete',
    '/v1/convergedRecordings/purge': 'purge',
}
ENDPOINTS = (
    'GET ' + LIST_PATH,
    'GET ' + ADMIN_LIST_PATH,
    'GET ' + DETAILS_TEMPLATE,
    'POST /v1/convergedRecordings/restore',
    'POST /v1/convergedRecordings/softDelete',
    'POST /v1/convergedRecordings/purge',
)

MAX_IDS = 100
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
DEFAULT_WINDOW = datetime.timedelta(days=7)
ADMIN_MAX_WINDOW = datetime.timedelta(days=30)
DOWNLOAD_LINK_LIFETIME = datetime.timedelta(hours=3)

EMAIL_PATTERN = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')
# The request bodies of restore/softDelete/purge must be JSON (RFC 8259 media type; parameters such as charset allowed).
JSON_MEDIA_TYPE = 'application/json'
# The answer to a token the simulator does not know, and to one a revoke fault revoked.
INVALID_TOKEN_MESSAGE = 'The access token is invalid or expired.'


@dataclasses.dataclass(frozen=True)
class BulkOperation:
    """One of the three recycle-bin operations: which flag, from which status to which."""

    name: str
    all_flag: str
    source_status: str
    target_status: str


BULK_OPERATIONS = {
    'restore': BulkOperation('restore', 'restoreAll', 'deleted', 'available'),
    'softDelete': BulkOperation('softDelete', 'trashAll', 'available', 'deleted'),
    'purge': BulkOperation('purge', 'purgeAll', 'deleted', 'purged'),
}

# Optional list filters the published definition gives both list endpoints: query name -> (allowed values or
# None for any string, recording attribute). Every one must match (AND); topic is handled apart (substring). The
# admin endpoint's ownerEmail/ownerId choose the candidates instead (_candidates).
_EXTRA_FILTERS = {
    'serviceType': (state.SERVICE_TYPES, lambda recording: recording.service_type),
    'format': (('MP3',), lambda recording: recording.format),
    'ownerType': (state.OWNER_TYPES, lambda recording: recording.owner.type),
    'storageRegion': (state.STORAGE_REGIONS, lambda recording: recording.storage_region),
    'locationId': (None, lambda recording: recording.location_id),
}


class ApiError(Exception):
    """An error answer: status, message, optional extra headers."""

    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclasses.dataclass
class ApiResponse:
    status: int
    body: object = None
    headers: dict = dataclasses.field(default_factory=dict)


def endpoint_of(method, path):
    """The counter key of a request ('GET /v1/convergedRecordings/{recordingId}'), None when unknown."""
    if path in ACTION_PATHS:
        key = 'POST ' + path
    elif path in (LIST_PATH, ADMIN_LIST_PATH):
        key = 'GET ' + path
    elif _details_id(path) is not None:
        key = 'GET ' + DETAILS_TEMPLATE
    else:
        return None
    return key if key.startswith(method + ' ') else None


def _details_id(path):
    prefix = LIST_PATH + '/'
    if path.startswith(prefix):
        recording_id = urllib.parse.unquote(path[len(prefix):])
        if recording_id and '/' not in recording_id:
            return recording_id
    return None


def loads_json(raw):
    """json.loads that fails with ValueError on anything it cannot turn into a value, too deep nesting included."""
    try:
        return json.loads(raw)
    except RecursionError:
        # The C decoder gives up past the interpreter's recursion limit (about 1,000 levels).
        raise ValueError('JSON nested too deeply') from None


def media_type(content_type):
    """'Application/JSON; charset=UTF-8' -> 'application/json'; None or '' -> ''."""
    return (content_type or '').split(';', 1)[0].strip().lower()


def parse_time(name, text):
    """ISO 8601 -> aware datetime in UTC, compared as an instant whatever its form: Z, an offset (+08:00, +0800,
    +08), fractional seconds (any number of digits, '.' or ','; digits past the microsecond are dropped).
    Naive values are UTC, whatever the timezone header says."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(400, '%s is not an ISO 8601 date and time: %r' % (name, text)) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.timezone.utc)
    try:
        return moment.astimezone(datetime.timezone.utc)
    except OverflowError:
        # e.g. 0001-01-01T00:00:00+01:00 is before the first representable instant
        raise ApiError(400, '%s is out of the supported range of dates (years 1 to 9999 in UTC): %r'
                       % (name, text)) from None


def _encode_cursor(last_key, query_hash):
    raw = json.dumps({'k': list(last_key), 'h': query_hash}, separators=(',', ':')).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip('=')


def _decode_cursor(cursor, query_hash):
    try:
        padded = cursor + '=' * (-len(cursor) % 4)
        data = loads_json(base64.urlsafe_b64decode(padded.encode()))
        key = data['k']
        valid = (data['h'] == query_hash and isinstance(key, list) and len(key) == 2
                 and isinstance(key[0], int) and isinstance(key[1], str))
    except (ValueError, TypeError, KeyError, binascii.Error):
        valid = False
    if not valid:
        raise ApiError(400, 'Invalid cursor: it does not belong to this query')
    return tuple(key)


def _query_hash(path, params):
    canonical = json.dumps([path, sorted(params.items())], separators=(',', ':'))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _single_values(query):
    """parse_qs output -> {name: last value}; empty values count as absent."""
    return {name: values[-1] for name, values in query.items() if values and values[-1] != ''}


class WebexApi:
    """Answers the six Converged Recordings endpoints from a RecordingStore."""

    def __init__(self, store, clock, time_settings=None):
        """``time_settings``: a callable returning the current timeforms.TimeSettings (None: UTC, whole seconds)."""
        self.store = store
        self.clock = clock
        self.time_settings = time_settings or timeforms.TimeSettings

    # entry point

    def handle(self, method, path, query, authorization, body, base_url, content_type=JSON_MEDIA_TYPE, timezone=None):
        """method, path (no query), query (parse_qs dict), Authorization header, raw body bytes, Content-Type header,
        timezone header (the zone of the times in listings and details; None: the default of the settings).

        Never raises for anything a client sends: rule violations are ApiErrors turned into answers here. A bug
        (any other exception) is the caller's to turn into a 500.
        """
        try:
            return self._route(method, path, query, authorization, body, base_url, content_type, timezone)
        except ApiError as error:
            return ApiResponse(error.status, {'message': error.message}, dict(error.headers))

    def _route(self, method, path, query, authorization, body, base_url, content_type, timezone=None):
        if path in ACTION_PATHS:
            self._require_method(method, 'POST')
            identity = self.authenticate(authorization)
            return self.bulk_action(identity, BULK_OPERATIONS[ACTION_PATHS[path]], body, content_type)
        if path in (LIST_PATH, ADMIN_LIST_PATH):
            self._require_method(method, 'GET')
            identity = self.authenticate(authorization)
            return self.list_recordings(identity, path, _single_values(query), base_url, timezone)
        recording_id = _details_id(path)
        if recording_id is not None:
            self._require_method(method, 'GET')
            identity = self.authenticate(authorization)
            return self.details(identity, recording_id, timezone)
        raise ApiError(404, 'The requested resource could not be found: %s' % path)

    @staticmethod
    def _require_method(method, allowed):
        if method != allowed:
            raise ApiError(405, 'Method %s is not allowed on this resource' % method, {'Allow': allowed})

    def authenticate(self, authorization):
        if not authorization:
            raise ApiError(401, 'The request requires a valid access token set in the Authorization request header.')
        scheme, dummy, token = authorization.partition(' ')
        token = token.strip()
        if scheme.lower() != 'bearer' or not token:
            raise ApiError(401, 'The Authorization header must be "Bearer <access token>".')
        identity = self.store.identity(token)
        if identity is None:
            raise ApiError(401, INVALID_TOKEN_MESSAGE)
        return identity

    # listing

    def list_recordings(self, identity, path, params, base_url, timezone=None):
        is_admin_endpoint = path == ADMIN_LIST_PATH
        if is_admin_endpoint:
            if not (identity.has(state.SCOPE_ADMIN_READ) or identity.is_compliance_officer):
                raise ApiError(403, 'Listing recordings for an admin or compliance officer requires the %s or %s scope.'
                               % (state.SCOPE_ADMIN_READ, state.SCOPE_COMPLIANCE_READ))
        elif not identity.has(state.SCOPE_USER_READ):
            raise ApiError(403, 'Listing recordings requires the %s scope.' % state.SCOPE_USER_READ)
        time_form = self._time_form(timezone)

        status = params.get('status', 'available')
        allowed_statuses = state.STATUSES if is_admin_endpoint else ('available', 'deleted')
        if status not in allowed_statuses:
            raise ApiError(400, 'status must be one of %s' % ', '.join(allowed_statuses))
        if status == 'purged' and not identity.is_compliance_officer:
            raise ApiError(403, 'Only a compliance officer may list purged recordings.')

        page_size = self._page_size(params.get('max'))
        window_from, window_to = self._window(params.get('from'), params.get('to'))
        if is_admin_endpoint and window_to - window_from > ADMIN_MAX_WINDOW:
            raise ApiError(400, 'The interval between from and to must be within 30 days (to - from is %s).'
                           % (window_to - window_from))
        extra_filters = self._extra_filters(params)

        # The next link carries the resolved window so that every page lists the same window; written in UTC
        # whatever the time form of the items, so that neither the link nor its cursor depends on the form.
        link_params = {name: value for name, value in params.items() if name != 'cursor'}
        link_params.update({'from': state.iso_z(window_from), 'to': state.iso_z(window_to), 'max': str(page_size)})
        query_hash = _query_hash(path, link_params)
        after_key = None
        if 'cursor' in params:
            # A cursor is only valid with exactly the query of the link that carried it.
            request_params = {name: value for name, value in params.items() if name != 'cursor'}
            after_key = _decode_cursor(params['cursor'], _query_hash(path, request_params))

        candidates = self._candidates(identity, is_admin_endpoint, params, status, window_from, window_to, after_key)
        page = []
        has_more = False
        for recording in candidates:
            if not all(accept(recording) for accept in extra_filters):
                continue
            if len(page) == page_size:
                has_more = True
                break
            page.append(recording)

        headers = {}
        if has_more:
            link_params['cursor'] = _encode_cursor(page[-1].sort_key, query_hash)
            next_url = '%s%s?%s' % (base_url, path, urllib.parse.urlencode(link_params))
            headers['Link'] = '<%s>; rel="next"' % next_url
        return ApiResponse(200, {'items': [recording.to_json(time_form) for recording in page]}, headers)

    def _candidates(self, identity, is_admin_endpoint, params, status, window_from, window_to, after_key):
        from_micros, to_micros = state.to_micros(window_from), state.to_micros(window_to)
        if not is_admin_endpoint:
            return self.store.owner_window(identity.person.id, status, from_micros, to_micros, after_key)
        owner = None
        owner_email = params.get('ownerEmail')
        owner_id = params.get('ownerId')
        if owner_email is not None:
            if not EMAIL_PATTERN.match(owner_email):
                raise ApiError(400, 'ownerEmail is not a valid email address: %r' % owner_email)
            owner = self.store.person_by_email(owner_email)
            if owner is None or (owner_id is not None and owner.id != owner_id):
                return iter(())
        elif owner_id is not None:
            # The only way to name an owner without an email (a workspace, a virtual line).
            owner = self.store.person_by_id(owner_id)
            if owner is None:
                return iter(())
        if owner is not None:
            if owner.org_id != identity.org_id:
                return iter(())
            return self.store.owner_window(owner.id, status, from_micros, to_micros, after_key)
        return self.store.org_window(identity.org_id, status, from_micros, to_micros, after_key)

    def _time_form(self, timezone):
        try:
            return self.time_settings().form(timezone)
        except timeforms.TimeFormError as error:
            raise ApiError(400, str(error)[:1].upper() + str(error)[1:]) from None

    @staticmethod
    def _page_size(text):
        if text is None:
            return DEFAULT_PAGE_SIZE
        try:
            value = int(text)
        except ValueError:
            raise ApiError(400, 'max must be an integer from 1 to 100: %r' % text) from None
        if not 1 <= value <= MAX_PAGE_SIZE:
            raise ApiError(400, 'max must be an integer from 1 to 100: %r' % text)
        return value

    def _window(self, from_text, to_text):
        """The published defaults: neither -> the last 7 days; only one -> 7 days from or up to it."""
        window_from = parse_time('from', from_text) if from_text is not None else None
        window_to = parse_time('to', to_text) if to_text is not None else None
        if window_from is None and window_to is None:
            window_to = self.clock()
            window_from = window_to - DEFAULT_WINDOW
        elif window_to is None:
            try:
                window_to = window_from + DEFAULT_WINDOW
            except OverflowError:
                raise ApiError(400, 'to defaults to 7 days after from, which is past the supported range of dates '
                               '(year 9999): give to as well.') from None
        elif window_from is None:
            try:
                window_from = window_to - DEFAULT_WINDOW
            except OverflowError:
                raise ApiError(400, 'from defaults to 7 days before to, which is before the supported range of dates '
                               '(year 1): give from as well.') from None
        if window_from > window_to:
            raise ApiError(400, 'from cannot be after to.')
        return window_from, window_to

    @staticmethod
    def _extra_filters(params):
        filters = []
        for name, (allowed, attribute) in _EXTRA_FILTERS.items():
            wanted = params.get(name)
            if wanted is None:
                continue
            if allowed is not None and wanted not in allowed:
                raise ApiError(400, '%s must be one of %s' % (name, ', '.join(allowed)))
            filters.append(lambda recording, attribute=attribute, wanted=wanted: attribute(recording) == wanted)
        topic = params.get('topic')
        if topic is not None:
            filters.append(lambda recording: topic.lower() in recording.topic.lower())
        return filters

    # details

    def details(self, identity, recording_id, timezone=None):
        if not (identity.has(state.SCOPE_USER_READ) or identity.has(state.SCOPE_ADMIN_READ) or identity.is_compliance_officer):
            raise ApiError(403, 'Getting recording details requires the %s, %s or %s scope.'
                           % (state.SCOPE_USER_READ, state.SCOPE_ADMIN_READ, state.SCOPE_COMPLIANCE_READ))
        time_form = self._time_form(timezone)
        recording = self.store.recordings_by_id.get(recording_id)
        if recording is None or not self._may_read(identity, recording):
            raise ApiError(404, 'Recording not found: %s' % recording_id)
        body = recording.to_json(time_form)
        is_owner = recording.owner.id == identity.person.id
        if is_owner or (identity.is_compliance_officer and recording.owner.org_id == identity.org_id):
            body['temporaryDirectDownloadLinks'] = self._download_links(recording)
        return ApiResponse(200, body)

    @staticmethod
    def _may_read(identity, recording):
        same_org = recording.owner.org_id == identity.org_id
        if identity.is_compliance_officer and same_org:
            return True
        if recording.status == 'purged':
            return False
        if identity.has(state.SCOPE_ADMIN_READ) and same_org:
            return True
        return identity.has(state.SCOPE_USER_READ) and recording.owner.id == identity.person.id

    def _download_links(self, recording):
        expiration = self.clock() + DOWNLOAD_LINK_LIFETIME
        ticket = hashlib.sha256(('%s/%s' % (recording.id, expiration.isoformat())).encode()).hexdigest()[:32]
        # .invalid (RFC 2606): the links have the published shape but point nowhere.
        base = 'https://download.webex-simulator.invalid'
        query = 'recordUUID=%s&ticket=%s' % (recording.id, ticket)
        # In UTC with Z whatever the timezone header, as in the published example of the details.
        return {
            'audioDownloadLink': '%s/nbr/MultiThreadDownloadServlet?type=calling&%s' % (base, query),
            'transcriptDownloadLink': '%s/nbr/transcript?%s' % (base, query),
            'expiration': state.iso_z(expiration.replace(microsecond=0)),
        }

    # restore / softDelete / purge

    def bulk_action(self, identity, operation, raw_body, content_type=JSON_MEDIA_TYPE):
        if not (identity.is_administrator or identity.is_user_writer):
            raise ApiError(403, '%s requires the %s or %s scope.'
                           % (operation.name, state.SCOPE_ADMIN_WRITE, state.SCOPE_USER_WRITE))
        if raw_body and media_type(content_type) != JSON_MEDIA_TYPE:
            raise ApiError(415, 'Unsupported media type %r: the request body must be sent as %s.'
                           % (content_type or '(no Content-Type)', JSON_MEDIA_TYPE))
        request = self._bulk_body(operation, raw_body)
        all_flag, owner_email, recording_ids = request

        if all_flag:
            if recording_ids:
                raise ApiError(400, 'recordingIds should be empty when %s is true.' % operation.all_flag)
            owner = self._bulk_owner(identity, operation, owner_email)
            selected = self.store.owner_recordings(owner.id, operation.source_status)
        else:
            if owner_email:
                raise ApiError(400, 'ownerEmail should be empty when %s is false or absent.' % operation.all_flag)
            if not recording_ids:
                raise ApiError(400, 'recordingIds should not be empty when %s is false or absent.' % operation.all_flag)
            if len(recording_ids) > MAX_IDS:
                raise ApiError(400, 'recordingIds holds at most %d ids; %d given.' % (MAX_IDS, len(recording_ids)))
            selected = self._resolve_ids(identity, operation, recording_ids)

        for recording in selected:
            self.store.set_status(recording, operation.target_status)
        return ApiResponse(204)

    @staticmethod
    def _bulk_body(operation, raw_body):
        """-> (all_flag: bool, owner_email: str, recording_ids: list); JSON null counts as absent."""
        if raw_body.strip():
            try:
                body = loads_json(raw_body)
            except ValueError as error:
                raise ApiError(400, 'The request body is not valid JSON: %s' % error) from None
        else:
            body = {}
        if not isinstance(body, dict):
            raise ApiError(400, 'The request body must be a JSON object.')
        all_flag = body.get(operation.all_flag)
        if all_flag is not None and not isinstance(all_flag, bool):
            raise ApiError(400, '%s must be a boolean.' % operation.all_flag)
        owner_email = body.get('ownerEmail')
        if owner_email is not None and not isinstance(owner_email, str):
            raise ApiError(400, 'ownerEmail must be a string.')
        recording_ids = body.get('recordingIds')
        if recording_ids is not None and not (isinstance(recording_ids, list)
                                              and all(isinstance(item, str) for item in recording_ids)):
            raise ApiError(400, 'recordingIds must be an array of strings.')
        return bool(all_flag), owner_email or '', recording_ids or []

    def _bulk_owner(self, identity, operation, owner_email):
        if not identity.is_administrator:
            if owner_email:
                raise ApiError(400, 'ownerEmail should be empty when a user calls %s with %s true.'
                               % (operation.name, operation.all_flag))
            return identity.person
        if not owner_email:
            raise ApiError(400, 'ownerEmail should not be empty when an administrator calls %s with %s true.'
                           % (operation.name, operation.all_flag))
        if not EMAIL_PATTERN.match(owner_email):
            raise ApiError(400, 'ownerEmail is not a valid email address: %r' % owner_email)
        owner = self.store.person_by_email(owner_email)
        if owner is None or owner.org_id != identity.org_id:
            raise ApiError(404, 'No owner %s in the organization.' % owner_email)
        return owner

    def _resolve_ids(self, identity, operation, recording_ids):
        """All or nothing: any unreachable id -> 404, any id in the wrong status -> 400."""
        unique_ids = list(dict.fromkeys(recording_ids))
        recordings = [self.store.recordings_by_id.get(recording_id) for recording_id in unique_ids]
        unreachable = [recording_id for recording_id, recording in zip(unique_ids, recordings)
                       if recording is None or recording.status == 'purged' or not self._may_write(identity, recording)]
        if unreachable:
            raise ApiError(404, 'Recordings not found: %s' % ', '.join(unreachable))
        wrong_status = [recording.id for recording in recordings if recording.status != operation.source_status]
        if wrong_status:
            raise ApiError(400, '%s needs recordings with status %s; not so: %s'
                           % (operation.name, operation.source_status, ', '.join(wrong_status)))
        return recordings

    @staticmethod
    def _may_write(identity, recording):
        if identity.is_administrator:
            return recording.owner.org_id == identity.org_id
        return recording.owner.id == identity.person.id
