"""Time forms over HTTP: the timezone request header, the fractional-seconds and default-zone settings, the same
instants in every form, paging and from/to across forms, the settings API and CLI options."""

import datetime
import json
import os
import pathlib
import re
import subprocess
import sys
import urllib.parse
import zoneinfo

import pytest
import requests

from conftest import TIMEOUT, Client, assert_error, assert_no_content, check_schema, ids_of, recordings_of
from webex_simulator import Simulator, timeforms

REPO = pathlib.Path(__file__).resolve().parent.parent.parent
UTC = datetime.timezone.utc
# RFC 3339 date-time as the published examples write it: Z or +HH:MM, optional fraction.
TIME_PATTERN = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.(\d+))?(Z|[+-]\d{2}:\d{2})$')
TIME_FIELDS = ('createTime', 'timeRecorded')

# (timezone header, time_fraction setting): UTC spelled out, whole-hour, half-hour and quarter-hour offsets, a
# zone west of UTC with daylight saving time, one with it south of the equator, and every fraction length.
FORMS = [
    (None, 0), ('UTC', 0), ('Asia/Shanghai', 0), ('America/New_York', 0), ('Asia/Kolkata', 1), ('Asia/Kathmandu', 3),
    ('Australia/Adelaide', 6), (None, 3), ('Pacific/Kiritimati', 2), ('America/St_Johns', 4), ('Etc/GMT+12', 5),
]


def _instant(text):
    return datetime.datetime.fromisoformat(text).astimezone(UTC)


def _expected_offset(text, zone_name):
    """The offset the zone has at that instant, written as the simulator must write it."""
    if zone_name is None:
        return 'Z'
    offset = _instant(text).astimezone(zoneinfo.ZoneInfo(zone_name)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return 'Z'
    return '%s%02d:%02d' % ('-' if minutes < 0 else '+', abs(minutes) // 60, abs(minutes) % 60)


def assert_form(item, zone_name, fraction, reference):
    """Every time of a recording in the form asked for, naming the instant of the reference (default form)."""
    for field in TIME_FIELDS:
        match = TIME_PATTERN.match(item[field])
        assert match, item[field]
        assert (match.group(2) or '') == '0' * fraction, item[field]  # whole seconds: the digits are zeros
        assert match.group(3) == _expected_offset(reference[field], zone_name), (item[field], zone_name)
        assert _instant(item[field]) == _instant(reference[field]), (item[field], reference[field])


def _headers(zone_name):
    return {} if zone_name is None else {'timezone': zone_name}


def _by_id(items):
    return {item['id']: item for item in items}


@pytest.mark.parametrize('zone_name, fraction', FORMS)
def test_listings_and_details_in_every_form(simulator, client, zone_name, fraction):
    reference = _by_id(simulator.recordings())
    simulator.set_settings({'time_fraction': fraction})
    user_page = client.get('/convergedRecordings', 'alice-token', params={'status': 'deleted', 'max': 100},
                           headers=_headers(zone_name))
    admin_page = client.get('/admin/convergedRecordings', 'admin-token', params={'status': 'deleted', 'max': 100},
                            headers=_headers(zone_name))
    for response in (user_page, admin_page):
        assert response.status_code == 200, response.text
        check_schema('recording-list.json', response.json())
        items = response.json()['items']
        assert items
        for item in items:
            assert_form(item, zone_name, fraction, reference[item['id']])
    for token, recording_id in (('alice-token', recordings_of(simulator, 'alice', 'deleted')[0]['id']),
                                ('admin-token', recordings_of(simulator, 'bob', 'available')[0]['id']),
                                ('compliance-token', recordings_of(simulator, 'carol', 'purged')[0]['id'])):
        response = client.get('/convergedRecordings/' + recording_id, token, headers=_headers(zone_name))
        assert response.status_code == 200, response.text
        check_schema('recording-details.json', response.json())
        assert_form(response.json(), zone_name, fraction, reference[recording_id])


def test_no_header_and_no_setting_is_todays_form(client):
    items, dummy = client.list_all('admin-token', admin=True, status='deleted', max=5)
    details = client.get('/convergedRecordings/' + items[0]['id'], 'admin-token').json()
    for item in items + [details]:
        for field in TIME_FIELDS:
            assert re.match(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$', item[field]), item[field]


def test_every_form_lists_the_same_instants_in_the_same_order(simulator, client):
    def listing(zone_name, fraction):
        simulator.set_settings({'time_fraction': fraction})
        session_headers = client.session.headers
        session_headers.pop('timezone', None)
        session_headers.update(_headers(zone_name))
        try:
            items, dummy = client.list_all('admin-token', admin=True, status='deleted', max=7,
                                           **{'from': '2020-01-01T00:00:00Z', 'to': '2020-01-30T00:00:00Z'})
            assert items == []
            items, dummy = client.list_all('admin-token', admin=True, status='deleted', max=7)
        finally:
            session_headers.pop('timezone', None)
        return [(item['id'], _instant(item['createTime']), _instant(item['timeRecorded'])) for item in items]

    reference = listing(None, 0)
    assert len(reference) > 7  # more than one page
    for zone_name, fraction in FORMS[1:]:
        assert listing(zone_name, fraction) == reference, (zone_name, fraction)


def test_newest_first_by_instant_across_a_daylight_saving_change(simulator, client):
    """Around the end of daylight saving time the local clock repeats an hour: the later recording can show the
    earlier wall-clock time. The order stays by instant."""
    zone = zoneinfo.ZoneInfo('America/New_York')
    start = simulator.start_time
    # the last fall-back before the simulator started (there is one in every year)
    moment = start.replace(minute=0, second=0)
    while not moment.astimezone(zone).utcoffset() > (moment + datetime.timedelta(hours=1)).astimezone(zone).utcoffset():
        moment -= datetime.timedelta(hours=1)
    change = moment + datetime.timedelta(hours=1)  # first instant of standard time
    before = change - datetime.timedelta(minutes=20)  # 01:40 -04:00
    after = change + datetime.timedelta(minutes=10)  # 01:10 -05:00
    added = simulator.add_recordings({'items': [
        {'id': 'dst-before', 'owner_email': 'erin@example.com', 'status': 'deleted', 'topic': 'before the change',
         'created_days_ago': (start - before).total_seconds() / 86400},
        {'id': 'dst-after', 'owner_email': 'erin@example.com', 'status': 'deleted', 'topic': 'after the change',
         'created_days_ago': (start - after).total_seconds() / 86400}]})
    assert [_instant(item['createTime']) for item in added] == [before, after]
    window = {'from': (change - datetime.timedelta(hours=2)).isoformat(), 'to': (change + datetime.timedelta(hours=2)).isoformat()}
    response = client.get('/admin/convergedRecordings', 'admin-token', headers={'timezone': 'America/New_York'},
                          params=dict(window, status='deleted', ownerEmail='erin@example.com'))
    assert response.status_code == 200, response.text
    items = response.json()['items']
    assert ids_of(items) == ['dst-after', 'dst-before']
    after_text, before_text = (item['createTime'] for item in items)
    assert after_text.endswith('-05:00') and before_text.endswith('-04:00')
    assert after_text < before_text  # the text says the other way round: compare instants, never text
    assert [_instant(item['createTime']) for item in items] == [after, before]


def test_offsets_of_local_mean_time_are_cut_to_whole_minutes_and_keep_the_instant(simulator, client):
    """Before standard time zones (Shanghai until 1901: +08:05:43) an offset has seconds, which RFC 3339 cannot
    write; the time is written at the whole-minute offset, the instant stays exact. A time that an offset would
    move before the year 1 is written in UTC."""
    start = simulator.start_time
    old = datetime.datetime(1890, 6, 1, 12, 0, 0, tzinfo=UTC)
    first = datetime.datetime(1, 1, 1, 3, 0, 0, tzinfo=UTC)
    added = simulator.add_recordings({'items': [
        {'id': 'lmt', 'owner_email': 'erin@example.com', 'status': 'deleted', 'topic': 'old',
         'created_days_ago': (start - old).days + (start - old).seconds / 86400, 'duration_seconds': 60},
        {'id': 'year-one', 'owner_email': 'erin@example.com', 'status': 'deleted', 'topic': 'older',
         'created_days_ago': (start - first).days + (start - first).seconds / 86400, 'duration_seconds': 60}]})
    reference = _by_id(added)
    shanghai = client.get('/convergedRecordings/lmt', 'admin-token', headers={'timezone': 'Asia/Shanghai'}).json()
    assert shanghai['createTime'].endswith('+08:05'), shanghai['createTime']
    assert _instant(shanghai['createTime']) == _instant(reference['lmt']['createTime'])
    check_schema('recording-details.json', shanghai)
    new_york = client.get('/convergedRecordings/year-one', 'admin-token', headers={'timezone': 'America/New_York'}).json()
    for field in TIME_FIELDS:
        assert new_york[field].endswith('Z') and new_york[field].startswith('0001-01-01T0'), new_york[field]
        assert _instant(new_york[field]) == _instant(reference['year-one'][field])
    tokyo = client.get('/convergedRecordings/year-one', 'admin-token', headers={'timezone': 'Asia/Tokyo'}).json()
    assert tokyo['createTime'].endswith('+09:18'), tokyo['createTime']  # local mean time +09:18:59
    assert _instant(tokyo['createTime']) == _instant(reference['year-one']['createTime'])


def test_paging_is_the_same_whatever_the_form_and_survives_a_change_of_form(simulator, client):
    end = simulator.start_time + datetime.timedelta(days=1)
    # a fixed window: without from/to each request's window ends at its own 'now'
    params = {'status': 'deleted', 'max': 4, 'from': (end - datetime.timedelta(days=30)).isoformat(), 'to': end.isoformat()}
    reference, pages = client.list_all('admin-token', admin=True, **params)
    assert pages > 2
    first_pages = [client.get('/admin/convergedRecordings', 'admin-token', params=params, headers=_headers(zone_name))
                   for zone_name in (None, 'Asia/Shanghai', 'America/New_York')]
    links = {response.links['next']['url'] for response in first_pages}
    assert len(links) == 1  # the Link (and its cursor) does not depend on the form
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(links.pop()).query)
    assert query['from'][0].endswith('Z') and query['to'][0].endswith('Z')
    # each page in another form, and the settings changed while paging: same items, no skips, no repeats
    zones = ['Asia/Shanghai', None, 'America/New_York', 'Australia/Adelaide', 'UTC']
    response = client.get('/admin/convergedRecordings', 'admin-token', params=params, headers=_headers(zones[0]))
    items = []
    page = 0
    while True:
        assert response.status_code == 200, response.text
        items.extend(response.json()['items'])
        if 'next' not in response.links:
            break
        page += 1
        simulator.set_settings({'time_fraction': page % 7, 'timezone': 'Asia/Tokyo' if page % 2 else None})
        response = client.get(response.links['next']['url'], 'admin-token', headers=_headers(zones[page % len(zones)]))
    assert ids_of(items) == ids_of(reference)
    assert [_instant(item['createTime']) for item in items] == [_instant(item['createTime']) for item in reference]


def test_from_and_to_accept_every_form_and_compare_instants(simulator, client):
    deleted = recordings_of(simulator, 'alice', 'deleted')
    newest = deleted[0]
    created = _instant(newest['createTime'])
    base = {'status': 'deleted', 'max': 100}

    def ids_between(start, end, headers=None):
        response = client.get('/convergedRecordings', 'alice-token', params=dict(base, **{'from': start, 'to': end}),
                              headers=headers or {})
        assert response.status_code == 200, response.text
        return ids_of(response.json()['items'])

    # The createTime as a client received it in other forms, used as a bound: from is inclusive, to exclusive.
    simulator.set_settings({'time_fraction': 6})
    for zone_name in ('Asia/Kolkata', 'America/New_York', 'Australia/Adelaide'):
        shown = client.get('/convergedRecordings/' + newest['id'], 'alice-token', headers={'timezone': zone_name}).json()
        text = shown['createTime']
        assert re.search(r'\.000000[+-]\d{2}:\d{2}$', text), text
        earlier = (created - datetime.timedelta(days=3)).isoformat()
        later = (created + datetime.timedelta(days=3)).isoformat()
        assert newest['id'] in ids_between(text, later)
        assert newest['id'] not in ids_between(earlier, text)
    simulator.set_settings({'time_fraction': 0})
    # The same window in many spellings: the same items.
    start, end = created - datetime.timedelta(days=10), created + datetime.timedelta(seconds=1)
    expected = ids_between(start.strftime('%Y-%m-%dT%H:%M:%SZ'), end.strftime('%Y-%m-%dT%H:%M:%SZ'))
    assert newest['id'] in expected and len(expected) > 1
    shanghai, new_york = zoneinfo.ZoneInfo('Asia/Shanghai'), zoneinfo.ZoneInfo('America/New_York')
    spellings = [
        (start.astimezone(shanghai).isoformat(), end.astimezone(new_york).isoformat()),
        (start.astimezone(shanghai).isoformat(timespec='milliseconds'), end.astimezone(new_york).isoformat(timespec='microseconds')),
        (start.strftime('%Y-%m-%dT%H:%M:%S.000000000Z'), end.strftime('%Y-%m-%dT%H:%M:%S,0Z')),
        (start.strftime('%Y-%m-%dT%H:%M:%S'), end.astimezone(shanghai).strftime('%Y-%m-%dT%H:%M:%S+0800')),
    ]
    for start_text, end_text in spellings:
        assert ids_between(start_text, end_text) == expected, (start_text, end_text)
        # the timezone header changes how times are written, not how a bound is read
        assert ids_between(start_text, end_text, {'timezone': 'Pacific/Kiritimati'}) == expected
    # A bound half a second after the creation, written with a fraction and an offset: the recording is inside.
    half_after = (created + datetime.timedelta(milliseconds=500)).astimezone(new_york).isoformat(timespec='milliseconds')
    assert ids_between(start.isoformat(), half_after)[0] == newest['id']
    half_before = (created - datetime.timedelta(milliseconds=500)).astimezone(shanghai).isoformat(timespec='milliseconds')
    assert newest['id'] not in ids_between(start.isoformat(), half_before)


def test_the_30_day_rule_counts_instants_whatever_the_form(client):
    params = {'status': 'deleted', 'from': '2024-01-01T08:00:00.000+08:00', 'to': '2024-01-30T19:00:00.000-05:00'}
    assert client.get('/admin/convergedRecordings', 'admin-token', params=params).status_code == 200  # exactly 30 days
    params['to'] = '2024-01-30T19:00:00.000001-05:00'
    assert_error(client.get('/admin/convergedRecordings', 'admin-token', params=params), 400, 'within 30 days')


@pytest.mark.parametrize('zone_name', ['Mars/Olympus_Mons', 'utc', 'asia/shanghai', 'America', '../etc/passwd',
                                       'zone.tab', '+08:00', 'x' * 300])
def test_an_unknown_timezone_is_400_naming_the_header(simulator, client, zone_name):
    recording_id = recordings_of(simulator, 'alice', 'available')[0]['id']
    for path, token in (('/convergedRecordings', 'alice-token'), ('/admin/convergedRecordings', 'admin-token'),
                        ('/convergedRecordings/' + recording_id, 'alice-token')):
        body = assert_error(client.get(path, token, headers={'timezone': zone_name}), 400,
                            'The timezone header must be a time zone name')
        assert 'IANA' in body['message']
    # the header is only read by the answers that carry times; the token and the scopes are checked first
    assert_error(client.get('/convergedRecordings', headers={'timezone': zone_name}), 401)
    assert_error(client.get('/admin/convergedRecordings', 'alice-token', headers={'timezone': zone_name}), 403)
    assert_no_content(client.post('/convergedRecordings/softDelete', 'alice-token', json={'recordingIds': [recording_id]},
                                  headers={'timezone': zone_name}))


def test_an_empty_timezone_header_counts_as_absent(simulator, client):
    response = client.list('alice-token')
    blank = client.get('/convergedRecordings', 'alice-token', headers={'timezone': ''})
    assert blank.status_code == 200 and blank.json() == response.json()
    # blank (only spaces: requests refuses to send that, Simulator.exchange is what the server calls)
    answer = simulator.exchange('GET', '/v1/convergedRecordings', {}, {'Authorization': 'Bearer alice-token',
                                                                       'timezone': '   '}, b'')
    assert answer.status == 200 and answer.body == response.json()


def test_the_header_beats_the_default_timezone_setting(simulator, client):
    simulator.set_settings({'timezone': 'Asia/Tokyo'})
    reference = _by_id(Simulator().recordings())
    by_setting = client.list('alice-token', status='deleted').json()['items']
    by_header = client.get('/convergedRecordings', 'alice-token', params={'status': 'deleted'},
                           headers={'timezone': 'America/Los_Angeles'}).json()['items']
    utc_header = client.get('/convergedRecordings', 'alice-token', params={'status': 'deleted'},
                            headers={'timezone': 'Etc/UTC'}).json()['items']
    for item in by_setting:
        assert_form(item, 'Asia/Tokyo', 0, reference[item['id']])
    for item in by_header:
        assert_form(item, 'America/Los_Angeles', 0, reference[item['id']])
    for item in utc_header:
        assert_form(item, None, 0, reference[item['id']])


def test_download_link_expiration_stays_in_utc(simulator, client):
    """The published details example writes createTime with +08:00 and expiration with Z."""
    recording_id = recordings_of(simulator, 'alice', 'available')[0]['id']
    simulator.set_settings({'time_fraction': 3})
    body = client.get('/convergedRecordings/' + recording_id, 'alice-token', headers={'timezone': 'Asia/Shanghai'}).json()
    assert body['createTime'].endswith('.000+08:00')
    assert re.match(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$', body['temporaryDirectDownloadLinks']['expiration'])


def test_settings_api(simulator, client):
    assert client.control('GET', '/settings').json() == {'timezone': None, 'time_fraction': 0}
    response = client.control('PUT', '/settings', json={'time_fraction': 3, 'timezone': 'Asia/Shanghai'})
    assert (response.status_code, response.json()) == (200, {'timezone': 'Asia/Shanghai', 'time_fraction': 3})
    item = client.list('alice-token').json()['items'][0]
    assert re.search(r'\.000\+08:00$', item['createTime']), item
    # the control API shows what a client without the header sees
    assert _by_id(client.control('GET', '/recordings').json()['items'])[item['id']] == item
    # a PUT changes what it names
    assert client.control('PUT', '/settings', json={'time_fraction': 0}).json() == {'timezone': 'Asia/Shanghai', 'time_fraction': 0}
    assert client.control('PUT', '/settings', json={}).json() == {'timezone': 'Asia/Shanghai', 'time_fraction': 0}
    for bad, fragment in (({'time_fraction': 7}, 'time_fraction must be an integer from 0 to 6'),
                          ({'time_fraction': -1}, 'time_fraction must be an integer from 0 to 6'),
                          ({'time_fraction': '3'}, 'time_fraction must be an integer from 0 to 6'),
                          ({'time_fraction': True}, 'time_fraction must be an integer from 0 to 6'),
                          ({'time_fraction': 2.5}, 'time_fraction must be an integer from 0 to 6'),
                          ({'timezone': 'Nowhere/Land'}, 'timezone must be a time zone name of the IANA'),
                          ({'timezone': 8}, 'timezone must be a time zone name of the IANA'),
                          ({'time_fraction': 2, 'timezone': 'Nowhere/Land'}, 'timezone must be'),
                          ({'zone': 'UTC'}, 'unknown setting(s): zone')):
        assert_error(client.control('PUT', '/settings', json=bad), 400, fragment)
    assert simulator.settings() == {'timezone': 'Asia/Shanghai', 'time_fraction': 0}  # nothing changed
    assert_error(client.control('PUT', '/settings', data='[1]'), 400, 'object')
    assert_error(client.control('POST', '/settings', json={}), 405)
    for utc in (None, ''):
        client.control('PUT', '/settings', json={'timezone': 'Asia/Shanghai'})
        assert client.control('PUT', '/settings', json={'timezone': utc}).json()['timezone'] is None
        assert client.list('alice-token').json()['items'][0]['createTime'].endswith('Z')
    # reset restores the start-up settings, unless told not to
    client.control('PUT', '/settings', json={'time_fraction': 2})
    client.control('POST', '/reset', json={'settings': False})
    assert simulator.settings()['time_fraction'] == 2
    client.control('POST', '/reset', json={})
    assert simulator.settings() == {'timezone': None, 'time_fraction': 0}


def test_start_up_settings_in_process():
    with Simulator(time_fraction=2, timezone='America/New_York') as simulator:
        client = Client(simulator)
        assert simulator.settings() == {'timezone': 'America/New_York', 'time_fraction': 2}
        item = client.list('alice-token').json()['items'][0]
        assert re.search(r'\.00-0[45]:00$', item['createTime']), item
        simulator.set_settings({'timezone': 'UTC', 'time_fraction': 0})
        simulator.reset()
        assert simulator.settings() == {'timezone': 'America/New_York', 'time_fraction': 2}
        client.session.close()
    for keywords, fragment in (({'time_fraction': 9}, 'time_fraction'), ({'timezone': 'Moon/Base'}, 'timezone')):
        with pytest.raises(ValueError, match=fragment):
            Simulator(**keywords)


def test_cli_time_options(tmp_path):
    ready_file = tmp_path / 'ready.json'
    environment = dict(os.environ, PYTHONPATH=str(REPO / 'tests' / 'simulator'))
    process = subprocess.Popen([sys.executable, '-m', 'webex_simulator', '--ready-file', str(ready_file),
                                '--time-fraction', '3', '--timezone', 'Asia/Shanghai'],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment, text=True)
    try:
        info = json.loads(process.stdout.readline())
        headers = {'Authorization': 'Bearer alice-token'}
        item = requests.get(info['api_url'] + '/convergedRecordings', headers=headers, timeout=TIMEOUT).json()['items'][0]
        assert re.search(r'\.000\+08:00$', item['createTime']), item
        assert requests.get(info['control_url'] + '/settings', timeout=TIMEOUT).json() == {'timezone': 'Asia/Shanghai',
                                                                                           'time_fraction': 3}
    finally:
        process.terminate()
        process.communicate(timeout=10)
    assert process.returncode == 0
    for arguments, fragment in ((['--time-fraction', '7'], '--time-fraction must be an integer from 0 to 6'),
                                (['--time-fraction', 'x'], '--time-fraction'),
                                (['--timezone', 'Nowhere/Land'], '--timezone must be a time zone name')):
        result = subprocess.run([sys.executable, '-m', 'webex_simulator'] + arguments, capture_output=True,
                                env=environment, text=True, timeout=20, check=False)
        assert result.returncode == 2 and fragment in result.stderr, result.stderr
        assert 'Traceback' not in result.stderr


def test_time_form_render_never_moves_the_instant():
    """Pure: an instant finer than the digits asked for is written with 6 digits rather than rounded."""
    moment = datetime.datetime(2024, 10, 4, 16, 24, 25, 123456, tzinfo=UTC)
    shanghai = zoneinfo.ZoneInfo('Asia/Shanghai')
    assert timeforms.TimeForm().render(moment) == '2024-10-04T16:24:25.123456Z'
    assert timeforms.TimeForm(shanghai, 3).render(moment) == '2024-10-05T00:24:25.123456+08:00'
    assert timeforms.TimeForm(shanghai, 3).render(moment.replace(microsecond=120000)) == '2024-10-05T00:24:25.120+08:00'
    assert timeforms.TimeForm(None, 1).render(moment.replace(microsecond=0)) == '2024-10-04T16:24:25.0Z'
    assert timeforms.TimeForm(zoneinfo.ZoneInfo('Europe/London'), 0).render(moment.replace(month=1)) == '2024-01-04T16:24:25.123456Z'
    assert timeforms.TimeForm(zoneinfo.ZoneInfo('Europe/London'), 0).render(moment) == '2024-10-04T17:24:25.123456+01:00'
    assert timeforms.TimeForm(zoneinfo.ZoneInfo('America/Caracas'), 6).render(moment) == '2024-10-04T12:24:25.123456-04:00'
    last = datetime.datetime(9999, 12, 31, 23, 0, 0, tzinfo=UTC)
    assert timeforms.TimeForm(zoneinfo.ZoneInfo('Asia/Tokyo'), 0).render(last) == '9999-12-31T23:00:00Z'
