# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""Every module stays thin (docs/development.md, "Adding a module"): its file is its documentation,
an argspec, ``validate``, ``run(module, client)`` and a ``main()`` of a few lines; the work is in
module_utils. Checked on the shape of the source (ast), with limits today's modules meet with room.
A module file whose work is done by an action plugin of the same name (plugins/action/) is its
documentation only.
"""

import ast
import pathlib

import pytest

from ansible_collections.webexops.recordings.plugins.modules import webex_recording_restore

MODULES_DIR = pathlib.Path(webex_recording_restore.__file__).resolve().parent
ACTIONS_DIR = MODULES_DIR.parent / 'action'
MODULE_UTILS = 'ansible_collections.webexops.recordings.plugins.module_utils'
DOCS = ('DOCUMENTATION', 'EXAMPLES', 'RETURN')
DATA = ('ARGUMENT_SPEC', 'MODULE_RULES')
REQUIRED = DOCS + ('ARGUMENT_SPEC', 'run', 'main')
# Statements in a function's body, nested ones included, its docstring not.
MAX_STATEMENTS = {'validate': 3, 'run': 20, 'main': 3}


def is_action_backed(path):
    return (ACTIONS_DIR / path.name).is_file()


def module_paths():
    return sorted(path for path in MODULES_DIR.glob('*.py') if path.name != '__init__.py' and not is_action_backed(path))


def documentation_paths():
    return sorted(path for path in MODULES_DIR.glob('*.py') if is_action_backed(path))


def parse(path):
    return ast.parse(path.read_text(encoding='utf-8'), filename=str(path))


def assigned_name(node):
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    return None


def is_main_guard(node):
    """``if __name__ == '__main__': main()`` and nothing else."""
    if not isinstance(node, ast.If) or node.orelse or len(node.body) != 1:
        return False
    test, call = node.test, node.body[0]
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == '__name__'
            and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value == '__main__'
            and isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)
            and isinstance(call.value.func, ast.Name) and call.value.func.id == 'main' and not call.value.args)


def why_not_allowed(node):
    """None if ``node`` may stand at the top level of a module file, else the rule it breaks."""
    name = assigned_name(node)
    if isinstance(node, ast.ImportFrom) and node.module == '__future__':
        return None
    if name == '__metaclass__':
        return None
    if name in DOCS:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return None
        return '%s must be a string literal' % name
    if name in DATA:
        return None
    if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or '').startswith(MODULE_UTILS):
        return None
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return 'a module imports only from %s (HTTP, Ansible glue and decisions live there)' % MODULE_UTILS
    if isinstance(node, ast.FunctionDef) and node.name in MAX_STATEMENTS:
        return None
    if is_main_guard(node):
        return None
    return ('only %s, %s, functions %s, imports from module_utils and the __main__ guard may be defined'
            % ('/'.join(DOCS), '/'.join(DATA), '/'.join(MAX_STATEMENTS)))


def functions(tree):
    return dict((node.name, node) for node in tree.body if isinstance(node, ast.FunctionDef))


def body_statements(function):
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        body = body[1:]
    return [node for statement in body for node in ast.walk(statement) if isinstance(node, ast.stmt)]


def names_in(node):
    return set(child.id for child in ast.walk(node) if isinstance(child, ast.Name))


def problems(source, filename='module.py'):
    """Every way ``source`` (a module file) is not thin; [] when it is."""
    tree = ast.parse(source, filename=filename)
    found = []
    for node in tree.body:
        why = why_not_allowed(node)
        if why:
            found.append('line %d: %s' % (node.lineno, why))
    defined = functions(tree)
    missing = set(REQUIRED) - set(defined) - set(assigned_name(node) for node in tree.body)
    if missing:
        found.append('missing: %s' % ', '.join(sorted(missing)))
    if sum(1 for node in tree.body if is_main_guard(node)) != 1:
        found.append("not one `if __name__ == '__main__': main()`")
    for name, function in defined.items():
        statements = body_statements(function)
        if len(statements) > MAX_STATEMENTS.get(name, 0):
            found.append('%s() has %d statements, at most %d: move the work into module_utils'
                         % (name, len(statements), MAX_STATEMENTS.get(name, 0)))
        # One failure path for every module: run_module's (module_utils/_module.py).
        if any(isinstance(node, ast.Try) for node in statements):
            found.append('%s() catches exceptions: failures go through run_module' % name)
        if any(isinstance(node, (ast.FunctionDef, ast.ClassDef)) for node in statements):
            found.append('%s() defines a function or class' % name)
    if 'run' in defined and [arg.arg for arg in defined['run'].args.args[:2]] != ['module', 'client']:
        found.append('run() does not take (module, client, ...)')
    if 'main' in defined and not {'run', 'ARGUMENT_SPEC'} <= names_in(defined['main']):
        found.append('main() does not hand ARGUMENT_SPEC and run on')
    return found


def test_the_modules_are_found():
    assert {path.name for path in module_paths()} >= {'webex_recording_restore.py', 'webex_recording_info.py'}
    assert {path.name for path in documentation_paths()} >= {'recording_restore_report.py'}


def documentation_problems(source):
    """Every way ``source`` is more than the documentation of an action plugin; [] when it is not."""
    tree = ast.parse(source)
    found = ['line %d: only the documentation (%s) belongs here; the action plugin does the work' % (node.lineno, '/'.join(DOCS))
             for node in tree.body
             if not (isinstance(node, ast.ImportFrom) and node.module == '__future__') and assigned_name(node) != '__metaclass__'
             and not (assigned_name(node) in DOCS and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str))]
    missing = set(DOCS) - set(assigned_name(node) for node in tree.body)
    return found + (['missing: %s' % ', '.join(sorted(missing))] if missing else [])


@pytest.mark.parametrize('path', documentation_paths(), ids=lambda path: path.stem)
def test_an_action_backed_module_is_its_documentation_only(path):
    assert documentation_problems(path.read_text(encoding='utf-8')) == []


def test_the_documentation_check_refuses_code():
    assert documentation_problems(THIN) != []
    docs_only = "DOCUMENTATION = 'module: x'\nEXAMPLES = ''\nRETURN = ''\n"
    assert documentation_problems(docs_only) == []
    assert documentation_problems(docs_only + 'def main():\n    pass\n') == [
        'line 4: only the documentation (DOCUMENTATION/EXAMPLES/RETURN) belongs here; the action plugin does the work']
    assert documentation_problems("DOCUMENTATION = 'module: x'\n") == ['missing: EXAMPLES, RETURN']


@pytest.mark.parametrize('path', module_paths(), ids=lambda path: path.stem)
def test_module_is_thin(path):
    assert problems(path.read_text(encoding='utf-8'), str(path)) == []


THIN = """
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type
DOCUMENTATION = 'module: x'
EXAMPLES = ''
RETURN = ''
from ansible_collections.webexops.recordings.plugins.module_utils._module import run_module
ARGUMENT_SPEC = dict()
MODULE_RULES = dict()


def run(module, client):
    return False, {}, None


def main():
    run_module(ARGUMENT_SPEC, run, None, **MODULE_RULES)


if __name__ == '__main__':
    main()
"""


def test_the_check_accepts_a_minimal_module():
    assert problems(THIN) == []


@pytest.mark.parametrize('change, expected', [
    (('', 'import requests\n'), 'imports only from'),
    (('', 'from ansible.module_utils.basic import AnsibleModule\n'), 'imports only from'),
    (('', 'class Helper:\n    pass\n'), 'may be defined'),
    (('', 'def helper():\n    pass\n'), 'may be defined'),
    (('', 'CACHE = {}\n'), 'may be defined'),
    (("RETURN = ''", 'RETURN = str(1)'), 'RETURN must be a string literal'),
    (("EXAMPLES = ''\n", ''), 'missing: EXAMPLES'),
    (("if __name__ == '__main__':\n    main()\n", ''), "not one `if __name__"),
    (('    return False, {}, None', '    return False, {}, None\n' + '    x = 1\n' * 20), 'run() has 21 statements, at most 20'),
    (('    run_module(ARGUMENT_SPEC, run, None, **MODULE_RULES)\n',
      '    try:\n        run_module(ARGUMENT_SPEC, run, None, **MODULE_RULES)\n    except ValueError:\n        pass\n'),
     'main() catches exceptions'),
    (('    run_module(', '    def inner():\n        pass\n    run_module('), 'main() defines a function'),
    (('def run(module, client):', 'def run(params, client):'), 'run() does not take (module, client'),
    (('run_module(ARGUMENT_SPEC, run,', 'run_module({}, run,'), 'main() does not hand ARGUMENT_SPEC and run on'),
])
def test_the_check_refuses_a_module_that_is_not_thin(change, expected):
    old, new = change
    if old == '':
        source = THIN + new
    else:
        source = THIN.replace(old, new, 1)
    assert source != THIN
    found = problems(source)
    assert [problem for problem in found if expected in problem], found
