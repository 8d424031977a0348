# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The recordings service on its own (no AnsibleModule), against the simulator in-process: reading a
bin over windows, restoring in batches, reconciling writes of unknown outcome, and the three restore
operations with their request counts."""

from datetime import datetime, timezone

import pytest

from ansible_collections.webexops.recordings.plugins.module_utils import _planner as planner
from ansible_collections.webexops.recordings.plugins.module_utils._errors import TaskFailed
from ansible_collections.webexops.recordings.plugins.module_utils._recordings import RecordingsService
from ansible_collections.webexops.recordings.plugins.module_utils._retry import RetryPolicy
from ansible_collections.webexops.recordings.plugins.module_utils._webex_client import WebexApiError, WebexClient

from fixtures import ADMIN_TOKEN, ALICE_TOKEN
from simulator_transport import API

RESTORE = '/v1/convergedRecordings/restore'


class Service:
    """A service over a real client (retry waits recorded, not slept) and the in-process simulator."""

    def __init__(self, token=ADMIN_TOKEN, max_wait=120, max_concurrency=4):
        self.slept = []
        self.events = []
        policy = RetryPolicy(max_wait, sleep=self.slept.append, rand=lambda: 0.0)
        self.client = WebexClient(API, token, retry_policy=policy, notify=self.events.append, max_concurrency=max_concurrency)
        self.warnings = []
        self.service = RecordingsService(self.client, max_concurrency, warn=self.warnings.append)
        self.windows = planner.lookback_windows(datetime.now(timezone.utc), 365)


def test_read_bin_lists_every_window_and_keeps_deleted_recordings_only(webex):
    for index in range(120):
        webex.add('n%03d' % index, days_ago=3)
    webex.add('old', days_ago=300)
    webex.add('too-old', days_ago=400)
    webex.add('here', status='available')
    webex.add('bob1', owner='bob@example.com')
    s = Service()
    items = s.service.read_bin(s.windows, admin=True, owner_email='alice@example.com')
    assert sorted(item['id'] for item in items) == sorted(['n%03d' % index for index in range(120)] + ['old'])
    # W window reads plus one extra page for the window holding 120
    assert s.client.request_counts() == {'reads': len(s.windows) + 1, 'writes': 0, 'retries': 0}
    queries = [call['query'] for call in webex.reads()]
    assert all(query['ownerEmail'] == 'alice@example.com' for query in queries if 'from' in query)

    full = {item['id']: item for item in items}
    assert {'topic', 'serviceType', 'durationSeconds'} <= set(full['old'])


def test_a_restore_keeps_only_what_it_plans_with_of_each_listed_recording(webex):
    webex.add('d1', days_ago=3)
    webex.add('d2', days_ago=3, owner='bob@example.com')
    s = Service()
    items = s.service.read_bin(s.windows, admin=True, fields=planner.PLAN_FIELDS)
    assert sorted(item['id'] for item in items) == ['d1', 'd2']
    assert all(set(item) == set(planner.PLAN_FIELDS) for item in items), items
    assert {item['id']: item['ownerEmail'] for item in items} == {'d1': 'alice@example.com', 'd2': 'bob@example.com'}
    # Ordered as without fields: newest first, ties by id.
    assert [item['id'] for item in items] == [item['id'] for item in s.service.read_bin(s.windows, admin=True)]


def test_restore_batch_reconciles_an_unknown_outcome(webex):
    webex.add('r1', status='available')   # restored by the write whose answer was lost
    webex.add('r2')                        # still in the bin: re-sent
    webex.add('r3', status='purged')       # gone meanwhile: failed, never reported restored
    webex.faults({'kind': 'status', 'status': 502, 'next': 1, 'method': 'POST', 'path': RESTORE})
    s = Service()
    outcome = s.service.restore_batch(['r1', 'r2', 'r3'])
    assert [(call['method'], call['path']) for call in webex.calls()] == [
        ('POST', RESTORE), ('GET', '/v1/convergedRecordings/r1'), ('GET', '/v1/convergedRecordings/r2'),
        ('GET', '/v1/convergedRecordings/r3'), ('POST', RESTORE)]
    assert webex.writes()[1]['body'] == {'recordingIds': ['r2']}   # only the id still in the bin
    assert sorted(outcome['restored']) == ['r1', 'r2']
    assert outcome['failed'] == ['r3'] and outcome['status_after']['r3'] == 'not_found'
    assert s.client.request_counts() == {'reads': 3, 'writes': 2, 'retries': 1}
    assert s.slept == [0.5] and len(s.events) == 1
    assert webex.status('r2') == 'available'


def test_reconcile_without_budget_fails_the_ids_still_in_the_bin(webex):
    webex.add('r1')
    webex.faults({'kind': 'drop', 'when': 'before', 'next': 1, 'method': 'POST', 'path': RESTORE})
    s = Service(max_wait=0)
    outcome = s.service.restore_batch(['r1'])
    assert outcome['restored'] == [] and outcome['failed'] == ['r1']
    assert 'retry_max_wait=0' in outcome['errors'][0]
    assert [call['method'] for call in webex.calls()] == ['POST', 'GET']
    assert webex.status('r1') == 'deleted'


def test_reconcile_never_claims_success_without_a_read(webex):
    webex.add('r1')
    webex.faults({'kind': 'status', 'status': 503})
    s = Service(max_wait=0)
    outcome = s.service.restore_batch(['r1'])
    assert outcome['restored'] == [] and outcome['failed'] == ['r1']
    assert outcome['status_after'] == {'r1': 'unknown'}


def test_restore_batch_failure_keeps_tracking_id(webex):
    webex.add('r1')
    webex.add('r2')
    webex.faults({'kind': 'status', 'status': 409, 'method': 'POST'})
    outcome = Service().service.restore_batch(['r1', 'r2'])
    assert outcome['failed'] == ['r1', 'r2'] and len(outcome['tracking_ids']) == 1
    assert outcome['tracking_of'] == {'r1': outcome['tracking_ids'][0], 'r2': outcome['tracking_ids'][0]}


def test_a_batch_the_api_refuses_whole_fails_whole(webex):
    """The simulator refuses a batch holding an id it does not know (404): every id of it stays failed."""
    webex.add('r1')
    outcome = Service().service.restore_batch(['r1', 'unknown-id'])
    assert outcome['restored'] == [] and outcome['failed'] == ['r1', 'unknown-id']
    assert webex.status('r1') == 'deleted'


def test_restore_ids_per_id_and_bin_listing_strategies(webex):
    for index in range(20):
        webex.add('d%02d' % index)
    s = Service()
    changed, result, dummy = s.service.restore_ids(['d00', 'd01'], 'fail', s.windows, check_mode=False)
    assert changed and result['strategy'] == planner.PER_ID and result['restored'] == ['d00', 'd01']
    assert s.client.request_counts() == {'reads': 2, 'writes': 1, 'retries': 0}
    s = Service()
    ids = ['d%02d' % index for index in range(20)]
    changed, result, dummy = s.service.restore_ids(ids, 'fail', s.windows, check_mode=True)
    assert changed and result['strategy'] == planner.BIN_LISTING
    # 20 ids > 13 windows: the bin is listed (13 reads) and the two restored ids are read (not in the bin)
    assert s.client.request_counts() == {'reads': len(s.windows) + 2, 'writes': 0, 'retries': 0}
    assert result['restored'] == ids[2:] and result['already_available'] == ['d00', 'd01']


def test_restore_ids_missing_fail_raises_with_the_full_result(webex):
    webex.add('d1')
    s = Service()
    with pytest.raises(TaskFailed) as caught:
        s.service.restore_ids(['d1', 'nope'], 'fail', s.windows, check_mode=False)
    assert caught.value.result['missing'] == ['nope'] and caught.value.result['strategy'] == planner.PER_ID
    assert s.client.request_counts()['writes'] == 0


def test_restore_bin_of_the_caller_and_of_an_owner(webex):
    webex.add('a1')
    webex.add('b1', owner='bob@example.com')
    user = Service(token=ALICE_TOKEN)
    changed, result, dummy = user.service.restore_bin(None, user.windows, check_mode=False)
    assert changed and result['restored'] == ['a1'] and result['strategy'] == planner.CALLER_BIN
    assert user.client.request_counts() == {'reads': 1 + len(user.windows), 'writes': 1, 'retries': 0}
    admin = Service()
    changed, result, dummy = admin.service.restore_bin('bob@example.com', admin.windows, check_mode=False)
    assert changed and result['owners'] == {'bob@example.com': {'restored': ['b1'], 'failed': [], 'tracking_id': None}}
    assert webex.writes()[-1]['body'] == {'restoreAll': True, 'ownerEmail': 'bob@example.com'}


def test_restore_owner_bins_sweeps_once_for_several_owners(webex):
    webex.add('a1')
    webex.add('b1', owner='bob@example.com')
    webex.add('c1', owner='carol@example.com')
    s = Service()
    changed, result, dummy = s.service.restore_owner_bins(['alice@example.com', 'BOB@example.com', 'bob@example.com'],
                                                          s.windows, check_mode=False)
    assert changed and result['strategy'] == planner.ORG_SWEEP
    assert sorted(result['restored']) == ['a1', 'b1']
    assert sorted(result['owners']) == ['BOB@example.com', 'alice@example.com']
    assert s.client.request_counts() == {'reads': len(s.windows), 'writes': 1, 'retries': 0}
    assert webex.status('c1') == 'deleted'


def test_an_api_error_of_a_listing_becomes_a_task_failure_with_its_tracking_id(webex):
    webex.faults({'kind': 'status', 'status': 500, 'method': 'GET'})
    s = Service(max_wait=0)
    with pytest.raises(TaskFailed) as caught:
        s.service.restore_owner_bins(['alice@example.com', 'bob@example.com'], s.windows, check_mode=False)
    failure = caught.value
    assert failure.result['tracking_ids'] and failure.result['tracking_ids'][0] in failure.msg
    assert failure.result['owners'] == {'alice@example.com': {'restored': [], 'failed': [], 'tracking_id': None},
                                        'bob@example.com': {'restored': [], 'failed': [], 'tracking_id': None}}
    kwargs = failure.fail_json_kwargs(s.client.request_counts())
    assert kwargs['changed'] is False and kwargs['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}


def test_the_client_raises_webex_api_error_for_a_refused_read(webex):
    with pytest.raises(WebexApiError) as caught:
        Service(token='not-a-token').client.get_recording('x')
    assert caught.value.status == 401 and caught.value.tracking_id


# -- dense windows read as sub-windows ------------------------------------------------------------

def _at(webex, moment, recording_id, owner='alice@example.com'):
    """A deleted recording created exactly at ``moment`` (whole seconds, as Webex gives createTime)."""
    days_ago = (webex.sim.start_time - moment).total_seconds() / 86400 - 1e-7
    webex.add(recording_id, owner=owner, days_ago=days_ago)


def _parse(text):
    return datetime.strptime(text, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=timezone.utc)


def test_a_dense_window_is_read_as_sub_windows_and_ties_on_their_boundaries_are_listed_once(webex):
    from datetime import timedelta
    start = webex.sim.start_time - timedelta(days=28)
    window = (planner._iso(start), planner._iso(webex.sim.start_time + timedelta(days=1)))
    # 1,600 recordings on 400 distinct seconds (4 at each: ties), spread from the window's start to now
    for index in range(1600):
        _at(webex, start + timedelta(seconds=6048 * (index // 4) + 1), 'r%04d' % index)
    s = Service(max_concurrency=4)
    first_page, dummy = s.client.read_page('/admin/convergedRecordings', {'status': 'deleted', 'max': 100, 'from': window[0],
                                                                          'to': window[1]}, set())
    parts = planner.dense_window_parts(window, first_page, 4)
    assert parts and len(parts) == 5
    # more recordings exactly on every boundary between sub-windows, 3 on each (ties)
    boundaries = sorted(set(_parse(part[0]) for part in parts) - {start})
    for number, moment in enumerate(boundaries):
        for tie in range(3):
            _at(webex, moment, 'edge-%d-%d' % (number, tie))
    webex.clear_log()
    s = Service(max_concurrency=4)
    items = s.service.read_bin([window], admin=True)
    ids = [item['id'] for item in items]
    expected = sorted(item['id'] for item in webex.sim.recordings(status='deleted'))
    assert len(ids) == len(set(ids)) == len(expected) == 1600 + 3 * len(boundaries)
    assert sorted(ids) == expected
    # the listing asked for exactly these sub-windows, and every edge recording sits in exactly one
    asked = sorted(set((call['query']['from'], call['query']['to']) for call in webex.reads() if 'from' in call['query']))
    assert asked == sorted([window] + parts)
    for number, moment in enumerate(boundaries):
        holders = [part for part in parts if _parse(part[0]) <= moment < _parse(part[1])]
        assert len(holders) == 1
    # reads: the window's first page, then every page of every sub-window (each holding n_i: ceil(n_i / 100), at least 1)
    created = dict((item['id'], _parse(item['createTime'])) for item in webex.sim.recordings(status='deleted'))
    pages = 0
    for part in parts:
        held = sum(1 for moment in created.values() if _parse(part[0]) <= moment < _parse(part[1]))
        pages += max(1, -(-held // 100))
    assert s.client.request_counts() == {'reads': 1 + pages, 'writes': 0, 'retries': 0}
    # the cost of reading concurrently: the first page again, and at most one partial page per sub-window
    assert 1 + pages <= -(-len(expected) // 100) + 1 + len(parts)


def test_enough_dense_windows_keep_their_cursors_and_the_minimum_reads(webex):
    s = Service(max_concurrency=2)
    for index in range(600):
        webex.add('s%03d' % index, days_ago=1 + (index % 6) * 30)   # 100 in each of six windows: one page each... plus
    for index in range(150):
        webex.add('t%03d' % index, days_ago=2 + (index % 3) * 30)   # ...150 more in three of them: 3 dense windows >= 2 workers
    items = s.service.read_bin(s.windows, admin=True)
    assert len(items) == 750
    counts = {}
    created = [_parse(item['createTime']) for item in items]
    for start, end in s.windows:
        counts[(start, end)] = sum(1 for moment in created if _parse(start) <= moment < _parse(end))
    least = sum(max(1, -(-count // 100)) for count in counts.values())
    assert s.client.request_counts()['reads'] == least
    assert not [call for call in webex.reads() if 'from' in call['query'] and (call['query']['from'], call['query']['to'])
                not in s.windows]
