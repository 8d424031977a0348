# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The API seam proven, not just drawn: the service's read-plan-restore path runs unchanged through a
second API profile written here, whose every word differs from Converged: other paths, "whose" sent
as a query parameter, other item keys, restore batches keyed by (holder, shelf), another restore
body. The fake server behind it is a few lines over the scripted transport; the service, the
listing engine, the planner and the client are the collection's own."""

import urllib.parse
from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.webexops.recordings.plugins.module_utils import _planner as planner
from ansible_collections.webexops.recordings.plugins.module_utils import _windows as windows_
from ansible_collections.webexops.recordings.plugins.module_utils._api import RecordingsApi
from ansible_collections.webexops.recordings.plugins.module_utils._errors import TaskFailed
from ansible_collections.webexops.recordings.plugins.module_utils._recordings import RecordingsService
from ansible_collections.webexops.recordings.plugins.module_utils._retry import RetryPolicy
from ansible_collections.webexops.recordings.plugins.module_utils._webex_client import WebexClient

from scripted_transport import API, TOKEN, ScriptedTransport, error_body

NOW = datetime(2026, 12, 1, 12, 0, 0, tzinfo=timezone.utc)
PAGE = 3   # the fake server pages by 3, to exercise Link paging through the profile


class ShelfApi(RecordingsApi):
    """A recordings API unlike Converged in every respect the seam hides."""

    name = 'shelf'
    user_read_scope = 'shelf:read'
    user_write_scope = 'shelf:write'
    admin_read_scope = 'shelf-admin:read'
    admin_write_scope = 'shelf-admin:write'
    FIELDS = {'id': 'thingId', 'owner_email': 'holder', 'status': 'state', 'create_time': 'madeAt', 'topic': 'title'}

    def list_request(self, admin, window, status, owner_email=None, filters=None, page_size=100, scope=None):
        query = {'state': status, 'since': window[0], 'until': window[1], 'limit': PAGE}
        if owner_email:
            query['holder'] = owner_email
        if filters and 'topic' in filters:
            query['titleContains'] = filters['topic']
        return ('/shelf/all-things' if admin else '/shelf/my-things'), query

    def details_path(self, recording_id):
        return '/shelf/thing/%s' % urllib.parse.quote(recording_id, safe='')

    def recording(self, item, fields=None):
        if not item.get('thingId'):
            return None
        wanted = fields or list(self.FIELDS)
        recording = dict((name, item.get(self.FIELDS[name])) for name in wanted if name in self.FIELDS)
        if 'owner_email' in wanted and 'shelf' in item:
            recording['shelf'] = item['shelf']
        return recording

    def batch_key(self, recording):
        return (recording['owner_email'], recording.get('shelf'))

    def restore_request(self, key, recording_ids=None, owner_email=None):
        holder, shelf = key if key else (owner_email, None)
        body = {'things': list(recording_ids)} if recording_ids is not None else {'everything': True}
        if shelf:
            body['shelf'] = shelf
        return 'POST', '/shelf/undelete', ({'holder': holder} if holder else None), body


class ShelfServer:
    """The fake server of ShelfApi: things on shelves, a bin, Link paging, an optional lost answer."""

    def __init__(self, things):
        self.things = dict((thing['thingId'], dict(thing)) for thing in things)
        self.drop_next_write_answer = False

    def __call__(self, call):
        if call.method == 'GET' and call.path.startswith('/v1/shelf/thing/'):
            thing = self.things.get(urllib.parse.unquote(call.path.rsplit('/', 1)[1]))
            return {'body': thing} if thing else {'status': 404, 'body': error_body('no such thing', 'T-404')}
        if call.method == 'GET':
            return self._list(call)
        assert call.method == 'POST' and call.path == '/v1/shelf/undelete', call
        holder, shelf = call.query.get('holder'), call.body.get('shelf')
        chosen = call.body.get('things') or [thing_id for thing_id, thing in self.things.items()
                                             if thing['state'] == 'deleted' and thing['holder'] == holder
                                             and shelf in (None, thing['shelf'])]
        for thing_id in chosen:
            thing = self.things[thing_id]
            # Like Meetings: one request, one holder and one shelf.
            assert (thing['holder'], thing['shelf']) == (holder, shelf or thing['shelf']), call
            thing['state'] = 'available'
        if self.drop_next_write_answer:
            self.drop_next_write_answer = False
            return {'status': 503, 'body': error_body('applied, answer lost', 'T-503')}
        return {'status': 204}

    def _list(self, call):
        query = call.query
        since, until = windows_.parse_time(query['since']), windows_.parse_time(query['until'])
        found = sorted((thing for thing in self.things.values()
                        if thing['state'] == query['state'] and since <= windows_.parse_time(thing['madeAt']) < until
                        and query.get('holder') in (None, thing['holder'])
                        and (call.path.endswith('all-things') or thing['holder'] == 'me@shelf.example')
                        and query.get('titleContains', '') in thing['title']),
                       key=lambda thing: thing['thingId'])
        start = int(query.get('offset', 0))
        page = found[start:start + PAGE]
        headers = {}
        if start + PAGE < len(found):
            link = '%s%s?%s' % (API, call.path[len('/v1'):], urllib.parse.urlencode(dict(query, offset=start + PAGE)))
            headers['Link'] = '<%s>; rel="next"' % link
        return {'body': {'things': page, 'items': page}, 'headers': headers}


def _thing(number, holder='ann@shelf.example', shelf='north', state='deleted', days_ago=3, title='weekly sync'):
    made = NOW - timedelta(days=days_ago, minutes=number)
    # Times in the forms an API may write them: offsets and fractions are the same instants.
    text = made.astimezone(timezone(timedelta(hours=8))).isoformat(timespec='milliseconds') if number % 2 else windows_.format_time(made)
    return {'thingId': 't%02d' % number, 'holder': holder, 'shelf': shelf, 'state': state, 'madeAt': text, 'title': title}


def _service(things, max_concurrency=2):
    server = ShelfServer(things)
    transport = ScriptedTransport(handler=server)
    client = WebexClient(API, TOKEN, retry_policy=RetryPolicy(30, sleep=lambda seconds: None, rand=lambda: 0.5))
    client.session.mount('https://', transport)
    return RecordingsService(client, ShelfApi(), max_concurrency), server, transport


WINDOWS = windows_.lookback_windows(NOW, 20)


def test_owner_bins_are_read_planned_and_restored_through_a_second_api():
    things = ([_thing(n) for n in range(4)] + [_thing(n, shelf='south') for n in range(4, 6)]
              + [_thing(n, holder='bo@shelf.example') for n in range(6, 8)]
              + [_thing(8, state='available'), _thing(9, holder='cy@shelf.example')])
    service, server, transport = _service(things)

    changed, result, diff = service.restore_owner_bins(['ann@shelf.example', 'BO@shelf.example'], WINDOWS, check_mode=False)

    assert changed is True
    assert result['strategy'] == planner.ORG_SWEEP
    assert sorted(result['restored']) == ['t%02d' % n for n in range(8)]
    assert result['owners']['ann@shelf.example']['restored'] == ['t%02d' % n for n in range(6)]
    assert result['owners']['BO@shelf.example']['restored'] == ['t06', 't07']
    assert server.things['t09']['state'] == 'deleted'      # another holder's thing stays in the bin
    # Reads: the profile's listing, its own query words, paged through its Link (8 matching things over one window).
    reads = [call for call in transport.calls if call.method == 'GET']
    assert {call.path for call in reads} == {'/v1/shelf/all-things'}
    assert all(call.query['state'] == 'deleted' and call.query['limit'] == str(PAGE) for call in reads)
    # Writes: one request per (holder, shelf), each in the profile's words.
    writes = sorted((call.query['holder'], call.body.get('shelf'), sorted(call.body['things']))
                    for call in transport.calls if call.method == 'POST')
    assert writes == [('ann@shelf.example', 'north', ['t00', 't01', 't02', 't03']),
                      ('ann@shelf.example', 'south', ['t04', 't05']),
                      ('bo@shelf.example', 'north', ['t06', 't07'])]
    assert diff['after']['recordings']['t00'] == 'available'

    rerun = _service(list(server.things.values()))
    changed, result, dummy = rerun[0].restore_owner_bins(['ann@shelf.example', 'bo@shelf.example'], WINDOWS, check_mode=False)
    assert changed is False and result['restored'] == []
    assert not [call for call in rerun[2].calls if call.method == 'POST']


def test_ids_are_read_through_the_profile_and_a_lost_answer_is_reconciled_with_its_reads():
    things = [_thing(n) for n in range(3)] + [_thing(3, shelf='south'), _thing(4, state='available')]
    service, server, transport = _service(things)
    server.drop_next_write_answer = True

    changed, result, dummy = service.restore_ids(['t00', 't01', 't03', 't04', 'nope'], 'warn', WINDOWS, check_mode=False)

    assert changed is True
    assert sorted(result['restored']) == ['t00', 't01', 't03']
    assert result['already_available'] == ['t04'] and result['missing'] == ['nope']
    # 5 ids > 1 listing window: the bin is listed, then only the ids not found in it are read.
    assert result['strategy'] == planner.BIN_LISTING
    posts = [call for call in transport.calls if call.method == 'POST']
    # Two (holder, shelf) batches; the first answer was lost and the re-read showed it applied: nothing re-sent.
    assert len(posts) == 2
    detail_reads = [call.path for call in transport.calls if call.path.startswith('/v1/shelf/thing/')]
    checked = ['/v1/shelf/thing/%s' % thing_id for thing_id in posts[0].body['things']]
    assert sorted(detail_reads) == sorted(['/v1/shelf/thing/t04', '/v1/shelf/thing/nope'] + checked)
    assert all(server.things[thing_id]['state'] == 'available' for thing_id in ('t00', 't01', 't03'))


def test_check_mode_and_the_cap_send_no_write_through_the_profile():
    service, server, transport = _service([_thing(n) for n in range(5)])
    changed, result, dummy = service.restore_bin('ann@shelf.example', WINDOWS, check_mode=True)
    assert changed is True and sorted(result['restored']) == ['t%02d' % n for n in range(5)]
    assert not [call for call in transport.calls if call.method == 'POST']
    assert all(call.query.get('holder') == 'ann@shelf.example' for call in transport.calls)

    with pytest.raises(TaskFailed) as failure:
        service.restore_all_owners(WINDOWS, check_mode=False, filters={'topic': 'weekly'}, max_restores=4)
    assert 'max_restores' in failure.value.msg and failure.value.result['selected'] == 5
    assert not [call for call in transport.calls if call.method == 'POST']
