#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
# Text from files (a pulled store: file names, meta, git authors) is
# printed with its control characters escaped: an error stays one line
# and no terminal escape reaches the screen.
load helpers

setup() {
	common_setup
	init_store
	printf 'v-Value-0001x' | coffer set app/db
}

ESC=$'\033'

@test "check escapes a stray file name" {
	printf 'x' > "app/bad${ESC}[31mred.yaml"
	printf 'x' > "app/two"$'\n'"lines.yaml"
	run -11 coffer check
	[[ "$output" != *"$ESC"* ]]
	assert_contains "$output" 'app/bad\x1b[31mred.yaml'
	assert_contains "$output" 'app/two\x0alines.yaml'
	run -0 grep -c 'lines.yaml' <<<"$output"
	[ "$output" = 1 ]
}

@test "info escapes meta text; history escapes a git author" {
	run -0 coffer meta app/db --description "say ${ESC}]0;pwned${ESC}\\ hi"
	run -0 coffer info app/db
	[[ "$output" != *"$ESC"* ]]
	assert_contains "$output" 'description: say \x1b]0;pwned\x1b\ hi'
	# a commit by someone whose name holds an escape
	cp app/db.yaml app/copy.yaml
	git add app/copy.yaml
	git -c commit.gpgsign=false -c user.name="eve${ESC}[2J" commit -qm "by eve"
	run -0 coffer history app/copy
	[[ "$output" != *"$ESC"* ]]
	assert_contains "$output" 'eve\x1b[2J'
	run -0 coffer info app/copy
	[[ "$output" != *"$ESC"* ]]
}

@test "an error naming a file stays one line, escaped" {
	mkdir -p "a${ESC}[1m"
	printf 'x' > "a${ESC}[1m/s.yaml"
	run -11 --separate-stderr coffer check
	[[ "$output$stderr" != *"$ESC"* ]]
	run --separate-stderr coffer get "a${ESC}[1m/s"
	[ "$status" -ne 0 ]
	[[ "$stderr" != *"$ESC"* ]]
	[ "$(wc -l <<<"$stderr")" = 1 ]
}
