# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""The options of webex_recording_restore beside the selection (what to restore, what a missing id
does, the cap) and their rules, next to each other. Pure: no HTTP, no AnsibleModule."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.webexops.recordings.plugins.module_utils._selection import FILTER_OPTIONS
from ansible_collections.webexops.recordings.plugins.module_utils._values import id_problem

ON_MISSING_CHOICES = ('fail', 'warn')

# The message of a run given an empty recording_ids: the ids a webex_recording_info listed, on a rerun
# after they were restored. Nothing to do, nothing is sent: changed false, like any idempotent rerun.
EMPTY_IDS_MESSAGE = 'recording_ids is empty: nothing to restore, no request was sent'


def restore_argument_spec():
    """Argspec entries of the restore options (the selection's come from _selection)."""
    return dict(
        recording_ids=dict(type='list', elements='str'),
        restore_all=dict(type='bool'),
        on_missing=dict(type='str', choices=list(ON_MISSING_CHOICES), default='fail', aliases=['missing']),
        max_restores=dict(type='int'),
        journal_path=dict(type='path'),
    )


# all_owners is kept apart from the other owner choices by validate_restore(), not here: an explicit
# all_owners: false must not count as set.
RESTORE_RULES = dict(
    mutually_exclusive=[
        ('recording_ids', 'restore_all'),
        ('recording_ids', 'owner_email'),
        ('recording_ids', 'owner_emails'),
        ('owner_email', 'owner_emails'),
        ('restore_all', 'owner_emails'),
    ] + [('recording_ids', name) for name in FILTER_OPTIONS + ('created_after', 'created_before')],
    required_one_of=[('recording_ids', 'restore_all', 'owner_emails', 'all_owners')],
    required_by={'owner_email': 'restore_all'},
)


def validate_restore(params):
    """Rules of the restore options that the argspec cannot express; messages name the option and the rule.
    The selection options (owners, filters, window) are checked by _selection.validate_selection."""
    errors = []
    recording_ids = params.get('recording_ids')
    if recording_ids is not None:
        for index, value in enumerate(recording_ids):
            problem = id_problem(value)
            if problem:
                errors.append('recording_ids item %d (%r): %s' % (index + 1, value, problem))
    restore_all = params.get('restore_all')
    if params.get('owner_email') is not None and restore_all is not True:
        errors.append('owner_email requires restore_all: true (it names the owner whose whole recycle bin is restored)')
    if not restore_all and recording_ids is None and params.get('owner_emails') is None and not params.get('all_owners'):
        errors.append('restore_all is false and neither recording_ids, owner_emails nor all_owners: true is set: nothing to restore')
    if restore_all and params.get('all_owners'):
        errors.append('restore_all and all_owners are mutually exclusive: all_owners already restores every owner selected')
    if params.get('all_owners') and params.get('max_restores') is None:
        errors.append('all_owners requires max_restores: the most recordings this run may restore (it fails before any write above it)')
    max_restores = params.get('max_restores')
    if max_restores is not None and max_restores < 0:
        errors.append('max_restores must be 0 or more, got %s' % max_restores)
    return errors


def with_message(params, result):
    """``result`` of a restore of recording_ids, with the message of an empty list (a no-op) when it is one."""
    if params.get('recording_ids') == []:
        result['msg'] = EMPTY_IDS_MESSAGE
    return result
