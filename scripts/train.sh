#!/usr/bin/env bash
# Trains the Rasa model unless one was already trained from exactly these inputs.
# The model is named by a hash of config, domain, training data and custom
# components; models/current names the model to serve and test.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA="${VENV_DIR:-.venv}/rasa/bin/rasa"
export RASA_TELEMETRY_ENABLED=false

HASH=$(find config.yml domain.yml data components -type f \( -name '*.yml' -o -name '*.py' -o -name '*.txt' -o -name jieba_userdict \) \
        -not -path '*/__pycache__/*' | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
MODEL="model-$HASH.tar.gz"
mkdir -p models
if [ -f "models/$MODEL" ]; then
  echo "Model models/$MODEL is up to date."
else
  echo "Training models/$MODEL (about 2-3 minutes on 2 cores)…"
  START=$(date +%s)
  "$RASA" train --config config.yml --domain domain.yml --data data --out models \
    --fixed-model-name "model-$HASH" || true
  [ -f "models/$MODEL" ] || { echo "Training failed." >&2; exit 1; }
  echo "Trained in $(( $(date +%s) - START )) s."
fi
echo "$MODEL" > models/current
