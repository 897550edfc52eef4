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

# --- item 9: linked worktrees, submodules, shallow clones ---

# Holds coffer.lock in git directory $1 as a live writer would (its
# line names a live pid; flock held) until release_lock.
hold_lock() {
	echo "$$ $(hostname) $(date +%s)" > "$1/coffer.lock"
	flock -n "$1/coffer.lock" sleep 60 3>&- &
	HOLDER=$!
	sleep 0.2
}

release_lock() {
	kill "$HOLDER" 2>/dev/null || true
	wait "$HOLDER" 2>/dev/null || true
	rm -f "$1/coffer.lock"
}

@test "a store in a linked worktree: set, get, list, check work" {
	local wt=$BATS_TEST_TMPDIR/wt
	git worktree add -q -b side "$wt"
	cd "$wt"
	[ -f .git ]
	printf 'v2' | coffer set app/z
	run -0 coffer get app/z
	[ "$output" = v2 ]
	run -0 coffer list
	[ "$output" = "$(printf 'app/y\napp/z')" ]
	run -0 coffer check
	run -0 coffer history app/y
	[ "$(git log -1 --format=%s)" = "coffer: set app/z" ]
	[ "$(git -C "$S" log -1 --format=%s)" = "coffer: set app/y" ]
	[ -z "$(git status --porcelain)" ]
}

@test "linked worktrees share one lock, in the common git directory" {
	local wt=$BATS_TEST_TMPDIR/wt
	git worktree add -q -b side "$wt"
	hold_lock "$S/.git"
	cd "$wt"
	S=$wt snapshot
	S=$wt refused 7 bash -c 'printf v2 | coffer set app/z'
	assert_contains "$stderr" "store is locked by pid $$"
	assert_contains "$stderr" "$S/.git/coffer.lock"
	release_lock "$S/.git"
	run -0 bash -c 'printf v2 | coffer set app/z'
	[ ! -e "$S/.git/worktrees/wt/coffer.lock" ]
	# and the other way round
	hold_lock "$S/.git"
	cd "$S"
	snapshot
	refused 7 bash -c 'printf v2 | coffer set app/z'
	release_lock "$S/.git"
	run -0 bash -c 'printf v2 | coffer set app/z'
}

@test "each linked worktree keeps its own meta cache" {
	local wt=$BATS_TEST_TMPDIR/wt
	git worktree add -q -b side "$wt"
	cd "$wt"
	# older than the 2 s in which a change may hide in the stat data
	sleep 3
	run -0 coffer list --long
	[ -s "$S/.git/worktrees/wt/coffer-meta.cache" ]
	[ ! -e "$S/.git/coffer-meta.cache" ]
}

@test "a store that is a submodule: set, get, list, check work" {
	local sup=$BATS_TEST_TMPDIR/super
	git init -q "$sup"
	git -C "$sup" -c protocol.file.allow=always submodule add -q \
		"file://$S" store
	cd "$sup/store"
	[ -f .git ]
	run -0 coffer get app/y
	[ "$output" = v1 ]
	printf 'v2' | coffer set app/y
	run -0 coffer get app/y
	[ "$output" = v2 ]
	run -0 coffer get app/y@1
	[ "$output" = v1 ]
	run -0 coffer list
	[ "$output" = app/y ]
	run -0 coffer check
	[ -z "$(git status --porcelain)" ]
	hold_lock "$sup/.git/modules/store"
	run -7 --separate-stderr bash -c 'printf v3 | coffer set app/y'
	assert_contains "$stderr" "$sup/.git/modules/store/coffer.lock"
	release_lock "$sup/.git/modules/store"
}

@test "a shallow clone: old versions say the history is cut off" {
	printf 'v2' | coffer set app/y
	printf 'v3' | coffer set app/y
	git clone -q --depth 2 "file://$S" "$BATS_TEST_TMPDIR/shallow"
	cd "$BATS_TEST_TMPDIR/shallow"
	run -0 coffer get app/y
	[ "$output" = v3 ]
	run -0 coffer get app/y@2
	[ "$output" = v2 ]
	run -4 --separate-stderr coffer get app/y@1
	assert_contains "$stderr" "no version 1 of 'app/y'"
	assert_contains "$stderr" "shallow clone"
	assert_contains "$stderr" "git fetch --unshallow"
	run -0 --separate-stderr coffer history app/y
	[ "$(grep -c '^[23] ' <<<"$output")" = 2 ]
	assert_contains "$stderr" "history is cut off"
	assert_contains "$stderr" "git fetch --unshallow"
	git fetch -q --unshallow
	run -0 coffer get app/y@1
	[ "$output" = v1 ]
	run -0 --separate-stderr coffer history app/y
	[ -z "$stderr" ]
}

@test "a clone of depth 1: @previous says the history is cut off" {
	printf 'v2' | coffer set app/y
	git clone -q --depth 1 "file://$S" "$BATS_TEST_TMPDIR/shallow"
	cd "$BATS_TEST_TMPDIR/shallow"
	run -0 coffer get app/y
	[ "$output" = v2 ]
	run -4 --separate-stderr coffer get app/y@previous
	assert_contains "$stderr" "shallow clone"
	assert_contains "$stderr" "git fetch --unshallow"
}
