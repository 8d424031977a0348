# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The doc fragment documents exactly the options of the connection table."""

import yaml

from ansible.module_utils.basic import env_fallback

from ansible_collections.webexops.recordings.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.webexops.recordings.plugins.module_utils._connection import CONNECTION_OPTIONS, connection_argument_spec


def fragment_options():
    return yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']


def test_fragment_and_table_have_the_same_names_types_defaults():
    documented = fragment_options()
    table = dict((name, (option_type, default)) for name, option_type, default, dummy, dummy2 in CONNECTION_OPTIONS)
    assert set(documented) == set(table)
    for name, (option_type, default) in table.items():
        assert documented[name]['type'] == option_type, name
        assert documented[name].get('default') == default, name


def test_fragment_names_every_environment_variable():
    documented = fragment_options()
    for name, dummy, dummy2, env_var, dummy3 in CONNECTION_OPTIONS:
        if env_var:
            assert 'E(%s)' % env_var in ' '.join(documented[name]['description']), name


def test_argspec_built_from_the_table():
    spec = connection_argument_spec()
    assert spec['access_token']['no_log'] is True
    assert spec['access_token']['fallback'] == (env_fallback, ['WEBEX_ACCESS_TOKEN'])
    assert spec['api_url']['default'] == 'https://webexapis.com/v1'
    assert spec['retry_max_wait'] == {'type': 'float', 'default': 120, 'no_log': False}
    assert 'default' not in spec['ca_path']
