# shellcheck shell=bash
# The simulator's faithfulness to the documented Webex API, over real HTTP.
source "$(dirname "$0")/lib.sh"
run_pytest simulator tests/simulator_tests
