"""Seed data: people, tokens and recordings from YAML/JSON, or generated in bulk, deterministically."""

import datetime
import json
import pathlib

import yaml

from . import state

DEFAULT_SEED_PATH = pathlib.Path(__file__).resolve().parent.parent / 'seeds' / 'default.yml'
DEFAULT_ORG_ID = state.derived_id('org', 'default')

# The C loader when PyYAML has it: the default seed parses several times faster.
_YAML_LOADER = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)

# One generate entry makes at most this many recordings (a mistyped count must not keep the simulator busy forever).
MAX_GENERATED = 1000000

_TOPICS = ('Call with customer', 'Support callback', 'Sales follow-up', 'Team sync call', 'Escalation call')


class SeedError(ValueError):
    """Seed data that cannot be loaded."""


def read_seed(source=None):
    """None -> the default seed file; a dict -> itself; a path -> parsed YAML or JSON."""
    if source is None:
        source = DEFAULT_SEED_PATH
    if isinstance(source, dict):
        return source
    path = pathlib.Path(source)
    try:
        text = path.read_text(encoding='utf-8')
    except OSError as error:
        raise SeedError('cannot read seed %s: %s' % (path, error)) from None
    try:
        data = json.loads(text) if path.suffix == '.json' else yaml.load(text, Loader=_YAML_LOADER)
    except (ValueError, yaml.YAMLError) as error:
        raise SeedError('cannot parse seed %s: %s' % (path, error)) from None
    if not isinstance(data, dict):
        raise SeedError('seed %s must be a mapping' % path)
    return data


class SeedLoader:
    """Applies seed data (or a fragment of it) to a RecordingStore.

    createTime = start_time - created_days_ago, so a seed always describes the same relative picture.
    """

    def __init__(self, store, start_time, org_id=DEFAULT_ORG_ID):
        self.store = store
        self.start_time = start_time
        self.org_id = org_id
        self._location_ids = {}

    def load(self, data):
        """Load a whole seed (or a fragment: people, tokens, recordings/items, generate). Returns the new recordings."""
        if not isinstance(data, dict):
            raise SeedError('seed data must be a mapping')
        try:
            return self._load(data)
        except SeedError:
            raise
        except (TypeError, ValueError, OverflowError, AttributeError) as error:
            # A value of the wrong type or out of range that no check above names (e.g. owners: "many").
            raise SeedError('bad seed data: %s: %s' % (type(error).__name__, error)) from None

    def _load(self, data):
        self.org_id = str(data.get('org_id') or self.org_id)
        for entry in self._list(data, 'people'):
            self.store.add_person(self._person(entry))
        for entry in self._list(data, 'tokens'):
            self._token(entry)
        recordings = [self._recording(entry, position)
                      for position, entry in enumerate(self._list(data, 'recordings') + self._list(data, 'items'))]
        for entry in self._list(data, 'generate'):
            recordings.extend(self._generate(entry))
        self.store.add_recordings(recordings)
        return recordings

    @staticmethod
    def _list(data, key):
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
            raise SeedError('%s must be a list of mappings' % key)
        return value

    def _person(self, entry):
        """A user needs an email; a workspace, virtual line or call queue may have none, then it needs an id."""
        owner_type = entry.get('type', 'user')
        if owner_type not in state.OWNER_TYPES:
            raise SeedError('person type must be one of %s: %r' % (', '.join(state.OWNER_TYPES), entry))
        email = entry.get('email')
        person_id = entry.get('id') or None  # empty: derived from the email
        if email is not None and not (email and isinstance(email, str)):
            raise SeedError('a person\'s email must be a non-empty string: %r' % (entry,))
        if email is None and owner_type == 'user':
            raise SeedError('every person of type user needs an email (a string): %r' % (entry,))
        if person_id is not None and not isinstance(person_id, (str, int)):
            raise SeedError('a person\'s id must be a string: %r' % (entry,))
        if email is None and person_id is None:
            raise SeedError('a %s without an email needs an id: %r' % (owner_type, entry))
        location_id = entry.get('location_id') or ''
        if not isinstance(location_id, str):
            raise SeedError('location_id must be a string: %r' % (entry,))
        if email is None:
            display_name = entry.get('display_name') or str(person_id)
        else:
            display_name = entry.get('display_name') or email.split('@')[0].title()
        return state.Person(
            id=str(person_id or state.derived_id('person', email.lower())),
            email=email,
            display_name=str(display_name),
            org_id=str(entry.get('org_id') or self.org_id),
            type=owner_type,
            location_id=location_id,
        )

    def _owner(self, email, context):
        if not isinstance(email, str):
            raise SeedError('an owner email must be a string: %r' % (context,))
        person = self.store.person_by_email(email)
        if person is None:
            raise SeedError('unknown person %r in %r' % (email, context))
        return person

    def _recording_owner(self, entry):
        """The owner a recording names by owner_email, owner_id or both (then they must be the same person)."""
        owner_email = entry.get('owner_email')
        owner_id = entry.get('owner_id')
        if owner_email is None and owner_id is None:
            raise SeedError('a recording needs owner_email or owner_id: %r' % (entry,))
        by_email = self._owner(owner_email, entry) if owner_email is not None else None
        if owner_id is None:
            return by_email
        if not isinstance(owner_id, (str, int)):
            raise SeedError('owner_id must be a string: %r' % (entry,))
        by_id = self.store.person_by_id(str(owner_id))
        if by_id is None:
            raise SeedError('unknown owner_id %r in %r' % (owner_id, entry))
        if by_email is not None and by_email is not by_id:
            raise SeedError('owner_email and owner_id name different people: %r' % (entry,))
        return by_id

    def _token(self, entry):
        token = entry.get('token')
        scopes = entry.get('scopes') or []
        if not token or not isinstance(scopes, list):
            raise SeedError('every token needs token, email and a list of scopes: %r' % (entry,))
        self.store.add_token(str(token), self._owner(entry.get('email'), entry), [str(scope) for scope in scopes])

    def _created(self, days_ago):
        # Whole seconds, like Webex's createTime.
        try:
            moment = self.start_time - datetime.timedelta(days=float(days_ago))
        except (OverflowError, ValueError, TypeError):
            raise SeedError('created_days_ago must be a number of days within the years 1 to 9999: %r' % (days_ago,)) from None
        return moment.replace(microsecond=0)

    def _recording(self, entry, position):
        owner = self._recording_owner(entry)
        topic = str(entry.get('topic') or '%s %d' % (_TOPICS[position % len(_TOPICS)], position + 1))
        owner_name = owner.email.lower() if owner.email else owner.id
        recording_id = str(entry.get('id') or state.derived_id('recording', owner_name, topic, position))
        status = entry.get('status', 'available')
        if status not in state.STATUSES:
            raise SeedError('status must be one of %s: %r' % (', '.join(state.STATUSES), entry))
        return self._make(recording_id, owner, topic, status, entry.get('created_days_ago', 1), entry)

    def _make(self, recording_id, owner, topic, status, days_ago, entry=None):
        entry = entry or {}
        service_type = entry.get('service_type') or 'calling'
        if service_type not in state.SERVICE_TYPES:
            raise SeedError('service_type must be one of %s: %r' % (', '.join(state.SERVICE_TYPES), entry))
        storage_region = entry.get('storage_region') or 'US'
        if storage_region not in state.STORAGE_REGIONS:
            raise SeedError('storage_region must be one of %s: %r' % (', '.join(state.STORAGE_REGIONS), entry))
        location_id = entry.get('location_id') or owner.location_id or self._location_id(owner.org_id)
        if not isinstance(location_id, str):
            raise SeedError('location_id must be a string: %r' % (entry,))
        return state.Recording(
            id=recording_id,
            topic=topic,
            create_time=self._created(days_ago),
            duration_seconds=int(entry.get('duration_seconds') or state.stable_number(recording_id + 'd', 15, 3600)),
            size_bytes=int(entry.get('size_bytes') or state.stable_number(recording_id + 's', 50000, 30000000)),
            status=status,
            owner=owner,
            service_type=service_type,
            storage_region=storage_region,
            location_id=location_id,
            call_session_id=str(entry.get('call_session_id') or ''),
        )

    def _location_id(self, org_id):
        if org_id not in self._location_ids:
            self._location_ids[org_id] = state.derived_id('location', org_id)
        return self._location_ids[org_id]

    def _generate(self, entry):
        """owners x per_owner recordings; days spread evenly (golden ratio) over created_days_ago [min, max]."""
        owners = int(entry.get('owners', 1))
        per_owner = int(entry.get('per_owner', 1))
        if not (0 <= owners and 0 <= per_owner and owners * per_owner <= MAX_GENERATED):
            raise SeedError('generate makes 0 to %d recordings (owners x per_owner): %r' % (MAX_GENERATED, entry))
        status = entry.get('status', 'available')
        if status not in state.STATUSES:
            raise SeedError('status must be one of %s: %r' % (', '.join(state.STATUSES), entry))
        domain = entry.get('domain', 'bulk.example.com')
        prefix = entry.get('prefix', 'user')
        if not (isinstance(domain, str) and isinstance(prefix, str)):
            raise SeedError('generate: domain and prefix must be strings: %r' % (entry,))
        low, high = entry.get('created_days_ago', [1, 6])
        low, high = float(low), float(high)
        golden = 0.6180339887498949
        # Passed on to every generated recording (checked like a recording entry's).
        shared = {key: entry[key] for key in ('service_type', 'storage_region', 'location_id') if key in entry}
        recordings = []
        for owner_number in range(owners):
            email = '%s%04d@%s' % (prefix, owner_number, domain)
            owner = self.store.person_by_email(email)
            if owner is None:
                owner = state.Person(id=state.derived_id('person', email), email=email,
                                     display_name='%s %04d' % (prefix.title(), owner_number), org_id=self.org_id)
                self.store.add_person(owner)
            for number in range(per_owner):
                sequence = owner_number * per_owner + number
                days_ago = low + (high - low) * ((sequence * golden) % 1.0)
                recording_id = state.derived_id('generated', email, status, number)
                topic = '%s %d' % (_TOPICS[sequence % len(_TOPICS)], number + 1)
                recordings.append(self._make(recording_id, owner, topic, status, days_ago, shared))
        return recordings
