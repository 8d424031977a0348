# shellcheck shell=bash
# Unit tests of module_utils, the planner and the module (no server).
source "$(dirname "$0")/lib.sh"
# Tests take tokens and seeds from tests/unit/fixtures.py; conftest.py holds pytest fixtures only.
if grep -rnE '^[[:space:]]*(from conftest import|import conftest)' --include='*.py' tests/unit; then
  log "unit: the test(s) above import from conftest; import from tests/unit/fixtures.py instead"
  exit 1
fi
run_pytest unit tests/unit
