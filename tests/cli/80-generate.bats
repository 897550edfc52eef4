#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
load helpers

@test "generate prints a value without a newline off a tty and its entropy on stderr" {
	run -0 --separate-stderr coffer generate
	[[ "$output" =~ ^[A-Za-z0-9]{32}$ ]]
	[[ "$stderr" =~ ^entropy:\ 1[89][0-9]\.[0-9]\ bits$ ]]
	coffer generate > "$BATS_TEST_TMPDIR/v" 2>/dev/null
	[ "$(wc -c < "$BATS_TEST_TMPDIR/v")" = 32 ]
}

@test "random options: length, symbols (all four classes), no-ambiguous, charset" {
	for _ in 1 2 3 4 5; do
		run -0 --separate-stderr coffer generate random:length=12,symbols
		[ "${#output}" = 12 ]
		[[ "$output" =~ [a-z] ]]
		[[ "$output" =~ [A-Z] ]]
		[[ "$output" =~ [0-9] ]]
		[[ "$output" =~ [^A-Za-z0-9] ]]
	done
	run -0 --separate-stderr coffer generate random:length=200,no-ambiguous
	[[ ! "$output" =~ [0O1lI] ]]
	run -0 --separate-stderr coffer generate random:length=50,charset=ab
	[[ "$output" =~ ^[ab]{50}$ ]]
	[ "$stderr" = "entropy: 50.0 bits" ]
}

@test "hex, base64, pin and uuid have their shapes and exact entropy" {
	run -0 --separate-stderr coffer generate hex:bytes=16
	[[ "$output" =~ ^[0-9a-f]{32}$ ]]
	[ "$stderr" = "entropy: 128.0 bits" ]
	run -0 --separate-stderr coffer generate base64:bytes=30
	[[ "$output" =~ ^[A-Za-z0-9+/]{40}$ ]]
	run -0 --separate-stderr coffer generate pin:length=6
	[[ "$output" =~ ^[0-9]{6}$ ]]
	[ "$stderr" = "entropy: 19.9 bits" ]
	run -0 --separate-stderr coffer generate uuid
	[[ "$output" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]]
}

@test "--json gives value, bits and spec" {
	run -0 coffer generate --json pin:length=4
	[ -n "$output" ]
	[[ "$(jq -r .value <<<"$output")" =~ ^[0-9]{4}$ ]]
	[ "$(jq -r .bits <<<"$output")" = 13.3 ]
	[ "$(jq -r .spec <<<"$output")" = pin:length=4 ]
}

@test "a bad SPEC is a usage error (exit 2)" {
	for spec in nope random:length=0 random:length=x random:bogus hex:length=3 pin:symbols 'random:charset=aa'; do
		run -2 --separate-stderr coffer generate "$spec"
		assert_contains "$stderr" "bad generator"
	done
}
