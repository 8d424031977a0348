# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Every argument rule is refused by main() before any HTTP request, with a message naming the
parameter and the rule."""

import pytest

from fixtures import ADMIN_TOKEN
from module_runner import all_text


@pytest.mark.parametrize('args, fragments', [
    # argspec features
    ({'recording_ids': ['a'], 'restore_all': True}, ['mutually exclusive', 'recording_ids|restore_all']),
    ({'recording_ids': ['a'], 'owner_emails': ['a@b.example']}, ['mutually exclusive', 'recording_ids|owner_emails']),
    ({'restore_all': True, 'owner_email': 'a@b.example', 'owner_emails': ['a@b.example']}, ['mutually exclusive', 'owner_email|owner_emails']),
    ({'restore_all': True, 'owner_emails': ['a@b.example']}, ['mutually exclusive', 'restore_all|owner_emails']),
    ({'on_missing': 'warn'}, ['one of the following is required', 'recording_ids', 'restore_all', 'owner_emails']),
    ({'owner_email': 'a@b.example', 'owner_emails': None, 'recording_ids': None, 'restore_all': None},
     ['one of the following is required']),
    ({'recording_ids': ['a'], 'missing': 'ignore'}, ['on_missing', 'fail, warn']),
    ({'recording_ids': ['a'], 'on_missing': 'ignore'}, ['on_missing', 'fail, warn']),
    ({'recording_ids': ['a'], 'max_concurrency': 'many'}, ['max_concurrency']),
    ({'recording_ids': ['a'], 'lookback_days': 'a year'}, ['lookback_days']),
    # planner rules
    ({'restore_all': False, 'owner_email': 'a@b.example'}, ['owner_email requires restore_all: true']),
    ({'recording_ids': ['ok', '   ']}, ['recording_ids item 2', 'must not be empty or blank']),
    ({'recording_ids': ['']}, ['recording_ids item 1', 'must not be empty or blank']),
    ({'recording_ids': ['..']}, ['recording_ids item 1', "'..'", 'must not be "." or ".."']),
    ({'recording_ids': ['ok', '.']}, ['recording_ids item 2', "'.'", 'must not be "." or ".."']),
    ({'recording_ids': [' .. ']}, ['recording_ids item 1', 'must not be "." or ".."']),
    ({'recording_ids': ['../admin/convergedRecordings']}, ['recording_ids item 1', 'must not contain "/"']),
    ({'recording_ids': ['a\\b']}, ['recording_ids item 1', 'must not contain "/" or "\\"']),
    ({'recording_ids': ['a\tb']}, ['recording_ids item 1', 'blanks or control characters']),
    ({'recording_ids': ['a\x00b']}, ['recording_ids item 1', 'blanks or control characters']),
    ({'recording_ids': ['a\x7fb']}, ['recording_ids item 1', 'blanks or control characters']),
    ({'recording_ids': ['a b']}, ['recording_ids item 1', 'blanks or control characters']),
    ({'restore_all': True, 'owner_email': 'alice.example.com'}, ['owner_email must be an email address', 'alice.example.com']),
    ({'restore_all': True, 'owner_email': 'alice@example.com x'}, ['owner_email must be an email address']),
    ({'owner_emails': []}, ['owner_emails must not be an empty list']),
    ({'owner_emails': ['alice@example.com', '@bad']}, ['owner_emails must hold email addresses only', "'@bad'"]),
    ({'restore_all': False}, ['restore_all is false', 'nothing to restore']),
    ({'recording_ids': ['a'], 'lookback_days': 0}, ['lookback_days must be at least 1']),
    ({'recording_ids': ['a'], 'lookback_days': 3651}, ['lookback_days must be at most 3650', 'got 3651']),
    ({'restore_all': True, 'owner_email': 'a@b.example', 'lookback_days': 100000}, ['lookback_days must be at most 3650']),
    ({'recording_ids': ['a'], 'ca_path': '/nonexistent/webex-ca.pem'}, ['ca_path', '/nonexistent/webex-ca.pem', 'does not exist']),
    ({'recording_ids': ['a'], 'max_concurrency': 0}, ['max_concurrency must be between 1 and 32']),
    ({'recording_ids': ['a'], 'max_concurrency': 64}, ['max_concurrency must be between 1 and 32']),
    ({'recording_ids': ['a'], 'api_url': 'webexapis.com/v1'}, ['api_url must be an http:// or https:// URL']),
    ({'recording_ids': ['a'], 'api_url': 'file:///etc/passwd'}, ['api_url must be an http:// or https:// URL']),
    ({'recording_ids': ['a'], 'timeout': 0}, ['timeout must be greater than 0']),
    ({'recording_ids': ['a'], 'retry_max_wait': -5}, ['retry_max_wait must be 0 (never retry) or more']),
])
def test_rule_refused_before_any_request(run_module, webex, args, fragments):
    args = dict((key, value) for key, value in args.items() if value is not None)
    outcome = run_module(args)
    assert outcome.failed, outcome.result
    for fragment in fragments:
        assert fragment in outcome.result['msg'], outcome.result['msg']
    assert webex.calls() == []
    assert ADMIN_TOKEN not in all_text(outcome.result)


def test_missing_token_is_refused_clearly(run_module, webex):
    outcome = run_module({'recording_ids': ['a']}, with_token=False)
    assert outcome.failed
    assert 'access_token is required' in outcome.result['msg'] and 'WEBEX_ACCESS_TOKEN' in outcome.result['msg']
    assert webex.calls() == []


def test_connection_options_from_the_environment(run_module, webex, monkeypatch):
    webex.add('r1', status='available')
    monkeypatch.setenv('WEBEX_ACCESS_TOKEN', ADMIN_TOKEN)
    monkeypatch.setenv('WEBEX_API_URL', 'https://env.test/v1')
    monkeypatch.setenv('WEBEX_VALIDATE_CERTS', 'false')
    outcome = run_module({'recording_ids': ['r1']}, with_token=False, with_api=False)
    assert not outcome.failed, outcome.result
    request = webex.transport.sent[0]
    assert request.url == 'https://env.test/v1/convergedRecordings/r1'
    assert request.headers['Authorization'] == 'Bearer ' + ADMIN_TOKEN
    assert webex.transport.send_kwargs[0]['verify'] is False


def test_several_planner_rules_are_reported_together(run_module, webex):
    outcome = run_module({'recording_ids': [' '], 'lookback_days': 0, 'max_concurrency': 99})
    message = outcome.result['msg']
    assert 'recording_ids' in message and 'lookback_days' in message and 'max_concurrency' in message
    assert webex.calls() == []
