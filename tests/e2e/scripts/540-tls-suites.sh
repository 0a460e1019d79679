# TLS versions and suites (issue 11, hole 12), probed with openssl s_client
# against the shared server (default [tls] priorities): TLS 1.3 and
# TLS 1.2 with forward-secret AEAD suites are the only ones accepted. Every
# TLS 1.2 suite OpenSSL knows is tried one by one (the client's own
# security level lowered, so that the refusal is the server's). A priority
# string GnuTLS cannot read stops itakud at start with a clear message.
probe() { # s_client args…: "version suite" when the handshake succeeds
	openssl s_client -connect "127.0.0.1:$PORT" -servername localhost -brief "$@" </dev/null 2>&1 |
		awk '/^Protocol version:/ { v = $3 } /^Ciphersuite:/ { c = $2 } END { if (v) print v, c }'
}
[[ "$(probe -tls1_3)" == "TLSv1.3 "* ]] || die "TLS 1.3 refused"
[[ "$(probe -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256)" == "TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256" ]] ||
	die "TLS 1.2 AES-GCM refused"
[[ "$(probe -tls1_2 -cipher ECDHE-ECDSA-CHACHA20-POLY1305)" == "TLSv1.2 "* ]] || die "TLS 1.2 ChaCha20 refused"
for v in -tls1 -tls1_1; do
	got=$(probe "$v" -cipher 'ALL:@SECLEVEL=0')
	[ -z "$got" ] || die "$v accepted: $got"
done
accepted=()
for c in $(openssl ciphers -tls1_2 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' | tr ':' ' '); do
	got=$(probe -tls1_2 -cipher "$c:@SECLEVEL=0")
	[ -n "$got" ] && accepted+=("${got#* }")
done
[ "${#accepted[@]}" -ge 2 ] || die "only ${#accepted[@]} TLS 1.2 suites accepted"
for c in "${accepted[@]}"; do
	[[ "$c" == ECDHE-* ]] && [[ "$c" == *GCM* || "$c" == *CHACHA20* ]] || die "TLS 1.2 suite accepted: $c"
done
echo "TLS 1.2 suites accepted: ${accepted[*]}"

# an unreadable priority string: itakud refuses to start, and says why
inst_copy "$INST" "$W/prio" || die "copy of the instance"
sed -i '/^\[tls\]/a priorities = NORMAL:+NO-SUCH-THING' "$W/prio/itaku.conf"
if "$ITAKUD" --config "$W/prio/itaku.conf" --port "$(free_port)" >"$W/prio.log" 2>&1; then
	die "itakud started with a bad priority string"
fi
grep -q "\[tls\] priorities: invalid" "$W/prio.log" || die "no clear message: $(cat "$W/prio.log")"
