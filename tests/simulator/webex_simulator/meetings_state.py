"""Webex Meetings recordings of the simulated org: sites, who hosts on which site, site admins, recordings.

Pure data: no HTTP, no locking (the caller holds the lock). People and tokens are the ones of the
Converged Recordings store (state.RecordingStore): one org, one set of people, two recycle bins.
"""

import dataclasses
import datetime
import heapq

from . import state

SERVICE_TYPES = ('MeetingCenter', 'EventCenter', 'TrainingCenter', 'SupportCenter')
FORMATS = ('MP4', 'ARF', 'UPLOADED')
# The list endpoints filter on these formats only (the published enum of the format parameter).
FILTER_FORMATS = ('MP4', 'ARF')

SCOPE_USER_READ = 'meeting:recordings_read'
SCOPE_USER_WRITE = 'meeting:recordings_write'
SCOPE_ADMIN_READ = 'meeting:admin_recordings_read'
SCOPE_ADMIN_WRITE = 'meeting:admin_recordings_write'
SCOPE_PREFERENCES_READ = 'meeting:preferences_read'
SCOPE_ADMIN_PREFERENCES_READ = 'meeting:admin_preferences_read'

# Where the published definition is silent, the simulator's reading, and the other one a seed may choose
# (key meeting_choices) so that a client can be tested under both. The first value is the default.
CHOICES = {
    # restore/softDelete/purge with ids: any id unknown, not the host's, on another site, or not in the status
    # the operation needs -> the request fails and nothing changes; or those ids are skipped and the rest acted on.
    'ids': ('all_or_nothing', 'partial'),
    # hostEmail / userEmail sent with a token without the admin-level meeting scope: 403, or ignored.
    'email_for_users': ('refused', 'ignored'),
    # GET /recordings/{id} of a recording in the recycle bin: 404, or 200 with status deleted.
    'details_of_deleted': ('not_found', 'found'),
}

DOWNLOAD_BASE = 'https://download.webex-simulator.invalid'


def hex_id(*names):
    """32 lowercase hex digits, deterministic (a uuid5 of the names without its dashes), like Webex's recording ids."""
    return state.derived_id(*names).replace('-', '')


@dataclasses.dataclass
class Site:
    url: str
    org_id: str


@dataclasses.dataclass
class MeetingRecording:
    """One recording of a meeting, webinar, training or support session, hosted by one person on one site."""

    id: str
    meeting_id: str
    scheduled_meeting_id: str
    meeting_series_id: str
    topic: str
    create_time: datetime.datetime
    duration_seconds: int
    size_bytes: int
    status: str
    host: state.Person
    site_url: str
    service_type: str = 'MeetingCenter'
    format: str = 'MP4'
    shared_with: tuple = ()
    integration_tags: tuple = ()
    sort_key: tuple = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # Newest first by createTime, then by id (the same keys, and so the same cursors, as converged listings).
        self.sort_key = (-state.to_micros(self.create_time), self.id)

    @property
    def time_recorded(self):
        # The file is generated after the meeting: recording start = creation - duration - a minute.
        return self.create_time - datetime.timedelta(seconds=self.duration_seconds + 60)

    def is_shared_with(self, person):
        return any(sharee.id == person.id for sharee in self.shared_with)

    def visible_to(self, person):
        """Hosted by or shared with the person (what the user endpoints show)."""
        return self.host.id == person.id or self.is_shared_with(person)

    def matches_meeting(self, meeting_id):
        """The meetingId filter names a meeting instance, a scheduled meeting or a meeting series."""
        return meeting_id in (self.meeting_id, self.scheduled_meeting_id, self.meeting_series_id)

    def to_json(self, viewer=None, admin=False):
        """RecordingObject as `viewer` sees it (shareToMe); `admin`: RecordingObjectForAdminAndCO (host fields)."""
        ticket = hex_id('ticket', self.id)
        body = {
            'id': self.id,
            'meetingId': self.meeting_id,
            'scheduledMeetingId': self.scheduled_meeting_id,
            'meetingSeriesId': self.meeting_series_id,
            'topic': self.topic,
            'createTime': state.iso_z(self.create_time),
            'timeRecorded': state.iso_z(self.time_recorded),
            'siteUrl': self.site_url,
            # .invalid (RFC 2606): the published shape, pointing nowhere.
            'downloadUrl': '%s/%s/lsr.php?RCID=%s' % (DOWNLOAD_BASE, self.site_url, ticket),
            'playbackUrl': '%s/%s/ldr.php?RCID=%s' % (DOWNLOAD_BASE, self.site_url, hex_id('playback', self.id)),
            'password': '********',
            'format': self.format,
            'serviceType': self.service_type,
            'durationSeconds': self.duration_seconds,
            'sizeBytes': self.size_bytes,
            'shareToMe': bool(viewer is not None and not admin and self.host.id != viewer.id and self.is_shared_with(viewer)),
            'integrationTags': list(self.integration_tags),
            'status': self.status,
        }
        if admin:
            body['hostDisplayName'] = self.host.display_name
            body['hostEmail'] = self.host.email
        return body

    def control_json(self):
        """What GET /_sim/recordings?api=meetings shows: the administrator's view plus who it is shared with."""
        body = self.to_json(admin=True)
        body['sharedWith'] = [sharee.email for sharee in self.shared_with]
        return body


class MeetingStore(state.IndexedRecordings):
    """Sites, the sites of each person, site admins, and meeting recordings indexed for the listings."""

    def __init__(self):
        super().__init__()
        self.sites = {}                # lowercase url -> Site
        self.sites_of = {}             # person id -> [site url, ...] in the order given
        self.preferred_of = {}         # person id -> site url
        self.site_admins = {}          # site url -> {person id}
        self.choices = {name: values[0] for name, values in CHOICES.items()}

    # sites

    def add_site(self, url, org_id):
        site = self.sites.get(url.lower())
        if site is None:
            site = self.sites[url.lower()] = Site(url=url.lower(), org_id=org_id)
        return site

    def site(self, url):
        """The Site of a URL (compared case-insensitively, as host names are), None when unknown."""
        return self.sites.get(url.lower()) if isinstance(url, str) else None

    def set_person_sites(self, person, urls, preferred):
        self.sites_of[person.id] = list(urls)
        self.preferred_of[person.id] = preferred

    def person_sites(self, person):
        return list(self.sites_of.get(person.id, ()))

    def preferred_site(self, person):
        return self.preferred_of.get(person.id)

    def add_site_admin(self, url, person):
        self.site_admins.setdefault(url, set()).add(person.id)

    def is_site_admin(self, person, url):
        return person.id in self.site_admins.get(url, ())

    # recordings

    def _indexes_of(self, recording):
        indexes = [self._index('site', recording.site_url, recording.status),
                   self._index('host', recording.host.id, recording.status)]
        indexes.extend(self._index('sharee', sharee.id, recording.status) for sharee in recording.shared_with)
        return indexes

    def site_window(self, site_url, status, from_micros, to_micros, after_key=None):
        return self._index('site', site_url, status).window(from_micros, to_micros, after_key)

    def visible_window(self, person, status, from_micros, to_micros, after_key=None):
        """Recordings hosted by or shared with the person, newest first (one sorted stream, no repeats)."""
        streams = (self._index('host', person.id, status).window(from_micros, to_micros, after_key),
                   self._index('sharee', person.id, status).window(from_micros, to_micros, after_key))
        seen = set()
        for recording in heapq.merge(*streams, key=lambda recording: recording.sort_key):
            if recording.id not in seen:
                seen.add(recording.id)
                yield recording

    def hosted(self, person, site_url, status):
        """Every recording the person hosts on the site in that status, whatever its age."""
        return [recording for recording in self._index('host', person.id, status).items if recording.site_url == site_url]

    def all_recordings(self):
        """Every meeting recording, purged too, in listing order."""
        return sorted(self.recordings_by_id.values(), key=lambda recording: recording.sort_key)
