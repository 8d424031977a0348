# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""What the role's filters take as input, checked and made plain: texts, ids, booleans, whole numbers, dicts
given as JSON text, and whose recordings a run restores. Controller side only (the filter plugins)."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import json

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.webexops.recordings.plugins.module_utils import _selection

OWNERS = _selection.WHOSE_OWNERS
ALL_OWNERS = _selection.WHOSE_ALL_OWNERS
RECORDING_IDS = _selection.WHOSE_RECORDING_IDS
# Whose recordings a module run of the role restores (the caller's own bin is not one of them).
RUN_WHOSE = (OWNERS, ALL_OWNERS, RECORDING_IDS)


def _plain(value):
    """A copy of JSON-like data made of plain dict, list, str, int, float, bool and None."""
    if isinstance(value, dict):
        return dict((to_text(key), _plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return to_text(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return to_text(value)


def _ids(value):
    """A list of ids; None, '' and other false values give []."""
    return _plain(value) if value else []


def _bool(value):
    return boolean(value, strict=False)


def _first(values, default=''):
    return values[0] if values else default


def _fold(value):
    """The sort key of Jinja's sort filter (case-insensitive on strings)."""
    return value.lower() if isinstance(value, str) else value


def _casefold_sorted(values):
    return sorted(values, key=_fold)


def _difference(values, other):
    """The values not in other, once each, in their order (ansible.builtin.difference then sorted)."""
    other = set(other)
    seen = set()
    result = []
    for value in values:
        if value not in other and value not in seen:
            seen.add(value)
            result.append(value)
    return result


def _require_dict(value, what):
    if not isinstance(value, dict):
        raise AnsibleFilterError('%s must be a dict, not %s' % (what, type(value).__name__))
    return value


def _json_or_dict(value, what):
    """``value``, or the dict the JSON text ``value`` holds (why text: roles/recording_restore/README.md, "Data path")."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise AnsibleFilterError('%s given as text must be JSON: %s' % (what, exc))
    return _require_dict(value, what)


def _require_list(value, what):
    if not isinstance(value, (list, tuple)):
        raise AnsibleFilterError('%s must be a list, not %s' % (what, type(value).__name__))
    return value


def _whose(call, what='call'):
    """Whose recordings the planned run ``call`` restores, as the plain value of _selection.WHOSE."""
    call = _require_dict(call, what)
    whose = call.get('whose')
    if whose not in RUN_WHOSE:
        raise AnsibleFilterError('%s must have whose set to %s, got %r' % (what, ', '.join(RUN_WHOSE), whose))
    return RUN_WHOSE[RUN_WHOSE.index(whose)]


def _texts(value, variable, same=None):
    """The entries of the list ``value`` as trimmed texts, blank and null ones dropped, each once (as ``same`` compares
    them), in their order."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise AnsibleFilterError('%s must be a list, not %s' % (variable, type(value).__name__))
    seen = set()
    result = []
    for position, item in enumerate(value, 1):
        if item is None:
            continue
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise AnsibleFilterError('%s must hold texts only: entry %d is %s' % (variable, position, type(item).__name__))
        text = to_text(item).strip()
        key = same(text) if same else text
        if text and key not in seen:
            seen.add(key)
            result.append(text)
    return result


def _whole(value, variable, rule):
    """``value`` as an int of at least 0 (None: 0); else an error naming the variable and the rule."""
    if value is None:
        return 0
    number = None
    if not isinstance(value, bool):
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if isinstance(value, float) and number != value:
            number = None
    if number is None or number < 0:
        raise AnsibleFilterError('%s must be %s, got %r' % (variable, rule, value))
    return number


def _opt_text(value):
    """A selection value as text; None, '' and blanks give None (not set)."""
    if value is None:
        return None
    return to_text(value).strip() or None


def _opt_int(value, what):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise AnsibleFilterError('%s must be a whole number, not %r' % (what, value))
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AnsibleFilterError('%s must be a whole number, not %r' % (what, value))
