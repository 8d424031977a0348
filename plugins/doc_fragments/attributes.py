# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment:
    """Attributes every module of webexops.recordings shares (each module adds check_mode and diff_mode)."""

    DOCUMENTATION = r'''
options: {}
attributes:
  platform:
    description: Runs wherever Python and C(requests) can reach the Webex API, usually C(localhost).
    support: full
    platforms: all
  action_group:
    description: Use C(group/webexops.recordings.webex) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - webexops.recordings.webex
'''
