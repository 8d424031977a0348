# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The one place that says why a request failed: each failure's cause, and each cause's hint naming the
option(s) to fix, with what was tried. (The client sets the causes: test_webex_client.py; over HTTP:
tests/playbook_tests/test_errors.py.)"""

import pytest

from ansible_collections.webexops.recordings.plugins.module_utils import _diagnosis as diagnosis


@pytest.mark.parametrize('status, cause', [
    (401, 'token_refused'), (403, 'forbidden'), (404, 'wrong_api_url'),
    (400, None), (409, None), (423, None), (429, None), (500, None), (503, None),
])
def test_cause_of_status(status, cause):
    assert diagnosis.cause_of_status(status) == cause


@pytest.mark.parametrize('text, cause', [
    ("[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)", 'tls_plain_http'),
    ('SSLError(1, "wrong version number")', 'tls_plain_http'),
    ('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate', 'tls_verify'),
    ('[SSL: SSLV3_ALERT_HANDSHAKE_FAILURE] sslv3 alert handshake failure', None),
])
def test_cause_of_tls_error(text, cause):
    assert diagnosis.cause_of_tls_error(text) == cause


@pytest.mark.parametrize('text, detail', [
    ('Failed to establish a new connection: [Errno 111] Connection refused', 'connection refused'),
    ('[WinError 10061] No connection could be made because the target machine actively refused it', 'connection refused'),
    ("Failed to resolve 'no-such-host.invalid' ([Errno -2] Name or service not known)", 'no such host'),
    ('[Errno 8] nodename nor servname provided, or not known', 'no such host'),
    ('[Errno -3] Temporary failure in name resolution', 'no such host'),
    ("Connection to 10.255.255.1 timed out. (connect timeout=30)", 'no answer to the connection within timeout'),
    ('[Errno 101] Network is unreachable', 'no route to the host'),
    ('something else', 'no connection could be made'),
])
def test_unreachable_detail(text, detail):
    assert diagnosis.unreachable_detail(text) == detail


def test_every_cause_has_a_hint_naming_an_option():
    for cause in diagnosis.CAUSES:
        text = diagnosis.hint(cause, api_url='https://webexapis.com/v1', url='https://webexapis.com/v1/convergedRecordings',
                              method='GET', detail='connection refused', tries=2, ca_path='/etc/ca.pem')
        assert any(option in text for option in ('access_token', 'api_url', 'ca_path')), (cause, text)
    assert diagnosis.hint(None) is None and diagnosis.hint('something new') is None


def test_token_refused_names_the_option_and_the_variable():
    text = diagnosis.hint(diagnosis.TOKEN_REFUSED)
    assert 'access_token' in text and 'WEBEX_ACCESS_TOKEN' in text and 'invalid, expired or revoked' in text


def test_wrong_api_url_shows_the_url_used_and_the_rule():
    text = diagnosis.hint(diagnosis.WRONG_API_URL, api_url='http://127.0.0.1:8080', url='http://127.0.0.1:8080/convergedRecordings',
                          method='GET')
    assert 'GET http://127.0.0.1:8080/convergedRecordings answered HTTP 404' in text
    assert 'ending in /v1' in text and 'https://webexapis.com/v1' in text and 'http://127.0.0.1:8080 does not' in text
    text = diagnosis.hint(diagnosis.WRONG_API_URL, api_url='https://proxy.example.com/webex/v1/',
                          url='https://proxy.example.com/webex/v1/convergedRecordings/restore', method='POST')
    assert 'POST https://proxy.example.com/webex/v1/convergedRecordings/restore' in text and 'does not' not in text


@pytest.mark.parametrize('tries, words', [(1, 'tried once'), (2, 'tried 2 times'), (None, 'not tried')])
def test_unreachable_names_api_url_the_host_and_what_was_tried(tries, words):
    text = diagnosis.hint(diagnosis.UNREACHABLE, api_url='https://user:pw@webex.example.com:8443/v1',
                          url='https://user:pw@webex.example.com:8443/v1/convergedRecordings', detail='no such host', tries=tries)
    assert 'api_url' in text and 'WEBEX_API_URL' in text and 'webex.example.com:8443 (no such host; %s)' % words in text
    assert 'pw' not in text


def test_tls_hints():
    plain = diagnosis.hint(diagnosis.TLS_PLAIN_HTTP, api_url='https://127.0.0.1:5000/v1', url='https://127.0.0.1:5000/v1/x')
    assert 'api_url is https://127.0.0.1:5000/v1' in plain and '127.0.0.1:5000 answers in plain HTTP' in plain and 'http://' in plain
    verify = diagnosis.hint(diagnosis.TLS_VERIFY, url='https://webex.example.com/v1/x')
    assert 'webex.example.com' in verify and 'ca_path' in verify and 'WEBEX_CA_PATH' in verify


def test_ca_path_problem_names_the_option_and_the_path():
    text = diagnosis.ca_path_problem('/gone/ca.pem')
    assert text.startswith('ca_path must name an existing CA bundle') and "'/gone/ca.pem'" in text and 'WEBEX_CA_PATH' in text
    assert diagnosis.hint(diagnosis.CA_PATH_MISSING, ca_path='/gone/ca.pem') == text


def test_forbidden_hint_says_what_the_request_needs():
    assert diagnosis.forbidden_hint('an administrator token with spark-admin:recordings_read is needed') == (
        'access_token is valid but not allowed this request: an administrator token with spark-admin:recordings_read is needed.')
    assert 'scope or the role' in diagnosis.forbidden_hint()
