#!/bin/sh
# Installs the Debian 12 packages coffer needs, if missing: to build and
# run `make check` (no argument), or also to run `make bench` ("bench").
# As root: apt-get update once, then apt-get install -y what is missing.
# As another user: names what is missing and fails; nothing missing, 0.
# Usage: deps.sh [bench]
set -eu

# package:probe pairs; a probe is pkg-config:NAME or cmd:NAME or file:PATH
# (clang and libclang-rt-14-dev: libFuzzer, for make fuzz and the fuzz
# smoke test of make check)
NEEDS="
libgpgme-dev:pkg-config:gpgme
libgcrypt20-dev:file:/usr/include/gcrypt.h
libyaml-dev:pkg-config:yaml-0.1
libgit2-dev:pkg-config:libgit2
libjansson-dev:pkg-config:jansson
libzxcvbn-dev:file:/usr/include/zxcvbn.h
pkg-config:cmd:pkg-config
gcc:cmd:cc
make:cmd:make
bats:cmd:bats
mandoc:cmd:mandoc
shellcheck:cmd:shellcheck
gnupg:cmd:gpg
gpg-agent:cmd:gpg-agent
git:cmd:git
zsh:cmd:zsh
fish:cmd:fish
bsdutils:cmd:script
vim:cmd:vim
strace:cmd:strace
jq:cmd:jq
python3:file:/usr/bin/python3
python3-cryptography:file:/usr/lib/python3/dist-packages/cryptography
python3-yaml:file:/usr/lib/python3/dist-packages/yaml
clang:cmd:clang
libclang-rt-14-dev:file:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
"
# only bench/*.sh use these
BENCH_NEEDS="
hyperfine:cmd:hyperfine
pass:cmd:pass
time:file:/usr/bin/time
"

case ${1:-} in
"") ;;
bench) NEEDS="$NEEDS $BENCH_NEEDS" ;;
*) echo "usage: deps.sh [bench]" >&2; exit 2 ;;
esac

missing=""
for item in $NEEDS; do
	pkg=${item%%:*}
	rest=${item#*:}
	kind=${rest%%:*}
	what=${rest#*:}
	case $kind in
	pkg-config)
		command -v pkg-config >/dev/null 2>&1 &&
			pkg-config --exists "$what" && continue ;;
	cmd) command -v "$what" >/dev/null 2>&1 && continue ;;
	file) [ -e "$what" ] && continue ;;
	esac
	missing="$missing $pkg"
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root: apt-get update && apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >&2
