#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
load helpers

@test "init creates a store with a policy, the public key and one signed commit" {
	run -0 coffer init --key "$ALICE" --name alice "$S"
	assert_contains "$output" "for alice ($ALICE)"
	[ -f "$S/.coffer/policy.yaml" ]
	[ -f "$S/.coffer/keys/alice.asc" ]
	[ "$(commits)" = 1 ]
	run -0 git -C "$S" log -1 --format=%s%n%an%n%ae
	[ "${lines[0]}" = "coffer: init" ]
	[ "${lines[1]}" = alice ]
	[ "${lines[2]}" = alice@example.test ]
	# real git verifies the signature made through GPGME
	run -0 git -C "$S" verify-commit HEAD
	[ -z "$(git -C "$S" status --porcelain)" ]
	grep -q "require_signed_commits: true" "$S/.coffer/policy.yaml"
	grep -q "$ALICE" "$S/.coffer/policy.yaml"
}

@test "init without --key picks the only secret key and names the principal from its e-mail" {
	run -0 coffer init "$S"
	assert_contains "$output" "for alice"
}

@test "init refuses a non-empty directory that is not a git repository" {
	mkdir -p "$S" && echo hi > "$S/file"
	run -1 --separate-stderr coffer init --key "$ALICE" "$S"
	assert_contains "$stderr" "not empty"
	[ ! -d "$S/.git" ]
	[ ! -d "$S/.coffer" ]
	run -0 coffer init --force --key "$ALICE" "$S"
	[ -d "$S/.coffer" ]
}

@test "init in an existing git repository keeps its history" {
	mkdir -p "$S" && git -C "$S" init -q -b main &&
		echo x > "$S/README" && git -C "$S" add README &&
		git -C "$S" commit -qm first
	run -0 coffer init --key "$ALICE" "$S"
	[ "$(commits)" = 2 ]
}

@test "init refuses an existing store" {
	init_store
	run -7 --separate-stderr coffer init --key "$ALICE" "$S"
	assert_contains "$stderr" "already a coffer store"
}

@test "init with an unknown key exits 5; with a short key id exits 2" {
	run -5 coffer init --key "$BOB" "$S"
	run -2 coffer init --key 204E1256 "$S"
	[ ! -e "$S/.coffer" ]
}

@test "the store is found from a subdirectory, COFFER_STORE and -C" {
	init_store
	printf v | coffer set a/b
	mkdir -p "$S/a/deep" && cd "$S/a/deep"
	run -0 coffer get a/b
	[ "$output" = v ]
	cd "$BATS_TEST_TMPDIR"
	COFFER_STORE=$S run -0 coffer get a/b
	run -0 coffer -C "$S" get a/b
	[ "$output" = v ]
}
