# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""api: meetings through real ansible-playbook runs over HTTP against the simulator's default seed (two sites,
five hosts, shares): a user's ids on two sites and the rerun, an administrator's ids of another host on a site
that is not its preferred one, a refused combination that sends nothing, and webex_recording_info's fields.
W = 3 listing windows (lookback_days 58), S = 2 sites. The same scenarios, and the others of the issue, run
in-process in tests/unit/plugins/modules/test_meetings_restore.py."""

import pathlib

from _playbook import run_module_tasks
from _role_helpers import seeded_simulator

SEED = str(pathlib.Path(__file__).resolve().parents[1] / 'simulator' / 'seeds' / 'default.yml')
US, EU = 'example.webex.com', 'example-eu.webex.com'
INFO = 'webexops.recordings.webex_recording_info'
W = 3

meetings_http_simulator, meetings_http_sim = seeded_simulator('meetings_http', SEED)


def _args(sim, token, **module_args):
    return dict(module_args, api='meetings', lookback_days=58, access_token=token, api_url=sim.api_url)


def _ids(sim, *topics):
    by_topic = dict((item['topic'], item['id']) for item in sim.meeting_recordings())
    return [by_topic[topic] for topic in topics]


def _posts(sim):
    return sorted(((entry['query'].get('hostEmail'), entry['body'].get('siteUrl'), sorted(entry['body'].get('recordingIds') or []))
                   for entry in sim.requests() if entry['method'] == 'POST'), key=str)


def test_ids_of_a_user_on_two_sites_and_of_another_host_for_an_administrator(meetings_http_sim, tmp_path):
    alice = _ids(meetings_http_sim, 'Design review part 1 (Alice)', 'Onboarding training (Alice)')
    carol = _ids(meetings_http_sim, 'EU team meeting (Carol)', 'EU customer webinar (Carol)')
    run = run_module_tasks(tmp_path, [_args(meetings_http_sim, 'alice-token', recording_ids=alice),
                                      _args(meetings_http_sim, 'alice-token', recording_ids=alice),
                                      _args(meetings_http_sim, 'admin-token', recording_ids=carol)])
    first, rerun, admin = run.results
    assert first['changed'] is True and sorted(first['restored']) == sorted(alice), first
    # 1 site list + 1 refused administrator listing (the role of the token) + W of the user's listing (both sites)
    assert first['requests'] == {'reads': 2 + W, 'writes': 2, 'retries': 0}
    assert sorted((record['id'], record['site_url']) for record in first['recordings']) == sorted([(alice[0], US), (alice[1], EU)])
    assert rerun['changed'] is False and sorted(rerun['already_available']) == sorted(alice)
    assert rerun['requests']['writes'] == 0
    assert admin['changed'] is True and sorted(admin['restored']) == sorted(carol), admin
    # 1 site list + W listings on each of the 2 sites; one write, for carol on the EU site, naming both
    assert admin['requests'] == {'reads': 1 + 2 * W, 'writes': 1, 'retries': 0}
    assert _posts(meetings_http_sim) == sorted([(None, US, [alice[0]]), (None, EU, [alice[1]]), ('carol@example.com', EU, sorted(carol))],
                                               key=str)


def test_a_combination_of_the_other_api_sends_nothing_and_info_lists_the_meetings_fields(meetings_http_sim, tmp_path):
    refused = run_module_tasks(tmp_path, [_args(meetings_http_sim, 'admin-token', restore_all=True, owner_email='erin@example.com',
                                                location_id='L1')])
    assert refused.results[0]['failed'] is True
    assert 'location_id' in refused.results[0]['msg'] and 'api: converged only' in refused.results[0]['msg']
    assert meetings_http_sim.counters()['total'] == 0

    info = run_module_tasks(tmp_path, [_args(meetings_http_sim, 'admin-token', owner_email='carol@example.com')], module=INFO)
    result = info.results[0]
    assert result['api'] == 'meetings' and result['count'] >= 2 and result['requests']['writes'] == 0, result
    record = result['recordings'][0]
    assert {'id', 'topic', 'owner_email', 'site_url', 'service_type', 'create_time', 'size_bytes', 'duration_seconds',
            'status', 'share_to_me', 'meeting_id'} <= set(record)
    assert record['owner_email'] == 'carol@example.com' and record['site_url'] in (US, EU)
