"""Fixtures: an in-process simulator on 127.0.0.1 (random port), a small HTTP client, schema checks."""

import copy
import json
import pathlib

import jsonschema
import pytest
import referencing
import requests

from webex_simulator import Simulator
from webex_simulator import seed as seedlib

SCHEMA_DIR = pathlib.Path(__file__).resolve().parent.parent / 'schemas'
OTHER_ORG_ID = 'a0a0a0a0-0000-5000-8000-000000000001'
# A short client timeout everywhere: nothing in these tests should take long.
TIMEOUT = 5


# Owner types whose recordings may have no ownerEmail (the simulator leaves the key out: docs/simulator.md).
EMAILLESS_OWNER_TYPES = ('place', 'virtualLine', 'callQueue')


def _load_validators(email_required=True):
    """One validator per schema of tests/schemas. ``email_required=False``: the same schemas, except that
    ownerEmail is not required (the published definition requires it; workspaces and virtual lines have none)."""
    schemas = {path.name: json.loads(path.read_text(encoding='utf-8')) for path in SCHEMA_DIR.glob('*.json')}
    if not email_required:
        for schema in schemas.values():
            if 'ownerEmail' in schema.get('required', ()):
                schema['required'] = [name for name in schema['required'] if name != 'ownerEmail']
    registry = referencing.Registry().with_resources(
        (name, referencing.Resource.from_contents(schema)) for name, schema in schemas.items())
    return {name: jsonschema.Draft202012Validator(schema, registry=registry) for name, schema in schemas.items()}


VALIDATORS = _load_validators()
VALIDATORS_WITHOUT_EMAIL = _load_validators(email_required=False)


def _emailless(body):
    """The recordings of a body (one recording or {"items": [...]}) that carry no ownerEmail."""
    if not isinstance(body, dict):
        return []
    items = body['items'] if isinstance(body.get('items'), list) else [body]
    return [item for item in items if isinstance(item, dict) and 'id' in item and 'ownerEmail' not in item]


def check_schema(schema_name, body):
    """The published schema; a recording without ownerEmail only when its owner is a workspace, virtual line or
    call queue (then only that requirement is dropped)."""
    emailless = _emailless(body)
    if not emailless:
        VALIDATORS[schema_name].validate(body)
        return
    assert all(item.get('ownerType') in EMAILLESS_OWNER_TYPES for item in emailless), emailless
    VALIDATORS_WITHOUT_EMAIL[schema_name].validate(body)


def default_seed():
    return copy.deepcopy(seedlib.read_seed())


def two_org_seed():
    """The default seed plus a second org (dave, its admin) for cross-org reach."""
    data = default_seed()
    data['people'] += [
        {'email': 'dave@other.example.com', 'display_name': 'Dave Other', 'org_id': OTHER_ORG_ID},
        {'email': 'otheradmin@other.example.com', 'display_name': 'Other Admin', 'org_id': OTHER_ORG_ID},
    ]
    data['tokens'] += [
        {'token': 'dave-token', 'email': 'dave@other.example.com', 'scopes': ['spark:recordings_read', 'spark:recordings_write']},
        {'token': 'other-admin-token', 'email': 'otheradmin@other.example.com',
         'scopes': ['spark-admin:recordings_read', 'spark-admin:recordings_write']},
    ]
    data['recordings'] += [
        {'id': 'dddddddd-0000-5000-8000-000000000001', 'owner_email': 'dave@other.example.com', 'status': 'available',
         'created_days_ago': 1, 'topic': 'Dave available'},
        {'id': 'dddddddd-0000-5000-8000-000000000002', 'owner_email': 'dave@other.example.com', 'status': 'deleted',
         'created_days_ago': 1, 'topic': 'Dave deleted'},
    ]
    return data


class Client:
    """requests.Session bound to one simulator; token per call."""

    def __init__(self, simulator, verify=True):
        self.simulator = simulator
        self.session = requests.Session()
        # Per request: requests lets REQUESTS_CA_BUNDLE override Session.verify.
        self.verify = verify

    def request(self, method, path, token=None, **kwargs):
        headers = kwargs.pop('headers', {})
        if token is not None:
            headers['Authorization'] = 'Bearer %s' % token
        kwargs.setdefault('timeout', TIMEOUT)
        kwargs.setdefault('verify', self.verify)
        url = path if path.startswith('http') else self.simulator.api_url + path
        return self.session.request(method, url, headers=headers, **kwargs)

    def get(self, path, token=None, **kwargs):
        return self.request('GET', path, token, **kwargs)

    def post(self, path, token=None, **kwargs):
        return self.request('POST', path, token, **kwargs)

    def control(self, method, path, **kwargs):
        kwargs.setdefault('timeout', TIMEOUT)
        kwargs.setdefault('verify', self.verify)
        return self.session.request(method, self.simulator.control_url + path, **kwargs)

    def list(self, token, admin=False, **params):
        path = '/admin/convergedRecordings' if admin else '/convergedRecordings'
        return self.get(path, token, params=params)

    def list_all(self, token, admin=False, **params):
        """Follow the Link header to the end; every page checked against the schema."""
        response = self.list(token, admin, **params)
        items = []
        pages = 0
        while True:
            assert response.status_code == 200, response.text
            check_schema('recording-list.json', response.json())
            items.extend(response.json()['items'])
            pages += 1
            next_link = response.links.get('next')
            if not next_link:
                return items, pages
            response = self.get(next_link['url'], token)

    def action(self, operation, token, body):
        return self.post('/convergedRecordings/%s' % operation, token, json=body)


def assert_error(response, status, fragment=None):
    """Status, the Webex error body (schema), trackingId equal to the header, optional message fragment."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    check_schema('error.json', body)
    assert response.headers['trackingid'] == body['trackingId']
    if fragment is not None:
        assert fragment in body['message'], body['message']
    return body


def assert_no_content(response):
    assert response.status_code == 204, (response.status_code, response.text)
    assert response.content == b''
    assert response.headers['trackingid']


@pytest.fixture(name='simulator')
def simulator_fixture():
    with Simulator() as running:
        yield running


@pytest.fixture(name='client')
def client_fixture(simulator):
    api_client = Client(simulator)
    yield api_client
    api_client.session.close()


@pytest.fixture(name='two_orgs')
def two_orgs_fixture():
    with Simulator(seed=two_org_seed()) as running:
        api_client = Client(running)
        yield api_client
        api_client.session.close()


def recordings_of(simulator, owner, status=None):
    return simulator.recordings(owner_email='%s@example.com' % owner, status=status)


def ids_of(items):
    return [item['id'] for item in items]
