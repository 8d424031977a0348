# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""The one failure of a task: a message and the (complete) result the task fails with."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.webexops.recordings.plugins.module_utils import _diagnosis as diagnosis


class TaskFailed(Exception):
    """Raised by the service; the module glue turns it into ``fail_json(msg=..., **result)``."""

    def __init__(self, msg, result=None):
        super(TaskFailed, self).__init__(msg)
        self.msg = msg
        self.result = dict(result or {})

    @classmethod
    def from_api_error(cls, prefix, error, result=None, hint=None):
        """A failed Webex request: its message (after ``prefix``) with the hint of its cause, and its
        trackingId in the result.

        ``hint``: what the request needs, in the caller's words ('an administrator token with
        spark-admin:recordings_read is needed'), shown when the token was refused this request (403)
        instead of the generic hint; any other cause has its own hint (a token refused, a wrong
        api_url, nothing reachable, TLS, ca_path: see _diagnosis), and ``hint`` is not shown.
        ``prefix`` says what failed and names the option; it holds no guess about the cause."""
        result = dict(result or {})
        tracking_ids = list(result.get('tracking_ids') or [])
        if error.tracking_id and error.tracking_id not in tracking_ids:
            tracking_ids.append(error.tracking_id)
        result['tracking_ids'] = tracking_ids
        text = str(error)
        if hint and getattr(error, 'cause', None) == diagnosis.FORBIDDEN:
            text = '%s. %s' % (error.describe(hint=False), diagnosis.forbidden_hint(hint))
        return cls('%s: %s' % (prefix, text) if prefix else text, result)

    def fail_json_kwargs(self, requests):
        """Keyword arguments of fail_json: the result, the request counters, and ``changed`` when
        anything was restored before the failure."""
        result = dict(self.result)
        changed = bool(result.pop('changed', False) or result.get('restored'))
        result['requests'] = requests
        return dict(result, msg=self.msg, changed=changed)
