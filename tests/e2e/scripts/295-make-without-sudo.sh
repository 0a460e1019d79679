# `make` as a user without sudo, with a Debian package missing (issue 15,
# 15): no bare "sudo: not found", but the exact apt-get line to run as root,
# and exit non-zero. Run with the Makefile's own apt_install on a package
# list naming one package that is not installed; PATH without sudo.
[ "$(id -u)" = 0 ] || skip "needs root to run a make as another account"
id nobody >/dev/null 2>&1 || skip "no account nobody"
command -v runuser >/dev/null || skip "no runuser"
pkg=itaku-no-such-package-$$
# a directory of its own that nobody may enter (the work directory holds keys)
D=$(mktemp -d /tmp/itaku-nosudo.XXXXXX)
trap 'rm -rf "$D"' EXIT
chmod 755 "$D"
cp "$ROOT/Makefile" "$D/Makefile"
chmod 644 "$D/Makefile"
bin=$D/bin
mkdir -p "$bin"
for t in sh make dpkg-query grep id echo; do ln -sf "$(command -v "$t")" "$bin/$t"; done
out=$(cd "$D" && runuser -u nobody -- env PATH="$bin" make -s deps DEB_BUILD="$pkg" 2>&1) &&
	die "make succeeded without the package: $out"
[[ "$out" != *"sudo: not found"* ]] || die "bare sudo error: $out"
[[ "$out" == *"there is no sudo here"* ]] || die "no explanation: $out"
[[ "$out" == *"run as root:  apt-get update && apt-get install -y --no-install-recommends $pkg"* ]] ||
	die "no exact command: $out"
