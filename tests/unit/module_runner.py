# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Runs a module's main() with patched arguments (ansible-core 2.16 .. 2.19) and catches what it
exits with; retry waits are recorded, not slept."""

import contextlib
import importlib
import json

import pytest

from ansible.module_utils import basic


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super().__init__(result.get('msg'))
        self.result = result
        self.failed = failed


@contextlib.contextmanager
def module_args(args):
    """patch_module_args of ansible-core 2.19, or the classic _ANSIBLE_ARGS patch before it."""
    try:
        from ansible.module_utils.testing import patch_module_args
    except ImportError:
        patch_module_args = None
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    saved = basic._ANSIBLE_ARGS
    basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode()
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = saved


class ModuleRunner:
    def __init__(self, monkeypatch, module_name, token, api_url):
        self.module_name = module_name
        self.token = token
        self.api_url = api_url
        self.warnings = []
        self.logs = []
        self.monkeypatch = monkeypatch

        def exit_json(module, **kwargs):
            raise ModuleExit(kwargs, failed=False)

        def fail_json(module, msg, **kwargs):
            kwargs['msg'] = msg
            raise ModuleExit(kwargs, failed=True)

        monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
        monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
        monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda module, warning: self.warnings.append(warning))
        monkeypatch.setattr(basic.AnsibleModule, 'log', lambda module, msg, log_args=None: self.logs.append(msg))
        # Waits of the retry policy are not slept in unit tests.
        from ansible_collections.webexops.recordings.plugins.module_utils import _retry
        self.slept = []
        monkeypatch.setattr(_retry.RetryPolicy, '__init__', _fast_policy_init(_retry.RetryPolicy.__init__, self.slept))

    def __call__(self, args, check_mode=False, diff=False, with_token=True, with_api=True):
        module = importlib.import_module('ansible_collections.webexops.recordings.plugins.modules.' + self.module_name)
        args = dict(args)
        if with_token:
            args.setdefault('access_token', self.token)
        if with_api:
            args.setdefault('api_url', self.api_url)
        if check_mode:
            args['_ansible_check_mode'] = True
        if diff:
            args['_ansible_diff'] = True
        with module_args(args):
            with pytest.raises(ModuleExit) as caught:
                module.main()
        return caught.value


def _fast_policy_init(original, slept):
    def init(self, max_wait, sleep=None, **kwargs):
        original(self, max_wait, sleep=slept.append, **kwargs)
    return init


def all_text(value):
    """Every string inside a result (keys and values), for secret searches."""
    if isinstance(value, dict):
        return ' '.join(all_text(k) + ' ' + all_text(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ' '.join(all_text(v) for v in value)
    return str(value)
