#!/usr/bin/env bash
# The GitHub Action's cache of .flowops/cache between runs (action.yml, input `cache`): where it is,
# the key it is saved under, and whether a run changed it. Called by action.yml's steps, from the
# working directory, with what GitHub gives every step (RUNNER_OS, RUNNER_TEMP, GITHUB_OUTPUT,
# GITHUB_WORKSPACE, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, GITHUB_ACTION_PATH) and:
#   FLOWOPS_CONFIG       the config input (empty: ./flowops.yaml)
#   FLOWOPS_ENVIRONMENT  the environment input (empty: flowops.yaml's defaultEnvironment)
#
#   locate   outputs dir (the project's .flowops/cache), prefix (of every key this project, this
#            environment and this build of flowops save under), and restore: true the first time in a
#            job, false after (a second use of the action in the same job, such as apply after plan,
#            keeps what the first one left rather than restoring an older copy over it)
#   state    outputs hash (of the cache's content, .flowops/cache/files left out: those stamps are
#            of this machine's files and never match on another) and key (a new one, to save under)
#
# Keys: flowops-cache-v1-<os>-<flowops build>-<project>-<environment>-<run>-<attempt>-<nonce>. The
# build is a hash of flowops' package files and built program, so another flowops never reads this
# one's cache (its entries are keyed by what they depend on anyway: this is a second guard).
set -euo pipefail

sha() { sha256sum | cut -c1-16; }

project_dir() {
  local config="${FLOWOPS_CONFIG:-flowops.yaml}"
  (cd "$(dirname "$config")" && pwd -P)
}

case "${1:-}" in
  locate)
    project="$(project_dir)"
    dir="$project/.flowops/cache"
    build="$(cd "$GITHUB_ACTION_PATH" && find package.json package-lock.json dist -type f \( -name '*.js' -o -name '*.json' \) -print0 |
      LC_ALL=C sort -z | xargs -0 cat | sha)"
    where="$(printf '%s' "${project#"${GITHUB_WORKSPACE:-}"}" | sha)"
    environment="$(printf '%s' "${FLOWOPS_ENVIRONMENT:-default}" | tr -c 'A-Za-z0-9._' '_')"
    marker="$RUNNER_TEMP/flowops-cache-$(printf '%s' "$dir" | sha)"
    restore=true
    if [ -e "$marker" ]; then restore=false; else : > "$marker"; fi
    {
      echo "dir=$dir"
      echo "prefix=flowops-cache-v1-${RUNNER_OS:-unknown}-$build-$where-$environment-"
      echo "restore=$restore"
    } >> "$GITHUB_OUTPUT"
    ;;
  state)
    dir="$(project_dir)/.flowops/cache"
    hash=none
    if [ -d "$dir" ]; then
      hash="$(cd "$dir" && find . -path ./files -prune -o -type f -print0 | LC_ALL=C sort -z |
        xargs -0 -r sha256sum | sha)"
    fi
    {
      echo "hash=$hash"
      echo "key=${GITHUB_RUN_ID:-0}-${GITHUB_RUN_ATTEMPT:-1}-$(date +%s%N)"
    } >> "$GITHUB_OUTPUT"
    ;;
  *)
    echo "usage: action-cache.sh locate|state" >&2
    exit 2
    ;;
esac
