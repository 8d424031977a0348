# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The selection vocabulary on its own: the doc fragment equals the argspec, every rule the argspec
cannot express, the filters handed to the API profile, whose recordings are read, the creation window
and its listing windows, the info module's listing result. (The times themselves: test_windows.py.)"""

from datetime import datetime, timedelta, timezone

import pytest
import yaml

from ansible_collections.webexops.recordings.plugins.doc_fragments.selection import ModuleDocFragment
from ansible_collections.webexops.recordings.plugins.module_utils import _selection as selection

NOW = datetime(2026, 11, 30, 12, 0, 0, tzinfo=timezone.utc)
BASE = {'owner_email': None, 'owner_emails': None, 'all_owners': None, 'location_id': None, 'owner_type': None,
        'service_type': None, 'topic': None, 'created_after': None, 'created_before': None, 'lookback_days': 365,
        'max_concurrency': 4}


def test_fragment_documents_exactly_the_argspec():
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    spec = selection.selection_argument_spec()
    assert set(documented) == set(spec)
    for name, entry in spec.items():
        assert documented[name]['type'] == entry['type']
        assert documented[name].get('default') == entry.get('default')
        assert documented[name].get('choices') == entry.get('choices')
        assert documented[name].get('elements') == entry.get('elements')


@pytest.mark.parametrize('change, fragment', [
    ({}, None),
    ({'owner_email': 'a@example.com'}, None),
    ({'all_owners': True, 'location_id': 'L1', 'owner_type': 'place', 'service_type': 'calling', 'topic': 'x',
      'created_after': '2026-11-01', 'created_before': '2026-11-20T08:00:00+01:00'}, None),
    ({'all_owners': False, 'owner_emails': ['a@example.com']}, None),
    ({'owner_email': 'a@example.com', 'all_owners': True}, 'owner_email and all_owners are mutually exclusive'),
    ({'owner_emails': ['a@example.com'], 'all_owners': True}, 'owner_emails and all_owners are mutually exclusive'),
    ({'owner_email': 'not-an-email'}, "owner_email must be an email address, got 'not-an-email'"),
    ({'owner_emails': []}, 'owner_emails must not be an empty list'),
    ({'owner_emails': ['a@example.com', 'bad@']}, "owner_emails must hold email addresses only, got 'bad@'"),
    ({'location_id': '  '}, 'location_id must not be empty'),
    ({'topic': ''}, 'topic must not be empty'),
    ({'created_after': 'yesterday'}, 'created_after must be an ISO 8601 date'),
    ({'created_before': '2026-13-01'}, 'created_before must be an ISO 8601 date'),
    ({'created_after': '2026-12-01'}, 'created_after must not be in the future'),
    ({'created_before': '2026-11-30T13:00:00Z'}, 'created_before must not be in the future'),
    ({'created_after': '2026-11-20', 'created_before': '2026-11-10'}, 'created_after (2026-11-20) must be before created_before'),
    ({'created_after': '2026-11-20', 'created_before': '2026-11-20'}, 'must be before created_before'),
    ({'lookback_days': 0}, 'lookback_days must be at least 1'),
    ({'max_concurrency': 33}, 'max_concurrency must be between 1 and 32'),
])
def test_validate_selection(change, fragment):
    errors = selection.validate_selection(dict(BASE, **change), NOW)
    if fragment is None:
        assert errors == []
    else:
        assert any(fragment in error for error in errors), errors


def test_filters_sent_to_the_api_and_whether_the_selection_is_narrowed():
    params = dict(BASE, location_id=' L1 ', owner_type='virtualLine', service_type='customerAssist', topic='Weekly')
    assert selection.filters(params) == {'location_id': 'L1', 'owner_type': 'virtualLine', 'service_type': 'customerAssist',
                                         'topic': 'Weekly'}
    assert tuple(selection.filters(params)) == tuple(name for name in selection.FILTER_OPTIONS if name != 'meeting_id')
    assert selection.has_filter(params)
    assert not selection.has_filter(BASE) and selection.filters(BASE) == {}
    assert selection.has_filter(dict(BASE, created_before='2026-11-01'))


def test_creation_window_replaces_the_lookback():
    windows = selection.listing_windows(dict(BASE, created_after='2026-10-01', created_before='2026-11-15'), NOW)
    assert windows[0][1] == '2026-11-15T00:00:00Z' and windows[-1][0] == '2026-10-01T00:00:00Z'
    assert len(windows) == 2   # 45 days in windows of 29
    only_after = selection.listing_windows(dict(BASE, created_after='2026-11-20'), NOW)
    assert only_after == [('2026-11-20T00:00:00Z', '2026-12-01T12:00:00Z')]   # up to now + 1 day
    only_before = selection.listing_windows(dict(BASE, created_before='2026-11-01', lookback_days=40), NOW)
    assert only_before[-1][0] == (NOW - timedelta(days=40)).strftime('%Y-%m-%dT%H:%M:%SZ')
    assert len(selection.listing_windows(BASE, NOW)) == 13
    # any form parse_time reads: sent in UTC, whole seconds
    offsets = selection.listing_windows(dict(BASE, created_after='2026-11-20T08:00:00+08:00', created_before='2026-11-25T07:30:00.75-0500'), NOW)
    assert offsets == [('2026-11-20T00:00:00Z', '2026-11-25T12:30:00Z')]


def test_describe_and_listing_result_key_owners_by_email_or_id():
    assert selection.describe(dict(BASE, all_owners=True, service_type='calling', created_after='2026-11-01')) == {
        'whose': 'all_owners', 'filters': {'service_type': 'calling'}, 'created_after': '2026-11-01'}
    assert selection.describe(BASE) == {'whose': 'caller', 'filters': {}, 'lookback_days': 365}
    # listed recordings come in the collection's fields (the API profile mapped them: test_converged.py)
    recordings = [
        {'id': '1', 'owner_email': 'Alice@example.com', 'owner_id': 'A', 'location_id': 'L1'},
        {'id': '2', 'owner_email': 'alice@example.com', 'owner_id': 'A', 'location_id': None},
        {'id': '3', 'owner_email': None, 'owner_id': 'WS-1', 'owner_type': 'place'},
    ]
    result = selection.listing_result(recordings)
    assert result['count'] == 3
    assert result['count_by_owner'] == {'Alice@example.com': 2, 'WS-1': 1}
    assert result['recordings'] == recordings
    assert result['recordings'][0]['location_id'] == 'L1' and result['recordings'][1]['location_id'] is None
    assert result['recordings'][2]['owner_type'] == 'place' and result['recordings'][2]['owner_email'] is None
    assert selection.listing_result([]) == {'recordings': [], 'count': 0, 'count_by_owner': {}}


@pytest.mark.parametrize('change, option, whose', [
    ({}, None, 'caller'),
    ({'all_owners': False}, None, 'caller'),
    ({'owner_email': 'a@example.com'}, 'owner_email', 'owners'),
    ({'owner_emails': ['a@example.com', 'b@example.com']}, 'owner_emails', 'owners'),
    ({'owner_emails': ['a@example.com'], 'all_owners': False}, 'owner_emails', 'owners'),
    ({'all_owners': True}, 'all_owners', 'all_owners'),
])
def test_owner_option_names_whose_recordings_are_read(change, option, whose):
    params = dict(BASE, **change)
    assert selection.owner_option(params) == option
    assert selection.describe(params)['whose'] == whose
    assert whose in selection.WHOSE


@pytest.mark.parametrize('change, errors', [
    ({}, []),
    ({'lookback_days': None, 'max_concurrency': None}, []),
    ({'lookback_days': 1, 'max_concurrency': 1}, []),
    ({'max_concurrency': 32}, []),
    ({'lookback_days': -3}, ['lookback_days must be at least 1, got -3']),
    ({'lookback_days': 3650}, []),
    ({'lookback_days': 3651}, ['lookback_days must be at most 3650 (ten years; Webex keeps call recordings about a year, '
                               'and every 29 days cost one more read), got 3651']),
    ({'lookback_days': 0, 'max_concurrency': 0}, ['lookback_days must be at least 1, got 0', 'max_concurrency must be between 1 and 32, got 0']),
])
def test_validate_reading(change, errors):
    assert selection.validate_reading(dict(BASE, **change)) == errors
