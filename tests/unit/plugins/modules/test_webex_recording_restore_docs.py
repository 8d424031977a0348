# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The module's documentation states exactly its argument spec (that the module stays thin: test_modules_are_thin.py)."""

import yaml

from ansible_collections.webexops.recordings.plugins.module_utils._converged import ConvergedApi
from ansible_collections.webexops.recordings.plugins.module_utils._meetings import MeetingsApi
from ansible_collections.webexops.recordings.plugins.module_utils._selection import selection_argument_spec
from ansible_collections.webexops.recordings.plugins.modules import webex_recording_restore


def test_module_documents_its_own_options_like_its_argspec():
    doc = yaml.safe_load(webex_recording_restore.DOCUMENTATION)
    assert doc['extends_documentation_fragment'] == ['webexops.recordings.attributes', 'webexops.recordings.connection',
                                                     'webexops.recordings.selection']
    shared = selection_argument_spec()
    own = dict((name, entry) for name, entry in webex_recording_restore.ARGUMENT_SPEC.items()
               if name not in shared or name in doc['options'])
    assert set(doc['options']) == set(own)
    for name, entry in own.items():
        assert doc['options'][name]['type'] == entry['type']
        assert doc['options'][name].get('default') == entry.get('default')
        assert doc['options'][name].get('elements') == entry.get('elements')
        assert doc['options'][name].get('choices') == entry.get('choices')
        assert doc['options'][name].get('aliases') == entry.get('aliases')


def test_the_missing_option_has_a_name_apart_from_the_missing_result_key():
    doc = yaml.safe_load(webex_recording_restore.DOCUMENTATION)
    returned = yaml.safe_load(webex_recording_restore.RETURN)
    assert 'missing' in returned and 'missing' not in doc['options']
    assert doc['options']['on_missing']['aliases'] == ['missing']


def test_owners_result_has_no_always_empty_keys():
    returned = yaml.safe_load(webex_recording_restore.RETURN)
    contains = returned['owners']['contains']
    assert set(contains) == {'restored', 'failed', 'unknown', 'tracking_id', 'owner_type', 'owner_name'}
    # Who the owner is: each key only with the API whose listings give it (never a key null for every owner).
    assert contains['owner_type']['returned'] == 'when O(api=converged)' and ConvergedApi.owner_fields == ('owner_type',)
    assert contains['owner_name']['returned'] == 'when O(api=meetings)' and MeetingsApi.owner_fields == ('owner_name',)
