# shellcheck shell=bash
# ansible-test sanity on the laid-out collection, with the offline get-pip stand-in.
source "$(dirname "$0")/lib.sh"
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
# ansible-test 2.16 to 2.19 bootstrap pip 24.2 (a real cached script, if present, is left alone).
[ -f "$cache/get_pip_24_2.py" ] || cp "$CI_TOOLS/get_pip_standin.py" "$cache/get_pip_24_2.py"
# The shellcheck sanity test is skipped (with only a warning) when the program is missing: the
# pinned one (tests/requirements/shellcheck.txt) goes first on PATH, and must be the one found.
use_shellcheck
[ "$(command -v shellcheck)" = "$REPO/.venvs/shellcheck/path/shellcheck" ] \
  || { log "sanity: the pinned shellcheck is not first on PATH"; exit 1; }
log "$(shellcheck --version | sed -n 's/^version: /shellcheck /p')"
rm -rf tests/output
"$VENV/bin/ansible-test" sanity --python 3.11 --requirements --color no "$@"
