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
# A profile returns those its API has (Converged: no owner_name, site_url, share_to_me, meeting_id; Meetings: no owner_id,
# owner_type, location_id).
RECORDING_FIELDS = ('id', 'topic', 'owner_email', 'owner_id', 'owner_type', 'owner_name', 'service_type', 'create_time',
                    'duration_seconds', 'size_bytes', 'status', 'location_id', 'site_url', 'share_to_me', 'meeting_id')
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
    # True when the details of a recording in the recycle bin cannot be read (ids are then always found by
    # listing the bin, and a write of unknown outcome is always checked with a listing).
    lists_to_find_ids = False
    # Fields of the collection that the per-recording results carry besides the common ones.
    result_fields = ()
    # Fields of the collection that say who an owner is and that the listings give: the per-owner results of a bin
    # restore carry them (null for an owner whose recordings did not say).
    owner_fields = ()

    def scopes_request(self, admin):
        """(path, query) of the one read that tells which scopes a listing must cover (the answer goes
        to ``scopes``), or None when the profile knows them without a read."""
        return None

    def scopes(self, admin, answer=None):
        """The scopes a listing covers, one listing each (opaque values handed to ``list_request``):
        [None] is one listing of the whole organization or the caller's whole bin."""
        return [None]

    def list_request(self, admin, window, status, owner_email=None, filters=None, page_size=100, scope=None):
        """(path, query) of the first page of a listing of ``status`` over ``window`` (from, to): the
        caller's own recordings, or (``admin``) the organization's, of ``owner_email`` when given,
        narrowed by ``filters`` ({selection filter option: value}), in ``scope`` (one of ``scopes``)."""
        raise NotImplementedError

    def accepts(self, item, context):
        """Whether a listed item belongs to the listing (what the server does not filter itself).
        ``context``: {admin, owner_email, filters, scopes, span (from, to) of every window}."""
        return True

    def owner_probe_request(self, owner_email, window, status):
        """(path, query) of one read of at most one recording of ``owner_email`` (administrator): an
        owner with some is known."""
        return self.list_request(True, window, status, owner_email, page_size=1)

    def details_path(self, recording_id):
        """Path of one recording's details (a 404 answer means not found)."""
        raise NotImplementedError

    def details_headers(self):
        """Headers of a details read, or None."""
        return None

    def details_cover(self, admin):
        """Whether a details read finds any recording the listing of ``admin`` finds (else the ids not
        in the recycle bin are looked for in a listing of the available recordings)."""
        return True

    def recording(self, item, fields=None):
        """A listed or read item in the collection's fields (only ``fields`` when given), or None when
        the item is not a recording the collection can use."""
        raise NotImplementedError

    def batch_key(self, recording):
        """What the ids of one restore request must share (a tuple; () when anything goes together)."""
        raise NotImplementedError

    def batch_scope(self, key):
        """The listing scope that holds the recordings of batch ``key`` (None: the default ones)."""
        return None

    def restore_request(self, key, recording_ids=None, owner_email=None):
        """('POST', path, query, body) restoring ``recording_ids`` (at most 100, sharing ``key``), or,
        when None, the whole bin of ``owner_email`` (the caller's own when None) of ``key``."""
        raise NotImplementedError
