"""Command line: start the simulator, print the ready JSON, run until SIGTERM/SIGINT."""

import argparse
import json
import os
import signal
import sys
import threading

from .faults import FaultError, parse_fault_spec
from .seed import SeedError
from .server import Simulator
from .timeforms import MAX_FRACTION_DIGITS, TimeFormError, fraction_digits, zone_named


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog='webex_simulator', description='Local Webex Converged Recordings API simulator.')
    parser.add_argument('--host', default='127.0.0.1', help='address to bind (default 127.0.0.1)')
    parser.add_argument('--port', type=int, default=0, help='port to bind; 0 picks a free one (default)')
    parser.add_argument('--seed', help='seed file (YAML or JSON); default: seeds/default.yml')
    parser.add_argument('--tls', action='store_true', help='serve HTTPS with a certificate from a generated CA')
    parser.add_argument('--fault', action='append', default=[], metavar='SPEC',
                        help='fault as kind:key=value:..., e.g. status:status=429:retry_after=1:next=3 (repeatable)')
    parser.add_argument('--ready-file', help='also write the ready JSON to this file')
    parser.add_argument('--random-seed', type=int, default=0, help='seed of the generator behind rate faults (default 0)')
    parser.add_argument('--verbose', action='store_true', help='log one line per request to stderr (never headers)')
    parser.add_argument('--time-fraction', type=int, default=0, metavar='DIGITS',
                        help='digits of fractional seconds in every time of an answer, 0 to %d (default 0: whole '
                             'seconds, as today)' % MAX_FRACTION_DIGITS)
    parser.add_argument('--timezone', metavar='ZONE',
                        help='IANA time zone of the times answered to requests without a timezone header '
                             '(default: UTC, written with Z)')
    return parser.parse_args(argv)


def write_ready_file(path, info):
    # Write then rename: a watcher never reads half a file.
    temporary = '%s.%d.tmp' % (path, os.getpid())
    with open(temporary, 'w', encoding='utf-8') as handle:
        json.dump(info, handle)
        handle.write('\n')
    os.replace(temporary, path)


def main(argv=None):
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        fault_list = [parse_fault_spec(spec) for spec in arguments.fault]
        # Checked here too, so that a message names the option as given on the command line.
        fraction_digits(arguments.time_fraction, '--time-fraction')
        if arguments.timezone:
            zone_named(arguments.timezone, '--timezone')
        simulator = Simulator(seed=arguments.seed, host=arguments.host, port=arguments.port, tls=arguments.tls,
                              faults=fault_list, random_seed=arguments.random_seed, verbose=arguments.verbose,
                              time_fraction=arguments.time_fraction, timezone=arguments.timezone)
    except (FaultError, SeedError, TimeFormError) as error:
        sys.stderr.write('webex-simulator: %s\n' % error)
        return 2
    stop_requested = threading.Event()

    def request_stop(_signum, _frame):
        stop_requested.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        simulator.start()
    except OSError as error:
        sys.stderr.write('webex-simulator: cannot listen on %s:%s: %s\n' % (arguments.host, arguments.port, error))
        return 1
    try:
        info = simulator.ready_info(os.getpid())
        if arguments.ready_file:
            write_ready_file(arguments.ready_file, info)
        sys.stdout.write(json.dumps(info) + '\n')
        sys.stdout.flush()
        while not stop_requested.wait(0.5):
            pass
    finally:
        simulator.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
