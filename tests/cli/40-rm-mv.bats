#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
load helpers

setup() {
	common_setup
	init_store
	printf a | coffer set team/a
	printf b | coffer set team/b
	printf c | coffer set other
}

@test "rm removes in one commit; history keeps the value" {
	before=$(commits)
	coffer rm -f team/a
	[ "$(commits)" = $((before + 1)) ]
	[ ! -e team/a.yaml ]
	run -0 git log -1 --format=%B
	assert_contains "$output" "Coffer-Op: rm"
	run -0 git show HEAD~1:team/a.yaml
	assert_contains "$output" "ENC[AES256_GCM"
	[ -z "$(git status --porcelain)" ]
}

@test "rm -r removes a folder; without -r a folder is not found" {
	snapshot
	run -4 --separate-stderr coffer rm team
	assert_contains "$stderr" "needs -r"
	assert_unchanged
	coffer rm -rf team
	[ ! -d team ]
	run -0 coffer list
	[ "$output" = other ]
}

@test "rm without a terminal needs --force; -f on a missing name is fine" {
	snapshot
	run -2 --separate-stderr coffer rm other </dev/null
	assert_contains "$stderr" "--force"
	assert_unchanged
	run -0 coffer rm -f missing
	assert_unchanged
}

@test "mv renames in one commit, keeping the value and the version" {
	before=$(commits)
	coffer mv team/a moved/a
	[ "$(commits)" = $((before + 1)) ]
	[ ! -e team/a.yaml ]
	run -0 coffer get moved/a
	[ "$output" = a ]
	run -0 git log -1 --format=%B
	assert_contains "$output" "Coffer-Renamed-From: team/a"
	[ -z "$(git status --porcelain)" ]
}

@test "mv refuses an existing target (exit 7) and a missing source (exit 4)" {
	snapshot
	run -7 --separate-stderr coffer mv team/a team/b
	assert_contains "$stderr" "already exists"
	run -4 coffer mv nope x
	assert_unchanged
}

@test "mv re-encrypts when the reader set differs" {
	# bob may read shared/*; alice reads everything
	"$PY" - .coffer/policy.yaml "$BOB" <<'PY'
import sys
p, bob = sys.argv[1], sys.argv[2]
t = open(p).read()
t = t.replace("groups:", "    bob:\n        keys: [%s]\ngroups:" % bob, 1)
t = t.replace("settings:", "    bob:\n        allow:\n            - action: read\n              resources: [shared/*]\nsettings:")
open(p, "w").write(t)
PY
	cp "$FIXTURES/bob.pub.asc" .coffer/keys/bob.asc
	git add .coffer && git commit -qm "add bob"
	coffer mv team/a shared/a
	run -0 grep -c '^          fp:' shared/a.yaml
	[ "$output" = 2 ]
	grep -q "fp: $BOB" shared/a.yaml
	run -0 coffer get shared/a
	[ "$output" = a ]
}
