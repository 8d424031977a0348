# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""One selection vocabulary for every module: whose bin (the caller's, one owner, several owners,
every owner of the organization), the filters the list endpoints apply on the server, and the
creation window, and the options that shape the reads (lookback_days, max_concurrency). The doc
fragment ``webexops.recordings.selection`` documents the same options (a unit test keeps them equal).
Pure: no HTTP, no AnsibleModule.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re
from datetime import timedelta

from ansible_collections.webexops.recordings.plugins.module_utils import _windows as windows_
from ansible_collections.webexops.recordings.plugins.module_utils._values import (
    DEFAULT_MAX_CONCURRENCY, MAX_CONCURRENCY, MIN_CONCURRENCY, is_blank, is_email, match_key, owner_key,
)

OWNER_TYPES = ('user', 'place', 'virtualLine')
# The recordings APIs (option ``api``; the modules pick the profile of each): the Converged Recordings API
# (Webex Calling, Customer Assist) and the Meetings recordings API (meetings, webinars, training, support).
API_CONVERGED = 'converged'
API_MEETINGS = 'meetings'
API_CHOICES = (API_CONVERGED, API_MEETINGS)
# service_type: the values of each API, one option for both.
SERVICE_TYPES_OF = {API_CONVERGED: ('calling', 'customerAssist'),
                    API_MEETINGS: ('MeetingCenter', 'EventCenter', 'TrainingCenter', 'SupportCenter')}
SERVICE_TYPES = SERVICE_TYPES_OF[API_CONVERGED] + SERVICE_TYPES_OF[API_MEETINGS]
# The options that apply to one API only; set with the other API, they are refused before any request.
OPTIONS_OF = {API_CONVERGED: ('location_id', 'owner_type'), API_MEETINGS: ('site_url', 'meeting_id')}
SITE_LABEL = re.compile(r'^[a-z0-9]([a-z0-9-]*[a-z0-9])?$')
# The selection filter options, in the order they are shown; the server applies them (the API
# profile names their query parameters).
FILTER_OPTIONS = ('location_id', 'owner_type', 'service_type', 'topic', 'meeting_id')
# Whose bin: at most one of these (none: the caller's own).
OWNER_CHOICES = ('owner_email', 'owner_emails', 'all_owners')

# "Whose recordings", one set of values for the modules' results, the role's runs and its report:
# the caller's own, named owners (owner_email or owner_emails), every owner of the organization, or
# the recordings named by id.
WHOSE_CALLER = 'caller'
WHOSE_OWNERS = 'owners'
WHOSE_ALL_OWNERS = 'all_owners'
WHOSE_RECORDING_IDS = 'recording_ids'
WHOSE = (WHOSE_CALLER, WHOSE_OWNERS, WHOSE_ALL_OWNERS, WHOSE_RECORDING_IDS)

# The longest lookback_days accepted: ten years (Webex keeps call recordings about a year; the AWX
# surveys stop at the same value). A longer horizon would only cost reads: one per 29 days.
MAX_LOOKBACK_DAYS = 3650


def selection_argument_spec():
    """Argspec entries of the selection options shared by every module."""
    return dict(
        api=dict(type='str', choices=list(API_CHOICES), default=API_CONVERGED),
        site_url=dict(type='str'),
        meeting_id=dict(type='str'),
        owner_email=dict(type='str'),
        owner_emails=dict(type='list', elements='str'),
        all_owners=dict(type='bool'),
        location_id=dict(type='str'),
        owner_type=dict(type='str', choices=list(OWNER_TYPES)),
        service_type=dict(type='str', choices=list(SERVICE_TYPES)),
        topic=dict(type='str'),
        created_after=dict(type='str'),
        created_before=dict(type='str'),
        lookback_days=dict(type='int', default=365),
        max_concurrency=dict(type='int', default=DEFAULT_MAX_CONCURRENCY),
    )


def validate_reading(params):
    """Rules of the options that shape the reads (lookback_days, max_concurrency)."""
    errors = []
    lookback_days = params.get('lookback_days')
    if lookback_days is not None and lookback_days < 1:
        errors.append('lookback_days must be at least 1, got %s' % lookback_days)
    elif lookback_days is not None and lookback_days > MAX_LOOKBACK_DAYS:
        errors.append('lookback_days must be at most %d (ten years; Webex keeps call recordings about a year, and every 29 days '
                      'cost one more read), got %s' % (MAX_LOOKBACK_DAYS, lookback_days))
    max_concurrency = params.get('max_concurrency')
    if max_concurrency is not None and not MIN_CONCURRENCY <= max_concurrency <= MAX_CONCURRENCY:
        errors.append('max_concurrency must be between %d and %d, got %s' % (MIN_CONCURRENCY, MAX_CONCURRENCY, max_concurrency))
    return errors


def validate_api(params):
    """Rules of the options of one API only (OPTIONS_OF, service_type): set with the other API, refused."""
    api = params.get('api') or API_CONVERGED
    errors = []
    for other, names in sorted(OPTIONS_OF.items()):
        for name in names:
            if other != api and params.get(name) is not None:
                errors.append('%s applies to api: %s only, not to api: %s (unset it, or set api: %s)' % (name, other, api, other))
    service_type = params.get('service_type')
    if service_type is not None and service_type not in SERVICE_TYPES_OF.get(api, ()):
        errors.append('service_type %s is not a service type of api: %s (with api: %s, one of %s)' % (
            service_type, api, api, ', '.join(SERVICE_TYPES_OF.get(api, ()))))
    site_url = params.get('site_url')
    if site_url is not None and not is_site(site_url):
        errors.append('site_url must be the host name of one Webex site, such as example.webex.com (no scheme, path or '
                      'spaces), got %r' % (site_url,))
    if params.get('meeting_id') is not None and is_blank(params['meeting_id']):
        errors.append('meeting_id must not be empty (leave it unset to not filter)')
    return errors


def is_site(text):
    """A Webex site's host name: labels of letters, digits and hyphens, dotted, at least one dot."""
    labels = text.strip().lower().split('.') if isinstance(text, str) else []
    return len(labels) > 1 and all(len(label) <= 63 and SITE_LABEL.match(label) for label in labels)


def validate_selection(params, now):
    """Rules of the selection the argspec cannot express; messages name the option and the rule."""
    errors = validate_api(params)
    chosen = [name for name in OWNER_CHOICES if params.get(name) not in (None, False)]
    if len(chosen) > 1:
        errors.append('%s are mutually exclusive: choose one whose bin is read' % ' and '.join(chosen))
    owner_email = params.get('owner_email')
    if owner_email is not None and not is_email(owner_email):
        errors.append('owner_email must be an email address, got %r' % (owner_email,))
    owner_emails = params.get('owner_emails')
    if owner_emails is not None:
        if not owner_emails:
            errors.append('owner_emails must not be an empty list')
        bad = [value for value in owner_emails if not is_email(value)]
        if bad:
            errors.append('owner_emails must hold email addresses only, got %s' % ', '.join(repr(value) for value in bad))
    for name in FILTER_OPTIONS:
        value = params.get(name)
        if value is not None and is_blank(value) and name != 'meeting_id':
            errors.append('%s must not be empty (leave it unset to not filter)' % name)
    moments = {}
    for name in ('created_after', 'created_before'):
        text = params.get(name)
        if text is None:
            continue
        moment = windows_.parse_time(text)
        if moment is None:
            errors.append('%s must be an ISO 8601 date (2026-11-01) or date-time (2026-11-01T08:00:00Z), got %r' % (name, text))
        elif moment > now:
            errors.append('%s must not be in the future, got %s' % (name, text))
        else:
            moments[name] = moment
    if len(moments) == 2 and moments['created_after'] >= moments['created_before']:
        errors.append('created_after (%s) must be before created_before (%s)' % (params['created_after'], params['created_before']))
    return errors + validate_reading(params)


def filters(params):
    """The selection filters that are set: {'location_id': ..., ...} (the API profile sends them)."""
    return dict((name, params[name].strip()) for name in FILTER_OPTIONS if params.get(name) is not None)


def has_filter(params):
    """True when anything narrows the selection below whole bins: a server filter or a creation window."""
    return bool(filters(params)) or params.get('created_after') is not None or params.get('created_before') is not None


def listing_windows(params, now):
    """The creation-time windows to list: [created_after, created_before) when either is given (from
    now - lookback_days, to now + 1 day by default), else the lookback horizon."""
    after = windows_.parse_time(params.get('created_after')) if params.get('created_after') else None
    before = windows_.parse_time(params.get('created_before')) if params.get('created_before') else None
    if after is None and before is None:
        return windows_.lookback_windows(now, params['lookback_days'])
    start = after or now - timedelta(days=params['lookback_days'])
    end = before or now + timedelta(days=1)
    return windows_.windows_between(start, end)


def owner_option(params):
    """The option that names whose recordings are read (owner_email, owner_emails, all_owners), or
    None for the caller's own."""
    for name in OWNER_CHOICES:
        if params.get(name) not in (None, False):
            return name
    return None


def describe(params):
    """The selection as a plain dict, for results and reports: whose bin, filters, creation window."""
    option = owner_option(params)
    whose = {None: WHOSE_CALLER, 'all_owners': WHOSE_ALL_OWNERS}.get(option, WHOSE_OWNERS)
    selection = {'whose': whose, 'filters': dict((name, params.get(name)) for name in FILTER_OPTIONS if params.get(name) is not None)}
    for name in ('created_after', 'created_before', 'site_url'):
        if params.get(name) is not None:
            selection[name] = params[name]
    if params.get('created_after') is None:
        selection['lookback_days'] = params.get('lookback_days')
    return selection


def count_by_owner(recordings):
    """{owner key (email, or owner id when none) as first listed: number of recordings}."""
    counts = {}
    shown_as = {}
    for recording in recordings:
        key = owner_key(recording.get('owner_email'), recording.get('owner_id'))
        shown = shown_as.setdefault(match_key(key), key)
        counts[shown] = counts.get(shown, 0) + 1
    return counts


def listing_result(recordings):
    """What the info module returns of listed recordings (the collection's fields): the recordings,
    their count, the count per owner."""
    return {'recordings': list(recordings), 'count': len(recordings), 'count_by_owner': count_by_owner(recordings)}
