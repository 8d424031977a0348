# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""The Ansible glue every module of the collection shares: build the AnsibleModule with the
connection options, refuse bad parameters before any request, build the client, call
``run(module, client) -> (changed, result, diff)``, and turn every failure into one fail_json.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.webexops.recordings.plugins.module_utils._connection import (
    build_client, connection_argument_spec, validate_connection,
)
from ansible_collections.webexops.recordings.plugins.module_utils._errors import TaskFailed
from ansible_collections.webexops.recordings.plugins.module_utils._lifeline import Lifeline
from ansible_collections.webexops.recordings.plugins.module_utils._values import DEFAULT_MAX_CONCURRENCY
from ansible_collections.webexops.recordings.plugins.module_utils._webex_client import (
    HAS_REQUESTS, REQUESTS_IMPORT_ERROR, WebexApiError, redact,
)


class RetryLog:
    """Logs every retry of the client as it happens and sums them up in one warning at the end."""

    def __init__(self, module):
        self.module = module
        self.events = []

    def notify(self, event):
        self.events.append(event)
        self.module.log('webex retry %d of %s %s after %s: waiting %.1fs' % (
            event['retry'], event['method'], event['path'], event['reason'], event['wait']))

    def warn_summary(self):
        if not self.events:
            return
        reasons = {}
        for event in self.events:
            reasons[event['reason']] = reasons.get(event['reason'], 0) + 1
        waited = sum(event['wait'] for event in self.events)
        self.module.warn('%d Webex API request(s) were retried (%s); %.1fs waited of retry_max_wait=%gs' % (
            len(self.events), ', '.join('%s x%d' % item for item in sorted(reasons.items())), waited,
            self.module.params['retry_max_wait']))


def run_module(argument_spec, run, validate, empty_result=None, **module_rules):
    """Run one module: ``argument_spec`` without the connection options, ``validate(params)`` the
    rules the argspec cannot express (a list of messages), ``empty_result`` the result keys a
    failure returns when nothing was read, ``module_rules`` the AnsibleModule keyword arguments
    (mutually_exclusive, required_one_of, ...)."""
    spec = dict(argument_spec)
    spec.update(connection_argument_spec())
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **module_rules)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    secrets = [module.params['access_token'] or '']
    problems = validate_connection(module.params) + validate(module.params)
    if problems:
        module.fail_json(msg=redact('; '.join(problems), secrets))

    retries = RetryLog(module)
    # A module whose controller is gone, or that is told to stop (a cancelled job), sends no further write.
    lifeline = Lifeline()
    lifeline.catch_stop_signals()
    client = build_client(module.params, notify=retries.notify, max_concurrency=module.params.get('max_concurrency') or DEFAULT_MAX_CONCURRENCY,
                          write_guard=lifeline.gone)
    failure = None
    try:
        changed, result, diff = run(module, client)
    except TaskFailed as exc:
        failure = exc
    except WebexApiError as exc:
        failure = TaskFailed.from_api_error(None, exc, empty_result)
    finally:
        retries.warn_summary()
    if failure is not None:
        kwargs = failure.fail_json_kwargs(client.request_counts())
        if 'api' in module.params:
            # Which recordings API the run used, on a failure too (whatever raised it).
            kwargs.setdefault('api', module.params['api'])
        module.fail_json(msg=redact(kwargs.pop('msg'), secrets), **kwargs)
    result['requests'] = client.request_counts()
    if module._diff:
        result['diff'] = diff
    module.exit_json(changed=changed, **result)
