# shellcheck shell=bash
# ansible-builder on the example execution environment (docs/examples/execution-environment.yml).
# No container engine here: `ansible-builder create` only writes the build context, which is
# checked instead of built:
#   1. the example as users get it: the context installs webexops.recordings (requirements.yml)
#      and introspects collections for their Python requirements;
#   2. the collection's runtime requirements: `ansible-builder introspect` of the laid-out tree
#      finds `requests` (from meta/execution-environment.yml -> requirements.txt), and nothing
#      test-only;
#   3. the offline variant the example describes (the built tarball shipped in the context):
#      the context then holds the collection itself, whose metadata names requests.
source "$(dirname "$0")/lib.sh"
use_release_venv
export ANSIBLE_HOME
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
ANSIBLE_HOME="$scratch/ansible-home"
ee_file="$COLLECTION_DIR/docs/examples/execution-environment.yml"
failures=0
fail() { log "execution-environment: $*"; failures=$((failures + 1)); }

ansible-builder --version

# 1. The example as shipped.
ansible-builder create -f "$ee_file" -c "$scratch/context" --output-filename Containerfile -v 1
reqs="$scratch/context/_build/requirements.yml"
"$RELEASE_VENV/bin/python" "$CI_TOOLS/requirements_has_collection.py" "$reqs" webexops.recordings \
  || fail "the context does not install webexops.recordings"
grep -q 'ansible-galaxy collection install .*-r requirements.yml' "$scratch/context/Containerfile" \
  || fail "the Containerfile does not install the galaxy requirements"
grep -q 'introspect.py introspect' "$scratch/context/Containerfile" \
  || fail "the Containerfile does not introspect collection requirements"

# 2. What the image build's introspect step will find in this collection.
introspected="$(ansible-builder introspect "$TEST_TREE")"
printf '%s\n' "$introspected"
printf '%s\n' "$introspected" | grep -Eq "^- '?requests.*# from collection webexops\.recordings" \
  || fail "introspection does not report requests from webexops.recordings"
if printf '%s\n' "$introspected" | grep -Eiq "^- '?(pytest|ansible-core|ansible-lint|molecule|antsibull)"; then
  fail "the runtime requirements name a test or build tool"
fi

# 3. The offline variant: the built tarball in the context.
mkdir -p "$scratch/offline"
ansible-galaxy collection build --output-path "$scratch/offline" "$COLLECTION_DIR" > /dev/null
tarball="$(cd "$scratch/offline" && ls webexops-recordings-*.tar.gz)"
"$RELEASE_VENV/bin/python" "$CI_TOOLS/ee_offline_variant.py" \
  "$ee_file" "$scratch/offline/execution-environment.yml" "$tarball"
ansible-builder create -f "$scratch/offline/execution-environment.yml" -c "$scratch/offline-context" \
  --output-filename Containerfile -v 1
shipped="$scratch/offline-context/_build/collections/$tarball"
if [ ! -f "$shipped" ]; then
  fail "the offline context does not contain $tarball"
else
  tar -xzf "$shipped" -C "$scratch/offline" meta/execution-environment.yml requirements.txt \
    || fail "the shipped collection has no meta/execution-environment.yml or requirements.txt"
  grep -Eq '^requests([<>=!~ ]|$)' "$scratch/offline/requirements.txt" \
    || fail "the shipped collection's requirements.txt does not name requests"
fi

[ "$failures" -eq 0 ] || { log "execution-environment: $failures check(s) failed"; exit 1; }
log "execution-environment: build contexts written and checked"
