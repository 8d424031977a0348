# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ask a running Webex API simulator (tests/simulator) about its state, from a shell script.

Usage: ``simulator_control.py READY_FILE COMMAND``, where READY_FILE is the JSON file that
``python -m webex_simulator --ready-file`` writes once it listens, and COMMAND one of:

``deleted-owners``
    print ``{"restore_owners": [...]}``: the sorted emails of the owners with recordings in a
    recycle bin (extra vars for playbooks/restore_owner_bins.yml);
``deleted-count``
    print how many recordings of those owners are in a recycle bin.

Only owners with an email count: the owner-bins runbook names owners by email, and the
recordings of workspaces and virtual lines (which have none, so the API leaves ``ownerEmail``
out) are not its business. Used by stage build-install (tests/ci/80-build-install.sh).
"""

import argparse
import json
import urllib.request

DELETED = '/recordings?status=deleted'


def load_ready(path):
    """Return the simulator's ready file (api_url, control_url, ...) as a dict."""
    with open(path, encoding='utf-8') as stream:
        return json.load(stream)


def control(ready, path):
    """Return the decoded JSON answer of the simulator's control API to GET path."""
    with urllib.request.urlopen(ready['control_url'] + path, timeout=10) as response:
        return json.load(response)


def deleted_with_email(ready):
    """Return the recordings in a recycle bin whose owner has an email."""
    return [item for item in control(ready, DELETED)['items'] if item.get('ownerEmail')]


def main():
    """Print the answer to COMMAND."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('ready_file', help="the simulator's --ready-file")
    parser.add_argument('command', choices=('deleted-owners', 'deleted-count'))
    args = parser.parse_args()
    ready = load_ready(args.ready_file)
    if args.command == 'deleted-owners':
        items = deleted_with_email(ready)
        print(json.dumps({'restore_owners': sorted({item['ownerEmail'] for item in items})}))
    else:
        print(len(deleted_with_email(ready)))


if __name__ == '__main__':
    main()
