# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Fixtures of the unit tests. One model of Webex for every test of the service and the module: the
simulator, in-process (simulator_transport.py). The client's own HTTP details are scripted
(scripted_transport.py)."""

import pytest
from requests.adapters import HTTPAdapter

from module_runner import ModuleRunner
from simulator_transport import API, SimulatorTransport, in_process_simulator

ADMIN_TOKEN = 'SECRET-admin-token-0123456789abcdef'
ALICE_TOKEN = 'SECRET-alice-token-0123456789abcdef'
UNIT_SEED = {
    'org_id': '6f9c2d1e-4b7a-4c1e-9a55-0d1c2e3f4a5b',
    'people': [{'email': email} for email in (
        'admin@example.com', 'alice@example.com', 'bob@example.com', 'carol@example.com', 'dan@example.com', 'zed@example.com',
        'user0@example.com', 'user1@example.com', 'user2@example.com', 'user3@example.com')] + [
        {'id': 'workspace-1', 'email': 'lobby@places.example.com', 'type': 'place'},
        {'id': 'vline-1', 'email': 'hotline@lines.example.com', 'type': 'virtualLine'}],
    'tokens': [
        {'token': ADMIN_TOKEN, 'email': 'admin@example.com',
         'scopes': ['spark-admin:recordings_read', 'spark-admin:recordings_write', 'spark:recordings_read', 'spark:recordings_write']},
        {'token': ALICE_TOKEN, 'email': 'alice@example.com', 'scopes': ['spark:recordings_read', 'spark:recordings_write']},
    ],
}


class Webex:
    """The in-process simulator, with the shortcuts the tests need."""

    def __init__(self, transport):
        self.transport = transport
        self.sim = transport.simulator

    def add(self, recording_id, owner='alice@example.com', status='deleted', days_ago=10, **more):
        """One recording; ``more``: seed keys such as location_id, service_type, topic."""
        item = {'id': recording_id, 'owner_email': owner, 'status': status, 'created_days_ago': days_ago,
                'topic': 'call %s' % recording_id}
        item.update(more)
        self.sim.add_recordings({'items': [item]})

    def status(self, recording_id):
        return dict((item['id'], item['status']) for item in self.sim.recordings())[recording_id]

    def faults(self, *faults):
        self.sim.set_faults(list(faults))

    def calls(self, method=None):
        return [entry for entry in self.sim.requests() if method is None or entry['method'] == method]

    def reads(self):
        return self.calls('GET')

    def writes(self):
        return self.calls('POST')

    def clear_log(self):
        self.sim.reset(log=True, faults=False, data=False)


@pytest.fixture
def webex(monkeypatch):
    """Every HTTPAdapter.send (so every Session the code builds) goes to one in-process simulator."""
    transport = SimulatorTransport(in_process_simulator(UNIT_SEED))
    monkeypatch.setattr(HTTPAdapter, 'send', lambda self, request, **kwargs: transport.send(request, **kwargs))
    return Webex(transport)


def _clean_environment(monkeypatch):
    for name in ('WEBEX_ACCESS_TOKEN', 'WEBEX_API_URL', 'WEBEX_VALIDATE_CERTS', 'WEBEX_CA_PATH'):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def run_info(monkeypatch):
    """webex_recording_info's main() with an administrator token by default."""
    _clean_environment(monkeypatch)
    return ModuleRunner(monkeypatch, 'webex_recording_info', ADMIN_TOKEN, API)


@pytest.fixture
def run_module(monkeypatch):
    """webex_recording_restore's main() with an administrator token by default (pass access_token to change)."""
    _clean_environment(monkeypatch)
    return ModuleRunner(monkeypatch, 'webex_recording_restore', ADMIN_TOKEN, API)
