#!/usr/bin/env bats
# Fuzz smoke: every libFuzzer target in tests/fuzz runs a few seconds
# over its seed corpus; a crash, leak, sanitizer report or broken
# property fails. Slow (builds the lib again with clang): CI's plain
# pass only.
load helpers

@test "every fuzz target runs clean over its corpus" {
	slow_test
	run make -s -C "$ROOT" fuzz-build
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	run "$ROOT/tests/fuzz/run.sh" "${COFFER_FUZZ_TIME:-4}"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c ': ok,' <<<"$output")" -eq \
		"$(find "$ROOT/tests/fuzz" -maxdepth 1 -name 'fuzz_*.c' | wc -l)" ]
}
