# shellcheck shell=bash
# Molecule scenario extensions/molecule/default: the role against the simulator on 127.0.0.1
# (default driver, unmanaged localhost, no Docker). Molecule lives in its own cached venv.
source "$(dirname "$0")/lib.sh"
ensure_venv "$REPO/.venvs/molecule" "$REPO/tests/requirements/molecule.txt"

# The scenario keeps the simulator's ready file here: stop the simulator even if molecule crashed.
state_dir="$(mktemp -d "${TMPDIR:-/tmp}/webexops-molecule.XXXXXX")"
stop_simulator() {
  local pid
  pid="$("$REPO/.venvs/molecule/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' \
    "$state_dir/simulator.json" 2>/dev/null)" && kill "$pid" 2>/dev/null
  rm -rf "$state_dir"
}
trap stop_simulator EXIT

export WEBEXOPS_MOLECULE_STATE_DIR="$state_dir"
export PATH="$REPO/.venvs/molecule/bin:$PATH"   # molecule calls ansible-playbook and ansible-config
export ANSIBLE_COLLECTIONS_PATH="$TEST_TREE"
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 NO_COLOR=1
unset WEBEX_ACCESS_TOKEN WEBEX_API_URL WEBEX_CA_PATH WEBEX_VALIDATE_CERTS
cd "$COLLECTION_DIR" || exit 1
molecule test --scenario-name default
