#!/usr/bin/env bash
# Deploy one commit of the releases' bare repository: build, verify, publish atomically.
# A thin shell: everything happens in `python -m deploy deploy`.
set -euo pipefail

usage() {
  cat >&2 <<'USAGE'
usage: deploy/deploy.sh [--ref REF] [--trigger manual|push] [--] COMMIT

Builds COMMIT (a hash, branch or tag of releases/repo.git), verifies the site and
switches releases/current to it in one step. The releases directory is $RELEASES_DIR,
else releases/ beside the project checkout. The interpreter is $DEPLOY_PYTHON, else the
checkout's .venv/bin/python, else python3.
USAGE
}

if [[ $# -eq 0 ]]; then
  usage
  exit 2
fi
if [[ "$1" == "-h" || "$1" == "--help" ]]; then
  usage
  exit 0
fi

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
project_root="$(dirname -- "$script_dir")"
releases_dir="${RELEASES_DIR:-$project_root/releases}"
python="${DEPLOY_PYTHON:-}"
if [[ -z "$python" ]]; then
  if [[ -x "$project_root/.venv/bin/python" ]]; then
    python="$project_root/.venv/bin/python"
  else
    python="python3"
  fi
fi

export PYTHONPATH="$project_root${PYTHONPATH:+:$PYTHONPATH}"
exec "$python" -P -m deploy deploy --releases "$releases_dir" "$@"
