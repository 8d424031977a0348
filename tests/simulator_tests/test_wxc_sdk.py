"""wxc-sdk (a real Webex client) against the simulator: list, list the bin, softDelete, restore.

wxc-sdk builds every URL from RestSession.BASE; its supported override is WebexSimpleApi(session=...), so the
test passes a RestSession subclass whose BASE is the simulator's api_url. No internals are patched.
"""

import pytest

from conftest import recordings_of

wxc_sdk = pytest.importorskip('wxc_sdk')
rest = pytest.importorskip('wxc_sdk.rest')
recordings_module = pytest.importorskip('wxc_sdk.meetings.recordings')


def webex_api(simulator, token):
    session_class = type('SimulatorRestSession', (rest.RestSession,), {'BASE': simulator.api_url})
    tokens = wxc_sdk.Tokens(access_token=token)
    session = session_class(tokens=tokens, concurrent_requests=4, retry_429=False)
    return wxc_sdk.WebexSimpleApi(tokens=tokens, session=session)


def test_wxc_sdk_lists_moves_to_bin_and_restores(simulator):
    api = webex_api(simulator, 'alice-token')
    deleted_status = recordings_module.RecordingStatus.deleted
    try:
        recordings = api.converged_recordings
        available = list(recordings.list())
        assert available and {item.owner_email for item in available} == {'alice@example.com'}
        bin_before = [item.id for item in recordings.list(status=deleted_status)]
        assert bin_before

        moved = [item.id for item in available]
        recordings.move_recordings_into_the_recycle_bin(recording_ids=moved)
        assert list(recordings.list()) == []
        bin_after = [item.id for item in recordings.list(status=deleted_status, max=1)]
        assert sorted(bin_after) == sorted(bin_before + moved)
        assert recordings.details(moved[0]).status == deleted_status

        recordings.restore_recordings_from_recycle_bin(recording_ids=moved)
        assert sorted(item.id for item in recordings.list()) == sorted(moved)
        recordings.restore_recordings_from_recycle_bin(restore_all=True)
        assert recordings_of(simulator, 'alice', 'deleted') == []
    finally:
        api.close()

    requests_seen = simulator.requests()
    assert {entry['authorization'] for entry in requests_seen} == {'Bearer ***'}
    assert requests_seen[-1]['body'] == {'restoreAll': True}
    assert all(entry['status'] in (200, 204) for entry in requests_seen)
