# ansible-test sanity on the laid-out collection, with the offline get-pip stand-in.
source "$(dirname "$0")/lib.sh"
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
# ansible-test 2.16 to 2.19 bootstrap pip 24.2 (a real cached script, if present, is left alone).
[ -f "$cache/get_pip_24_2.py" ] || cp "$COLLECTION_DIR/tests/tools/get_pip_standin.py" "$cache/get_pip_24_2.py"
rm -rf tests/output
"$VENV/bin/ansible-test" sanity --python 3.11 --requirements --color no "$@"
