# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""Retry policy of the Webex API client: which failures retry, how long to wait, the total budget.

Pure: no HTTP. The wall clock, the sleep function and the random source are injected so that
the timing can be tested without waiting.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import random
import threading
import time
from datetime import timezone
from email.utils import parsedate_to_datetime

# Statuses that mean "not processed, come back after Retry-After": safe to repeat any method.
RETRY_AFTER_STATUSES = frozenset((423, 429))
# Transient gateway statuses: a GET is repeated after an exponential backoff.
TRANSIENT_STATUSES = frozenset((502, 503, 504))
# On a POST these statuses leave the outcome unknown: the server may have applied the write.
UNKNOWN_OUTCOME_STATUSES = frozenset((500, 502, 503, 504))

# Seconds all the retries of one module run may wait in total (the option retry_max_wait).
DEFAULT_RETRY_MAX_WAIT = 120
DEFAULT_RETRY_AFTER = 5.0
MAX_SINGLE_SLEEP = 60.0
BACKOFF_BASE = 1.0
BACKOFF_CAP = 30.0

# Decisions returned by RetryPolicy.classify_status / classify_exception.
RETRY_AFTER = 'retry_after'
BACKOFF = 'backoff'
OUTCOME_UNKNOWN = 'outcome_unknown'
FAIL = 'fail'

# Kinds of transport failure, as the client classifies them.
NOT_SENT = 'not_sent'          # connection refused, DNS failure, connect timeout: the server never saw it
SENT_NO_ANSWER = 'sent_no_answer'  # read timeout, connection dropped after sending
FATAL = 'fatal'                # TLS verification, invalid URL, proxy misconfiguration: retrying cannot help

IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD', 'OPTIONS'))


def parse_retry_after(value, now):
    """Seconds to wait according to a Retry-After header value.

    Accepts an integer (or decimal) number of seconds or an HTTP date. ``now`` is the current
    wall-clock time in seconds since the epoch. Returns None when the value is absent or unreadable.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        # RFC 7231 dates are GMT; a naive result means the zone was "-0000".
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - now)


class RetryPolicy:
    """Decides whether a failed request is repeated and how long to wait first.

    Every wait is taken from one budget of ``max_wait`` seconds, shared by all the threads of the
    client (the sum of all waits never exceeds it). ``max_wait == 0`` disables retries.
    """

    def __init__(self, max_wait, sleep=time.sleep, clock=time.time, rand=random.random,
                 default_retry_after=DEFAULT_RETRY_AFTER, max_single_sleep=MAX_SINGLE_SLEEP,
                 backoff_base=BACKOFF_BASE, backoff_cap=BACKOFF_CAP):
        self.max_wait = max(0.0, float(max_wait or 0))
        self.default_retry_after = float(default_retry_after)
        self.max_single_sleep = float(max_single_sleep)
        self.backoff_base = float(backoff_base)
        self.backoff_cap = float(backoff_cap)
        self._sleep = sleep
        self._clock = clock
        self._rand = rand
        self._waited = 0.0
        self._lock = threading.Lock()

    @property
    def waited(self):
        return self._waited

    @property
    def remaining(self):
        return max(0.0, self.max_wait - self._waited)

    @property
    def enabled(self):
        return self.max_wait > 0

    @staticmethod
    def classify_status(method, status):
        """Decision for an HTTP error status answered to ``method``."""
        if status in RETRY_AFTER_STATUSES:
            return RETRY_AFTER
        if method.upper() in IDEMPOTENT_METHODS:
            return BACKOFF if status in TRANSIENT_STATUSES else FAIL
        if status in UNKNOWN_OUTCOME_STATUSES:
            return OUTCOME_UNKNOWN
        return FAIL

    @staticmethod
    def classify_exception(method, kind):
        """Decision for a transport failure of ``kind`` (NOT_SENT, SENT_NO_ANSWER, FATAL)."""
        if kind == FATAL:
            return FAIL
        if kind == NOT_SENT or method.upper() in IDEMPOTENT_METHODS:
            return BACKOFF
        return OUTCOME_UNKNOWN

    def retry_after_delay(self, header_value):
        """Wait for a 429/423: Retry-After (seconds or HTTP date), a default when absent, capped."""
        delay = parse_retry_after(header_value, self._clock())
        if delay is None:
            delay = self.default_retry_after
        return min(delay, self.max_single_sleep)

    def backoff_delay(self, attempt):
        """Exponential backoff with jitter for retry number ``attempt`` (0 for the first retry).

        The wait lies in [ceiling / 2, ceiling] where ceiling = min(cap, base * 2 ** attempt), so it
        grows exponentially and concurrent clients do not retry in lockstep.
        """
        ceiling = min(self.backoff_cap, self.backoff_base * (2 ** max(0, attempt)))
        return min(self.max_single_sleep, ceiling / 2.0 + self._rand() * ceiling / 2.0)

    def delay_for(self, decision, attempt, retry_after=None):
        if decision == RETRY_AFTER:
            return self.retry_after_delay(retry_after)
        return self.backoff_delay(attempt)

    def consume(self, delay):
        """Sleep ``delay`` seconds if the budget allows it; return False (and do not sleep) otherwise."""
        with self._lock:
            if not self.enabled or delay > self.max_wait - self._waited:
                return False
            self._waited += delay
        if delay > 0:
            self._sleep(delay)
        return True

    def exhausted_note(self, next_delay):
        """Human readable reason why no further retry happens."""
        if not self.enabled:
            return 'not retried: retries are disabled (retry_max_wait=0)'
        return ('retry budget exhausted: retry_max_wait=%gs, %.1fs already waited, the next wait (%.1fs) '
                'would exceed the remaining %.1fs' % (self.max_wait, self._waited, next_delay, self.remaining))
