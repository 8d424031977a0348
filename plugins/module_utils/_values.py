# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""What a value means, once for the whole collection: blank, email, recording id, owner key, and the
defaults several files share. Pure: no HTTP, no AnsibleModule, no other file of the collection."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import re

# Requests in flight at once (listing windows, id reads, restore batches), and its bounds.
DEFAULT_MAX_CONCURRENCY = 4
MIN_CONCURRENCY = 1
MAX_CONCURRENCY = 32

# A deliberately simple check: one @, no blanks, a dot in the domain. The API has the last word.
_EMAIL_RE = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s.]+$')


def is_blank(value):
    """None, empty or only blanks."""
    return value is None or not str(value).strip()


def is_email(value):
    """A deliberately simple check (one @, no blanks, a dot in the domain); the API has the last word."""
    return bool(_EMAIL_RE.match((value or '').strip()))


def email_key(email):
    """The form under which two owner emails are the same owner: Webex compares them case-insensitively."""
    return (email or '').strip().lower()


def owner_key(owner_email, owner_id):
    """How per-owner results are keyed: the owner's email, or its id when it has none (workspaces,
    virtual lines)."""
    return (owner_email or '').strip() or owner_id or ''


def match_key(key):
    """The form under which two owner keys (emails or owner ids) are the same owner."""
    return email_key(key) if '@' in key else key


def id_problem(recording_id):
    """Why ``recording_id`` cannot be sent, or None. An id travels as exactly one URL path segment
    (percent-encoded): ``.`` and ``..`` would be removed as dot segments and steer the request to
    another path, ``/`` and ``\\`` separate segments for some HTTP stacks, and blanks or control
    characters are never part of a Webex id. Surrounding blanks are ignored."""
    if is_blank(recording_id):
        return 'an id must not be empty or blank'
    value = str(recording_id).strip()
    if value in ('.', '..'):
        return 'an id must not be "." or "..", which a URL path resolves to another endpoint'
    if any(char in value for char in '/\\'):
        return 'an id must not contain "/" or "\\" (it must travel as exactly one URL path segment)'
    if any(char.isspace() or ord(char) < 32 or 127 <= ord(char) < 160 for char in value):
        return 'an id must not contain blanks or control characters'
    return None


def unique_ids(recording_ids):
    """Ids without duplicates (nor surrounding blanks), in the order of first appearance."""
    seen = set()
    result = []
    for value in recording_ids or []:
        value = value.strip()
        if value not in seen:
            seen.add(value)
            result.append(value)
    return result


def unique_owners(owner_emails):
    """Owner emails without duplicates (compared as email_key), stripped, in the order given."""
    seen = set()
    result = []
    for email in owner_emails or []:
        if email_key(email) not in seen:
            seen.add(email_key(email))
            result.append(email.strip())
    return result
