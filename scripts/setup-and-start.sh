#!/usr/bin/env bash
# Command 1 of README.md: installs what is missing, builds, and starts the
# whole suite on the demo council (Borough of Eastmere) — gateway,
# access-service, complaints-service and relations-service, each its own
# process with its own SQLite file — loads the demo data through the gateway
# and prints how to call it.
#
#   scripts/setup-and-start.sh [--profile=NAME]   (default southwark; see profiles/)
#   scripts/stop.sh                                stops it again
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PROFILE=southwark
for arg in "$@"; do
  case "$arg" in
    --profile=*) PROFILE="${arg#--profile=}" ;;
    *) echo "unknown argument $arg" >&2; exit 64 ;;
  esac
done
PROFILE_FILE="$ROOT/profiles/$PROFILE.textproto"
[ -f "$PROFILE_FILE" ] || { echo "no profile $PROFILE_FILE" >&2; exit 64; }

# COUNCIL_SKIP_BUILD=1 restarts what is already built (for developers).
if [ -z "${COUNCIL_SKIP_BUILD:-}" ]; then
  scripts/install-deps.sh
  scripts/build.sh relations-service access-service complaints-service gateway councilctl \
    council-backup
fi

# COUNCIL_STATE_DIR puts keys, databases, logs and pids elsewhere (the
# end-to-end test of this script uses a fresh one; scripts/stop.sh takes it too).
STATE="${COUNCIL_STATE_DIR:-$ROOT/.council}"
DEV="$STATE/dev"; DATA="$STATE/data"; LOGS="$STATE/logs"; RUN="$STATE/run"
mkdir -p "$DEV" "$DATA" "$LOGS" "$RUN"
scripts/stop.sh >/dev/null 2>&1 || true
# COUNCIL_BUILD_DIR: binaries from another build (the sanitizer build's test run).
BUILD="${COUNCIL_BUILD_DIR:-$ROOT/build}"
CTL="$BUILD/tools/councilctl"
[ -f "$DEV/internal.key" ] || "$CTL" dev-keys --out="$DEV"
# Audit keys (docs/operations.md, "Audit keys"): one set for the whole dev
# suite; each service appends its signed checkpoints to its own file.
[ -f "$DEV/audit/chain.key" ] ||
  "$BUILD/tools/council-backup/council-backup" audit-keys --out_dir="$DEV/audit" >/dev/null
# TLS between services (docs/operations.md, "TLS between services"): a
# development CA, a certificate per service and an empty CRL (made once);
# every service serves TLS and requires a client certificate of that CA, and
# the gateway and access and complaints present theirs when they call. The
# gateway's own port stays plaintext on loopback for councilctl.
TLS="$DEV/tls"
scripts/make-dev-certs.sh "$TLS" >/dev/null
tls_flags() {  # service: sets TLS_FLAGS to its TLS flags
  TLS_FLAGS=(--tls_cert_file="$TLS/$1.crt" --tls_key_file="$TLS/$1.key"
             --tls_client_ca_file="$TLS/ca.pem" --tls_client_crl_file="$TLS/crl.pem"
             --internal_tls_ca_file="$TLS/ca.pem")
}
audit_flags() {  # service: sets AUDIT to its audit flags
  AUDIT=(--audit_key_file="$DEV/audit/chain.key"
         --audit_checkpoint_key_file="$DEV/audit/checkpoint-private.pem"
         --audit_checkpoint_file="$LOGS/$1.audit-checkpoints")
}

RELATIONS_PORT=${RELATIONS_PORT:-7101}
ACCESS_PORT=${ACCESS_PORT:-7102}
COMPLAINTS_PORT=${COMPLAINTS_PORT:-7103}
GATEWAY_PORT=${GATEWAY_PORT:-7443}

start() {  # name, args...
  local name=$1; shift
  nohup "$BUILD/$name/$name" "$@" >>"$LOGS/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
}
wait_port() {  # name, port
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$1 did not start; see $LOGS/$1.log" >&2
  tail -5 "$LOGS/$1.log" >&2
  exit 1
}

audit_flags relations-service
tls_flags relations-service
start relations-service --listen="127.0.0.1:$RELATIONS_PORT" --database="$DATA/relations.db" \
  --profile="$PROFILE_FILE" --internal_key_file="$DEV/internal.key" \
  --bootstrap_administrator=it-admin "${AUDIT[@]}" "${TLS_FLAGS[@]}"
wait_port relations-service "$RELATIONS_PORT"
for svc in access complaints; do
  port_var="${svc^^}_PORT"
  audit_flags "$svc-service"
  tls_flags "$svc-service"
  start "$svc-service" --listen="127.0.0.1:${!port_var}" --database="$DATA/$svc.db" \
    --profile="$PROFILE_FILE" --internal_key_file="$DEV/internal.key" \
    --relations_address="127.0.0.1:$RELATIONS_PORT" "${AUDIT[@]}" "${TLS_FLAGS[@]}"
  wait_port "$svc-service" "${!port_var}"
done
# The gateway's folder is gateway/, its binary gateway.
audit_flags gateway
nohup "$BUILD/gateway/gateway" --listen="127.0.0.1:$GATEWAY_PORT" \
  --database="$DATA/gateway.db" --policy_file="$ROOT/config/gateway-policy.textproto" \
  --jwks_file="$DEV/jwks.json" --jwt_issuer=council-dev --jwt_audience=council-suite \
  --internal_key_file="$DEV/internal.key" --relations_address="127.0.0.1:$RELATIONS_PORT" \
  --access_address="127.0.0.1:$ACCESS_PORT" --complaints_address="127.0.0.1:$COMPLAINTS_PORT" \
  --internal_tls_ca_file="$TLS/ca.pem" --internal_tls_cert_file="$TLS/gateway.crt" \
  --internal_tls_key_file="$TLS/gateway.key" \
  "${AUDIT[@]}" >>"$LOGS/gateway.log" 2>&1 &
echo $! >"$RUN/gateway.pid"
wait_port gateway "$GATEWAY_PORT"

export COUNCIL_GATEWAY="127.0.0.1:$GATEWAY_PORT"
ADMIN_TOKEN=$("$CTL" token --person=people/it-admin --key="$DEV/jwt-private.pem")
# Each shipped profile has its own declarations: relationships declared to the
# officer its protocol names (demo/README.md, "Profiles"); a council's own
# profile gets the default ones.
DECLARATIONS="demo/council/declarations/$PROFILE"
[ -d "$DECLARATIONS" ] || DECLARATIONS=demo/council
echo "Loading the demo council (demo/council/*.csv, declarations from $DECLARATIONS) ..."
"$CTL" --token="$ADMIN_TOKEN" import directory demo/council
"$CTL" --token="$ADMIN_TOKEN" import declarations "$DECLARATIONS"
"$CTL" --token="$ADMIN_TOKEN" import documents demo/council/documents.csv

MEMBER=people/cllr-imran-ahmed
TOKEN=$("$CTL" token --person=$MEMBER --key="$DEV/jwt-private.pem")
cat <<MSG

The suite is running on the demo council with the "$PROFILE" profile:
  gateway            127.0.0.1:$GATEWAY_PORT   (the only door; logs in $LOGS)
  relations-service  127.0.0.1:$RELATIONS_PORT
  access-service     127.0.0.1:$ACCESS_PORT
  complaints-service 127.0.0.1:$COMPLAINTS_PORT
  (between them: TLS with client certificates from the development CA in $TLS;
   scripts/make-dev-certs.sh $TLS --renew NAME, then kill -HUP, rotates one)

A token for $MEMBER (a Planning Committee member) is in COUNCIL_TOKEN below. Try:

  export COUNCIL_GATEWAY=127.0.0.1:$GATEWAY_PORT
  export COUNCIL_TOKEN=$TOKEN
  build/tools/councilctl people get $MEMBER
  build/tools/councilctl access request --document=documents/rec-000010 --capacity=body-member
  build/tools/councilctl complaints create --kind=member-about-officer --subject=people/off-jennifer-hayes --summary="Late reply"

Tokens for anyone else: build/tools/councilctl token --person=people/<id> --key=$DEV/jwt-private.pem
Stop everything: scripts/stop.sh
MSG
