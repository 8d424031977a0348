# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Both runbooks (playbooks/) on every supported ansible-core line, in check mode against an
in-process simulator: exit 0, the expected owners and ids in the summary and report, no write.

The ansible-playbook of each line comes from WEBEXOPS_CORE_PLAYBOOKS, blank-separated LINE=PATH
entries, e.g. "2.16=/repo/.venvs/core-2.16/bin/ansible-playbook 2.17=...": the core-matrix stage
(tests/ci/50-core-matrix.sh), the only one that runs this folder, sets it. pytest itself runs in the
main venv (simulator, PyYAML).
"""

import json
import os
import re
import subprocess

import pytest

from _role_helpers import OWNERS, PLAYBOOKS, ROLE_SEED, playbook_env, read_report, seeded_simulator, statuses

ENV_VAR = 'WEBEXOPS_CORE_PLAYBOOKS'

if not os.environ.get(ENV_VAR, '').strip():
    raise RuntimeError('%s is not set: this folder is run by the core-matrix stage, which sets it '
                       '(LINE=PATH entries, e.g. "2.16=.venvs/core-2.16/bin/ansible-playbook")' % ENV_VAR)


def core_playbooks(value):
    """[(line, path)] from 'LINE=PATH LINE=PATH'; a malformed entry fails the collection."""
    cores = []
    for entry in value.split():
        match = re.match(r'^(\d+\.\d+)=(.+)$', entry)
        if not match:
            pytest.fail('%s: %r is not LINE=PATH (e.g. 2.16=/path/bin/ansible-playbook)' % (ENV_VAR, entry),
                        pytrace=False)
        cores.append((match.group(1), match.group(2)))
    return cores


CORES = core_playbooks(os.environ[ENV_VAR])


core_simulator, core_sim = seeded_simulator('core', ROLE_SEED)


@pytest.fixture(scope='module', params=CORES, ids=['core-%s' % line for line, _path in CORES])
def ansible_playbook(request):
    """The ansible-playbook of one line, checked (once per module) to be that line."""
    line, path = request.param
    assert os.path.isfile(path) and os.access(path, os.X_OK), \
        '%s: no executable ansible-playbook for %s at %s' % (ENV_VAR, line, path)
    version = subprocess.run([path, '--version'], capture_output=True, text=True, timeout=60, check=False)
    match = re.search(r'\[core (\d+\.\d+)\.', version.stdout)
    assert match and match.group(1) == line, \
        '%s: %s is not ansible-core %s:\n%s%s' % (ENV_VAR, path, line, version.stdout, version.stderr)
    return path


def run_check(ansible_playbook, name, survey, sim, tmp_path):
    """Run playbooks/NAME in check mode with the survey answers as a JSON extra-vars file (as AWX does)."""
    vars_file = tmp_path / 'survey.json'
    vars_file.write_text(json.dumps(survey))
    command = [ansible_playbook, str(PLAYBOOKS / name), '-e', '@%s' % vars_file, '--check']
    completed = subprocess.run(command, env=playbook_env(sim), capture_output=True, text=True, timeout=300,
                               check=False)
    return completed.returncode, completed.stdout + completed.stderr


def assert_nothing_written(sim, output, report):
    assert sim.counters()['writes'] == 0, sim.requests()
    assert statuses(sim) == {'deleted': 15, 'available': 5}
    assert re.search(r'requests: \d+ reads, 0 writes', output), output
    assert report['run']['check_mode'] is True
    assert report['totals']['requests']['writes'] == 0
    assert report['totals']['failed_rows'] == 0


def test_owner_bins(ansible_playbook, core_sim, tmp_path):
    """Owners from text (quotes, commas, semicolons, comments) and a YAML list file; typed survey answers."""
    owners_file = tmp_path / 'owners.yml'
    owners_file.write_text("---\n# more owners\n- '%s'\n- %s  # again\n...\n" % (OWNERS[3], OWNERS[1]))
    report_base = tmp_path / 'report'
    survey = {
        'restore_owners': '"%s"\n%s, %s;\n# %s is commented out\n' % (OWNERS[0], OWNERS[1], OWNERS[2], OWNERS[4]),
        'restore_owners_file': str(owners_file),
        'restore_report_path': str(report_base),
        'restore_max_concurrency': '2',
        'restore_timeout': '20',
        'restore_lookback_days': '',
        'restore_validate_certs': '',
        'restore_continue_on_failure': 'false',
    }
    returncode, output = run_check(ansible_playbook, 'restore_owner_bins.yml', survey, core_sim, tmp_path)

    assert returncode == 0, output
    expected = sorted(OWNERS[:4])
    report, rows = read_report(report_base)
    by_owner = {row['owner']: row for row in report['rows']}
    assert sorted(by_owner) == expected, output
    for owner in expected:
        deleted = sorted(item['id'] for item in core_sim.recordings(owner_email=owner, status='deleted'))
        assert by_owner[owner]['outcome'] == 'restored'
        assert sorted(by_owner[owner]['restored']) == deleted
        # The table names each owner with its type, as the Converged listing gives it.
        assert re.search(r'^\s*"%s \(user\)\s+restored\s+3\s' % re.escape(owner), output, re.MULTILINE), output
    assert OWNERS[4] not in output
    assert report['totals']['restored'] == 12
    assert {row['owner'] for row in rows if row['row_type'] == 'row'} == set(expected)
    assert_nothing_written(core_sim, output, report)


def test_recording_ids(ansible_playbook, core_sim, tmp_path):
    """Ids from text and a YAML list file (quotes, comments), default restore_missing (fail)."""
    ids = sorted(item['id'] for item in core_sim.recordings(owner_email=OWNERS[0], status='deleted'))
    ids.append(core_sim.recordings(owner_email=OWNERS[1], status='deleted')[0]['id'])
    ids_file = tmp_path / 'ids.yml'
    ids_file.write_text('---\n- "%s"  # quoted\n- %s\n' % (ids[2], ids[3]))
    report_base = tmp_path / 'report'
    survey = {
        'restore_recording_ids': "'%s'\n%s, # the second\n%s\n" % (ids[0], ids[1], ids[0]),
        'restore_recording_ids_file': str(ids_file),
        'restore_missing': '',
        'restore_report_path': str(report_base),
        'restore_retry_max_wait': '0',
        'restore_lookback_days': '400',
        'restore_validate_certs': 'true',
    }
    returncode, output = run_check(ansible_playbook, 'restore_recording_ids.yml', survey, core_sim, tmp_path)

    assert returncode == 0, output
    report, _rows = read_report(report_base)
    assert report['run']['ids_requested'] == 4
    assert len(report['rows']) == 1
    row = report['rows'][0]
    assert row['whose'] == 'recording_ids' and row['outcome'] == 'restored'
    assert sorted(row['restored']) == sorted(ids)
    assert not row['missing'] and not row['failed'] and not row['already_available']
    assert re.search(r'^\s*"\(recording ids\)\s+restored\s+4\s', output, re.MULTILINE), output
    assert_nothing_written(core_sim, output, report)


# An owner whose email (as Webex lists it) holds Jinja: ansible-core before 2.19 templates any string of a
# variable that is not marked unsafe, so the role must hand text from Webex on without ever letting it be
# evaluated, also where it keeps records and the summary as JSON text.
TEMPLATED_OWNER = "t{{ 7 * 7 }}{{ lookup('env', 'HOME') }}@tmpl.example.com"
TEMPLATE_SEED = {
    'people': [dict(ROLE_SEED['people'][0]), {'id': 'tmpl-user', 'email': TEMPLATED_OWNER, 'display_name': 'Template'}],
    'tokens': [dict(ROLE_SEED['tokens'][0])],
    'recordings': [{'id': 'tmpl-rec-1', 'owner_email': TEMPLATED_OWNER, 'status': 'deleted', 'created_days_ago': 2,
                    'topic': "{{ lookup('pipe', 'id') }}"}],
}
template_simulator, template_sim = seeded_simulator('template', TEMPLATE_SEED)


def test_text_from_webex_is_never_templated(ansible_playbook, template_sim, tmp_path):
    report_base = tmp_path / 'report'
    survey = {'restore_max_restores': '10', 'restore_report_path': str(report_base)}
    returncode, output = run_check(ansible_playbook, 'restore_org_bin.yml', survey, template_sim, tmp_path)

    assert returncode == 0, output
    report, rows = read_report(report_base)
    assert [row['owner'] for row in report['rows']] == [TEMPLATED_OWNER], output
    assert report['rows'][0]['restored'] == ['tmpl-rec-1']
    assert [row['owner'] for row in rows if row['row_type'] == 'row'] == [TEMPLATED_OWNER]
    assert TEMPLATED_OWNER in output
    assert 't49' not in output and os.environ.get('HOME', '/root') + '@' not in output
    assert template_sim.counters()['writes'] == 0
