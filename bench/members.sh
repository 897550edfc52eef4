#!/bin/bash
# Re-encryption at scale: `coffer member rm` on a store of N secrets that
# the removed member could read, beside `pass init` re-encrypting a pass
# store of N entries on the same machine. Part of make bench.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
N=${BENCH_MEMBERS_N:-1000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/coffer-bench-members.XXXXXX")
export GNUPGHOME="$tmp/gnupg" HOME="$tmp/home" LC_ALL=C GIT_CONFIG_NOSYSTEM=1
unset COFFER_STORE COFFER_PRINCIPAL
trap 'gpgconf --kill all 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -m 700 "$GNUPGHOME"; mkdir -p "$HOME"
PATH="$root:$PATH"
fx=$root/tests/fixtures
gpg --batch --quiet --import "$fx/alice.sec.asc" "$fx/bob.pub.asc" 2>/dev/null
alice=$(awk '$1 == "alice" { print $2 }' "$fx/fingerprints.txt")
bob=$(awk '$1 == "bob" { print $2 }' "$fx/fingerprints.txt")
printf '%s:6:\n%s:6:\n' "$alice" "$bob" | gpg --batch --quiet --import-ownertrust 2>/dev/null
git config --global user.name bench; git config --global user.email bench@example.test

S="$tmp/store"
coffer init --key "$alice" --name alice "$S" >/dev/null
cd "$S"
coffer -q member add bob --key "$bob" --group admins 2>/dev/null
printf 'v' | coffer set proto/x
for ((i = 0; i < N; i++)); do
	d="team$((i % 10))"; mkdir -p "$d"; cp proto/x.yaml "$d/s$i.yaml"
done
git add -A >/dev/null && git commit -qm fill

P="$tmp/pass"
export PASSWORD_STORE_DIR=$P
pass init "$alice" "$bob" >/dev/null
printf 'v\n' | pass insert -e proto/x >/dev/null
for ((i = 0; i < N; i++)); do
	d="$P/team$((i % 10))"; mkdir -p "$d"; cp "$P/proto/x.gpg" "$d/s$i.gpg"
done

t0=$(date +%s.%N)
coffer -q member rm bob
t1=$(date +%s.%N)
pass init "$alice" >/dev/null
t2=$(date +%s.%N)
grep -q "fp: $bob" team0/s0.yaml && { echo "bench: bob still a recipient"; exit 1; }
awk -v n="$N" -v c="$(echo "$t1 - $t0" | awk '{print $1 - $3}')" \
	-v p="$(echo "$t2 - $t1" | awk '{print $1 - $3}')" 'BEGIN {
	printf "\n%-40s %8.1f s   pass init %.1f s (x%.2f)   target <= 20 s\n",
		"member rm, re-encrypt " (n + 1) " secrets", c, p, c / p }'
