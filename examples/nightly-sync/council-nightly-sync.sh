#!/usr/bin/env bash
# Nightly sync from the HR and records systems into the council suite.
#
# Idempotent: the imports are upserts keyed by the source systems' own ids, so
# re-running the same exports changes nothing, and each run reports what
# changed (created / updated / unchanged). Any invalid row stops that import
# before anything is written, and the script exits non-zero so the timer's
# failure is visible (systemctl status, journal, or cron mail).
#
# Configuration (environment, e.g. from /etc/council/nightly-sync.env):
#   COUNCIL_GATEWAY     host:port of the gateway
#   COUNCIL_TOKEN_FILE  file holding the integration's bearer token
#                       (an HR-integration / records-integration service account)
#   HR_EXPORT_DIR       directory with people.csv, posts.csv, ... (demo/README.md)
#   RECORDS_EXPORT      the records system's documents CSV
#   COUNCILCTL          path to councilctl (default: councilctl on PATH)
set -euo pipefail
: "${COUNCIL_GATEWAY:?set COUNCIL_GATEWAY}"
: "${COUNCIL_TOKEN_FILE:?set COUNCIL_TOKEN_FILE}"
CTL=${COUNCILCTL:-councilctl}
common=(--gateway="$COUNCIL_GATEWAY" --token-file="$COUNCIL_TOKEN_FILE" --json)
status=0
report() {  # what, json
  local created updated unchanged
  created=$(grep -o '"createdCount": *[0-9]*' <<<"$2" | grep -o '[0-9]*$' || true)
  updated=$(grep -o '"updatedCount": *[0-9]*' <<<"$2" | grep -o '[0-9]*$' || true)
  unchanged=$(grep -o '"unchangedCount": *[0-9]*' <<<"$2" | grep -o '[0-9]*$' || true)
  echo "nightly-sync: $1: created ${created:-0}, updated ${updated:-0}, unchanged ${unchanged:-0}"
}
if [ -n "${HR_EXPORT_DIR:-}" ]; then
  if out=$("$CTL" "${common[@]}" import directory "$HR_EXPORT_DIR"); then
    report "directory" "$out"
  else
    # With --json, councilctl's error is a JSON object on stdout: keep it in the journal.
    [ -z "$out" ] || printf '%s\n' "$out" >&2
    echo "nightly-sync: directory import failed; nothing written" >&2
    status=1
  fi
fi
if [ -n "${RECORDS_EXPORT:-}" ]; then
  if out=$("$CTL" "${common[@]}" import documents "$RECORDS_EXPORT"); then
    report "documents" "$out"
  else
    # With --json, councilctl's error is a JSON object on stdout: keep it in the journal.
    [ -z "$out" ] || printf '%s\n' "$out" >&2
    echo "nightly-sync: documents import failed; nothing written" >&2
    status=1
  fi
fi
exit $status
