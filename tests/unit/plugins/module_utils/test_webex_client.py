# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The API client over a scripted transport: exact request sequences, errors, pagination, retries,
unknown outcomes of writes, re-sends after a reconciled write, and the token never leaking. The client
knows no endpoint: the requests sent here are the Converged profile's (_converged.ConvergedApi). (What
the requests mean is tested with the service, against the simulator.)"""

import pytest
import requests
import urllib3
from email.utils import formatdate

from ansible_collections.webexops.recordings.plugins.module_utils._converged import ConvergedApi
from ansible_collections.webexops.recordings.plugins.module_utils._retry import RetryPolicy
from ansible_collections.webexops.recordings.plugins.module_utils._webex_client import (
    COLLECTION_VERSION, WebexApiError, WebexClient, WebexOutcomeUnknown,
)

from scripted_transport import API, TOKEN, ScriptedTransport, error_body

NOW = 1_800_000_000.0
CONVERGED = ConvergedApi()


def restore_ids(client, recording_ids, is_retry=False):
    """The Converged restore of a batch of ids, sent through the client."""
    client.send(*CONVERGED.restore_request((), recording_ids), is_retry=is_retry)


def restore_all(client, owner_email=None):
    """The Converged restore of a whole bin, sent through the client."""
    client.send(*CONVERGED.restore_request((), owner_email=owner_email))


class Harness:
    def __init__(self, script, max_wait=120, rand=0.5, **client_kwargs):
        self.slept = []
        self.events = []
        self.policy = RetryPolicy(max_wait, sleep=self.slept.append, clock=lambda: NOW, rand=lambda: rand)
        self.client = WebexClient(API, TOKEN, retry_policy=self.policy, notify=self.events.append, **client_kwargs)
        self.transport = ScriptedTransport(script)
        self.client.session.mount('https://', self.transport)

    @property
    def calls(self):
        return self.transport.calls


def test_session_headers_timeout_and_tls_defaults(monkeypatch):
    monkeypatch.delenv('REQUESTS_CA_BUNDLE', raising=False)
    monkeypatch.delenv('CURL_CA_BUNDLE', raising=False)
    h = Harness([{'body': {'id': 'r1', 'status': 'deleted'}}], timeout=12.5)
    assert h.client.get_optional(CONVERGED.details_path('r1')) == {'id': 'r1', 'status': 'deleted'}
    call = h.calls[0]
    assert call.method == 'GET' and call.url == API + '/convergedRecordings/r1'
    assert call.headers['Authorization'] == 'Bearer ' + TOKEN
    # The version itself is galaxy.yml's (test_webex_client_version.py).
    assert call.headers['User-Agent'].startswith('webexops.recordings/%s python-requests/' % COLLECTION_VERSION)
    assert h.transport.send_kwargs[0]['timeout'] == 12.5
    assert h.transport.send_kwargs[0]['verify'] is True
    assert h.client.request_counts() == {'reads': 1, 'writes': 0, 'retries': 0}


def test_ca_path_and_validate_certs_false(monkeypatch):
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/env/bundle.pem')
    h = Harness([{'body': {}}], ca_path='/etc/ca.pem')
    h.client.get_json('/x')
    assert h.transport.send_kwargs[0]['verify'] == '/etc/ca.pem'
    h = Harness([{'body': {}}], validate_certs=False, ca_path='/etc/ca.pem')
    h.client.get_json('/x')
    assert h.transport.send_kwargs[0]['verify'] is False
    h = Harness([{'body': {}}])
    h.client.get_json('/x')
    assert h.transport.send_kwargs[0]['verify'] == '/env/bundle.pem'   # requests' trust_env, as documented


def test_connection_pool_is_at_least_max_concurrency():
    client = WebexClient(API, TOKEN, max_concurrency=32)
    adapter = client.session.get_adapter(API)
    assert adapter._pool_maxsize >= 32
    assert client.session.trust_env is True


def test_recording_id_is_quoted_in_the_path():
    h = Harness([{'status': 404, 'body': error_body('not found')}])
    assert h.client.get_optional(CONVERGED.details_path('a/b c')) is None
    assert h.calls[0].url == API + '/convergedRecordings/a%2Fb%20c'


def test_error_mapping_from_body():
    body = error_body('Bad request.', 'NA_abc', ['restoreAll must be true', 'ownerEmail is invalid'])
    h = Harness([{'status': 400, 'body': body, 'headers': {'trackingid': 'HEADER-ID'}}])
    with pytest.raises(WebexApiError) as caught:
        restore_ids(h.client, ['r1'])
    error = caught.value
    assert error.status == 400
    assert error.message == 'Bad request.'
    assert error.descriptions == ['restoreAll must be true', 'ownerEmail is invalid']
    assert error.tracking_id == 'NA_abc'   # the body wins over the header
    text = str(error)
    assert 'POST /convergedRecordings/restore' in text and 'HTTP 400' in text
    assert 'restoreAll must be true; ownerEmail is invalid' in text and 'trackingId: NA_abc' in text
    assert not isinstance(error, WebexOutcomeUnknown)
    assert len(h.calls) == 1


def test_tracking_id_from_header_and_non_json_body():
    h = Harness([{'status': 403, 'text': '<html>Access denied by proxy</html>', 'headers': {'TrackingID': 'HDR_42'}}])
    with pytest.raises(WebexApiError) as caught:
        h.client.get_json('/convergedRecordings')
    error = caught.value
    assert error.status == 403 and error.tracking_id == 'HDR_42'
    assert 'Forbidden' in error.message and 'Access denied by proxy' in error.message
    assert 'trackingId: HDR_42' in str(error)


def test_error_without_tracking_id_says_so():
    h = Harness([{'status': 401, 'body': {'message': 'Unauthorized'}}])
    with pytest.raises(WebexApiError) as caught:
        h.client.get_json('/x')
    assert '(no trackingId)' in str(caught.value)


def test_pagination_follows_link_as_given():
    next_1 = 'https://webex.test/v1/admin/convergedRecordings?opaque=XyZ%3D%3D&max=100'
    next_2 = 'https://other.test/v1/page3?cursor=3'
    h = Harness([
        {'body': {'items': [{'id': '1', 'status': 'deleted'}, {'id': '2', 'status': 'deleted'}]},
         'headers': {'Link': '<%s>; rel="next"' % next_1}},
        {'body': {'items': [{'id': '3', 'status': 'deleted'}]},
         'headers': {'Link': '<%s>; rel="next"' % next_2}},
        {'body': {'items': [{'id': '4', 'status': 'available'}]}},
    ])
    params = {'status': 'deleted', 'from': '2026-01-01T00:00:00Z', 'to': '2026-01-30T00:00:00Z', 'max': 100, 'ownerEmail': 'a@b.example'}
    seen = set()
    pages = []
    url = '/admin/convergedRecordings'
    while url:
        items, url = h.client.read_page(url, params if not pages else None, seen)
        pages.append([item['id'] for item in items])
    assert pages == [['1', '2'], ['3'], ['4']]
    assert h.calls[0].path == '/v1/admin/convergedRecordings'
    assert h.calls[0].query == {'status': 'deleted', 'from': '2026-01-01T00:00:00Z', 'to': '2026-01-30T00:00:00Z',
                                'max': '100', 'ownerEmail': 'a@b.example'}
    assert h.calls[1].url == next_1
    assert h.calls[2].url == next_2
    assert h.client.request_counts()['reads'] == 3


def test_link_loop_is_an_error():
    loop = API + '/convergedRecordings?cursor=1'
    page = {'body': {'items': []}, 'headers': {'Link': '<%s>; rel="next"' % loop}}
    h = Harness([page, page, page])
    seen = set()
    dummy, url = h.client.read_page('/convergedRecordings', {'max': 100}, seen)
    with pytest.raises(WebexApiError, match='already read'):
        h.client.read_page(url, None, seen)


def test_get_retries_429_then_503_then_succeeds():
    h = Harness([
        {'status': 429, 'body': error_body('Too many'), 'headers': {'Retry-After': '3'}},
        {'status': 503, 'body': error_body('Unavailable')},
        {'body': {'id': 'r1', 'status': 'available'}},
    ], rand=0.0)
    assert h.client.get_optional(CONVERGED.details_path('r1'))['status'] == 'available'
    assert h.slept == [3.0, 0.5]   # Retry-After, then backoff of the first retry in [0.5, 1]
    assert h.client.request_counts() == {'reads': 3, 'writes': 0, 'retries': 2}
    assert [(e['method'], e['path'], e['status'], e['wait']) for e in h.events] == [
        ('GET', '/convergedRecordings/r1', 429, 3.0), ('GET', '/convergedRecordings/r1', 503, 0.5)]


def test_retry_after_http_date_is_honoured():
    h = Harness([{'status': 423, 'headers': {'Retry-After': formatdate(NOW + 8, usegmt=True)}}, {'body': {}}])
    h.client.get_json('/x')
    assert h.slept == [pytest.approx(8)]


def test_default_retry_after_when_absent():
    h = Harness([{'status': 429}, {'body': {}}])
    h.client.get_json('/x')
    assert h.slept == [5.0]


def test_budget_exhausted_raises_the_last_error():
    answer = {'status': 429, 'body': error_body('Too many', 'RATE-1'), 'headers': {'Retry-After': '50'}}
    h = Harness([answer, answer, answer], max_wait=120)
    with pytest.raises(WebexApiError) as caught:
        h.client.get_json('/x')
    assert h.slept == [50.0, 50.0]
    assert len(h.calls) == 3
    text = str(caught.value)
    assert caught.value.status == 429 and 'retry budget exhausted' in text and 'RATE-1' in text


def test_zero_budget_never_retries():
    h = Harness([{'status': 503, 'body': error_body('down', 'T503')}], max_wait=0)
    with pytest.raises(WebexApiError) as caught:
        h.client.get_json('/x')
    assert len(h.calls) == 1 and h.slept == [] and h.events == []
    assert 'retry_max_wait=0' in str(caught.value)


def test_get_500_is_not_retried():
    h = Harness([{'status': 500, 'body': error_body('oops')}])
    with pytest.raises(WebexApiError):
        h.client.get_json('/x')
    assert len(h.calls) == 1


def test_get_connection_errors_back_off():
    h = Harness([requests.exceptions.ReadTimeout('read timed out'), requests.exceptions.ConnectionError('reset'), {'body': {}}], rand=0.0)
    h.client.get_json('/x')
    assert h.slept == [0.5, 1.0]
    assert [e['status'] for e in h.events] == [None, None]
    assert h.client.request_counts()['retries'] == 2


def test_tls_failure_is_not_retried():
    h = Harness([requests.exceptions.SSLError('certificate verify failed')])
    with pytest.raises(WebexApiError, match='certificate verify failed'):
        h.client.get_json('/x')
    assert len(h.calls) == 1


def test_post_429_is_retried():
    h = Harness([{'status': 429, 'headers': {'Retry-After': '1'}}, {'status': 204}])
    restore_ids(h.client, ['r1'])
    assert [c.method for c in h.calls] == ['POST', 'POST']
    assert h.calls[1].body == {'recordingIds': ['r1']}
    assert h.client.request_counts() == {'reads': 0, 'writes': 2, 'retries': 1}


@pytest.mark.parametrize('answer', [
    {'status': 500, 'body': error_body('oops', 'T500')},
    {'status': 502, 'body': error_body('bad gateway', 'T502')},
    {'status': 503},
    {'status': 504},
    requests.exceptions.ReadTimeout('read timed out'),
    requests.exceptions.ConnectionError(urllib3.exceptions.ProtocolError('Connection aborted.', ConnectionResetError())),
])
def test_post_with_unknown_outcome_is_not_repeated(answer):
    h = Harness([answer, {'status': 204}])
    with pytest.raises(WebexOutcomeUnknown) as caught:
        restore_ids(h.client, ['r1'])
    assert len(h.calls) == 1
    assert h.slept == []
    assert 'outcome of this write is unknown' in str(caught.value)


def not_sent(text='Failed to establish a new connection: [Errno 111] Connection refused'):
    """What requests raises when no connection could be made (refused, no such host)."""
    return requests.exceptions.ConnectionError(
        urllib3.exceptions.MaxRetryError(None, '/v1/x', urllib3.exceptions.NewConnectionError(None, text)))


def test_post_not_sent_after_a_write_is_retried_within_the_budget():
    h = Harness([{'status': 204}, not_sent(), requests.exceptions.ConnectTimeout('connect timed out'), not_sent(), {'status': 204}],
                rand=0.0)
    restore_ids(h.client, ['r1'])
    restore_all(h.client, owner_email='a@b.example')
    assert len(h.calls) == 5 and h.slept == [0.5, 1.0, 2.0]
    assert h.calls[4].body == {'restoreAll': True, 'ownerEmail': 'a@b.example'}


@pytest.mark.parametrize('send', [
    lambda client: client.get_json('/admin/convergedRecordings'),
    lambda client: restore_all(client, owner_email='a@b.example'),
])
def test_nothing_reachable_before_the_first_write_fails_after_two_tries(send):
    h = Harness([not_sent(), not_sent(), {'status': 204}], rand=0.0)
    with pytest.raises(WebexApiError) as caught:
        send(h.client)
    error = caught.value
    assert len(h.calls) == 2 and h.slept == [0.5]   # not the budget of 120 s
    assert error.cause == 'unreachable' and not isinstance(error, WebexOutcomeUnknown)
    text = str(error)
    for words in ('api_url', 'WEBEX_API_URL', 'webex.test', 'connection refused', 'tried 2 times', 'nothing was written yet', 'Connection refused'):
        assert words in text, text


def test_a_host_that_does_not_resolve_is_named():
    dns = not_sent("Failed to resolve 'nowhere.invalid' ([Errno -2] Name or service not known)")
    h = Harness([dns, dns], rand=0.0)
    with pytest.raises(WebexApiError) as caught:
        h.client.get_json('/convergedRecordings')
    assert caught.value.cause == 'unreachable'
    assert 'no such host' in str(caught.value) and 'api_url' in str(caught.value)
    assert [event['reason'] for event in h.events] == ['no such host']


def test_read_timeouts_and_5xx_keep_the_whole_budget_before_any_write():
    answers = [requests.exceptions.ReadTimeout('read timed out')] * 3 + [{'status': 503}] * 2 + [{'body': {}}]
    h = Harness(answers, rand=0.0)
    h.client.get_json('/x')
    assert len(h.calls) == 6


@pytest.mark.parametrize('answer, cause, words', [
    ({'status': 401, 'body': error_body('The access token is invalid or expired.', 'T401')}, 'token_refused',
     ['HTTP 401', 'access_token', 'WEBEX_ACCESS_TOKEN', 'invalid, expired or revoked', 'T401']),
    ({'status': 403, 'body': error_body('Forbidden', 'T403')}, 'forbidden', ['HTTP 403', 'access_token is valid but not allowed']),
    ({'status': 404, 'body': error_body('The requested resource could not be found', 'T404')}, 'wrong_api_url',
     ['HTTP 404', 'api_url is probably wrong', 'GET https://webex.test/v1/admin/convergedRecordings', 'ending in /v1']),
    ({'status': 400, 'body': error_body('Bad request', 'T400')}, None, ['HTTP 400', 'T400']),
    (requests.exceptions.SSLError("HTTPSConnectionPool(host='webex.test', port=443): [SSL: WRONG_VERSION_NUMBER] wrong version number"),
     'tls_plain_http', ['TLS to a plain-HTTP server', 'api_url is https://webex.test/v1', 'plain HTTP', 'http://']),
    (requests.exceptions.SSLError('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate'),
     'tls_verify', ['certificate verification failed', 'ca_path', 'WEBEX_CA_PATH', 'validate_certs']),
    (OSError('Could not find a suitable TLS CA certificate bundle, invalid path: /gone/ca.pem'), 'ca_path_missing',
     ['ca_path', "'/gone/ca.pem'", 'does not exist']),
])
def test_every_error_names_its_cause_and_the_option_to_fix(answer, cause, words):
    h = Harness([answer], ca_path='/gone/ca.pem')
    with pytest.raises(WebexApiError) as caught:
        h.client.get_json('/admin/convergedRecordings', params={'max': 1})
    error = caught.value
    assert error.cause == cause and len(h.calls) == 1 and h.slept == []
    text = str(error)
    for word in words:
        assert word in text, text
    assert (error.hint is None) == (cause is None)
    assert error.describe(hint=False) == (text[:-len(error.hint) - 2] if error.hint else text)
    assert TOKEN not in text


def test_restore_all_body_of_a_user():
    h = Harness([{'status': 204}])
    restore_all(h.client)
    assert h.calls[0].body == {'restoreAll': True}


def test_restore_ids_body_and_a_resend_counted_as_a_retry():
    h = Harness([{'status': 204}, {'status': 204}])
    restore_ids(h.client, ['r1', 'r2'])
    restore_ids(h.client, ['r2'], is_retry=True)
    assert [c.body for c in h.calls] == [{'recordingIds': ['r1', 'r2']}, {'recordingIds': ['r2']}]
    assert h.client.request_counts() == {'reads': 0, 'writes': 2, 'retries': 1}


def test_token_never_in_errors_or_notifications():
    echo = {'message': 'token %s is invalid' % TOKEN, 'errors': [{'description': 'Bearer %s rejected' % TOKEN}], 'trackingId': 'T1'}
    leaky = requests.exceptions.ConnectionError('failed with headers Authorization: Bearer %s (%s)' % (TOKEN, TOKEN))
    proxy_url = requests.exceptions.ProxyError('Cannot connect to proxy http://user:%s@proxy.test:3128' % TOKEN)
    texts = []
    for script in ([{'status': 401, 'body': echo}], [leaky, {'status': 400, 'body': echo}], [proxy_url]):
        h = Harness(script, rand=0.0)
        with pytest.raises(WebexApiError) as caught:
            h.client.get_json('/x')
        texts.extend([str(caught.value), repr(caught.value), caught.value.message] + caught.value.descriptions)
        texts.extend(str(event) for event in h.events)
    h = Harness([requests.exceptions.ReadTimeout('Bearer %s timed out' % TOKEN)], max_wait=0)
    with pytest.raises(WebexOutcomeUnknown) as caught:
        restore_ids(h.client, ['r1'])
    texts.append(str(caught.value))
    assert texts
    for text in texts:
        assert TOKEN not in text


def test_get_optional_is_none_only_for_404():
    h = Harness([{'status': 403, 'body': error_body('Forbidden', 'T403')}])
    with pytest.raises(WebexApiError) as caught:
        h.client.get_optional(CONVERGED.details_path('r1'))
    assert caught.value.status == 403 and caught.value.tracking_id == 'T403'
    h = Harness([{'status': 404, 'body': error_body('not found')}, {'body': {'id': 'r2'}}])
    assert h.client.get_optional('/convergedRecordings/r1') is None
    assert h.client.get_optional('/convergedRecordings/r2') == {'id': 'r2'}
    assert h.client.request_counts() == {'reads': 2, 'writes': 0, 'retries': 0}


def test_send_takes_the_method_query_and_body_it_is_given():
    h = Harness([{'status': 204}, {'status': 200, 'body': {}}])
    h.client.send('POST', '/some/restore', {'holder': 'a@b.example'}, {'things': ['t1']})
    h.client.send('put', '/other', json_body={'x': 1})
    assert [(c.method, c.path, c.query, c.body) for c in h.calls] == [
        ('POST', '/v1/some/restore', {'holder': 'a@b.example'}, {'things': ['t1']}), ('PUT', '/v1/other', {}, {'x': 1})]
    assert h.client.request_counts() == {'reads': 0, 'writes': 2, 'retries': 0}


def _unknown_outcome(max_wait):
    """A harness whose restore answered 502, and the WebexOutcomeUnknown it raised."""
    h = Harness([{'status': 502, 'body': error_body('bad gateway', 'T502')}], max_wait=max_wait, rand=0.0)
    with pytest.raises(WebexOutcomeUnknown) as caught:
        restore_ids(h.client, ['r1', 'r2'])
    return h, caught.value


def test_may_resend_waits_the_backoff_from_the_budget_and_announces_the_resend():
    h, error = _unknown_outcome(max_wait=2)
    assert h.client.may_resend(error, 0, '2 id(s) still in the recycle bin') is True
    assert h.slept == [0.5] and h.policy.waited == 0.5
    assert h.events == [{'method': 'POST', 'path': '/convergedRecordings/restore', 'status': 502,
                         'reason': 'outcome unknown, re-sending 2 id(s) still in the recycle bin', 'wait': 0.5, 'retry': 1}]
    # the second re-send waits the second backoff (1 s in [1, 2]); the third (2 s) no longer fits the 2 s budget
    assert h.client.may_resend(error, 1, '1 id(s) still in the recycle bin') is True
    assert h.slept == [0.5, 1.0] and h.events[-1]['retry'] == 2
    assert h.client.may_resend(error, 2, '1 id(s) still in the recycle bin') is False
    assert h.slept == [0.5, 1.0] and len(h.events) == 2
    assert error.note.startswith('outcome unknown, 1 id(s) still in the recycle bin; retry budget exhausted')
    assert '[outcome unknown, 1 id(s) still in the recycle bin; retry budget exhausted' in str(error) and 'T502' in str(error)
    # re-sends are not counted by may_resend: the write that follows is
    assert h.client.request_counts() == {'reads': 0, 'writes': 1, 'retries': 0}


def test_may_resend_without_budget_notes_why_and_neither_waits_nor_announces():
    h, error = _unknown_outcome(max_wait=0)
    assert h.client.may_resend(error, 0, '2 id(s) still in the recycle bin') is False
    assert h.slept == [] and h.events == []
    assert error.note == 'outcome unknown, 2 id(s) still in the recycle bin; not retried: retries are disabled (retry_max_wait=0)'


def test_may_resend_of_an_error_without_method_announces_a_post():
    h = Harness([])
    error = WebexOutcomeUnknown('lost', status=None)
    assert h.client.may_resend(error, 0, 'again') is True
    assert [(e['method'], e['path'], e['status']) for e in h.events] == [('POST', None, None)]
    assert h.calls == []
