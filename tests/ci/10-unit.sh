# shellcheck shell=bash
# Unit tests of module_utils, the planner and the module (no server).
source "$(dirname "$0")/lib.sh"
run_pytest unit tests/unit
