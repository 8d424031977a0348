#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: webex_recording_info
short_description: List Webex call recordings of the recycle bin (or available ones), read-only
version_added: 0.2.0
description:
  - "Lists the recordings of the Webex Converged Recordings API that a selection holds, without changing anything:
    the caller's own, one owner's (O(owner_email)), several owners' (O(owner_emails)) or the whole organization's (O(all_owners)),
    narrowed by location, owner type, service type, topic and creation window, which the server filters."
  - Answers what is in the recycle bin, whose, from when, and what a restore with the same selection would touch, before
    M(webexops.recordings.webex_recording_restore) runs. The same selection options mean the same recordings.
  - Every broken combination of options is refused before any request.
  - "Required scopes: C(spark:recordings_read) for the caller's own recordings; C(spark-admin:recordings_read) (or a compliance
    officer's C(spark-compliance:recordings_read)) for other owners and the organization."
author:
  - Contributors to the webexops.recordings collection (@webexops)
requirements:
  - python >= 3.6
  - requests
extends_documentation_fragment:
  - webexops.recordings.attributes
  - webexops.recordings.connection
  - webexops.recordings.selection
attributes:
  check_mode:
    description: The module changes nothing; it runs the same in check mode.
    support: full
  diff_mode:
    description: Nothing changes, so there is no diff.
    support: none
options:
  status:
    description:
      - V(deleted) lists the recycle bin, V(available) the recordings not deleted.
    type: str
    choices: [deleted, available]
    default: deleted
notes:
  - "Request counts, without retries (W listing windows of 29 days over O(lookback_days) or the creation window,
    13 by default; P extra pages, one per 100 more recordings in a window): the caller's own, O(owner_email),
    O(owner_emails) with one owner, O(owner_emails) with more owners and O(all_owners) all cost W + P reads (several owners are read
    with one organization-wide listing), and no write. A refused listing (a user token naming another owner or O(all_owners))
    costs one read. Filters cost nothing more: the server applies them. The contract is in the collection's C(docs/design.md)."
seealso:
  - module: webexops.recordings.webex_recording_restore
  - name: List Recordings for Admin or Compliance officer
    description: The converged recordings list API of an administrator.
    link: https://developer.webex.com/docs/api/v1/converged-recordings/list-recordings-for-admin-or-compliance-officer
'''

EXAMPLES = r'''
- name: What is in my recycle bin
  webexops.recordings.webex_recording_info:
  register: my_bin

- name: Preview an incident restore, one location, calls of the last week (administrator token)
  webexops.recordings.webex_recording_info:
    all_owners: true
    location_id: Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzEyMzQ
    service_type: calling
    created_after: "2026-11-23"
  register: preview

- name: Show how many recordings each owner has in the bin
  ansible.builtin.debug:
    var: preview.owners

- name: Available recordings of two people, by topic
  webexops.recordings.webex_recording_info:
    owner_emails: [alice@example.com, bob@example.com]
    status: available
    topic: Quarterly review
'''

RETURN = r'''
api:
  description: The recordings API read (O(api)).
  returned: always
  type: str
  sample: meetings
recordings:
  description:
    - The recordings the selection holds, newest window first.
    - Each API has its own fields. V(converged) gives every field but RV(recordings[].owner_name), RV(recordings[].site_url),
      RV(recordings[].share_to_me) and RV(recordings[].meeting_id); V(meetings) gives those, and not RV(recordings[].owner_id),
      RV(recordings[].owner_type) or RV(recordings[].location_id).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Recording id.
      type: str
      returned: always
    topic:
      description: Topic of the recording.
      type: str
      returned: always
    owner_email:
      description:
        - Email of the owner; null for a workspace or a virtual line.
        - With O(api=meetings), the host (C(hostEmail)) where the listing gives it (an administrator's listing); null in a user's
          own listing, whose recordings the caller hosts unless RV(recordings[].share_to_me).
      type: str
      returned: always
    owner_id:
      description: Id of the owner.
      type: str
      returned: when O(api=converged)
    owner_type:
      description: V(user), V(place) (a workspace), V(virtualLine) or V(callQueue).
      type: str
      returned: when O(api=converged)
    owner_name:
      description:
        - Display name of the host (C(hostDisplayName)) where the listing gives it (an administrator's listing); null in a user's
          own listing.
      type: str
      returned: when O(api=meetings)
      version_added: 0.3.0
    location_id:
      description: Webex Calling location of the recording (C(serviceData.locationId)), null when the API gives none.
      type: str
      returned: when O(api=converged)
    site_url:
      description: The Webex site of the recording.
      type: str
      returned: when O(api=meetings)
    share_to_me:
      description: True for a recording shared with the caller, not hosted by it (not the caller's to restore).
      type: bool
      returned: when O(api=meetings)
    meeting_id:
      description: The meeting instance of the recording.
      type: str
      returned: when O(api=meetings)
    service_type:
      description: V(calling) or V(customerAssist); with O(api=meetings) V(MeetingCenter), V(EventCenter), V(TrainingCenter) or V(SupportCenter).
      type: str
      returned: always
    create_time:
      description: Creation time, ISO 8601.
      type: str
      returned: always
    duration_seconds:
      description: Length of the recording.
      type: int
      returned: always
    size_bytes:
      description: Size of the recording.
      type: int
      returned: always
    status:
      description: V(deleted) (in the recycle bin) or V(available).
      type: str
      returned: always
  sample:
    - id: 7a4dd7c1-0a0b-4e2f-9f4c-0f6f2cdd1a01
      topic: Support call
      owner_email: alice@example.com
      owner_id: 0c4d7a8e-1f3b-4e2a-9b6c-1a2b3c4d5e02
      owner_type: user
      location_id: Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzEyMzQ
      service_type: calling
      create_time: "2026-11-20T09:15:00Z"
      duration_seconds: 312
      size_bytes: 1250000
      status: deleted
count:
  description: Number of recordings in RV(recordings).
  returned: always
  type: int
  sample: 1
count_by_owner:
  description: Number of recordings per owner, keyed by email, or by owner id where the owner has none.
  returned: always
  type: dict
  sample:
    alice@example.com: 1
nothing_found:
  description:
    - "Owners named in the selection (O(owner_email), O(owner_emails)) of whom nothing was found: no recording in the
      selection and, when checked, none available in the newest listing window either. The address may be wrong
      (the API answers an empty listing for an address it does not know): each is named in a warning too."
    - "Telling a wrong address from an empty bin costs one read per owner that came up empty, and only when at most 10 did;
      with more, they are all returned here unchecked (a run over thousands of owners whose bins are mostly empty pays no
      read per owner). An owner with available recordings is known, and not returned: its bin was just empty."
  returned: when O(owner_email) or O(owner_emails) is set
  type: list
  elements: str
  sample: [alicia@example.com]
selection:
  description:
    - The selection as applied (whose recordings, the server filters, the creation window or lookback).
    - "C(whose): V(caller) (the caller's own), V(owners) (O(owner_email) or O(owner_emails)) or V(all_owners); the same values
      as the role's runs and report."
  returned: always
  type: dict
  sample:
    whose: all_owners
    filters:
      service_type: calling
    created_after: "2026-11-23"
requests:
  description: Requests actually sent to the API, retries included.
  returned: always
  type: dict
  contains:
    reads:
      description: GET requests sent.
      type: int
      returned: always
      sample: 13
    writes:
      description: Write requests sent (always 0 for this module).
      type: int
      returned: always
      sample: 0
    retries:
      description: Requests that repeated an earlier one (429, 423, 502, 503, 504, connection failures).
      type: int
      returned: always
      sample: 0
  sample:
    reads: 13
    writes: 0
    retries: 0
'''

from ansible_collections.webexops.recordings.plugins.module_utils import _selection as selection
from ansible_collections.webexops.recordings.plugins.module_utils import _windows as windows_
from ansible_collections.webexops.recordings.plugins.module_utils._module import run_module
from ansible_collections.webexops.recordings.plugins.module_utils._profiles import api_profile
from ansible_collections.webexops.recordings.plugins.module_utils._recordings import RecordingsService

ARGUMENT_SPEC = dict(
    selection.selection_argument_spec(),
    status=dict(type='str', choices=['deleted', 'available'], default='deleted'),
)
MODULE_RULES = dict(mutually_exclusive=[('owner_email', 'owner_emails')])


def validate(params):
    return selection.validate_selection(params, windows_.utc_now())


def run(module, client, now=None):
    """Read the selection. Returns (False, result, None); raises TaskFailed."""
    params = module.params
    service = RecordingsService(client, api_profile(params), params['max_concurrency'], warn=module.warn, log=module.log)
    owners = params['owner_emails'] if params['owner_emails'] is not None else ([params['owner_email']] if params['owner_email'] else None)
    recordings, nothing_found = service.read_selection(selection.owner_option(params), selection.listing_windows(params, now or windows_.utc_now()),
                                                       selection.filters(params), params['status'], owners)
    result = dict(selection.listing_result(recordings), nothing_found=nothing_found, api=service.api.name)
    result['selection'] = selection.describe(params)
    return False, result, None


def main():
    run_module(ARGUMENT_SPEC, run, validate, empty_result=selection.listing_result([]), **MODULE_RULES)


if __name__ == '__main__':
    main()
