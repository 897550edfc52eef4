#!/bin/sh
# Runs the C unit tests and the bats suite; ends with "N passed, N failed".
# Fails if a test failed or skipped; see slow_test in tests/cli/helpers.bash.
set -u
cd "$(dirname "$0")/.." || exit
out=tests/out
mkdir -p "$out"
: > "$out/tap.txt"
status=0

for t in tests/unit/test_*; do
	case "$t" in *.c|*.d) continue ;; esac
	[ -x "$t" ] || continue
	echo "# $t" | tee -a "$out/tap.txt"
	if ! "./$t" > "$out/unit.txt" 2>&1; then
		status=1
		echo "not ok - $t exited with an error" >> "$out/unit.txt"
	fi
	tee -a "$out/tap.txt" < "$out/unit.txt" | grep -E '^not ok' || true
done

echo "# bats tests/cli" | tee -a "$out/tap.txt"
jobs=
if command -v parallel >/dev/null 2>&1; then
	jobs="--jobs 2"
fi
# shellcheck disable=SC2086
if ! bats --tap $jobs tests/cli > "$out/bats.txt" 2>&1; then
	status=1
	grep -qE '^not ok' "$out/bats.txt" ||
		echo "not ok - the bats run failed" >> "$out/bats.txt"
fi
cat "$out/bats.txt" >> "$out/tap.txt"
grep -E '^not ok|^#' "$out/bats.txt" | head -100 || true

# A skip is a failure, except a slow test not asked for (slow_test in
# helpers.bash), which is counted apart as "not run", never as passed.
passed=$(grep -cE '^ok ' "$out/tap.txt")
failed=$(grep -cE '^not ok ' "$out/tap.txt")
skip_ok=$(grep -cE '^ok .* # skip' "$out/tap.txt")	# bats: "ok N x # skip"
skip_unit=$(grep -cE '^# skip' "$out/tap.txt")	# a unit test's "# skip: why"
slow=$(grep -cE '^ok .* # skip not run: slow' "$out/tap.txt")
passed=$((passed - skip_ok))
skipped=$((skip_ok - slow + skip_unit))
line="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || line="$line, $skipped skipped (a skip fails)"
[ "$slow" -eq 0 ] || line="$line, $slow not run (slow; COFFER_SLOW_TESTS=0)"
echo "$line"
[ "$failed" -eq 0 ] && [ "$skipped" -eq 0 ] && [ "$status" -eq 0 ]
