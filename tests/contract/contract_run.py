# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the contract stage (tests/ci/25-contract.sh), standard library only.

``contract_run.py prepare READY_FILE FIXTURE [--api converged|meetings]``
    reset the running simulator (log, faults and data) and load the contract fixture into it (as
    Converged or as Meetings data: ``POST /_sim/recordings?api=...``);
``contract_run.py summarize NDJSON --label L --spec SPEC --ready READY_FILE [--junit PATH]``
    count what a schemathesis run tested from its NDJSON event log: the operations of the
    definition it tested and its test cases (examples), per operation with the statuses answered,
    and the checks that failed; name the JUnit suite after the run; ask the simulator whether any
    request hit a simulator bug (``internal_error`` in its request log). The last line reads
    ``contract L: N of M operations tested, K test cases, F failed checks, E simulator errors``.
    Exit 1 when an operation of the definition was not tested, no test case ran, or the simulator
    had an internal error (schemathesis' own exit status covers the failed checks);
``contract_run.py total SUMMARY_LINE...``
    add up the last lines of the runs: ``contract: R runs, N operations tested of M, K test cases
    (label K, ...), F failed checks, E simulator errors``.
"""

import argparse
import collections
import json
import os
import re
import sys
import urllib.request
import xml.etree.ElementTree as ET

HTTP_METHODS = ('get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace')


def load_ready(path):
    """The simulator's ready file: api_url, control_url, ca_file, pid."""
    with open(path, encoding='utf-8') as stream:
        return json.load(stream)


def control(ready, method, path, body=None):
    """Call the simulator's control API; return the decoded JSON answer."""
    data = None if body is None else json.dumps(body).encode('utf-8')
    request = urllib.request.Request(ready['control_url'] + path, data=data, method=method,
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def spec_operations(path):
    """'GET /convergedRecordings', 'GET /recordings', ... of an OpenAPI definition (YAML), in file order.

    Read with a pattern rather than a YAML parser: the stage's Python needs no third-party package.
    """
    operations = []
    current = None
    with open(path, encoding='utf-8') as stream:
        for line in stream:
            path_match = re.match(r'^  (/\S*):\s*$', line)
            if path_match:
                current = path_match.group(1)
                continue
            method_match = re.match(r'^    ([a-z]+):\s*$', line)
            if current and method_match and method_match.group(1) in HTTP_METHODS:
                operations.append('%s %s' % (method_match.group(1).upper(), current))
            elif re.match(r'^\S', line):
                current = None
    return operations


def read_events(path):
    """The ScenarioFinished events of a schemathesis NDJSON report."""
    scenarios = []
    with open(path, encoding='utf-8') as stream:
        for line in stream:
            event = json.loads(line)
            if 'ScenarioFinished' in event:
                scenarios.append(event['ScenarioFinished'])
    return scenarios


def tally(scenarios):
    """-> (cases per operation label, statuses per label, unexpected-method probes per label, cases per phase, failed checks)."""
    cases = collections.Counter()
    statuses = collections.defaultdict(collections.Counter)
    probes = collections.Counter()
    phases = collections.Counter()
    failures = []
    seen = set()
    for scenario in scenarios:
        recorder = scenario['recorder']
        for case_id, case in recorder.get('cases', {}).items():
            if case_id in seen:
                continue
            seen.add(case_id)
            value = case['value']
            label = '%s %s' % (value['method'], value['path'])
            if recorder['label'] != 'Stateful tests' and label != recorder['label']:
                # the coverage phase also sends methods the operation does not have (expects 405)
                probes[recorder['label']] += 1
                label = recorder['label']
            cases[label] += 1
            phases[scenario['phase']] += 1
            interaction = recorder.get('interactions', {}).get(case_id) or {}
            response = interaction.get('response') or {}
            statuses[label][response.get('status_code', 'no response')] += 1
        for case_id, checks in recorder.get('checks', {}).items():
            for check in checks:
                if check['status'] == 'failure':
                    failures.append((recorder['label'], check['name'], case_id))
    return cases, statuses, probes, phases, failures


def rename_junit_suite(path, name):
    """Name the suite of a schemathesis JUnit report after the run (both runs are called 'schemathesis')."""
    tree = ET.parse(path)
    for suite in tree.getroot().iter('testsuite'):
        suite.set('name', name)
    tree.write(path, encoding='utf-8', xml_declaration=True)


SUMMARY_LINE = re.compile(r'^contract (\S+): (\d+) of (\d+) operations tested, (\d+) test cases, (\d+) failed checks, (\d+) simulator errors$')


def summarize(args):
    """Print the counts of one run; return the exit status."""
    operations = spec_operations(args.spec)
    if not os.path.exists(args.ndjson):
        print('contract %s: schemathesis wrote no report (%s): it did not run' % (args.label, args.ndjson))
        return 1
    cases, statuses, probes, phases, failures = tally(read_events(args.ndjson))
    if args.junit and os.path.exists(args.junit):
        rename_junit_suite(args.junit, 'contract-%s' % args.label)
    ready = load_ready(args.ready)
    internal_errors = [entry for entry in control(ready, 'GET', '/requests')['requests'] if entry.get('internal_error')]
    by_status = control(ready, 'GET', '/counters')['by_status']

    print('contract %s: test cases per operation (HTTP status: count)' % args.label)
    for label in operations + sorted(set(cases) - set(operations)):
        answered = ', '.join('%s: %d' % (status, count) for status, count in sorted(statuses[label].items(), key=str))
        extra = ' (%d of them other methods, expecting 405)' % probes[label] if probes[label] else ''
        print('  %-42s %5d%s  [%s]' % (label, cases[label], extra, answered or '-'))
    print('  by phase: %s' % ', '.join('%s %d' % item for item in sorted(phases.items())))
    print('  the simulator answered: %s' % ', '.join('%s: %d' % item for item in sorted(by_status.items())))
    for label, check, case_id in failures:
        print('  FAILED %s on %s (test case %s)' % (check, label, case_id))
    for entry in internal_errors:
        print('  SIMULATOR ERROR %s %s: %s' % (entry['method'], entry['path'], entry['internal_error']))
    tested = [label for label in operations if cases[label]]
    if len(tested) < len(operations):
        print('  NOT TESTED: %s' % ', '.join(label for label in operations if label not in tested))
    print('contract %s: %d of %d operations tested, %d test cases, %d failed checks, %d simulator errors'
          % (args.label, len(tested), len(operations), sum(cases.values()), len(failures), len(internal_errors)))
    return 1 if len(tested) < len(operations) or not cases or internal_errors else 0


def total(args):
    """Add up the closing lines of the runs."""
    runs = [SUMMARY_LINE.match(line.strip()) for line in args.lines]
    if not runs or not all(runs):
        print('contract: a run did not finish (%s)' % ' | '.join(args.lines))
        return 1
    numbers = [[int(group) for group in run.groups()[1:]] for run in runs]
    print('contract: %d runs, %d operations tested of %d, %d test cases (%s), %d failed checks, %d simulator errors'
          % (len(runs), sum(row[0] for row in numbers), sum(row[1] for row in numbers), sum(row[2] for row in numbers),
             ', '.join('%s %d' % (run.group(1), row[2]) for run, row in zip(runs, numbers)),
             sum(row[3] for row in numbers), sum(row[4] for row in numbers)))
    return 0


def prepare(args):
    """Reset the simulator to its seed and load the contract fixture."""
    ready = load_ready(args.ready)
    with open(args.fixture, encoding='utf-8') as stream:
        fixture = json.load(stream)
    control(ready, 'POST', '/reset', {'log': True, 'faults': True, 'data': True})
    added = control(ready, 'POST', '/recordings?api=%s' % args.api,
                    {key: value for key, value in fixture.items() if not key.startswith('_')})
    print('simulator reset; contract fixture loaded (%d %s recordings)' % (len(added['items']), args.api))
    return 0


def main():
    """Dispatch the sub-command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest='command', required=True)
    prepare_parser = commands.add_parser('prepare')
    prepare_parser.add_argument('ready')
    prepare_parser.add_argument('fixture')
    prepare_parser.add_argument('--api', choices=('converged', 'meetings'), default='converged')
    summarize_parser = commands.add_parser('summarize')
    summarize_parser.add_argument('ndjson')
    summarize_parser.add_argument('--label', required=True)
    summarize_parser.add_argument('--spec', required=True)
    summarize_parser.add_argument('--ready', required=True)
    summarize_parser.add_argument('--junit')
    total_parser = commands.add_parser('total')
    total_parser.add_argument('lines', nargs='*')
    args = parser.parse_args()
    return {'prepare': prepare, 'summarize': summarize, 'total': total}[args.command](args)


if __name__ == '__main__':
    sys.exit(main())
