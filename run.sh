#!/usr/bin/env bash
# One entry point for newcomers and CI:
#   ./run.sh serve   set up a virtualenv, build the embedded dataset, serve it on 127.0.0.1:8001
#   ./run.sh test    set up the virtualenv and run the whole offline test suite
#   ./run.sh <lawtracker subcommand> [...]   e.g. ./run.sh check, ./run.sh crawl --list
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}

setup() {
  # Reinstall only when the declared dependencies change.
  local stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
  if [ ! -f "$stamp" ]; then
    [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[test]'
    rm -f .venv/.installed-*
    touch "$stamp"
  fi
}

cmd=${1:-serve}
[ $# -gt 0 ] && shift
setup
case "$cmd" in
  test) exec .venv/bin/python -m pytest "$@" ;;
  *) exec .venv/bin/lawtracker "$cmd" "$@" ;;
esac
