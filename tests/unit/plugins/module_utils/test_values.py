# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""What a value means, on its own: blank, email, recording id, owner keys, de-duplication, and the
concurrency bounds several files share."""

import pytest

from ansible_collections.webexops.recordings.plugins.module_utils import _values as values


@pytest.mark.parametrize('value, blank', [(None, True), ('', True), ('  \t', True), ('x', False), (' x ', False), (0, False)])
def test_is_blank(value, blank):
    assert values.is_blank(value) is blank


@pytest.mark.parametrize('value, valid', [
    ('alice@example.com', True), (' Alice@Example.COM ', True), ('a.b+c@sub.example.org', True),
    ('bad@', False), ('@example.com', False), ('alice@example', False), ('al ice@example.com', False),
    ('alice@@example.com', False), ('', False), (None, False),
])
def test_is_email(value, valid):
    assert values.is_email(value) is valid


@pytest.mark.parametrize('value, problem', [
    ('0f7c3a52-9c1e-4f4e-8f0a-6a8d3b1c2e4f', None),
    ('  padded-id  ', None),
    ('Y2lzY29zcGFyazovL3VzL1JFQ09SRElORy8x=', None),
    ('a.b..c', None),
    ('...', None),
    ('%2e%2e', None),
    ('.', 'must not be "." or ".."'),
    ('..', 'must not be "." or ".."'),
    (' .. ', 'must not be "." or ".."'),
    ('a/b', 'must not contain "/"'),
    ('a\\b', 'must not contain "/"'),
    ('', 'must not be empty or blank'),
    (None, 'must not be empty or blank'),
    ('a b', 'blanks or control characters'),
    ('a\u0085b', 'blanks or control characters'),
    ('a\x1bb', 'blanks or control characters'),
])
def test_id_problem(value, problem):
    found = values.id_problem(value)
    if problem is None:
        assert found is None
    else:
        assert problem in found


def test_email_key_compares_case_and_blank_insensitively():
    assert values.email_key(' Alice@Example.COM ') == values.email_key('alice@example.com')
    assert values.email_key(None) == ''


def test_owner_key_is_the_email_else_the_owner_id():
    assert values.owner_key(' Alice@Example.com ', 'A') == 'Alice@Example.com'
    assert values.owner_key(None, 'WS-1') == 'WS-1'
    assert values.owner_key('  ', 'WS-1') == 'WS-1'
    assert values.owner_key(None, None) == ''


def test_match_key_folds_emails_but_not_owner_ids():
    assert values.match_key('Alice@Example.com') == values.match_key('alice@example.com') == 'alice@example.com'
    # owner ids are opaque: their case is significant
    assert values.match_key('WS-1') == 'WS-1' and values.match_key('WS-1') != values.match_key('ws-1')


def test_unique_ids_keep_first_appearance():
    assert values.unique_ids(['b', 'a', 'b', ' c ', 'a', 'c']) == ['b', 'a', 'c']
    assert values.unique_ids(None) == []


def test_unique_owners_compare_as_email_key_and_keep_the_first_spelling():
    assert values.unique_owners([' alice@Example.com', 'ALICE@example.com', 'bob@example.com']) == ['alice@Example.com', 'bob@example.com']
    assert values.unique_owners(None) == []


def test_concurrency_bounds():
    assert values.MIN_CONCURRENCY <= values.DEFAULT_MAX_CONCURRENCY <= values.MAX_CONCURRENCY
    assert (values.MIN_CONCURRENCY, values.DEFAULT_MAX_CONCURRENCY, values.MAX_CONCURRENCY) == (1, 4, 32)
