# fixtures.sh — the instance and certificates the end-to-end cases use.
# Sourced by run.sh; everything lands in $W (a fresh temporary directory).
#
#   $W/inst          itaku instance (itaku init --demo-questionnaire
#                    ipa-benchmark@1: the cases were written for @1) with small limits
#   $W/fx/NAME.crt   client certificates, NAME.key their keys:
#     admin, resp-ec, resp-rsa   demo organisations (registered)
#     unregistered               instance CA, never bound
#     expired                    instance CA, validity 2020-2021
#     rogue                      a CA nobody configured
#     noclientauth               instance CA, emailProtection only
#     weak                       instance CA, RSA-1024 (otherwise a good client)
#     ca-true                    instance CA, CA:TRUE with clientAuth and emailProtection
#   $W/fx/NAME.answers.xml  the demo example answers of each respondent
#   $W/fx/seclevel0.cnf     OpenSSL configuration that lets curl present `weak`

ADMIN=8999900000001
RESP_EC=7999900000002
RESP_RSA=6999900000003

client_ext() { # [EKU] [CA]: CA = yes for a CA:TRUE certificate that may issue
	if [ "${2:-}" = yes ]; then
		echo "basicConstraints = critical,CA:TRUE"
		echo "keyUsage = critical,digitalSignature,nonRepudiation,keyCertSign"
	else
		echo "basicConstraints = critical,CA:FALSE"
		echo "keyUsage = critical,digitalSignature,nonRepudiation"
	fi
	echo "extendedKeyUsage = ${1:-clientAuth,emailProtection}"
}

# issue NAME CA_CRT CA_KEY [EKU] [NEWKEY] [CA]: client certificate via
# openssl x509; NEWKEY is `openssl req -newkey` (default EC P-256)
issue_with_openssl() {
	local name=$1 ca=$2 cakey=$3 eku=${4:-} newkey=${5:-ec} ca_flag=${6:-}
	local keyopt=()
	[ "$newkey" = ec ] && keyopt=(-pkeyopt ec_paramgen_curve:P-256)
	openssl req -new -newkey "$newkey" "${keyopt[@]}" -nodes -subj "/CN=$name" \
		-keyout "$W/fx/$name.key" -out "$W/fx/$name.csr" 2>/dev/null
	client_ext "$eku" "$ca_flag" >"$W/fx/$name.ext"
	openssl x509 -req -in "$W/fx/$name.csr" -CA "$ca" -CAkey "$cakey" -CAcreateserial \
		-days 30 -sha256 -extfile "$W/fx/$name.ext" -out "$W/fx/$name.crt" 2>/dev/null
}

issue_expired() {
	local d=$W/fx/ca-expired
	mkdir -p "$d/newcerts"
	: >"$d/index.txt"
	echo 1000 >"$d/serial"
	cat >"$d/ca.cnf" <<EOX
[ca]
default_ca = ca_default
[ca_default]
database = $d/index.txt
new_certs_dir = $d/newcerts
serial = $d/serial
default_md = sha256
policy = policy_any
unique_subject = no
x509_extensions = client_ext
[policy_any]
commonName = supplied
[client_ext]
$(client_ext)
EOX
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=expired" \
		-keyout "$W/fx/expired.key" -out "$W/fx/expired.csr" 2>/dev/null
	openssl ca -batch -config "$d/ca.cnf" -cert "$INST/pki/ca.crt" -keyfile "$INST/pki/ca.key" \
		-in "$W/fx/expired.csr" -out "$W/fx/expired.crt" -notext \
		-startdate 20200101000000Z -enddate 20210101000000Z 2>/dev/null
}

# client_env CLIENT CMD…: runs CMD (curl) as that client's TLS stack needs
client_env() {
	local client=$1
	shift
	case "$client" in
	weak) OPENSSL_CONF=$W/fx/seclevel0.cnf "$@" ;;
	*) "$@" ;;
	esac
}

make_fixtures() {
	INST=$W/inst
	# on PostgreSQL in the cluster's database itaku, which dbq reads
	E2E_INIT_URI=${ITAKU_E2E_PG_URI:-} inst_init "$INST" --demo-questionnaire ipa-benchmark@1 >/dev/null || return 1
	# small limits so that the size cases stay small and fast
	cat >>"$INST/itaku.conf" <<EOX

[limits]
max_package_bytes = 4194304
max_entries = 64
max_entry_bytes = 6291456
max_total_bytes = 8388608
max_ratio = 100
# every test shares this server and enrols and requests from 127.0.0.1 in
# quick succession; the limits themselves are tested on a server of their
# own (520-rate-limits, 530-slowloris)
enrol_per_minute = 100000
requests_per_minute = 0

[chains]
# small, so that the four-tier chain test reaches beyond it
max_depth = 3
EOX
	mkdir -p "$W/fx"
	local org name
	for pair in "admin:$ADMIN" "resp-ec:$RESP_EC" "resp-rsa:$RESP_RSA"; do
		name=${pair%%:*}
		org=${pair#*:}
		cp "$INST/pki/$org/client.crt" "$W/fx/$name.crt"
		cp "$INST/pki/$org/client.key" "$W/fx/$name.key"
		[ -f "$INST/examples/$org/answers.xml" ] &&
			cp "$INST/examples/$org/answers.xml" "$W/fx/$name.answers.xml"
	done
	cp "$W/fx/resp-ec.answers.xml" "$W/fx/unregistered.answers.xml"
	cp "$W/fx/resp-ec.answers.xml" "$W/fx/expired.answers.xml"
	cp "$W/fx/resp-ec.answers.xml" "$W/fx/rogue.answers.xml"
	cp "$W/fx/resp-ec.answers.xml" "$W/fx/noclientauth.answers.xml"
	cp "$W/fx/resp-ec.answers.xml" "$W/fx/weak.answers.xml"
	cp "$W/fx/resp-ec.answers.xml" "$W/fx/ca-true.answers.xml"
	issue_with_openssl unregistered "$INST/pki/ca.crt" "$INST/pki/ca.key"
	issue_with_openssl noclientauth "$INST/pki/ca.crt" "$INST/pki/ca.key" emailProtection
	issue_with_openssl weak "$INST/pki/ca.crt" "$INST/pki/ca.key" "" rsa:1024
	issue_with_openssl ca-true "$INST/pki/ca.crt" "$INST/pki/ca.key" "" ec yes
	# curl (OpenSSL, security level 2) will not even load an RSA-1024
	# certificate; the server must refuse it, so the client has to send it
	cat >"$W/fx/seclevel0.cnf" <<EOX
openssl_conf = itaku_e2e
[itaku_e2e]
ssl_conf = itaku_e2e_ssl
[itaku_e2e_ssl]
system_default = itaku_e2e_tls
[itaku_e2e_tls]
CipherString = DEFAULT@SECLEVEL=0
EOX
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=rogue CA" \
		-days 30 -keyout "$W/fx/rogue-ca.key" -out "$W/fx/rogue-ca.crt" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
	issue_with_openssl rogue "$W/fx/rogue-ca.crt" "$W/fx/rogue-ca.key"
	issue_expired
}
