# shellcheck shell=bash
# ansible-lint, production profile, strict and offline (configuration: .ansible-lint), over the
# laid-out collection with the collections path pointing at the laid-out tree. Zero findings.
source "$(dirname "$0")/lib.sh"
use_release_venv

[ -f .ansible-lint ] || { log "lint: .ansible-lint is missing"; exit 1; }
# ansible-lint keeps its cache in .ansible/ of the project: never let it reach the built tarball.
trap 'rm -rf "$COLLECTION_DIR/.ansible"' EXIT
export ANSIBLE_COLLECTIONS_PATH="$TEST_TREE"
ansible-lint --version
ansible-lint --config-file .ansible-lint --strict --nocolor
