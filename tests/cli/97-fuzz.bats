#!/usr/bin/env bats
# Fuzz smoke: every libFuzzer target in tests/fuzz runs a fixed number
# of inputs from a fixed seed over its seed corpus (the same inputs on
# every run, so the result does not depend on the machine's speed); a crash, leak, sanitizer report or broken
# property fails. Slow (builds the lib again with clang): CI's plain
# pass only.
load helpers

@test "every fuzz target runs clean over its corpus" {
	slow_test
	run make -s -C "$ROOT" fuzz-build
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	FUZZ_RUNS=${COFFER_FUZZ_RUNS:-30000} run "$ROOT/tests/fuzz/run.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c ': ok,' <<<"$output")" -eq \
		"$(find "$ROOT/tests/fuzz" -maxdepth 1 -name 'fuzz_*.c' | wc -l)" ]
}
