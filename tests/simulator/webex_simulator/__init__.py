"""A local simulator of the Webex Converged Recordings API (see docs/simulator.md)."""

from .server import Simulator

__all__ = ['Simulator']
