# shellcheck shell=bash
# Unit tests (tests/unit) on every supported ansible-core line: 2.16, 2.17, 2.18 and 2.19, each the
# latest patch that installs on Python 3.11, each in its own cached venv .venvs/core-X.Y installed
# from tests/requirements-core-X.Y.txt. JUnit XML: $OUTPUT_DIR/junit/unit-core-X.Y.xml.
#
# The lines run as parallel jobs, at most CORE_MATRIX_JOBS at a time (default: the number of CPUs,
# capped at 4). That is safe: every line has its own venv and JUnit file, byte-code writing is off
# so that no two jobs write the same __pycache__, the unit tests start no server and use no fixed
# port, and pip's cache tolerates concurrent installs. Each job's output is kept in a log and
# printed whole, in line order, once all are done.
source "$(dirname "$0")/lib.sh"
source "$REPO/scripts/lib/common.sh"

LINES=(2.16 2.17 2.18 2.19)
cpus="$(nproc 2>/dev/null || echo 2)"
jobs_max="${CORE_MATRIX_JOBS:-$(( cpus < 4 ? cpus : 4 ))}"
[ "$jobs_max" -ge 1 ] || jobs_max=1

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

if [ ! -d tests/unit ]; then
  log "core-matrix: no tests/unit in the collection"
  exit 1
fi

run_line() {
  local line="$1" dir="$REPO/.venvs/core-$1" start=$SECONDS
  ensure_venv "$dir" "$REPO/tests/requirements-core-$line.txt" || return 1
  "$dir/bin/ansible" --version | head -n1
  PYTHONDONTWRITEBYTECODE=1 \
  PYTHONPATH="$TEST_TREE:$COLLECTION_DIR/tests/simulator" \
  ANSIBLE_COLLECTIONS_PATH="$TEST_TREE" \
  ANSIBLE_LOCAL_TEMP="$logs/ansible-tmp-$line" \
    "$dir/bin/python" -m pytest -p no:cacheprovider -q \
      --junitxml="$OUTPUT_DIR/junit/unit-core-$line.xml" \
      -o junit_suite_name="unit-core-$line" \
      tests/unit
  local rc=$?
  echo "core-$line: pytest exit $rc in $((SECONDS - start)) s"
  return "$rc"
}

running=0
for line in "${LINES[@]}"; do
  while [ "$running" -ge "$jobs_max" ]; do
    wait -n || true
    running=$(jobs -rp | wc -l)
  done
  ( set +e; run_line "$line" >"$logs/$line.log" 2>&1; echo $? >"$logs/$line.rc" ) &
  running=$(jobs -rp | wc -l)
done
wait

failed=()
for line in "${LINES[@]}"; do
  printf -- '---- ansible-core %s ----\n' "$line"
  cat "$logs/$line.log"
  [ "$(cat "$logs/$line.rc" 2>/dev/null)" = "0" ] || failed+=("$line")
done
if [ "${#failed[@]}" -gt 0 ]; then
  log "core-matrix: failed on ansible-core ${failed[*]}"
  exit 1
fi
log "core-matrix: unit tests pass on ansible-core ${LINES[*]}"
