# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX surveys of the runbooks as code (docs/awx/<playbook>.survey.json): each is a survey_spec
AWX accepts (the rules of AWX 24.6.1 when a survey is saved, _awx.py), asks only for variables its
playbook reads (itself or through the files of tasks it loads, such as the settings every runbook
shares), requires what the playbook requires, has only defaults that AWX applies, and is launched
through the API with only its required answers."""

import json
import pathlib
import re
import warnings

import jinja2
import pytest
import yaml
from jinja2 import nodes

import _awx

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
# Question types whose blank default AWX applies (the job gets ''); a blank default of another type means none.
TEXT_TYPES = ('text', 'textarea', 'password')
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
    """The checks AWX makes when a survey_spec is saved, and this collection's: a variable Ansible can name, choices only
    on the questions that take them, no boolean default (AWX would take it for an integer), no password question (the
    token comes from the credential)."""
    spec = survey(name)
    assert _awx.spec_errors(spec) == []
    for question in spec['spec']:
        assert re.match(r'^[a-z_][a-z0-9_]*$', question['variable']), question
        assert question['type'] != 'password', question
        assert ('choices' in question) is (question['type'] in ('multiplechoice', 'multiselect')), question
        assert not isinstance(question.get('default'), bool), question


@pytest.mark.parametrize('name', RUNBOOKS)
def test_every_default_is_one_awx_applies(name):
    """A default is what the job gets when the question is left unanswered. A required question has none (AWX refuses an
    API or Event-Driven launch without its answer, so its default would only ever fill the form: a question with a safe
    default is optional), and an optional question's default passes AWX's launch check, or AWX never applies it (a
    multiselect default, a text too long, a choice not offered...). A blank default of a question that is not a text is
    no default: the variable is left out."""
    for question in survey(name)['spec']:
        default = question.get('default')
        if question['required']:
            assert default in (None, ''), '%s is required and has a default AWX never applies to an API launch' % question['variable']
        elif default in (None, '') and question['type'] not in TEXT_TYPES:
            assert _awx.applied_default(question) == (False, None), question
        else:
            assert _awx.applied_default(question) == (True, default), '%s: AWX never applies its default' % question['variable']


def minimal_answer(question):
    """An answer AWX accepts for the question."""
    if question['type'] == 'integer':
        return max(question.get('min') or 1, 1)
    if question['type'] in ('multiplechoice', 'multiselect'):
        choice = question['choices'][0]
        return [choice] if question['type'] == 'multiselect' else choice
    return 'x'


@pytest.mark.parametrize('name', RUNBOOKS)
def test_an_api_launch_with_only_the_required_answers_is_accepted(name):
    """As Event-Driven Ansible launches a job template: the required answers, nothing else. AWX adds the defaults it
    applies ('' for an unanswered text question) and leaves the other questions out; a launch without a required answer
    is refused naming it."""
    spec = survey(name)
    required = dict((question['variable'], minimal_answer(question)) for question in spec['spec'] if question['required'])
    assert set(required) == REQUIRED[name]
    extra_vars = _awx.launch_extra_vars(spec, required)
    for question in spec['spec']:
        variable = question['variable']
        if variable in required:
            assert extra_vars[variable] == required[variable]
        elif question['type'] in TEXT_TYPES:
            assert extra_vars[variable] == question.get('default'), variable
        elif question.get('default', '') == '':
            assert variable not in extra_vars, variable
        else:
            assert extra_vars[variable] == question['default'], variable
    with pytest.raises(_awx.LaunchRefused) as refused:
        _awx.launch_extra_vars(spec, {})
    assert sorted(refused.value.args[0]) == ["'%s' value missing" % variable for variable in sorted(REQUIRED[name])]


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
        mapped.update(task.get('ansible.builtin.set_fact') or {})
    assert sorted(mapped) == ['recording_restore_%s' % name for name in (
        'api_url', 'apis', 'ca_path', 'lookback_days', 'max_concurrency', 'report_path', 'retry_max_wait', 'timeout', 'validate_certs')]
    # every other task checks an answer before any request
    assert all('ansible.builtin.assert' in task for task in settings if 'ansible.builtin.set_fact' not in task)
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
