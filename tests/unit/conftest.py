# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Fixtures of the unit tests. One model of Webex for every test of the service and the module: the
simulator, in-process (simulator_transport.py). The client's own HTTP details are scripted
(scripted_transport.py). Tokens, seed and the Webex shortcuts are in fixtures.py: tests import
them from there, not from this file."""

import pytest
from requests.adapters import HTTPAdapter

from fixtures import ADMIN_TOKEN, UNIT_SEED, Webex
from module_runner import ModuleRunner
from simulator_transport import API, SimulatorTransport, in_process_simulator


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
