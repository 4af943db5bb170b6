#!/usr/bin/env bash
# Rebuilds the committed seed corpora (fuzz/corpus): Tessera's own handshakes (Tessera.Fuzz --make-seeds), plus real
# peers' bytes — ClientHellos from OpenSSL, GnuTLS, curl and Chromium for the server target, and OpenSSL's and
# GnuTLS's answers (TLS 1.3 and 1.2 flights) to the fuzz client's ClientHello for the client target; and a CRL and
# OCSP responses issued by OpenSSL for the fuzz chain, for the revocation and PEM targets.
# Needs openssl, gnutls-bin, curl, chromium, python3. Usage: fuzz/record-seeds.sh (after fuzz/build.sh)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
fuzz=(dotnet "$here/out/Tessera.Fuzz.dll")
corpus="$here/corpus"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -- "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

rm -rf "$corpus"
"${fuzz[@]}" --make-seeds "$corpus"

# OpenSSL as the fuzz root's CA: a CRL and an OCSP response with the fuzz server certificate revoked, and with it good.
ca="$work/ca"
"${fuzz[@]}" --credential-pem "$ca"
serial="$(openssl x509 -in "$ca/server.pem" -noout -serial | cut -d= -f2)"
expiry="$(date -u -d "$(openssl x509 -in "$ca/server.pem" -noout -enddate | cut -d= -f2)" +%y%m%d%H%M%SZ)"
revoked="$(date -u +%y%m%d%H%M%SZ),keyCompromise"
cat > "$ca/ca.cnf" <<EOF
[ ca ]
default_ca = fuzz
[ fuzz ]
database = $ca/index.txt
crlnumber = $ca/crlnumber
default_md = sha256
default_crl_days = 3650
crl_extensions = crl_ext
[ crl_ext ]
authorityKeyIdentifier = keyid:always
EOF
openssl ocsp -issuer "$ca/root.pem" -cert "$ca/server.pem" -no_nonce -reqout "$ca/request.der" >/dev/null
for status in revoked good; do
    if [ "$status" = revoked ]; then printf 'R\t%s\t%s\t%s\tunknown\t/CN=localhost\n' "$expiry" "$revoked" "$serial"
    else printf 'V\t%s\t\t%s\tunknown\t/CN=localhost\n' "$expiry" "$serial"; fi > "$ca/index.txt"
    echo 01 > "$ca/crlnumber"
    openssl ca -gencrl -batch -config "$ca/ca.cnf" -cert "$ca/root.pem" -keyfile "$ca/root-key.pem" -out "$ca/crl-$status.pem" 2>/dev/null
    { printf '\x00'; openssl crl -in "$ca/crl-$status.pem" -outform DER; } > "$corpus/revocation/openssl-crl-$status"
    { printf '\x02'; cat "$ca/crl-$status.pem"; } > "$corpus/pem/openssl-crl-$status"
    openssl ocsp -index "$ca/index.txt" -rsigner "$ca/root.pem" -rkey "$ca/root-key.pem" -CA "$ca/root.pem" \
        -reqin "$ca/request.der" -respout "$ca/ocsp-$status.der" -ndays 3650 >/dev/null
    { printf '\x01'; cat "$ca/ocsp-$status.der"; } > "$corpus/revocation/openssl-ocsp-$status"
done

# A certificate for the real servers (self-signed; the fuzz client will not trust it, which is fine for seeds).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost -days 30 2>/dev/null

# ClientHellos from real clients, for the server target.
record_client() {   # NAME COMMAND… (the command gets PORT appended where it says {port})
    local name="$1"; shift
    local port; port="$(free_port)"
    python3 "$here/record.py" listen "$port" "$corpus/server/$name" &
    local listener=$!
    sleep 0.3
    local cmd="${*//\{port\}/$port}"
    timeout 20 bash -c "$cmd" </dev/null >/dev/null 2>&1 || true
    wait "$listener"
}
record_client openssl-tls13 openssl s_client -connect 127.0.0.1:{port} -servername localhost -tls1_3
record_client openssl-tls12 openssl s_client -connect 127.0.0.1:{port} -servername localhost -tls1_2
record_client gnutls gnutls-cli -p {port} --insecure localhost
record_client curl curl -sk --max-time 3 https://localhost:{port}/
profile="$work/chromium"
record_client chromium chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$profile" --ignore-certificate-errors --dump-dom https://localhost:{port}/

# Real servers' answers to the fuzz client's ClientHello, for the client target.
"${fuzz[@]}" --client-hello "$work/hello.bin"
record_server() {   # NAME COMMAND… (listening on {port})
    local name="$1"; shift
    local port; port="$(free_port)"
    local cmd="${*//\{port\}/$port}"
    # Their own session: the server and the stdin it must not see end (s_server quits at end of input) stop together.
    setsid bash -c "sleep 60 | $cmd" >/dev/null 2>&1 &
    local group=$!
    pids+=("-$group")
    sleep 1.5
    python3 "$here/record.py" ask "$port" "$work/hello.bin" "$corpus/client/$name"
    kill -- "-$group" 2>/dev/null || true
}
record_server openssl-tls13 openssl s_server -accept 127.0.0.1:{port} -tls1_3 -cert "$work/cert.pem" -key "$work/key.pem"
record_server openssl-tls12 openssl s_server -accept 127.0.0.1:{port} -tls1_2 -cert "$work/cert.pem" -key "$work/key.pem"
record_server gnutls-tls13 gnutls-serv -p {port} --x509certfile "$work/cert.pem" --x509keyfile "$work/key.pem" --priority NORMAL:-VERS-ALL:+VERS-TLS1.3
record_server gnutls-tls12 gnutls-serv -p {port} --x509certfile "$work/cert.pem" --x509keyfile "$work/key.pem" --priority NORMAL:-VERS-ALL:+VERS-TLS1.2
du -sh "$corpus"
