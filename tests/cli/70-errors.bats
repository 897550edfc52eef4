#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
# Hostile input (SPEC 10): each gets one clear line on stderr, the exit
# code of SPEC 4, and leaves the store as it was.
load helpers

setup() {
	common_setup
	init_store
	printf 'v1' | coffer set good
	snapshot
}

# Expects exit $1 from the rest, one line on stderr, an unchanged store.
refused() {
	local code=$1
	shift
	run "-$code" --separate-stderr "$@"
	# one line; a usage error (2) adds the command's usage
	[ "$(grep -vc '^usage: \|^   or: ' <<<"$stderr")" = 1 ] ||
		{ echo "stderr: $stderr"; return 1; }
	[[ "$stderr" == "coffer: "* ]]
	assert_unchanged
}

@test "a value on argv is refused and never echoed" {
	refused 2 coffer set good hunter2
	[[ "$stderr" != *hunter2* ]] || [[ "$stderr" == *usage* ]]
	[[ "$(head -1 <<<"$stderr")" != *hunter2* ]]
}

@test "bad names: .., leading dot, .coffer, .git, empty segment, too long, too deep" {
	for n in ../x a/../b .hidden .coffer/policy .git/config a//b /abs trailing/ \
		"$(printf 'a%.0s' {1..201})" "$(printf 'a/%.0s' {1..16})b" 'sp ace' 'é'; do
		# shellcheck disable=SC2016 # $1 is the inner shell's
		run -2 --separate-stderr bash -c 'printf x | coffer set "$1"' _ "$n"
		assert_contains "$stderr" "name"
		assert_unchanged
	done
}

@test "a symlink inside the store is refused on read and on write" {
	ln -s "$S/good.yaml" "$S/link.yaml"
	snapshot
	refused 6 coffer get link
	assert_contains "$stderr" "symbolic link"
	rm "$S/link.yaml"
	mkdir "$BATS_TEST_TMPDIR/elsewhere"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$S/dir"
	git add dir && git commit -qm "a symlink" && snapshot
	run -6 --separate-stderr bash -c 'printf x | coffer set dir/x'
	assert_contains "$stderr" "symbolic link"
	assert_unchanged
	[ -z "$(ls "$BATS_TEST_TMPDIR/elsewhere")" ]
}

@test "malformed YAML in a secret file is an integrity failure (exit 6)" {
	printf 'meta: [unclosed\n' > "$S/bad.yaml"
	git add bad.yaml && git commit -qm bad && snapshot
	refused 6 coffer get bad
	assert_contains "$stderr" "malformed YAML"
	refused 6 coffer info bad
}

@test "YAML aliases and anchors are refused" {
	sed 's/^meta:$/meta: \&m/' good.yaml > alias.yaml
	git add alias.yaml && git commit -qm alias && snapshot
	refused 6 coffer get alias
	assert_contains "$stderr" "anchors are refused"
	printf 'a: &x 1\nb: *x\n' > "$BATS_TEST_TMPDIR/alias.yaml"
	run -6 --separate-stderr coffer decrypt "$BATS_TEST_TMPDIR/alias.yaml"
}

@test "deep nesting is refused, not a crash" {
	"$PY" -c 'print("a: " + "["*200 + "]"*200)' > "$BATS_TEST_TMPDIR/deep.yaml"
	run -6 --separate-stderr coffer decrypt "$BATS_TEST_TMPDIR/deep.yaml"
	assert_contains "$stderr" "too deep"
}

@test "an unknown meta key is refused (closed schema)" {
	sed 's/^    version: 1$/    version: 1\n    colour: blue/' good.yaml > unk.yaml
	git add unk.yaml && git commit -qm unk && snapshot
	refused 6 coffer info unk
	assert_contains "$stderr" "unknown meta key 'colour'"
}

@test "a file over 4 MiB is refused" {
	head -c 4194400 /dev/zero | tr '\0' '#' > big.yaml
	git add big.yaml && git commit -qm big && snapshot
	refused 6 coffer get big
	assert_contains "$stderr" "larger than"
}

@test "a valid file holding a value over 1 MiB is refused on read" {
	printf 'x' | coffer set good -f other
	# the forger is checked first: a small value makes a file coffer reads
	printf 'forged' > "$BATS_TEST_TMPDIR/small"
	"$PY" "$TESTS_DIR/tools/sops_forge.py" good.yaml other "$BATS_TEST_TMPDIR/small"
	run -0 coffer get good -f other
	[ "$output" = forged ]
	head -c 1048577 /dev/zero | tr '\0' b > "$BATS_TEST_TMPDIR/big"
	"$PY" "$TESTS_DIR/tools/sops_forge.py" good.yaml other "$BATS_TEST_TMPDIR/big"
	git commit -qam big && snapshot
	refused 6 coffer get good -f other
	assert_contains "$stderr" "larger than 1 MiB"
}

@test "a tampered value or meta is caught by the MAC (exit 6)" {
	sed -i 's/^    version: 1$/    version: 7/' good.yaml
	git commit -qam tamper && snapshot
	refused 6 coffer get good
	assert_contains "$stderr" "MAC mismatch"
	refused 6 bash -c 'printf x | coffer set good'
}

@test "swapped ciphertexts fail authentication" {
	printf 'u' | coffer set good -f user
	"$PY" - "$S/good.yaml" <<'PY'
import re, sys
p = sys.argv[1]
t = open(p).read()
v = re.search(r"^    value: (ENC\[.*\])$", t, re.M).group(1)
u = re.search(r"^    user: (ENC\[.*\])$", t, re.M).group(1)
t = t.replace(v, "@V@").replace(u, v).replace("@V@", u)
open(p, "w").write(t)
PY
	git commit -qam swap && snapshot
	refused 6 coffer get good
}

@test "a policy with a short key id is refused with file:line (exit 6)" {
	sed -i "s/keys: \[$ALICE\]/keys: [204E1256]/" .coffer/policy.yaml
	git commit -qam "short id" && snapshot
	refused 6 coffer get good
	assert_contains "$stderr" ".coffer/policy.yaml:6:"
	assert_contains "$stderr" "not a full fingerprint"
}

@test "a policy with unknown keys or principals is refused with file:line" {
	printf 'colour: blue\n' >> .coffer/policy.yaml
	git commit -qam colour && snapshot
	refused 6 coffer list
	assert_contains "$stderr" "policy.yaml:16: unknown key 'colour'"
	git reset -q --hard HEAD~1
	sed -i 's/admins: \[alice\]/admins: [alice, mallory]/' .coffer/policy.yaml
	git commit -qam mallory && snapshot
	refused 6 coffer list
	assert_contains "$stderr" "unknown principal 'mallory'"
}

@test "writes refuse while .coffer/ has uncommitted changes (exit 7)" {
	printf '# note\n' >> .coffer/policy.yaml
	snapshot
	refused 7 bash -c 'printf x | coffer set new'
	assert_contains "$stderr" "uncommitted changes"
	git checkout -q .coffer/policy.yaml
	touch .coffer/untracked
	snapshot
	refused 7 bash -c 'printf x | coffer set new'
	rm .coffer/untracked
	rm .coffer/keys/alice.asc
	snapshot
	refused 7 bash -c 'printf x | coffer set new'
	git checkout -q .coffer
	chmod +x .coffer/policy.yaml
	snapshot
	refused 7 bash -c 'printf x | coffer set new'
	chmod -x .coffer/policy.yaml
	run -0 bash -c 'printf x | coffer set new'
}

@test "a store locked by a live process: exit 7 naming the holder" {
	echo "$$ $(hostname) $(date +%s)" > .git/coffer.lock
	snapshot
	refused 7 bash -c 'printf x | coffer set good'
	assert_contains "$stderr" "locked by pid $$"
	echo "1 otherhost $(date +%s)" > .git/coffer.lock
	refused 7 bash -c 'printf x | coffer set good'
	assert_contains "$stderr" "on otherhost"
	rm .git/coffer.lock
}

@test "a stale lock (dead pid, this host) is taken over with a warning" {
	sh -c 'exit 0' & dead=$!; wait $dead
	echo "$dead $(hostname) 0" > .git/coffer.lock
	run -0 --separate-stderr bash -c 'printf v2 | coffer set good'
	assert_contains "$stderr" "stale lock"
	[ ! -e .git/coffer.lock ]
	run -0 coffer get good
	[ "$output" = v2 ]
}

@test "concurrent sets all succeed or fail cleanly; no update is lost" {
	# not "i": bats 1.8's run -N clobbers a global i
	for k in 1 2 3 4 5 6; do
		( printf 'v%s' "$k" | coffer set "c/k$k" 2>"$BATS_TEST_TMPDIR/err$k"; echo $? > "$BATS_TEST_TMPDIR/rc$k" ) &
	done
	wait
	ok=0
	for k in 1 2 3 4 5 6; do
		rc=$(cat "$BATS_TEST_TMPDIR/rc$k")
		[ "$rc" = 0 ] || [ "$rc" = 7 ]
		if [ "$rc" = 0 ]; then
			ok=$((ok + 1))
			run -0 --separate-stderr coffer get "c/k$k"
			[ "$output" = "v$k" ] || { echo "c/k$k: $output / $stderr"; cat "$BATS_TEST_TMPDIR/err$k"; return 1; }
		fi
	done
	[ "$ok" -ge 1 ]
	[ "$(git rev-list --count HEAD)" = $((2 + ok)) ]
	[ -z "$(git status --porcelain)" ]
}

@test "not found is exit 4; a name that is a folder hints at -r" {
	refused 4 coffer get missing
	assert_contains "$stderr" "no secret 'missing'"
	printf x | coffer set dir/a
	snapshot
	refused 4 coffer rm dir
	assert_contains "$stderr" "needs -r"
}

@test "COFFER_NOW that is not a time is a usage error" {
	run -2 --separate-stderr env COFFER_NOW=yesterday coffer get good
	assert_contains "$stderr" "COFFER_NOW"
}

@test "a commit that fails puts the work tree back (no half-written store)" {
	git checkout -q --detach
	snapshot
	run -7 --separate-stderr bash -c 'printf v2 | coffer set good'
	assert_contains "$stderr" "detached"
	assert_unchanged
	run -7 --separate-stderr bash -c 'printf x | coffer set brand/new'
	[ ! -e brand ]
	assert_unchanged
	run -0 coffer get good
	[ "$output" = v1 ]
}

@test "an empty or unreadable lock left by a kill is stale, not a wedge" {
	: > .git/coffer.lock
	touch -d '1 minute ago' .git/coffer.lock
	run -0 --separate-stderr coffer set good <<<v2
	assert_contains "$stderr" "stale lock"
	[ ! -e .git/coffer.lock ]
	printf 'garbage' > .git/coffer.lock
	touch -d '1 minute ago' .git/coffer.lock
	run -0 coffer set good <<<v3
	# a lock held with flock by a live process is respected
	printf '%s %s %s\n' "$$" "$(hostname)" "$(date +%s)" > .git/coffer.lock
	flock .git/coffer.lock sleep 3 &
	sleep 0.3
	run -7 coffer set good <<<v5
	wait
}
