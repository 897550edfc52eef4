#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
# Who am I and may I read: a policy with alice (admin) and bob (reads
# shared/*), bob in his own keyring.
load helpers

setup() {
	common_setup
	init_store
	"$PY" - .coffer/policy.yaml "$BOB" <<'PY'
import sys
p, bob = sys.argv[1], sys.argv[2]
t = open(p).read()
t = t.replace("groups:", "    bob:\n        keys: [%s]\ngroups:" % bob, 1)
t = t.replace("settings:", "    bob:\n        allow:\n            - actions: [read, write]\n              resources: [shared/*]\nsettings:")
open(p, "w").write(t)
PY
	cp "$FIXTURES/bob.pub.asc" .coffer/keys/bob.asc
	git add .coffer && git commit -qm "add bob"
	printf 'for-both' | coffer set shared/x
	printf 'alice-only' | coffer set private
	bob_keyring
}

teardown() { teardown_bob; }

@test "files are encrypted exactly to the policy readers" {
	run -0 grep -c '^          fp:' shared/x.yaml
	[ "$output" = 2 ]
	run -0 grep -c '^          fp:' private.yaml
	[ "$output" = 1 ]
	run -0 coffer info shared/x
	assert_contains "$output" "readers:     alice bob"
}

@test "bob reads what the policy lets him read, and nothing else (exit 3)" {
	GNUPGHOME=$BOBHOME run -0 coffer get shared/x
	[ "$output" = for-both ]
	GNUPGHOME=$BOBHOME run -3 --separate-stderr coffer get private
	assert_contains "$stderr" "principal 'bob' may not read 'private'"
}

@test "a reader removed from the policy but still a recipient is refused (exit 3)" {
	sed -i 's|resources: \[shared/\*\]|resources: [other/*]|' .coffer/policy.yaml
	git commit -qam "narrow bob"
	# the file still holds bob's copy of the data key (drift)
	grep -q "fp: $BOB" shared/x.yaml
	GNUPGHOME=$BOBHOME run -3 --separate-stderr coffer get shared/x
	assert_contains "$stderr" "may not read"
	[[ "$output" != *for-both* ]]
}

@test "--as a principal without a secret key here: exit 5; unknown principal: exit 3" {
	run -5 --separate-stderr coffer --as bob get shared/x
	assert_contains "$stderr" "no secret key of bob"
	run -3 --separate-stderr coffer --as mallory get shared/x
	assert_contains "$stderr" "'mallory' is not in the policy"
	COFFER_PRINCIPAL=bob run -5 coffer get shared/x
}

@test "--as '' and -C '' are usage errors (exit 2), not 'whoever I am'" {
	snapshot
	run -2 --separate-stderr coffer --as '' get shared/x
	assert_contains "$stderr" "--as needs a value"
	[ -z "$output" ]
	COFFER_PRINCIPAL=bob run -2 coffer --as= get shared/x
	run -2 --separate-stderr coffer -C '' list
	assert_contains "$stderr" "-C/--store needs a value"
	run -2 bash -c 'printf v | coffer --as "" set shared/x'
	assert_unchanged
}

@test "bob writes under shared/ (signed by bob), not elsewhere" {
	GNUPGHOME=$BOBHOME run -0 bash -c 'printf new | coffer set shared/x'
	run -0 git log -1 --format='%an %ae'
	[ "$output" = "bob bob@example.test" ]
	run -0 git verify-commit HEAD
	snapshot
	GNUPGHOME=$BOBHOME run -3 --separate-stderr bash -c 'printf v | coffer set other'
	assert_contains "$stderr" "may not write"
	assert_unchanged
}

@test "a stranger's keyring: exit 3 (no principal) for get and set" {
	export GNUPGHOME="$BATS_TEST_TMPDIR/stranger"
	mkdir -m 700 "$GNUPGHOME"
	GNUPGHOME=$GNUPGHOME gpg --batch --quiet --import "$FIXTURES/carol.sec.asc" 2>/dev/null
	snapshot
	run -3 --separate-stderr coffer get shared/x
	assert_contains "$stderr" "no principal of the policy"
	run -3 bash -c 'printf v | coffer set shared/y'
	assert_unchanged
	gpgconf --kill all
}

@test "a read outside an advisory condition is refused, saying which one" {
	"$PY" - .coffer/policy.yaml <<'PY'
import sys
p = sys.argv[1]
t = open(p).read()
t = t.replace("resources: [shared/*]\n", "resources: [shared/*]\n              conditions:\n                  - type: time_window\n                    value: Mon-Fri 09:00-17:00 UTC\n                  - type: ip_range\n                    value: 10.0.0.0/8\n", 1)
open(p, "w").write(t)
PY
	git commit -qam "bob: office hours, office network"
	# policy conditions use the real clock; check-access --at shows the
	# time window at work (2026-01-05 is a Monday)
	run -3 coffer check-access --principal bob --action read \
		--resource shared/x --at 2026-01-05T20:00:00Z --source-ip 10.9.9.9
	assert_contains "$output" "time_window Mon-Fri 09:00-17:00 UTC -> false"
	run -0 coffer check-access --principal bob --action read \
		--resource shared/x --at 2026-01-05T10:00:00Z --source-ip 10.9.9.9
	# get says which condition stood in the way (which one first
	# depends on the real time of day)
	GNUPGHOME=$BOBHOME run -3 --separate-stderr coffer get shared/x
	[[ "$stderr" == *"ip_range 10.0.0.0/8 cannot be decided"* ||
	   "$stderr" == *"time_window Mon-Fri 09:00-17:00 UTC does not hold"* ]]
	GNUPGHOME=$BOBHOME COFFER_SOURCE_IP=10.1.1.1 run --separate-stderr coffer get shared/x
	if [ "$status" = 0 ]; then
		[ "$output" = for-both ]
	else
		[ "$status" = 3 ]
		assert_contains "$stderr" "time_window Mon-Fri 09:00-17:00 UTC does not hold"
	fi
	# advisory: the file is still encrypted to bob, as plain gpg shows
	grep -q "fp: $BOB" shared/x.yaml
}

@test "COFFER_NOW moves no policy condition and no commit time" {
	"$PY" - .coffer/policy.yaml <<'PY'
import sys
p = sys.argv[1]
t = open(p).read()
t = t.replace("resources: [shared/*]\n", "resources: [shared/*]\n              conditions:\n                  - type: not_before\n                    value: 2999-01-01T00:00:00Z\n", 1)
open(p, "w").write(t)
PY
	git commit -qam "bob: not before 2999"
	# a fake clock does not step into the grant...
	GNUPGHOME=$BOBHOME COFFER_NOW=3000-01-01T00:00:00Z run -3 --separate-stderr coffer get shared/x
	assert_contains "$stderr" "not_before 2999-01-01T00:00:00Z does not hold"
	# ...nor into a commit's time
	printf 'v' | COFFER_NOW=2001-01-01T00:00:00Z coffer set shared/y
	[ "$(git log -1 --format=%ct)" -gt 1700000000 ]
	# but it is the clock of expiry
	printf 'v' | coffer set shared/z --expires 2030-01-01T00:00:00Z
	run -12 env COFFER_NOW=2031-01-01T00:00:00Z coffer get shared/z
}

@test "check-access and get agree: a deny on ip_range leaves bob no reader" {
	"$PY" - .coffer/policy.yaml <<'PY'
import sys
p = sys.argv[1]
t = open(p).read()
t = t.replace("              resources: [shared/*]\n", "              resources: [shared/*]\n        deny:\n            - action: read\n              resources: [shared/*]\n              conditions: [{ type: ip_range, value: 10.0.0.0/8 }]\n", 1)
open(p, "w").write(t)
PY
	git commit -qam "bob: not from the office network"
	run -0 coffer reencrypt
	# encryption takes the deny as holding: bob is no recipient
	run -1 grep -q "fp: $BOB" shared/x.yaml
	# so outside 10/8 check-access says deny, naming why...
	run -3 coffer check-access --principal bob --action read \
		--resource shared/x --source-ip 192.0.2.1
	assert_contains "$output" "deny (not a reader"
	run -3 coffer check-access --principal bob --action read \
		--resource shared/x --source-ip 192.0.2.1 --json
	[ "$(jq -r .decision <<<"$output")" = deny ]
	# ...and get gives the same answer and cause, not recipient drift
	GNUPGHOME=$BOBHOME COFFER_SOURCE_IP=192.0.2.1 run -3 --separate-stderr coffer get shared/x
	assert_contains "$stderr" "not a reader"
	# writes are not about decryption: bob still writes there
	run -0 coffer check-access --principal bob --action write \
		--resource shared/x --source-ip 192.0.2.1
}
