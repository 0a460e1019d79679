#!/bin/sh
# demo.sh — run by `make demo` before itakud starts: packs one example
# package per demo respondent and prints the commands to try.
set -eu
dir=${1:-demo}
# itakud started as root serves only as the account [server] user names;
# `itaku init --demo` run by root names root (./demo may be where no other
# account can reach). A demo made before that key existed gets it here.
if [ "$(id -u)" -eq 0 ] && ! grep -q '^user *=' "$dir/itaku.conf"; then
	sed -i '/^\[server\]$/a user = root' "$dir/itaku.conf"
	echo "demo.sh: $dir/itaku.conf: added [server] user = root"
fi
for org in 7999900000002 6999900000003; do
	# the example quotes the assignment's current nonce: after an upload the
	# server has moved on to the next one, so a second `make demo` would
	# print a package the server refuses as a replay
	nonce=$(bin/itaku template --campaign 1 --org "$org" --config "$dir/itaku.conf" |
		sed -n 's/.* nonce="\([0-9a-f]*\)".*/\1/p' | head -n 1)
	[ -n "$nonce" ] && sed -i "s/ nonce=\"[0-9a-f]*\"/ nonce=\"$nonce\"/" "$dir/examples/$org/answers.xml"
	bin/itaku pack --answers "$dir/examples/$org/answers.xml" \
		--cert "$dir/pki/$org/client.crt" --key "$dir/pki/$org/client.key" \
		-o "$dir/examples/$org/package.asice" >/dev/null
done
# a .p12 per demo organisation, for a browser (the portal): OpenSSL 3
# defaults, which browsers and the portal's signing both read
for org in 7999900000002 6999900000003 8999900000001; do
	[ -f "$dir/pki/$org/client.p12" ] ||
		(umask 077 && openssl pkcs12 -export -inkey "$dir/pki/$org/client.key" \
			-in "$dir/pki/$org/client.crt" -certfile "$dir/pki/ca.crt" -name "itaku demo $org" \
			-passout pass:demo-passphrase -out "$dir/pki/$org/client.p12")
done
cat <<EOF2

itakud is starting on https://localhost:8443 (Ctrl-C stops it).

In a browser (the portal): import $dir/pki/7999900000002/client.p12
(passphrase: demo-passphrase) and the CA $dir/pki/ca.crt, then open
https://localhost:8443/ — Sakura Systems' assignments; answer, save a
draft, sign and submit in the browser with the same .p12.

In another terminal:

  # upload the demo package of Sakura Systems (ECDSA P-256)
  curl --cacert $dir/pki/ca.crt --cert $dir/pki/7999900000002/client.crt \\
       --key $dir/pki/7999900000002/client.key \\
       -H 'Content-Type: application/vnd.etsi.asic-e+zip' \\
       --data-binary @$dir/examples/7999900000002/package.asice \\
       https://localhost:8443/api/v1/submissions

  # read it back as the admin, with its score
  curl --cacert $dir/pki/ca.crt --cert $dir/pki/8999900000001/client.crt \\
       --key $dir/pki/8999900000001/client.key https://localhost:8443/api/v1/submissions/1

  # the campaign aggregate (JSON, CSV for Excel, terminal)
  curl --cacert $dir/pki/ca.crt --cert $dir/pki/8999900000001/client.crt \\
       --key $dir/pki/8999900000001/client.key https://localhost:8443/api/v1/campaigns/1/aggregate
  curl --cacert $dir/pki/ca.crt --cert $dir/pki/8999900000001/client.crt \\
       --key $dir/pki/8999900000001/client.key -o aggregate.csv \\
       https://localhost:8443/api/v1/campaigns/1/aggregate.csv
  bin/itaku report --campaign 1 --config $dir/itaku.conf

  # a second upload of the same package is a replay: 409 nonce_reused.
  # A new version starts from a fresh template:
  curl --cacert $dir/pki/ca.crt --cert $dir/pki/7999900000002/client.crt \\
       --key $dir/pki/7999900000002/client.key https://localhost:8443/api/v1/assignments/1/template

EOF2
