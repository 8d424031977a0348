# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX credential type (docs/awx/credential_type.yml) and module_defaults, end to end.

The credential type's injectors are rendered the way AWX / Automation Controller renders them
(sandboxed Jinja2; a string input left empty is undefined, an unset boolean input is False), and
the runbook runs with exactly that environment: no token in extra vars, none on the command line.
"""

import json
import pathlib
import subprocess

import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from _playbook import ANSIBLE_PLAYBOOK, ansible_env, run_module_play, run_playbook
from webex_simulator import Simulator

COLLECTION_ROOT = pathlib.Path(__file__).resolve().parents[2]
CREDENTIAL_TYPE = COLLECTION_ROOT / 'docs' / 'awx' / 'credential_type.yml'
OWNER_BINS_PLAYBOOK = COLLECTION_ROOT / 'playbooks' / 'restore_owner_bins.yml'
TOKEN = 'admin-token'


def load_credential_type():
    return yaml.safe_load(CREDENTIAL_TYPE.read_text())


def render_injected_env(credential_type, inputs):
    """The environment AWX injects for a credential with these inputs."""
    namespace = {name: value for name, value in inputs.items() if value not in (None, '')}
    for field in credential_type['inputs']['fields']:
        if field['type'] == 'boolean' and field['id'] not in namespace:
            namespace[field['id']] = False
    sandbox = ImmutableSandboxedEnvironment()
    return {name: sandbox.from_string(template).render(**namespace)
            for name, template in credential_type['injectors']['env'].items()}


def deleted_recordings(sim):
    return sim.recordings(status='deleted')


def test_credential_type_shape():
    """What AWX accepts, and a token that is secret, required and only ever injected as env."""
    spec = load_credential_type()
    assert set(spec) <= {'name', 'description', 'kind', 'inputs', 'injectors'}
    assert spec['kind'] == 'cloud'
    fields = {field['id']: field for field in spec['inputs']['fields']}
    assert set(fields) == {'token', 'api_url', 'ca_path', 'validate_certs'}
    for field in fields.values():
        assert set(field) <= {'id', 'label', 'type', 'secret', 'help_text', 'multiline', 'choices',
                              'format', 'ask_at_runtime'}
        assert field['type'] in ('string', 'boolean')
    assert fields['token']['secret'] is True
    assert spec['inputs']['required'] == ['token']
    assert set(spec['injectors']) == {'env'}, 'the token must not be injected as an extra var or a file'
    assert set(spec['injectors']['env']) == {'WEBEX_ACCESS_TOKEN', 'WEBEX_API_URL', 'WEBEX_CA_PATH',
                                             'WEBEX_VALIDATE_CERTS'}


def test_injector_defaults_are_safe():
    """Only the token set: the public API, certificate checks on."""
    env = render_injected_env(load_credential_type(), {'token': 't0k3n'})
    assert env == {'WEBEX_ACCESS_TOKEN': 't0k3n', 'WEBEX_API_URL': 'https://webexapis.com/v1',
                   'WEBEX_CA_PATH': '', 'WEBEX_VALIDATE_CERTS': 'true'}
    env = render_injected_env(load_credential_type(), {'token': 't', 'validate_certs': 'false'})
    assert env['WEBEX_VALIDATE_CERTS'] == 'false'


@pytest.mark.parametrize('tls', [True, False], ids=['tls-with-ca-path', 'plain-token-and-url-only'])
def test_runbook_with_the_injected_environment_empties_the_bins(tmp_path, tls):
    with Simulator(tls=tls) as sim:
        inputs = {'token': TOKEN, 'api_url': sim.api_url}
        if tls:
            inputs['ca_path'] = sim.ca_file
        env = render_injected_env(load_credential_type(), inputs)
        assert env['WEBEX_ACCESS_TOKEN'] == TOKEN and env['WEBEX_API_URL'] == sim.api_url

        # the owners with an email (workspaces and virtual lines have none: the owner-bins runbook cannot name them)
        owners = sorted({item['ownerEmail'] for item in deleted_recordings(sim) if item.get('ownerEmail')})
        assert owners, 'the default seed has recordings in the recycle bin'
        survey = tmp_path / 'survey.json'
        survey.write_text(json.dumps({'restore_owners': '\n'.join(owners)}))

        command_env = ansible_env(env)
        assert not [name for name in command_env if name.startswith('WEBEX_') and name not in env]
        completed = subprocess.run([ANSIBLE_PLAYBOOK, str(OWNER_BINS_PLAYBOOK), '-e', '@%s' % survey],
                                   env=command_env, cwd=str(tmp_path), capture_output=True, text=True,
                                   timeout=600, check=False)
        output = completed.stdout + completed.stderr
        assert completed.returncode == 0, output
        assert [item for item in deleted_recordings(sim) if item.get('ownerEmail')] == []
        assert sim.counters()['writes'] >= 1
        assert TOKEN not in output, 'the token leaked into the job output'


def test_module_defaults_group_sets_the_connection_once(tmp_path):
    """Token and API URL set once for the action group; the tasks name neither."""
    with Simulator() as sim:
        before = [item for item in deleted_recordings(sim) if item.get('ownerEmail') == 'alice@example.com']
        assert before
        run = run_module_play(
            tmp_path, {'restore_all': True, 'owner_email': 'alice@example.com'},
            play_extra={'module_defaults': {'group/webexops.recordings.webex': {
                'access_token': TOKEN, 'api_url': sim.api_url}}})
        assert run.returncode == 0, run
        result = run.results[0]
        assert not result.get('failed'), result
        assert result['changed'] is True
        assert sorted(result['restored']) == sorted(item['id'] for item in before)
        assert [item for item in deleted_recordings(sim) if item.get('ownerEmail') == 'alice@example.com'] == []

        # The same group default also reaches a second task, and nothing is left to do.
        plays = [{
            'name': 'Two tasks, one connection',
            'hosts': 'localhost',
            'gather_facts': False,
            'vars': {'ansible_python_interpreter': '{{ ansible_playbook_python }}'},
            'module_defaults': {'group/webexops.recordings.webex': {'access_token': TOKEN, 'api_url': sim.api_url}},
            'tasks': [
                {'name': 'Restore alice again', 'register': 'again',
                 'webexops.recordings.webex_recording_restore': {'restore_all': True, 'owner_email': 'alice@example.com'}},
                {'name': 'Nothing changed', 'ansible.builtin.assert': {'that': ['not again.changed']}},
            ],
        }]
        second = run_playbook(tmp_path, plays)
        assert second.returncode == 0, second
