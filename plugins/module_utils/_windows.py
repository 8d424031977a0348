# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""Time: the one parser of every time the collection reads (options, listed recordings), and the
creation-time windows a listing is cut into. Pure: no HTTP, no AnsibleModule."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re
from datetime import datetime, timedelta, timezone

MAX_WINDOW_DAYS = 30        # the admin listing takes a from..to window of at most 30 days
# One day inside that limit: a stricter reading of "within 30 days" or a server clock ahead of ours
# must not refuse every listing. W = ceil((lookback_days + 1) / 29): still 13 for the default 365.
WINDOW_DAYS = MAX_WINDOW_DAYS - 1
PAGE_SIZE = 100             # the most items a listing answers per page
_SHAPE_RE = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}')

_DATE_RE = re.compile(r'^(\d{4})-(\d{2})-(\d{2})$')
# RFC 3339 / ISO 8601 date-time: T or blank, seconds and fraction optional, Z or +hh:mm / -hh:mm / +hhmm.
_DATETIME_RE = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*([Zz]|[+-]\d{2}:?\d{2})?$')


def utc_now():
    return datetime.now(timezone.utc)


def parse_time(text):
    """An ISO 8601 date (midnight UTC) or date-time as an aware datetime, or None when unreadable.

    Every form Webex may send or a user may write: ``2024-10-04T16:24:25Z``, an offset
    (``2023-10-31T16:24:12+08:00``), fractional seconds (``...25.123Z``); no offset means UTC.
    Two times are compared as instants, whatever their forms.
    """
    text = str(text or '').strip()
    match = _DATE_RE.match(text)
    if match:
        fields, fraction, offset = match.groups() + ('00', '00', '00'), None, None
    else:
        match = _DATETIME_RE.match(text)
        if not match:
            return None
        groups = match.groups()
        fields, fraction, offset = groups[:5] + (groups[5] or '00',), groups[6], groups[7]
    try:
        moment = datetime(*[int(field) for field in fields],
                          microsecond=int((fraction or '0')[:6].ljust(6, '0')))
    except ValueError:
        return None
    if offset is None or offset in 'Zz':
        return moment.replace(tzinfo=timezone.utc)
    digits = offset[1:].replace(':', '')
    if int(digits[:2]) > 23 or int(digits[2:]) > 59:
        return None
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return moment.replace(tzinfo=timezone(-delta if offset[0] == '-' else delta))


def format_time(moment):
    """The form the collection sends: UTC, whole seconds, ``Z``."""
    return moment.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def _whole_seconds(moment):
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def windows_between(start, end):
    """Contiguous (from, to) ISO 8601 windows covering [start, end), newest first, each of at most
    WINDOW_DAYS (29) days."""
    start, end = _whole_seconds(start), _whole_seconds(end)
    windows = []
    window_end = end
    while window_end > start:
        window_start = max(start, window_end - timedelta(days=WINDOW_DAYS))
        windows.append((format_time(window_start), format_time(window_end)))
        window_end = window_start
    return windows


def lookback_windows(now, lookback_days):
    """The windows of [now - lookback_days, now + 1 day): the end lies in the future so that a
    recording created "just now" (or by a server whose clock is ahead) is not missed."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    now = _whole_seconds(now)
    return windows_between(now - timedelta(days=lookback_days), now + timedelta(days=1))


def sub_window_count(dense_windows, max_concurrency):
    """Into how many pieces each of ``dense_windows`` windows (first page full, more pages linked) may
    be cut: enough to give every worker a task, ceil(max_concurrency / dense), when there are fewer
    dense windows than workers; else 1 (their cursors are followed: splitting would only add reads)."""
    if dense_windows < 1 or dense_windows >= max_concurrency:
        return 1
    return -(-max_concurrency // dense_windows)


def dense_window_parts(window, create_times, parts):
    """The sub-windows a dense window is read as, or None to follow its cursor instead.

    ``create_times``: the creation times (text, any form parse_time reads) of the window's first page.
    A hint, never a condition of correctness: the oldest of them estimates the window's density (a
    server listing newest first has read [oldest, end) on that page). The window is split only when
    the estimate exceeds 2 x ``parts`` pages, into [oldest, end) (re-read whole: nothing is assumed
    about what the first page held) and ``parts`` equal pieces of [start, oldest). Together they are
    the whole window, half-open: every recording falls in exactly one of them, whatever the order
    the server lists in. The cut at ``oldest`` is taken at whole seconds, the form windows are sent in.
    """
    start, end = [parse_time(text) for text in window]
    times = [moment for moment in (parse_time(text) for text in create_times if text) if moment is not None]
    if start is None or end is None or parts < 2 or not times:
        return None
    oldest = _whole_seconds(min(times))
    if not start < oldest < end:
        return None
    estimated_pages = len(create_times) * (end - start).total_seconds() / (end - oldest).total_seconds() / PAGE_SIZE
    seconds = int((oldest - start).total_seconds())
    if estimated_pages < 2 * parts or seconds < parts:
        return None
    cuts = [start + timedelta(seconds=seconds * index // parts) for index in range(parts)] + [oldest]
    return [(format_time(oldest), format_time(end))] + [(format_time(cuts[index]), format_time(cuts[index + 1]))
                                                        for index in range(parts)]


def instant_key(texts):
    """A sort key of times (texts) by instant. When every text has the same form (same length, same offset,
    a full date-time) the text itself sorts as its instant does, at no parsing cost (50,000 recordings of a
    large bin); otherwise each is parsed. A missing or unreadable time sorts oldest."""
    present = [text for text in texts if text]
    if present:
        length, offset = len(present[0]), _offset_of(present[0])
        if all(len(text) == length and _offset_of(text) == offset and _SHAPE_RE.match(text) for text in present):
            return lambda text: text or ''
    oldest = datetime.min.replace(tzinfo=timezone.utc)
    return lambda text: parse_time(text) or oldest


def _offset_of(text):
    return 'Z' if text[-1:] in ('Z', 'z') else text[-6:]


def newest_first(recordings):
    """Recordings (the collection's fields) newest first, ties by id: an order of our own, so that the
    result depends neither on how the listing was cut nor on the order the server used. Times are
    compared as instants, whatever form the server wrote them in."""
    recordings = sorted(recordings, key=lambda recording: str(recording.get('id')))
    key = instant_key([recording.get('create_time') for recording in recordings])
    return sorted(recordings, key=lambda recording: key(recording.get('create_time')), reverse=True)
