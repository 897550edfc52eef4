#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
load helpers

setup() {
	common_setup
	init_store
	printf v | coffer set app/key
	ED="$BATS_TEST_TMPDIR/ed"
	# an editor that applies $EDIT (a python expression on t) to the text
	cat > "$ED" <<-EOF2
	#!/bin/sh
	exec "$PY" -c 'import os, sys; t = open(sys.argv[1]).read(); t = eval(os.environ["EDIT"]); open(sys.argv[1], "w").write(t)' "\$1"
	EOF2
	chmod +x "$ED"
}

@test "policy show prints the policy file" {
	run -0 coffer policy show
	[ "$output" = "$(cat .coffer/policy.yaml)" ]
}

@test "policy lint: 0 clean, 6 with file:line, warnings for advisory reads" {
	run -0 coffer policy lint
	assert_contains "$output" "ok"
	printf 'version: 1\nprincipals:\n  a: { keys: [ABCD] }\n' > "$BATS_TEST_TMPDIR/bad.yaml"
	run -6 --separate-stderr coffer policy lint "$BATS_TEST_TMPDIR/bad.yaml"
	assert_contains "$stderr" "bad.yaml:3: 'ABCD' is not a full fingerprint"
	cat > "$BATS_TEST_TMPDIR/adv.yaml" <<-EOF2
	version: 1
	principals:
	  a: { keys: [$ALICE] }
	policies:
	  a:
	    allow:
	      - action: read
	        resources: ["*"]
	        conditions: [{ type: ip_range, value: 10.0.0.0/8 }]
	EOF2
	run -0 coffer policy lint "$BATS_TEST_TMPDIR/adv.yaml"
	assert_contains "$output" "adv.yaml:7: warning: read allowed under ip_range/time_window"
}

@test "policy edit: a valid change is one commit with the re-encryption it implies" {
	before=$(commits)
	EDIT='t.replace("groups:", "    bob:\n        keys: ['$BOB']\ngroups:").replace("admins: [alice]", "admins: [alice, bob]")' \
		EDITOR="$ED" run -0 --separate-stderr coffer policy edit
	[ "$(commits)" = $((before + 1)) ]
	grep -q "fp: $BOB" app/key.yaml
	# the user's own text, comments included, is what gets committed
	head -1 .coffer/policy.yaml | grep -q '^# coffer policy'
	run -0 git log -1 --format=%B
	assert_contains "$output" "Coffer-Op: policy-edit"
	assert_contains "$output" "Coffer-Secret: app/key"
	[ -z "$(git status --porcelain)" ]
}

@test "policy edit: an invalid result changes nothing (exit 6); no change makes no commit" {
	snapshot
	EDIT='t.replace("version: 1", "version: 1\ncolour: red")' EDITOR="$ED" \
		run -6 --separate-stderr coffer policy edit
	assert_contains "$stderr" "unknown key 'colour'"
	assert_contains "$stderr" "nothing changed"
	assert_unchanged
	EDITOR=true run -0 coffer policy edit
	assert_unchanged
	# a policy that leaves a secret with no reader would lock it away
	EDIT='t.replace("admins: [alice]", "admins: []")' EDITOR="$ED" \
		run -3 --separate-stderr coffer policy edit
	assert_contains "$stderr" "no readers"
	assert_unchanged
}

@test "policy edit that drops the editor is refused (exit 2); a non-admin gets 3" {
	snapshot
	EDIT='t.replace("    alice:", "    alicia:").replace("[alice]", "[alicia]")' \
		EDITOR="$ED" run -2 --separate-stderr coffer policy edit
	assert_contains "$stderr" "drops you"
	assert_unchanged
	run -2 coffer policy frob
}
