# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
#
# Internal to the webexops.recordings collection: not a public API, it may change in any release.
"""The seam between the collection and one Webex recordings API: everything the service needs to
know of an API and nothing more. An API profile (``_converged.ConvergedApi``, a test's fake) says
where to list and restore, how "whose" and the filters are sent, how a listed item maps to the
collection's recording fields, what a restore batch is keyed by, and the body of a restore. The
service, the planner and the modules speak only the collection's words: recording fields
(``RECORDING_FIELDS``), selection options, owner keys. Pure: no HTTP.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

# The collection's words for a recording, in the order the info module shows them.
RECORDING_FIELDS = ('id', 'topic', 'owner_email', 'owner_id', 'owner_type', 'service_type', 'create_time',
                    'duration_seconds', 'size_bytes', 'status', 'location_id')
# Every request the service sends is one of these: (method, path, query parameters or None, JSON body or None).
# A path is relative to api_url and already percent-encoded where it carries an id.


class RecordingsApi:
    """One Webex recordings API, as the service sees it. Subclasses fill in the class attributes
    and the methods; every method is pure (it builds requests and maps data, it sends nothing)."""

    name = None
    # The OAuth scopes named in messages: reading and writing as a user, as an administrator.
    user_read_scope = None
    user_write_scope = None
    admin_read_scope = None
    admin_write_scope = None

    def list_request(self, admin, window, status, owner_email=None, filters=None, page_size=100):
        """(path, query) of the first page of a listing of ``status`` over ``window`` (from, to): the
        caller's own recordings, or (``admin``) the organization's, of ``owner_email`` when given,
        narrowed by ``filters`` ({selection filter option: value})."""
        raise NotImplementedError

    def details_path(self, recording_id):
        """Path of one recording's details (a 404 answer means not found)."""
        raise NotImplementedError

    def recording(self, item, fields=None):
        """A listed or read item in the collection's fields (only ``fields`` when given), or None when
        the item is not a recording the collection can use."""
        raise NotImplementedError

    def batch_key(self, recording):
        """What the ids of one restore request must share (a tuple; () when anything goes together)."""
        raise NotImplementedError

    def restore_request(self, key, recording_ids=None, owner_email=None):
        """('POST', path, query, body) restoring ``recording_ids`` (at most 100, sharing ``key``), or,
        when None, the whole bin of ``owner_email`` (the caller's own when None)."""
        raise NotImplementedError
