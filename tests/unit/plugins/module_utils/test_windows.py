# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Time on its own: the one time parser (every form Webex or a user may write), the form times are
sent in, the listing windows, the sub-windows of a dense window, and the order of listed recordings."""

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.webexops.recordings.plugins.module_utils import _windows as windows_

NOW = datetime(2026, 3, 15, 12, 30, 45, 123456, tzinfo=timezone.utc)


def parse(text):
    return datetime.strptime(text, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=timezone.utc)


# -- parse_time, format_time ----------------------------------------------------------------------

@pytest.mark.parametrize('text, expected', [
    ('2026-11-01', datetime(2026, 11, 1, tzinfo=timezone.utc)),
    ('2026-11-01T08:30:00Z', datetime(2026, 11, 1, 8, 30, tzinfo=timezone.utc)),
    ('2026-11-01T08:30Z', datetime(2026, 11, 1, 8, 30, tzinfo=timezone.utc)),
    ('2026-11-01T08:30:00', datetime(2026, 11, 1, 8, 30, tzinfo=timezone.utc)),          # no offset: UTC
    ('2026-11-01 08:30:15.250', datetime(2026, 11, 1, 8, 30, 15, 250000, tzinfo=timezone.utc)),
    ('2026-11-01T08:30:00+02:00', datetime(2026, 11, 1, 6, 30, tzinfo=timezone.utc)),
    ('2026-11-01T08:30:00-0500', datetime(2026, 11, 1, 13, 30, tzinfo=timezone.utc)),
    ('2024-10-04T16:24:25Z', datetime(2024, 10, 4, 16, 24, 25, tzinfo=timezone.utc)),
    ('2023-10-31T16:24:12+08:00', datetime(2023, 10, 31, 8, 24, 12, tzinfo=timezone.utc)),
    ('2023-10-31T16:24:12-05:00', datetime(2023, 10, 31, 21, 24, 12, tzinfo=timezone.utc)),
    ('2024-10-04T16:24:25.5Z', datetime(2024, 10, 4, 16, 24, 25, 500000, tzinfo=timezone.utc)),
    ('2024-10-04T16:24:25.123456Z', datetime(2024, 10, 4, 16, 24, 25, 123456, tzinfo=timezone.utc)),
    ('2024-10-04T16:24:25.1234567Z', datetime(2024, 10, 4, 16, 24, 25, 123456, tzinfo=timezone.utc)),   # truncated
    ('2024-10-04T16:24:25.9999999Z', datetime(2024, 10, 4, 16, 24, 25, 999999, tzinfo=timezone.utc)),   # never rounded up
    ('2024-10-04T16:24:25.123+01:00', datetime(2024, 10, 4, 15, 24, 25, 123000, tzinfo=timezone.utc)),
    ('2024-10-04T00:30:00+01:00', datetime(2024, 10, 3, 23, 30, tzinfo=timezone.utc)),        # the day before in UTC
    ('  2026-11-01T08:30:00Z  ', datetime(2026, 11, 1, 8, 30, tzinfo=timezone.utc)),
])
def test_parse_time(text, expected):
    moment = windows_.parse_time(text)
    assert moment == expected
    assert moment.utcoffset() is not None   # always aware


@pytest.mark.parametrize('text', [
    '01/11/2026', '2026-02-30', '2026-13-01', '2026-00-10', '2026-04-31', '2026-11-00', '2026-11-32',
    '2026-02-30T08:00:00Z', '2026-13-01T08:00:00Z', '2026-11-01T25:00:00Z', '2026-11-01T08:60:00Z',
    '2026-11-01T08:30:61Z', '2026-11-01T08:30:00+24:00', '2026-11-01T08:30:00-24:00', '2026-11-01T08:30:00+2400',
    '2026-11-01T08:30:00+25:00', '2026-11-01T08:30:00.Z', '2026-11-01T08:30:00+8', '2026-11-01T8:30:00Z',
    'yesterday', '2026-11-01Tnoon', '', '   ', None,
])
def test_parse_time_refuses_what_it_cannot_read(text):
    assert windows_.parse_time(text) is None


def test_parse_time_accepts_the_largest_offsets_below_a_day():
    assert windows_.parse_time('2026-11-01T08:30:00+23:59') == datetime(2026, 11, 1, 8, 31, tzinfo=timezone.utc) - timedelta(days=1)
    assert windows_.parse_time('2026-11-01T08:30:00-23:59') == datetime(2026, 11, 2, 8, 29, tzinfo=timezone.utc)


def test_parse_time_refuses_offset_minutes_beyond_59():
    # +05:75 is no offset (minutes run 00-59): it must not be read as +06:15.
    assert windows_.parse_time('2026-11-01T08:30:00+05:75') is None
    assert windows_.parse_time('2026-11-01T08:30:00-0099') is None


@pytest.mark.parametrize('forms', [
    ('2024-10-04T16:24:25Z', '2024-10-05T00:24:25+08:00', '2024-10-04T11:24:25-0500', '2024-10-04T16:24:25.000Z',
     '2024-10-04T17:24:25.0000000+01:00', '2024-10-04 16:24:25', '2024-10-04T16:24:25+00:00', '2024-10-04t16:24:25z'),
    ('2024-10-04', '2024-10-04T00:00:00Z', '2024-10-04T08:00:00+08:00', '2024-10-03T19:00:00-0500'),
])
def test_the_same_instant_in_every_form_compares_equal(forms):
    moments = [windows_.parse_time(text) for text in forms]
    assert None not in moments
    assert len(set(moments)) == 1
    assert len(set(windows_.format_time(moment) for moment in moments)) == 1


def test_format_time_is_utc_whole_seconds_with_z():
    assert windows_.format_time(NOW) == '2026-03-15T12:30:45Z'
    assert windows_.format_time(windows_.parse_time('2023-10-31T16:24:12.987+08:00')) == '2023-10-31T08:24:12Z'
    assert windows_.parse_time(windows_.format_time(NOW)) == NOW.replace(microsecond=0)


def test_utc_now_is_aware_utc():
    assert windows_.utc_now().utcoffset() == timedelta(0)


# -- listing windows ------------------------------------------------------------------------------

@pytest.mark.parametrize('days', [1, 29, 30, 59, 60, 365, 400])
def test_windows_cover_lookback_to_tomorrow_contiguously(days):
    windows = windows_.lookback_windows(NOW, days)
    # W = ceil((days + 1) / 29): the formula the module documents
    assert len(windows) == -(-(days + 1) // 29)
    starts = [parse(window[0]) for window in windows]
    ends = [parse(window[1]) for window in windows]
    # newest first, contiguous, each at most 29 days (inside the 30 the admin listing allows)
    assert ends[0] == (NOW + timedelta(days=1)).replace(microsecond=0)
    assert starts[-1] <= NOW - timedelta(days=days)
    assert starts[-1] > NOW - timedelta(days=days, seconds=1)
    for index in range(1, len(windows)):
        assert ends[index] == starts[index - 1]
    for start, end in zip(starts, ends):
        assert timedelta(0) < end - start <= timedelta(days=29)


def test_default_lookback_needs_13_windows():
    assert len(windows_.lookback_windows(NOW, 365)) == 13
    assert windows_.WINDOW_DAYS == windows_.MAX_WINDOW_DAYS - 1 == 29


def test_windows_accept_naive_utc():
    assert windows_.lookback_windows(NOW.replace(tzinfo=None), 10) == windows_.lookback_windows(NOW, 10)


def test_windows_between_any_offset_are_sent_in_utc():
    start = windows_.parse_time('2026-01-01T08:00:00+08:00')
    end = windows_.parse_time('2026-01-31T00:00:00-0100')
    assert windows_.windows_between(start, end) == [('2026-01-02T01:00:00Z', '2026-01-31T01:00:00Z'),
                                                    ('2026-01-01T00:00:00Z', '2026-01-02T01:00:00Z')]
    later, earlier = end, start
    assert windows_.windows_between(later, earlier) == []


@pytest.mark.parametrize('dense, workers, expected', [
    (0, 4, 1), (1, 4, 4), (2, 4, 2), (3, 4, 2), (4, 4, 1), (5, 4, 1), (1, 1, 1), (3, 32, 11),
])
def test_sub_window_count_gives_every_worker_a_task(dense, workers, expected):
    assert windows_.sub_window_count(dense, workers) == expected


# -- dense windows --------------------------------------------------------------------------------

WINDOW = ('2026-01-01T00:00:00Z', '2026-01-29T00:00:00Z')
# A first page of 100 recordings, newest first, created over the window's last day: ~28 pages in all.
FIRST_PAGE = [windows_.format_time(datetime(2026, 1, 29, tzinfo=timezone.utc) - timedelta(seconds=864 * (index + 1)))
              for index in range(100)]


def test_a_dense_window_is_cut_at_the_oldest_time_of_its_first_page():
    assert FIRST_PAGE[-1] == '2026-01-28T00:00:00Z'
    assert windows_.dense_window_parts(WINDOW, FIRST_PAGE, 4) == [
        ('2026-01-28T00:00:00Z', '2026-01-29T00:00:00Z'),
        ('2026-01-01T00:00:00Z', '2026-01-07T18:00:00Z'),
        ('2026-01-07T18:00:00Z', '2026-01-14T12:00:00Z'),
        ('2026-01-14T12:00:00Z', '2026-01-21T06:00:00Z'),
        ('2026-01-21T06:00:00Z', '2026-01-28T00:00:00Z'),
    ]


def _in_form(text, offset_minutes, fraction='', colon=True):
    """``text`` (UTC, Z) written at another offset (+hh:mm, or +hhmm without ``colon``), ``fraction`` appended to its seconds."""
    moment = windows_.parse_time(text).astimezone(timezone(timedelta(minutes=offset_minutes)))
    hours, minutes = divmod(abs(offset_minutes), 60)
    return '%s%s%s%02d%s%02d' % (moment.strftime('%Y-%m-%dT%H:%M:%S'), fraction, '-' if offset_minutes < 0 else '+',
                                 hours, ':' if colon else '', minutes)


@pytest.mark.parametrize('offset_minutes, colon, fraction', [
    (0, True, '.5'), (480, True, ''), (-300, False, ''), (480, True, '.5'), (-300, False, '.123456'), (330, True, '.1234567'),
    (-571, False, '.999'), (0, False, '.0'),
])
def test_times_with_offsets_or_fractions_give_the_parts_of_their_z_form(offset_minutes, colon, fraction):
    expected = windows_.dense_window_parts(WINDOW, FIRST_PAGE, 4)
    assert expected and len(expected) == 5
    written = [_in_form(text, offset_minutes, fraction, colon) for text in FIRST_PAGE]
    assert all(text != original for text, original in zip(written, FIRST_PAGE))
    # the same instants, up to the fraction
    assert [windows_.parse_time(text).replace(microsecond=0) for text in written] == [windows_.parse_time(text) for text in FIRST_PAGE]
    assert windows_.dense_window_parts(WINDOW, written, 4) == expected
    # the window itself may be written in any form too
    window = tuple(_in_form(text, offset_minutes, '', colon) for text in WINDOW)
    assert windows_.dense_window_parts(window, written, 4) == expected


def test_a_fraction_never_moves_the_cut_past_the_oldest_recording():
    # The oldest at 00:00:00.75: the cut is at 00:00:00, so [oldest, end) still holds it.
    page = FIRST_PAGE[:-1] + ['2026-01-28T00:00:00.75Z']
    parts = windows_.dense_window_parts(WINDOW, page, 4)
    assert parts[0] == ('2026-01-28T00:00:00Z', '2026-01-29T00:00:00Z')
    assert parse(parts[0][0]) <= windows_.parse_time(page[-1]) < parse(parts[0][1])


def test_the_parts_are_the_whole_window_half_open():
    parts = windows_.dense_window_parts(WINDOW, FIRST_PAGE, 3)
    assert len(parts) == 4
    pieces = sorted((parse(start), parse(end)) for start, end in parts)
    assert pieces[0][0] == parse(WINDOW[0]) and pieces[-1][1] == parse(WINDOW[1])
    assert all(earlier[1] == later[0] for earlier, later in zip(pieces, pieces[1:]))


@pytest.mark.parametrize('window, times, parts', [
    (WINDOW, FIRST_PAGE, 1),                                        # nothing to cut into
    (WINDOW, [], 4),                                                # an empty first page
    (WINDOW, [None, '', 'not a time'], 4),                          # no readable time
    (WINDOW, FIRST_PAGE[:-1] + ['2026-01-01T00:00:00Z'], 4),        # the oldest on the window's start
    (WINDOW, FIRST_PAGE[:-1] + ['2025-12-31T23:59:59Z'], 4),        # the oldest before the window
    (WINDOW, ['2026-01-29T00:00:00Z'] * 100, 4),                    # the oldest on the window's end
    (WINDOW, ['2026-01-10T00:00:00Z'] * 100, 4),                    # ~1.5 pages: following the cursor is cheaper
    (('2026-01-01', 'soon'), FIRST_PAGE, 4),                        # an unreadable window
    (('2026-01-28T00:00:00Z', '2026-01-28T00:00:05Z'), ['2026-01-28T00:00:03Z'] * 1000, 4),  # 25 pages, but 3 s for 4 parts
])
def test_no_parts_when_the_estimate_does_not_pay(window, times, parts):
    assert windows_.dense_window_parts(window, times, parts) is None


# -- order of listed recordings -------------------------------------------------------------------

def test_newest_first_compares_instants_whatever_the_form_and_ties_by_id():
    recordings = [
        {'id': 'b', 'create_time': '2026-01-01T09:00:00Z'},
        {'id': 'offset', 'create_time': '2026-01-01T10:00:00+02:00'},    # 08:00Z: older than b
        {'id': 'a', 'create_time': '2026-01-01T09:00:00Z'},
        {'id': 'fraction', 'create_time': '2026-01-01T09:00:00.5Z'},
        {'id': 'west', 'create_time': '2026-01-01T04:30:00-0500'},       # 09:30Z: the newest
        {'id': 'unknown', 'create_time': None},
        {'id': 'same', 'create_time': '2026-01-01T17:00:00+08:00'},      # 09:00Z: ties with a and b
    ]
    assert [recording['id'] for recording in windows_.newest_first(recordings)] == [
        'west', 'fraction', 'a', 'b', 'same', 'offset', 'unknown']
    assert windows_.newest_first([]) == []


def test_instant_key_sorts_texts_of_one_form_as_texts_and_mixed_forms_by_instant():
    same = ['2026-11-01T08:00:00.120+08:00', '2026-11-01T07:59:59.999+08:00', '2026-10-31T23:00:00.000+08:00']
    key = windows_.instant_key(same)
    assert key(same[0]) == same[0]                      # one form: no parsing
    assert sorted(same, key=key) == sorted(same, key=windows_.parse_time)
    mixed = ['2026-11-01T00:30:00Z', '2026-11-01T08:00:00+08:00', '2026-11-01T00:00:00.5-00:30']
    key = windows_.instant_key(mixed)
    assert sorted(mixed, key=key) == ['2026-11-01T08:00:00+08:00', '2026-11-01T00:30:00Z', '2026-11-01T00:00:00.5-00:30']
    assert key(None) < key(mixed[0]) and key('garbage') == key(None)
