# shellcheck shell=bash
# Documentation and changelog checks, all on scratch copies of the laid-out collection (the tools
# write caches such as changelogs/.plugin-cache.yaml next to what they read):
#   1. antsibull-docs lint-collection-docs --plugin-docs: module and role docs render, their
#      schema and markup are valid, references resolve, rstcheck passes;
#   2. antsibull-changelog lint (fragments) and lint-changelog-yaml (changelogs/changelog.yaml);
#   3. antsibull-changelog generate reproduces the committed CHANGELOG.rst byte for byte;
#   4. a trial `antsibull-changelog release` of the galaxy.yml version succeeds (what the release
#      manager will run: fragments and plugin descriptions are all loadable);
#   5. scripts/build-docs reproduces the committed docs/collection/ byte for byte.
source "$(dirname "$0")/lib.sh"
use_release_venv

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export ANSIBLE_HOME="$scratch/.ansible" ANSIBLE_NOCOLOR=1

# copy_collection NAME: a fresh copy at $scratch/NAME/ansible_collections/webexops/recordings.
copy_collection() {
  local root="$scratch/$1"
  mkdir -p "$root/ansible_collections/webexops"
  cp -a "$COLLECTION_DIR" "$root/ansible_collections/webexops/recordings"
  rm -rf "$root/ansible_collections/webexops/recordings/.ansible" \
         "$root/ansible_collections/webexops/recordings/changelogs/.plugin-cache.yaml"
  printf '%s\n' "$root/ansible_collections/webexops/recordings"
}

failures=0
fail() { log "docs-changelog: $*"; failures=$((failures + 1)); }

# 1. Plugin and role documentation.
coll="$(copy_collection lint)"
log "antsibull-docs lint-collection-docs"
if ! (cd "$coll" && ANSIBLE_COLLECTIONS_PATH="$scratch/lint" \
      antsibull-docs lint-collection-docs --plugin-docs \
        --validate-collection-refs all --disallow-unknown-collection-refs \
        --no-skip-rstcheck --check-extra-docs-refs .); then
  fail "antsibull-docs lint-collection-docs found problems"
fi

# 2. Changelog fragments and changelog.yaml.
log "antsibull-changelog lint"
out="$(cd "$coll" && antsibull-changelog lint 2>&1)" || fail "antsibull-changelog lint failed"
if [ -n "$out" ]; then printf '%s\n' "$out"; fail "antsibull-changelog lint reported problems"; fi
out="$(cd "$coll" && antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml 2>&1)" \
  || fail "antsibull-changelog lint-changelog-yaml failed"
if [ -n "$out" ]; then printf '%s\n' "$out"; fail "changelogs/changelog.yaml has problems"; fi

# 3. The committed CHANGELOG.rst is what generate makes of the committed changelog.yaml.
log "antsibull-changelog generate"
gen="$(copy_collection generate)"
if (cd "$gen" && ANSIBLE_COLLECTIONS_PATH="$scratch/generate" antsibull-changelog generate); then
  for f in CHANGELOG.rst changelogs/changelog.yaml; do
    if [ ! -f "$COLLECTION_DIR/$f" ]; then
      fail "$f is missing (run antsibull-changelog generate and commit it)"
    elif ! diff -u "$COLLECTION_DIR/$f" "$gen/$f"; then
      fail "$f is out of date: run 'antsibull-changelog generate' in the repo root and commit it"
    fi
  done
else
  fail "antsibull-changelog generate failed"
fi

# 4. A trial release of the version in galaxy.yml, with every pending fragment.
version="$(python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["version"])' galaxy.yml)"
log "trial antsibull-changelog release --version $version"
rel="$(copy_collection release)"
if (cd "$rel" && ANSIBLE_COLLECTIONS_PATH="$scratch/release" \
      antsibull-changelog release --version "$version" --reload-plugins); then
  left="$(find "$rel/changelogs/fragments" -type f ! -name '.*' | wc -l)"
  [ "$left" -eq 0 ] || fail "the trial release left $left fragment(s) unconsumed"
  grep -q "^v$version\$" "$rel/CHANGELOG.rst" || fail "the trial release has no v$version section"
else
  fail "trial antsibull-changelog release failed"
fi

# 5. The committed generated reference docs are up to date.
log "scripts/build-docs"
if "$REPO/scripts/build-docs" --src "$coll" --dest "$scratch/docs"; then
  if [ ! -d "$COLLECTION_DIR/docs/collection" ]; then
    fail "docs/collection/ is missing: run scripts/build-docs and commit it"
  elif ! diff -ru "$COLLECTION_DIR/docs/collection" "$scratch/docs"; then
    fail "docs/collection/ is out of date: run scripts/build-docs and commit it"
  fi
else
  fail "scripts/build-docs failed"
fi

[ "$failures" -eq 0 ] || { log "docs-changelog: $failures check(s) failed"; exit 1; }
log "docs-changelog: docs lint, changelog lint, CHANGELOG.rst, trial release and docs/collection are clean"
