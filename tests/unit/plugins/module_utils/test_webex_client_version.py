# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The collection name and version the client announces (User-Agent) are those of galaxy.yml.

Modules run on managed nodes, where galaxy.yml is not shipped, so the client carries its own copy
(COLLECTION_NAME, COLLECTION_VERSION); these tests keep that copy equal to the galaxy.yml of the
collection under test, and check the header every request of every module carries."""

import pathlib

import pytest
import yaml

from ansible_collections.webexops.recordings.plugins.module_utils import _webex_client

from fixtures import ALICE_TOKEN


def galaxy():
    """galaxy.yml of the collection these module_utils were imported from (the laid-out tree)."""
    root = pathlib.Path(_webex_client.__file__).resolve().parents[2]
    with open(root / 'galaxy.yml', encoding='utf-8') as stream:
        return yaml.safe_load(stream)


def galaxy_agent():
    meta = galaxy()
    return '%s.%s/%s' % (meta['namespace'], meta['name'], meta['version'])


def test_client_name_and_version_equal_galaxy_yml():
    meta = galaxy()
    assert _webex_client.COLLECTION_NAME == '%s.%s' % (meta['namespace'], meta['name'])
    assert _webex_client.COLLECTION_VERSION == str(meta['version'])
    assert _webex_client.user_agent().split(' ')[0] == galaxy_agent()


@pytest.mark.parametrize('runner, args', [
    ('run_module', {'recording_ids': ['r1', 'r2']}),
    ('run_module', {'restore_all': True, 'access_token': ALICE_TOKEN}),
    ('run_info', {'all_owners': True}),
], ids=['restore-by-id', 'restore-own-bin', 'info-all-owners'])
def test_every_request_of_a_module_names_the_galaxy_version(request, webex, runner, args):
    webex.add('r1')
    webex.add('r2', owner='bob@example.com')
    outcome = request.getfixturevalue(runner)(args)
    assert not outcome.failed, outcome.result.get('msg')
    agents = [sent.headers['User-Agent'] for sent in webex.transport.sent]
    assert agents, 'the module sent no request'
    expected = galaxy_agent() + ' python-requests/'
    assert [agent for agent in agents if not agent.startswith(expected)] == []
