# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The restore options beside the selection, on their own: their argspec entries, the argspec rules,
and every rule the argspec cannot express (messages name the option and the rule)."""

from datetime import datetime, timezone

import pytest

from ansible_collections.webexops.recordings.plugins.module_utils import _restore_options as options
from ansible_collections.webexops.recordings.plugins.module_utils import _selection as selection
from ansible_collections.webexops.recordings.plugins.module_utils._connection import validate_connection

NOW = datetime(2026, 3, 15, 12, 30, 45, 123456, tzinfo=timezone.utc)

BASE = {'access_token': 'tok', 'api_url': 'https://webexapis.com/v1', 'timeout': 30, 'retry_max_wait': 120,
        'recording_ids': None, 'restore_all': None, 'owner_email': None, 'owner_emails': None,
        'lookback_days': 365, 'max_concurrency': 4}


@pytest.mark.parametrize('change, fragment', [
    ({'recording_ids': ['a']}, None),
    ({'access_token': None, 'recording_ids': ['a']}, 'access_token is required'),
    ({'access_token': '  ', 'recording_ids': ['a']}, 'access_token is required'),
    ({'recording_ids': []}, None),
    ({'recording_ids': ['a', ' ', '']}, "recording_ids item 3 (''): an id must not be empty or blank"),
    ({'recording_ids': ['a', '..']}, "recording_ids item 2 ('..'): an id must not be \".\" or \"..\""),
    ({'restore_all': False, 'owner_email': 'a@b.example'}, 'owner_email requires restore_all: true'),
    ({'restore_all': True, 'owner_email': 'not-an-email'}, 'owner_email must be an email address'),
    ({'restore_all': False}, 'restore_all is false and neither recording_ids, owner_emails nor all_owners: true is set: nothing to restore'),
    ({'owner_emails': []}, 'owner_emails must not be an empty list'),
    ({'owner_emails': ['a@b.example', 'bad@', '']}, "owner_emails must hold email addresses only, got 'bad@', ''"),
    ({'recording_ids': ['a'], 'lookback_days': 0}, 'lookback_days must be at least 1'),
    ({'recording_ids': ['a'], 'lookback_days': 3650}, None),
    ({'recording_ids': ['a'], 'lookback_days': 3651}, 'lookback_days must be at most 3650'),
    ({'recording_ids': ['a'], 'ca_path': '/nonexistent/ca.pem'}, 'ca_path must name an existing CA bundle'),
    ({'recording_ids': ['a'], 'ca_path': '/nonexistent/ca.pem', 'validate_certs': False}, None),
    ({'recording_ids': ['a'], 'max_concurrency': 0}, 'max_concurrency must be between 1 and 32'),
    ({'recording_ids': ['a'], 'max_concurrency': 33}, 'max_concurrency must be between 1 and 32'),
    ({'recording_ids': ['a'], 'api_url': 'ftp://x'}, 'api_url must be an http:// or https:// URL'),
    ({'recording_ids': ['a'], 'timeout': 0}, 'timeout must be greater than 0'),
    ({'recording_ids': ['a'], 'retry_max_wait': -1}, 'retry_max_wait must be 0 (never retry) or more'),
])
def test_validate_params(change, fragment):
    params = dict(BASE, **change)
    errors = validate_connection(params) + options.validate_restore(params) + selection.validate_selection(params, NOW)
    if fragment is None:
        assert errors == []
    else:
        assert any(fragment in error for error in errors), errors


@pytest.mark.parametrize('change, fragment', [
    ({'all_owners': True, 'max_restores': 10}, None),
    ({'all_owners': True, 'max_restores': 0}, None),
    ({'owner_emails': ['a@b.example'], 'max_restores': 5}, None),
    ({'restore_all': True, 'owner_email': 'a@b.example'}, None),
    ({'restore_all': True}, None),
    ({'all_owners': True}, 'all_owners requires max_restores'),
    ({'all_owners': False}, 'restore_all is false and neither recording_ids, owner_emails nor all_owners: true is set'),
    ({'all_owners': True, 'restore_all': True, 'max_restores': 1}, 'restore_all and all_owners are mutually exclusive'),
    ({'owner_emails': ['a@b.example'], 'max_restores': -1}, 'max_restores must be 0 or more, got -1'),
    ({'restore_all': None, 'owner_email': 'a@b.example'}, 'owner_email requires restore_all: true'),
    ({'recording_ids': ['a'], 'max_restores': 1}, None),
    ({'recording_ids': [], 'max_restores': 0}, None),
])
def test_validate_restore_only(change, fragment):
    errors = options.validate_restore(dict(BASE, **change))
    if fragment is None:
        assert errors == []
    else:
        assert any(fragment in error for error in errors), errors


def test_several_problems_are_reported_together_in_option_order():
    errors = options.validate_restore(dict(BASE, recording_ids=['ok', '', 'a/b'], max_restores=-2))
    assert errors == ["recording_ids item 2 (''): an id must not be empty or blank",
                      "recording_ids item 3 ('a/b'): an id must not contain \"/\" or \"\\\" (it must travel as exactly one URL "
                      'path segment)',
                      'max_restores must be 0 or more, got -2']


def test_an_empty_id_list_is_accepted_and_says_so_in_the_result():
    assert options.validate_restore(dict(BASE, recording_ids=[])) == []
    assert options.with_message(dict(BASE, recording_ids=[]), {'changed': False}) == {
        'changed': False, 'msg': 'recording_ids is empty: nothing to restore, no request was sent'}
    assert options.with_message(dict(BASE, recording_ids=['a']), {'changed': True}) == {'changed': True}


def test_argument_spec_of_the_restore_options():
    spec = options.restore_argument_spec()
    assert spec == {
        'recording_ids': {'type': 'list', 'elements': 'str'},
        'restore_all': {'type': 'bool'},
        'on_missing': {'type': 'str', 'choices': ['fail', 'warn'], 'default': 'fail', 'aliases': ['missing']},
        'max_restores': {'type': 'int'},
        'journal_path': {'type': 'path'},
    }
    assert not set(spec) & set(selection.selection_argument_spec())


def test_rules_keep_recording_ids_apart_from_every_selection_option():
    exclusive = set(options.RESTORE_RULES['mutually_exclusive'])
    for name in selection.FILTER_OPTIONS + ('created_after', 'created_before', 'owner_email', 'owner_emails', 'restore_all'):
        assert ('recording_ids', name) in exclusive, name
    assert ('owner_email', 'owner_emails') in exclusive and ('restore_all', 'owner_emails') in exclusive
    # all_owners is checked by validate_restore: an explicit all_owners: false must not count as set
    assert not [pair for pair in exclusive if 'all_owners' in pair]
    assert options.RESTORE_RULES['required_one_of'] == [('recording_ids', 'restore_all', 'owner_emails', 'all_owners')]
    assert options.RESTORE_RULES['required_by'] == {'owner_email': 'restore_all'}
    every_option = set(options.restore_argument_spec()) | set(selection.selection_argument_spec())
    named = set(name for pair in exclusive for name in pair) | set(options.RESTORE_RULES['required_one_of'][0])
    assert named <= every_option
