# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""One selection vocabulary for every module: whose bin (the caller's, one owner, several owners,
every owner of the organization), the filters the list endpoints apply on the server, and the
creation window. The doc fragment ``webexops.recordings.selection`` documents the same options (a
unit test keeps them equal). Pure: no HTTP, no AnsibleModule.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re
from datetime import datetime, timedelta, timezone

from ansible_collections.webexops.recordings.plugins.module_utils import _planner as planner

OWNER_TYPES = ('user', 'place', 'virtualLine')
SERVICE_TYPES = ('calling', 'customerAssist')
# option -> query parameter of the list endpoints (filtered by the server)
API_FILTERS = (
    ('location_id', 'locationId'),
    ('owner_type', 'ownerType'),
    ('service_type', 'serviceType'),
    ('topic', 'topic'),
)
# The selection filter options, in the order they are shown (the server applies them).
FILTER_OPTIONS = tuple(name for name, dummy in API_FILTERS)
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

_DATE_RE = re.compile(r'^\d{4}-\d{2}-\d{2}$')
_DATETIME_RE = re.compile(r'^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$')


def selection_argument_spec():
    """Argspec entries of the selection options shared by every module."""
    return dict(
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
        max_concurrency=dict(type='int', default=4),
    )


def parse_moment(text):
    """An ISO 8601 date (midnight UTC) or date-time (UTC when no offset) as an aware datetime, or None."""
    text = (text or '').strip()
    if _DATE_RE.match(text):
        try:
            return datetime.strptime(text, '%Y-%m-%d').replace(tzinfo=timezone.utc)
        except ValueError:
            return None
    match = _DATETIME_RE.match(text)
    if not match:
        return None
    day, hour, minute, second, offset = match.groups()
    try:
        moment = datetime.strptime('%s %s:%s:%s' % (day, hour, minute, second or '00'), '%Y-%m-%d %H:%M:%S')
    except ValueError:
        return None
    if offset in (None, 'Z'):
        return moment.replace(tzinfo=timezone.utc)
    sign = -1 if offset[0] == '-' else 1
    digits = offset[1:].replace(':', '')
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return moment.replace(tzinfo=timezone(sign * delta))


def validate_selection(params, now):
    """Rules of the selection the argspec cannot express; messages name the option and the rule."""
    errors = []
    chosen = [name for name in OWNER_CHOICES if params.get(name) not in (None, False)]
    if len(chosen) > 1:
        errors.append('%s are mutually exclusive: choose one whose bin is read' % ' and '.join(chosen))
    owner_email = params.get('owner_email')
    if owner_email is not None and not planner.is_email(owner_email):
        errors.append('owner_email must be an email address, got %r' % (owner_email,))
    owner_emails = params.get('owner_emails')
    if owner_emails is not None:
        if not owner_emails:
            errors.append('owner_emails must not be an empty list')
        bad = [value for value in owner_emails if not planner.is_email(value)]
        if bad:
            errors.append('owner_emails must hold email addresses only, got %s' % ', '.join(repr(value) for value in bad))
    for name, dummy in API_FILTERS:
        value = params.get(name)
        if value is not None and planner.is_blank(value):
            errors.append('%s must not be empty (leave it unset to not filter)' % name)
    moments = {}
    for name in ('created_after', 'created_before'):
        text = params.get(name)
        if text is None:
            continue
        moment = parse_moment(text)
        if moment is None:
            errors.append('%s must be an ISO 8601 date (2026-11-01) or date-time (2026-11-01T08:00:00Z), got %r' % (name, text))
        elif moment > now:
            errors.append('%s must not be in the future, got %s' % (name, text))
        else:
            moments[name] = moment
    if len(moments) == 2 and moments['created_after'] >= moments['created_before']:
        errors.append('created_after (%s) must be before created_before (%s)' % (params['created_after'], params['created_before']))
    return errors + planner.validate_reading(params)


def api_filters(params):
    """The query parameters of the filters that are set: {'locationId': ..., ...}."""
    return dict((query, params[name].strip()) for name, query in API_FILTERS if params.get(name) is not None)


def has_filter(params):
    """True when anything narrows the selection below whole bins: a server filter or a creation window."""
    return bool(api_filters(params)) or params.get('created_after') is not None or params.get('created_before') is not None


def listing_windows(params, now):
    """The creation-time windows to list: [created_after, created_before) when either is given (from
    now - lookback_days, to now + 1 day by default), else the lookback horizon."""
    after = parse_moment(params.get('created_after')) if params.get('created_after') else None
    before = parse_moment(params.get('created_before')) if params.get('created_before') else None
    if after is None and before is None:
        return planner.lookback_windows(now, params['lookback_days'])
    start = after or now - timedelta(days=params['lookback_days'])
    end = before or now + timedelta(days=1)
    return planner.windows_between(start, end)


def describe(params):
    """The selection as a plain dict, for results and reports: whose bin, filters, creation window."""
    if params.get('all_owners'):
        whose = WHOSE_ALL_OWNERS
    elif params.get('owner_emails') is not None or params.get('owner_email') is not None:
        whose = WHOSE_OWNERS
    else:
        whose = WHOSE_CALLER
    selection = {'whose': whose, 'filters': dict((name, params.get(name)) for name, dummy in API_FILTERS if params.get(name) is not None)}
    for name in ('created_after', 'created_before'):
        if params.get(name) is not None:
            selection[name] = params[name]
    if params.get('created_after') is None:
        selection['lookback_days'] = params.get('lookback_days')
    return selection


# (result name, recording key) of what the info module returns of each recording
RECORDING_FIELDS = (
    ('id', 'id'), ('topic', 'topic'), ('owner_email', 'ownerEmail'), ('owner_id', 'ownerId'), ('owner_type', 'ownerType'),
    ('service_type', 'serviceType'), ('create_time', 'createTime'), ('duration_seconds', 'durationSeconds'),
    ('size_bytes', 'sizeBytes'), ('status', 'status'),
)


def describe_recording(item):
    """A listed recording in the result's words (snake_case; location from serviceData)."""
    described = dict((name, item.get(key)) for name, key in RECORDING_FIELDS)
    described['location_id'] = (item.get('serviceData') or {}).get('locationId')
    return described


def count_by_owner(items):
    """{owner key (email, or owner id when none) as first listed: number of recordings}."""
    counts = {}
    shown_as = {}
    for item in items:
        key = planner.owner_key(item.get('ownerEmail'), item.get('ownerId'))
        shown = shown_as.setdefault(planner.match_key(key), key)
        counts[shown] = counts.get(shown, 0) + 1
    return counts


def listing_result(items):
    """What the info module returns of listed recordings: each described, their count, the count per owner."""
    return {'recordings': [describe_recording(item) for item in items], 'count': len(items), 'owners': count_by_owner(items)}
