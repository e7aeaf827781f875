#!/usr/bin/env bash
# Creates or updates everything the assistant needs on this machine: the Rasa
# environment (Python 3.10), the backend environment (default Python), the web
# client packages and, with --browser, Chromium for the browser tests, with --cluster
# HAProxy and the PostgreSQL client for the cluster (scripts/cluster.py).
# Safe to run again: each step is skipped when its inputs have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV_DIR=${VENV_DIR:-$ROOT/.venv}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

find_python310() {
  local candidates=()
  [ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
  candidates+=(python3.10)
  if command -v pyenv >/dev/null 2>&1; then
    local prefix
    prefix=$(pyenv prefix 3.10.13 2>/dev/null || true)
    [ -n "$prefix" ] && candidates+=("$prefix/bin/python")
    for dir in "$(pyenv root)"/versions/3.10*; do [ -x "$dir/bin/python" ] && candidates+=("$dir/bin/python"); done
  fi
  candidates+=(python3.9 python3.8)
  for candidate in "${candidates[@]}"; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(not ((3, 8) <= sys.version_info[:2] <= (3, 10)))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

# Installs a requirements file into a venv unless the same file was installed before.
install_requirements() {
  local venv=$1 requirements=$2 stamp="$1/.installed-$(basename "$2")"
  if [ -f "$stamp" ] && cmp -s "$requirements" "$stamp"; then return 0; fi
  say "Installing $(basename "$requirements") into $venv (first time: several minutes)"
  "$venv/bin/python" -m pip install --disable-pip-version-check -r "$requirements" 2>&1 |
    { grep --line-buffered -E "^(Collecting|Installing|Successfully|ERROR)" || true; }
  [ "${PIPESTATUS[0]}" = 0 ] || { echo "pip install -r $requirements failed" >&2; exit 1; }
  "$venv/bin/python" -m pip check >/dev/null || { echo "pip check failed in $venv" >&2; "$venv/bin/python" -m pip check >&2; exit 1; }
  cp "$requirements" "$stamp"
}

if [ ! -x "$VENV_DIR/rasa/bin/python" ]; then
  PY310=$(find_python310) || {
    echo "Rasa 3.6 needs Python 3.10 (3.8-3.10) and none was found: install it (for example 'pyenv install 3.10.13' or your system's python3.10 package) or set PYTHON310=/path/to/python3.10." >&2
    exit 1
  }
  say "Creating the Rasa environment with $PY310"
  "$PY310" -m venv "$VENV_DIR/rasa"
fi
install_requirements "$VENV_DIR/rasa" requirements/rasa.txt

if [ ! -x "$VENV_DIR/backend/bin/python" ]; then
  say "Creating the backend environment with $(command -v python3)"
  python3 -m venv "$VENV_DIR/backend"
fi
install_requirements "$VENV_DIR/backend" backend/requirements.txt
# supervisord, which runs and restarts the stack's processes (scripts/stack.py)
install_requirements "$VENV_DIR/backend" requirements/supervisor.txt
# The browser tests (Playwright driving the system Chromium) run in the backend's Python.
[ -f requirements/browser-tests.txt ] && install_requirements "$VENV_DIR/backend" requirements/browser-tests.txt
[ -f requirements/api-fuzz.txt ] && install_requirements "$VENV_DIR/backend" requirements/api-fuzz.txt

if [ -f web/package-lock.json ]; then
  if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules ]; then
    say "Installing the web client packages (npm ci)"
    (cd web && npm ci --no-audit --no-fund)
    touch web/node_modules
  fi
fi

# System packages: --browser for the browser tests, --cluster for the cluster's balancer.
SYSTEM_PACKAGES=""
for flag in "$@"; do
  case $flag in
    --browser) SYSTEM_PACKAGES="$SYSTEM_PACKAGES chromium chromium-driver fonts-wqy-zenhei" ;;
    --cluster) SYSTEM_PACKAGES="$SYSTEM_PACKAGES haproxy postgresql-client" ;;
    *) echo "unknown option $flag (known: --browser --cluster)" >&2; exit 2 ;;
  esac
done
if [ -n "$SYSTEM_PACKAGES" ] && ! dpkg -s $SYSTEM_PACKAGES >/dev/null 2>&1; then
  say "Installing system packages:$SYSTEM_PACKAGES"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q && $SUDO apt-get install -y -q $SYSTEM_PACKAGES
fi

# Random local secrets, one per install; a missing one is added to an existing file.
# var/ holds databases, uploads, logs and these secrets: the owner's only.
(umask 077; mkdir -p var; touch var/secrets.env)
chmod 700 var && chmod 600 var/secrets.env
for name in SERVICE_TOKEN RASA_API_TOKEN ACTION_SERVER_TOKEN SOCKET_SECRET DEMO_AGENT_PASSWORD \
    DEMO_REVIEWER_PASSWORD DEMO_OPERATIONS_PASSWORD; do
  if ! grep -qs "^$name=" var/secrets.env; then
    say "Generating $name in var/secrets.env"
    echo "$name=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')" >> var/secrets.env
  fi
done
