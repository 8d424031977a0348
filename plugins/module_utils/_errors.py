# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""The one failure of a task: a message and the (complete) result the task fails with."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class TaskFailed(Exception):
    """Raised by the service; the module glue turns it into ``fail_json(msg=..., **result)``."""

    def __init__(self, msg, result=None):
        super(TaskFailed, self).__init__(msg)
        self.msg = msg
        self.result = dict(result or {})

    @classmethod
    def from_api_error(cls, prefix, error, result=None):
        """A failed Webex request: its message (after ``prefix``) and its trackingId in the result."""
        result = dict(result or {})
        tracking_ids = list(result.get('tracking_ids') or [])
        if error.tracking_id and error.tracking_id not in tracking_ids:
            tracking_ids.append(error.tracking_id)
        result['tracking_ids'] = tracking_ids
        return cls('%s: %s' % (prefix, error) if prefix else str(error), result)

    def fail_json_kwargs(self, requests):
        """Keyword arguments of fail_json: the result, the request counters, and ``changed`` when
        anything was restored before the failure."""
        result = dict(self.result)
        changed = bool(result.pop('changed', False) or result.get('restored'))
        result['requests'] = requests
        return dict(result, msg=self.msg, changed=changed)
