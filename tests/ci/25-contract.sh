# shellcheck shell=bash
# Contract tests: schemathesis runs the published OpenAPI definitions of the endpoints the simulator
# implements (tests/contract/converged-recordings-openapi.yml, the six Converged Recordings endpoints;
# tests/contract/meetings-recordings-openapi.yml, the seven Meetings recordings and site-list endpoints:
# Cisco Webex, CC BY 4.0, see their headers and tests/contract/LICENSE-webex-openapi-specs.txt) against
# the simulator, which this stage starts on 127.0.0.1 (port 0) and stops. Four runs, each definition with
# an administrator token (admin-token) and a user token (alice-token). Checks: not_a_server_error, response_schema_conformance,
# status_code_conformance, content_type_conformance. Phases: examples, coverage (which also sends
# methods an operation does not have, expecting 405), fuzzing, stateful.
#
# schemathesis is pinned in its own cached venv, .venvs/contract (tests/requirements/contract.txt).
# Nothing but that install uses the network: the definition and the fixture are files of the repo.
# Deterministic: a fixed seed, one worker, no example database nor cache (tests/contract/
# schemathesis.toml), and before each run the simulator's data is reset to its seed and the
# definition's contract fixture (tests/contract/simulator-fixture.json, simulator-meetings-fixture.json:
# recordings with the definition's example ids) is loaded. Bounded: CONTRACT_MAX_EXAMPLES test cases per
# operation and phase (default 100: about 25 s + 15 s for Converged, as much again for Meetings, on 2 CPUs); CONTRACT_SEED (default 1) and CONTRACT_MAX_EXAMPLES
# may be changed to explore, CI uses the defaults.
#
# Output: JUnit XML $OUTPUT_DIR/junit/contract-LABEL.xml for the labels admin, user, meetings-admin and
# meetings-user (suites contract-LABEL, one test case per operation plus one for the stateful phase),
# schemathesis' NDJSON event logs in $OUTPUT_DIR/contract/, and, per run, the test cases of each
# operation with the statuses answered, closing with
#   contract admin: 6 of 6 operations tested, N test cases, 0 failed checks, 0 simulator errors
# and a last line with the totals of the four runs:
#   contract: 4 runs, 26 operations tested of 26, N test cases (admin N, user N, meetings-admin N, meetings-user N), ...
# The stage fails when schemathesis reports a failed check,
# an operation of the definition was not tested, or the simulator logged an internal error.
#
# Known mismatches between the Converged definition and the documented rules (the definition's prose,
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
# Known mismatches between the Meetings definition and the documented rules (its prose, the reference's
# [C] rules, and the simulator's choices in docs/simulator.md, "Meetings"). None needs an exclusion either:
#  M1. Bulk bodies: every property is optional in the schema; the rules (restoreAll/purgeAll true: no
#      ids; otherwise 1 to 100 ids; every id the host's on siteUrl or the preferred site; hostEmail in the
#      query, never in the body) are prose: 400, unknown or out-of-reach ids 404, both documented. Warnings
#      "Schema validation mismatch" and "Missing test data": expected, as in 1 and 7.
#  M2. max, from and to as in 2 and 3; the admin list's window at most 30 days (400), the user list's
#      unbounded; the admin list ignores from, to and siteUrl when meetingId is given (published).
#  M3. status=purged is in both list enums; the simulator models no meetings compliance officer: 403.
#  M4. No security requirement is applied (as in 5): alice-token gets 403 on the admin list for every
#      test case ("Authentication failed": expected), and 403 for hostEmail / userEmail (admin-level
#      scopes only: the simulator's default reading, meeting_choices.email_for_users).
#  M5. siteUrl (query, header or body) is any string in the schema: an unknown site is 404, a site the
#      administrator does not administer 403 (documented statuses).
#  M6. RecordingObjectForAdminAndCO has no shareToMe property, but the definition's admin examples carry
#      shareToMe: false; the simulator sends it so (additional properties are allowed). Items always carry
#      integrationTags (an empty list when none) and the three meeting ids.
#  M7. The format filter's enum is MP4 and ARF; items may also be UPLOADED (the RecordingObject enum).
#  M8. Error responses declare no content except the site list's 403, whose schema is the Webex error
#      body the simulator sends for every error.
#  M9. Details of a recording in the recycle bin: 404 by default (meeting_choices.details_of_deleted), a
#      documented status either way.
source "$(dirname "$0")/lib.sh"

CONTRACT_VENV="$REPO/.venvs/contract"
ensure_venv "$CONTRACT_VENV" "$REPO/tests/requirements/contract.txt"

seed="${CONTRACT_SEED:-1}"
max_examples="${CONTRACT_MAX_EXAMPLES:-100}"
contract_dir="$COLLECTION_DIR/tests/contract"
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
# label:api:token. The API names the definition (<api>-recordings-openapi.yml) and the fixture loaded before the run.
for run in admin:converged:admin-token user:converged:alice-token \
           meetings-admin:meetings:admin-token meetings-user:meetings:alice-token; do
  label="${run%%:*}" rest="${run#*:}"
  api="${rest%%:*}" token="${rest#*:}"
  spec="$contract_dir/$api-recordings-openapi.yml"
  fixture="$contract_dir/simulator-fixture.json"
  if [ "$api" = meetings ]; then fixture="$contract_dir/simulator-meetings-fixture.json"; fi
  log "contract: run '$label' ($api definition, token $token)"
  "${helper[@]}" prepare "$scratch/ready.json" "$fixture" --api "$api"
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
log "contract: all ${#totals[@]} runs passed"
