# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: restore the recycle bins of many owners, the role versus a naive per-owner loop.

For each size, a simulator on 127.0.0.1 (a subprocess) is seeded with OWNERS x PER_OWNER deleted
recordings and adds LATENCY seconds to every /v1 request. Then, on a full bin each time:

  role   playbooks/restore_owner_bins.yml (one org-wide sweep, restores by id in batches of 100,
         bounded concurrency), a real ansible-playbook run;
  naive  a playbook that loops ansible.builtin.uri over the owners: one POST restoreAll per owner.

Prints wall time, requests (reads/writes), the ratio to the naive loop and the ratio to the
API-bound limit (requests x latency / concurrency). Checks after every run that the bins are empty.
Not a test: run it by hand, e.g.  .venv/bin/python benchmarks/restore_many_owners.py --quick
"""

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

REPO = pathlib.Path(__file__).resolve().parents[1]
TOKEN = 'bench-admin-token'
DOMAIN = 'bench.example.com'
RUN_TIMEOUT = 3600  # seconds, per ansible-playbook run

NAIVE_PLAYBOOK = [{
    'name': 'Restore every owner bin, one request per owner',
    'hosts': 'localhost',
    'connection': 'local',
    'gather_facts': False,
    'vars': {'ansible_python_interpreter': '{{ ansible_playbook_python }}'},
    'tasks': [{
        'name': 'Restore the whole bin of one owner',
        'ansible.builtin.uri': {
            'url': '{{ bench_api_url }}/convergedRecordings/restore',
            'method': 'POST',
            'headers': {'Authorization': 'Bearer {{ bench_token }}'},
            'body_format': 'json',
            'body': {'restoreAll': True, 'ownerEmail': '{{ item }}'},
            'status_code': [200, 204],
        },
        'loop': '{{ bench_owners }}',
        'loop_control': {'label': '{{ item }}'},
    }],
}]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--sizes', default='200,1000', help='owner counts, comma-separated (default 200,1000)')
    parser.add_argument('--per-owner', type=int, default=5, help='deleted recordings per owner (default 5)')
    parser.add_argument('--latency', type=float, default=0.1, help='seconds added to every /v1 request (default 0.1)')
    parser.add_argument('--concurrency', type=int, default=4, help="the module's max_concurrency (default 4)")
    parser.add_argument('--approaches', default='role,naive', help='role, naive or both (default role,naive)')
    parser.add_argument('--quick', action='store_true', help='smoke run: 20 owners x 2 recordings, 20 ms latency')
    parser.add_argument('--json', metavar='FILE', help='also write the results as JSON')
    parser.add_argument('--ansible-playbook', default=str(pathlib.Path(sys.executable).with_name('ansible-playbook')))
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.per_owner, args.latency = '20', 2, 0.02
    args.sizes = [int(size) for size in args.sizes.split(',') if size.strip()]
    args.approaches = [name.strip() for name in args.approaches.split(',') if name.strip()]
    if not args.sizes or min(args.sizes) < 1 or args.per_owner < 1 or args.latency < 0 or args.concurrency < 1:
        parser.error('sizes, --per-owner and --concurrency must be positive, --latency >= 0')
    if set(args.approaches) - {'role', 'naive'}:
        parser.error('--approaches takes role and/or naive')
    return args


class SimulatorProcess:
    """scripts/simulator's Python entry point in a subprocess, bound to 127.0.0.1."""

    def __init__(self, seed_path, workdir):
        self.ready_file = workdir / ('ready-%s.json' % seed_path.stem)
        self.ready_file.unlink(missing_ok=True)
        env = dict(os.environ, PYTHONPATH=str(REPO / 'tests' / 'simulator'))
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'webex_simulator', '--host', '127.0.0.1', '--port', '0',
             '--seed', str(seed_path), '--ready-file', str(self.ready_file)],
            env=env, stdout=subprocess.DEVNULL, stderr=(workdir / 'simulator.log').open('w'))
        deadline = time.monotonic() + 60
        while not self.ready_file.exists() or not self.ready_file.read_text().strip():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError('the simulator did not start: see %s' % (workdir / 'simulator.log'))
            time.sleep(0.1)
        info = json.loads(self.ready_file.read_text())
        self.api_url, self.control_url = info['api_url'], info['control_url']

    def control(self, path, body=None, method=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.control_url + path, data=data, method=method or ('POST' if data else 'GET'),
                                         headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=60) as response:  # 127.0.0.1 only
            return json.loads(response.read() or b'null')

    def refill(self, latency):
        """Seed data back (every bin full), empty log and counters, then the latency fault again."""
        self.control('/reset', {'log': True, 'faults': True, 'data': True})
        if latency:
            self.control('/faults', {'faults': [{'kind': 'latency', 'seconds': latency}]}, method='PUT')

    def deleted_count(self):
        items = self.control('/recordings?status=deleted')['items']
        return sum(1 for item in items if item['ownerEmail'].endswith('@' + DOMAIN))

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def collections_tree(workdir):
    """A tree where Ansible finds webexops.recordings: the caller's, or a symlink to this repo."""
    if os.environ.get('ANSIBLE_COLLECTIONS_PATH'):
        return os.environ['ANSIBLE_COLLECTIONS_PATH']
    if REPO.parent.parent.name == 'ansible_collections':
        return str(REPO.parents[2])
    namespace_dir = workdir / 'tree' / 'ansible_collections' / 'webexops'
    namespace_dir.mkdir(parents=True)
    (namespace_dir / 'recordings').symlink_to(REPO)
    return str(workdir / 'tree')


def run_playbook(args, playbook, extra_vars, env, workdir, name):
    vars_file = workdir / ('%s-vars.json' % name)
    vars_file.write_text(json.dumps(extra_vars))
    log_file = workdir / ('%s.log' % name)
    started = time.monotonic()
    with log_file.open('w') as log:
        completed = subprocess.run([args.ansible_playbook, str(playbook), '-e', '@%s' % vars_file],
                                   env=env, stdout=log, stderr=subprocess.STDOUT, timeout=RUN_TIMEOUT, check=False)
    wall = time.monotonic() - started
    if completed.returncode != 0:
        raise RuntimeError('%s failed (rc %d): see %s' % (name, completed.returncode, log_file))
    return wall


def measure(args, sim, approach, owners, workdir, tree):
    sim.refill(args.latency)
    before = sim.deleted_count()
    env = {key: value for key, value in os.environ.items() if not key.startswith('WEBEX_')}
    env.update({'ANSIBLE_COLLECTIONS_PATH': tree, 'ANSIBLE_NOCOLOR': '1', 'ANSIBLE_LOCALHOST_WARNING': 'false',
                'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false', 'ANSIBLE_RETRY_FILES_ENABLED': 'false'})
    name = '%s-%d' % (approach, len(owners))
    if approach == 'role':
        owners_file = workdir / ('owners-%d.txt' % len(owners))
        owners_file.write_text('\n'.join(owners) + '\n')
        env.update({'WEBEX_ACCESS_TOKEN': TOKEN, 'WEBEX_API_URL': sim.api_url})
        wall = run_playbook(args, REPO / 'playbooks' / 'restore_owner_bins.yml',
                            {'restore_owners_file': str(owners_file), 'restore_max_concurrency': args.concurrency,
                             'restore_report_path': str(workdir / ('report-%d' % len(owners)))}, env, workdir, name)
        concurrency = args.concurrency
    else:
        playbook = workdir / 'naive.yml'
        playbook.write_text(yaml.safe_dump(NAIVE_PLAYBOOK, sort_keys=False))
        wall = run_playbook(args, playbook, {'bench_owners': owners, 'bench_api_url': sim.api_url, 'bench_token': TOKEN},
                            env, workdir, name)
        concurrency = 1
    counters = sim.control('/counters')
    after = sim.deleted_count()
    if before != len(owners) * args.per_owner or after != 0:
        raise RuntimeError('%s: %d recordings in the bins before, %d after (expected %d, 0)'
                           % (name, before, after, len(owners) * args.per_owner))
    requests = counters['reads'] + counters['writes']
    return {'owners': len(owners), 'approach': approach, 'wall_s': round(wall, 2), 'reads': counters['reads'],
            'writes': counters['writes'], 'concurrency': concurrency,
            'api_bound_s': round(requests * args.latency / concurrency, 2)}


def print_table(results):
    columns = ('owners', 'approach', 'wall s', 'reads', 'writes', 'vs naive', 'API bound s', 'vs bound')
    line = '%7s  %-8s %8s %7s %7s %9s %12s %9s'
    print(line % columns)
    print('-' * len(line % columns))
    for row in results:
        naive = [r for r in results if r['owners'] == row['owners'] and r['approach'] == 'naive']
        versus_naive = '%.3f' % (row['wall_s'] / naive[0]['wall_s']) if naive else '-'
        versus_bound = '%.1f' % (row['wall_s'] / row['api_bound_s']) if row['api_bound_s'] else '-'
        print(line % (row['owners'], row['approach'], '%.1f' % row['wall_s'], row['reads'], row['writes'],
                      versus_naive, '%.1f' % row['api_bound_s'], versus_bound))


def main(argv=None):
    args = parse_args(argv)
    workdir = pathlib.Path(tempfile.mkdtemp(prefix='webex-bench-'))
    results = []
    try:
        tree = collections_tree(workdir)
        for size in args.sizes:
            seed = {
                'people': [{'id': 'bench-admin', 'email': 'admin@%s' % DOMAIN, 'display_name': 'Bench Admin'}],
                'tokens': [{'token': TOKEN, 'email': 'admin@%s' % DOMAIN,
                            'scopes': ['spark-admin:recordings_read', 'spark-admin:recordings_write',
                                       'spark:recordings_read', 'spark:recordings_write']}],
                'generate': [{'owners': size, 'per_owner': args.per_owner, 'status': 'deleted', 'prefix': 'owner',
                              'domain': DOMAIN, 'created_days_ago': [1, 25]}],
            }
            seed_path = workdir / ('seed-%d.json' % size)
            seed_path.write_text(json.dumps(seed))
            owners = ['owner%04d@%s' % (number, DOMAIN) for number in range(size)]
            sim = SimulatorProcess(seed_path, workdir)
            try:
                for approach in args.approaches:
                    print('%d owners x %d recordings, %s ...' % (size, args.per_owner, approach), file=sys.stderr, flush=True)
                    results.append(measure(args, sim, approach, owners, workdir, tree))
                    print('  %.1f s' % results[-1]['wall_s'], file=sys.stderr, flush=True)
            finally:
                sim.stop()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        print('benchmark failed: %s (work files kept in %s)' % (exc, workdir), file=sys.stderr)
        if results:
            print_table(results)
        return 1
    print('latency %.0f ms per /v1 request, %d recordings per owner, module max_concurrency %d; '
          'API bound = requests x latency / concurrency (naive: concurrency 1)'
          % (args.latency * 1000, args.per_owner, args.concurrency))
    print_table(results)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=2) + '\n')
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
