# shellcheck shell=bash
# The README's main job, scripts/demo, from a fresh copy of the checkout with nothing run before it
# (no tests/output, its own collection tree): check mode, real run, idempotent rerun.
source "$(dirname "$0")/lib.sh"
run_pytest demo tests/demo
