#!/bin/sh
# Runs the C unit tests and the bats suite; ends with "N passed, N failed".
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

passed=$(grep -cE '^ok ' "$out/tap.txt")
failed=$(grep -cE '^not ok ' "$out/tap.txt")
skipped=$(grep -cE '^ok .* # skip' "$out/tap.txt")
passed=$((passed - skipped))
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
