"""Helpers of the Meetings tests: the published schemas, the default seed's meeting data, small request helpers."""

import contextlib
import copy
import datetime
import pathlib

import jsonschema
import yaml

from conftest import Client, default_seed
from webex_simulator import Simulator

UTC = datetime.timezone.utc
DEFINITION = pathlib.Path(__file__).resolve().parent.parent / 'contract' / 'meetings-recordings-openapi.yml'

US = 'example.webex.com'
EU = 'example-eu.webex.com'

# The default seed's meeting recordings (tests/simulator/seeds/default.yml), by their number there.
R = {
    1: 'c6208ebed534552895e04c8f63c9369e',   # alice, US, available, 1.0, shared with bob
    2: '8c6bbcc28a6a584599ce90fc954e8b98',   # alice, EU, available, 4.0
    3: '76097c4535a75f54a181899de1c161c2',   # alice, US, deleted, 2.0 (meeting D, part 1)
    4: '3872adaef71b5d7a8d2b52ff516d8bbb',   # alice, US, deleted, 2.02 (meeting D, part 2, ARF)
    5: '0d885d8c57ee592b8d339b3a13bdcd2c',   # alice, EU, deleted, 3.0
    6: '770e5011e731510baa84a3f30607d838',   # alice, US, deleted, 12.0 (ARF)
    7: 'cc7cffd1d10a5fb8b69b2a88908cf6ad',   # alice, US, deleted, 40.0
    8: '4a7e2e8d4ec55173afacce887a5c6909',   # alice, US, purged, 5.0
    9: 'bb2111efbdff5f1a896280fde40683ca',   # bob, US, available, 1.5, shared with alice
    10: 'd8037ff3a9ca5d4991bb1398af1d5d33',  # bob, US, deleted, 2.5
    11: '72f633f043ae5495845932d9a77e1156',  # bob, US, deleted, 6.0, shared with alice
    12: 'b8ddcfaaf8b1578a9a1b21ae3af517d6',  # bob, US, available, 9.0
    13: '750ceb1484d7583e969e7fc823d8bdaf',  # carol, EU, available, 2.2, shared with alice
    14: '9cc9b0477c8654699756b6e5c358fd7c',  # carol, EU, deleted, 1.2
    15: '21488675c6705014ad04a8bec295da00',  # carol, EU, deleted, 5.2
    16: 'df963309dc2550d6980ccd3717579b2b',  # carol, EU, deleted, 20.0
    17: '02424da7b7455384882aa650e32ee8b5',  # erin, EU, deleted, 3.6
    18: '4edffaf2fe8f5e4e8b211a1fa84fce62',  # erin, US, deleted, 4.6
    19: '853db3949f2055c580db01bde7253267',  # erin, US, available, 2.6
    20: 'f12fe38c131e555aaa82ec1de85ea4f0',  # admin, US, available, 0.5, shared with alice and bob
    21: '92557ef728325ada8ce024d838497b9a',  # admin, US, deleted, 1.4
}
MEETING_D = 'de8590d0b19d52218e1fc697059f1fa9_I_191504848596203581'
MEETING_D_SERIES = 'de8590d0b19d52218e1fc697059f1fa9'


def _validators():
    definition = yaml.safe_load(DEFINITION.read_text(encoding='utf-8'))
    schemas = definition['components']['schemas']
    return {name: jsonschema.Draft202012Validator(schema) for name, schema in schemas.items()}


VALIDATORS = _validators()


def check_user_item(item):
    """RecordingObject of the published definition; user items name no host."""
    VALIDATORS['RecordingObject'].validate(item)
    assert 'hostEmail' not in item and 'hostDisplayName' not in item, item


def check_admin_item(item):
    VALIDATORS['RecordingObjectForAdminAndCO'].validate(item)


def check_details(body):
    VALIDATORS['RecordingObjectWithDirectDownloadLinks'].validate(body)


def check_sites(body):
    VALIDATORS['SitesObject'].validate(body)


def meeting_seed(**choices):
    """The default seed, with meeting_choices when given."""
    data = default_seed()
    if choices:
        data['meeting_choices'] = dict(choices)
    return data


@contextlib.contextmanager
def choices_client(**choices):
    """A client of a simulator of the default seed with those meeting_choices (the other readings)."""
    with Simulator(seed=meeting_seed(**choices)) as running:
        api_client = Client(running)
        try:
            yield api_client
        finally:
            api_client.session.close()


def listing(client, token, admin=False, **params):
    return client.get('/admin/recordings' if admin else '/recordings', token, params=params)


def list_all(client, token, admin=False, **params):
    """Follow the Link header to the end; every item checked against its published schema."""
    response = listing(client, token, admin, **params)
    items = []
    pages = 0
    while True:
        assert response.status_code == 200, response.text
        page = response.json()['items']
        for item in page:
            (check_admin_item if admin else check_user_item)(item)
        items.extend(page)
        pages += 1
        next_link = response.links.get('next')
        if not next_link:
            return items, pages
        response = client.get(next_link['url'], token)


def action(client, operation, token, body, host=None):
    params = {'hostEmail': host} if host is not None else None
    return client.post('/recordings/%s' % operation, token, json=body, params=params)


def statuses(simulator, *numbers):
    by_id = {item['id']: item['status'] for item in simulator.meeting_recordings()}
    return [by_id[R[number]] for number in numbers]


def snapshot(simulator):
    return copy.deepcopy({item['id']: item['status'] for item in simulator.meeting_recordings()})


def ids(items):
    return [item['id'] for item in items]


def numbers(items):
    """The seed numbers of the default seed's recordings among the items (other ids are left out)."""
    by_id = {value: key for key, value in R.items()}
    return [by_id[item['id']] for item in items if item['id'] in by_id]


def iso(moment):
    return moment.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')


def days_ago(days):
    return datetime.datetime.now(UTC) - datetime.timedelta(days=days)


def since(days):
    """A window from `days` ago to a day ahead (both bounds: with only from, to is from + 7 days)."""
    return {'from': iso(days_ago(days)), 'to': iso(days_ago(-1))}
