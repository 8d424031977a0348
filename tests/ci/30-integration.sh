# shellcheck shell=bash
# Real ansible-playbook runs against the simulator.
source "$(dirname "$0")/lib.sh"
run_pytest integration tests/integration -n 2
