# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment:
    """Selection options shared by every module of webexops.recordings (see module_utils/_selection.py)."""

    DOCUMENTATION = r'''
options:
  api:
    description:
      - Which of Webex's two recordings APIs, each with its own recycle bin, is read (and restored).
      - V(converged), the Converged Recordings API, holds Webex Calling and Customer Assist recordings.
      - V(meetings), the Meetings recordings API, holds recordings of meetings, webinars, training and support sessions.
        Its recycle bin is kept per host and Webex site. O(owner_email), O(owner_emails) and O(all_owners) then name
        meeting hosts (sent as C(hostEmail), never in a body).
      - Options of one API only (O(location_id) and O(owner_type) with V(converged); O(site_url) and O(meeting_id) with
        V(meetings)), and a O(service_type) of the other API, are refused before any request.
    type: str
    choices: [converged, meetings]
    default: converged
  site_url:
    description:
      - With O(api=meetings) only. The one Webex site whose recordings are read and restored, its host name
        (V(example.webex.com)).
      - Without it, a user's own recordings are read on all their sites at once, and an administrator's listing reads every
        site of the administrator's own site list (C(GET /meetingPreferences/sites), one read), one listing per site.
        Every restore names its site explicitly.
    type: str
  meeting_id:
    description:
      - With O(api=meetings) only. Only recordings of this meeting (a meeting instance, scheduled meeting or series id);
        filtered by the server (C(meetingId)).
    type: str
  owner_email:
    description:
      - Read the recordings of this owner only (administrator token). With O(api=meetings), the meeting host.
      - Of O(owner_email), O(owner_emails) and O(all_owners) at most one is set; with none, the caller's own recordings are read.
    type: str
  owner_emails:
    description:
      - Read the recordings of these owners (administrator token), compared case-insensitively.
      - More than one owner is read with one organization-wide listing, cheaper than one listing per owner.
    type: list
    elements: str
  all_owners:
    description:
      - Read the recordings of every owner of the organization (administrator token), people, workspaces (V(place)) and virtual lines alike.
      - A user token is refused after the one read that tells its role, before any write.
    type: bool
  location_id:
    description:
      - Only recordings of this Webex Calling location (C(serviceData.locationId)); filtered by the server (C(locationId)).
      - With O(api=converged) only.
    type: str
  owner_type:
    description:
      - Only recordings of this type of owner; filtered by the server (C(ownerType)). With O(api=converged) only.
    type: str
    choices: [user, place, virtualLine]
  service_type:
    description:
      - Only recordings of this service; filtered by the server (C(serviceType)).
      - V(calling) and V(customerAssist) with O(api=converged); V(MeetingCenter), V(EventCenter), V(TrainingCenter) and
        V(SupportCenter) with O(api=meetings).
    type: str
    choices: [calling, customerAssist, MeetingCenter, EventCenter, TrainingCenter, SupportCenter]
  topic:
    description:
      - Only recordings whose topic matches, as the server matches it (case-insensitive; C(topic)).
    type: str
  created_after:
    description:
      - Only recordings created at or after this moment, an ISO 8601 date (V(2026-11-01), midnight UTC) or date-time
        (V(2026-11-01T08:00:00Z); UTC when no offset is given).
      - Replaces the O(lookback_days) horizon. Refused when in the future, or not before O(created_before).
    type: str
  created_before:
    description:
      - Only recordings created before this moment, in the same forms as O(created_after).
      - Refused when in the future. Without it, the window ends one day after now.
    type: str
  lookback_days:
    description:
      - How far back (in days of creation time) recordings are listed, when O(created_after) is not set. From 1 to 3650
        (ten years; Webex keeps call recordings about a year); any other value is refused before any request.
      - Listings are made in windows of 29 days, one day inside the 30 days the administrator listing allows.
    type: int
    default: 365
  max_concurrency:
    description:
      - Requests in flight at once (listing windows, reads per id and restore batches), from 1 to 32.
    type: int
    default: 4
'''
