# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each connection mistake, in real ansible-playbook runs over HTTP against the simulator: the message
names the real cause and the option to fix (asserted by its key words), and the requests it cost are
asserted. A server that cannot be reached at all fails within seconds, after two tries, before any
write; the retry budget still waits out what it is for (503 here).

The messages before and after, for the record (issue 17): a 401 used to read "owner_email: listing
the recycle bin of ... failed (an administrator token with spark-admin:recordings_read is needed)",
whatever happened; a closed port or an unknown host failed after 106 to 119 s of silent retries.
"""

import socket
import time

import pytest

from _playbook import run_module_play, run_module_tasks

INFO = 'webexops.recordings.webex_recording_info'
ALICE_RECENT = 'a1000000-0000-4000-8000-000000000001'
ADMIN_LIST = 'GET /v1/admin/convergedRecordings'
# Before: 106 to 119 s. Now: two tries and one backoff (at most 1 s), plus ansible-playbook's own start.
FAST = 25


def args(sim_or_url, token='admin-token', **module_args):
    api_url = sim_or_url if isinstance(sim_or_url, str) else sim_or_url.api_url
    return dict(module_args, access_token=token, api_url=api_url)


def assert_words(result, *words):
    assert result['failed'] is True, result
    for word in words:
        assert word in result['msg'], (word, result['msg'])


def closed_port():
    """A port of 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


# -- the token (401) and the scope (403) ---------------------------------------------------------------------

def test_a_refused_token_names_access_token_for_every_selection(module_sim, tmp_path):
    cases = [
        {'restore_all': True, 'owner_email': 'alice@example.com'},
        {'restore_all': True},
        {'recording_ids': [ALICE_RECENT]},
        {'owner_emails': ['alice@example.com', 'bob@example.com']},
        {'all_owners': True, 'max_restores': 10},
    ]
    run = run_module_tasks(tmp_path, [args(module_sim, 'expired-token-7c1e', **case) for case in cases])
    assert len(run.results) == len(cases), run
    for case, result in zip(cases, run.results):
        assert_words(result, 'HTTP 401', 'access_token was refused', 'WEBEX_ACCESS_TOKEN', 'invalid, expired or revoked')
        assert 'spark-admin' not in result['msg'], result['msg']   # the scope hint is for a 403 only
        assert result['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}, (case, result)
        assert result['tracking_ids'], result
    assert module_sim.counters()['total'] == len(cases) and module_sim.counters()['by_status'] == {'401': len(cases)}
    assert 'expired-token-7c1e' not in run.output and 'expired-token-7c1e' not in repr(run.results)


def test_a_refused_token_of_the_info_module(module_sim, tmp_path):
    cases = [{}, {'owner_email': 'alice@example.com'}, {'all_owners': True}]
    run = run_module_tasks(tmp_path, [args(module_sim, 'expired-token-7c1e', **case) for case in cases], module=INFO)
    for result in run.results:
        assert_words(result, 'HTTP 401', 'access_token was refused', 'WEBEX_ACCESS_TOKEN')
        assert result['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}, result
    assert len(run.results) == len(cases) and module_sim.counters()['total'] == len(cases)


def test_a_token_without_the_scope_keeps_the_scope_hint(module_sim, tmp_path):
    result = run_module_play(tmp_path, args(module_sim, 'alice-token', owner_email='bob@example.com'), module=INFO).results[0]
    assert_words(result, 'HTTP 403', 'spark-admin:recordings_read', 'access_token is valid but not allowed')
    assert 'access_token was refused' not in result['msg']
    assert result['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}
    assert module_sim.counters()['by_endpoint'][ADMIN_LIST] == 1 and module_sim.counters()['total'] == 1


# -- the API URL (404) --------------------------------------------------------------------------------------

def test_an_api_url_without_v1_shows_the_url_used_and_the_rule(module_sim, tmp_path):
    root = module_sim.api_url[:-len('/v1')]
    ids = ['id-%02d' % index for index in range(20)]   # more ids than windows: the bin is listed
    run = run_module_tasks(tmp_path, [args(root, restore_all=True, owner_email='alice@example.com'), args(root, recording_ids=ids)])
    for result, path in zip(run.results, ('/admin/convergedRecordings', '/admin/convergedRecordings')):
        assert_words(result, 'HTTP 404', 'api_url is probably wrong', 'GET %s%s answered HTTP 404' % (root, path),
                     'ending in /v1', '%s does not' % root)
        assert result['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}
    assert len(run.results) == 2 and module_sim.counters()['by_status'] == {'404': 2} and module_sim.counters()['total'] == 2
    info = run_module_play(tmp_path, args(root), module=INFO).results[0]
    assert_words(info, 'api_url is probably wrong', 'GET %s/convergedRecordings answered HTTP 404' % root)
    assert info['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}


# -- nothing to connect to: fail fast -------------------------------------------------------------------------

@pytest.mark.parametrize('module_args', [
    {'restore_all': True, 'owner_email': 'alice@example.com'},
    {'recording_ids': [ALICE_RECENT]},
])
def test_a_closed_port_fails_within_seconds_after_two_tries(tmp_path, module_args):
    api_url = 'http://127.0.0.1:%d/v1' % closed_port()
    started = time.monotonic()
    result = run_module_play(tmp_path, args(api_url, **module_args)).results[0]
    assert time.monotonic() - started < FAST
    assert_words(result, 'api_url: no connection could be made to 127.0.0.1:', 'connection refused; tried 2 times', 'WEBEX_API_URL',
                 'not retried further', 'nothing was written yet')
    assert result['requests'] == {'reads': 2, 'writes': 0, 'retries': 1}
    assert 'retry budget exhausted' not in result['msg']


def test_an_unknown_host_fails_within_seconds_and_is_named(tmp_path):
    started = time.monotonic()
    result = run_module_play(tmp_path, args('https://webex-simulator.invalid/v1'), module=INFO).results[0]
    assert time.monotonic() - started < FAST
    assert_words(result, 'api_url: no connection could be made to webex-simulator.invalid', 'no such host', 'tried 2 times')
    assert result['requests'] == {'reads': 2, 'writes': 0, 'retries': 1}


def test_the_budget_still_waits_out_a_transient_503(module_sim, tmp_path):
    module_sim.set_faults([{'kind': 'status', 'status': 503, 'next': 2, 'method': 'GET', 'path': '/v1/admin/convergedRecordings'}])
    result = run_module_play(tmp_path, args(module_sim, owner_email='alice@example.com', lookback_days=20), module=INFO).results[0]
    assert result['failed'] is False, result
    assert result['requests'] == {'reads': 3, 'writes': 0, 'retries': 2}
    assert module_sim.counters()['by_status'] == {'503': 2, '200': 1}


# -- TLS and ca_path -------------------------------------------------------------------------------------------

def test_https_to_a_plain_http_server_names_api_url_and_is_not_retried(module_sim, tmp_path):
    https_url = module_sim.api_url.replace('http://', 'https://')
    started = time.monotonic()
    result = run_module_play(tmp_path, args(https_url, restore_all=True, owner_email='alice@example.com')).results[0]
    assert time.monotonic() - started < FAST
    assert_words(result, 'TLS to a plain-HTTP server', 'api_url is %s' % https_url, 'answers in plain HTTP', 'http://')
    assert result['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}
    counters = module_sim.counters()
    assert counters['connections'] == 1 and counters['total'] == 0   # a TLS hello, never an HTTP request


def test_an_unverified_certificate_names_ca_path(tls_simulator, tmp_path):
    tls_simulator.reset(log=True, faults=True, data=True)
    result = run_module_play(tmp_path, args(tls_simulator, recording_ids=[ALICE_RECENT])).results[0]
    assert_words(result, 'TLS certificate verification failed', 'set ca_path (or WEBEX_CA_PATH)', 'validate_certs')
    assert result['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}
    assert tls_simulator.counters()['total'] == 0


@pytest.mark.parametrize('env', [False, True])
def test_a_ca_path_that_does_not_exist_is_refused_before_any_request(tls_simulator, tmp_path, env):
    tls_simulator.reset(log=True, faults=True, data=True)
    missing = str(tmp_path / 'no-such-ca.pem')
    module_args = args(tls_simulator, recording_ids=[ALICE_RECENT])
    if env:
        run = run_module_play(tmp_path, module_args, env={'WEBEX_CA_PATH': missing})
    else:
        run = run_module_play(tmp_path, dict(module_args, ca_path=missing))
    result = run.results[0]
    assert_words(result, 'ca_path must name an existing CA bundle', repr(missing), 'does not exist', 'WEBEX_CA_PATH')
    assert 'Traceback' not in run.output
    assert tls_simulator.counters()['connections'] == 0 and tls_simulator.counters()['total'] == 0
