#!/usr/bin/env bash
# Stops the suite started by setup-and-start.sh (SIGTERM: in-flight calls finish).
cd "$(dirname "$0")/.."
# COUNCIL_STATE_DIR: as given to setup-and-start.sh.
for f in "${COUNCIL_STATE_DIR:-.council}"/run/*.pid; do
  [ -f "$f" ] || continue
  kill -TERM "$(cat "$f")" 2>/dev/null && echo "stopped $(basename "$f" .pid)"
  rm -f "$f"
done
