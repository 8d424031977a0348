# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The EDA source webexops.recordings.recycle_bin: main() driven with an asyncio.Queue against the simulator
in-process (the ``webex`` fixture), with an injected clock and sleeps (the test-only arguments _clock, _sleep,
_retry_sleep), one poll at a time. Deletions are made through the API (softDelete)."""

import asyncio
import json
import logging
import threading
from datetime import timedelta

import pytest
import requests
from requests.adapters import HTTPAdapter

from ansible_collections.webexops.recordings.extensions.eda.plugins.event_source import recycle_bin
from ansible_collections.webexops.recordings.plugins.module_utils._converged import ConvergedApi
from ansible_collections.webexops.recordings.plugins.module_utils._windows import utc_now

from fixtures import ADMIN_TOKEN, ALICE_TOKEN
from simulator_transport import API

# Listing windows of lookback_days 30: ceil(31 / 29).
W = 2
LISTING = '/v1/admin/convergedRecordings'


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, timeout=30))


class Driver:
    """Runs main() as a task; each poll() lets it poll once and returns the events it queued. The clock only
    moves when the source sleeps between polls (by ``interval``) or when the test says ``later``."""

    def __init__(self, **args):
        self.now = utc_now().replace(microsecond=0)
        self.slept = []
        self.retry_waits = []
        self.args = dict({'api_url': API, 'access_token': ADMIN_TOKEN, 'all_owners': True, 'interval': 300,
                          '_clock': lambda: self.now, '_sleep': self._sleep, '_retry_sleep': self.retry_waits.append}, **args)
        self.queue = None
        self.task = None
        self._paused = None
        self._resume = None

    async def _sleep(self, seconds):
        self.slept.append(seconds)
        self._paused.set()
        await self._resume.wait()
        self._resume.clear()
        self.now += timedelta(seconds=seconds)

    async def poll(self, later=timedelta(0)):
        if self.task is None:
            self.queue, self._paused, self._resume = asyncio.Queue(), asyncio.Event(), asyncio.Event()
            self.task = asyncio.ensure_future(recycle_bin.main(self.queue, self.args))
        else:
            self.now += later
            self._resume.set()
        paused = asyncio.ensure_future(self._paused.wait())
        await asyncio.wait([paused, self.task], return_when=asyncio.FIRST_COMPLETED)
        if self.task.done():
            paused.cancel()
            self.task.result()
            raise AssertionError('the source ended')
        self._paused.clear()
        events = []
        while not self.queue.empty():
            item = self.queue.get_nowait()
            assert list(item) == ['webex_recycle_bin']
            events.append(item['webex_recycle_bin'])
        return events

    async def stop(self):
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


def soft_delete(*recording_ids, token=ADMIN_TOKEN):
    answer = requests.post(API + '/convergedRecordings/softDelete', json={'recordingIds': list(recording_ids)},
                           headers={'Authorization': 'Bearer %s' % token}, timeout=10)
    assert answer.status_code == 204, answer.text


def restore(*recording_ids):
    answer = requests.post(API + '/convergedRecordings/restore', json={'recordingIds': list(recording_ids)},
                           headers={'Authorization': 'Bearer %s' % ADMIN_TOKEN}, timeout=10)
    assert answer.status_code == 204, answer.text


def purge(*recording_ids):
    answer = requests.post(API + '/convergedRecordings/purge', json={'recordingIds': list(recording_ids)},
                           headers={'Authorization': 'Bearer %s' % ADMIN_TOKEN}, timeout=10)
    assert answer.status_code == 204, answer.text


def add(webex, prefix, count, owner='alice@example.com', status='available', **more):
    ids = ['%s-%02d' % (prefix, index) for index in range(count)]
    for recording_id in ids:
        webex.add(recording_id, owner=owner, status=status, days_ago=3, **more)
    return ids


def of_type(events, kind):
    return [event for event in events if event['type'] == kind]


def test_the_first_poll_records_the_bin_without_events_then_each_deletion_is_one_event(webex, run_info):
    in_bin = add(webex, 'old', 7, status='deleted')
    fresh = add(webex, 'new', 4, owner='bob@example.com')
    driver = Driver(surge_threshold=20)

    async def scenario():
        baseline = await driver.poll()
        soft_delete(*fresh)
        second = await driver.poll()
        third = await driver.poll()
        await driver.stop()
        return baseline, second, third

    baseline, second, third = run(scenario())
    assert baseline == [] and third == []
    assert sorted(event['recording']['id'] for event in second) == fresh
    assert all(event['type'] == 'deleted' and set(event) == {'type', 'recording'} for event in second)
    # The fields of webex_recording_info, with the same values.
    info = dict((item['id'], item) for item in run_info({'all_owners': True, 'lookback_days': 30}).result['recordings'])
    for event in second:
        assert set(event['recording']) == set(ConvergedApi().recording({'id': 'any'}))   # what webex_recording_info returns
        assert event['recording'] == info[event['recording']['id']]
    assert in_bin[0] in info and driver.slept == [300, 300, 300]


def test_a_surge_fires_at_the_threshold_not_below_and_once_per_burst(webex):
    alice = add(webex, 'a', 12)
    bob = add(webex, 'b', 4, owner='bob@example.com')
    driver = Driver(surge_threshold=5, surge_window=60)

    async def scenario():
        polls = [await driver.poll()]
        soft_delete(*alice[:4])               # 4 of alice and 4 of bob: below the threshold for each
        soft_delete(*bob)
        polls.append(await driver.poll())
        soft_delete(alice[4])                  # the 5th of alice within the window: a surge
        polls.append(await driver.poll())
        soft_delete(*alice[5:7])               # the same burst goes on: no second surge
        polls.append(await driver.poll())
        soft_delete(*alice[7:12])              # five more: with the two after the surge, a surge of their own
        polls.append(await driver.poll())
        await driver.stop()
        return polls

    polls = run(scenario())
    assert [len(of_type(events, 'surge')) for events in polls] == [0, 0, 1, 0, 1]
    assert [len(of_type(events, 'deleted')) for events in polls] == [0, 8, 1, 2, 5]
    first = of_type(polls[2], 'surge')[0]
    assert first == {'type': 'surge', 'by': 'owner', 'key': 'alice@example.com', 'count': 5, 'window_minutes': 60,
                     'recording_ids': alice[:4] + [alice[4]]}
    # Each recording counts toward one surge at most: the next one holds the 7 that entered after the first.
    assert of_type(polls[4], 'surge')[0]['recording_ids'] == alice[5:12]
    assert of_type(polls[4], 'surge')[0]['count'] == 7
    # The deleted events of a poll come before its surge.
    assert polls[2][-1]['type'] == 'surge'


def test_deletions_further_apart_than_the_window_make_no_surge(webex):
    ids = add(webex, 'a', 5)
    driver = Driver(surge_threshold=5, surge_window=60, interval=600)

    async def scenario():
        await driver.poll()
        soft_delete(*ids[:3])
        first = await driver.poll()
        soft_delete(*ids[3:])
        # 10 minutes of interval and 51 more: the first three were seen 61 minutes before these two.
        later = await driver.poll(later=timedelta(minutes=51))
        await driver.stop()
        return first + later

    events = run(scenario())
    assert len(of_type(events, 'deleted')) == 5 and of_type(events, 'surge') == []


@pytest.mark.parametrize('surge_by, key, extra', [
    ('location', 'L9', {'location_id': 'L9'}),
    ('org', 'org', {}),
])
def test_surges_by_location_and_by_organization(webex, surge_by, key, extra):
    ids = add(webex, 'a', 3, **extra) + add(webex, 'b', 3, owner='bob@example.com', **extra)
    driver = Driver(surge_threshold=6, surge_by=surge_by)

    async def scenario():
        await driver.poll()
        soft_delete(*ids)
        events = await driver.poll()
        await driver.stop()
        return events

    surges = of_type(run(scenario()), 'surge')
    assert surges == [{'type': 'surge', 'by': surge_by, 'key': key, 'count': 6, 'window_minutes': 60, 'recording_ids': sorted(ids)}]


def test_a_restored_or_purged_recording_leaves_the_bin_with_one_read_each(webex):
    ids = add(webex, 'a', 3)
    driver = Driver()

    async def scenario():
        await driver.poll()
        soft_delete(*ids)
        await driver.poll()
        restore(ids[0])
        purge(ids[1])
        webex.clear_log()
        left = await driver.poll()
        reads = [call['path'] for call in webex.reads()]
        again = await driver.poll()
        await driver.stop()
        return left, reads, again

    left, reads, again = run(scenario())
    assert left == [{'type': 'left', 'recording_id': ids[0], 'status': 'available'},
                    {'type': 'left', 'recording_id': ids[1], 'status': 'gone'}]
    # The listing (W reads), then one read of each recording that left the listing; never a write.
    assert sorted(reads) == sorted([LISTING] * W + ['/v1/convergedRecordings/%s' % ids[0], '/v1/convergedRecordings/%s' % ids[1]])
    assert webex.writes() == []
    assert again == []


def test_a_failed_read_of_a_recording_that_left_is_an_error_and_is_read_again(webex):
    ids = add(webex, 'a', 1)
    driver = Driver(retry_max_wait=0)

    async def scenario():
        await driver.poll()
        soft_delete(*ids)
        await driver.poll()
        restore(*ids)
        webex.faults({'kind': 'status', 'status': 500, 'path': '/v1/convergedRecordings/{recordingId}', 'next': 1})
        failed = await driver.poll()
        again = await driver.poll()
        await driver.stop()
        return failed, again

    failed, again = run(scenario())
    assert [event['type'] for event in failed] == ['error']
    assert failed[0]['message'].startswith('reading the 1 recording(s) that left the listing failed, they are read again')
    assert ids[0] in failed[0]['message'] and failed[0]['tracking_id']
    assert again == [{'type': 'left', 'recording_id': ids[0], 'status': 'available'}]


def test_a_poll_costs_the_reads_of_webex_recording_info(webex, run_info):
    for index in range(250):
        webex.add('bulk-%03d' % index, owner='user%d@example.com' % (index % 3), days_ago=2)
    driver = Driver()

    async def scenario():
        await driver.poll()
        webex.clear_log()
        await driver.poll()
        await driver.stop()
        return len(webex.reads())

    source_reads = run(scenario())
    webex.clear_log()
    info = run_info({'all_owners': True, 'lookback_days': 30}).result
    # 250 in one window: the listing engine reads it in sub-windows, the same way for both.
    assert source_reads == info['requests']['reads'] and source_reads > W


def test_a_restart_with_the_state_file_reports_nothing_twice_and_what_entered_meanwhile(webex, tmp_path):
    ids = add(webex, 'a', 6)
    state_file = tmp_path / 'state.json'

    async def first_life():
        driver = Driver(state_file=str(state_file), surge_threshold=4)
        await driver.poll()
        soft_delete(*ids[:2])
        events = await driver.poll()
        await driver.stop()
        return events

    async def second_life():
        driver = Driver(state_file=str(state_file), surge_threshold=4)
        driver.now += timedelta(hours=2)   # the two reported before are out of the surge window
        events = await driver.poll()
        again = await driver.poll()
        await driver.stop()
        return events, again

    reported = run(first_life())
    assert sorted(event['recording']['id'] for event in reported) == ids[:2]
    saved = json.loads(state_file.read_text())
    assert sorted(saved['recordings']) == ids[:2] and ADMIN_TOKEN not in state_file.read_text()
    assert oct(state_file.stat().st_mode & 0o777) == '0o600'
    soft_delete(*ids[2:])   # while the source is down
    after_restart, again = run(second_life())
    assert sorted(event['recording']['id'] for event in of_type(after_restart, 'deleted')) == ids[2:]
    assert [event['recording_ids'] for event in of_type(after_restart, 'surge')] == [ids[2:]]
    assert again == []


def test_a_state_of_another_selection_is_not_used(webex, tmp_path, caplog):
    ids = add(webex, 'a', 2, status='deleted')
    state_file = tmp_path / 'state.json'

    async def life(**args):
        driver = Driver(state_file=str(state_file), **args)
        events = await driver.poll()
        await driver.stop()
        return events

    assert run(life()) == []
    caplog.set_level(logging.WARNING)
    # Another selection: its first poll is a baseline again (no event for what the other one knew).
    assert run(life(all_owners=None, owner_email='alice@example.com')) == []
    assert 'belongs to another selection' in caplog.text
    assert sorted(json.loads(state_file.read_text())['recordings']) == ids


def test_emit_existing_reports_the_bin_at_the_first_poll_without_a_surge(webex):
    ids = add(webex, 'a', 5, status='deleted')
    driver = Driver(emit_existing=True, surge_threshold=5)

    async def scenario():
        events = await driver.poll()
        await driver.stop()
        return events

    events = run(scenario())
    assert sorted(event['recording']['id'] for event in events if event['type'] == 'deleted') == ids
    assert of_type(events, 'surge') == []


def test_a_failing_api_gives_error_events_and_the_source_recovers(webex):
    ids = add(webex, 'a', 2)
    driver = Driver(retry_max_wait=0)

    async def scenario():
        await driver.poll()
        soft_delete(*ids)
        webex.faults({'kind': 'status', 'status': 500, 'path': LISTING, 'next': 1})
        failed = await driver.poll()
        recovered = await driver.poll()
        await driver.stop()
        return failed, recovered

    failed, recovered = run(scenario())
    assert len(failed) == 1 and failed[0]['type'] == 'error' and failed[0]['status'] == 500
    assert failed[0]['tracking_id'] and set(failed[0]) == {'type', 'status', 'message', 'tracking_id'}
    assert 'listing' in failed[0]['message'] and 'HTTP 500' in failed[0]['message']
    assert sorted(event['recording']['id'] for event in recovered) == ids


def test_retry_after_is_honoured_within_a_poll(webex):
    ids = add(webex, 'a', 1)
    driver = Driver()

    async def scenario():
        await driver.poll()
        soft_delete(*ids)
        webex.faults({'kind': 'status', 'status': 429, 'retry_after': '7', 'path': LISTING, 'next': 1})
        events = await driver.poll()
        await driver.stop()
        return events

    events = run(scenario())
    assert [event['type'] for event in events] == ['deleted']
    assert driver.retry_waits == [7.0]


def test_a_wrong_token_is_an_error_event_and_a_clear_log_line_every_poll(webex, caplog):
    caplog.set_level(logging.INFO)
    driver = Driver(access_token='SECRET-not-a-token-0123456789')

    async def scenario():
        polls = [await driver.poll(), await driver.poll()]
        await driver.stop()
        return polls

    polls = run(scenario())
    for events in polls:
        assert [event['type'] for event in events] == ['error'] and events[0]['status'] == 401
    assert 'check access_token / WEBEX_ACCESS_TOKEN' in caplog.text and 'HTTP 401' in caplog.text
    assert 'SECRET-not-a-token' not in caplog.text + json.dumps(polls)


def test_a_user_token_for_the_organization_is_a_403_error_event(webex):
    driver = Driver(access_token=ALICE_TOKEN)

    async def scenario():
        events = await driver.poll()
        await driver.stop()
        return events

    events = run(scenario())
    assert events[0]['type'] == 'error' and events[0]['status'] == 403
    assert 'all_owners' in events[0]['message'] and 'spark-admin:recordings_read' in events[0]['message']


def test_the_token_is_absent_from_every_event_and_log_line(webex, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    ids = add(webex, 'a', 3)
    driver = Driver(surge_threshold=3, state_file=str(tmp_path / 'state.json'), retry_max_wait=0)

    async def scenario():
        events = await driver.poll()
        soft_delete(*ids)
        events += await driver.poll()
        restore(ids[0])
        events += await driver.poll()
        webex.faults({'kind': 'status', 'status': 400, 'path': LISTING, 'next': 1})
        events += await driver.poll()
        await driver.stop()
        return events

    events = run(scenario())
    assert sorted(set(event['type'] for event in events)) == ['deleted', 'error', 'left', 'surge']
    for text in (json.dumps(events), caplog.text, (tmp_path / 'state.json').read_text()):
        assert ADMIN_TOKEN not in text
    assert not any(key.startswith('_') for event in events for key in event)


def test_a_poll_never_blocks_the_event_loop(webex, monkeypatch):
    """While the source's request is on the wire, another coroutine of the same loop runs: the request waits for
    it, so a poll that blocked the loop would fail here instead of answering."""
    add(webex, 'a', 1, status='deleted')
    on_the_wire = threading.Event()
    loop_ran = threading.Event()
    send = HTTPAdapter.send

    def waiting_send(self, request, **kwargs):
        on_the_wire.set()
        assert loop_ran.wait(timeout=5), 'the event loop did not run while the source waited for an answer'
        return send(self, request, **kwargs)

    monkeypatch.setattr(HTTPAdapter, 'send', waiting_send)
    driver = Driver(emit_existing=True)

    async def other_work():
        while not on_the_wire.is_set():
            await asyncio.sleep(0.001)
        loop_ran.set()

    async def scenario():
        other = asyncio.ensure_future(other_work())
        events = await driver.poll()
        await driver.stop()
        await other
        return events

    assert [event['type'] for event in run(scenario())] == ['deleted']


def test_the_source_ends_promptly_when_cancelled_even_while_waiting_to_retry(webex):
    """A 429 with Retry-After 60: the worker waits (the real, interruptible wait); cancelling the source ends it
    and the wait at once."""
    webex.faults({'kind': 'status', 'status': 429, 'retry_after': '60', 'path': LISTING})
    args = {'api_url': API, 'access_token': ADMIN_TOKEN, 'all_owners': True}

    async def scenario():
        task = asyncio.ensure_future(recycle_bin.main(asyncio.Queue(), args))
        while not webex.reads():
            await asyncio.sleep(0.01)
        task.cancel()
        await asyncio.wait_for(asyncio.gather(task, return_exceptions=True), timeout=2)
        return task

    assert run(scenario()).cancelled()
    workers = [thread for thread in threading.enumerate() if thread.name == recycle_bin.SOURCE_NAME]
    for worker in workers:
        worker.join(timeout=2)
        assert not worker.is_alive(), 'the poll kept waiting to retry after the source was cancelled'
    assert len(webex.reads()) == 1


@pytest.mark.parametrize('args, message', [
    ({'interval': 0}, 'interval must be at least 1, got 0'),
    ({'surge_threshold': 0}, 'surge_threshold must be at least 1'),
    ({'surge_window': -5}, 'surge_window must be at least 1'),
    ({'interval': 'often'}, 'interval must be of type int'),
    ({'surge_by': 'site'}, "surge_by must be one of owner, location, org, got 'site'"),
    ({'api': 'meetings', 'location_id': 'L1'}, 'location_id applies to api: converged only, not to api: meetings'),
    ({'site_url': 'example.webex.com'}, 'site_url applies to api: meetings only'),
    ({'api': 'webinars'}, "api must be one of converged, meetings, got 'webinars'"),
    ({'owner_email': 'bob@example.com'}, 'owner_email and all_owners are mutually exclusive'),
    ({'owner_emails': 'bob'}, "owner_emails must hold email addresses only, got 'bob'"),
    ({'lookback_days': 0}, 'lookback_days must be at least 1'),
    ({'api_url': 'webex.test'}, 'api_url must be an http:// or https:// URL'),
    ({'access_token': None}, 'access_token is required: set the access_token option or the WEBEX_ACCESS_TOKEN'),
    ({'intervall': 60}, 'unknown argument(s) intervall; the arguments are'),
    ({'_clock': '2026-01-01'}, '_clock is a test-only argument (a callable): a rulebook cannot set it'),
    ({'owner_type': 'robot'}, "owner_type must be one of user, place, virtualLine, got 'robot'"),
])
def test_bad_arguments_stop_the_source_before_any_request_naming_the_argument(webex, monkeypatch, args, message):
    monkeypatch.delenv('WEBEX_ACCESS_TOKEN', raising=False)
    arguments = dict({'api_url': API, 'access_token': ADMIN_TOKEN, 'all_owners': True}, **args)
    with pytest.raises(recycle_bin.SourceArgumentError) as caught:
        run(recycle_bin.main(asyncio.Queue(), arguments))
    assert message in str(caught.value) and str(caught.value).startswith('webexops.recordings.recycle_bin: ')
    assert webex.calls() == []


def test_the_connection_defaults_come_from_the_environment(webex, monkeypatch):
    monkeypatch.setenv('WEBEX_ACCESS_TOKEN', ADMIN_TOKEN)
    monkeypatch.setenv('WEBEX_API_URL', API)
    ids = add(webex, 'a', 1, status='deleted')
    driver = Driver(emit_existing=True)
    del driver.args['access_token'], driver.args['api_url']

    async def scenario():
        events = await driver.poll()
        await driver.stop()
        return events

    assert [event['recording']['id'] for event in run(scenario())] == ids


def test_a_bad_token_in_a_message_is_redacted(monkeypatch):
    monkeypatch.setenv('WEBEX_ACCESS_TOKEN', 'SECRET-env-token-0123456789')
    with pytest.raises(recycle_bin.SourceArgumentError) as caught:
        recycle_bin.parse_arguments({'api_url': 'SECRET-env-token-0123456789', 'all_owners': True}, utc_now())
    assert 'SECRET-env-token' not in str(caught.value) and 'api_url must be' in str(caught.value)


def test_an_unreadable_state_file_stops_the_source_naming_it(webex, tmp_path):
    state_file = tmp_path / 'state.json'
    state_file.write_text('{not json')
    with pytest.raises(recycle_bin.SourceArgumentError) as caught:
        run(recycle_bin.main(asyncio.Queue(), {'api_url': API, 'access_token': ADMIN_TOKEN, 'state_file': str(state_file)}))
    assert 'state_file: %s cannot be read' % state_file in str(caught.value)
    with pytest.raises(recycle_bin.SourceArgumentError, match='state_file: the folder of'):
        recycle_bin.RecycleBinSource({'api_url': API, 'access_token': ADMIN_TOKEN, 'state_file': str(tmp_path / 'no' / 'state.json')})


def test_the_collections_root_is_found_from_the_file_path():
    path = '/x/y/ansible_collections/webexops/recordings/extensions/eda/plugins/event_source/recycle_bin.py'
    assert recycle_bin._collections_root(path) == '/x/y'
    assert recycle_bin._collections_root('/elsewhere/recycle_bin.py') is None
