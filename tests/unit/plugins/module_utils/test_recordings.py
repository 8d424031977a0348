# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The recordings service on its own (no AnsibleModule), against the simulator in-process: reading a
bin over windows, restoring in batches, reconciling writes of unknown outcome, and the three restore
operations with their request counts."""

from datetime import datetime, timedelta, timezone

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


def plan_of(ids, listing=None, **recordings):
    """A plan restoring ``ids`` (as listed deleted), checked after a lost answer by ``listing`` (None: id by id)."""
    plan = planner.build_restore_plan(ids, dict((rid, dict({'id': rid, 'status': 'deleted'}, **recordings.get(rid, {})))
                                                for rid in ids))
    plan['listing'] = listing
    return plan


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
    # Converged gives no site, no share and no owner name: those plan fields are absent; its owner type is kept.
    assert all(set(item) == set(planner.PLAN_FIELDS) - {'site_url', 'share_to_me', 'owner_name'} for item in items), items
    assert all(item['owner_type'] == 'user' for item in items), items
    assert {item['id']: item['owner_email'] for item in items} == {'d1': 'alice@example.com', 'd2': 'bob@example.com'}
    # Ordered as without fields: newest first, ties by id.
    assert [item['id'] for item in items] == [item['id'] for item in s.service.read_bin(s.windows, admin=True)]


def test_restore_batch_reconciles_an_unknown_outcome(webex):
    webex.add('r1', status='available')   # restored by the write whose answer was lost
    webex.add('r2')                        # still in the bin: re-sent
    webex.add('r3', status='purged')       # gone meanwhile: failed, never reported restored
    webex.faults({'kind': 'status', 'status': 502, 'next': 1, 'method': 'POST', 'path': RESTORE})
    s = Service()
    outcome = s.service.restore_batch(((), ['r1', 'r2', 'r3']), plan_of(['r1', 'r2', 'r3']))
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
    outcome = s.service.restore_batch(((), ['r1']), plan_of(['r1']))
    assert outcome['restored'] == [] and outcome['failed'] == ['r1']
    assert 'retry_max_wait=0' in outcome['errors'][0]
    assert [call['method'] for call in webex.calls()] == ['POST', 'GET']
    assert webex.status('r1') == 'deleted'


def test_reconcile_never_claims_success_without_a_read(webex):
    """A write whose answer was lost and whose check failed too is unknown: neither restored nor still in the bin."""
    webex.add('r1')
    webex.faults({'kind': 'status', 'status': 503})
    s = Service(max_wait=0)
    outcome = s.service.restore_batch(((), ['r1']), plan_of(['r1']))
    assert outcome['restored'] == [] and outcome['failed'] == [] and outcome['unknown'] == ['r1']
    assert outcome['status_after'] == {'r1': 'unknown'}
    assert 'checking it failed' in outcome['errors'][0]


def test_restore_batch_failure_keeps_tracking_id(webex):
    webex.add('r1')
    webex.add('r2')
    webex.faults({'kind': 'status', 'status': 409, 'method': 'POST'})
    outcome = Service().service.restore_batch(((), ['r1', 'r2']), plan_of(['r1', 'r2']))
    assert outcome['failed'] == ['r1', 'r2'] and len(outcome['tracking_ids']) == 1
    assert outcome['tracking_of'] == {'r1': outcome['tracking_ids'][0], 'r2': outcome['tracking_ids'][0]}


def test_a_batch_the_api_refuses_whole_fails_whole(webex):
    """The simulator refuses a batch holding an id it does not know (404): every id of it stays failed."""
    webex.add('r1')
    outcome = Service().service.restore_batch(((), ['r1', 'unknown-id']), plan_of(['r1', 'unknown-id']))
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
    assert changed and result['owners'] == {'bob@example.com': {'restored': ['b1'], 'failed': [], 'unknown': [], 'tracking_id': None,
                                                                'owner_type': 'user'}}
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
    # Nothing was listed: every key is there, the owner's type unknown (null).
    assert failure.result['owners'] == {
        'alice@example.com': {'restored': [], 'failed': [], 'unknown': [], 'tracking_id': None, 'owner_type': None},
        'bob@example.com': {'restored': [], 'failed': [], 'unknown': [], 'tracking_id': None, 'owner_type': None}}
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
    assert [item['id'] for item in user.service.read_selection(None, user.windows)[0]] == ['a1']
    assert {call['path'] for call in webex.reads()} == {'/v1/convergedRecordings'}
    admin = Service()
    recordings, nothing = admin.service.read_selection('owner_emails', admin.windows, owners=['BOB@example.com', 'alice@example.com'])
    assert nothing == []
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


# -- a lost answer checked with a listing, a token lost mid-run, a controller gone, the journal -------------

def _bin(webex, owners, per_owner, days_ago=3):
    """Recordings one minute apart, as a bin filled over hours is."""
    for position, owner in enumerate(owners):
        for index in range(per_owner):
            webex.add('%s-%03d' % (owner.split('@')[0], index), owner=owner, days_ago=days_ago + (position * per_owner + index) / 1440.0)


def test_a_lost_answer_to_a_whole_bin_restore_is_checked_with_one_listing_of_that_owner(webex):
    _bin(webex, ['alice@example.com'], 40)
    webex.faults({'kind': 'drop', 'when': 'after', 'next': 1, 'method': 'POST', 'path': RESTORE})
    s = Service()
    changed, result, dummy = s.service.restore_bin('alice@example.com', s.windows, check_mode=False)
    assert changed and len(result['restored']) == 40 and result['failed_ids'] == [] and result['unknown'] == []
    # W listing reads, the lost restoreAll, and ONE read to check it (not 40): the owner's bin over the span of the 40
    assert s.client.request_counts() == {'reads': len(s.windows) + 1, 'writes': 1, 'retries': 0}
    check = webex.reads()[-1]
    assert check['query']['ownerEmail'] == 'alice@example.com' and check['path'] == '/v1/admin/convergedRecordings'
    span = [windows_.parse_time(check['query'][name]) for name in ('from', 'to')]
    assert span[1] - span[0] < timedelta(hours=1)


def test_a_lost_answer_of_one_batch_of_many_owners_is_checked_with_one_listing_and_the_rest_resent(webex):
    _bin(webex, ['user%d@example.com' % n for n in range(4)], 60)    # 240 recordings: 3 batches
    webex.faults({'kind': 'drop', 'when': 'before', 'next': 1, 'method': 'POST', 'path': RESTORE})
    s = Service(max_concurrency=1)
    changed, result, dummy = s.service.restore_owner_bins(['user%d@example.com' % n for n in range(4)], s.windows, check_mode=False)
    assert changed and len(result['restored']) == 240 and result['failed_ids'] == [] and result['unknown'] == []
    # W reads and 2 more pages (240 in one window); ONE listing read checks the 100 ids of the lost batch
    # (newest first, one minute apart: their span holds them alone), which are still in the bin and re-sent once
    assert s.client.request_counts() == {'reads': len(s.windows) + 2 + 1, 'writes': 4, 'retries': 1}
    assert all(status == 'available' for status in (webex.status(rid) for rid in result['restored']))


def test_ids_whose_check_fails_are_unknown_never_restored_nor_still_in_the_bin(webex):
    _bin(webex, ['alice@example.com'], 10)
    s = Service(max_wait=0)
    webex.faults({'kind': 'drop', 'when': 'after', 'next': 1, 'method': 'POST', 'path': RESTORE},
                 {'kind': 'status', 'status': 503, 'method': 'GET', 'path': '/v1/admin/convergedRecordings'})
    plan = planner.plan_from_bin([{'id': 'alice-%03d' % n, 'status': 'deleted', 'owner_email': 'alice@example.com',
                                   'create_time': windows_.format_time(datetime.now(timezone.utc) - timedelta(days=3))}
                                  for n in range(10)])
    plan['listing'] = {'admin': True}
    with pytest.raises(TaskFailed) as caught:
        s.service._finish(plan, s.service.restore_batches(plan), planner.PER_OWNER, ['alice@example.com'])
    result = caught.value.result
    assert len(result['unknown']) == 10 and result['restored'] == [] and result['failed_ids'] == []
    assert result['counts']['unknown'] == 10 and len(result['owners']['alice@example.com']['unknown']) == 10
    assert 'may or may not have been restored' in caught.value.msg and 'run again' in caught.value.msg
    assert all(webex.status('alice-%03d' % n) == 'available' for n in range(10))   # the truth: the lost write was applied


def test_a_token_revoked_mid_run_stops_every_further_request(webex):
    _bin(webex, ['user%d@example.com' % n for n in range(3)], 100)   # 300 recordings: 3 batches
    s = Service(max_concurrency=1)
    webex.faults({'kind': 'revoke', 'after': 1, 'method': 'POST'})     # the first batch passes, then the token is revoked
    with pytest.raises(TaskFailed) as caught:
        s.service.restore_owner_bins(['user%d@example.com' % n for n in range(3)], s.windows, check_mode=False)
    assert [call['status'] for call in webex.writes()] == [204, 401]   # the third batch is never sent
    assert s.client.request_counts()['writes'] == 2
    result = caught.value.result
    assert len(result['restored']) == 100 and len(result['failed_ids']) == 200
    assert caught.value.msg.startswith('The token was refused (HTTP 401')
    assert 'no further request was sent' in caught.value.msg and 'owners with failures' in caught.value.msg
    restored_owners = [owner for owner, entry in result['owners'].items() if entry['restored']]
    assert restored_owners == ['user0@example.com'] and result['owners']['user2@example.com']['failed']


def test_no_write_once_the_controller_is_gone(webex):
    _bin(webex, ['user%d@example.com' % n for n in range(2)], 100)
    s = Service(max_concurrency=1)
    sent = []
    s.client.write_guard = lambda: 'the controller that started this module is gone' if sent else sent.append(1)
    with pytest.raises(TaskFailed) as caught:
        s.service.restore_owner_bins(['user0@example.com', 'user1@example.com'], s.windows, check_mode=False)
    assert len(webex.writes()) == 1 and len(caught.value.result['failed_ids']) == 100
    assert caught.value.msg.startswith('The controller that started this module is gone; no further request was sent')


def test_every_applied_batch_is_journaled_as_it_happens(webex, tmp_path):
    from ansible_collections.webexops.recordings.plugins.module_utils._journal import Journal, read_journal
    _bin(webex, ['user%d@example.com' % n for n in range(3)], 100)
    s = Service(max_concurrency=1)
    s.service.journal = Journal(str(tmp_path / 'run.journal.jsonl'), 'converged')
    webex.faults({'kind': 'revoke', 'after': 2, 'method': 'POST'})
    with pytest.raises(TaskFailed):
        s.service.restore_owner_bins(['user%d@example.com' % n for n in range(3)], s.windows, check_mode=False)
    entries = read_journal(str(tmp_path / 'run.journal.jsonl'))
    assert [(entry['outcome'], sorted(entry['owners'])) for entry in entries] == [
        ('restored', ['user0@example.com']), ('restored', ['user1@example.com'])]
    assert sorted(sum(entries[0]['owners'].values(), [])) == sorted('user0-%03d' % n for n in range(100))
