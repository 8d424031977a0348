# shellcheck shell=bash
# ansible-test sanity on the laid-out collection, with the offline get-pip stand-in.
source "$(dirname "$0")/lib.sh"
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
# ansible-test 2.16 to 2.19 bootstrap pip 24.2 (a real cached script, if present, is left alone).
[ -f "$cache/get_pip_24_2.py" ] || cp "$COLLECTION_DIR/tests/tools/get_pip_standin.py" "$cache/get_pip_24_2.py"
# The shellcheck sanity test is skipped (with only a warning) when the program is missing.
if ! command -v shellcheck >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck) >/dev/null
  else
    echo "shellcheck is required by the sanity stage: install it (Debian: apt-get install shellcheck)" >&2
    exit 1
  fi
fi
rm -rf tests/output
"$VENV/bin/ansible-test" sanity --python 3.11 --requirements --color no "$@"
