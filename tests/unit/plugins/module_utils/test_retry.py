# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Retry timing with an injected clock, sleep and random source: nothing waits for real."""

from email.utils import formatdate

import pytest

from ansible_collections.webexops.recordings.plugins.module_utils import _retry
from ansible_collections.webexops.recordings.plugins.module_utils._retry import RetryPolicy, parse_retry_after

NOW = 1_800_000_000.0


def policy(max_wait=120, rand=0.5):
    slept = []
    return RetryPolicy(max_wait, sleep=slept.append, clock=lambda: NOW, rand=lambda: rand), slept


def test_retry_after_seconds():
    p, dummy = policy()
    assert p.retry_after_delay('7') == 7
    assert p.retry_after_delay(' 2.5 ') == 2.5


def test_retry_after_http_date():
    p, dummy = policy()
    assert p.retry_after_delay(formatdate(NOW + 12, usegmt=True)) == pytest.approx(12)
    # a date in the past means "now"
    assert p.retry_after_delay(formatdate(NOW - 30, usegmt=True)) == 0


def test_retry_after_default_when_absent_or_unreadable():
    p, dummy = policy()
    assert p.retry_after_delay(None) == 5
    assert p.retry_after_delay('') == 5
    assert p.retry_after_delay('soon') == 5
    assert parse_retry_after('soon', NOW) is None


def test_retry_after_is_capped_at_60_seconds():
    p, dummy = policy()
    assert p.retry_after_delay('3600') == 60
    assert p.retry_after_delay(formatdate(NOW + 600, usegmt=True)) == 60


@pytest.mark.parametrize('attempt, ceiling', [(0, 1), (1, 2), (2, 4), (3, 8), (4, 16), (5, 30), (9, 30)])
def test_exponential_backoff_bounds_with_jitter(attempt, ceiling):
    low, dummy = policy(rand=0.0)
    high, dummy = policy(rand=0.999999)
    assert low.backoff_delay(attempt) == pytest.approx(ceiling / 2)
    assert high.backoff_delay(attempt) == pytest.approx(ceiling, rel=1e-5)
    mid, dummy = policy(rand=0.5)
    assert ceiling / 2 <= mid.backoff_delay(attempt) <= ceiling


def test_budget_is_consumed_and_refuses_a_wait_that_does_not_fit():
    p, slept = policy(max_wait=10)
    assert p.consume(6) is True
    assert p.consume(5) is False          # 6 + 5 > 10: no sleep at all
    assert p.consume(4) is True
    assert slept == [6, 4]
    assert p.remaining == 0
    note = p.exhausted_note(1)
    assert 'retry budget exhausted' in note and 'retry_max_wait=10s' in note


def test_zero_budget_never_retries():
    p, slept = policy(max_wait=0)
    assert p.consume(0.1) is False
    assert slept == []
    assert 'retry_max_wait=0' in p.exhausted_note(1)


@pytest.mark.parametrize('method, status, decision', [
    ('GET', 429, _retry.RETRY_AFTER), ('GET', 423, _retry.RETRY_AFTER), ('GET', 502, _retry.BACKOFF),
    ('GET', 503, _retry.BACKOFF), ('GET', 504, _retry.BACKOFF), ('GET', 500, _retry.FAIL), ('GET', 404, _retry.FAIL),
    ('POST', 429, _retry.RETRY_AFTER), ('POST', 423, _retry.RETRY_AFTER), ('POST', 500, _retry.OUTCOME_UNKNOWN),
    ('POST', 502, _retry.OUTCOME_UNKNOWN), ('POST', 503, _retry.OUTCOME_UNKNOWN), ('POST', 504, _retry.OUTCOME_UNKNOWN),
    ('POST', 400, _retry.FAIL), ('POST', 403, _retry.FAIL),
])
def test_status_decisions(method, status, decision):
    assert RetryPolicy.classify_status(method, status) == decision


@pytest.mark.parametrize('method, kind, decision', [
    ('GET', _retry.NOT_SENT, _retry.BACKOFF), ('GET', _retry.SENT_NO_ANSWER, _retry.BACKOFF), ('GET', _retry.FATAL, _retry.FAIL),
    ('POST', _retry.NOT_SENT, _retry.BACKOFF), ('POST', _retry.SENT_NO_ANSWER, _retry.OUTCOME_UNKNOWN),
    ('POST', _retry.FATAL, _retry.FAIL),
])
def test_transport_decisions(method, kind, decision):
    assert RetryPolicy.classify_exception(method, kind) == decision
