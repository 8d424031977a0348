# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""One table of the connection options shared by every module; builds the argspec part and the client.

The doc fragment ``webexops.recordings.connection`` documents the same options; a unit test keeps
the two equal (names, types, defaults, environment variables).
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import os
import re

from ansible.module_utils.basic import env_fallback

from ansible_collections.webexops.recordings.plugins.module_utils._diagnosis import DEFAULT_API_URL, ca_path_problem
from ansible_collections.webexops.recordings.plugins.module_utils._retry import DEFAULT_RETRY_MAX_WAIT, RetryPolicy
from ansible_collections.webexops.recordings.plugins.module_utils._values import DEFAULT_MAX_CONCURRENCY, is_blank
from ansible_collections.webexops.recordings.plugins.module_utils._webex_client import WebexClient

_URL_RE = re.compile(r'^https?://[^/\s?#]+', re.IGNORECASE)

# name, argspec type, default, environment variable, no_log
CONNECTION_OPTIONS = (
    ('access_token', 'str', None, 'WEBEX_ACCESS_TOKEN', True),
    ('api_url', 'str', DEFAULT_API_URL, 'WEBEX_API_URL', False),
    ('validate_certs', 'bool', True, 'WEBEX_VALIDATE_CERTS', False),
    ('ca_path', 'path', None, 'WEBEX_CA_PATH', False),
    ('timeout', 'float', 30, None, False),
    ('retry_max_wait', 'float', DEFAULT_RETRY_MAX_WAIT, None, False),
)


def connection_argument_spec():
    """Argspec entries of the connection options."""
    spec = {}
    for name, option_type, default, env_var, no_log in CONNECTION_OPTIONS:
        entry = {'type': option_type, 'no_log': no_log}
        if default is not None:
            entry['default'] = default
        if env_var:
            entry['fallback'] = (env_fallback, [env_var])
        spec[name] = entry
    return spec


def validate_connection(params):
    """Rules of the connection options that the argspec cannot express; messages name the option."""
    errors = []
    if is_blank(params.get('access_token')):
        errors.append('access_token is required: set the access_token option or the WEBEX_ACCESS_TOKEN environment variable')
    api_url = params.get('api_url')
    if is_blank(api_url) or not _URL_RE.match(str(api_url).strip()):
        errors.append('api_url must be an http:// or https:// URL with a host, got %r' % (api_url,))
    timeout = params.get('timeout')
    if timeout is not None and timeout <= 0:
        errors.append('timeout must be greater than 0 seconds, got %s' % timeout)
    ca_path = params.get('ca_path')
    if ca_path and params.get('validate_certs') is not False and not os.path.exists(ca_path):
        errors.append(ca_path_problem(ca_path))
    retry_max_wait = params.get('retry_max_wait')
    if retry_max_wait is not None and retry_max_wait < 0:
        errors.append('retry_max_wait must be 0 (never retry) or more seconds, got %s' % retry_max_wait)
    return errors


def build_client(params, notify=None, max_concurrency=DEFAULT_MAX_CONCURRENCY, sleep=None, write_guard=None):
    """A WebexClient configured from validated module parameters."""
    policy_kwargs = {}
    if sleep is not None:
        policy_kwargs['sleep'] = sleep
    policy = RetryPolicy(params['retry_max_wait'], **policy_kwargs)
    return WebexClient(
        api_url=params['api_url'],
        access_token=params['access_token'],
        timeout=params['timeout'],
        validate_certs=params['validate_certs'],
        ca_path=params.get('ca_path'),
        retry_policy=policy,
        notify=notify,
        max_concurrency=max_concurrency,
        write_guard=write_guard,
    )
