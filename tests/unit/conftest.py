# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Fixtures of the unit tests; the test doubles live in restore_fakes.py."""

import pytest
from requests.adapters import HTTPAdapter

from restore_fakes import FakeTransport, FakeWebex, ModuleRunner


@pytest.fixture
def http_transport(monkeypatch):
    """Every HTTPAdapter.send (so every Session the code builds) goes to one FakeTransport."""
    transport = FakeTransport()
    monkeypatch.setattr(HTTPAdapter, 'send', lambda self, request, **kwargs: transport.send(request, **kwargs))
    return transport


@pytest.fixture
def fake_webex(http_transport):
    api = FakeWebex()
    http_transport.handler = api
    return api


@pytest.fixture
def run_module(monkeypatch):
    for name in ('WEBEX_ACCESS_TOKEN', 'WEBEX_API_URL', 'WEBEX_VALIDATE_CERTS', 'WEBEX_CA_PATH'):
        monkeypatch.delenv(name, raising=False)
    return ModuleRunner(monkeypatch)
