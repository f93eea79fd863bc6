#!/bin/sh
# Regenerates the throw-away test PKI: a CA and a server certificate it signs
# for localhost, 127.0.0.1 and ::1. Test fixtures only; never trust them.
set -eu
cd "$(dirname "$0")"
openssl ecparam -name prime256v1 -genkey -noout -out ca-key.pem
openssl req -x509 -new -key ca-key.pem -sha256 -days 36500 -subj '/CN=Junction Test CA' -out ca.pem
openssl ecparam -name prime256v1 -genkey -noout -out server-key.pem
openssl req -new -key server-key.pem -subj '/CN=localhost' -out server.csr
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -sha256 -days 36500 -extfile server.ext -out server.pem
# The CA key is not kept: a new run makes a new CA.
rm -f server.csr server.ext ca.srl ca-key.pem
