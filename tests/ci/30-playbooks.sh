# shellcheck shell=bash
# Real ansible-playbook runs against the simulator.
source "$(dirname "$0")/lib.sh"
run_pytest playbooks tests/playbook_tests -n 2
