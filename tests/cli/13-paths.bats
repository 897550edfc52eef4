#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
# What a store path can be (issue 13, items 7-9): a NAME.yaml that is
# not a regular file, a symlink under .coffer/, a store in a linked
# worktree or a submodule, and a shallow clone.
load helpers

setup() {
	common_setup
	init_store
	printf 'v1' | coffer set app/y
}

# Expects exit $1 from the rest (within 10 s: a hang is exit 124), one
# line on stderr, an unchanged store.
refused() {
	local code=$1
	shift
	run "-$code" --separate-stderr timeout 10 "$@"
	[ "$(grep -c '' <<<"$stderr")" = 1 ] ||
		{ echo "stderr: $stderr"; return 1; }
	[[ "$stderr" == "coffer: "* ]]
	assert_unchanged
}

# --- item 7: a FIFO or socket named NAME.yaml ---

special_files() {
	mkfifo app/x.yaml
	"$PY" -c 'import socket, sys
socket.socket(socket.AF_UNIX).bind(sys.argv[1])' app/s.yaml
	snapshot
}

@test "a FIFO named NAME.yaml: get, info, set, mv refuse (exit 6)" {
	special_files
	refused 6 coffer get app/x
	assert_contains "$stderr" "app/x.yaml' is not a regular file"
	refused 6 coffer info app/x
	assert_contains "$stderr" "not a regular file"
	refused 6 bash -c 'printf v2 | coffer set app/x'
	assert_contains "$stderr" "app/x.yaml' is not a regular file"
	refused 6 coffer mv app/x app/z
	assert_contains "$stderr" "not a regular file"
	refused 6 coffer mv app/y app/x
	assert_contains "$stderr" "not a regular file"
	refused 6 coffer rm app/x
	assert_contains "$stderr" "not a regular file"
	[ -p app/x.yaml ]
	[ ! -e .git/coffer.lock ]
}

@test "a socket named NAME.yaml: get, info, set, mv refuse (exit 6)" {
	special_files
	refused 6 coffer get app/s
	assert_contains "$stderr" "app/s.yaml' is not a regular file"
	refused 6 coffer info app/s
	refused 6 bash -c 'printf v2 | coffer set app/s'
	assert_contains "$stderr" "not a regular file"
	refused 6 coffer mv app/s app/z
	refused 6 coffer mv app/y app/s
	[ -S app/s.yaml ]
}

@test "check and list report a FIFO or socket and do not hang" {
	special_files
	run -11 timeout 10 coffer check
	assert_contains "$output" "app/x.yaml  not a regular file"
	assert_contains "$output" "app/s.yaml  not a regular file"
	run -0 timeout 10 coffer list
	[ "$output" = app/y ]
}
