#!/usr/bin/env bash
# The Debian packages, tested as council IT would use them:
#
#   scripts/package-test.sh [BUILD_DIR]      (default: build)
#
# 1. builds the six .deb files with CPack from BUILD_DIR (already configured;
#    the binaries are built first if they are not yet);
# 2. checks `cmake --install` into a temporary prefix and runs
#    `systemd-analyze verify` on those units;
# 3. installs the packages with `dpkg -i`, checks the installed layout, the
#    council user and state directory, the packages' library dependencies and
#    `systemd-analyze verify` on the installed units;
# 4. starts relations-service from /usr/sbin as the council user with the
#    installed flags file, a freshly generated internal key and a temporary
#    database under /var/lib/council, checks that it serves TLS with the
#    certificate the postinst made and requires a client certificate, checks
#    its gRPC health with the installed council-health, backs it up with the installed council-backup,
#    and stops it (SIGTERM);
# 5. removes and purges the packages, and removes the council user if this
#    test created it, leaving the machine as it found it.
#
# Needs root (dpkg -i): otherwise it says so and exits 0. Prints
# "package test: passed" at the end. Every step is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${1:-build}
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac

say() { echo "package test: $*"; }
die() { echo "package test: FAILED: $*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  say "skipped (installing packages needs root; run as root, as CI does)"
  exit 0
fi
if ! command -v dpkg >/dev/null 2>&1; then
  say "skipped (no dpkg: not a Debian system)"
  exit 0
fi
[ -f "$BUILD/CPackConfig.cmake" ] || die "$BUILD is not a configured build directory (run scripts/build.sh first)"

PACKAGES=(council-relations council-access council-complaints council-gateway council-tools council-common-data)
for p in "${PACKAGES[@]}"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "installed"; then
    say "skipped ($p is already installed on this machine; this test installs and removes the packages, so it leaves a machine that uses them alone)"
    exit 0
  fi
done

# What the machine looked like, so cleanup restores exactly that.
USER_EXISTED=no; getent passwd council >/dev/null && USER_EXISTED=yes
GROUP_EXISTED=no; getent group council >/dev/null && GROUP_EXISTED=yes
STATE_EXISTED=no; [ -e /var/lib/council ] && STATE_EXISTED=yes
ETC_EXISTED=no; [ -e /etc/council ] && ETC_EXISTED=yes
LOG_EXISTED=no; [ -e /var/log/council ] && LOG_EXISTED=yes

WORK=$(mktemp -d /tmp/council-package-test.XXXXXX)
SERVICE_PID=""
RUNDIR=""
cleanup() {
  local rc=$?
  set +e
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -KILL "$SERVICE_PID" 2>/dev/null; wait "$SERVICE_PID" 2>/dev/null
  fi
  [ -n "$RUNDIR" ] && rm -rf "$RUNDIR"
  installed=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -qv "not-installed" && installed+=("$p")
  done
  if [ ${#installed[@]} -gt 0 ]; then
    timeout 120 dpkg --purge "${installed[@]}" >"$WORK/purge-cleanup.log" 2>&1 ||
      { echo "package test: could not purge ${installed[*]}:" >&2; cat "$WORK/purge-cleanup.log" >&2; }
  fi
  if [ "$USER_EXISTED" = no ] && getent passwd council >/dev/null; then userdel council; fi
  if [ "$GROUP_EXISTED" = no ] && getent group council >/dev/null; then groupdel council; fi
  [ "$STATE_EXISTED" = no ] && [ -d /var/lib/council ] && rmdir /var/lib/council/* /var/lib/council 2>/dev/null
  # A purge keeps the audit keys and checkpoints, as it keeps databases (they
  # are needed to verify them): removed here only if this test made them.
  [ "$ETC_EXISTED" = no ] && rm -rf /etc/council/audit /etc/council/tls
  [ "$LOG_EXISTED" = no ] && rm -rf /var/log/council
  [ "$ETC_EXISTED" = no ] && [ -d /etc/council ] && rmdir /etc/council/* /etc/council 2>/dev/null
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT

# --- 1. build the packages ----------------------------------------------------
BINARIES=(relations-service access-service complaints-service gateway councilctl council-backup council-health)
say "building ${BINARIES[*]} in $BUILD (no-op when up to date)"
timeout 1800 cmake --build "$BUILD" -j"${COUNCIL_JOBS:-2}" --target "${BINARIES[@]}" >"$WORK/build.log" 2>&1 ||
  { tail -30 "$WORK/build.log" >&2; die "build failed"; }
OUT="$WORK/debs"
say "cpack -G DEB"
timeout 900 cpack --config "$BUILD/CPackConfig.cmake" -G DEB -B "$WORK/cpack" \
  -D CPACK_OUTPUT_FILE_PREFIX="$OUT" >"$WORK/cpack.log" 2>&1 ||
  { tail -30 "$WORK/cpack.log" >&2; die "cpack failed"; }
DEBS=()
for p in "${PACKAGES[@]}"; do
  deb=$(find "$OUT" -maxdepth 1 -name "${p}_*.deb" | head -1)
  [ -n "$deb" ] || die "cpack made no $p package (see $BUILD and the cpack output above)"
  DEBS+=("$deb")
  echo "  $(basename "$deb")  $(du -k "$deb" | cut -f1) KiB"
done

# --- 2. cmake --install into a prefix; systemd-analyze verify on those units ------
PREFIX="$WORK/prefix"
timeout 300 cmake --install "$BUILD" --prefix "$PREFIX" >"$WORK/install.log" 2>&1 ||
  { tail -20 "$WORK/install.log" >&2; die "cmake --install failed"; }
for f in sbin/relations-service sbin/access-service sbin/complaints-service sbin/gateway \
         bin/councilctl bin/council-backup bin/council-health \
         etc/council/relations/relations.flags etc/council/access/access.flags \
         etc/council/complaints/complaints.flags etc/council/gateway/gateway.flags \
         lib/systemd/system/council-relations.service lib/systemd/system/council-access.service \
         lib/systemd/system/council-complaints.service lib/systemd/system/council-gateway.service \
         share/council/gateway-policy.textproto share/doc/council-common-data/operations.md; do
  [ -e "$PREFIX/$f" ] || die "cmake --install did not install $f"
done
[ "$(ls "$PREFIX"/share/council/profiles/*.textproto | wc -l)" -eq 5 ] || die "expected 5 profiles in share/council/profiles"
grep -q "^--profile=$PREFIX/share/council/profiles/" "$PREFIX/etc/council/relations/relations.flags" ||
  die "relations.flags does not point at the installed profiles"
say "cmake --install --prefix: layout OK"
if command -v systemd-analyze >/dev/null 2>&1; then
  # verify exits 0 on warnings such as an unknown key, so any output fails too.
  (cd "$PREFIX/lib/systemd/system" &&
     timeout 60 systemd-analyze verify council-*.service) >"$WORK/verify-prefix.log" 2>&1 &&
    [ ! -s "$WORK/verify-prefix.log" ] ||
    { cat "$WORK/verify-prefix.log" >&2; die "systemd-analyze verify failed on the prefix's units"; }
  say "systemd-analyze verify (units in $PREFIX/lib/systemd/system): OK"
else
  say "systemd-analyze not installed: unit verification skipped (apt-get install systemd)"
fi

# --- 3. dpkg -i and what it installed ----------------------------------------------
say "dpkg -i ${PACKAGES[*]}"
timeout 300 dpkg -i "${DEBS[@]}" >"$WORK/dpkg-i.log" 2>&1 ||
  { cat "$WORK/dpkg-i.log" >&2; die "dpkg -i failed"; }
for f in /usr/sbin/relations-service /usr/sbin/access-service /usr/sbin/complaints-service \
         /usr/sbin/gateway /usr/bin/councilctl /usr/bin/council-backup /usr/bin/council-health \
         /etc/council/relations/relations.flags /etc/council/access/access.flags \
         /etc/council/complaints/complaints.flags /etc/council/gateway/gateway.flags \
         /lib/systemd/system/council-relations.service /lib/systemd/system/council-access.service \
         /lib/systemd/system/council-complaints.service /lib/systemd/system/council-gateway.service \
         /usr/share/council/gateway-policy.textproto /usr/share/council/profiles/southwark.textproto; do
  [ -e "$f" ] || die "$f not installed"
done
getent passwd council >/dev/null || die "postinst did not create the council user"
for s in relations access complaints gateway; do
  got=$(stat -c '%a %U:%G' "/var/lib/council/$s")
  [ "$got" = "750 council:council" ] || die "/var/lib/council/$s is $got, expected 750 council:council"
  dpkg-query -W -f='${Conffiles}\n' "council-$s" | grep -q "/etc/council/$s/$s.flags" ||
    die "/etc/council/$s/$s.flags is not a conffile of council-$s"
done
say "installed layout, council user, /var/lib/council/<service> (0750), conffiles: OK"

# Every shared library an installed binary links directly (its NEEDED entries)
# comes from a package that the binary's package depends on.
for pkg in council-relations council-access council-complaints council-gateway council-tools; do
  depends=$(dpkg-query -W -f='${Depends}' "$pkg" | tr ',' '\n' | sed 's/^ *//; s/ .*//')
  for bin in $(dpkg -L "$pkg" | grep -E '^/usr/s?bin/.'); do
    if ldd "$bin" | grep -q "not found"; then die "$bin: $(ldd "$bin" | grep 'not found')"; fi
    for so in $(readelf -d "$bin" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
      path=$(ldd "$bin" | awk -v so="$so" '$1 == so && $2 == "=>" {print $3}')
      [ -n "$path" ] || die "$bin needs $so, which ldd cannot resolve"
      owner=$(dpkg -S "$path" 2>/dev/null || dpkg -S "/usr$path" 2>/dev/null ||
              dpkg -S "$(readlink -f "$path")" 2>/dev/null || true)
      owner=$(echo "$owner" | head -1 | cut -d: -f1)
      [ -n "$owner" ] || die "$bin needs $path, which no package owns"
      echo "$depends" | grep -qxF "$owner" || die "$bin needs $so from $owner, which $pkg does not depend on"
    done
  done
done
say "library dependencies: every library the binaries link is in their packages' Depends"

# Installing again runs the maintainer scripts' upgrade path (postinst
# configure <old version>): idempotent, and an edited conffile is kept.
echo "# edited by package-test" >>/etc/council/relations/relations.flags
timeout 120 dpkg -i "${DEBS[0]}" >"$WORK/dpkg-reinstall.log" 2>&1 </dev/null ||
  { cat "$WORK/dpkg-reinstall.log" >&2; die "re-installing council-relations failed"; }
grep -q "^# edited by package-test" /etc/council/relations/relations.flags ||
  die "re-installing council-relations lost the edit to its flags file"
sed -i '/^# edited by package-test$/d' /etc/council/relations/relations.flags
say "re-install (upgrade path): maintainer scripts idempotent, edited conffile kept"

if command -v systemd-analyze >/dev/null 2>&1; then
  timeout 60 systemd-analyze verify /lib/systemd/system/council-{relations,access,complaints,gateway}.service \
    >"$WORK/verify.log" 2>&1 && [ ! -s "$WORK/verify.log" ] ||
    { cat "$WORK/verify.log" >&2; die "systemd-analyze verify failed (or warned)"; }
  say "systemd-analyze verify (installed units): OK"
fi

# --- 4. run relations-service from the installed path as council --------------------
RUNDIR=$(mktemp -d /var/lib/council/relations/package-test.XXXXXX)
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$RUNDIR/internal.key"
chmod 0600 "$RUNDIR/internal.key"
chown -R council:council "$RUNDIR"
AS_COUNCIL=(setpriv --reuid=council --regid=council --init-groups)
# The installed flags file, with the test's own key, database and a free port.
ARGS=(--flagfile=/etc/council/relations/relations.flags
      --internal_key_file="$RUNDIR/internal.key" --database="$RUNDIR/relations.db"
      --listen=127.0.0.1:0 --port_file="$RUNDIR/port" --metrics_listen=)
out=$(timeout 60 "${AS_COUNCIL[@]}" /usr/sbin/relations-service "${ARGS[@]}" --check_config 2>&1) ||
  { echo "$out" >&2; die "relations-service --check_config failed"; }
echo "  $out"
"${AS_COUNCIL[@]}" /usr/sbin/relations-service "${ARGS[@]}" >"$RUNDIR/service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 200); do
  [ -s "$RUNDIR/port" ] && break
  kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$RUNDIR/service.log" >&2; die "relations-service exited at start"; }
  sleep 0.1
done
[ -s "$RUNDIR/port" ] || { cat "$RUNDIR/service.log" >&2; die "relations-service did not listen within 20 s"; }
PORT=$(cat "$RUNDIR/port")
[ "$(ps -o user= -p "$SERVICE_PID")" = council ] || die "relations-service is not running as council"
# TLS is the packaged default: the postinst made the suite CA and the
# service's certificate, and the service requires a client certificate.
for f in ca.pem crl.pem relations.crt; do
  [ "$(stat -c '%a' "/etc/council/tls/$f")" = 644 ] || die "/etc/council/tls/$f is not 0644"
done
[ "$(stat -c '%a %U:%G' /etc/council/tls/relations.key)" = "640 root:council" ] ||
  die "/etc/council/tls/relations.key is $(stat -c '%a %U:%G' /etc/council/tls/relations.key), expected 640 root:council"
[ "$(stat -c '%a %U' /etc/council/tls/ca.key)" = "600 root" ] || die "/etc/council/tls/ca.key is not 0600 root"
if timeout 10 /usr/bin/council-health --timeout_ms=2000 "127.0.0.1:$PORT" >/dev/null 2>&1; then
  die "relations-service answered a plaintext health check: TLS is not on by default"
fi
if timeout 10 /usr/bin/council-health --timeout_ms=2000 --tls_ca_file=/etc/council/tls/ca.pem \
     "127.0.0.1:$PORT" >/dev/null 2>&1; then
  die "relations-service answered a client without a certificate"
fi
health=$(timeout 10 /usr/bin/council-health --timeout_ms=3000 --tls_ca_file=/etc/council/tls/ca.pem \
           --tls_cert_file=/etc/council/tls/relations.crt --tls_key_file=/etc/council/tls/relations.key \
           "127.0.0.1:$PORT" 2>&1) ||
  { echo "$health" >&2; cat "$RUNDIR/service.log" >&2; die "health check failed"; }
[ "$health" = SERVING ] || die "health is $health"
say "relations-service (pid $SERVICE_PID, user council, port $PORT): TLS with the packaged suite CA, client certificate required; grpc.health.v1 $health"
backup=$(timeout 60 /usr/bin/council-backup backup --database="$RUNDIR/relations.db" --out="$RUNDIR/backup.db" 2>&1) ||
  { echo "$backup" >&2; die "council-backup of the running service failed"; }
echo "$backup" | grep -q "backup OK" || die "council-backup said: $backup"
say "council-backup of the running database: OK"
kill -TERM "$SERVICE_PID"
for _ in $(seq 1 150); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$SERVICE_PID" 2>/dev/null; then die "relations-service did not stop within 15 s of SIGTERM"; fi
status=0; wait "$SERVICE_PID" || status=$?
SERVICE_PID=""
[ "$status" -eq 0 ] || { cat "$RUNDIR/service.log" >&2; die "relations-service exited with $status after SIGTERM"; }
head -1 "$RUNDIR/service.log" | grep -q '^{"time":' || die "log lines are not JSON: $(head -1 "$RUNDIR/service.log")"
grep -q '"event":"stopped"' "$RUNDIR/service.log" || die "no \"stopped\" log line"
say "stopped by SIGTERM (exit 0); logs are JSON lines"
grep -q '"event":"audit_chain_key"' "$RUNDIR/service.log" ||
  die "relations-service did not load the audit chain key the package made"
audit=$(timeout 60 /usr/bin/council-backup verify --database="$RUNDIR/relations.db" \
          --audit_key_file=/etc/council/audit/relations/chain.key \
          --checkpoints=/var/log/council/relations/audit-checkpoints \
          --checkpoint_public_key=/etc/council/audit/relations/checkpoint-public.pem 2>&1) ||
  { echo "$audit" >&2; die "council-backup verify with the packaged audit keys failed"; }
say "audit keys made by the package: loaded by the service, verify with them OK"
rm -rf "$RUNDIR"; RUNDIR=""

# --- 5. remove, purge, and nothing left -------------------------------------------
timeout 120 dpkg -r "${PACKAGES[@]}" >"$WORK/dpkg-r.log" 2>&1 || { cat "$WORK/dpkg-r.log" >&2; die "dpkg -r failed"; }
if [ -e /usr/sbin/relations-service ]; then die "dpkg -r left /usr/sbin/relations-service"; fi
# dpkg -r keeps conffiles (/etc/council/...); purge removes them.
timeout 120 dpkg --purge "${PACKAGES[@]}" >"$WORK/dpkg-purge.log" 2>&1 || { cat "$WORK/dpkg-purge.log" >&2; die "dpkg --purge failed"; }
for f in /usr/sbin/relations-service /usr/bin/council-backup /etc/council/relations \
         /lib/systemd/system/council-relations.service /usr/share/council; do
  if [ -e "$f" ]; then die "$f left behind after purge"; fi
done
if [ "$STATE_EXISTED" = no ] && [ -e /var/lib/council ]; then die "/var/lib/council left behind after purge"; fi
say "dpkg -r and --purge: nothing left behind"
say "passed"
