#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
# Interoperability with things we did not write: sops's own files, plain
# gpg reading our data keys, an independent MAC check, real git.
load helpers

# The vectors are committed (tests/fixtures/sops): a missing one fails.
needs_vectors() {
	[ -f "$VECTORS/sops_functional_tests_key.asc" ] ||
		{ echo "sops vectors not found at $VECTORS"; return 1; }
}

import_sops_key() {
	gpg --batch --quiet --import "$VECTORS/sops_functional_tests_key.asc" 2>/dev/null
}

@test "coffer decrypt opens every sops YAML vector; values equal the derived plaintexts" {
	needs_vectors
	import_sops_key
	for v in example.yaml format.enc.yaml comments.enc.yaml \
		comments_unencrypted_comments.yaml multiple_keys.yaml \
		history/6788bf8ee/example.yaml; do
		run -0 --separate-stderr coffer decrypt --json "$VECTORS/$v"
		[ -n "$output" ]
		"$PY" "$TESTS_DIR/tools/derived_leaves.py" \
			"$VECTORS/DERIVED-expected-plaintexts.json" "$v" <<<"$output"
	done
}

@test "decrypt prints the document like sops --decrypt" {
	needs_vectors
	import_sops_key
	run -0 coffer decrypt "$VECTORS/format.enc.yaml"
	[ "$output" = "foo: bar" ]
	run -0 coffer decrypt "$VECTORS/multiple_keys.yaml"
	[ "$output" = "message: hello" ]
	run -0 coffer decrypt "$VECTORS/example.yaml"
	assert_contains "$output" "myapp1: t00m4nys3cr3tzupdated"
	assert_contains "$output" "        password: c4r1b0u"
	# what decrypt prints is YAML a third party reads back
	"$PY" -c 'import sys, yaml; d = yaml.safe_load(sys.stdin); assert d["app2"]["db"]["user"] == "eve"' <<<"$output"
}

@test "no_mac.yaml and the hand-edited history vector are refused (exit 6)" {
	needs_vectors
	import_sops_key
	run -6 --separate-stderr coffer decrypt "$VECTORS/no_mac.yaml"
	assert_contains "$stderr" "MAC is missing"
	run -6 --separate-stderr coffer decrypt "$VECTORS/history/72c0ab63a/example.yaml"
	assert_contains "$stderr" "MAC mismatch"
}

@test "a file nobody in the keyring can open: exit 5" {
	needs_vectors
	export GNUPGHOME="$BATS_TEST_TMPDIR/empty-gnupg"
	mkdir -m 700 "$GNUPGHOME"
	run -5 --separate-stderr coffer decrypt "$VECTORS/format.enc.yaml"
	assert_contains "$stderr" "no secret key"
}

@test "what coffer writes: plain gpg opens the data key, an independent reader checks the MAC" {
	init_store
	printf 's3cr3t' | coffer set prod/db/main -d "Payments DB" -t env=prod
	printf 'admin' | coffer set prod/db/main -f username
	coffer set prod/db/main -f token --generate hex:bytes=16
	run -0 "$PY" "$TESTS_DIR/tools/sops_check.py" prod/db/main.yaml
	assert_contains "$output" "data/value=s3cr3t"
	assert_contains "$output" "data/username=admin"
	# and coffer reads its own file the same way
	run -0 coffer decrypt prod/db/main.yaml
	assert_contains "$output" "value: s3cr3t"
	assert_contains "$output" "description: Payments DB"
}

@test "the checker is not vacuous: it rejects a file whose meta was edited" {
	init_store
	printf 'x' | coffer set t
	sed -i 's/^    version: 1$/    version: 2/' t.yaml
	run -1 "$PY" "$TESTS_DIR/tools/sops_check.py" t.yaml
	assert_contains "$output" "MAC mismatch"
}

@test "the layout is sops's: 4-space indent, quoted timestamps, encrypted_regex, version 3.13.2" {
	init_store
	printf 'x' | coffer set t
	grep -qE '^    created: "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"$' t.yaml
	grep -qE '^    lastmodified: "' t.yaml
	grep -qxF '    encrypted_regex: ^(data|previous)$' t.yaml
	grep -qx '    version: 3.13.2' t.yaml
	grep -qx "          fp: $ALICE" t.yaml
	grep -qxF '          enc: |-' t.yaml
	[ "$(tail -c1 t.yaml | od -An -c | tr -d ' ')" = '\n' ]
}
