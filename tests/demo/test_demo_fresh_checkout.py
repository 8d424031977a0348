# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""scripts/demo on a fresh copy of the checkout, as a newcomer runs it after `git clone`.

The copy holds exactly the files git knows (what the harness laid out), is a git repository of its
own, has no tests/output and lays out its own collection tree. Only the pinned main venv is shared
(linked), so that the stage does not install the same packages twice.
"""

import os
import pathlib
import re
import shutil
import subprocess

import pytest

COLLECTION = pathlib.Path(__file__).resolve().parents[2]
RECAP = re.compile(r'^localhost\s*:\s*ok=\d+\s+changed=(\d+)\s', re.MULTILINE)
WRITES = re.compile(r'^==> writes the simulator saw (?:in check mode|so far|in total): (\d+)', re.MULTILINE)


def _fresh_checkout(tmp_path):
    checkout = tmp_path / 'clone'
    shutil.copytree(COLLECTION, checkout, ignore=shutil.ignore_patterns('output', '__pycache__'))
    assert not (checkout / 'tests' / 'output').exists()
    for command in (['git', 'init', '-q'], ['git', 'add', '-A'],
                    ['git', '-c', 'user.name=ci', '-c', 'user.email=ci@example.com', 'commit', '-qm', 'fresh']):
        subprocess.run(command, cwd=checkout, check=True)
    main_venv = pathlib.Path(os.environ['VENV'])
    (checkout / '.venv').symlink_to(main_venv, target_is_directory=True)
    return checkout


@pytest.fixture(scope='module')
def demo_run(tmp_path_factory):
    checkout = _fresh_checkout(tmp_path_factory.mktemp('demo'))
    env = dict(os.environ)
    for name in ('TEST_TREE', 'WEBEXOPS_TEST_TREE', 'COLLECTION_DIR', 'OUTPUT_DIR', 'REPO', 'ANSIBLE_COLLECTIONS_PATH',
                 'PYTHONPATH'):
        env.pop(name, None)
    run = subprocess.run(['scripts/demo'], cwd=checkout, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, timeout=600, check=False)
    yield checkout, run
    tree = re.search(r'^(/.*/tree)/ansible_collections/webexops/recordings', run.stdout, re.MULTILINE)
    if tree:
        shutil.rmtree(tree.group(1), ignore_errors=True)


def test_demo_exits_zero_on_a_fresh_checkout(demo_run):
    dummy, run = demo_run
    assert run.returncode == 0, run.stdout[-4000:]
    assert '==> demo passed: ' in run.stdout


def test_three_recaps_and_writes(demo_run):
    dummy, run = demo_run
    changed = [int(value) for value in RECAP.findall(run.stdout)]
    writes = [int(value) for value in WRITES.findall(run.stdout)]
    assert len(changed) == 3 and len(writes) == 3, run.stdout[-4000:]
    assert changed == [2, 2, 0]   # two module runs change: the Converged bin and the Meetings bin
    check_writes, real_writes, total_writes = writes
    assert check_writes == 0
    assert real_writes > 0
    assert total_writes == real_writes


def test_report_written_into_a_folder_the_run_created(demo_run):
    checkout, run = demo_run
    assert run.returncode == 0
    report = checkout / 'tests' / 'output' / 'demo'
    # The run's own files (named after its UTC start) and the copies of the latest run's.
    assert len(list(report.glob('report-2*Z.json'))) == 1 and len(list(report.glob('report-2*Z.csv'))) == 1
    assert (report / 'report-latest.json').is_file()
    assert (report / 'report-latest.csv').is_file()


def test_collection_tree_belongs_to_the_checkout(demo_run):
    checkout, run = demo_run
    tree = re.search(r'(/\S*/tree)/ansible_collections/webexops/recordings', run.stdout)
    assert tree, 'the demo output names no collection tree'
    main_tree = pathlib.Path(os.environ['TEST_TREE'])
    assert pathlib.Path(tree.group(1)) != main_tree


def test_check_mode_shows_the_diff_it_announces(demo_run):
    dummy, run = demo_run
    check = run.stdout.split('==> writes the simulator saw in check mode')[0]
    assert '==> 1/3 check mode with diff' in check and '--- before\n+++ after' in check, run.stdout[-4000:]
    # Call recording ids are UUIDs (36 characters), meeting recording ids 32 hex digits.
    deleted = re.findall(r'^- +"([0-9a-f-]{36}|[0-9a-f]{32})": "deleted"', check, re.MULTILINE)
    available = re.findall(r'^\+ +"([0-9a-f-]{36}|[0-9a-f]{32})": "available"', check, re.MULTILINE)
    # alice, bob and carol hold 5 call recordings each in the recycle bins of the default seed;
    # 15 call recordings and 10 meeting recordings (alice 5, bob 2, carol 3) of the three owners
    assert len(deleted) == 25 and sorted(deleted) == sorted(available)
    assert '==> recordings the diff shows going from deleted to available: 25' in run.stdout
    assert 'admin-token' not in run.stdout


def test_the_demo_ends_with_what_to_do_next(demo_run):
    dummy, run = demo_run
    last = run.stdout.strip().splitlines()[-1]
    assert last.startswith('==> what next: ') and 'playbooks/README.md' in last and 'Tokens' in last and '--check' in last
