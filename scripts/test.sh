#!/usr/bin/env bash
# Every test of the project: setup, training (cached), backend tests on SQLite and
# PostgreSQL, data validation, dialogue and NLU regression with `rasa test`, action
# tests against a real backend, end-to-end tests over the running stack, cluster tests,
# browser tests. Runs every step, then exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false
VENV_DIR=${VENV_DIR:-.venv}
RASA="$VENV_DIR/rasa/bin/rasa"
RESULTS=results
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

bash scripts/setup.sh --browser --cluster || exit 1
bash scripts/train.sh || exit 1
MODEL="models/$(cat models/current)"

FAILED=()
step() {
  local name=$1; shift
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  if "$@"; then echo "--- $name: ok"; else echo "--- $name: FAILED"; FAILED+=("$name"); fi
}

step "backend tests (SQLite and PostgreSQL)" \
  bash -c "cd backend && ../$VENV_DIR/backend/bin/python -m pytest -q -rs --junitxml=../$RESULTS/junit-backend.xml"
step "rasa data validate" "$RASA" data validate --data data
# --e2e: the stories' user lines go through the NLU as well (without it the intents and
# entities written in the stories are taken as given and never checked).
step "rasa test: end-to-end test stories" \
  "$RASA" test core --e2e --model "$MODEL" --stories tests/stories --out "$RESULTS/core" --fail-on-prediction-errors
step "rasa test: held-out NLU" \
  "$RASA" test nlu --model "$MODEL" --nlu tests/nlu/test_nlu.yml --out "$RESULTS/nlu"
step "NLU targets" "$VENV_DIR/rasa/bin/python" scripts/nlu_report.py "$RESULTS/nlu"
# Written blind (from DESIGN.md only, never from data/nlu), held to the same targets.
step "rasa test: blind NLU set" \
  "$RASA" test nlu --model "$MODEL" --nlu tests/nlu_blind/test_nlu_blind.yml --out "$RESULTS/nlu_blind"
step "NLU targets on the blind set" "$VENV_DIR/rasa/bin/python" scripts/nlu_report.py "$RESULTS/nlu_blind"
# 5-fold cross-validation of the NLU pipeline (config.yml) on the training data (data/nlu),
# reported against the held-out targets (intent macro-F1 and product F1 >= 0.95) without
# failing the run until it meets them (README "Measured"). Each fold trains a full NLU
# model: about 12 minutes on the 2-core machine.
CV_START=$SECONDS
step "rasa test: NLU 5-fold cross-validation" \
  "$RASA" test nlu --nlu data/nlu --config config.yml --cross-validation --folds 5 --out "$RESULTS/nlu_cv"
echo "NLU cross-validation took $(( SECONDS - CV_START )) s."
step "NLU figures (cross-validation)" "$VENV_DIR/rasa/bin/python" scripts/nlu_report.py "$RESULTS/nlu_cv" --report-only
step "component and action tests (real backend)" \
  "$VENV_DIR/rasa/bin/python" -m pytest -q tests/components tests/actions --junitxml="$RESULTS/junit-actions.xml"
# One stack for both (tests/conftest.py); the hostile suite's process faults run last.
step "end-to-end and hostile tests (running stack)" \
  "$VENV_DIR/backend/bin/python" -m pytest -q tests/e2e tests/security --junitxml="$RESULTS/junit-e2e.xml"
# 2 replicas of each tier behind HAProxy on PostgreSQL and Redis (scripts/cluster.py), and
# the deployment files (Compose, Kubernetes) that describe the same topology.
step "cluster and deployment tests" \
  "$VENV_DIR/backend/bin/python" -m pytest -q tests/cluster tests/deploy --junitxml="$RESULTS/junit-cluster.xml"
if [ -d tests/browser ]; then
  step "browser tests (headless Chromium)" \
    "$VENV_DIR/backend/bin/python" -m pytest -q tests/browser --junitxml="$RESULTS/junit-browser.xml"
fi

python3 scripts/summarize_results.py "$RESULTS" || FAILED+=("no test ran")
if [ ${#FAILED[@]} -gt 0 ]; then
  echo "Failed steps: ${FAILED[*]}"
  exit 1
fi
