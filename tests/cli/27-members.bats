#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
# Members, re-encryption and exposure (SPEC 5.3): alice (admin), bob,
# and a machine principal.
load helpers

setup() {
	common_setup
	init_store
	# the machine principal (carol's key) reads deploy/*
	"$PY" - .coffer/policy.yaml "$CAROL" <<'PY'
import sys
p, fpr = sys.argv[1], sys.argv[2]
t = open(p).read()
t = t.replace("groups:", "    ci:\n        keys: [%s]\n        kind: machine\ngroups:" % fpr, 1)
t = t.replace("settings:", "    ci:\n        allow:\n            - action: read\n              resources: [deploy/*]\n    group:team:\n        allow:\n            - actions: [read, write]\n              resources: [team/*, deploy/*]\nsettings:")
t = t.replace("groups:\n", "groups:\n    team: []\n", 1)
open(p, "w").write(t)
PY
	cp "$FIXTURES/carol.pub.asc" .coffer/keys/ci.asc
	git add .coffer && git commit -qm "ci and team"
	printf 'team-secret' | coffer set team/db
	printf 'deploy-key' | coffer set deploy/key
	printf 'alice-only' | coffer set private
	bob_keyring
}

teardown() { teardown_bob; }

# bob's copy of a file's data key, as hex (plain gpg in bob's keyring)
bob_data_key() {
	"$PY" - "$1" "$BOB" <<'PY' | GNUPGHOME=$BOBHOME gpg --batch --quiet --decrypt | od -An -tx1 | tr -d ' \n'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
print(next(e["enc"] for e in d["sops"]["pgp"] if e["fp"] == sys.argv[2]))
PY
}

@test "member add: one commit, key stored, exactly the newly readable secrets re-encrypted" {
	before=$(commits)
	run -0 --separate-stderr coffer member add bob --key "$FIXTURES/bob.pub.asc" --group team
	[ "$(commits)" = $((before + 1)) ]
	[ -f .coffer/keys/bob.asc ]
	run -0 git log -1 --format=%B
	assert_contains "$output" "Coffer-Op: member-add"
	assert_contains "$output" "Coffer-Secret: deploy/key"
	assert_contains "$output" "Coffer-Secret: team/db"
	[[ "$output" != *"Coffer-Secret: private"* ]]
	grep -q "fp: $BOB" team/db.yaml
	run -1 grep -q "fp: $BOB" private.yaml
	[ -z "$(git status --porcelain)" ]
	run -0 coffer member list --json
	[ "$(jq -r '.[] | select(.name == "bob") | .groups[0]' <<<"$output")" = team ]
	[ "$(jq -r '.[] | select(.name == "ci") | .kind' <<<"$output")" = machine ]
}

@test "bob reads what the policy lets him read, and cryptographically nothing else" {
	coffer member add bob --key "$FIXTURES/bob.pub.asc" --group team
	GNUPGHOME=$BOBHOME run -0 coffer get team/db
	[ "$output" = team-secret ]
	GNUPGHOME=$BOBHOME run -3 coffer get private
	# no policy check stands between decrypt and the file: only crypto
	GNUPGHOME=$BOBHOME run -5 coffer decrypt private.yaml
}

@test "member rm: new data keys, the old key opens nothing, exposed names him, check exits 11" {
	coffer member add bob --key "$FIXTURES/bob.pub.asc" --group team
	old=$(bob_data_key team/db.yaml)
	[ "${#old}" = 64 ]
	"$PY" "$TESTS_DIR/tools/try_key.py" team/db.yaml "$old"
	untouched=$(sha256sum private.yaml)
	before=$(commits)
	run -0 --separate-stderr coffer member rm bob
	[ "$(commits)" = $((before + 1)) ]
	[ ! -e .coffer/keys/bob.asc ]
	run -1 grep -q "fp: $BOB" team/db.yaml
	run -1 "$PY" "$TESTS_DIR/tools/try_key.py" team/db.yaml "$old"
	run -1 "$PY" "$TESTS_DIR/tools/try_key.py" deploy/key.yaml "$old"
	[ "$(sha256sum private.yaml)" = "$untouched" ]
	grep -A2 '^    exposed:' team/db.yaml | grep -q 'principal: bob'
	grep -q "fingerprint: $BOB" team/db.yaml
	run -0 coffer get team/db
	[ "$output" = team-secret ]
	run -11 coffer check
	assert_contains "$output" "problem exposed:"
	assert_contains "$output" "  team/db  bob"
	assert_contains "$output" "  deploy/key  bob"
	[[ "$output" != *"private"* ]]
	run -11 coffer check --json
	[ "$(jq -r '.problems | length' <<<"$output")" = 2 ]
	# a new value clears the exposure
	printf 'rotated' | coffer set team/db
	printf 'rotated' | coffer set deploy/key
	run -0 coffer check
	GNUPGHOME=$BOBHOME run -3 coffer get team/db
}

@test "drift: a reader added by a reviewed policy commit gets exit 5 until reencrypt" {
	coffer member add bob --key "$FIXTURES/bob.pub.asc"
	"$PY" - .coffer/policy.yaml <<'PY'
import sys, yaml
p = sys.argv[1]
d = yaml.safe_load(open(p))
d["groups"]["team"] = ["bob"]
d["policies"]["group:team"]["allow"][0]["resources"].append("private")
yaml.safe_dump(d, open(p, "w"), sort_keys=False)
PY
	git commit -qam "bob joins team"
	GNUPGHOME=$BOBHOME run -5 --separate-stderr coffer get private
	assert_contains "$stderr" "recipient drift"
	run -11 coffer check
	assert_contains "$output" "problem drift:"
	run -0 coffer check-access --readers private
	assert_contains "$output" "missing from the file's recipients"
	run -0 --separate-stderr coffer reencrypt
	assert_contains "$stderr" "3 of 3 secrets changed"
	GNUPGHOME=$BOBHOME run -0 coffer get private
	[ "$output" = alice-only ]
	run -0 coffer check
	run -0 --separate-stderr coffer reencrypt
	assert_contains "$stderr" "0 of 3 secrets changed"
}

@test "member errors: not admin 3, duplicate 7, unknown 4, self 2, bad key 2" {
	coffer member add bob --key "$FIXTURES/bob.pub.asc" --group team
	snapshot
	GNUPGHOME=$BOBHOME run -3 coffer member add dave --key "$CAROL"
	run -7 coffer member add bob --key "$FIXTURES/bob.pub.asc"
	run -7 --separate-stderr coffer member add bob2 --key "$BOB"
	assert_contains "$stderr" "already belongs to 'bob'"
	run -4 coffer member rm nobody
	run -2 coffer member rm alice
	run -2 coffer member add x --key not-a-key
	run -2 coffer member add 'bad name' --key "$BOB"
	run -2 coffer member frob
	assert_unchanged
}

@test "member rm is not blocked by a file it cannot re-encrypt: it is named, exit 11" {
	coffer member add bob --key "$FIXTURES/bob.pub.asc" --group team
	printf 'planted' | coffer set team/bad
	# bob (about to be removed, and able to push) breaks one file's MAC
	"$PY" - team/bad.yaml <<'PY'
import re, sys
p = sys.argv[1]
t = open(p).read()
t = re.sub(r"(value: ENC\[AES256_GCM,data:)(.)", lambda m: m.group(1) + ("A" if m.group(2) != "A" else "B"), t, count=1)
open(p, "w").write(t)
PY
	git commit -qam "a file nobody can re-encrypt"
	before=$(commits)
	run -11 --separate-stderr coffer member rm bob
	assert_contains "$stderr" "not re-encrypted, left as it was: team/bad: "
	[ "$(commits)" = $((before + 1)) ]
	run -0 git log -1 --format=%B
	assert_contains "$output" "1 could not be re-encrypted"
	# the revocation went through everywhere else
	run -1 grep -q "fp: $BOB" team/db.yaml
	run -1 grep -q "fp: $BOB" deploy/key.yaml
	run -1 grep -q "bob" .coffer/policy.yaml
	grep -q "fp: $BOB" team/bad.yaml
	# and check says what is left
	run -11 coffer check
	assert_contains "$output" "problem drift:"
	assert_contains "$output" "problem exposed:"
	assert_contains "$output" "  team/bad  $BOB (still a recipient)"
}
