# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How AWX launches a job template, for the playbook tests: the rules it applies to a survey spec when the spec is
saved, how it turns the answers of a launch into extra vars, and the private data directory it hands to
ansible-runner.

Encoded from AWX 24.6.1 (github.com/ansible/awx; docs/awx.md names the same version), written here from what that
code does, not copied from it:

- saving a survey (awx/api/views/__init__.py, JobTemplateSurveySpec._validate_spec_data): name, description and a
  non-empty spec; each question a dict with type, question_name, variable (texts) and required (a boolean); a variable
  asked once; a known type; a default, unless '', of the type's Python type (SURVEY_TYPE_MAPPING in
  awx/main/constants.py); min and max integers or null; choices for multiplechoice and multiselect, whose defaults
  (a text, one per line) are among the choices, one at most for multiplechoice; '$encrypted$' only for passwords.
- launching (awx/main/models/mixins.py, SurveyJobTemplateMixin): every answer given is checked against its question
  (_survey_element_validation): text, textarea and password answers are texts within min/max length, integer answers
  ints (not bools) within min/max, float answers numbers, multiplechoice answers among the choices,
  multiselect answers lists of choices; a required question without an answer refuses the launch
  (_accept_or_ignore_variables), whatever its default, and so does a variable no question asks for (without "prompt
  on launch" of extra variables). The extra vars are then the defaults that pass the same check, overridden by the
  answers (_update_unified_job_kwargs): an unanswered text question with default '' arrives as '', an unanswered
  integer or choice question without a valid default is left out, a multiselect default (a text) never applies on a
  launch through the API (the UI sends it as a list, Event-Driven Ansible and the API do not).
- running (awx/main/tasks/jobs.py, RunJob; awx/main/utils/safe_yaml.py): a private data directory with env/extravars
  (the extra vars plus AWX's own, awx_job_id, awx_job_template_name and the others; every text tagged !unsafe),
  env/cmdline (--check for a job of type check, -u root), env/settings, inventory/hosts (a script printing the
  inventory as JSON) and project/ (the project's checkout, the working directory of ansible-playbook); the
  environment carries the credential's injected variables, JOB_ID and ANSIBLE_COLLECTIONS_PATH (the execution
  environment's collections).
"""

import json
import os
import pathlib
import shutil
import stat
import sys

import ansible_runner
import yaml
from ansible_runner.utils import args2cmdline

AWX_VERSION = '24.6.1'
# Question type -> the Python types of its default and answers (SURVEY_TYPE_MAPPING).
SURVEY_TYPES = {'text': (str,), 'textarea': (str,), 'password': (str,), 'multiplechoice': (str,), 'multiselect': (str,),
                'integer': (int,), 'float': (float, int)}
JOB_VARIABLE_PREFIXES = ('awx', 'tower')
ENCRYPTED = '$encrypted$'


class LaunchRefused(Exception):
    """AWX answers the launch with 400 and these errors."""


def _lines(value):
    return [line for line in value.splitlines() if line.strip()]


def _choices(question):
    choices = question.get('choices')
    return _lines(choices) if isinstance(choices, str) else list(choices or [])


def spec_errors(spec):
    """What AWX answers (400) when this survey spec is saved; [] when it accepts it."""
    errors = []
    for field, kind in (('name', str), ('description', str), ('spec', list)):
        if not isinstance(spec.get(field), kind):
            errors.append('%s missing or not a %s' % (field, kind.__name__))
    if errors or not spec['spec']:
        return errors or ["'spec' doesn't contain any items."]
    seen = set()
    for index, question in enumerate(spec['spec']):
        where = 'question %d' % index
        if not isinstance(question, dict):
            return ['%s is not a json object' % where]
        for field in ('type', 'question_name', 'variable', 'required'):
            if field not in question:
                return ["'%s' missing from survey %s" % (field, where)]
            if not isinstance(question[field], bool if field == 'required' else str):
                return ["'%s' in survey %s has the wrong type" % (field, where)]
        if question['variable'] in seen:
            return ["'variable' '%s' duplicated in survey %s" % (question['variable'], where)]
        seen.add(question['variable'])
        kind = question['type']
        if kind not in SURVEY_TYPES:
            return ["'%s' in survey %s is not an allowed question type" % (kind, where)]
        default = question.get('default', '')
        if default != '' and not isinstance(default, SURVEY_TYPES[kind]):
            return ['default %r in survey %s expected to be %s' % (default, where, kind)]
        for limit in ('min', 'max'):
            if limit in question and question[limit] is not None and not isinstance(question[limit], int):
                return ['the %s limit in survey %s expected to be integer' % (limit, where)]
        if kind in ('multiplechoice', 'multiselect'):
            if 'choices' not in question:
                return ['survey %s of type %s must specify choices' % (where, kind)]
            choices = question['choices']
            if isinstance(choices, str):
                choices = '\n'.join(_lines(choices))
            if 'default' in question:
                defaults = _lines(default) if isinstance(default, str) else default
                if kind == 'multiplechoice' and len(defaults) > 1:
                    return ['Multiple Choice (Single Select) can only have one default value (%s)' % where]
                # As AWX checks it: within a text of choices any part of it matches, within a list only a whole choice.
                if any(item not in choices for item in defaults):
                    return ['Default choice must be answered from the choices listed (%s)' % where]
        if isinstance(default, str) and default.startswith(ENCRYPTED) and kind != 'password':
            return ['$encrypted$ is a reserved keyword for password question defaults (%s)' % where]
    return []


def _limit(question, name, kind):
    value = question.get(name)
    return None if value in ('', None) else kind(value)


def answer_errors(question, answers):
    """What AWX says of the answer to one question in answers (a dict of variable: value) at launch; [] if none."""
    variable, kind = question['variable'], question['type']
    if variable not in answers:
        return ["'%s' value missing" % variable] if question['required'] else []
    value = answers[variable]
    if kind in ('multiplechoice', 'multiselect'):
        if kind == 'multiselect' and not isinstance(value, list):
            return ["'%s' value is expected to be a list." % variable]
        return ["Value %s for '%s' expected to be one of %s." % (item, variable, _choices(question))
                for item in (value if kind == 'multiselect' else [value]) if item not in _choices(question)]
    if kind in ('text', 'textarea', 'password'):
        if not isinstance(value, str):
            return ["Value %s for '%s' expected to be a string." % (value, variable)]
        size, number = len(value), int
    elif kind == 'integer':
        # AWX compares the type itself: a bool is not an int there.
        if type(value) is not int:  # pylint: disable=unidiomatic-typecheck
            return ["Value %s for '%s' expected to be an integer." % (value, variable)]
        size, number = value, int
    else:
        if type(value) not in (float, int):  # pylint: disable=unidiomatic-typecheck
            return ["Value %s for '%s' expected to be a numeric type." % (value, variable)]
        size, number = value, float
    errors = []
    low, high = _limit(question, 'min', number), _limit(question, 'max', number)
    if low is not None and size < low:
        errors.append("'%s' value %s is too small." % (variable, value))
    if high is not None and size > high:
        errors.append("'%s' value %s is too large." % (variable, value))
    return errors


def applied_default(question):
    """(True, default) when AWX puts the question's default in the extra vars of a launch without its answer."""
    default = question.get('default')
    if default is None or answer_errors(question, {question['variable']: default}):
        return False, None
    return True, default


def launch_extra_vars(spec, answers):
    """The extra vars of a job launched through the API (as Event-Driven Ansible does) with these answers; raises
    LaunchRefused with AWX's errors when it refuses the launch."""
    errors = [error for question in spec['spec'] for error in answer_errors(question, answers)]
    unknown = sorted(set(answers) - set(question['variable'] for question in spec['spec']))
    if unknown:
        errors.append('Variables %s are not allowed on launch.' % ', '.join(unknown))
    if errors:
        raise LaunchRefused(errors)
    extra_vars = {}
    for question in spec['spec']:
        applies, default = applied_default(question)
        if applies:
            extra_vars[question['variable']] = default
    extra_vars.update(answers)
    return extra_vars


def meta_vars(job_id, template_name, template_id=3, user='operator'):
    """The variables AWX adds to the extra vars of every job of a job template (awx_ and tower_ alike)."""
    names = {'job_id': job_id, 'job_launch_type': 'manual', 'job_template_id': template_id,
             'job_template_name': template_name, 'user_id': 1, 'user_name': user, 'user_email': '',
             'user_first_name': '', 'user_last_name': '', 'inventory_id': 1, 'inventory_name': 'localhost',
             'project_revision': '0' * 40, 'project_scm_branch': 'main', 'execution_node': 'awx-task'}
    return dict(('%s_%s' % (prefix, name), value) for prefix in JOB_VARIABLE_PREFIXES for name, value in names.items())


class _UnsafeDumper(yaml.SafeDumper):
    """Every text tagged !unsafe, keys included: AWX's extra vars that no template author set."""

    def represent_data(self, data):
        if isinstance(data, str):
            return self.represent_scalar('!unsafe', data)
        return super().represent_data(data)


def extravars_text(extra_vars):
    """env/extravars as AWX writes it: one YAML document part per variable, every text !unsafe."""
    return ''.join(yaml.dump({name: value}, Dumper=_UnsafeDumper, default_flow_style=False)
                   for name, value in extra_vars.items())


def job_env(root, credential_env, collections_path, job_id):
    """The environment of the job: AWX's, the credential's injected variables, the execution environment's
    collections, and (for this machine, not AWX) the test venv first on PATH and no colours in the output."""
    env = {
        'JOB_ID': str(job_id), 'INVENTORY_ID': '1', 'PROJECT_REVISION': '0' * 40, 'ANSIBLE_RETRY_FILES_ENABLED': 'False',
        'MAX_EVENT_RES': '700000', 'AWX_HOST': 'https://awx.example.com', 'AWX_PRIVATE_DATA_DIR': str(root),
        'ANSIBLE_SSH_CONTROL_PATH_DIR': str(root / 'cp'),
        'ANSIBLE_COLLECTIONS_PATH': os.pathsep.join([str(root / 'requirements_collections'), collections_path]),
        'ANSIBLE_ROLES_PATH': str(root / 'requirements_roles'),
        'PATH': os.pathsep.join([str(pathlib.Path(sys.executable).parent), os.environ.get('PATH', '')]),
        'ANSIBLE_NOCOLOR': '1', 'ANSIBLE_FORCE_COLOR': '0',
    }
    env.update(credential_env)
    return env


def private_data_dir(root, playbooks, extra_vars, env, check=False):
    """Lay out the private data directory of one job under root; playbooks is the project's playbooks/ folder,
    copied as the project's checkout has it."""
    for folder in ('env', 'inventory', 'artifacts', 'cp', 'requirements_collections', 'requirements_roles'):
        (root / folder).mkdir(parents=True, exist_ok=True)
    shutil.copytree(playbooks, root / 'project' / 'playbooks')
    (root / 'env' / 'extravars').write_text(extravars_text(extra_vars))
    (root / 'env' / 'envvars').write_text(yaml.safe_dump(env, default_flow_style=False))
    (root / 'env' / 'cmdline').write_text(args2cmdline(*((['--check'] if check else []) + ['-u', 'root'])))
    (root / 'env' / 'settings').write_text(json.dumps({'job_timeout': 0, 'suppress_ansible_output': True,
                                                       'suppress_output_file': True}))
    inventory = {'all': {'children': ['ungrouped']}, 'ungrouped': {'hosts': ['localhost']},
                 '_meta': {'hostvars': {'localhost': {'ansible_connection': 'local', 'remote_tower_enabled': 'true',
                                                      'remote_tower_id': 1}}}}
    hosts = root / 'inventory' / 'hosts'
    hosts.write_text('#! /usr/bin/env python3\n# -*- coding: utf-8 -*-\nprint(%r)\n' % json.dumps(inventory))
    hosts.chmod(stat.S_IRWXU)
    return root


class Job:
    """What AWX keeps of a finished job: status, output (the events' stdout), artifacts (set_stats)."""

    def __init__(self, runner):
        self.rc = runner.rc
        self.status = runner.status
        self.events = list(runner.events)
        self.output = '\n'.join(event['stdout'] for event in self.events if event.get('stdout'))
        stats = [event for event in self.events if event['event'] == 'playbook_on_stats']
        self.artifacts = (stats[-1]['event_data'].get('artifact_data') or {}) if stats else {}

    def __repr__(self):
        return 'Job(rc=%s, status=%s)\n%s' % (self.rc, self.status, self.output)


def run_job(root, playbook, job_id):
    """Run the job laid out in root as AWX does, ansible_runner.run() on the private data directory."""
    # suppress_env_files: as AWX (AWX_RUNNER_OMIT_ENV_FILES), no copy of the environment, the token in it, in artifacts/.
    runner = ansible_runner.run(private_data_dir=str(root), playbook=playbook, inventory=str(root / 'inventory' / 'hosts'),
                                ident=str(job_id), quiet=True, suppress_env_files=True)
    return Job(runner)
