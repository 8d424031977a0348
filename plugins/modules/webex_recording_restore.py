#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
module: webex_recording_restore
short_description: Restore Webex call recordings from the recycle bin
version_added: 0.1.0
description:
  - Restores recordings of the Webex Converged Recordings API (Webex Calling recordings) from the recycle bin,
    by id (O(recording_ids)), the whole bin of the caller or of one owner (O(restore_all), O(owner_email)),
    the whole bin of several owners (O(owner_emails)), or what the organization's bin holds (O(all_owners)),
    narrowed by location, owner type, service type, topic and creation window (filtered by the server).
  - "With O(api=meetings), restores recordings of meetings, webinars, training and support sessions from the Meetings recordings API's
    own recycle bin instead, kept per host and Webex site: the owner options name meeting hosts (C(hostEmail)), a restore request
    holds at most 100 ids of one (host, site) and always names its C(siteUrl). Ids are found by listing the bin (a user's listing
    covers all their sites; an administrator's one listing per site of its own site list, or O(site_url) alone), a whole bin of a
    host is restored with one C(restoreAll) per site that holds its recordings, and recordings only shared with a user are never
    sent (RV(not_restorable)). Scopes C(meeting:recordings_read) and C(meeting:recordings_write), or C(meeting:admin_recordings_read)
    and C(meeting:admin_recordings_write) and the site admin role, and C(meeting:preferences_read) or
    C(meeting:admin_preferences_read) for the site list."
  - Reads the state first and writes only what is still in the recycle bin, so running it twice changes nothing the second time.
  - Every broken combination of options is refused before any request.
  - "Required scopes: a user token needs C(spark:recordings_read) and C(spark:recordings_write) and restores only its own recordings;
    an administrator token needs C(spark-admin:recordings_read) and C(spark-admin:recordings_write) and may restore any recording
    of the organization it manages."
  - "Batching: the API takes at most 100 ids per restore request; more ids are sent in batches of at most 100,
    up to O(max_concurrency) batches in flight. Duplicate ids are restored once."
  - "Reads: by id, each id is read (C(GET /convergedRecordings/{id})) when there are no more ids than listing windows,
    else the recycle bin is listed once and only the ids not found in it are read. A whole bin is listed over O(lookback_days)
    in windows of 29 days, up to O(max_concurrency) windows at once. Several owners are served by one organization-wide listing."
  - "A write whose outcome is unknown (timeout, dropped connection, 500/502/503/504 answer) is never repeated blindly:
    the module checks which of its ids are still in the recycle bin (up to 3 ids one C(GET) each; more with one listing of the bin over the span
    of time they were created in, a read or two, counted in RV(requests.reads)) and re-sends only the ids still in the bin,
    waiting and counting against O(retry_max_wait). Nothing is reported as restored without a 2xx answer or a read showing it out of the bin;
    ids whose check could not finish are reported in RV(unknown), never as restored nor as still in the bin."
  - "A token that stops working in the middle of a run (HTTP 401, or 403 to a restore) stops the run: no further request is sent,
    and the failure names the cause and which owners were restored. A module whose controller is gone (the job was cancelled)
    sends no further restore request."
  - "The listings filter on creation time: a recording created long ago and deleted yesterday is only found when O(lookback_days) covers its creation.
    Webex keeps call recordings for one year, hence the default of 365 days. The windows end one day in the future so that nothing created just now is missed."
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
    description: Every read is made, no write. The result has the same shape; RV(restored) lists what would be restored and C(changed) is exact.
    support: full
  diff_mode:
    description: Shows the status of every existing recording concerned, before and after.
    support: full
options:
  recording_ids:
    description:
      - Ids of the recordings to restore.
      - Ids already available are reported in RV(already_available) and not written.
      - Ids unknown, purged or not visible to the token are handled as O(on_missing) says.
      - "An id is accepted when, after surrounding blanks are removed, it is not empty, is not V(.) or V(..), and holds no V(/), no backslash,
        blank or control character: it is sent percent-encoded as exactly one URL path segment. Any other id fails the task before any request."
      - Mutually exclusive with O(restore_all), the owners (O(owner_email), O(owner_emails), O(all_owners)) and the filters.
      - "An empty list restores nothing and sends no request: C(changed) is false and RV(msg) says so. This makes
        C(webex_recording_info) followed by a restore of exactly the ids it listed idempotent: on a rerun the bin is empty."
    type: list
    elements: str
  restore_all:
    description:
      - Restore the whole recycle bin of the caller (user token) or, with O(owner_email), of that owner (administrator token).
      - An administrator token must set O(owner_email).
      - With a filter (O(location_id), O(owner_type), O(service_type), O(topic), O(created_after), O(created_before)), only the
        selected recordings are restored, by id in batches of 100 (C(restoreAll) would restore more than was selected).
    type: bool
  owner_email:
    description:
      - Owner whose recycle bin is restored. Administrator token only. Requires O(restore_all=true).
    type: str
  owner_emails:
    description:
      - Owners whose recycle bins are restored. Administrator token only. Results per owner are in RV(owners).
    type: list
    elements: str
  all_owners:
    description:
      - Restore what the organization's recycle bin holds, for every owner, narrowed by the filters. Administrator token only.
      - Requires O(max_restores). Results per owner are in RV(owners), keyed by email, or by owner id where there is none.
    type: bool
  max_restores:
    description:
      - The most recordings this run may restore. When the selection holds more, the task fails before any write,
        naming the count and the cap; check mode reports the same count and the same failure.
      - Required with O(all_owners).
      - With O(recording_ids), the ids found in the recycle bin (those to restore) are counted; above the cap the task fails
        after the reads and before any write (check mode the same). Ids already available or missing do not count.
    type: int
  journal_path:
    description:
      - A file to which every restore request whose outcome is known is appended as it happens, one JSON line each
        (outcome V(restored) or V(unknown), the ids per owner, the time), written through to disk before the next
        request. A run that is stopped halfway (a cancelled job) leaves there the record of what it restored;
        the P(webexops.recordings.recording_restore#role) role reads it into the next run's report.
      - Not written in check mode. Created with mode 0600 when missing; never truncated by the module.
    type: path
  on_missing:
    description:
      - What to do with requested ids that do not exist, are purged, or are not visible to the token.
      - Named C(missing) before 0.2.0; that name stays as an alias.
      - V(fail) fails the task before any write and names them.
      - V(warn) restores the others and warns about them.
    type: str
    choices: [fail, warn]
    default: fail
    aliases: [missing]
notes:
  - "Request counts, without retries (W listing windows = ceil((O(lookback_days) + 1) / 29), 13 by default; P extra pages;
    N unique ids; D of them in the bin): ids, N <= W: N reads; ids, N > W: W + P reads (+1 when the administrator listing is
    refused) + one read per id not in the bin; O(restore_all) with O(owner_email): W + P reads; O(restore_all) alone: 1 + W + P reads;
    O(owner_emails): W + P reads. Writes: ceil(D / 100) by id, one C(restoreAll) per whole bin that holds something.
    The contract, with every case, is in the collection's C(docs/design.md)."
  - The token needs no other scope; a compliance officer token cannot restore.
  - Retries of V(429) and V(423) answers honour C(Retry-After); every retry is logged and summarized in a warning.
seealso:
  - name: Restore Recordings from Recycle Bin
    description: The converged recordings restore API.
    link: https://developer.webex.com/docs/api/v1/converged-recordings/restore-recordings-from-recycle-bin
  - name: List Recordings
    description: The converged recordings list API of a user.
    link: https://developer.webex.com/docs/api/v1/converged-recordings/list-recordings
  - name: List Recordings for Admin or Compliance officer
    description: The converged recordings list API of an administrator.
    link: https://developer.webex.com/docs/api/v1/converged-recordings/list-recordings-for-admin-or-compliance-officer
  - name: Get Recording Details
    description: The converged recording details API.
    link: https://developer.webex.com/docs/api/v1/converged-recordings/get-recording-details
'''

EXAMPLES = r'''
- name: Restore three recordings (token from WEBEX_ACCESS_TOKEN)
  webexops.recordings.webex_recording_restore:
    recording_ids:
      - 7a4dd7c1-0a0b-4e2f-9f4c-0f6f2cdd1a01
      - 9b5ee8d2-1b1c-4f30-8a5d-1a7a3dee2b02
      - 3c6ff9e3-2c2d-4041-9b6e-2b8b4eff3c03

- name: Restore what exists, warn about the rest, show the plan only
  webexops.recordings.webex_recording_restore:
    access_token: "{{ lookup('ansible.builtin.env', 'WEBEX_ACCESS_TOKEN') }}"
    recording_ids: "{{ ids_from_ticket }}"
    on_missing: warn
  check_mode: true
  diff: true
  register: plan

- name: Restore my whole recycle bin (user token)
  webexops.recordings.webex_recording_restore:
    restore_all: true

- name: Restore the whole recycle bin of one person (administrator token)
  webexops.recordings.webex_recording_restore:
    restore_all: true
    owner_email: alice@example.com

- name: Restore the recycle bins of a team (administrator token, one organization-wide sweep)
  webexops.recordings.webex_recording_restore:
    owner_emails:
      - alice@example.com
      - bob@example.com
    lookback_days: 365
    max_concurrency: 8
    retry_max_wait: 300
  register: team_restore

- name: Incident recovery, one location, calls created in November, at most 5000 restores (administrator token)
  webexops.recordings.webex_recording_restore:
    all_owners: true
    location_id: Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzEyMzQ
    service_type: calling
    created_after: "2026-11-01"
    max_restores: 5000
  register: incident

- name: Restore a meeting host's recordings from the Meetings recycle bin, on every site (administrator token)
  webexops.recordings.webex_recording_restore:
    api: meetings
    owner_email: alice@example.com
    restore_all: true
  register: meetings_restore

- name: Restore the webinars of one Webex site, at most 200 (administrator token)
  webexops.recordings.webex_recording_restore:
    api: meetings
    site_url: example.webex.com
    all_owners: true
    service_type: EventCenter
    max_restores: 200

- name: Set the connection once for the whole play
  module_defaults:
    group/webexops.recordings.webex:
      api_url: https://webexapis.com/v1
      timeout: 60
  block:
    - name: Restore one recording
      webexops.recordings.webex_recording_restore:
        recording_ids: [7a4dd7c1-0a0b-4e2f-9f4c-0f6f2cdd1a01]
'''

RETURN = r'''
api:
  description: The recordings API of the run (O(api)), on a failed task too.
  returned: always
  type: str
  sample: meetings
not_restorable:
  description:
    - With O(api=meetings), requested ids in the recycle bin of a recording that is only shared with the caller (C(shareToMe)),
      not hosted by it. They are never sent, are listed in RV(missing) too, and count as missing for O(on_missing).
  returned: when such an id was requested
  type: list
  elements: str
  sample: [72f633f043ae5495845932d9a77e1156]
msg:
  description: Why nothing was done, when O(recording_ids) is an empty list (a failed task has its message in C(msg) too).
  returned: when O(recording_ids) is an empty list
  type: str
  sample: "recording_ids is empty: nothing to restore, no request was sent"
restored:
  description: Ids restored by this run (in check mode, ids that would be restored), in the order requested or listed.
  returned: always
  type: list
  elements: str
  sample: [7a4dd7c1-0a0b-4e2f-9f4c-0f6f2cdd1a01]
already_available:
  description: Requested ids that were not in the recycle bin (nothing to do). Empty when a whole bin is restored.
  returned: always
  type: list
  elements: str
  sample: [9b5ee8d2-1b1c-4f30-8a5d-1a7a3dee2b02]
missing:
  description: Requested ids that do not exist, are purged, or are not visible to the token.
  returned: always
  type: list
  elements: str
  sample: [3c6ff9e3-2c2d-4041-9b6e-2b8b4eff3c03]
failed_ids:
  description:
    - Ids still in the recycle bin after every restore request was tried (or not sent, see RV(unknown) for the other case).
      The task fails when it is not empty.
    - Not named C(failed), which Ansible reserves for the outcome of the task.
  returned: always
  type: list
  elements: str
  sample: []
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
unknown:
  description:
    - "Ids of a restore request that went unanswered (timeout, dropped connection, 5xx) and whose check could not
      finish (its reads failed too): they may or may not be restored. Never counted as restored nor as still in
      the recycle bin. The task fails when it is not empty; the next run settles them (it reads the bin again)."
  returned: always
  type: list
  elements: str
  sample: []
recordings:
  description:
    - One entry per id of O(recording_ids).
    - A restore of whole bins (O(restore_all), the owners) answers per owner in RV(owners) and in the id lists instead, so
      that a result of tens of thousands of recordings stays small.
  returned: when O(recording_ids) is set
  type: list
  elements: dict
  contains:
    id:
      description: Recording id.
      type: str
      returned: always
      sample: 7a4dd7c1-0a0b-4e2f-9f4c-0f6f2cdd1a01
    owner_email:
      description: Owner of the recording, as the API reported it; null for a missing recording.
      type: str
      returned: always
      sample: alice@example.com
    owner_id:
      description: Id of the owner, as the API reported it; null for a missing recording.
      type: str
      returned: always
      sample: 0c4d7a8e-1f3b-4e2a-9b6c-1a2b3c4d5e02
    status_before:
      description: V(deleted) (in the recycle bin), V(available), V(purged) or V(not_found).
      type: str
      returned: always
      sample: deleted
    status_after:
      description: Status after the run (predicted in check mode); V(unknown) when it could not be read again after a write with unknown outcome.
      type: str
      returned: always
      sample: available
    action:
      description:
        - V(restore) (restored, or would be in check mode), V(none), V(missing), V(failed) or V(unknown) (see RV(unknown)).
        - V(not_restorable) with O(api=meetings) for a recording only shared with the caller (see RV(not_restorable)).
      type: str
      returned: always
      sample: restore
    api:
      description: The recordings API of the run.
      type: str
      returned: always
      sample: converged
    site_url:
      description: With O(api=meetings), the Webex site of the recording (where it was restored); null for a missing recording.
      type: str
      returned: when O(api=meetings)
      sample: example.webex.com
  sample:
    - id: 7a4dd7c1-0a0b-4e2f-9f4c-0f6f2cdd1a01
      owner_email: alice@example.com
      status_before: deleted
      status_after: available
      action: restore
owners:
  description:
    - Per owner results, keyed by the email as given in O(owner_email) or O(owner_emails).
    - With O(all_owners), one entry per owner found in the selection, keyed by its email, or by its owner id where it has none
      (workspaces, virtual lines).
    - "Each entry also says who the owner is, as far as the API's listings tell it, at no extra request: with O(api=converged)
      its type (RV(owners.owner_type)), with O(api=meetings) the host's display name (RV(owners.owner_name)). The key of the
      run's API is in every entry, null when unknown (nothing of the owner was listed); the other API's key is never returned."
  returned: when O(owner_email), O(owner_emails) or O(all_owners) is set
  type: dict
  contains:
    restored:
      description: Ids of that owner restored (or that would be).
      type: list
      elements: str
      returned: always
    failed:
      description: Ids of that owner still in the recycle bin after every batch was tried.
      type: list
      elements: str
      returned: always
    unknown:
      description: Ids of that owner whose restore could not be verified (see RV(unknown)).
      type: list
      elements: str
      returned: always
    tracking_id:
      description: trackingId of the failed request of that owner, null when nothing failed.
      type: str
      returned: always
    owner_type:
      description:
        - Type of the owner as the listing gave it (C(ownerType)), V(user), V(place) (a workspace), V(virtualLine) or V(callQueue).
        - Null when no recording of the owner was listed (nothing found, or the listing failed).
      type: str
      returned: when O(api=converged)
      sample: user
      version_added: 0.3.0
    owner_name:
      description:
        - Display name of the meeting host as the administrator listing gave it (C(hostDisplayName)).
        - Null when no recording of the host was listed. The Converged Recordings API lists no display name (only the
          metadata of each recording holds one, a read each), hence no owner_name with O(api=converged).
      type: str
      returned: when O(api=meetings)
      sample: Alice Able
      version_added: 0.3.0
  sample:
    alice@example.com:
      restored: [7a4dd7c1-0a0b-4e2f-9f4c-0f6f2cdd1a01]
      failed: []
      unknown: []
      tracking_id: null
      owner_type: user
counts:
  description: How many recordings each id list holds.
  returned: always
  type: dict
  contains:
    restored:
      description: Length of RV(restored).
      type: int
      returned: always
    already_available:
      description: Length of RV(already_available).
      type: int
      returned: always
    missing:
      description: Length of RV(missing).
      type: int
      returned: always
    failed:
      description: Length of RV(failed_ids).
      type: int
      returned: always
    unknown:
      description: Length of RV(unknown).
      type: int
      returned: always
  sample:
    restored: 1250
    already_available: 0
    missing: 0
    failed: 0
    unknown: 0
strategy:
  description: How the state was read. V(per_id), V(bin_listing), V(caller_bin) (the caller's own bin), V(per_owner) (one listing per owner) or V(org_sweep).
  returned: always
  type: str
  sample: per_id
requests:
  description: Requests actually sent to the API, retries included.
  returned: always
  type: dict
  contains:
    reads:
      description: GET requests sent.
      type: int
      returned: always
      sample: 3
    writes:
      description: POST restore requests sent.
      type: int
      returned: always
      sample: 1
    retries:
      description: Requests that repeated an earlier one (429, 423, 502, 503, 504, connection failures of reads, re-sends after a reconciled unknown outcome).
      type: int
      returned: always
      sample: 0
  sample:
    reads: 3
    writes: 1
    retries: 0
selection:
  description:
    - The selection as applied (whose bin, the server filters, the creation window or lookback), when no O(recording_ids) are given.
    - "C(whose): V(caller) (the caller's own), V(owners) (O(owner_email) or O(owner_emails)) or V(all_owners); the same values
      as the role's runs and report."
  returned: when O(recording_ids) is not set and the task did not fail
  type: dict
  sample:
    whose: all_owners
    filters:
      location_id: Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzEyMzQ
    lookback_days: 365
selected:
  description: How many recordings of the selection are in the recycle bin, when O(max_restores) refused the run.
  returned: when the task failed because of O(max_restores)
  type: int
  sample: 1250
tracking_ids:
  description: trackingId of every failed request; Webex support asks for them.
  returned: always
  type: list
  elements: str
  sample: [ROUTERGW_5fa3c1e2-a1b2-4c3d-8e9f-0123456789ab]
'''

from ansible_collections.webexops.recordings.plugins.module_utils import _planner as planner
from ansible_collections.webexops.recordings.plugins.module_utils import _restore_options as options
from ansible_collections.webexops.recordings.plugins.module_utils import _selection as selection
from ansible_collections.webexops.recordings.plugins.module_utils import _windows as windows_
from ansible_collections.webexops.recordings.plugins.module_utils._journal import Journal
from ansible_collections.webexops.recordings.plugins.module_utils._module import run_module
from ansible_collections.webexops.recordings.plugins.module_utils._profiles import api_profile
from ansible_collections.webexops.recordings.plugins.module_utils._recordings import RecordingsService

ARGUMENT_SPEC = dict(selection.selection_argument_spec(), **options.restore_argument_spec())


def validate(params):
    return options.validate_restore(params) + selection.validate_selection(params, windows_.utc_now())


def run(module, client, now=None):
    """Read, plan, write unless check mode. Returns (changed, result, diff); raises TaskFailed."""
    params = module.params
    now = now or windows_.utc_now()
    api = api_profile(params)
    journal = Journal(params['journal_path'], api.name, module.check_mode) if params['journal_path'] else None
    service = RecordingsService(client, api, params['max_concurrency'], warn=module.warn, log=module.log, journal=journal)
    if params['recording_ids'] is not None:
        windows = windows_.lookback_windows(now, params['lookback_days'])
        changed, result, diff = service.restore_ids(params['recording_ids'], params['on_missing'], windows, module.check_mode,
                                                    params['max_restores'])
        return changed, options.with_message(params, result), diff
    windows = selection.listing_windows(params, now)
    filters, cap, narrowed = selection.filters(params), params['max_restores'], selection.has_filter(params)
    if params['all_owners']:
        changed, result, diff = service.restore_all_owners(windows, module.check_mode, filters, cap)
    elif params['owner_emails'] is not None:
        changed, result, diff = service.restore_owner_bins(params['owner_emails'], windows, module.check_mode, filters, cap, narrowed)
    else:
        changed, result, diff = service.restore_bin(params['owner_email'], windows, module.check_mode, filters, cap, narrowed)
    result['selection'] = selection.describe(params)
    return changed, result, diff


def main():
    run_module(ARGUMENT_SPEC, run, validate, empty_result=planner.empty_result(None), **options.RESTORE_RULES)


if __name__ == '__main__':
    main()
