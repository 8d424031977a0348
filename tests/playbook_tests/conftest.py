# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the playbook tests: simulators on 127.0.0.1 that the tests start and stop."""

import pathlib

import pytest

from webex_simulator import Simulator

SEEDS = pathlib.Path(__file__).parent / 'seeds'


@pytest.fixture(scope='session')
def module_simulator():
    """One plain-HTTP simulator for the module tests; each test resets it (module_sim)."""
    with Simulator(seed=str(SEEDS / 'module.yml')) as sim:
        yield sim


@pytest.fixture
def module_sim(module_simulator):
    """The module simulator with seed data, no faults and an empty request log."""
    module_simulator.reset(log=True, faults=True, data=True)
    return module_simulator


@pytest.fixture(scope='session')
def tls_simulator():
    """A simulator behind TLS with a self-signed certificate made at start."""
    with Simulator(seed=str(SEEDS / 'module.yml'), tls=True) as sim:
        yield sim
