# Copyright: Contributors to the webexops.recordings collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX rules the survey and launch tests rely on (_awx.py, AWX 24.6.1) give AWX's answers: when a survey is saved,
which defaults a launch applies, which answers it refuses, and how the extra vars reach ansible-playbook. The expected
answers are those AWX's own tests and code state for that version (awx/main/tests/unit/models/test_survey_models.py,
test_optional_survey_question_defaults; awx/api/views JobTemplateSurveySpec)."""

import json
import pathlib
import subprocess
import sys

import pytest
import yaml

import _awx
from _playbook import ansible_env

CHOICES = 'orange\nmilk\nchocolate\ncoffee'
ANSIBLE = str(pathlib.Path(sys.executable).with_name('ansible'))


def question(kind, default=None, required=False, **extra):
    asked = dict({'question_name': 'Q', 'variable': 'c', 'type': kind, 'required': required}, **extra)
    if default is not None:
        asked['default'] = default
    return asked


@pytest.mark.parametrize('kind, default, low, applied, value', [
    ('text', '', 0, True, ''),
    ('text', '', 1, False, None),            # shorter than min
    ('password', '', 1, False, None),
    ('multiplechoice', '', 0, False, None),  # '' is not a choice: left out
    ('multiplechoice', 'zeb', 0, False, None),
    ('multiplechoice', 'coffee', 0, True, 'coffee'),
    ('multiselect', None, 0, False, None),
    ('multiselect', '', 0, False, None),
    ('multiselect', ['zeb'], 0, False, None),
    ('multiselect', ['milk'], 0, True, ['milk']),
    ('multiselect', ['orange\nmilk'], 0, False, None),
    ('multiselect', 'milk', 0, False, None),  # as saved from a form: a text, never applied on an API launch
    ('integer', '', 0, False, None),
    ('integer', '5', 0, False, None),         # a text is not an integer
    ('integer', 5, 0, True, 5),
    ('integer', True, 0, False, None),        # saved (a bool is an int in Python), never applied
    ('integer', 0, 1, False, None),           # below min
    ('float', 2, 0, True, 2),
])
def test_which_optional_defaults_a_launch_applies(kind, default, low, applied, value):
    asked = question(kind, default, choices=CHOICES, min=low, max=None)
    assert _awx.applied_default(asked) == (applied, value)
    extra_vars = _awx.launch_extra_vars({'spec': [asked]}, {})
    assert extra_vars == ({'c': value} if applied else {})


def test_a_required_question_needs_its_answer_whatever_its_default():
    spec = {'spec': [question('multiplechoice', 'fail', required=True, choices=['fail', 'warn'])]}
    with pytest.raises(_awx.LaunchRefused, match="'c' value missing"):
        _awx.launch_extra_vars(spec, {})
    assert _awx.launch_extra_vars(spec, {'c': 'warn'}) == {'c': 'warn'}


@pytest.mark.parametrize('asked, answer, error', [
    (question('integer', min=1, max=10), '5', "Value 5 for 'c' expected to be an integer."),
    (question('integer', min=1, max=10), True, "Value True for 'c' expected to be an integer."),
    (question('integer', min=1, max=10), 0, "'c' value 0 is too small."),
    (question('integer', min=1, max=10), 11, "'c' value 11 is too large."),
    (question('text', max=3), 'four', "'c' value four is too large."),
    (question('text'), 5, "Value 5 for 'c' expected to be a string."),
    (question('multiplechoice', choices=['a', 'b']), 'c', "Value c for 'c' expected to be one of ['a', 'b']."),
    (question('multiselect', choices=['a', 'b']), 'a', "'c' value is expected to be a list."),
    (question('multiselect', choices=['a', 'b']), ['a', 'z'], "Value z for 'c' expected to be one of ['a', 'b']."),
    (question('float'), False, "Value False for 'c' expected to be a numeric type."),
])
def test_a_launch_refuses_answers_of_the_wrong_kind(asked, answer, error):
    with pytest.raises(_awx.LaunchRefused) as refused:
        _awx.launch_extra_vars({'spec': [asked]}, {'c': answer})
    assert refused.value.args[0] == [error]


def test_a_launch_refuses_variables_no_question_asks_for():
    with pytest.raises(_awx.LaunchRefused, match='Variables other are not allowed on launch'):
        _awx.launch_extra_vars({'spec': [question('text')]}, {'c': 'x', 'other': 'y'})


def test_answers_override_the_defaults():
    spec = {'spec': [question('text', 'd'), question('integer', 3, variable='n'),
                     question('multiselect', choices=['a', 'b'], variable='m')]}
    assert _awx.launch_extra_vars(spec, {'c': 'given', 'm': ['b', 'a']}) == {'c': 'given', 'n': 3, 'm': ['b', 'a']}


@pytest.mark.parametrize('spec, error', [
    ({'name': 'n', 'description': 'd', 'spec': []}, "'spec' doesn't contain any items."),
    ({'name': 'n', 'spec': [question('text')]}, 'description missing or not a str'),
    ({'name': 'n', 'description': 'd', 'spec': [{'type': 'text', 'variable': 'c', 'required': False}]},
     "'question_name' missing from survey question 0"),
    ({'name': 'n', 'description': 'd', 'spec': [question('text', required='yes')]}, "'required' in survey question 0 has the wrong type"),
    ({'name': 'n', 'description': 'd', 'spec': [question('text'), question('integer')]}, "'variable' 'c' duplicated in survey question 1"),
    ({'name': 'n', 'description': 'd', 'spec': [question('checkbox')]}, "'checkbox' in survey question 0 is not an allowed question type"),
    ({'name': 'n', 'description': 'd', 'spec': [question('integer', '5')]}, "default '5' in survey question 0 expected to be integer"),
    ({'name': 'n', 'description': 'd', 'spec': [question('integer', min='1')]}, 'the min limit in survey question 0 expected to be integer'),
    ({'name': 'n', 'description': 'd', 'spec': [question('multiplechoice')]}, 'survey question 0 of type multiplechoice must specify choices'),
    ({'name': 'n', 'description': 'd', 'spec': [question('multiplechoice', 'a\nb', choices=['a', 'b'])]},
     'Multiple Choice (Single Select) can only have one default value (question 0)'),
    ({'name': 'n', 'description': 'd', 'spec': [question('multiselect', 'a\nz', choices=['a', 'b'])]},
     'Default choice must be answered from the choices listed (question 0)'),
    ({'name': 'n', 'description': 'd', 'spec': [question('text', '$encrypted$x')]},
     '$encrypted$ is a reserved keyword for password question defaults (question 0)'),
])
def test_saving_a_survey_refuses_what_awx_refuses(spec, error):
    assert _awx.spec_errors(spec) == [error]


def test_saving_a_survey_accepts_what_awx_accepts():
    spec = {'name': 'n', 'description': '', 'spec': [
        question('text', ''), question('integer', '', variable='i', min=1, max=None),
        question('multiplechoice', 'b', variable='m', choices='a\n\nb\n'), question('multiselect', 'a\nb', variable='s', choices=['a', 'b']),
        question('integer', True, variable='t')]}
    assert _awx.spec_errors(spec) == []


def test_extra_vars_reach_ansible_as_awx_writes_them(tmp_path):
    """Every text !unsafe (a survey answer is never templated), numbers and lists as they are."""
    text = _awx.extravars_text({'restore_owners': 'a@x\n{{ lookup("env", "HOME") }}', 'awx_job_id': 42, 'picked': ['a']})
    assert yaml.safe_load(text.replace('!unsafe ', '')) == {'restore_owners': 'a@x\n{{ lookup("env", "HOME") }}',
                                                            'awx_job_id': 42, 'picked': ['a']}
    assert text.count('!unsafe') == 5  # three keys, one answer, one list item
    (tmp_path / 'extravars').write_text(text)
    completed = subprocess.run([ANSIBLE, 'localhost', '-m', 'ansible.builtin.debug', '-a', 'var=restore_owners',
                                '-e', '@%s' % (tmp_path / 'extravars')], capture_output=True, text=True, check=False,
                               timeout=120, env=ansible_env())
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert json.dumps('a@x\n{{ lookup("env", "HOME") }}') in completed.stdout, completed.stdout


def test_meta_vars_name_the_job_and_its_template_for_awx_and_tower():
    names = _awx.meta_vars(42, 'Restore owner bins')
    assert names['awx_job_id'] == names['tower_job_id'] == 42
    assert names['awx_job_template_name'] == names['tower_job_template_name'] == 'Restore owner bins'


def test_the_awx_guide_names_the_version_whose_rules_are_encoded():
    guide = ' '.join((pathlib.Path(__file__).resolve().parents[2] / 'docs' / 'awx.md').read_text().split())
    assert '**AWX %s**' % _awx.AWX_VERSION in guide
