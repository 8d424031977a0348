# shellcheck shell=bash
# Contract tests: schemathesis runs the published OpenAPI definition of the six endpoints the
# collection uses (tests/contract/converged-recordings-openapi.yml: Cisco Webex, CC BY 4.0, see its
# header and tests/contract/LICENSE-webex-openapi-specs.txt) against the simulator, which this stage
# starts on 127.0.0.1 (port 0) and stops. Two runs: an administrator token (admin-token) and a user
# token (alice-token). Checks: not_a_server_error, response_schema_conformance,
# status_code_conformance, content_type_conformance. Phases: examples, coverage (which also sends
# methods an operation does not have, expecting 405), fuzzing, stateful.
#
# schemathesis is pinned in its own cached venv, .venvs/contract (tests/requirements/contract.txt).
# Nothing but that install uses the network: the definition and the fixture are files of the repo.
# Deterministic: a fixed seed, one worker, no example database nor cache (tests/contract/
# schemathesis.toml), and before each run the simulator's data is reset to its seed and the
# contract fixture (tests/contract/simulator-fixture.json: recordings with the definition's
# example ids) is loaded. Bounded: CONTRACT_MAX_EXAMPLES test cases per operation and phase
# (default 100: about 25 s + 15 s on 2 CPUs); CONTRACT_SEED (default 1) and CONTRACT_MAX_EXAMPLES
# may be changed to explore, CI uses the defaults.
#
# Output: JUnit XML $OUTPUT_DIR/junit/contract-admin.xml and contract-user.xml (suites
# contract-admin and contract-user, one test case per operation plus one for the stateful phase),
# schemathesis' NDJSON event logs in $OUTPUT_DIR/contract/, and, per run, the test cases of each
# operation with the statuses answered, closing with
#   contract admin: 6 of 6 operations tested, N test cases, 0 failed checks, 0 simulator errors
# and a last line with both runs' totals:
#   contract: 2 runs, 12 operations tested of 12, N test cases (admin N, user N), 0 failed checks, ... The stage fails when schemathesis reports a failed check,
# an operation of the definition was not tested, or the simulator logged an internal error.
#
# Known mismatches between the OpenAPI definition and the documented rules (the definition's prose,
# docs/simulator.md). None needs an exclusion with these four checks today; an exclusion, if one
# becomes needed, goes into tests/contract/schemathesis.toml for one operation and one check only.
#  1. Bulk bodies (restore, softDelete, purge): the schema makes every property optional and any
#     combination valid; the rules (all-flag true: no ids, ownerEmail for an administrator and not
#     for a user; otherwise no ownerEmail and 1 to 100 ids) live only in the prose. Most generated
#     bodies get 400, and unknown ids 404: both documented statuses, so status_code_conformance
#     holds. schemathesis warns "Schema validation mismatch" for the three operations: expected.
#     (positive_data_acceptance would fail on them: not run, for this reason.)
#  2. max is `type: number` without bounds; the rule is an integer from 1 to 100: 400 otherwise.
#  3. from and to are plain strings (their `default` is a sentence); the rules are ISO 8601, from not
#     after to, and at most 30 days between them on the admin endpoint: 400 otherwise.
#  4. status=purged on the admin endpoint is in the schema for everyone; only a compliance officer
#     may use it (403 for an administrator: documented). A compliance officer's answer carries
#     items with status "purged", which the RecordingObject enum lacks: response_schema_conformance
#     would fail there. Not run (no compliance-officer run); a run with compliance-token would need
#     that check excluded for list_recordings_for_admin_or_compliance_officer only.
#  5. The definition applies no security requirement (the schemes are declared, not used), so the
#     token goes on every request as a header; the user token gets 403 on the admin endpoint for
#     every test case (a documented status; schemathesis warns "Authentication failed": expected).
#  6. Error responses declare no content: their body and content type are not checked here. The
#     simulator's own tests check the Webex error body against tests/schemas/error.json.
#  7. Random ids find nothing (404): schemathesis warns "Missing test data" for some bulk
#     operations; the fixture's example ids and the stateful phase (ids taken from listings) reach
#     200 and 204 answers.
#  8. The timezone header is declared (any string); the simulator writes the times of listings and details
#     in that IANA zone (+08:00, or Z for offset zero) and answers 400 to a name it does not know (a
#     documented status); RecordingObject's times are plain strings, so every form conforms. Naive from/to
#     stay UTC (docs/simulator.md, "Time forms").
source "$(dirname "$0")/lib.sh"

CONTRACT_VENV="$REPO/.venvs/contract"
ensure_venv "$CONTRACT_VENV" "$REPO/tests/requirements/contract.txt"

seed="${CONTRACT_SEED:-1}"
max_examples="${CONTRACT_MAX_EXAMPLES:-100}"
contract_dir="$COLLECTION_DIR/tests/contract"
spec="$contract_dir/converged-recordings-openapi.yml"
helper=("$VENV_PY" "$contract_dir/contract_run.py")
reports="$OUTPUT_DIR/contract"
rm -rf "$reports" && mkdir -p "$reports" "$OUTPUT_DIR/junit"

scratch="$(mktemp -d)"
trap 'stop_simulator; rm -rf "$scratch"' EXIT

start_simulator "$scratch"
api_url="$SIM_API_URL"
log "contract: schemathesis $("$CONTRACT_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))')" \
  "against the simulator at $api_url, seed $seed, at most $max_examples test cases per operation and phase"

failed=()
totals=()
for run in admin:admin-token user:alice-token; do
  label="${run%%:*}" token="${run#*:}"
  log "contract: run '$label' (token $token)"
  "${helper[@]}" prepare "$scratch/ready.json" "$contract_dir/simulator-fixture.json"
  set +e
  # cwd: the scratch folder, so that nothing schemathesis or hypothesis might write lands in the tree.
  (cd "$scratch" && timeout --kill-after=10 600 "$CONTRACT_VENV/bin/schemathesis" \
      --config-file "$contract_dir/schemathesis.toml" --no-color run "$spec" \
      --url "$api_url" --header "Authorization: Bearer $token" \
      --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
      --max-examples "$max_examples" --seed "$seed" --workers 1 --generation-database none \
      --request-timeout 10 \
      --report junit,ndjson --report-junit-path "$OUTPUT_DIR/junit/contract-$label.xml" \
      --report-ndjson-path "$reports/contract-$label.ndjson")
  rc=$?
  set -e
  [ "$rc" -eq 124 ] && log "contract: run '$label' timed out after 600 s"
  summary_rc=0
  "${helper[@]}" summarize "$reports/contract-$label.ndjson" --label "$label" --spec "$spec" \
    --ready "$scratch/ready.json" --junit "$OUTPUT_DIR/junit/contract-$label.xml" \
    | tee "$scratch/summary-$label.txt" || summary_rc=$?
  totals+=("$(tail -n 1 "$scratch/summary-$label.txt")")
  if [ "$rc" -ne 0 ] || [ "$summary_rc" -ne 0 ]; then
    failed+=("$label")
  fi
done

if grep -q 'internal error' "$scratch/simulator.log"; then
  cat "$scratch/simulator.log"
  log "contract: the simulator logged an internal error (see above)"
  failed+=(simulator)
fi
"${helper[@]}" total "${totals[@]}" || failed+=(total)
[ "${#failed[@]}" -eq 0 ] || { log "contract: FAILED: ${failed[*]}"; exit 1; }
log "contract: both runs passed"
