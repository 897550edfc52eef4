#!/bin/bash
# Re-encryption at scale: `coffer member rm` on a store of N secrets that
# the removed member could read, beside `pass init` re-encrypting a pass
# store of N entries on the same machine. Part of make bench.
set -euo pipefail
N=${BENCH_MEMBERS_N:-1000}
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
alice=$(fpr_of alice)
bob=$(fpr_of bob)

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
