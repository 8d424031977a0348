# shellcheck shell=bash
# Shared helpers of scripts/demo, scripts/test and the stages in tests/ci/ (sourced, not run).
# Everything a command needs is installed here, into virtual environments inside the repository.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON_BIN="${PYTHON_BIN:-python3.11}"
command -v "$PYTHON_BIN" >/dev/null 2>&1 || PYTHON_BIN=python3
VENV="$REPO/.venv"
VENV_PY="$VENV/bin/python"
# The collection is laid out where ansible-test and ansible-playbook expect it, outside the repo
# so that ansible-test does not mistake the repo's .git for the collection's. The path belongs to
# this checkout (a hash of its path): two clones never run each other's code.
# A stage sourcing this again keeps the tree the harness exported.
CHECKOUT_ID="$(printf '%s' "$REPO" | sha256sum | cut -c1-12)"
TEST_TREE="${TEST_TREE:-${WEBEXOPS_TEST_TREE:-${TMPDIR:-/tmp}/webexops-recordings-$(id -u)-$CHECKOUT_ID/tree}}"
COLLECTION_DIR="$TEST_TREE/ansible_collections/webexops/recordings"
OUTPUT_DIR="$REPO/tests/output"
export REPO VENV VENV_PY TEST_TREE COLLECTION_DIR OUTPUT_DIR

log() { printf '==> %s\n' "$*" >&2; }

# ensure_venv DIR REQUIREMENTS_FILE...: create DIR and install the pinned requirements, once per
# change of the requirement files (their hash is kept in the venv).
ensure_venv() {
  local dir="$1"; shift
  local stamp want req
  for req in "$@"; do
    [ -f "$req" ] || { log "ensure_venv: no requirement file $req"; return 1; }
  done
  want="$(cat "$@" | sha256sum | cut -d' ' -f1)"
  stamp="$dir/.requirements.sha256"
  if [ -x "$dir/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  log "installing $(basename "$dir") from $*"
  rm -rf "$dir"
  "$PYTHON_BIN" -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
  local args=()
  for req in "$@"; do args+=(-r "$req"); done
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "${args[@]}"
  echo "$want" > "$stamp"
}

ensure_main_venv() { ensure_venv "$VENV" "$REPO/tests/requirements/main.txt"; }

# lay_collection: copy the files git knows (tracked, or untracked and not ignored) to COLLECTION_DIR.
lay_collection() {
  rm -rf "$COLLECTION_DIR"
  mkdir -p "$COLLECTION_DIR"
  (cd "$REPO" && git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
    | tar --null -T - -cf -) | tar -xf - -C "$COLLECTION_DIR"
}

# start_simulator DIR [ARGS...]: start the API simulator of the laid-out collection on 127.0.0.1,
# port 0, in the background (its pid in SIM_PID, its log in DIR/simulator.log), wait until it
# listens, and set SIM_API_URL and SIM_CONTROL_URL from DIR/ready.json. The caller stops it.
start_simulator() {
  local dir="$1"; shift
  PYTHONPATH="$COLLECTION_DIR/tests/simulator" "$VENV_PY" -m webex_simulator --host 127.0.0.1 --port 0 \
    --ready-file "$dir/ready.json" "$@" > "$dir/simulator.log" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 1 200); do
    [ -s "$dir/ready.json" ] && break
    kill -0 "$SIM_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ ! -s "$dir/ready.json" ]; then
    cat "$dir/simulator.log" >&2
    log "the simulator did not start"
    return 1
  fi
  SIM_API_URL="$("$VENV_PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["api_url"])' "$dir/ready.json")"
  SIM_CONTROL_URL="${SIM_API_URL%/v1}/_sim"
  export SIM_PID SIM_API_URL SIM_CONTROL_URL   # read by the script that sourced this file
}

# stop_simulator: stop the simulator start_simulator started, if any (for an EXIT trap).
stop_simulator() {
  if [ -n "${SIM_PID:-}" ]; then
    kill "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
  fi
}
