# shellcheck shell=bash
# ansible-lint, production profile, strict and offline (configuration: .ansible-lint), over the
# laid-out collection with the collections path pointing at the laid-out tree. Zero findings.
source "$(dirname "$0")/lib.sh"
# common.sh (ensure_venv) recomputes the paths: keep the ones the harness exported.
keep_test_tree="$TEST_TREE" keep_collection_dir="$COLLECTION_DIR"
source "$REPO/scripts/lib/common.sh"
TEST_TREE="$keep_test_tree" COLLECTION_DIR="$keep_collection_dir"
RELEASE_VENV="$REPO/.venvs/release"
ensure_venv "$RELEASE_VENV" "$REPO/tests/requirements-release.txt"
export PATH="$RELEASE_VENV/bin:$PATH"

[ -f .ansible-lint ] || { log "lint: .ansible-lint is missing"; exit 1; }
# ansible-lint keeps its cache in .ansible/ of the project: never let it reach the built tarball.
trap 'rm -rf "$COLLECTION_DIR/.ansible"' EXIT
export ANSIBLE_COLLECTIONS_PATH="$TEST_TREE"
ansible-lint --version
ansible-lint --config-file .ansible-lint --strict --nocolor
