# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: restore the recycle bins of many owners with the role, against Ansible's floor and a naive loop.

One run measures, each on a real ansible-playbook process:
  floor  a one-task playbook (ansible.builtin.ping on localhost): what Ansible itself costs;
  role   playbooks/restore_owner_bins.yml at default settings (one org-wide sweep, restores by id in
         batches of 100, bounded concurrency), on a full bin, then again on the emptied bin (rerun),
         for every size and every bin shape (dense: created in the last 25 days; year: spread over
         the 365-day lookback);
  naive  a playbook that loops ansible.builtin.uri over NAIVE_OWNERS owners: one POST restoreAll each.

The simulator (a subprocess on 127.0.0.1) adds LATENCY seconds to every /v1 request and counts the
requests. For every run: wall time, reads and writes, the API bound (requests x latency /
concurrency), the peak RSS of the ansible-playbook process tree (sampled from /proc), and the
seconds per task (benchmarks/callback_plugins/task_timing.py). The targets of issue 11 are checked
and printed; the exit status is 1 when a run failed or the bins were not emptied.
Not a test: run it by hand, e.g.  .venv/bin/python benchmarks/restore_many_owners.py --quick
"""

import argparse
import datetime
import json
import math
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import yaml

REPO = pathlib.Path(__file__).resolve().parents[1]
TOKEN = 'bench-admin-token'
DOMAIN = 'bench.example.com'
RUN_TIMEOUT = 3600  # seconds, per ansible-playbook run
SHAPES = {
    'dense': [1, 25],   # days ago: every recording in one or two listing windows
    'year': [1, 364],   # spread over every window of the default lookback
}
# Issue 11's targets.
READS_FACTOR = 1.05
WALL_FACTOR = 2.0
WALL_FROM_OWNERS = 5000
RSS_LIMIT_MB = 300
RSS_AT_OWNERS = 10000


def local_play(name, tasks):
    """A playbook of one play on the implicit localhost, with the controller's Python."""
    return [{'name': name, 'hosts': 'localhost', 'connection': 'local', 'gather_facts': False,
             'vars': {'ansible_python_interpreter': '{{ ansible_playbook_python }}'}, 'tasks': tasks}]


NAIVE_PLAYBOOK = local_play('Restore every owner bin, one request per owner', [{
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
}])

FLOOR_PLAYBOOK = local_play('One task: the floor of an ansible-playbook run',
                            [{'name': 'Run one module', 'ansible.builtin.ping': {}}])


# How the simulator writes createTime: Webex answers Z, or an offset (the timezone header), and RFC 3339 allows fractions.
TIME_FORMS = {
    'Z': [],
    'offset': ['--timezone', 'Asia/Shanghai'],
    'fraction': ['--time-fraction', '3'],
    'offset+fraction': ['--timezone', 'America/New_York', '--time-fraction', '6'],
}


def _csv(text, convert=str):
    return [convert(part.strip()) for part in text.split(',') if part.strip()]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--sizes', default='1000,5000,10000', help='owner counts for the role (default 1000,5000,10000)')
    parser.add_argument('--shapes', default='dense,year', help='bin shapes: dense, year (default both)')
    parser.add_argument('--time-forms', default='Z', help='how the simulator writes times: %s (default Z)' % ', '.join(TIME_FORMS))
    parser.add_argument('--naive-owners', type=int, default=100, help='owners of the naive uri loop, 0 to skip (default 100)')
    parser.add_argument('--per-owner', type=int, default=5, help='deleted recordings per owner (default 5)')
    parser.add_argument('--latency', type=float, default=0.1, help='seconds added to every /v1 request (default 0.1)')
    parser.add_argument('--concurrency', type=int, help="the module's max_concurrency (default: the module's default)")
    parser.add_argument('--quick', action='store_true', help='smoke run: 20 and 50 owners x 2, naive 10 owners, 20 ms')
    parser.add_argument('--json', metavar='FILE', help='also write the results as JSON')
    parser.add_argument('--from-json', metavar='FILE', help='print the report of a run saved with --json, run nothing')
    parser.add_argument('--ansible-playbook', default=str(pathlib.Path(sys.executable).with_name('ansible-playbook')))
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.per_owner, args.latency, args.naive_owners = '20,50', 2, 0.02, 10
    try:
        args.sizes = _csv(args.sizes, int)
    except ValueError:
        parser.error('--sizes takes integers separated by commas')
    args.shapes = _csv(args.shapes)
    args.time_forms = _csv(args.time_forms)
    if not args.time_forms or set(args.time_forms) - set(TIME_FORMS):
        parser.error('--time-forms takes %s' % ', '.join(TIME_FORMS))
    if not args.sizes or min(args.sizes) < 1 or args.per_owner < 1 or args.latency < 0 or args.naive_owners < 0 \
            or (args.concurrency is not None and args.concurrency < 1):
        parser.error('sizes, --per-owner and --concurrency must be positive, --latency and --naive-owners >= 0')
    if not args.shapes or set(args.shapes) - set(SHAPES):
        parser.error('--shapes takes %s' % ', '.join(SHAPES))
    return args


class SimulatorProcess:
    """The simulator's Python entry point in a subprocess, bound to 127.0.0.1."""

    def __init__(self, seed_path, workdir, extra_args=()):
        self.ready_file = workdir / ('ready-%s.json' % seed_path.stem)
        self.ready_file.unlink(missing_ok=True)
        env = dict(os.environ, PYTHONPATH=str(REPO / 'tests' / 'simulator'))
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'webex_simulator', '--host', '127.0.0.1', '--port', '0',
             '--seed', str(seed_path), '--ready-file', str(self.ready_file)] + list(extra_args),
            env=env, stdout=subprocess.DEVNULL, stderr=(workdir / 'simulator.log').open('w'))
        deadline = time.monotonic() + 120
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
        with urllib.request.urlopen(request, timeout=120) as response:  # 127.0.0.1 only
            return json.loads(response.read() or b'null')

    def refill(self, latency):
        """Seed data back (every bin full), empty log and counters, then the latency fault again."""
        self.control('/reset', {'log': True, 'faults': True, 'data': True})
        self.set_latency(latency)

    def set_latency(self, latency):
        if latency:
            self.control('/faults', {'faults': [{'kind': 'latency', 'seconds': latency}]}, method='PUT')

    def clear_counts(self, latency):
        """Empty log and counters, keep the data as it is (for the rerun on the emptied bin)."""
        self.control('/reset', {'log': True, 'faults': True})
        self.set_latency(latency)

    def deleted_count(self):
        items = self.control('/recordings?status=deleted')['items']
        return sum(1 for item in items if (item.get('ownerEmail') or '').endswith('@' + DOMAIN))

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class TreeMemory:
    """Peak memory of a process and all its descendants, sampled from /proc every 50 ms.

    Two sums over the tree: RSS, which counts a page shared by forked processes once per process
    (ansible-playbook forks a worker per task: an upper bound), and PSS (/proc/PID/smaps_rollup),
    which shares such a page among them (what the run takes from the machine). Also the largest
    single RSS and the seconds after the start when the RSS sum peaked.
    """

    def __init__(self, pid):
        self.pid = pid
        self.started = time.monotonic()
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.peak_single_kb = 0
        self.peak_at_s = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    @staticmethod
    def _parents():
        parents = {}
        for entry in os.listdir('/proc'):
            if entry.isdigit():
                try:
                    with open('/proc/%s/stat' % entry) as handle:
                        parents[int(entry)] = int(handle.read().rsplit(')', 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue  # the process ended while it was read
        return parents

    @staticmethod
    def _memory_kb(pid):
        """(RSS, PSS) in kB, or None when the process is gone."""
        values = {}
        try:
            with open('/proc/%d/smaps_rollup' % pid) as handle:
                for line in handle:
                    name, dummy, rest = line.partition(':')
                    if name in ('Rss', 'Pss'):
                        values[name] = int(rest.split()[0])
        except (OSError, ValueError):
            return None
        return values.get('Rss', 0), values.get('Pss', 0)

    def _sample(self):
        while not self._stop.is_set():
            parents = self._parents()
            tree = {self.pid}
            grew = True
            while grew:
                grew = False
                for pid, parent in parents.items():
                    if parent in tree and pid not in tree:
                        tree.add(pid)
                        grew = True
            sizes = [size for size in (self._memory_kb(pid) for pid in tree) if size is not None]
            if sizes:
                rss = sum(size[0] for size in sizes)
                if rss > self.peak_rss_kb:
                    self.peak_rss_kb, self.peak_at_s = rss, time.monotonic() - self.started
                self.peak_pss_kb = max(self.peak_pss_kb, sum(size[1] for size in sizes))
                self.peak_single_kb = max(self.peak_single_kb, max(size[0] for size in sizes))
            self._stop.wait(0.05)

    def stop(self):
        self._stop.set()
        self._thread.join()
        return {'peak_rss_tree_mb': round(self.peak_rss_kb / 1024, 1), 'peak_pss_tree_mb': round(self.peak_pss_kb / 1024, 1),
                'peak_rss_largest_mb': round(self.peak_single_kb / 1024, 1), 'peak_rss_at_s': round(self.peak_at_s, 1)}


def collections_tree(workdir):
    """A tree where Ansible finds webexops.recordings: the caller's, or a symlink to this repo."""
    if os.environ.get('ANSIBLE_COLLECTIONS_PATH'):
        return os.environ['ANSIBLE_COLLECTIONS_PATH'].split(os.pathsep)[0]
    if REPO.parent.parent.name == 'ansible_collections':
        return str(REPO.parents[2])
    namespace_dir = workdir / 'tree' / 'ansible_collections' / 'webexops'
    namespace_dir.mkdir(parents=True)
    (namespace_dir / 'recordings').symlink_to(REPO)
    return str(workdir / 'tree')


def module_defaults(tree):
    """(W of the default lookback, the default max_concurrency), from the collection itself (defined once there)."""
    sys.path.insert(0, tree)
    from ansible_collections.webexops.recordings.plugins.module_utils import _selection as selection  # noqa: E402
    from ansible_collections.webexops.recordings.plugins.module_utils import _windows as windows  # noqa: E402
    spec = selection.selection_argument_spec()
    windows_count = len(windows.lookback_windows(windows.utc_now(), spec['lookback_days']['default']))
    return windows_count, spec['max_concurrency']['default']


def base_env(tree):
    env = {key: value for key, value in os.environ.items() if not key.startswith(('WEBEX_', 'ANSIBLE_'))}
    env.update({'ANSIBLE_COLLECTIONS_PATH': tree, 'ANSIBLE_NOCOLOR': '1', 'ANSIBLE_LOCALHOST_WARNING': 'false',
                'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false', 'ANSIBLE_RETRY_FILES_ENABLED': 'false',
                'ANSIBLE_CALLBACK_PLUGINS': str(REPO / 'benchmarks' / 'callback_plugins'),
                'ANSIBLE_CALLBACKS_ENABLED': 'task_timing'})
    return env


_RECAP = re.compile(r'^localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)', re.M)


def run_playbook(args, playbook, extra_vars, env, workdir, name):
    """(wall seconds, changed count from the recap, memory peaks (TreeMemory.stop), task timings)."""
    vars_file = workdir / ('%s-vars.json' % name)
    vars_file.write_text(json.dumps(extra_vars))
    log_file = workdir / ('%s.log' % name)
    timing_file = workdir / ('%s-timing.json' % name)
    env = dict(env, WEBEXOPS_BENCH_TIMING_FILE=str(timing_file))
    started = time.monotonic()
    with log_file.open('w') as log:
        process = subprocess.Popen([args.ansible_playbook, str(playbook), '-e', '@%s' % vars_file],
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
        memory = TreeMemory(process.pid)
        try:
            returncode = process.wait(timeout=RUN_TIMEOUT)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            peaks = memory.stop()
    wall = time.monotonic() - started
    if returncode != 0:
        raise RuntimeError('%s failed (rc %d): see %s' % (name, returncode, log_file))
    recap = _RECAP.findall(log_file.read_text())
    if len(recap) != 1:
        raise RuntimeError('%s: no single PLAY RECAP line for localhost in %s' % (name, log_file))
    timing = json.loads(timing_file.read_text()) if timing_file.exists() else {'tasks': []}
    return wall, int(recap[0][1]), peaks, timing['tasks']


def row(name, size, shape, run, wall, changed, peaks, tasks, counters, concurrency, latency, **extra):
    requests = counters.get('reads', 0) + counters.get('writes', 0)
    bound = requests * latency / concurrency
    entry = {'run': run, 'approach': name, 'owners': size, 'shape': shape, 'wall_s': round(wall, 2),
             'reads': counters.get('reads', 0), 'writes': counters.get('writes', 0), 'changed': changed,
             'concurrency': concurrency, 'api_bound_s': round(bound, 2),
             'wall_vs_bound': round(wall / bound, 2) if bound else None, 'tasks': tasks}
    entry.update(peaks)
    entry.update(extra)
    return entry


def measure_floor(args, workdir, tree):
    playbook = workdir / 'floor.yml'
    playbook.write_text(yaml.safe_dump(FLOOR_PLAYBOOK, sort_keys=False))
    wall, changed, peaks, tasks = run_playbook(args, playbook, {}, base_env(tree), workdir, 'floor')
    return row('floor', 0, '-', 'one task', wall, changed, peaks, tasks, {}, 1, args.latency)


def measure_role(args, sim, size, shape, owners, windows, workdir, tree, form='Z'):
    """The role on a full bin, then again on the emptied bin; two rows."""
    recordings = size * args.per_owner
    owners_file = workdir / ('owners-%d.txt' % size)
    owners_file.write_text('\n'.join(owners) + '\n')
    env = dict(base_env(tree), WEBEX_ACCESS_TOKEN=TOKEN, WEBEX_API_URL=sim.api_url)
    extra_vars = {'restore_owners_file': str(owners_file), 'restore_max_concurrency': args.concurrency,
                  'restore_report_path': str(workdir / ('report-%s-%d' % (shape, size)))}
    least_reads = windows + math.ceil(recordings / 100)
    rows = []
    sim.refill(args.latency)
    before = sim.deleted_count()
    if before != recordings:
        raise RuntimeError('role %s %d: %d recordings in the bins before the run, expected %d' % (shape, size, before, recordings))
    for run in ('full bin', 'rerun'):
        if run == 'rerun':
            sim.clear_counts(args.latency)
        name = 'role-%s-%d-%s' % (shape, size, run.replace(' ', '-'))
        wall, changed, peaks, tasks = run_playbook(
            args, REPO / 'playbooks' / 'restore_owner_bins.yml', extra_vars, env, workdir, name)
        counters = sim.control('/counters')
        after = sim.deleted_count()
        if after != 0:
            raise RuntimeError('%s: %d recordings still in the bins after the run' % (name, after))
        rows.append(row('role', size, shape, run, wall, changed, peaks, tasks, counters, args.concurrency,
                        args.latency, recordings=recordings if run == 'full bin' else 0,
                        least_reads=least_reads if run == 'full bin' else windows, time_form=form))
    return rows


def measure_naive(args, sim, owners, workdir, tree):
    sim.refill(args.latency)
    playbook = workdir / 'naive.yml'
    playbook.write_text(yaml.safe_dump(NAIVE_PLAYBOOK, sort_keys=False))
    wall, changed, peaks, tasks = run_playbook(
        args, playbook, {'bench_owners': owners, 'bench_api_url': sim.api_url, 'bench_token': TOKEN},
        base_env(tree), workdir, 'naive-%d' % len(owners))
    counters = sim.control('/counters')
    return row('naive', len(owners), 'dense', 'full bin', wall, changed, peaks, tasks, counters, 1,
               args.latency, recordings=len(owners) * args.per_owner)


def check_targets(rows):
    """Issue 11's targets, one line each: (text, met)."""
    checks = []
    for entry in rows:
        if entry['approach'] != 'role':
            continue
        label = '%s %d owners, %s, times %s' % (entry['shape'], entry['owners'], entry['run'], entry.get('time_form', 'Z'))
        if entry['run'] == 'full bin':
            limit = READS_FACTOR * entry['least_reads']
            checks.append(('%s: reads %d <= %.2f x %d = %.1f' % (label, entry['reads'], READS_FACTOR, entry['least_reads'], limit),
                           entry['reads'] <= limit))
            expected_writes = math.ceil(entry['recordings'] / 100)
            checks.append(('%s: writes %d = ceil(%d / 100) = %d' % (label, entry['writes'], entry['recordings'], expected_writes),
                           entry['writes'] == expected_writes))
            if entry['owners'] >= WALL_FROM_OWNERS:
                checks.append(('%s: wall %.1f s <= %.1f x bound %.1f s (%.2f x)'
                               % (label, entry['wall_s'], WALL_FACTOR, entry['api_bound_s'], entry['wall_vs_bound']),
                               entry['wall_vs_bound'] <= WALL_FACTOR))
            if entry['owners'] >= RSS_AT_OWNERS:
                checks.append(('%s: peak RSS of the process tree %.0f MB <= %d MB' % (label, entry['peak_rss_tree_mb'], RSS_LIMIT_MB),
                               entry['peak_rss_tree_mb'] <= RSS_LIMIT_MB))
        else:
            checks.append(('%s: writes %d = 0 and changed=%d = 0' % (label, entry['writes'], entry['changed']),
                           entry['writes'] == 0 and entry['changed'] == 0))
    return checks


def print_table(rows):
    """One line per run; 's/owner' is the wall time per owner, 'vs naive' the naive loop's s/owner over this one's."""
    naive = [entry for entry in rows if entry['approach'] == 'naive']
    naive_per_owner = naive[0]['wall_s'] / naive[0]['owners'] if naive else None
    columns = ('approach', 'shape', 'times', 'owners', 'run', 'wall s', 's/owner', 'vs naive', 'reads', 'least', 'writes', 'changed',
               'bound s', 'wall/bound', 'RSS tree MB', 'at s', 'PSS tree MB', 'largest MB')
    line = '%-8s %-6s %-15s %7s %-9s %7s %8s %8s %6s %6s %7s %8s %8s %10s %12s %6s %12s %11s'
    print(line % columns)
    print('-' * len(line % columns))
    for entry in rows:
        per_owner = entry['wall_s'] / entry['owners'] if entry['owners'] else None
        print(line % (entry['approach'], entry['shape'], entry.get('time_form', 'Z') if entry['approach'] == 'role' else '-',
                      entry['owners'] or '-', entry['run'], '%.1f' % entry['wall_s'],
                      '%.4f' % per_owner if per_owner else '-',
                      '%.0fx' % (naive_per_owner / per_owner) if per_owner and naive_per_owner and entry['approach'] != 'naive' else '-',
                      entry['reads'], entry.get('least_reads', '-'), entry['writes'], entry['changed'],
                      '%.1f' % entry['api_bound_s'], '%.2f' % entry['wall_vs_bound'] if entry['wall_vs_bound'] else '-',
                      '%.0f' % entry['peak_rss_tree_mb'], '%.1f' % entry['peak_rss_at_s'], '%.0f' % entry['peak_pss_tree_mb'],
                      '%.0f' % entry['peak_rss_largest_mb']))


def print_tasks(entry, top=8):
    """The slowest tasks of one run, as the timing callback measured them."""
    print('\nseconds per task, %s %s %s owners, %s (run = start to result, after = result to next task):'
          % (entry['approach'], entry['shape'], entry['owners'], entry['run']))
    for task in sorted(entry['tasks'], key=lambda t: -(t['run_s'] + t['after_s']))[:top]:
        print('  %7.2f run %7.2f after  %s%s' % (task['run_s'], task['after_s'], task['task'],
                                                 ' (x%d)' % task['count'] if task['count'] > 1 else ''))


def load_average():
    return [round(value, 2) for value in os.getloadavg()]


def seed_for(size, per_owner, shape):
    return {
        'people': [{'id': 'bench-admin', 'email': 'admin@%s' % DOMAIN, 'display_name': 'Bench Admin'}],
        'tokens': [{'token': TOKEN, 'email': 'admin@%s' % DOMAIN,
                    'scopes': ['spark-admin:recordings_read', 'spark-admin:recordings_write',
                               'spark:recordings_read', 'spark:recordings_write']}],
        'generate': [{'owners': size, 'per_owner': per_owner, 'status': 'deleted', 'prefix': 'owner',
                      'domain': DOMAIN, 'created_days_ago': SHAPES[shape]}],
    }


def run_all(args, workdir, tree, rows):
    windows, default_concurrency = module_defaults(tree)
    args.concurrency = args.concurrency or default_concurrency
    print('floor ...', file=sys.stderr, flush=True)
    rows.append(measure_floor(args, workdir, tree))
    plan = [(form, shape, size) for form in args.time_forms for shape in args.shapes for size in args.sizes]
    if args.naive_owners and (args.time_forms[0], 'dense', args.naive_owners) not in plan:
        plan.insert(0, (args.time_forms[0], 'dense', args.naive_owners))
    naive_done = False
    for form, shape, size in plan:
        seed_path = workdir / ('seed-%s-%d.json' % (shape, size))
        seed_path.write_text(json.dumps(seed_for(size, args.per_owner, shape)))
        owners = ['owner%04d@%s' % (number, DOMAIN) for number in range(size)]
        sim = SimulatorProcess(seed_path, workdir, TIME_FORMS[form])
        try:
            if size == args.naive_owners and shape == 'dense' and not naive_done:
                naive_done = True
                print('naive, %d owners ...' % size, file=sys.stderr, flush=True)
                rows.append(measure_naive(args, sim, owners, workdir, tree))
            if size in args.sizes:
                print('role, %s, times %s, %d owners x %d ...' % (shape, form, size, args.per_owner), file=sys.stderr, flush=True)
                rows.extend(measure_role(args, sim, size, shape, owners, windows, workdir, tree, form))
                print('  %.1f s, rerun %.1f s' % (rows[-2]['wall_s'], rows[-1]['wall_s']), file=sys.stderr, flush=True)
        finally:
            sim.stop()
    return windows


def print_report(report):
    """The run conditions, the table, the slowest tasks of the largest runs and the targets."""
    print('started %s; load average (1, 5, 15 min) %s before, %s after; %d CPUs; latency %.0f ms per /v1 request; '
          '%d recordings per owner; max_concurrency %d; W = %d listing windows'
          % (report['started'], report['load_average_before'], report['load_average_after'], report['cpus'],
             report['latency_s'] * 1000, report['per_owner'], report['concurrency'], report['windows']))
    rows = report['rows']
    print_table(rows)
    largest = max([entry['owners'] for entry in rows if entry['approach'] == 'role'] or [0])
    for entry in rows:
        if entry['approach'] == 'role' and entry['run'] == 'full bin' and entry['owners'] == largest:
            print_tasks(entry)
    print('\ntargets:')
    for target in report['targets']:
        print('  [%s] %s' % ('met' if target['met'] else 'MISSED', target['target']))


def main(argv=None):
    args = parse_args(argv)
    if args.from_json:
        print_report(json.loads(pathlib.Path(args.from_json).read_text()))
        return 0
    workdir = pathlib.Path(tempfile.mkdtemp(prefix='webex-bench-'))
    rows = []
    load_before = load_average()
    started = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    try:
        tree = collections_tree(workdir)
        windows = run_all(args, workdir, tree, rows)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        print('benchmark failed: %s (work files kept in %s)' % (exc, workdir), file=sys.stderr)
        if rows:
            print_table(rows)
        return 1
    report = {'started': started, 'load_average_before': load_before, 'load_average_after': load_average(),
              'cpus': os.cpu_count(), 'latency_s': args.latency, 'per_owner': args.per_owner,
              'concurrency': args.concurrency, 'windows': windows, 'rows': rows}
    report['targets'] = [{'target': text, 'met': met} for text, met in check_targets(rows)]
    print_report(report)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(report, indent=2) + '\n')
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
