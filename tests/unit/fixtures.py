# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""What the unit tests share besides pytest fixtures: the tokens and the seed of the in-process
simulator, and the shortcuts of the ``webex`` fixture (conftest.py). Tests import these from here,
never from conftest: conftest.py holds the pytest fixtures only."""

ADMIN_TOKEN = 'SECRET-admin-token-0123456789abcdef'
ALICE_TOKEN = 'SECRET-alice-token-0123456789abcdef'
UNIT_SEED = {
    'org_id': '6f9c2d1e-4b7a-4c1e-9a55-0d1c2e3f4a5b',
    'people': [{'email': email} for email in (
        'admin@example.com', 'alice@example.com', 'bob@example.com', 'carol@example.com', 'dan@example.com', 'zed@example.com',
        'user0@example.com', 'user1@example.com', 'user2@example.com', 'user3@example.com')] + [
        {'id': 'workspace-1', 'email': 'lobby@places.example.com', 'type': 'place'},
        {'id': 'vline-1', 'email': 'hotline@lines.example.com', 'type': 'virtualLine'}],
    'tokens': [
        {'token': ADMIN_TOKEN, 'email': 'admin@example.com',
         'scopes': ['spark-admin:recordings_read', 'spark-admin:recordings_write', 'spark:recordings_read', 'spark:recordings_write']},
        {'token': ALICE_TOKEN, 'email': 'alice@example.com', 'scopes': ['spark:recordings_read', 'spark:recordings_write']},
    ],
}


class Webex:
    """The in-process simulator, with the shortcuts the tests need."""

    def __init__(self, transport):
        self.transport = transport
        self.sim = transport.simulator

    def add(self, recording_id, owner='alice@example.com', status='deleted', days_ago=10, **more):
        """One recording; ``more``: seed keys such as location_id, service_type, topic."""
        item = {'id': recording_id, 'owner_email': owner, 'status': status, 'created_days_ago': days_ago,
                'topic': 'call %s' % recording_id}
        item.update(more)
        self.sim.add_recordings({'items': [item]})

    def status(self, recording_id):
        return dict((item['id'], item['status']) for item in self.sim.recordings())[recording_id]

    def faults(self, *faults):
        self.sim.set_faults(list(faults))

    def calls(self, method=None):
        return [entry for entry in self.sim.requests() if method is None or entry['method'] == method]

    def reads(self):
        return self.calls('GET')

    def writes(self):
        return self.calls('POST')

    def clear_log(self):
        self.sim.reset(log=True, faults=False, data=False)
