"""The pure parts without HTTP: fault parsing and planning, the sorted index, the API rules object."""

import datetime
import json

import pytest

from webex_simulator import api, faults, seed, state

NOW = datetime.datetime(2025, 1, 31, 12, 0, 0, tzinfo=datetime.timezone.utc)


def test_parse_fault_spec_types():
    fault = faults.parse_fault_spec('status:status=429:retry_after=1:next=3:method=post:path=/v1/convergedRecordings/restore')
    assert fault.to_json() == {'kind': 'status', 'status': 429, 'retry_after': '1', 'when': 'before', 'next': 3, 'rate': None,
                               'method': 'POST', 'path': '/v1/convergedRecordings/restore'}
    assert faults.parse_fault_spec('status:status=504:when=after').when == 'after'
    assert faults.parse_fault_spec('latency:seconds=0.1').seconds == 0.1
    assert faults.parse_fault_spec('drop').when == 'before'


@pytest.mark.parametrize('spec', ['status:status=200', 'status', 'latency', 'drop:when=later', 'hang:seconds=-1',
                                  'status:status=429:rate=2', 'status:status=429:next=0', 'status:status=429:colour=red',
                                  'status:status=429:next', 'nope'])
def test_bad_fault_specs(spec):
    with pytest.raises(faults.FaultError):
        faults.parse_fault_spec(spec)


def test_fault_plan_next_rate_and_matching():
    plan = faults.FaultPlan(random_seed=0)
    plan.replace([faults.parse_fault({'kind': 'status', 'status': 503, 'next': 2, 'method': 'POST'}),
                  faults.parse_fault({'kind': 'latency', 'seconds': 0.5, 'path': '/v1/admin/*'})])
    assert plan.decide('GET', '/v1/convergedRecordings', None).action is None
    assert plan.decide('GET', '/v1/admin/convergedRecordings', None).latency == 0.5
    assert plan.decide('POST', '/v1/x', None).action.status == 503
    assert plan.decide('POST', '/v1/x', None).action.status == 503
    assert plan.decide('POST', '/v1/x', None).action is None
    assert [fault['kind'] for fault in plan.to_json()] == ['latency']

    def pattern():
        plan.replace([faults.parse_fault({'kind': 'drop', 'rate': 0.3})])
        return [plan.decide('GET', '/', None).action is not None for dummy in range(50)]
    assert pattern() == pattern() and 0 < sum(pattern()) < 50


def test_sorted_index_window_and_cursor():
    person = state.Person(id='p', email='p@example.com', display_name='P', org_id='o')
    moments = [NOW - datetime.timedelta(hours=hours) for hours in (1, 2, 2, 3)]
    recordings = [state.Recording(id=recording_id, topic='t', create_time=moment, duration_seconds=1, size_bytes=1,
                                  status='deleted', owner=person) for recording_id, moment in zip('dbac', moments)]
    index = state.SortedIndex()
    index.extend_unsorted(recordings)
    assert [item.id for item in index.window(0, state.to_micros(NOW))] == ['d', 'a', 'b', 'c']
    two_hours = state.to_micros(moments[1])
    assert [item.id for item in index.window(two_hours, state.to_micros(NOW))] == ['d', 'a', 'b']
    assert [item.id for item in index.window(0, two_hours)] == ['c']
    assert [item.id for item in index.window(0, state.to_micros(NOW), recordings[2].sort_key)] == ['b', 'c']
    index.remove(recordings[2])
    assert [item.id for item in index.window(0, state.to_micros(NOW))] == ['d', 'b', 'c']


def make_api():
    store = state.RecordingStore()
    seed.SeedLoader(store, NOW).load(seed.read_seed())
    return api.WebexApi(store, lambda: NOW), store


def test_api_rules_without_http():
    webex, store = make_api()
    response = webex.handle('POST', '/v1/convergedRecordings/restore', {}, 'Bearer alice-token', b'{"restoreAll": true}', 'http://x')
    assert (response.status, response.body) == (204, None)
    alice = store.person_by_email('alice@example.com')
    assert store.owner_recordings(alice.id, 'deleted') == []
    response = webex.handle('GET', '/v1/convergedRecordings', {'max': ['1']}, 'Bearer alice-token', b'', 'http://x')
    assert response.status == 200 and response.headers['Link'].startswith('<http://x/v1/convergedRecordings?')
    response = webex.handle('GET', '/v1/convergedRecordings', {}, None, b'', 'http://x')
    assert response.status == 401 and 'message' in response.body


def test_cursor_carries_no_secrets_and_binds_the_query():
    webex, dummy = make_api()
    response = webex.handle('GET', '/v1/admin/convergedRecordings', {'status': ['deleted'], 'max': ['1']}, 'Bearer admin-token', b'', '')
    cursor = response.headers['Link'].split('cursor=')[1].split('>')[0]
    decoded = json.loads(api.base64.urlsafe_b64decode(cursor + '=' * (-len(cursor) % 4)))
    assert set(decoded) == {'k', 'h'}
    with pytest.raises(api.ApiError):
        api._decode_cursor(cursor, 'another-hash')  # pylint: disable=protected-access


def test_endpoint_of():
    assert api.endpoint_of('GET', '/v1/convergedRecordings/abc') == 'GET /v1/convergedRecordings/{recordingId}'
    assert api.endpoint_of('POST', '/v1/convergedRecordings/purge') == 'POST /v1/convergedRecordings/purge'
    assert api.endpoint_of('GET', '/v1/convergedRecordings/purge') is None
    assert api.endpoint_of('GET', '/v1/other') is None


def test_seed_errors():
    loader = seed.SeedLoader(state.RecordingStore(), NOW)
    for bad in ({'people': [{}]}, {'tokens': [{'token': 't', 'email': 'ghost@example.com', 'scopes': []}]},
                {'recordings': [{'owner_email': 'ghost@example.com'}]}, {'people': 'x'},
                {'generate': [{'owners': 1, 'status': 'gone'}]}):
        with pytest.raises(seed.SeedError):
            loader.load(bad)
