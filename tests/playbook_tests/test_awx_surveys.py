# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX surveys of the runbooks as code (docs/awx/<playbook>.survey.json): each is a survey_spec
AWX accepts, asks only for variables its playbook reads (itself or through the files of tasks it
loads, such as the settings every runbook shares), and requires what the playbook requires."""

import json
import pathlib
import re
import warnings

import jinja2
import pytest
import yaml
from jinja2 import nodes

COLLECTION_DIR = pathlib.Path(__file__).resolve().parents[2]
PLAYBOOKS = COLLECTION_DIR / 'playbooks'
SURVEYS = COLLECTION_DIR / 'docs' / 'awx'
AWX_GUIDE = COLLECTION_DIR / 'docs' / 'awx.md'
RUNBOOKS = sorted(path.stem for path in PLAYBOOKS.glob('restore_*.yml'))

# The answers without which a runbook does nothing or refuses to run (its own checks).
REQUIRED = {
    'restore_org_bin': {'restore_max_restores'},
    'restore_owner_bins': {'restore_owners'},
    'restore_recording_ids': {'restore_recording_ids'},
}
# What AWX accepts as a default of each question type (awx/api/views: JobTemplateSurveySpec.ALLOWED_TYPES).
ALLOWED_TYPES = {'text': str, 'textarea': str, 'password': str, 'multiplechoice': str, 'multiselect': str,
                 'integer': int, 'float': (int, float)}
# Task keywords whose values are bare Jinja expressions (conditionals).
CONDITIONALS = ('when', 'changed_when', 'failed_when', 'until', 'that')
# Task keywords that bring in another file of tasks (its path relative to the playbook).
TASK_FILES = ('import_tasks', 'include_tasks', 'ansible.builtin.import_tasks', 'ansible.builtin.include_tasks')
# The file of tasks every runbook imports: the answers they all take (playbooks/README.md).
COMMON_SETTINGS = 'tasks/common_settings.yml'
JINJA = jinja2.Environment()


def survey(name):
    return json.loads((SURVEYS / ('%s.survey.json' % name)).read_text())


def _expressions(value, key=None):
    """Every Jinja source in a parsed playbook: templated strings, and the bare expressions of conditionals."""
    if isinstance(value, dict):
        for item_key, item in value.items():
            yield from _expressions(item, item_key)
    elif isinstance(value, list):
        for item in value:
            yield from _expressions(item, key)
    elif isinstance(value, str):
        if key in CONDITIONALS and '{{' not in value:
            yield '{{ %s }}' % value
        elif '{{' in value or '{%' in value:
            yield value


def _task_files(value):
    """The files of tasks a parsed playbook (or file of tasks) imports or includes, by a static path."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in TASK_FILES:
                path = item.get('file') if isinstance(item, dict) else item
                assert isinstance(path, str) and '{{' not in path, 'a file of tasks by a templated path: %r' % (item,)
                yield path
            else:
                yield from _task_files(item)
    elif isinstance(value, list):
        for item in value:
            yield from _task_files(item)


def loaded_files(playbook):
    """The playbook and every file of tasks it imports or includes, directly or through another one."""
    files = [playbook]
    pending = [playbook]
    while pending:
        path = pending.pop(0)
        for name in _task_files(yaml.safe_load(path.read_text())):
            loaded = (playbook.parent / name).resolve()
            assert loaded.is_file(), '%s loads %s, which does not exist' % (path.name, name)
            if loaded not in files:
                files.append(loaded)
                pending.append(loaded)
    return files


def used_variables(playbook):
    """The names a playbook reads in its templates and conditionals (not the ones it only defines), its files of
    tasks included."""
    names = set()
    for path in loaded_files(playbook):
        for source in _expressions(yaml.safe_load(path.read_text())):
            with warnings.catch_warnings():
                # Jinja's lexer warns about the backslashes of regular expressions in string literals ('\s').
                warnings.simplefilter('ignore', DeprecationWarning)
                tree = JINJA.parse(source)
            names.update(node.name for node in tree.find_all(nodes.Name) if node.ctx == 'load')
    return names


def test_every_runbook_has_a_survey_and_every_survey_a_runbook():
    assert set(REQUIRED) <= set(RUNBOOKS)
    assert sorted(path.name for path in SURVEYS.glob('*.survey.json')) == ['%s.survey.json' % name for name in RUNBOOKS]


@pytest.mark.parametrize('name', RUNBOOKS)
def test_survey_is_a_survey_spec_awx_accepts(name):
    """The checks AWX makes when a survey_spec is posted (JobTemplateSurveySpec._validate_spec_data)."""
    spec = survey(name)
    assert isinstance(spec.get('name'), str) and spec['name']
    assert isinstance(spec.get('description'), str)
    assert isinstance(spec.get('spec'), list) and spec['spec'], 'spec must hold at least one question'
    variables = [question['variable'] for question in spec['spec']]
    assert len(variables) == len(set(variables)), 'a variable asked twice'
    for question in spec['spec']:
        assert isinstance(question, dict)
        for field in ('type', 'question_name', 'variable'):
            assert isinstance(question.get(field), str) and question[field], (field, question)
        assert isinstance(question.get('required'), bool), question
        assert re.match(r'^[a-z_][a-z0-9_]*$', question['variable']), question
        assert question['type'] in ALLOWED_TYPES, question
        if question.get('default', '') != '':
            assert isinstance(question['default'], ALLOWED_TYPES[question['type']]), question
            assert not isinstance(question['default'], bool), question
        for limit in ('min', 'max'):
            if question.get(limit) is not None:
                assert isinstance(question[limit], int) and not isinstance(question[limit], bool), question
        if question.get('min') is not None and question.get('max') is not None:
            assert question['min'] <= question['max'], question
        if question['type'] in ('multiplechoice', 'multiselect'):
            choices = question.get('choices')
            assert isinstance(choices, list) and choices and all(isinstance(choice, str) and choice for choice in choices), question
            defaults = [line for line in question.get('default', '').splitlines() if line.strip()]
            if question['type'] == 'multiplechoice':
                assert len(defaults) <= 1, question
            assert set(defaults) <= set(choices), question
        else:
            assert 'choices' not in question, question
        assert not str(question.get('default', '')).startswith('$encrypted$'), question


@pytest.mark.parametrize('name', RUNBOOKS)
def test_survey_asks_only_for_variables_the_playbook_reads(name):
    read = used_variables(PLAYBOOKS / ('%s.yml' % name))
    asked = {question['variable'] for question in survey(name)['spec']}
    assert asked - read == set(), 'asked by the survey but never read by playbooks/%s.yml' % name


@pytest.mark.parametrize('name', RUNBOOKS)
def test_survey_requires_what_the_playbook_requires(name):
    questions = {question['variable']: question for question in survey(name)['spec']}
    for variable in REQUIRED.get(name, ()):
        assert variable in questions, variable
        assert questions[variable]['required'] is True, variable
        # AWX would send a default as an answer: a required question has none to fall back on.
        assert questions[variable].get('default', '') == '', variable


@pytest.mark.parametrize('name', RUNBOOKS)
def test_runbook_shares_the_common_settings_and_points_to_the_readme(name):
    """One mapping of the answers every runbook takes (connection, timeouts, concurrency, report), loaded by each;
    the header of each points to playbooks/README.md, which documents every answer its survey asks for."""
    playbook = PLAYBOOKS / ('%s.yml' % name)
    assert (PLAYBOOKS / COMMON_SETTINGS).resolve() in loaded_files(playbook)
    header = playbook.read_text().split('\n- name:', 1)[0]
    assert 'playbooks/README.md' in header
    assert not re.search(r'^#\s+restore_\w+\s', header, re.MULTILINE), 'the header lists the answers again'
    readme = (PLAYBOOKS / 'README.md').read_text()
    for question in survey(name)['spec']:
        assert '`%s`' % question['variable'] in readme, question['variable']


def test_the_common_settings_map_the_answers_every_runbook_takes():
    settings = yaml.safe_load((PLAYBOOKS / COMMON_SETTINGS).read_text())
    mapped = {}
    for task in settings:
        mapped.update(task['ansible.builtin.set_fact'])
    assert sorted(mapped) == ['recording_restore_%s' % name for name in (
        'api_url', 'ca_path', 'lookback_days', 'max_concurrency', 'report_path', 'retry_max_wait', 'timeout', 'validate_certs')]
    assert used_variables(PLAYBOOKS / COMMON_SETTINGS) - {'omit'} == {'restore_%s' % name[len('recording_restore_'):] for name in mapped}
    for name in RUNBOOKS:
        own = yaml.safe_load((PLAYBOOKS / ('%s.yml' % name)).read_text())
        assert not set(mapped) & set(_set_facts(own)), '%s maps a shared answer itself' % name


def _set_facts(value):
    """The names a parsed playbook sets with set_fact."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ('set_fact', 'ansible.builtin.set_fact'):
                yield from item
            else:
                yield from _set_facts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _set_facts(item)


def test_used_variables_sees_uses_not_definitions(tmp_path):
    """The check above is not fooled by a variable the playbook only defines or mentions in a comment."""
    playbook = tmp_path / 'play.yml'
    playbook.write_text(yaml.safe_dump([{
        'hosts': 'localhost',
        'vars': {'defined_only': 'x', 'derived': "{{ read_in_vars | default('') }}"},
        'tasks': [
            {'name': 'Use', 'ansible.builtin.debug': {'msg': '{{ read_in_task | int }} # mentioned_in_text'},
             'when': 'read_in_when is defined'},
            {'name': 'Check', 'ansible.builtin.assert': {'that': ['read_in_that | length > 0']}},
        ],
    }]))
    assert used_variables(playbook) >= {'read_in_vars', 'read_in_task', 'read_in_when', 'read_in_that'}
    assert not used_variables(playbook) & {'defined_only', 'mentioned_in_text', 'derived'}


def test_used_variables_follows_the_files_of_tasks(tmp_path):
    (tmp_path / 'tasks').mkdir()
    (tmp_path / 'tasks' / 'shared.yml').write_text(yaml.safe_dump([
        {'name': 'Shared', 'ansible.builtin.set_fact': {'x': '{{ read_in_shared }}'}},
        {'name': 'Nested', 'ansible.builtin.include_tasks': {'file': 'nested.yml'}}]))
    (tmp_path / 'nested.yml').write_text(yaml.safe_dump([{'name': 'Nested', 'ansible.builtin.debug': {'msg': '{{ read_in_nested }}'}}]))
    playbook = tmp_path / 'play.yml'
    playbook.write_text(yaml.safe_dump([{'hosts': 'localhost', 'tasks': [
        {'name': 'Own', 'ansible.builtin.debug': {'msg': '{{ read_in_play }}'}},
        {'name': 'Shared', 'ansible.builtin.import_tasks': 'tasks/shared.yml'}]}]))
    assert used_variables(playbook) >= {'read_in_play', 'read_in_shared', 'read_in_nested'}
    (tmp_path / 'nested.yml').unlink()
    with pytest.raises(AssertionError, match='loads nested.yml, which does not exist'):
        used_variables(playbook)


def test_the_awx_guide_points_at_every_survey():
    guide = AWX_GUIDE.read_text()
    for name in RUNBOOKS:
        assert 'awx/%s.survey.json' % name in guide, name
        assert 'playbooks/%s.yml' % name in guide, name
