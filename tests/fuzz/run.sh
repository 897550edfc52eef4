#!/bin/sh
# Runs every libFuzzer target built in tests/fuzz/build for SECONDS
# seconds each (default 10) over its committed seed corpus. New inputs go
# to build/work/TARGET, never into corpus/; a crash is saved as
# build/crash-TARGET-* and fails the run. Extra arguments go to each
# fuzzer. Usage: run.sh [SECONDS [TARGET...]]
# ("make fuzz FUZZ_TIME=N" builds first and runs them all.)
# With FUZZ_RUNS=N set, each target instead runs exactly N inputs from
# seed 1 in a fresh work directory: the same inputs on every machine,
# which is what the test suite wants (a time limit is not repeatable).
set -u
cd "$(dirname "$0")" || exit
secs=${1:-10}
[ $# -gt 0 ] && shift
targets=$*
if [ -z "$targets" ]; then
	for f in fuzz_*.c; do
		f=${f#fuzz_}
		targets="$targets ${f%.c}"
	done
fi
status=0
for t in $targets; do
	bin=build/fuzz_$t
	[ -x "$bin" ] || { echo "fuzz: $bin is not built (make fuzz-build)" >&2
		status=1; continue; }
	[ -d "corpus/$t" ] || { echo "fuzz: no corpus/$t" >&2
		status=1; continue; }
	work=build/work/$t
	limit="-max_total_time=$secs"
	what="$secs s"
	if [ -n "${FUZZ_RUNS:-}" ]; then
		work=build/work/runs-$t
		rm -rf "$work"
		limit="-seed=1 -runs=$FUZZ_RUNS"
		what="seed 1"
	fi
	mkdir -p "$work"
	# shellcheck disable=SC2086 # $limit is one or two options
	if "$bin" $limit -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 \
		-artifact_prefix="build/crash-$t-" \
		"$work" "corpus/$t" > "build/$t.log" 2>&1; then
		echo "fuzz: $t: ok, $(grep -m1 stat::number_of_executed_units \
			"build/$t.log" | awk '{ print $2 }') runs, $what"
	else
		status=1
		echo "fuzz: $t: FAILED (tests/fuzz/build/$t.log):" >&2
		grep -E 'ERROR|SUMMARY|Test unit written|fuzz_[a-z]+:' \
			"build/$t.log" | head -20 >&2
	fi
done
exit "$status"
