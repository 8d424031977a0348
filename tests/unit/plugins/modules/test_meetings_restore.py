# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""api: meetings, the second recycle bin, through both modules against the simulator's Meetings API (the default
seed: two sites, five hosts, shares; docs/simulator.md "Meetings"), with the requests asserted. W = 3 listing windows
(lookback_days 58), S = 2 sites (the administrator's own site list)."""

import pathlib

import pytest
from requests.adapters import HTTPAdapter

from module_runner import ModuleRunner
from simulator_transport import API, SimulatorTransport, in_process_simulator

SEED = pathlib.Path(__file__).resolve().parents[3] / 'simulator' / 'seeds' / 'default.yml'
US, EU = 'example.webex.com', 'example-eu.webex.com'
W = 3
BASE = {'api': 'meetings', 'lookback_days': 58}


class Meetings:
    def __init__(self, monkeypatch, seed_extra=None):
        self.sim = in_process_simulator(str(SEED))
        if seed_extra:
            self.sim.add_meeting_recordings(seed_extra)
        transport = SimulatorTransport(self.sim)
        monkeypatch.setattr(HTTPAdapter, 'send', lambda adapter, request, **kwargs: transport.send(request, **kwargs))
        for name in ('WEBEX_ACCESS_TOKEN', 'WEBEX_API_URL', 'WEBEX_VALIDATE_CERTS', 'WEBEX_CA_PATH'):
            monkeypatch.delenv(name, raising=False)
        self.monkeypatch = monkeypatch
        self.ids = dict((item['topic'], item['id']) for item in self.sim.meeting_recordings())
        self.warnings = []

    def run(self, args, token='admin-token', module='webex_recording_restore', check_mode=False):
        self.sim.reset(log=True, faults=False, data=False)
        runner = ModuleRunner(self.monkeypatch, module, token, API)
        out = runner(dict(BASE, **args), check_mode=check_mode)
        self.warnings = runner.warnings
        return out

    def requests(self, method=None, path=None):
        return [entry for entry in self.sim.requests()
                if (method is None or entry['method'] == method) and (path is None or entry['path'] == '/v1' + path)]

    def writes(self):
        return sorted(((entry['query'].get('hostEmail'), entry['body'].get('siteUrl'), sorted(entry['body'].get('recordingIds') or []),
                        entry['body'].get('restoreAll')) for entry in self.requests('POST')), key=str)

    def status(self, topic):
        return dict((item['topic'], item['status']) for item in self.sim.meeting_recordings())[topic]


@pytest.fixture
def meetings(monkeypatch):
    return Meetings(monkeypatch)


def test_a_users_ids_on_two_sites_are_restored_each_on_its_site(meetings):
    ids = [meetings.ids['Design review part 1 (Alice)'], meetings.ids['Onboarding training (Alice)']]
    out = meetings.run({'recording_ids': ids}, token='alice-token')
    assert not out.failed and out.result['changed'] is True
    assert sorted(out.result['restored']) == sorted(ids)
    # 1 site list + 1 refused administrator listing (the role) + W of the user's listing, which covers both sites.
    assert out.result['requests'] == {'reads': 2 + W, 'writes': 2, 'retries': 0}
    assert [entry['status'] for entry in meetings.requests('GET', '/admin/recordings')] == [403]
    assert all('siteUrl' not in entry['query'] for entry in meetings.requests('GET', '/recordings'))
    # One write per site, each naming its site, never a host (the caller is the host).
    assert meetings.writes() == sorted([(None, EU, [ids[1]], None), (None, US, [ids[0]], None)], key=str)
    assert out.result['api'] == 'meetings'
    assert sorted((r['id'], r['site_url'], r['api']) for r in out.result['recordings']) == sorted(
        [(ids[0], US, 'meetings'), (ids[1], EU, 'meetings')])

    rerun = meetings.run({'recording_ids': ids}, token='alice-token')
    assert rerun.result['changed'] is False and sorted(rerun.result['already_available']) == sorted(ids)
    # The ids not in the bin are read one by one (a user's details show its own recordings).
    assert rerun.result['requests'] == {'reads': 2 + W + 2, 'writes': 0, 'retries': 0}


def test_a_recording_shared_with_the_user_is_never_sent_and_counts_as_missing(meetings):
    shared = meetings.ids['Roadmap briefing (Bob)']
    out = meetings.run({'recording_ids': [shared]}, token='alice-token')
    assert out.failed and 'only shared with you' in out.result['msg'] and 'on_missing=fail' in out.result['msg']
    assert out.result['not_restorable'] == [shared] and out.result['missing'] == [shared]
    assert out.result['recordings'][0]['action'] == 'not_restorable'
    assert meetings.requests('POST') == [] and out.result['api'] == 'meetings'

    own = meetings.ids['Customer escalation (Alice)']
    out = meetings.run({'recording_ids': [shared, own], 'on_missing': 'warn'}, token='alice-token')
    assert not out.failed and out.result['restored'] == [own] and out.result['not_restorable'] == [shared]
    assert meetings.writes() == [(None, US, [own], None)]
    assert any('only shared with you' in warning for warning in meetings.warnings)
    assert meetings.status('Roadmap briefing (Bob)') == 'deleted'


def test_an_administrator_restores_other_hosts_ids_on_a_non_preferred_site(meetings):
    ids = [meetings.ids['EU team meeting (Carol)'], meetings.ids['EU customer webinar (Carol)']]
    out = meetings.run({'recording_ids': ids})
    assert not out.failed and sorted(out.result['restored']) == sorted(ids)
    # 1 site list + W listings on each of the S = 2 sites.
    assert out.result['requests'] == {'reads': 1 + 2 * W, 'writes': 1, 'retries': 0}
    assert sorted(set(entry['query']['siteUrl'] for entry in meetings.requests('GET', '/admin/recordings'))) == [EU, US]
    assert meetings.writes() == [('carol@example.com', EU, sorted(ids), None)]

    rerun = meetings.run({'recording_ids': ids})
    # Not in the bin: looked for among the available recordings (an administrator's details need the host).
    assert rerun.result['changed'] is False and sorted(rerun.result['already_available']) == sorted(ids)
    assert rerun.result['requests'] == {'reads': 1 + 4 * W, 'writes': 0, 'retries': 0}


def test_restore_all_of_one_host_sends_one_restore_all_per_site_holding_recordings(meetings):
    check = meetings.run({'restore_all': True, 'owner_email': 'erin@example.com'}, check_mode=True)
    assert check.result['changed'] is True and len(check.result['restored']) == 2 and meetings.requests('POST') == []
    out = meetings.run({'restore_all': True, 'owner_email': 'erin@example.com'})
    assert out.result['requests'] == {'reads': 1 + 2 * W, 'writes': 2, 'retries': 0}
    assert meetings.writes() == sorted([('erin@example.com', EU, [], True), ('erin@example.com', US, [], True)], key=str)
    assert meetings.status('Branch meeting (Erin)') == meetings.status('Branch training (Erin)') == 'available'
    assert out.result['owners']['erin@example.com']['restored'] == sorted(out.result['restored'], key=out.result['restored'].index)
    # The host's display name (hostDisplayName of the administrator listing); Meetings lists no owner type.
    assert out.result['owners']['erin@example.com']['owner_name'] == 'Erin Evans'
    assert 'owner_type' not in out.result['owners']['erin@example.com']
    rerun = meetings.run({'restore_all': True, 'owner_email': 'erin@example.com'})
    # Nothing found for erin: one read tells a known host (available recordings) from a wrong address.
    assert rerun.result['changed'] is False and rerun.result['requests'] == {'reads': 1 + 2 * W + 1, 'writes': 0, 'retries': 0}
    assert rerun.result['nothing_found'] == []


def test_a_users_own_bin_restore_all_leaves_out_what_is_shared_with_it(meetings):
    out = meetings.run({'restore_all': True}, token='alice-token')
    # The role read (refused), then W listings of every site of alice.
    assert out.result['requests'] == {'reads': 1 + W, 'writes': 2, 'retries': 0}
    assert meetings.writes() == sorted([(None, EU, [], True), (None, US, [], True)], key=str)
    assert meetings.ids['Roadmap briefing (Bob)'] not in out.result['restored']
    assert meetings.status('Roadmap briefing (Bob)') == 'deleted'

    admin = meetings.run({'restore_all': True})
    assert admin.failed and 'set owner_email' in admin.result['msg']
    assert admin.result['requests'] == {'reads': 1, 'writes': 0, 'retries': 0}


def test_all_owners_across_sites_with_a_cap(meetings):
    capped = meetings.run({'all_owners': True, 'max_restores': 3})
    # 13 recordings of 5 hosts in the bin, on 7 (host, site) pairs.
    assert capped.failed and capped.result['selected'] == 13 and meetings.requests('POST') == []
    assert capped.result['api'] == 'meetings' and capped.result['requests'] == {'reads': 1 + 2 * W, 'writes': 0, 'retries': 0}
    out = meetings.run({'all_owners': True, 'max_restores': 13})
    assert out.result['requests'] == {'reads': 1 + 2 * W, 'writes': 7, 'retries': 0}
    # By id, one request per (host, site) holding recordings.
    assert sorted((host, site) for host, site, ids, flag in meetings.writes()) == sorted(
        [('admin@example.com', US), ('alice@example.com', EU), ('alice@example.com', US), ('bob@example.com', US),
         ('carol@example.com', EU), ('erin@example.com', EU), ('erin@example.com', US)])
    assert all(flag is None and ids for host, site, ids, flag in meetings.writes())
    assert sorted(out.result['owners']) == ['admin@example.com', 'alice@example.com', 'bob@example.com', 'carol@example.com',
                                            'erin@example.com']
    assert dict((owner, entry['owner_name']) for owner, entry in out.result['owners'].items()) == {
        'admin@example.com': 'Ada Admin', 'alice@example.com': 'Alice Able', 'bob@example.com': 'Bob Baker',
        'carol@example.com': 'Carol Clark', 'erin@example.com': 'Erin Evans'}
    assert all(set(entry) == {'restored', 'failed', 'unknown', 'tracking_id', 'owner_name'} for entry in out.result['owners'].values())


@pytest.mark.parametrize('args, topics', [
    ({'topic': 'design review'}, ['Design review part 1 (Alice)', 'Design review part 2 (Alice)']),
    ({'service_type': 'TrainingCenter'}, ['Onboarding training (Alice)', 'Branch training (Erin)']),
    ({'created_after': 'DAYS:3.5'}, None),
])
def test_filters_restore_exactly_the_selection_by_id(meetings, args, topics):
    if 'created_after' in args:
        from datetime import datetime, timedelta, timezone
        args = {'created_after': (datetime.now(timezone.utc) - timedelta(days=3.5)).strftime('%Y-%m-%dT%H:%M:%SZ')}
        topics = [item['topic'] for item in meetings.sim.meeting_recordings(status='deleted')
                  if item['createTime'] >= args['created_after']]
        assert len(topics) >= 3
    out = meetings.run(dict(args, all_owners=True, max_restores=20))
    assert sorted(meetings.ids[topic] for topic in topics) == sorted(out.result['restored'])
    assert all(flag is None for host, site, ids, flag in meetings.writes())


def test_meeting_id_is_sent_and_the_window_and_site_checked_on_the_items(meetings):
    meeting = [item for item in meetings.sim.meeting_recordings() if item['topic'] == 'Design review part 1 (Alice)'][0]['meetingId']
    out = meetings.run({'owner_email': 'alice@example.com', 'restore_all': True, 'meeting_id': meeting})
    assert sorted(out.result['restored']) == sorted([meetings.ids['Design review part 1 (Alice)'], meetings.ids['Design review part 2 (Alice)']])
    assert all(entry['query'].get('meetingId') == meeting for entry in meetings.requests('GET', '/admin/recordings'))
    # A filter restores by id, never restoreAll.
    assert meetings.writes() == [('alice@example.com', US, sorted(out.result['restored']), None)]


def test_site_url_lists_and_restores_that_site_only(meetings):
    out = meetings.run({'owner_email': 'erin@example.com', 'restore_all': True, 'site_url': 'Example-EU.webex.com'})
    # No site list read: the site is given.
    assert out.result['requests'] == {'reads': W, 'writes': 1, 'retries': 0}
    assert meetings.writes() == [('erin@example.com', EU, [], True)]
    assert meetings.status('Branch training (Erin)') == 'deleted'
    assert out.result['selection']['site_url'] == 'Example-EU.webex.com'


def test_info_lists_the_meetings_fields(meetings):
    out = meetings.run({'owner_email': 'carol@example.com'}, module='webex_recording_info')
    assert out.result['api'] == 'meetings' and out.result['count'] == 3
    assert out.result['requests'] == {'reads': 1 + 2 * W, 'writes': 0, 'retries': 0}
    recording = [r for r in out.result['recordings'] if r['topic'] == 'EU customer webinar (Carol)'][0]
    assert set(recording) == {'id', 'topic', 'owner_email', 'owner_name', 'service_type', 'create_time', 'duration_seconds',
                              'size_bytes', 'status', 'site_url', 'share_to_me', 'meeting_id'}
    assert (recording['owner_email'], recording['owner_name'], recording['site_url'], recording['service_type'],
            recording['share_to_me']) == ('carol@example.com', 'Carol Clark', EU, 'EventCenter', False)
    own = meetings.run({}, token='alice-token', module='webex_recording_info')
    shared = [r for r in own.result['recordings'] if r['share_to_me']]
    assert [r['topic'] for r in shared] == ['Roadmap briefing (Bob)']
    # A user's own listing names no host: neither its email nor its display name.
    assert all(r['owner_email'] is None and r['owner_name'] is None for r in own.result['recordings'])
    assert own.result['requests'] == {'reads': W, 'writes': 0, 'retries': 0}


@pytest.mark.parametrize('args, words', [
    ({'location_id': 'L1'}, ['location_id', 'api: converged only', 'api: meetings']),
    ({'owner_type': 'place'}, ['owner_type', 'api: converged only']),
    ({'service_type': 'calling'}, ['service_type calling', 'api: meetings']),
    ({'api': 'converged', 'site_url': US}, ['site_url', 'api: meetings only', 'api: converged']),
    ({'api': 'converged', 'meeting_id': 'abc'}, ['meeting_id', 'api: meetings only']),
    ({'api': 'converged', 'service_type': 'MeetingCenter'}, ['service_type MeetingCenter', 'api: converged']),
    ({'site_url': 'https://example.webex.com/'}, ['site_url must be the host name']),
    ({'meeting_id': ' '}, ['meeting_id must not be empty']),
])
def test_options_of_the_other_api_are_refused_before_any_request(meetings, args, words):
    out = meetings.run(dict({'restore_all': True, 'owner_email': 'erin@example.com'}, **args))
    assert out.failed and all(word in out.result['msg'] for word in words), out.result['msg']
    assert meetings.sim.requests() == []
    info = meetings.run(args, module='webex_recording_info')
    assert info.failed and meetings.sim.requests() == []


def test_a_lost_answer_on_meetings_is_checked_with_a_listing_of_the_batchs_site_and_host(meetings):
    topics = ('Old EU support session (Carol)', 'EU team meeting (Carol)', 'EU customer webinar (Carol)', 'Onboarding training (Alice)')
    ids = [meetings.ids[topic] for topic in topics]
    meetings.sim.reset(log=True, faults=False, data=False)
    meetings.sim.set_faults([{'kind': 'drop', 'when': 'after', 'next': 1, 'method': 'POST', 'path': '/v1/recordings/restore'}])
    runner = ModuleRunner(meetings.monkeypatch, 'webex_recording_restore', 'admin-token', API)
    out = runner(dict(BASE, recording_ids=ids, max_concurrency=1))
    assert not out.failed and sorted(out.result['restored']) == sorted(ids)
    posts = meetings.requests('POST')
    assert len(posts) == 2 and out.result['requests']['retries'] == 0
    lost = posts[0]
    # The check: one listing of the lost batch's site over the span of its recordings, nothing re-sent.
    checks = meetings.requests('GET')[1 + 2 * W:]
    assert checks and all(entry['query']['siteUrl'] == lost['body']['siteUrl'] for entry in checks)
    assert out.result['requests']['reads'] == 1 + 2 * W + len(checks)


@pytest.mark.parametrize('choices', [{'ids': 'partial', 'details_of_deleted': 'found', 'email_for_users': 'ignored'},
                                     {'ids': 'all_or_nothing', 'details_of_deleted': 'not_found', 'email_for_users': 'refused'}])
def test_safe_under_either_reading_of_the_inferred_behaviours(monkeypatch, choices):
    meetings = Meetings(monkeypatch, {'meeting_choices': choices})
    ids = [meetings.ids['Design review part 1 (Alice)'], meetings.ids['Onboarding training (Alice)'], meetings.ids['Roadmap briefing (Bob)']]
    out = meetings.run({'recording_ids': ids, 'on_missing': 'warn'}, token='alice-token')
    assert sorted(out.result['restored']) == sorted(ids[:2]) and out.result['not_restorable'] == [ids[2]]
    assert all(entry['query'].get('hostEmail') is None for entry in meetings.requests())
    assert meetings.status('Roadmap briefing (Bob)') == 'deleted'
    rerun = meetings.run({'recording_ids': ids[:2]}, token='alice-token')
    assert rerun.result['changed'] is False and meetings.requests('POST') == []
