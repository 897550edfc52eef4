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

# --- item 8: what is wrong under .coffer/, named ---

@test "a committed symlink under .coffer/ is refused by name, not as a change" {
	ln -s policy.yaml .coffer/link
	git add .coffer/link
	git commit -qm link
	[ -z "$(git status --porcelain)" ]
	snapshot
	refused 6 bash -c 'printf v2 | coffer set app/y'
	assert_contains "$stderr" "'.coffer/link' is a symbolic link"
	[[ "$stderr" != *"uncommitted"* ]]
}

@test "an uncommitted symlink under .coffer/ is refused by name" {
	ln -s policy.yaml .coffer/link
	snapshot
	refused 6 bash -c 'printf v2 | coffer set app/y'
	assert_contains "$stderr" "'.coffer/link' is a symbolic link"
}

@test "a real change under .coffer/ is named in the refusal" {
	printf '# note\n' >> .coffer/policy.yaml
	snapshot
	refused 7 bash -c 'printf v2 | coffer set app/y'
	assert_contains "$stderr" "uncommitted changes ('.coffer/policy.yaml' is modified)"
	git checkout -q .coffer
	rm .coffer/keys/alice.asc
	snapshot
	refused 7 bash -c 'printf v2 | coffer set app/y'
	assert_contains "$stderr" "'.coffer/keys/alice.asc' is deleted"
}

@test "an I/O error while scanning .coffer/ is named, not a change" {
	# a path longer than PATH_MAX: lstat fails with ENAMETOOLONG, also
	# for root, for whom permissions cannot make a read fail
	local seg p=.coffer
	seg=$(printf 'd%.0s' $(seq 200))
	for _ in $(seq 22); do p=$p/$seg; done
	mkdir -p "$p"
	snapshot
	refused 1 bash -c 'printf v2 | coffer set app/y'
	assert_contains "$stderr" "cannot read '.coffer/ddd"
	assert_contains "$stderr" "File name too long"
	[[ "$stderr" != *"uncommitted"* ]]
}
