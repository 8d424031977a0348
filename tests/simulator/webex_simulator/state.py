"""People, tokens and recordings of the simulated Webex org, with the indexes listing needs.

Pure data: no HTTP, no locking (the caller holds the lock).
"""

import bisect
import dataclasses
import datetime
import hashlib
import uuid
import zlib

STATUSES = ('available', 'deleted', 'purged')
OWNER_TYPES = ('user', 'place', 'virtualLine', 'callQueue')
SERVICE_TYPES = ('calling', 'customerAssist')
STORAGE_REGIONS = ('US', 'SG', 'GB', 'JP', 'DE', 'AU', 'IN', 'CA')

SCOPE_USER_READ = 'spark:recordings_read'
SCOPE_USER_WRITE = 'spark:recordings_write'
SCOPE_ADMIN_READ = 'spark-admin:recordings_read'
SCOPE_ADMIN_WRITE = 'spark-admin:recordings_write'
SCOPE_COMPLIANCE_READ = 'spark-compliance:recordings_read'

# Namespace of every id the simulator derives from names (uuid5), so that seeds load identically twice.
ID_NAMESPACE = uuid.UUID('6f1c3f2e-8d4b-5a7e-9c1d-2b3a4f5e6d7c')
_NAMESPACE_BYTES = ID_NAMESPACE.bytes

# Sorts after any recording id: closes a window on a createTime value whatever the id.
_ID_SENTINEL = '\U0010ffff'


def derived_id(*names):
    """A deterministic UUID from names: uuid5, computed directly because uuid.uuid5 is slow for thousands of ids."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + '/'.join(str(name) for name in names).encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    text = digest.hex()
    return '%s-%s-%s-%s-%s' % (text[:8], text[8:12], text[12:16], text[16:20], text[20:])


def to_micros(moment):
    """Microseconds since the epoch of an aware datetime (exact, unlike float seconds)."""
    delta = moment - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds


def iso_z(moment):
    """ISO 8601 in UTC with a Z suffix; microseconds only when present."""
    moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment.isoformat() + 'Z'


@dataclasses.dataclass
class Person:
    """A recording owner: a user, a workspace, a virtual line or a call queue.

    ``email`` is None for owners that have none (workspaces, virtual lines, call queues may lack one);
    ``location_id`` is the owner's Webex Calling location, the default of its recordings ('' = the org's).
    """

    id: str
    email: str
    display_name: str
    org_id: str
    type: str = 'user'
    location_id: str = ''


@dataclasses.dataclass(frozen=True)
class Identity:
    """Who a token speaks for. The token itself is deliberately not kept here."""

    person: Person
    scopes: frozenset

    @property
    def org_id(self):
        return self.person.org_id

    @property
    def is_administrator(self):
        return SCOPE_ADMIN_WRITE in self.scopes

    @property
    def is_user_writer(self):
        return SCOPE_USER_WRITE in self.scopes and not self.is_administrator

    @property
    def is_compliance_officer(self):
        return SCOPE_COMPLIANCE_READ in self.scopes

    def has(self, scope):
        return scope in self.scopes


@dataclasses.dataclass
class Recording:
    """One converged (call) recording."""

    id: str
    topic: str
    create_time: datetime.datetime
    duration_seconds: int
    size_bytes: int
    status: str
    owner: Person
    service_type: str = 'calling'
    storage_region: str = 'US'
    location_id: str = ''
    call_session_id: str = ''
    format: str = 'MP3'
    sort_key: tuple = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # Newest first by createTime, then by id so that ties are deterministic; computed once.
        self.sort_key = (-to_micros(self.create_time), self.id)

    @property
    def time_recorded(self):
        # The file is generated after the call ends: recording start = creation - duration - a minute.
        return self.create_time - datetime.timedelta(seconds=self.duration_seconds + 60)

    def to_json(self, time_form=None):
        """The published RecordingObject; times written by ``time_form`` (a timeforms.TimeForm; None: UTC, Z)."""
        render = iso_z if time_form is None else time_form.render
        body = {
            'id': self.id,
            'topic': self.topic,
            'createTime': render(self.create_time),
            'timeRecorded': render(self.time_recorded),
            'ownerId': self.owner.id,
            'ownerType': self.owner.type,
            'ownerEmail': self.owner.email,
            'format': self.format,
            'durationSeconds': self.duration_seconds,
            'sizeBytes': self.size_bytes,
            'serviceType': self.service_type,
            'storageRegion': self.storage_region,
            'status': self.status,
        }
        if not self.owner.email:
            # An owner without an email (a workspace, a virtual line): the key is left out, as Webex leaves
            # out what has no value (docs/simulator.md; the published schema lists ownerEmail as required).
            del body['ownerEmail']
        if self.location_id:
            # Derived on demand: computing it for thousands of generated recordings at load time is wasted.
            body['serviceData'] = {'locationId': self.location_id,
                                   'callSessionId': self.call_session_id or derived_id('call', self.id)}
        return body


def stable_number(text, low, high):
    """A deterministic integer in [low, high] derived from text."""
    return low + zlib.crc32(text.encode()) % (high - low + 1)


class SortedIndex:
    """Recordings kept in listing order (sort_key ascending = newest first)."""

    def __init__(self):
        self.keys = []
        self.items = []

    def __len__(self):
        return len(self.items)

    def add(self, recording):
        key = recording.sort_key
        position = bisect.bisect_left(self.keys, key)
        self.keys.insert(position, key)
        self.items.insert(position, recording)

    def remove(self, recording):
        key = recording.sort_key
        position = bisect.bisect_left(self.keys, key)
        if position < len(self.keys) and self.keys[position] == key:
            del self.keys[position]
            del self.items[position]

    def extend_unsorted(self, recordings):
        """Add many at once and sort once: loading thousands of recordings stays fast."""
        pairs = list(zip(self.keys, self.items))
        pairs.extend((recording.sort_key, recording) for recording in recordings)
        pairs.sort(key=lambda pair: pair[0])
        self.keys = [pair[0] for pair in pairs]
        self.items = [pair[1] for pair in pairs]

    def window(self, from_micros, to_micros, after_key=None):
        """Recordings with from <= createTime < to, newest first, strictly after after_key."""
        start = bisect.bisect_right(self.keys, (-to_micros, _ID_SENTINEL))
        end = bisect.bisect_right(self.keys, (-from_micros, _ID_SENTINEL))
        if after_key is not None:
            start = max(start, bisect.bisect_right(self.keys, tuple(after_key)))
        for position in range(start, end):
            yield self.items[position]


class IndexedRecordings:
    """Recordings by id and in sorted indexes by (scope, key, status), shared by the Converged and the Meetings
    stores; a subclass says which indexes hold a recording (``_indexes_of``)."""

    def __init__(self):
        self.recordings_by_id = {}
        self._indexes = {}

    def _index(self, scope, scope_id, status):
        key = (scope, scope_id, status)
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = SortedIndex()
        return index

    def _indexes_of(self, recording):
        raise NotImplementedError

    def add_recordings(self, recordings):
        """Add (or replace) recordings; each index is sorted once."""
        pending = {}
        for recording in recordings:
            previous = self.recordings_by_id.get(recording.id)
            if previous is not None:
                for index in self._indexes_of(previous):
                    index.remove(previous)
            self.recordings_by_id[recording.id] = recording
            for index in self._indexes_of(recording):
                pending.setdefault(id(index), (index, []))[1].append(recording)
        for index, batch in pending.values():
            index.extend_unsorted(batch)

    def set_status(self, recording, status):
        for index in self._indexes_of(recording):
            index.remove(recording)
        recording.status = status
        for index in self._indexes_of(recording):
            index.add(recording)


class RecordingStore(IndexedRecordings):
    """Every person, token and recording, indexed by id, owner and status."""

    def __init__(self):
        super().__init__()
        self.people_by_email = {}
        self.people_by_id = {}
        self.identities_by_token = {}

    # people and tokens

    def add_person(self, person):
        """Add (or replace) a person; one without an email is found by id only."""
        if person.email:
            self.people_by_email[person.email.lower()] = person
        self.people_by_id[person.id] = person

    def person_by_email(self, email):
        return self.people_by_email.get(email.lower())

    def person_by_id(self, person_id):
        return self.people_by_id.get(person_id)

    def add_token(self, token, person, scopes):
        self.identities_by_token[token] = Identity(person=person, scopes=frozenset(scopes))

    def identity(self, token):
        return self.identities_by_token.get(token)

    # recordings

    def _indexes_of(self, recording):
        return (self._index('org', recording.owner.org_id, recording.status),
                self._index('owner', recording.owner.id, recording.status))

    def org_window(self, org_id, status, from_micros, to_micros, after_key=None):
        return self._index('org', org_id, status).window(from_micros, to_micros, after_key)

    def owner_window(self, owner_id, status, from_micros, to_micros, after_key=None):
        return self._index('owner', owner_id, status).window(from_micros, to_micros, after_key)

    def owner_recordings(self, owner_id, status):
        return list(self._index('owner', owner_id, status).items)

    def all_recordings(self):
        """Every recording, purged too, in listing order."""
        return sorted(self.recordings_by_id.values(), key=lambda recording: recording.sort_key)
