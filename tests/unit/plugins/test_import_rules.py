# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Copyright: Contributors to the webexops.recordings collection
"""The layout rules of docs/design.md, enforced: who may import whom inside the collection (read from
the table between the ``import-rules`` markers, so that the rule is written once), and no file under
plugins/ above 300 lines of code. The EDA event sources (extensions/eda/plugins/event_source/*.py) follow
the same rules (their row: ``event_source/*``)."""

import ast
import io
import pathlib
import re
import tokenize

import pytest

COLLECTION = pathlib.Path(__file__).resolve().parents[3]
PLUGINS = COLLECTION / 'plugins'
EDA_PLUGINS = COLLECTION / 'extensions' / 'eda' / 'plugins'
PREFIX = 'ansible_collections.webexops.recordings.plugins.'
MAX_CODE_LINES = 300
DOC_BLOCKS = ('DOCUMENTATION', 'EXAMPLES', 'RETURN')


def _rules():
    """{file pattern: set of module_utils names it may import}, from docs/design.md."""
    text = (COLLECTION / 'docs' / 'design.md').read_text()
    table = re.search(r'<!-- import-rules -->\n(.*?)<!-- /import-rules -->', text, re.S)
    assert table, 'docs/design.md has no import-rules table'
    rules = {}
    for line in table.group(1).splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip('|').split('|')]
        allowed = set(re.findall(r'`([^`]+)`', cells[1]))
        for pattern in re.findall(r'`([^`]+)`', cells[0]):
            rules[pattern] = allowed
    return rules


RULES = _rules()


def _rule_for(path):
    relative = path.relative_to(EDA_PLUGINS if EDA_PLUGINS in path.parents else PLUGINS)
    for pattern in (path.stem, '%s/*' % relative.parent.as_posix()):
        if pattern in RULES:
            return RULES[pattern]
    return set()


def _collection_imports(path):
    """The collection plugins a file imports, as the names the table uses (``_planner``, ...)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX):
            if node.module.endswith(('.module_utils', '.plugin_utils')):
                names.update(alias.name for alias in node.names)
            else:
                names.add(node.module.rsplit('.', 1)[1])
        elif isinstance(node, ast.Import):
            names.update(alias.name.rsplit('.', 1)[1] for alias in node.names if alias.name.startswith(PREFIX))
    return names


PLUGIN_FILES = sorted(path for path in PLUGINS.rglob('*.py') if path.name != '__init__.py') + sorted(
    (EDA_PLUGINS / 'event_source').glob('*.py'))


def _shown(path):
    return path.relative_to(PLUGINS if PLUGINS in path.parents else COLLECTION).as_posix()


def test_the_eda_sources_are_checked_too():
    assert EDA_PLUGINS / 'event_source' / 'recycle_bin.py' in PLUGIN_FILES


def test_the_table_names_every_module_utils_file():
    named = set(RULES)
    missing = [path.stem for path in (PLUGINS / 'module_utils').glob('_*.py') if path.stem not in named]
    assert not missing, 'docs/design.md import-rules does not list %s' % missing


@pytest.mark.parametrize('path', PLUGIN_FILES, ids=_shown)
def test_imports_follow_the_design(path):
    unexpected = _collection_imports(path) - _rule_for(path)
    assert not unexpected, '%s imports %s; docs/design.md allows %s' % (
        path.relative_to(COLLECTION), sorted(unexpected), sorted(_rule_for(path)) or 'nothing')


def test_the_service_never_names_an_api():
    """The seam: only the modules (through _profiles) choose an API profile; neither API's module, name, paths nor
    query words appear in the service, the reconciliation, the listing engine or the planner."""
    words = ('_converged', 'convergedRecordings', 'ConvergedApi', '_meetings', 'MeetingsApi', '/recordings', 'hostEmail',
             'siteUrl', 'meetingPreferences', 'ownerEmail')
    # The selection holds the vocabulary of the api option (its choices and which options apply to each), nothing else.
    choices = ("'meetings'", '"meetings"', "'converged'", '"converged"')
    for name in ('_recordings', '_reconcile', '_listing', '_planner', '_selection'):
        source = (PLUGINS / 'module_utils' / ('%s.py' % name)).read_text()
        named = [word for word in words + (choices if name != '_selection' else ()) if word in source]
        assert not named, '%s names %s' % (name, named)


def code_lines(source):
    """Lines holding code: not blank, not only a comment, not inside a docstring or a module's doc blocks."""
    tree = ast.parse(source)
    skipped = set()
    for node in ast.walk(tree):
        body = getattr(node, 'body', None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            skipped.update(range(body[0].lineno, body[0].end_lineno + 1))
        if isinstance(node, ast.Assign) and any(getattr(target, 'id', None) in DOC_BLOCKS for target in node.targets):
            skipped.update(range(node.lineno, node.end_lineno + 1))
    lines = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                              tokenize.ENDMARKER):
            lines.update(range(token.start[0], token.end[0] + 1))
    return len(lines - skipped)


def test_code_lines_counts_code_only():
    source = '"""Doc.\n\nMore."""\n# comment\n\nDOCUMENTATION = r"""\na: b\n"""\n\ndef f():\n    """Doc."""\n    return 1  # why\n'
    assert code_lines(source) == 2


@pytest.mark.parametrize('path', PLUGIN_FILES, ids=_shown)
def test_no_plugin_file_above_300_lines_of_code(path):
    assert code_lines(path.read_text()) <= MAX_CODE_LINES
