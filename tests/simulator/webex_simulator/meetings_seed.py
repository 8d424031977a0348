"""Seed data of the Meetings recordings API: sites, the sites of each person, site admins, meeting recordings.

Read from the same seed as the converged data (docs/simulator.md, "Meetings"), after its people and tokens:

    sites: [example.webex.com, {url: example-eu.webex.com, org_id: ...}]
    site_admins: {example.webex.com: [admin@example.com]}
    people: [{email: alice@example.com, sites: [example.webex.com], preferred_site: example.webex.com}, ...]
    meeting_recordings: [{host: alice@example.com, site: example.webex.com, status: deleted, ...}]
    meeting_generate: [{hosts: 100, per_host: 5, status: deleted, sites: [example.webex.com], ...}]
    meeting_choices: {ids: all_or_nothing, email_for_users: refused, details_of_deleted: not_found}
"""

import datetime
import re

from . import meetings_state as mstate
from . import seed as seedlib
from . import state

SITE_PATTERN = re.compile(r'^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$')
HEX_ID_PATTERN = re.compile(r'^[0-9a-f]{32}$')

_TOPICS = {
    'MeetingCenter': 'Team meeting',
    'EventCenter': 'Town hall webinar',
    'TrainingCenter': 'Training session',
    'SupportCenter': 'Support session',
}


class MeetingSeedLoader:
    """Applies the meetings part of a seed (or of a POST /_sim/recordings?api=meetings fragment) to a MeetingStore.

    `people` must already hold every person named (seed.SeedLoader loads people and tokens first).
    """

    def __init__(self, people, store, start_time, org_id=seedlib.DEFAULT_ORG_ID):
        self.people = people
        self.store = store
        self.start_time = start_time
        self.org_id = org_id

    def load(self, data, items_key='meeting_recordings', generate_key='meeting_generate'):
        """Load sites, the people's sites, site admins, choices and recordings. Returns the new recordings."""
        if not isinstance(data, dict):
            raise seedlib.SeedError('seed data must be a mapping')
        try:
            return self._load(data, items_key, generate_key)
        except seedlib.SeedError:
            raise
        except (TypeError, ValueError, OverflowError, AttributeError) as error:
            raise seedlib.SeedError('bad meetings seed data: %s: %s' % (type(error).__name__, error)) from None

    def _load(self, data, items_key, generate_key):
        self.org_id = str(data.get('org_id') or self.org_id)
        self._choices(data.get('meeting_choices'))
        sites = data.get('sites') or []
        if not isinstance(sites, list):
            raise seedlib.SeedError('sites must be a list of site URLs (or {url, org_id} mappings)')
        for entry in sites:
            self._site(entry)
        for entry in self._list(data, 'people'):
            if 'sites' in entry or 'preferred_site' in entry:
                self._person_sites(entry)
        site_admins = data.get('site_admins') or {}
        if not isinstance(site_admins, dict):
            raise seedlib.SeedError('site_admins must map a site URL to a list of emails')
        for url, emails in site_admins.items():
            self._site_admins(url, emails)
        recordings = [self._recording(entry, position) for position, entry in enumerate(self._list(data, items_key))]
        entries = data.get(generate_key) or []
        if isinstance(entries, dict):
            entries = [entries]
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            raise seedlib.SeedError('%s must be a list of mappings' % generate_key)
        for entry in entries:
            recordings.extend(self._generate(entry))
        self.store.add_recordings(recordings)
        return recordings

    @staticmethod
    def _list(data, key):
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
            raise seedlib.SeedError('%s must be a list of mappings' % key)
        return value

    def _choices(self, choices):
        if choices is None:
            return
        if not isinstance(choices, dict):
            raise seedlib.SeedError('meeting_choices must be a mapping')
        for name, value in choices.items():
            if name not in mstate.CHOICES:
                raise seedlib.SeedError('meeting_choices: unknown choice %r (known: %s)' % (name, ', '.join(mstate.CHOICES)))
            if value not in mstate.CHOICES[name]:
                raise seedlib.SeedError('meeting_choices: %s must be one of %s, not %r'
                                        % (name, ', '.join(mstate.CHOICES[name]), value))
            self.store.choices[name] = value

    def _site(self, entry):
        if isinstance(entry, dict):
            url, org_id = entry.get('url'), str(entry.get('org_id') or self.org_id)
        else:
            url, org_id = entry, self.org_id
        if not (isinstance(url, str) and SITE_PATTERN.match(url.lower())):
            raise seedlib.SeedError('a site must be a host name such as example.webex.com: %r' % (entry,))
        known = self.store.site(url)
        if known is not None and known.org_id != org_id:
            raise seedlib.SeedError('site %s already belongs to another org' % url)
        return self.store.add_site(url, org_id)

    def _known_site(self, url, context):
        site = self.store.site(url)
        if site is None:
            raise seedlib.SeedError('unknown site %r in %r: declare it under sites' % (url, context))
        return site

    def _person(self, email, context):
        if not isinstance(email, str):
            raise seedlib.SeedError('a person must be named by an email (a string): %r' % (context,))
        person = self.people.person_by_email(email)
        if person is None:
            raise seedlib.SeedError('unknown person %r in %r' % (email, context))
        return person

    def _person_sites(self, entry):
        person = self.people.person_by_email(entry['email']) if isinstance(entry.get('email'), str) else None
        if person is None:
            raise seedlib.SeedError('only a person with an email hosts meetings on sites: %r' % (entry,))
        urls = entry.get('sites') or []
        if not isinstance(urls, list):
            raise seedlib.SeedError('a person\'s sites must be a list of site URLs: %r' % (entry,))
        sites = []
        for url in urls:
            site = self._known_site(url, entry)
            if site.org_id != person.org_id:
                raise seedlib.SeedError('site %s is not in the org of %s' % (site.url, person.email))
            if site.url not in sites:
                sites.append(site.url)
        preferred = entry.get('preferred_site')
        if preferred is None:
            preferred = sites[0] if sites else None
        else:
            preferred = self._known_site(preferred, entry).url
            if preferred not in sites:
                raise seedlib.SeedError('preferred_site must be one of the person\'s sites: %r' % (entry,))
        self.store.set_person_sites(person, sites, preferred)

    def _site_admins(self, url, emails):
        site = self._known_site(url, 'site_admins')
        if not isinstance(emails, list):
            raise seedlib.SeedError('site_admins: %s must map to a list of emails' % url)
        for email in emails:
            person = self._person(email, 'site_admins of %s' % url)
            if person.org_id != site.org_id:
                raise seedlib.SeedError('site_admins: %s is not in the org of site %s' % (email, site.url))
            self.store.add_site_admin(site.url, person)

    def _created(self, days_ago):
        try:
            moment = self.start_time - datetime.timedelta(days=float(days_ago))
        except (OverflowError, ValueError, TypeError):
            raise seedlib.SeedError('created_days_ago must be a number of days within the years 1 to 9999: %r'
                                    % (days_ago,)) from None
        return moment.replace(microsecond=0)

    def _recording(self, entry, position):
        host = self._person(entry.get('host'), entry)
        sites = self.store.person_sites(host)
        site_url = entry.get('site')
        if site_url is None:
            site_url = self.store.preferred_site(host)
            if site_url is None:
                raise seedlib.SeedError('host %s has no sites: give the person sites first: %r' % (host.email, entry))
        else:
            site_url = self._known_site(site_url, entry).url
        if site_url not in sites:
            raise seedlib.SeedError('host %s is not set up on site %s: %r' % (host.email, site_url, entry))
        service_type = entry.get('service_type') or 'MeetingCenter'
        topic = str(entry.get('topic') or '%s %d' % (_TOPICS.get(service_type, 'Meeting'), position + 1))
        recording_id = str(entry.get('id') or mstate.hex_id('meeting-recording', host.email.lower(), topic, position))
        status = entry.get('status', 'available')
        if status not in state.STATUSES:
            raise seedlib.SeedError('status must be one of %s: %r' % (', '.join(state.STATUSES), entry))
        shared_with = entry.get('shared_with') or []
        if not isinstance(shared_with, list):
            raise seedlib.SeedError('shared_with must be a list of emails: %r' % (entry,))
        sharees = []
        for email in shared_with:
            sharee = self._person(email, entry)
            if sharee.id == host.id:
                raise seedlib.SeedError('a host does not share a recording with itself: %r' % (entry,))
            if site_url not in self.store.person_sites(sharee):
                raise seedlib.SeedError('%s is not set up on site %s, so nothing there is shared with them: %r'
                                        % (sharee.email, site_url, entry))
            if all(sharee.id != known.id for known in sharees):
                sharees.append(sharee)
        return self._make(recording_id, host, site_url, topic, status, entry.get('created_days_ago', 1), entry,
                          service_type, tuple(sharees))

    def _make(self, recording_id, host, site_url, topic, status, days_ago, entry, service_type, sharees=()):
        if service_type not in mstate.SERVICE_TYPES:
            raise seedlib.SeedError('service_type must be one of %s: %r' % (', '.join(mstate.SERVICE_TYPES), entry))
        recording_format = entry.get('format') or 'MP4'
        if recording_format not in mstate.FORMATS:
            raise seedlib.SeedError('format must be one of %s: %r' % (', '.join(mstate.FORMATS), entry))
        if not HEX_ID_PATTERN.match(recording_id):
            raise seedlib.SeedError('a meeting recording id is 32 lowercase hex digits: %r' % (recording_id,))
        tags = entry.get('integration_tags') or []
        if not (isinstance(tags, list) and all(isinstance(tag, str) for tag in tags)):
            raise seedlib.SeedError('integration_tags must be a list of strings: %r' % (entry,))
        create_time = self._created(days_ago)
        series_id = str(entry.get('meeting_series_id') or mstate.hex_id('meeting-series', host.email.lower(), topic))
        meeting_id = str(entry.get('meeting_id')
                         or '%s_I_%d' % (series_id, state.stable_number(recording_id + 'm', 10 ** 17, 10 ** 18 - 1)))
        scheduled_id = str(entry.get('scheduled_meeting_id')
                           or '%s_%s' % (series_id, create_time.strftime('%Y%m%dT%H0000Z')))
        recording = mstate.MeetingRecording(
            id=recording_id,
            meeting_id=meeting_id,
            scheduled_meeting_id=scheduled_id,
            meeting_series_id=series_id,
            topic=topic,
            create_time=create_time,
            duration_seconds=int(entry.get('duration_seconds') or state.stable_number(recording_id + 'd', 60, 7200)),
            size_bytes=int(entry.get('size_bytes') or state.stable_number(recording_id + 's', 100000, 500000000)),
            status=status,
            host=host,
            site_url=site_url,
            service_type=service_type,
            format=recording_format,
            shared_with=tuple(sharees),
            integration_tags=tuple(tags),
        )
        # A createTime that cannot be written back (year 1 minus the duration) would fail at listing time.
        try:
            state.iso_z(recording.time_recorded)
        except OverflowError:
            raise seedlib.SeedError('created_days_ago leaves timeRecorded before the year 1: %r' % (entry,)) from None
        return recording

    def _generate(self, entry):
        """hosts x per_host recordings over the given sites (round robin); days spread by the golden ratio."""
        hosts = int(entry.get('hosts', 1))
        per_host = int(entry.get('per_host', 1))
        if not (0 <= hosts and 0 <= per_host and hosts * per_host <= seedlib.MAX_GENERATED):
            raise seedlib.SeedError('meeting_generate makes 0 to %d recordings (hosts x per_host): %r'
                                    % (seedlib.MAX_GENERATED, entry))
        status = entry.get('status', 'available')
        if status not in state.STATUSES:
            raise seedlib.SeedError('status must be one of %s: %r' % (', '.join(state.STATUSES), entry))
        domain = entry.get('domain', 'meetings.example.com')
        prefix = entry.get('prefix', 'host')
        if not (isinstance(domain, str) and isinstance(prefix, str)):
            raise seedlib.SeedError('meeting_generate: domain and prefix must be strings: %r' % (entry,))
        urls = entry.get('sites')
        if urls is None:
            org_sites = sorted(site.url for site in self.store.sites.values() if site.org_id == self.org_id)
            if not org_sites:
                raise seedlib.SeedError('meeting_generate needs sites: declare sites first: %r' % (entry,))
            urls = org_sites[:1]
        if not (isinstance(urls, list) and urls):
            raise seedlib.SeedError('meeting_generate: sites must be a non-empty list of site URLs: %r' % (entry,))
        site_urls = [self._known_site(url, entry).url for url in urls]
        site_orgs = {self.store.site(url).org_id for url in site_urls}
        service_types = entry.get('service_type') or mstate.SERVICE_TYPES[0]
        service_types = [service_types] if isinstance(service_types, str) else service_types
        low, high = entry.get('created_days_ago', [1, 6])
        low, high = float(low), float(high)
        golden = 0.6180339887498949
        recordings = []
        for host_number in range(hosts):
            email = '%s%04d@%s' % (prefix, host_number, domain)
            host = self.people.person_by_email(email)
            if host is None:
                host = state.Person(id=state.derived_id('person', email), email=email,
                                    display_name='%s %04d' % (prefix.title(), host_number), org_id=self.org_id)
                self.people.add_person(host)
            if site_orgs != {host.org_id}:
                raise seedlib.SeedError('meeting_generate: the sites %s are not all in the org of %s' % (', '.join(site_urls), email))
            known = self.store.person_sites(host)
            merged = known + [url for url in site_urls if url not in known]
            self.store.set_person_sites(host, merged, self.store.preferred_site(host) or merged[0])
            for number in range(per_host):
                sequence = host_number * per_host + number
                days_ago = low + (high - low) * ((sequence * golden) % 1.0)
                service_type = service_types[sequence % len(service_types)]
                topic = '%s %d' % (_TOPICS.get(service_type, 'Meeting'), number + 1)
                recording_id = mstate.hex_id('meeting-generated', email, status, number)
                recordings.append(self._make(recording_id, host, site_urls[number % len(site_urls)], topic, status,
                                             days_ago, entry, service_type))
        return recordings
