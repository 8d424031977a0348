# shellcheck shell=bash
# Event-Driven Ansible: a real ansible-rulebook runs extensions/eda/rulebooks/recycle_bin_surge.yml with the
# source webexops.recordings.recycle_bin of the laid-out collection against the simulator (tests/eda_tests).
# The source's own behaviour (events, surges, state file, errors) is unit-tested by stage unit
# (tests/unit/extensions/eda/), without ansible-rulebook.
#
# ansible-rulebook, ansible-core and pytest live in their own cached venv, .venvs/eda
# (tests/requirements/eda.txt). ansible-rulebook needs Java 17 or newer (its rule engine is Drools): when
# `java -version` is missing or older, the stage installs the distribution's openjdk-17-jre-headless
# (default-jre-headless where the release has no 17) with apt-get, as root or through sudo.
source "$(dirname "$0")/lib.sh"

java_major() {
  # The major version of the java on PATH (17 for "17.0.15", 1 for "1.8.0"), or nothing.
  java -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\).*/\1/p' | head -n 1
}

ensure_java_17() {
  local major candidate
  major="$(java_major)"
  if [ -n "$major" ] && [ "$major" -ge 17 ]; then
    return 0
  fi
  log "eda: ansible-rulebook needs Java 17 or newer (found: ${major:-none}); installing it from the distribution's packages"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
  "${sudo[@]}" apt-get update -qq
  if ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq openjdk-17-jre-headless; then
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq default-jre-headless
  fi
  major="$(java_major)"
  if [ -z "$major" ] || [ "$major" -lt 17 ]; then
    # Another, older java may still come first on PATH: take the newest JVM the packages installed.
    for candidate in /usr/lib/jvm/*/bin/java; do
      if [ -x "$candidate" ] && [ "$("$candidate" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\).*/\1/p' | head -n 1)" -ge 17 ] 2>/dev/null; then
        JAVA_HOME="$(dirname "$(dirname "$candidate")")"
        export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
      fi
    done
  fi
  major="$(java_major)"
  [ -n "$major" ] && [ "$major" -ge 17 ] || { log "eda: no Java 17 or newer after the install"; return 1; }
}

ensure_java_17
log "eda: $(java -version 2>&1 | head -n 1)"
EDA_VENV="$REPO/.venvs/eda"
ensure_venv "$EDA_VENV" "$REPO/tests/requirements/eda.txt"

# ansible-rulebook finds the collection with ansible-galaxy (ANSIBLE_COLLECTIONS_PATH), and its actions run
# ansible-playbook: both from the eda venv, first on PATH. Nothing WEBEX_* leaks in from the caller.
unset WEBEX_ACCESS_TOKEN WEBEX_API_URL WEBEX_CA_PATH WEBEX_VALIDATE_CERTS
PATH="$EDA_VENV/bin:$PATH" \
PYTHONPATH="$COLLECTION_DIR/tests/simulator" \
ANSIBLE_COLLECTIONS_PATH="$TEST_TREE" \
  "$EDA_VENV/bin/python" -m pytest -p no:cacheprovider -q --junitxml="$OUTPUT_DIR/junit/eda.xml" tests/eda_tests
