#!/usr/bin/env bats
# The command table drives help: every command handles -h, and the
# global options and usage errors behave.
load helpers

@test "every command in --dump-spec answers -h on stdout with exit 0" {
	run -0 coffer --dump-spec
	cmds=$(awk -F'\t' '$1 == "cmd" { print $2 }' <<<"$output")
	[ -n "$cmds" ]
	for c in $cmds; do
		[ "$c" = git ] && continue	# git passes -h on to git
		run -0 --separate-stderr coffer "$c" -h
		assert_contains "$output" "usage: coffer $c"
		[ -z "$stderr" ]
	done
}

@test "help COMMAND equals COMMAND -h" {
	run -0 coffer help get
	a=$output
	run -0 coffer get -h
	[ "$a" = "$output" ]
}

@test "an unknown command is a usage error (exit 2)" {
	run -2 --separate-stderr coffer frobnicate
	assert_contains "$stderr" "'frobnicate' is not a coffer command"
}

@test "an unknown option is a usage error with the command's usage" {
	run -2 --separate-stderr coffer get --bogus x
	assert_contains "$stderr" "coffer: get: unknown option '--bogus'"
	assert_contains "$stderr" "usage: coffer get REF"
}

@test "no command prints usage on stderr and exits 2" {
	run -2 --separate-stderr coffer
	assert_contains "$stderr" "usage: coffer"
}

@test "--version and version agree" {
	run -0 coffer --version
	a=$output
	run -0 coffer version
	[ "$a" = "$output" ]
	[[ "$output" =~ ^coffer\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "a write error on stdout is an error (exit 1)" {
	run -1 --separate-stderr bash -c 'coffer --help > /dev/full'
	assert_contains "$stderr" "cannot write output"
}

@test "a closed stdout is replaced by /dev/null, never reused for a file" {
	run -0 bash -c 'coffer --help >&-'
}
