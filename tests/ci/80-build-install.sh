# shellcheck shell=bash
# The release artifact, end to end:
#   1. ansible-galaxy collection build of the laid-out collection into a scratch directory;
#   2. galaxy-importer on the tarball (configuration: tests/tools/galaxy-importer.cfg; it runs
#      ansible-doc and ansible-lint the way Galaxy does): any WARNING or ERROR line fails;
#   3. ansible-galaxy collection install of the tarball into an empty collections path;
#   4. playbooks/restore_owner_bins.yml run FROM THE INSTALLED COPY (collections path = the
#      install only, cwd = scratch) against the simulator, with exactly the environment that the
#      AWX credential type (docs/awx/credential_type.yml) injects; then the bin of every owner with
#      an email is empty (workspaces and virtual lines have none: the runbook cannot name them).
source "$(dirname "$0")/lib.sh"
use_release_venv

scratch="$(mktemp -d)"
trap 'stop_simulator; rm -rf "$scratch"' EXIT
export ANSIBLE_HOME="$scratch/ansible-home" ANSIBLE_NOCOLOR=1

# 1. Build.
mkdir -p "$scratch/dist"
rm -rf "$COLLECTION_DIR/.ansible"   # a lint cache must never be packed
"$RELEASE_VENV/bin/ansible-galaxy" collection build --output-path "$scratch/dist" "$COLLECTION_DIR"
tarballs=("$scratch"/dist/webexops-recordings-*.tar.gz)
if [ "${#tarballs[@]}" -ne 1 ] || [ ! -f "${tarballs[0]}" ]; then log "build-install: no tarball built"; exit 1; fi
tarball="${tarballs[0]}"
log "built $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB, $(tar -tzf "$tarball" | wc -l) entries)"
# Nothing of the development tree may be packed.
if tar -tzf "$tarball" | grep -E '(^|/)(\.venvs?|\.git|\.ansible|tests/output|__pycache__)(/|$)|\.pyc$'; then
  log "build-install: the tarball contains development files (see above); fix build_ignore in galaxy.yml"
  exit 1
fi

# 2. galaxy-importer, as Galaxy runs it on upload.
mkdir -p "$scratch/importer" "$scratch/importer-tmp"
log "galaxy-importer $("$RELEASE_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("galaxy-importer"))')"
set +e
(cd "$scratch/importer" && \
  PATH="$RELEASE_VENV/bin:$PATH" \
  GALAXY_IMPORTER_CONFIG="$COLLECTION_DIR/tests/tools/galaxy-importer.cfg" \
  GALAXY_IMPORTER_TMP_ROOT_DIR="$scratch/importer-tmp" \
  GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP="$scratch/importer-tmp/ansible" \
    "$RELEASE_VENV/bin/python" -m galaxy_importer.main "$tarball") > "$scratch/importer.log" 2>&1
importer_rc=$?
set -e
cat "$scratch/importer.log"
if [ "$importer_rc" -ne 0 ]; then
  log "build-install: galaxy-importer failed (exit $importer_rc)"
  exit 1
fi
if grep -qE '^(WARNING|ERROR|CRITICAL)' "$scratch/importer.log"; then
  log "build-install: galaxy-importer reported warnings or errors:"
  grep -E '^(WARNING|ERROR|CRITICAL)' "$scratch/importer.log" >&2
  exit 1
fi
grep -q 'Importer processing completed successfully' "$scratch/importer.log" \
  || { log "build-install: galaxy-importer did not complete"; exit 1; }

# 3. Install into a clean collections path (dependencies: none, so no Galaxy server is asked).
install_root="$scratch/installed"
"$VENV/bin/ansible-galaxy" collection install --offline --no-deps -p "$install_root" "$tarball"
installed="$install_root/ansible_collections/webexops/recordings"
[ -f "$installed/MANIFEST.json" ] || { log "build-install: the install has no MANIFEST.json"; exit 1; }
[ -f "$installed/playbooks/restore_owner_bins.yml" ] \
  || { log "build-install: playbooks/restore_owner_bins.yml is not in the installed collection"; exit 1; }

# From here on only the installed copy is visible to Ansible.
export ANSIBLE_COLLECTIONS_PATH="$install_root" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false ANSIBLE_RETRY_FILES_ENABLED=false
"$VENV/bin/ansible-doc" webexops.recordings.webex_recording_restore > /dev/null \
  || { log "build-install: ansible-doc cannot load the installed module"; exit 1; }

# 4. The runbook from the installed copy against the simulator (simulator code from the tree:
#    it is a test tool, the tarball carries it too but the tree is what was tested).
start_simulator "$scratch"

# The environment the AWX credential type injects, rendered like the controller does.
api_url="$SIM_API_URL"
credential_env=()
while IFS= read -r assignment; do credential_env+=("$assignment"); done \
  < <("$VENV_PY" "$CI_TOOLS/awx_credential_env.py" "$installed/docs/awx/credential_type.yml" \
        --input token=admin-token --input "api_url=$api_url")
[ "${#credential_env[@]}" -gt 0 ] || { log "build-install: could not render the credential injectors"; exit 1; }
log "credential environment: $(printf '%s ' "${credential_env[@]%%=*}")"

"$VENV_PY" "$CI_TOOLS/simulator_control.py" "$scratch/ready.json" deleted-owners > "$scratch/survey.json"
before="$("$VENV_PY" "$CI_TOOLS/simulator_control.py" "$scratch/ready.json" deleted-count)"
[ "$before" -gt 0 ] || { log "build-install: the simulator's seed has nothing in any bin"; exit 1; }
log "restoring $before recordings of $(cat "$scratch/survey.json")"

# The environment is the caller's minus any WEBEX_* plus exactly what the credential injects.
unset_webex=()
while IFS= read -r name; do unset_webex+=(-u "$name"); done < <(env | grep -o '^WEBEX_[A-Z_]*' || true)
(cd "$scratch" && env "${unset_webex[@]}" "${credential_env[@]}" \
   "$VENV/bin/ansible-playbook" "$installed/playbooks/restore_owner_bins.yml" -e "@$scratch/survey.json")

after="$("$VENV_PY" "$CI_TOOLS/simulator_control.py" "$scratch/ready.json" deleted-count)"
if [ "$after" -ne 0 ]; then
  log "build-install: $after recordings are still in a recycle bin after the runbook"
  exit 1
fi
log "build-install: importer clean, installed copy restored all $before recordings"
