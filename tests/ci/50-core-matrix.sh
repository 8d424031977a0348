# shellcheck shell=bash
# Unit tests (tests/unit) on every supported ansible-core line: 2.16, 2.17, 2.18 and 2.19, each the
# latest patch that installs on Python 3.11, each in its own cached venv .venvs/core-X.Y installed
# from tests/requirements/core-X.Y.txt. JUnit XML: $OUTPUT_DIR/junit/unit-core-X.Y.xml. Then both
# runbooks in check mode with each line's ansible-playbook (tests/core_matrix/, pytest in the main
# venv for the simulator): JUnit XML $OUTPUT_DIR/junit/runbooks-core-matrix.xml.
#
# The venvs are made by ensure_venv (scripts/lib/common.sh), like every other venv of the tests,
# with PIP_COMPILE=0: pip does not byte-compile what it installs (19 s -> 12 s per venv on 2 CPUs:
# ansible-core is large, and a test run imports a small part of it). They are made two at a time
# (CPU bound: more jobs gain nothing on 2 CPUs), then the four pytest runs go one after the other:
# each takes under 10 s, and four at once would put worker threads of 4 processes on 2 CPUs, where
# the scheduling order of the module's concurrent requests changes from run to run.
source "$(dirname "$0")/lib.sh"

LINES=(2.16 2.17 2.18 2.19)
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

if [ ! -d tests/unit ]; then
  log "core-matrix: no tests/unit in the collection"
  exit 1
fi

# 1. The venvs, two at a time (each job's output kept and printed in line order). ensure_venv runs
#    with errexit on, so that a failed install stops before the cache stamp is written.
start=$SECONDS
pids=()
for line in "${LINES[@]}"; do
  ( set +e
    ( set -e; PIP_COMPILE=0 ensure_venv "$REPO/.venvs/core-$line" "$REPO/tests/requirements/core-$line.txt" ) \
      >"$logs/venv-$line.log" 2>&1
    echo $? >"$logs/venv-$line.rc" ) &
  pids+=($!)
  if [ "${#pids[@]}" -ge 2 ]; then wait "${pids[0]}" || true; pids=("${pids[@]:1}"); fi
done
wait
for line in "${LINES[@]}"; do
  grep -v 'is ignored: it is neither a file nor a directory' "$logs/venv-$line.log" || true
  if [ "$(cat "$logs/venv-$line.rc")" != "0" ]; then
    log "core-matrix: could not install .venvs/core-$line"
    exit 1
  fi
done
log "core-matrix: venvs ready in $((SECONDS - start)) s"

# 2. The unit tests, one line after the other.
failed=()
for line in "${LINES[@]}"; do
  dir="$REPO/.venvs/core-$line"
  printf -- '---- ansible-core %s\n' "$("$dir/bin/python" -c 'from ansible.release import __version__; print(__version__)')"
  if ! PYTHONPATH="$TEST_TREE:$COLLECTION_DIR/tests/simulator" \
       ANSIBLE_COLLECTIONS_PATH="$TEST_TREE" \
       "$dir/bin/python" -m pytest -p no:cacheprovider -q \
         --junitxml="$OUTPUT_DIR/junit/unit-core-$line.xml" \
         -o junit_suite_name="unit-core-$line" \
         tests/unit; then
    failed+=("$line")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  log "core-matrix: unit tests failed on ansible-core ${failed[*]}"
  exit 1
fi
log "core-matrix: unit tests pass on ansible-core ${LINES[*]}"

# 3. The runbooks on every line (the role and its templates run on the controller's ansible-core).
playbooks=()
for line in "${LINES[@]}"; do playbooks+=("$line=$REPO/.venvs/core-$line/bin/ansible-playbook"); done
WEBEXOPS_CORE_PLAYBOOKS="${playbooks[*]}" run_pytest runbooks-core-matrix tests/core_matrix
