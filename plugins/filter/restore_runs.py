# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Filters of the recording_restore role that plan its module runs and record each run's result for the summary
(restore_report.py shapes the summary and the reports). The documentation of each filter is in the YAML file of
the same name next to this file."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.webexops.recordings.plugins.plugin_utils._filter_input import (
    ALL_OWNERS, OWNERS, RECORDING_IDS, _bool, _opt_int, _plain, _require_dict, _texts, _whole, _whose,
)


def restore_run_plan(owners, recording_ids=None, all_owners=False, owners_per_call=0, apis=None):
    """The module runs of the recording_restore role: the owners in chunks of owners_per_call (0: one run for all),
    every owner of the organization, the recording ids; each {index, whose, owner_emails, recording_ids, label}.
    ``apis`` (recording_restore_apis): the same runs for each recordings API in turn, each with its ``api``, and the
    label of a run of another API than converged starts with the API's name.

    Blank entries are dropped, and duplicates: owner emails compared without case (as Webex compares them), ids as
    they are. Errors name the role's variables."""
    owner_list = _texts(owners, 'recording_restore_owners', same=lambda text: text.lower())
    id_list = _texts(recording_ids, 'recording_restore_ids')
    try:
        every_owner = boolean(all_owners, strict=True)
    except TypeError:
        raise AnsibleFilterError('recording_restore_all_owners must be true or false, got %r' % (all_owners,))
    chunk_size = _whole(owners_per_call, 'recording_restore_owners_per_call',
                        'a whole number, 0 or more (0: every owner in one module run)') or max(len(owner_list), 1)
    if every_owner and owner_list:
        raise AnsibleFilterError(
            'recording_restore_all_owners restores every owner of the organization: leave recording_restore_owners empty '
            'with it (got %d owner(s))' % len(owner_list))
    if not (owner_list or id_list or every_owner):
        raise AnsibleFilterError('Set recording_restore_owners, recording_restore_all_owners and/or recording_restore_ids: '
                                 'there is nothing to restore')
    calls = []
    for start in range(0, len(owner_list), chunk_size):
        chunk = owner_list[start:start + chunk_size]
        label = '%d owner(s): %s' % (len(chunk), chunk[0]) + (' .. %s' % chunk[-1] if len(chunk) > 1 else '')
        calls.append({'whose': OWNERS, 'owner_emails': chunk, 'recording_ids': [], 'label': label})
    if every_owner:
        calls.append({'whose': ALL_OWNERS, 'owner_emails': [], 'recording_ids': [], 'label': 'all owners'})
    if id_list:
        calls.append({'whose': RECORDING_IDS, 'owner_emails': [], 'recording_ids': id_list,
                      'label': '%d recording id(s)' % len(id_list)})
    if apis is not None:
        calls = [dict(call, api=api, label=call['label'] if api == 'converged' else '%s: %s' % (api, call['label']))
                 for api in _apis(apis) for call in calls]
    for index, call in enumerate(calls):
        call['index'] = index
    return calls


def _apis(apis):
    """recording_restore_apis: a non-empty list of converged and/or meetings, without duplicates."""
    names = _texts([apis] if isinstance(apis, str) else apis, 'recording_restore_apis')
    bad = [name for name in names if name not in ('converged', 'meetings')]
    if bad or not names:
        raise AnsibleFilterError('recording_restore_apis must list converged and/or meetings (the recordings APIs to restore '
                                 'from), got %r' % (apis,))
    return names


def restore_call_record(result, call, failed=False, as_json=False):
    """What the summary needs from one module run: its plan entry and its result, without the arguments.

    The values of the result are taken as they are, not copied item by item (README of the role, "Data path").
    """
    result = _require_dict(result or {}, 'the result of the module run')
    whose = _whose(call)
    run_failed = _bool(failed)
    if 'failed_ids' in result:
        failed_ids = result['failed_ids']
    else:
        # The module always returns failed_ids (the ids of the recordings whose action is failed).
        failed_ids = [entry.get('id') for entry in (result.get('recordings') or [])
                      if isinstance(entry, dict) and entry.get('action') == 'failed']
    msg = result.get('msg')
    # An owners run is reported per owner from `owners` alone: its id lists would carry every id a second time.
    per_owner = whose == OWNERS
    record = {
        'index': call.get('index'),
        'whose': whose,
        'label': call.get('label'),
        'owner_emails': call.get('owner_emails') or [],
        'recording_ids': call.get('recording_ids') or [],
        'ran': True,
        'failed': run_failed,
        'changed': _bool(result.get('changed', False)),
        'msg': ('' if msg is None else to_text(msg)) if run_failed else '',
        'owners': result.get('owners') or {},
        'restored': [] if per_owner else (result.get('restored') or []),
        'already_available': [] if per_owner else (result.get('already_available') or []),
        'missing': [] if per_owner else (result.get('missing') or []),
        'failed_ids': [] if per_owner else (failed_ids or []),
        'unknown': [] if per_owner else (result.get('unknown') or []),
        'nothing_found': result.get('nothing_found') or [],
        'tracking_ids': result.get('tracking_ids') or [],
        'requests': result.get('requests') or {},
        'selection': result.get('selection') or {},
        'selected': _opt_int(result.get('selected'), 'selected'),
        # The organization the listing says the recordings belong to, when the module reports it (the report shows it).
        'org_id': result.get('org_id'),
    }
    return json.dumps(_plain(record), sort_keys=True) if _bool(as_json) else record


class FilterModule:
    """Filters that plan the role's runs of webex_recording_restore and record their results."""

    def filters(self):
        return {
            'restore_run_plan': restore_run_plan,
            'restore_call_record': restore_call_record,
        }
