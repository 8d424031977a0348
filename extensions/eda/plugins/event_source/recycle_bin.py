# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Event-Driven Ansible source ``webexops.recordings.recycle_bin``: polls the Webex recycle bin with
the collection's own client and service (plugins/module_utils) and reports what enters it, surges of
deletions, and what leaves it. It runs in ansible-rulebook's Python (3.9 or later), not on a managed node.
"""

DOCUMENTATION = r'''
---
short_description: Watch the Webex recycle bin and report deletions, surges of deletions and recoveries
description:
  - An ansible-rulebook event source that polls the recycle bin of a selection (the caller's own, one owner's, several
    owners' or the whole organization's) every O(interval) seconds, with the same listing as
    M(webexops.recordings.webex_recording_info), and puts one event per finding on the queue, each a dict under the key
    C(webex_recycle_bin).
  - "C({type: deleted, recording: {...}}): once for every recording newly seen in the bin, with the fields
    M(webexops.recordings.webex_recording_info) returns (id, topic, owner_email, owner_id, owner_type, service_type,
    create_time, duration_seconds, size_bytes, status, location_id)."
  - "C({type: surge, by, key, count, window_minutes, recording_ids}): when at least O(surge_threshold) recordings of one key
    (owner email, or owner id for an owner without one; location id; or V(org)) entered the bin within O(surge_window)
    minutes. Each recording counts toward one surge at most, so one burst gives one event."
  - "C({type: left, recording_id, status}): when a recording the source knows (reported, or recorded at the first poll)
    leaves the bin, V(available) (restored) or V(gone) (purged, or no longer found). A failed read of such a recording
    is an error event, and it is read again at the next poll."
  - "C({type: error, status, message, tracking_id}): when a poll fails (a wrong token, a missing scope, the retries of
    the client used up). The source logs it, keeps its state and polls again after O(interval); it never exits on an API
    error."
  - The API gives no deletion time. Entered the bin means first seen in the bin by this source, so a surge is measured
    in poll times, at the resolution of O(interval).
  - The first poll without a state records what the bin already holds, without an event (see O(emit_existing)). With
    O(state_file) the ids already reported survive a restart (no event twice), and what entered the bin while the
    source was down is reported, and counts toward a surge, at the first poll after the restart.
  - "Request cost of one poll: the reads of M(webexops.recordings.webex_recording_info) for the same selection (W + P:
    W listing windows of 29 days over O(lookback_days), 2 for the default 30; P one more per 100 recordings in a window),
    plus one read per reported recording that left the listing (to tell restored from purged). Never a write."
  - Every argument is checked at start; a bad one stops the source with a message naming it. The token never appears
    in an event, a log line or an error.
author:
  - Contributors to the webexops.recordings collection (@webexops)
requirements:
  - python >= 3.9 (the Python of ansible-rulebook)
  - ansible-core (the collection's module_utils use it)
  - requests
options:
  access_token:
    description:
      - Webex access token. Default the environment variable E(WEBEX_ACCESS_TOKEN).
      - An administrator token (C(spark-admin:recordings_read)) for other owners and the organization; a user token
        (C(spark:recordings_read)) for the caller's own bin.
    type: str
  api_url:
    description: Base URL of the Webex API. Default E(WEBEX_API_URL), else C(https://webexapis.com/v1).
    type: str
  validate_certs:
    description: Verify the TLS certificate of O(api_url). Default E(WEBEX_VALIDATE_CERTS), else V(true).
    type: bool
  ca_path:
    description: CA bundle to verify O(api_url) with. Default E(WEBEX_CA_PATH).
    type: path
  timeout:
    description: Seconds to wait for one answer of the API.
    type: float
    default: 30
  retry_max_wait:
    description:
      - Seconds that the retries of one poll may wait in total (429 and 423 after their C(Retry-After), 502, 503,
        504 and connection failures with a backoff). Each poll has its own budget. V(0) never retries.
    type: float
    default: 120
  api:
    description:
      - The Webex recordings API watched. V(converged), the Converged Recordings API (Webex Calling and Customer Assist);
        V(meetings), the Meetings recordings API (meetings, webinars, training and support sessions), whose owners are
        the meeting hosts. The events carry the recording fields C(webexops.recordings.webex_recording_info) returns
        for that API.
    type: str
    choices: [converged, meetings]
    default: converged
  site_url:
    description: With O(api=meetings), watch this Webex site only (default, every site of the token's site list).
    type: str
  meeting_id:
    description: With O(api=meetings), watch the recordings of this meeting only.
    type: str
  owner_email:
    description: Watch the bin of this owner (administrator token).
    type: str
  owner_emails:
    description: Watch the bins of these owners (administrator token; one organization-wide listing for several).
    type: list
    elements: str
  all_owners:
    description: Watch the whole organization's bin (administrator token). Without an owner option, the caller's own bin.
    type: bool
  location_id:
    description: Only recordings of this Webex Calling location (filtered by the server).
    type: str
  owner_type:
    description: Only recordings of this owner type (filtered by the server).
    type: str
    choices: [user, place, virtualLine]
  service_type:
    description: Only recordings of this service type (filtered by the server).
    type: str
    choices: [calling, customerAssist]
  topic:
    description: Only recordings whose topic contains this text, case-insensitive (filtered by the server).
    type: str
  max_concurrency:
    description: Listing requests in flight at once (1 to 32).
    type: int
    default: 4
  lookback_days:
    description:
      - Recordings created in the last O(lookback_days) days are watched (the listings select by creation time; a
        recording created earlier is not seen when it is deleted). Each 29 more days cost one more read per poll.
    type: int
    default: 30
  interval:
    description: Seconds between two polls, at least 1.
    type: int
    default: 300
  surge_threshold:
    description: Recordings of one key that make a surge, at least 1.
    type: int
    default: 20
  surge_window:
    description: Minutes within which O(surge_threshold) recordings of one key must enter the bin, at least 1.
    type: int
    default: 60
  surge_by:
    description:
      - What a surge is counted by. V(owner) (the owner's email, or its owner id when it has none), V(location)
        (the location id of the recording), V(org) (every recording of the selection together, key V(org)).
    type: str
    choices: [owner, location, org]
    default: owner
  state_file:
    description:
      - JSON file that keeps the ids in the bin and when they were first seen (no recording data, no token), written
        after every poll that changed it, mode 0600. Its folder must exist. A state of another selection, API URL,
        O(api) or O(surge_by) is not used (the source starts afresh and says so in the log).
      - Without it, a restart records the bin again without events, and what entered it meanwhile is never reported.
    type: path
  emit_existing:
    description:
      - At the first poll without a state, report what the bin already holds as C(deleted) events too (they never
        count toward a surge).
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Watch the organization's recycle bin
  hosts: localhost
  sources:
    - webexops.recordings.recycle_bin:
        all_owners: true
        interval: 300
        surge_threshold: 20
        surge_window: 60
        state_file: /var/lib/eda/webex-recycle-bin.json
  rules:
    - name: Surge of deletions of one owner
      condition: event.webex_recycle_bin.type == "surge"
      action:
        debug:
          msg: "{{ event.webex_recycle_bin.count }} recordings of {{ event.webex_recycle_bin.key }} entered the bin"
'''

import asyncio
import json
import logging
import os
import sys
import threading
from datetime import timedelta


def _collections_root(path):
    """The folder that holds ansible_collections/ of the copy of the collection this file is part of."""
    parts = os.path.abspath(path).split(os.sep)
    return os.sep.join(parts[:-8]) or os.sep if len(parts) > 8 and parts[-8] == 'ansible_collections' else None


# ansible-rulebook runs this file by path: the collection's module_utils are imported from the same copy.
_ROOT = _collections_root(__file__)
if _ROOT and _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from ansible.module_utils.common import validation  # noqa: E402 pylint: disable=wrong-import-position

from ansible_collections.webexops.recordings.plugins.module_utils import _selection as selection  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.webexops.recordings.plugins.module_utils import _windows as windows_  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.webexops.recordings.plugins.module_utils._connection import (  # noqa: E402 pylint: disable=wrong-import-position
    CONNECTION_OPTIONS, build_client, validate_connection,
)
from ansible_collections.webexops.recordings.plugins.module_utils._profiles import api_profile  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.webexops.recordings.plugins.module_utils._errors import TaskFailed  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.webexops.recordings.plugins.module_utils._recordings import RecordingsService  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.webexops.recordings.plugins.module_utils._values import (  # noqa: E402 pylint: disable=wrong-import-position
    DEFAULT_MAX_CONCURRENCY, match_key, owner_key,
)
from ansible_collections.webexops.recordings.plugins.module_utils._webex_client import WebexApiError, redact  # noqa: E402 pylint: disable=wrong-import-position

EVENT_KEY = 'webex_recycle_bin'
SOURCE_NAME = 'webexops.recordings.recycle_bin'
LOG = logging.getLogger(SOURCE_NAME)
STATE_VERSION = 1
SURGE_BY = ('owner', 'location', 'org')
ORG_KEY = 'org'
NO_LOCATION_KEY = '(no location)'


# The source's own arguments: name -> (type, default). The connection arguments (names, types, defaults and
# environment variables) come from the collection's connection table, _connection.CONNECTION_OPTIONS.
SOURCE_ARGUMENTS = {
    'api': ('str', selection.API_CONVERGED), 'site_url': ('str', None), 'meeting_id': ('str', None),
    'owner_email': ('str', None), 'owner_emails': ('list', None), 'all_owners': ('bool', None),
    'location_id': ('str', None), 'owner_type': ('str', None), 'service_type': ('str', None), 'topic': ('str', None),
    'max_concurrency': ('int', DEFAULT_MAX_CONCURRENCY), 'lookback_days': ('int', 30),
    'interval': ('int', 300), 'surge_threshold': ('int', 20), 'surge_window': ('int', 60), 'surge_by': ('str', 'owner'),
    'state_file': ('path', None), 'emit_existing': ('bool', False),
}
CHOICES = {'api': selection.API_CHOICES, 'owner_type': selection.OWNER_TYPES, 'service_type': selection.SERVICE_TYPES,
           'surge_by': SURGE_BY}
AT_LEAST_ONE = ('interval', 'surge_threshold', 'surge_window')
# Test-only arguments (callables, so a rulebook cannot set them): _clock() -> aware datetime, the time of a poll;
# async _sleep(seconds) between polls; _retry_sleep(seconds) of the client's retries.
PRIVATE_ARGUMENTS = ('_clock', '_sleep', '_retry_sleep')
_CHECKS = {'str': validation.check_type_str, 'list': validation.check_type_list, 'bool': validation.check_type_bool,
           'int': validation.check_type_int, 'float': validation.check_type_float, 'path': validation.check_type_path}


class SourceArgumentError(ValueError):
    """A bad argument: the source does not start. The message names the argument and the rule."""


class _Stopped(Exception):
    """The source was cancelled while the client waited to retry: the poll ends without an answer."""


def _argument(name, check, value):
    try:
        value = _CHECKS[check](value)
    except (TypeError, ValueError) as exc:
        raise SourceArgumentError('%s must be of type %s: %s' % (name, check, exc)) from None
    if check == 'list':
        value = [validation.check_type_str(item) for item in value]
    return value


def parse_arguments(args, now):
    """{argument: value} of the rulebook's ``args``: types checked, environment and defaults applied, every rule of
    the connection, the selection and the source checked. Raises SourceArgumentError naming every bad argument."""
    table = dict((name, (kind, default, env)) for name, kind, default, env, dummy in CONNECTION_OPTIONS)
    table.update((name, (kind, default, None)) for name, (kind, default) in SOURCE_ARGUMENTS.items())
    unknown = sorted(name for name in args if name not in table and name not in PRIVATE_ARGUMENTS and not name.startswith('eda_'))
    problems = ['unknown argument(s) %s; the arguments are %s' % (', '.join(unknown), ', '.join(sorted(table)))] if unknown else []
    params = {}
    for name, (kind, default, env) in table.items():
        value = args.get(name)
        if value is None and env and os.environ.get(env) not in (None, ''):
            value = os.environ[env]
        try:
            params[name] = default if value is None else _argument(name, kind, value)
        except SourceArgumentError as exc:
            problems.append(str(exc))
            params[name] = default
    for name in PRIVATE_ARGUMENTS:
        if name in args and not callable(args[name]):
            problems.append('%s is a test-only argument (a callable): a rulebook cannot set it' % name)
    for name, choices in CHOICES.items():
        if params[name] is not None and params[name] not in choices:
            problems.append('%s must be one of %s, got %r' % (name, ', '.join(choices), params[name]))
    problems.extend('%s must be at least 1, got %s' % (name, params[name]) for name in AT_LEAST_ONE if params[name] < 1)
    problems.extend(validate_connection(params) + selection.validate_selection(params, now))
    if problems:
        raise SourceArgumentError(redact('%s: %s' % (SOURCE_NAME, '; '.join(problems)), [params.get('access_token')]))
    return params


def surge_key(recording, surge_by):
    """The key a recording counts under: owner email (or owner id), location id, or the whole selection."""
    if surge_by == 'owner':
        return owner_key(recording.get('owner_email'), recording.get('owner_id'))
    if surge_by == 'location':
        return recording.get('location_id') or NO_LOCATION_KEY
    return ORG_KEY


def fingerprint(params):
    """What a state belongs to: the API, its URL, whose bin, the filters and surge_by (never the token)."""
    return {'api': params['api'], 'api_url': redact(params['api_url'].strip().rstrip('/')), 'surge_by': params['surge_by'],
            'whose': selection.owner_option(params), 'owners': sorted(match_key(owner) for owner in _owners(params) or []),
            'filters': selection.filters(params), 'site_url': params.get('site_url')}


def _owners(params):
    if params['owner_emails'] is not None:
        return params['owner_emails']
    return [params['owner_email']] if params['owner_email'] else None


class BinState:
    """What the source holds between polls: for every id in the bin, when it was first seen (text, UTC), its surge
    key, and whether it may still count toward a surge. Pure: the caller reads the API and saves the state."""

    def __init__(self, surge_by, threshold, window_minutes, entries=None):
        self.surge_by = surge_by
        self.threshold = threshold
        self.window_minutes = window_minutes
        # id -> [first seen, surge key, counted (in a surge already, or recorded at the baseline)]
        self.entries = dict(entries or {})
        self.changed = False

    def observe(self, recordings, left, now, baseline=False, emit_existing=False):
        """Events of one successful poll: ``recordings`` the listing (the collection's fields), ``left`` {id: status}
        of known ids missing from it ('available', 'deleted', 'purged', or None when not found)."""
        seen_at = windows_.format_time(now)
        events = []
        for recording in recordings:
            if recording['id'] in self.entries:
                continue
            self.entries[recording['id']] = [seen_at, surge_key(recording, self.surge_by), baseline]
            self.changed = True
            if not baseline or emit_existing:
                events.append({'type': 'deleted', 'recording': recording})
        events.extend(self._surges(now))
        for recording_id in sorted(left):
            status = left[recording_id]
            del self.entries[recording_id]
            self.changed = True
            if status == 'deleted':
                LOG.info('%s is still in the recycle bin but no longer listed (created more than lookback_days ago?); '
                         'it is not watched any more', recording_id)
                continue
            events.append({'type': 'left', 'recording_id': recording_id, 'status': 'available' if status == 'available' else 'gone'})
        return events

    def _surges(self, now):
        # Times are kept in one form (UTC, whole seconds, Z), in which text order is time order.
        since = windows_.format_time(now - timedelta(minutes=self.window_minutes))
        groups = {}
        for recording_id, (seen_at, key, counted) in self.entries.items():
            if not counted and seen_at >= since:
                groups.setdefault(match_key(key), []).append((seen_at, recording_id))
        events = []
        for members in groups.values():
            if len(members) < self.threshold:
                continue
            members.sort()
            for dummy, recording_id in members:
                self.entries[recording_id][2] = True
            self.changed = True
            events.append({'type': 'surge', 'by': self.surge_by, 'key': self.entries[members[0][1]][1], 'count': len(members),
                           'window_minutes': self.window_minutes, 'recording_ids': [recording_id for dummy, recording_id in members]})
        return sorted(events, key=lambda event: event['key'])


class StateFile:
    """The state on disk (JSON, written atomically, mode 0600), or nothing without ``path``."""

    def __init__(self, path, owner):
        self.path = path
        self.owner = owner

    def check(self):
        if self.path and not os.access(os.path.dirname(os.path.abspath(self.path)) or '.', os.W_OK):
            raise SourceArgumentError('state_file: the folder of %s does not exist or is not writable' % self.path)

    def load(self):
        """The entries saved for this owner, or None (no file, or a state of something else)."""
        if not self.path or not os.path.exists(self.path):
            return None
        try:
            with open(self.path, encoding='utf-8') as handle:
                data = json.load(handle)
            entries = dict((str(key), [str(value[0]), str(value[1]), bool(value[2])]) for key, value in data['recordings'].items())
            owner, version = data.get('owner'), data.get('version')
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            raise SourceArgumentError('state_file: %s cannot be read as a state of this source (%s); move it away to start '
                                      'afresh' % (self.path, exc)) from None
        if version != STATE_VERSION or owner != self.owner:
            LOG.warning('state_file %s belongs to another selection, API URL, api or surge_by: starting afresh', self.path)
            return None
        return entries

    def save(self, entries):
        if not self.path:
            return
        temporary = '%s.%d.tmp' % (self.path, os.getpid())
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, 'w', encoding='utf-8') as handle:
            json.dump({'version': STATE_VERSION, 'owner': self.owner, 'recordings': entries}, handle, sort_keys=True)
        os.replace(temporary, self.path)


def error_event(exc, secrets):
    """The error event of a failed poll: HTTP status (None without an answer), message, trackingId."""
    cause = exc if isinstance(exc, WebexApiError) else exc.__context__
    cause = cause if isinstance(cause, WebexApiError) else None
    tracking_ids = list(getattr(exc, 'result', {}).get('tracking_ids') or [])
    tracking_id = (cause.tracking_id if cause is not None else None) or (tracking_ids[0] if tracking_ids else None)
    message = exc.msg if isinstance(exc, TaskFailed) else str(exc) or type(exc).__name__
    return {'type': 'error', 'status': cause.status if cause is not None else None, 'message': redact(message, secrets),
            'tracking_id': tracking_id}


async def _in_thread(function, *args):
    """function(*args) in a daemon thread: the event loop never blocks, and a cancelled source does not wait for it."""
    loop = asyncio.get_running_loop()
    future = loop.create_future()

    def settle(succeeded, value):
        if not future.done():
            if succeeded:
                future.set_result(value)
            else:
                future.set_exception(value)

    def target():
        try:
            outcome = (True, function(*args))
        except Exception as exc:  # pylint: disable=broad-exception-caught
            outcome = (False, exc)
        try:
            loop.call_soon_threadsafe(settle, *outcome)
        except RuntimeError:
            pass  # the loop is closed: nobody waits for this poll any more

    threading.Thread(target=target, name=SOURCE_NAME, daemon=True).start()
    return await future


class RecycleBinSource:
    """One watcher: its arguments, its state, a poll every ``interval`` seconds."""

    def __init__(self, args):
        # The test-only arguments are used only when callable; parse_arguments refuses anything else.
        clock, sleep, retry_sleep = [args.get(name) if callable(args.get(name)) else None for name in PRIVATE_ARGUMENTS]
        self.clock = clock or windows_.utc_now
        self.sleep = sleep or asyncio.sleep
        self.stopping = threading.Event()
        self.retry_sleep = retry_sleep or self._interruptible_sleep
        self.params = parse_arguments(args, self.clock())
        self.api = api_profile(self.params)
        self.secrets = [self.params['access_token']]
        self.state_file = StateFile(self.params['state_file'], fingerprint(self.params))
        self.state_file.check()
        self.state = None

    def _interruptible_sleep(self, seconds):
        if self.stopping.wait(seconds):
            raise _Stopped('the source was stopped')

    def _notify(self, retry):
        LOG.info('retry %d of %s %s after %s: waiting %.1fs', retry['retry'], retry['method'], retry['path'],
                 retry['reason'], retry['wait'])

    def read(self, now, known):
        """Blocking, in a worker thread: the listing of the selection, then one read per known id missing from it.
        Returns (recordings, {id: status or None}, error of those reads or None, request counts)."""
        params = self.params
        client = build_client(params, notify=self._notify, max_concurrency=params['max_concurrency'], sleep=self.retry_sleep)
        try:
            service = RecordingsService(client, self.api, params['max_concurrency'], log=LOG.info)
            recordings, dummy = service.read_selection(selection.owner_option(params), selection.listing_windows(params, now),
                                                       selection.filters(params), 'deleted', _owners(params))
            recordings = selection.listing_result(recordings)['recordings']
            listed = set(recording['id'] for recording in recordings)
            missing = sorted(recording_id for recording_id in known if recording_id not in listed)
            left, error = {}, None
            try:
                found = service.read_each(missing, 'per_id')
                left = dict((recording_id, (found[recording_id] or {}).get('status')) for recording_id in missing)
            except TaskFailed as exc:
                error = TaskFailed('reading the %d recording(s) that left the listing failed, they are read again at the next '
                                   'poll: %s' % (len(missing), exc.msg), exc.result)
            return recordings, left, error, client.request_counts()
        finally:
            client.session.close()

    async def poll(self):
        """One poll: the events it found (an error event when it failed)."""
        now = self.clock()
        baseline = self.state is None
        known = set(self.state.entries) if self.state is not None else set()
        try:
            recordings, left, left_error, counts = await _in_thread(self.read, now, known)
        except (TaskFailed, WebexApiError, _Stopped) as exc:
            return [self._failed(exc)]
        if baseline:
            self.state = BinState(self.params['surge_by'], self.params['surge_threshold'], self.params['surge_window'])
        events = self.state.observe(recordings, left, now, baseline, self.params['emit_existing'])
        if left_error is not None:
            events.append(self._failed(left_error))
        if self.state.changed:
            try:
                await _in_thread(self.state_file.save, dict(self.state.entries))
                self.state.changed = False
            except OSError as exc:
                events.append(self._failed(exc))
        kinds = [event['type'] for event in events]
        LOG.info('poll%s: %d in the recycle bin, %d new, %d left, %d surge(s); requests: %d reads, %d writes, %d retries',
                 ' (baseline)' if baseline else '', len(recordings), kinds.count('deleted'), kinds.count('left'),
                 kinds.count('surge'), counts['reads'], counts['writes'], counts['retries'])
        return events

    def _failed(self, exc):
        event = error_event(exc, self.secrets)
        hint = ' (check access_token / WEBEX_ACCESS_TOKEN and its scopes)' if event['status'] in (401, 403) else ''
        LOG.error('poll failed%s, polling again in %ss: %s', hint, self.params['interval'], event['message'])
        return event

    async def run(self, queue):
        try:
            entries = await _in_thread(self.state_file.load)
            if entries is not None:
                self.state = BinState(self.params['surge_by'], self.params['surge_threshold'], self.params['surge_window'], entries)
            while True:
                for event in await self.poll():
                    await queue.put({EVENT_KEY: event})
                await self.sleep(self.params['interval'])
        finally:
            self.stopping.set()


async def main(queue, args):
    """The entry point ansible-rulebook calls: poll until cancelled. Bad arguments raise SourceArgumentError."""
    await RecycleBinSource(args).run(queue)


if __name__ == '__main__':
    class _PrintQueue:
        """Prints the events instead of queueing them: python recycle_bin.py '{"all_owners": true}' (WEBEX_* set)."""

        async def put(self, event):
            print(json.dumps(event))

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(_PrintQueue(), json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}))
