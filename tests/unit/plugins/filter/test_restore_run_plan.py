# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The run plan of the recording_restore role (plugins/filter/restore_report.py, restore_run_plan): which module
runs, in which order, with which owners and ids, their labels, and the refusal of what the role cannot plan."""

import json

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.webexops.recordings.plugins.filter import restore_runs as rr

OWNERS = ['a@x.example.com', 'b@x.example.com', 'c@x.example.com', 'd@x.example.com', 'e@x.example.com']


def plan(owners=None, recording_ids=None, all_owners=False, owners_per_call=0):
    return rr.restore_run_plan(owners if owners is not None else [], recording_ids, all_owners, owners_per_call)


def test_every_owner_in_one_run_by_default():
    assert plan(OWNERS[:3]) == [{
        'index': 0, 'whose': 'owners', 'owner_emails': OWNERS[:3], 'recording_ids': [],
        'label': '3 owner(s): a@x.example.com .. c@x.example.com'}]
    assert plan(OWNERS[:1]) == [{'index': 0, 'whose': 'owners', 'owner_emails': OWNERS[:1], 'recording_ids': [],
                                 'label': '1 owner(s): a@x.example.com'}]


def test_owners_per_call_cuts_the_owners_into_chunks_in_their_order():
    calls = plan(OWNERS, owners_per_call=2)
    assert [(call['index'], call['whose'], call['owner_emails'], call['label']) for call in calls] == [
        (0, 'owners', OWNERS[0:2], '2 owner(s): a@x.example.com .. b@x.example.com'),
        (1, 'owners', OWNERS[2:4], '2 owner(s): c@x.example.com .. d@x.example.com'),
        (2, 'owners', OWNERS[4:], '1 owner(s): e@x.example.com')]
    assert plan(OWNERS, owners_per_call=5) == plan(OWNERS) == plan(OWNERS, owners_per_call=100)


def test_runs_in_order_owners_all_owners_ids():
    ids = ['r1', 'r2']
    assert plan(OWNERS[:2], ids, owners_per_call=1) == [
        {'index': 0, 'whose': 'owners', 'owner_emails': OWNERS[:1], 'recording_ids': [], 'label': '1 owner(s): a@x.example.com'},
        {'index': 1, 'whose': 'owners', 'owner_emails': OWNERS[1:2], 'recording_ids': [], 'label': '1 owner(s): b@x.example.com'},
        {'index': 2, 'whose': 'recording_ids', 'owner_emails': [], 'recording_ids': ids, 'label': '2 recording id(s)'}]
    assert plan([], ids, all_owners=True) == [
        {'index': 0, 'whose': 'all_owners', 'owner_emails': [], 'recording_ids': [], 'label': 'all owners'},
        {'index': 1, 'whose': 'recording_ids', 'owner_emails': [], 'recording_ids': ids, 'label': '2 recording id(s)'}]
    assert plan(None, None, all_owners=True) == [
        {'index': 0, 'whose': 'all_owners', 'owner_emails': [], 'recording_ids': [], 'label': 'all owners'}]
    assert plan(None, ['r1']) == [
        {'index': 0, 'whose': 'recording_ids', 'owner_emails': [], 'recording_ids': ['r1'], 'label': '1 recording id(s)'}]


def test_blanks_and_duplicates_are_dropped_owners_without_case_ids_as_they_are():
    calls = plan([' a@x.example.com ', '', None, 'B@x.example.com', 'A@X.example.com', 'b@x.example.com', '  '],
                 ['r1', ' r1', 'R1', '', None, 12345, '12345'])
    assert calls[0]['owner_emails'] == ['a@x.example.com', 'B@x.example.com']  # the first spelling of each owner
    assert calls[0]['label'] == '2 owner(s): a@x.example.com .. B@x.example.com'
    assert calls[1]['recording_ids'] == ['r1', 'R1', '12345']  # ids differ by case; a number is its text
    assert calls[1]['label'] == '3 recording id(s)'


def test_survey_like_values_are_read():
    """Values as ansible-core 2.16 to 2.18 may hand them on: text for numbers and booleans."""
    assert len(plan(OWNERS, owners_per_call='2')) == 3
    assert len(plan(OWNERS, owners_per_call=' 0 ')) == 1
    assert len(plan(OWNERS, owners_per_call=None)) == 1
    assert len(plan(OWNERS, owners_per_call=2.0)) == 3
    assert plan([], [], all_owners='yes')[0]['whose'] == 'all_owners'
    assert plan(OWNERS, all_owners='false') == plan(OWNERS)
    assert plan(tuple(OWNERS[:2]), ('r1',)) == plan(OWNERS[:2], ['r1'])


def test_the_plan_is_plain_json_data():
    calls = plan(OWNERS, ['r1'], owners_per_call=3)
    assert json.loads(json.dumps(calls)) == calls
    assert all(isinstance(value, str) for call in calls for value in call['owner_emails'] + call['recording_ids'])


@pytest.mark.parametrize('args, message', [
    (dict(owners='a@x.example.com'), 'recording_restore_owners must be a list, not str'),
    (dict(owners=[{'email': 'a@x.example.com'}]), 'recording_restore_owners must hold texts only: entry 1 is dict'),
    (dict(owners=['a@x.example.com', True]), 'recording_restore_owners must hold texts only: entry 2 is bool'),
    (dict(recording_ids={'r1': 1}), 'recording_restore_ids must be a list, not dict'),
    (dict(recording_ids=['r1', ['r2']]), 'recording_restore_ids must hold texts only: entry 2 is list'),
    (dict(owners=OWNERS, owners_per_call=-1),
     'recording_restore_owners_per_call must be a whole number, 0 or more (0: every owner in one module run), got -1'),
    (dict(owners=OWNERS, owners_per_call='two'), "recording_restore_owners_per_call must be a whole number, 0 or more"),
    (dict(owners=OWNERS, owners_per_call=2.5), 'got 2.5'),
    (dict(owners=OWNERS, owners_per_call=True), 'got True'),
    (dict(owners=OWNERS, owners_per_call='1.5'), "got '1.5'"),
    (dict(all_owners='maybe'), "recording_restore_all_owners must be true or false, got 'maybe'"),
    (dict(owners=OWNERS[:2], all_owners=True),
     'recording_restore_all_owners restores every owner of the organization: leave recording_restore_owners empty with it '
     '(got 2 owner(s))'),
    (dict(), 'Set recording_restore_owners, recording_restore_all_owners and/or recording_restore_ids: there is nothing to '
             'restore'),
    (dict(owners=['', '  ', None], recording_ids=[' ']), 'there is nothing to restore'),
], ids=['owners-text', 'owner-dict', 'owner-bool', 'ids-dict', 'id-list', 'per-call-negative', 'per-call-text',
        'per-call-fraction', 'per-call-bool', 'per-call-fraction-text', 'all-owners-not-bool', 'all-owners-and-owners',
        'nothing', 'only-blanks'])
def test_what_cannot_be_planned_is_refused_naming_the_role_variable(args, message):
    with pytest.raises(AnsibleFilterError) as raised:
        plan(**args)
    assert message in str(raised.value)
