# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Print one closing line for the whole test command.

Pytest stages leave JUnit XML files; every other stage (sanity, lint, importer, ...) counts as one
check. The last line reads ``summary: N passed, N failed, N skipped``.
"""

import argparse
import pathlib
import xml.etree.ElementTree as ET


def count_junit(directory):
    """Return (passed, failed, skipped) over every JUnit file in directory."""
    passed = failed = skipped = 0
    for path in sorted(pathlib.Path(directory).glob('*.xml')):
        for suite in ET.parse(path).getroot().iter('testsuite'):
            tests = int(suite.get('tests', 0))
            bad = int(suite.get('failures', 0)) + int(suite.get('errors', 0))
            skip = int(suite.get('skipped', 0))
            passed += tests - bad - skip
            failed += bad
            skipped += skip
    return passed, failed, skipped


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('junit_dir')
    parser.add_argument('--passed-stages', default='')
    parser.add_argument('--failed-stages', default='')
    args = parser.parse_args()
    passed, failed, skipped = count_junit(args.junit_dir)
    passed_stages = args.passed_stages.split()
    failed_stages = args.failed_stages.split()
    print('stages passed: %s' % (' '.join(passed_stages) or '-'))
    print('stages failed: %s' % (' '.join(failed_stages) or '-'))
    print('tests: %d passed, %d failed, %d skipped (pytest)' % (passed, failed, skipped))
    # A failed stage with no failed test case (a crash, a lint finding) still counts as a failure.
    extra_failed = len(failed_stages) if failed == 0 else 0
    print('summary: %d passed, %d failed' % (passed, failed + extra_failed) + (', %d skipped' % skipped if skipped else ''))


if __name__ == '__main__':
    main()
