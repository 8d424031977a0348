# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""The registry of API profiles: the modules pick the profile of the ``api`` option here, and the
service, the listing engine and the planner get the profile object."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible_collections.webexops.recordings.plugins.module_utils._converged import ConvergedApi
from ansible_collections.webexops.recordings.plugins.module_utils._meetings import MeetingsApi

PROFILES = {ConvergedApi.name: ConvergedApi, MeetingsApi.name: MeetingsApi}


def api_profile(params):
    """The profile of ``params['api']`` (default converged), set up with the options it takes."""
    name = params.get('api') or ConvergedApi.name
    if name == MeetingsApi.name:
        return MeetingsApi(site_url=params.get('site_url'))
    return PROFILES[name]()
