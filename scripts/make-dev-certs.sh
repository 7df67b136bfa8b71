#!/usr/bin/env bash
# Certificates for TLS between the suite's services: a local CA, one
# certificate per service, and the CA's CRL. The demo (setup-and-start.sh)
# and the tests use it, and the packages make their first suite CA and
# certificates with it (installed as /usr/share/council/make-dev-certs.sh);
# a council replaces them with its own PKI (docs/operations.md, "TLS between
# services").
#
#   scripts/make-dev-certs.sh DIR [NAME...]   makes DIR/ca.pem (and ca.key, the
#        CA's database and an empty DIR/crl.pem) unless present, and for each
#        NAME (default: gateway relations-service access-service
#        complaints-service) without DIR/NAME.crt a key DIR/NAME.key and a
#        certificate DIR/NAME.crt, valid for 825 days as server and client
#        (extendedKeyUsage serverAuth, clientAuth), subjectAltName
#        DNS:localhost, IP:127.0.0.1, DNS:NAME, and the entries in
#        $COUNCIL_CERT_SANS if set (e.g. "DNS:relations.example.gov.uk,IP:10.0.0.5").
#   scripts/make-dev-certs.sh DIR --renew NAME   replaces NAME's key and
#        certificate (a new serial; send the service SIGHUP to use them).
#   scripts/make-dev-certs.sh DIR --revoke FILE  revokes the certificate in
#        FILE and rewrites DIR/crl.pem (send SIGHUP to the services that take
#        it as --tls_client_crl_file).
#
# Files are replaced by rename, so a service reloading never reads half of
# one; keys are mode 0600, DIR 0700. Needs the openssl command.
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,23p' "$0" >&2; exit 64; }
DIR=$1; shift
mkdir -p "$DIR"; chmod 700 "$DIR"
DIR=$(cd "$DIR" && pwd)
CNF="$DIR/openssl-ca.cnf"

if [ ! -f "$DIR/ca.pem" ]; then
  mkdir -p "$DIR/issued"
  : >"$DIR/index.txt"
  openssl rand -hex 16 >"$DIR/serial"
  echo 1000 >"$DIR/crlnumber"
  cat >"$CNF" <<CNF
[ ca ]
default_ca = dev_ca
[ dev_ca ]
dir = $DIR
database = \$dir/index.txt
new_certs_dir = \$dir/issued
certificate = \$dir/ca.pem
private_key = \$dir/ca.key
serial = \$dir/serial
crlnumber = \$dir/crlnumber
default_md = sha256
default_days = 825
default_crl_days = 30
policy = any_name
unique_subject = no
copy_extensions = none
crl_extensions = crl_ext
[ any_name ]
organizationName = optional
commonName = supplied
[ req ]
distinguished_name = req_name
prompt = no
[ req_name ]
O = Council suite development
[ ca_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ crl_ext ]
authorityKeyIdentifier = keyid:always
CNF
  (umask 077; openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
     -out "$DIR/ca.key" 2>/dev/null)
  openssl req -new -x509 -config "$CNF" -key "$DIR/ca.key" -days 3650 -sha256 \
    -subj "/O=Council suite development/CN=Council suite development CA" \
    -extensions ca_ext -out "$DIR/ca.pem.tmp"
  mv "$DIR/ca.pem.tmp" "$DIR/ca.pem"
fi

write_crl() {
  openssl ca -batch -config "$CNF" -gencrl -out "$DIR/crl.pem.tmp" 2>/dev/null
  mv "$DIR/crl.pem.tmp" "$DIR/crl.pem"
}

issue() {  # name: a new key and certificate for it
  local name=$1 ext="$DIR/$1.ext"
  cat >"$ext" <<EXT
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = DNS:localhost,IP:127.0.0.1,DNS:$name${COUNCIL_CERT_SANS:+,$COUNCIL_CERT_SANS}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EXT
  (umask 077; openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
     -out "$DIR/$name.key.tmp" 2>/dev/null)
  openssl req -new -config "$CNF" -key "$DIR/$name.key.tmp" \
    -subj "/O=Council suite development/CN=$name" -out "$DIR/$name.csr"
  openssl ca -batch -config "$CNF" -extfile "$ext" -notext -in "$DIR/$name.csr" \
    -out "$DIR/$name.crt.tmp" 2>/dev/null
  rm -f "$DIR/$name.csr" "$ext"
  # The key first: a reload between the two renames fails its key-matches-
  # certificate check and keeps the old pair rather than mixing them.
  mv "$DIR/$name.key.tmp" "$DIR/$name.key"
  mv "$DIR/$name.crt.tmp" "$DIR/$name.crt"
}

case "${1:-}" in
  --renew)
    [ $# -eq 2 ] || { echo "usage: $0 DIR --renew NAME" >&2; exit 64; }
    issue "$2" ;;
  --revoke)
    [ $# -eq 2 ] || { echo "usage: $0 DIR --revoke CERT_FILE" >&2; exit 64; }
    openssl ca -batch -config "$CNF" -revoke "$2" 2>/dev/null
    write_crl ;;
  *)
    [ $# -gt 0 ] || set -- gateway relations-service access-service complaints-service
    for name in "$@"; do
      [ -f "$DIR/$name.crt" ] || issue "$name"
    done ;;
esac
[ -f "$DIR/crl.pem" ] || write_crl
