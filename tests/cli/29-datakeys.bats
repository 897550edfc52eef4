#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
# Data keys follow who may know them (SPEC 3, coffer(1) "Data keys"):
# a new key on every reader change and rotation, on a write by a
# principal who may not read, and on the first write after one; a
# reader's write after a reader's keeps it. And a write is made as a
# principal only with their secret key.
load helpers

setup() {
	common_setup
	init_store
	# group team reads and writes team/*, empty for now; ci (carol's
	# key) may write deposit/* but read nothing
	"$PY" - .coffer/policy.yaml "$CAROL" <<'PY'
import sys
p, carol = sys.argv[1:]
t = open(p).read()
t = t.replace("groups:", "    ci:\n        keys: [%s]\n        kind: machine\ngroups:\n    team: []" % carol, 1)
t = t.replace("settings:", "    group:team:\n        allow:\n            - actions: [read, write]\n              resources: [team/*]\n    ci:\n        allow:\n            - action: write\n              resources: [deposit/*]\nsettings:")
open(p, "w").write(t)
PY
	cp "$FIXTURES/carol.pub.asc" .coffer/keys/ci.asc
	git add .coffer && git commit -qm "team and ci"
	CIHOME="$BATS_TEST_TMPDIR/ci-gnupg"
	mkdir -m 700 "$CIHOME"
	GNUPGHOME=$CIHOME gpg --batch --quiet --import "$FIXTURES/carol.sec.asc" \
		"$FIXTURES/alice.pub.asc" "$FIXTURES/bob.pub.asc" 2>/dev/null
	bob_keyring
}

teardown() {
	GNUPGHOME=$CIHOME gpgconf --kill all 2>/dev/null || true
	teardown_bob
}

# The data key of file $1, as hex, from the entry for fingerprint $2,
# opened with plain gpg in keyring $3 (default: alice's).
key_of() {
	"$PY" -c '
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
print(next(e["enc"] for e in d["sops"]["pgp"] if e["fp"] == sys.argv[2]))' "$1" "${2:-$ALICE}" |
		GNUPGHOME=${3:-$GNUPGHOME} gpg --batch --quiet --decrypt |
		od -An -tx1 | tr -d ' \n'
}

@test "after member add, bob's key opens no version written before he joined" {
	printf 'v1' | coffer set team/db
	printf 'v2' | coffer set team/db
	printf 'u' | coffer set team/db --field user
	revs=$(git log --format=%H -- team/db.yaml)
	run -0 coffer member add bob --key "$FIXTURES/bob.pub.asc" --group team
	bob=$(key_of team/db.yaml "$BOB" "$BOBHOME")
	[ "${#bob}" = 64 ]
	"$PY" "$TESTS_DIR/tools/try_key.py" team/db.yaml "$bob"
	n=0
	for rev in $revs; do
		# bob's key opens none of them, whatever sops.pgp list is
		# spliced in: the list only hands out copies of the key
		git show "$rev:team/db.yaml" > "$BATS_TEST_TMPDIR/old.yaml"
		run -1 "$PY" "$TESTS_DIR/tools/try_key.py" "$BATS_TEST_TMPDIR/old.yaml" "$bob"
		n=$((n + 1))
	done
	[ "$n" = 3 ]
	GNUPGHOME=$BOBHOME run -5 --separate-stderr coffer get team/db@1
	assert_contains "$stderr" "before bob became a reader"
}

@test "a write-only principal: create and replace; readers' writes re-key once; rotate always" {
	# ci creates a secret it cannot read
	printf 'deposit-1' | GNUPGHOME=$CIHOME coffer set deposit/token
	run -1 grep -q "fp: $CAROL" deposit/token.yaml
	k0=$(key_of deposit/token.yaml)
	run -0 coffer get deposit/token
	[ "$output" = deposit-1 ]
	# any other write by ci needs read: exit 3 naming read, nothing changed
	printf 'x' | coffer set deposit/token --field other
	snapshot
	GNUPGHOME=$CIHOME run -3 --separate-stderr coffer set deposit/token \
		--from-file "$FIXTURES/fingerprints.txt"
	assert_contains "$stderr" "may write 'deposit/token' but not read it"
	assert_contains "$stderr" "--replace"
	assert_unchanged
	# --replace: everything else dropped, a new key, the version goes on
	printf 'deposit-2' > "$BATS_TEST_TMPDIR/v"
	GNUPGHOME=$CIHOME run -0 --separate-stderr coffer set deposit/token \
		--replace --from-file "$BATS_TEST_TMPDIR/v"
	assert_contains "$stderr" "replaced 'deposit/token' whole: dropped other"
	k1=$(key_of deposit/token.yaml)
	[ "$k1" != "$k0" ]
	run -0 coffer get deposit/token
	[ "$output" = deposit-2 ]
	run -4 coffer get deposit/token --field other
	run -0 coffer info --json deposit/token
	[ "$(jq -r .version <<<"$output")" = 3 ]
	# the first reader write after ci's draws a new key...
	printf 'a1' | coffer set deposit/token
	k2=$(key_of deposit/token.yaml)
	[ "$k2" != "$k1" ]
	# ...the next reader write keeps it (minimal diffs)
	printf 'a2' | coffer set deposit/token --field note
	k3=$(key_of deposit/token.yaml)
	[ "$k3" = "$k2" ]
	# every rotation draws a new one
	coffer rotate deposit/token >/dev/null
	k4=$(key_of deposit/token.yaml)
	[ "$k4" != "$k3" ]
	coffer rotate deposit/token >/dev/null
	k5=$(key_of deposit/token.yaml)
	[ "$k5" != "$k4" ]
	# no old key opens the value now
	"$PY" "$TESTS_DIR/tools/try_key.py" deposit/token.yaml "$k5"
	for k in "$k0" "$k1" "$k2" "$k4"; do
		run -1 "$PY" "$TESTS_DIR/tools/try_key.py" deposit/token.yaml "$k"
	done
}

@test "who wrote last comes from the commit's signature, not meta.updated_by" {
	printf 'deposit-1' | GNUPGHOME=$CIHOME coffer set deposit/token
	k0=$(key_of deposit/token.yaml)
	# ci, who knows the key, rewrites its file to say alice wrote it
	# (a valid MAC: it has the key) and signs that commit itself
	sed -i 's/updated_by: ci/updated_by: alice/' deposit/token.yaml
	printf 'deposit-1' > "$BATS_TEST_TMPDIR/v"
	"$PY" "$TESTS_DIR/tools/sops_forge.py" deposit/token.yaml value "$BATS_TEST_TMPDIR/v"
	GNUPGHOME=$CIHOME git -c user.signingkey="$CAROL" commit -q -S -am "by ci"
	run -0 coffer get deposit/token
	printf 'a1' | coffer set deposit/token
	k1=$(key_of deposit/token.yaml)
	[ "$k1" != "$k0" ]
}

@test "--as a principal whose secret key is not here cannot write, signed or not" {
	run -0 coffer member add bob --key "$FIXTURES/bob.pub.asc" --group team
	sed -i 's/require_signed_commits: true/require_signed_commits: false/' .coffer/policy.yaml
	git commit -qam "unsigned"
	snapshot
	run -5 --separate-stderr coffer --as bob set team/x --from-file "$FIXTURES/fingerprints.txt"
	assert_contains "$stderr" "no secret key of bob"
	assert_unchanged
	COFFER_PRINCIPAL=bob run -5 coffer set team/x --from-file "$FIXTURES/fingerprints.txt"
	assert_unchanged
	# with the key, the same write works
	run -0 coffer --as alice set team/x --from-file "$FIXTURES/fingerprints.txt"
}

@test "a commit whose signature names a reader but does not verify counts as unknown" {
	printf 'deposit-1' | GNUPGHOME=$CIHOME coffer set deposit/token
	k0=$(key_of deposit/token.yaml)
	# ci rewrites its file (it knows the key) and commits it under a
	# signature block copied from one of alice's commits: the issuer
	# says alice, the signature does not fit this commit
	printf 'deposit-2' > "$BATS_TEST_TMPDIR/v"
	"$PY" "$TESTS_DIR/tools/sops_forge.py" deposit/token.yaml value "$BATS_TEST_TMPDIR/v"
	git add deposit/token.yaml
	tree=$(git write-tree)
	sig=$(git cat-file commit "$(git rev-list -1 --author=alice HEAD)" | awk '/^gpgsig /{f=1} f{print} /END PGP SIGNATURE/{exit}')
	[ -n "$sig" ]
	commit=$({ printf 'tree %s\nparent %s\n' "$tree" "$(git rev-parse HEAD)"
		printf 'author ci <ci@example.test> 1700000000 +0000\n'
		printf 'committer ci <ci@example.test> 1700000000 +0000\n'
		printf '%s\n\ncoffer: set deposit/token\n' "$sig"; } |
		git hash-object -t commit -w --stdin)
	git update-ref HEAD "$commit"
	git reset -q
	run -0 git log -1 --format=%H
	[ "$output" = "$commit" ]
	printf 'a1' | coffer set deposit/token --field note
	k1=$(key_of deposit/token.yaml)
	[ "$k1" != "$k0" ]
}
