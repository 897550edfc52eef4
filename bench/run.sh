#!/bin/bash
# make bench: coffer beside gpg, git and pass on the same machine, in one
# run, on throwaway stores of N secrets (default 10,000). Prints medians
# and ratios. Not part of make check.
set -euo pipefail
N=${BENCH_N:-10000}
RUNS=${BENCH_RUNS:-20}
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
fpr=$(fpr_of alice)

echo "bench: building stores of $N secrets in $tmp ..." >&2
S="$tmp/store"
coffer init --key "$fpr" --name alice "$S" >/dev/null
cd "$S"
printf 's3cr3t-value' | coffer set proto/x --rotate-every 90d --ttl 400d
# Each file is valid under any name (nothing in it names the secret), so
# the store is filled by copying one file, then committed once.
name_of() { echo "team$(($1 % 100))/svc$(($1 / 100 % 10))/s$1"; }
for ((i = 0; i < N; i++)); do
	d="team$((i % 100))/svc$((i / 100 % 10))"
	mkdir -p "$d"
	cp proto/x.yaml "$d/s$i.yaml"
done
git add -A >/dev/null && git commit -qm "bench: $N secrets" --no-verify

P="$tmp/pass"
export PASSWORD_STORE_DIR=$P
pass init "$fpr" >/dev/null
printf 's3cr3t-value\n' | pass insert -e proto/x >/dev/null
for ((i = 0; i < N; i++)); do
	d="$P/team$((i % 100))/svc$((i / 100 % 10))"
	mkdir -p "$d"
	cp "$P/proto/x.gpg" "$d/s$i.gpg"
done
pass git init >/dev/null 2>&1 || true
(cd "$P" && git add -A >/dev/null && git commit -qm fill) || true
# a plain gpg message of the same size as a data key
head -c 32 /dev/urandom | gpg --batch -q -e -r "$fpr" --trust-model always > "$tmp/key.gpg"

out="$tmp/results"; mkdir "$out"
g=$(name_of $((N * 13 / 100)))	# secrets deep in the store
s=$(name_of $((N * 18 / 100)))
run() {	# name command...
	local name=$1; shift
	hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$out/$name.json" "$@" >/dev/null 2>&1 ||
		hyperfine --warmup 3 --runs "$RUNS" --export-json "$out/$name.json" "$@" >/dev/null
}
median() { jq '.results[0].median * 1000' "$out/$1.json"; }

echo "bench: timing ..." >&2
run coffer_get "coffer get $g"
run coffer_get_as "env COFFER_PRINCIPAL=alice coffer get $g"
run gpg_decrypt "gpg --batch -q -d $tmp/key.gpg"
run pass_show "pass show $g"
run coffer_set "sh -c 'printf v | coffer set $s'"
run pass_insert "sh -c 'printf \"v\n\" | pass insert -f -e $s'"
run coffer_list "coffer list"
run pass_ls "pass ls"
# cold: no meta cache, as in CI on a fresh clone; warm: a store seen
# before. Files changed in the last 2 s are never cached: wait that out.
sleep 3
nocache="rm -f $S/.git/coffer-meta.cache"
run_cold() { local name=$1; shift; run "$name" --prepare "$nocache" "$@"; }
run_cold coffer_list_long_cold "coffer list --long"
run_cold coffer_check_cold "coffer -q check"
run coffer_list_long "coffer list --long"
run coffer_check "coffer -q check"
run git_status "git -C $S status --porcelain"

printf '\n%-34s %10s   %s\n' "operation ($N secrets)" "median ms" "reference"
row() {	# label name ref-name target
	local m r
	m=$(median "$2")
	if [ -n "$3" ]; then
		r=$(median "$3")
		printf '%-34s %10.1f   %s %.1f ms (x%.2f)%s\n' "$1" "$m" "$3" "$r" \
			"$(awk -v a="$m" -v b="$r" 'BEGIN { print a / b }')" "${4:+   target $4}"
	else
		printf '%-34s %10.1f   %s\n' "$1" "$m" "${4:+target $4}"
	fi
}
row "get one field" coffer_get gpg_decrypt "<= 25 ms, <= 2.5x gpg"
row "get one field (COFFER_PRINCIPAL)" coffer_get_as gpg_decrypt ""
row "get vs pass show" coffer_get pass_show ""
row "set (signed commit)" coffer_set pass_insert "<= 70 ms"
row "list" coffer_list pass_ls "<= 40 ms"
row "list --long, no cache (cold)" coffer_list_long_cold pass_ls "<= 150 ms"
row "list --long, cache (warm)" coffer_list_long pass_ls "<= 150 ms"
row "check, no cache (cold)" coffer_check_cold pass_ls "<= 150 ms"
row "check, cache (warm)" coffer_check pass_ls "<= 150 ms"
row "git status (for reference)" git_status "" ""
# peak memory, target < 32 MiB
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
$nocache
printf '%-34s %7s KiB   %s\n' "check, cold: peak memory" "$(rss coffer -q check)" "target < 32 MiB"
printf '%-34s %7s KiB   %s\n' "list --long --json: peak memory" \
	"$(rss coffer list --long --json)" "target < 32 MiB"
