# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""TaskFailed: a failed request's message with the hint of its cause, and its trackingId in the result."""

from ansible_collections.webexops.recordings.plugins.module_utils import _diagnosis as diagnosis
from ansible_collections.webexops.recordings.plugins.module_utils._errors import TaskFailed
from ansible_collections.webexops.recordings.plugins.module_utils._webex_client import WebexApiError

NEEDS = 'an administrator token with spark-admin:recordings_read is needed'


def api_error(status, cause, tracking_id='T1'):
    hint = diagnosis.hint(cause, api_url='https://webex.test/v1', url='https://webex.test/v1/admin/convergedRecordings')
    return WebexApiError('refused', status=status, tracking_id=tracking_id, method='GET', path='/admin/convergedRecordings',
                         cause=cause, hint=hint)


def test_a_refused_token_names_access_token_whatever_the_caller_guessed():
    failed = TaskFailed.from_api_error('owner_email: listing the recycle bin of a@b.example failed', api_error(401, 'token_refused'),
                                       {'tracking_ids': ['T0']}, hint=NEEDS)
    assert failed.msg.startswith('owner_email: listing the recycle bin of a@b.example failed: GET /admin/convergedRecordings: HTTP 401')
    assert 'access_token was refused' in failed.msg and 'WEBEX_ACCESS_TOKEN' in failed.msg
    assert 'spark-admin' not in failed.msg
    assert failed.result == {'tracking_ids': ['T0', 'T1']}


def test_a_403_takes_the_callers_hint_instead_of_the_generic_one():
    failed = TaskFailed.from_api_error('owner_email: listing failed', api_error(403, 'forbidden'), hint=NEEDS)
    assert failed.msg == ('owner_email: listing failed: GET /admin/convergedRecordings: HTTP 403: refused (trackingId: T1). '
                          'access_token is valid but not allowed this request: %s.' % NEEDS)
    generic = TaskFailed.from_api_error('owner_email: listing failed', api_error(403, 'forbidden'))
    assert generic.msg.endswith(diagnosis.forbidden_hint())


def test_without_prefix_or_cause():
    failed = TaskFailed.from_api_error(None, WebexApiError('Bad request', status=400, method='POST', path='/x'), hint=NEEDS)
    assert failed.msg == 'POST /x: HTTP 400: Bad request (no trackingId)'
    assert failed.result == {'tracking_ids': []}


def test_fail_json_kwargs_keeps_the_result_and_counts():
    failed = TaskFailed('boom', {'restored': ['a'], 'changed': False})
    assert failed.fail_json_kwargs({'reads': 1}) == {'restored': ['a'], 'requests': {'reads': 1}, 'msg': 'boom', 'changed': True}
