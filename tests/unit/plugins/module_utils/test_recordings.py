# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The recordings service on its own (no AnsibleModule), against the simulator in-process: reading a
bin over windows, restoring in batches, reconciling writes of unknown outcome, and the three restore
operations with their request counts."""

from datetime import datetime, timezone

import pytest

from ansible_collections.webexops.recordings.plugins.module_utils import _planner as planner
from ansible_collections.webexops.recordings.plugins.module_utils import _windows as windows_
from ansible_collections.webexops.recordings.plugins.module_utils._converged import ConvergedApi
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
        self.service = RecordingsService(self.client, ConvergedApi(), max_concurrency, warn=self.warnings.append)
        self.windows = windows_.lookback_windows(datetime.now(timezone.utc), 365)


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
    assert {'topic', 'service_type', 'duration_seconds'} <= set(full['old'])
    assert full['old']['owner_email'] == 'alice@example.com' and full['old']['status'] == 'deleted'


def test_a_restore_keeps_only_what_it_plans_with_of_each_listed_recording(webex):
    webex.add('d1', days_ago=3)
    webex.add('d2', days_ago=3, owner='bob@example.com')
    s = Service()
    items = s.service.read_bin(s.windows, admin=True, fields=planner.PLAN_FIELDS)
    assert sorted(item['id'] for item in items) == ['d1', 'd2']
    assert all(set(item) == set(planner.PLAN_FIELDS) for item in items), items
    assert {item['id']: item['owner_email'] for item in items} == {'d1': 'alice@example.com', 'd2': 'bob@example.com'}
    # Ordered as without fields: newest first, ties by id.
    assert [item['id'] for item in items] == [item['id'] for item in s.service.read_bin(s.windows, admin=True)]


def test_restore_batch_reconciles_an_unknown_outcome(webex):
    webex.add('r1', status='available')   # restored by the write whose answer was lost
    webex.add('r2')                        # still in the bin: re-sent
    webex.add('r3', status='purged')       # gone meanwhile: failed, never reported restored
    webex.faults({'kind': 'status', 'status': 502, 'next': 1, 'method': 'POST', 'path': RESTORE})
    s = Service()
    outcome = s.service.restore_batch(((), ['r1', 'r2', 'r3']))
    assert [(call['method'], call['path']) for call in webex.calls()] == [
        ('POST', RESTORE), ('GET', '/v1/convergedRecordings/r1'), ('GET', '/v1/convergedRecordings/r2'),
        ('GET', '/v1/convergedRecordings/r3'), ('POST', RESTORE)]
    assert webex.writes()[1]['body'] == {'recordingIds': ['r2']}   # only the id still in the bin
    assert sorted(outcome['restored']) == ['r1', 'r2']
    assert outcome['failed'] == ['r3'] and outcome['status_after']['r3'] == 'not_found'
    assert s.client.request_counts() == {'reads': 3, 'writes': 2, 'retries': 1}
    assert s.slept == [0.5] and len(s.events) == 1
    assert [(e['method'], e['path'], e['status'], e['retry']) for e in s.events] == [('POST', '/convergedRecordings/restore', 502, 1)]
    assert webex.status('r2') == 'available'


def test_reconcile_without_budget_fails_the_ids_still_in_the_bin(webex):
    webex.add('r1')
    webex.faults({'kind': 'drop', 'when': 'before', 'next': 1, 'method': 'POST', 'path': RESTORE})
    s = Service(max_wait=0)
    outcome = s.service.restore_batch(((), ['r1']))
    assert outcome['restored'] == [] and outcome['failed'] == ['r1']
    assert 'retry_max_wait=0' in outcome['errors'][0]
    assert [call['method'] for call in webex.calls()] == ['POST', 'GET']
    assert webex.status('r1') == 'deleted'


def test_reconcile_never_claims_success_without_a_read(webex):
    webex.add('r1')
    webex.faults({'kind': 'status', 'status': 503})
    s = Service(max_wait=0)
    outcome = s.service.restore_batch(((), ['r1']))
    assert outcome['restored'] == [] and outcome['failed'] == ['r1']
    assert outcome['status_after'] == {'r1': 'unknown'}


def test_restore_batch_failure_keeps_tracking_id(webex):
    webex.add('r1')
    webex.add('r2')
    webex.faults({'kind': 'status', 'status': 409, 'method': 'POST'})
    outcome = Service().service.restore_batch(((), ['r1', 'r2']))
    assert outcome['failed'] == ['r1', 'r2'] and len(outcome['tracking_ids']) == 1
    assert outcome['tracking_of'] == {'r1': outcome['tracking_ids'][0], 'r2': outcome['tracking_ids'][0]}


def test_a_batch_the_api_refuses_whole_fails_whole(webex):
    """The simulator refuses a batch holding an id it does not know (404): every id of it stays failed."""
    webex.add('r1')
    outcome = Service().service.restore_batch(((), ['r1', 'unknown-id']))
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
        Service(token='not-a-token').client.get_optional(ConvergedApi().details_path('x'))
    assert caught.value.status == 401 and caught.value.tracking_id


def test_read_selection_reads_whose_the_option_names(webex):
    webex.add('a1')
    webex.add('b1', owner='bob@example.com')
    webex.add('c1', owner='carol@example.com')
    user = Service(token=ALICE_TOKEN)
    assert [item['id'] for item in user.service.read_selection(None, user.windows)] == ['a1']
    assert {call['path'] for call in webex.reads()} == {'/v1/convergedRecordings'}
    admin = Service()
    recordings = admin.service.read_selection('owner_emails', admin.windows, owners=['BOB@example.com', 'alice@example.com'])
    assert [item['id'] for item in recordings] == ['b1', 'a1'] and recordings[0]['owner_email'] == 'bob@example.com'
    assert admin.client.request_counts() == {'reads': len(admin.windows), 'writes': 0, 'retries': 0}
    for option in ('owner_email', 'all_owners'):
        refused = Service(token=ALICE_TOKEN)
        with pytest.raises(TaskFailed) as caught:
            refused.service.read_selection(option, refused.windows, owners=['bob@example.com'] if option == 'owner_email' else None)
        assert caught.value.msg.startswith('%s: listing the recordings failed' % option)
        assert 'spark-admin:recordings_read' in caught.value.msg
        assert dict(caught.value.result, tracking_ids=None) == {'recordings': [], 'count': 0, 'count_by_owner': {}, 'tracking_ids': None}
        assert caught.value.result['tracking_ids'][0] in caught.value.msg
        assert refused.client.request_counts() == {'reads': 1, 'writes': 0, 'retries': 0}
