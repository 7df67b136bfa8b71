#!/usr/bin/env bash
# Stops the suite started by setup-and-start.sh (SIGTERM: in-flight calls finish).
cd "$(dirname "$0")/.."
for f in .council/run/*.pid; do
  [ -f "$f" ] || continue
  kill -TERM "$(cat "$f")" 2>/dev/null && echo "stopped $(basename "$f" .pid)"
  rm -f "$f"
done
