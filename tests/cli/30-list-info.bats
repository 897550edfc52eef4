#!/usr/bin/env bats
load helpers

setup() {
	common_setup
	init_store
	for n in prod/db/main prod/db/replica prod/api/key staging/db/main top; do
		printf x | coffer set "$n" -t "env=${n%%/*}"
	done
}

@test "list prints one name per line off a tty, sorted" {
	run -0 coffer list
	[ "${lines[0]}" = prod/api/key ]
	[ "${lines[4]}" = top ]
	[ "${#lines[@]}" = 5 ]
}

@test "list PREFIX matches whole segments" {
	run -0 coffer list prod/db
	[ "$output" = "$(printf 'prod/db/main\nprod/db/replica')" ]
	run -0 coffer list prod/d
	[ -z "$output" ]
}

@test "list --tag filters on metadata; --json is an array" {
	run -0 coffer list --tag env=staging
	[ "$output" = staging/db/main ]
	run -0 coffer list --json prod/api
	[ "$(jq -r '.[0]' <<<"$output")" = prod/api/key ]
	run -0 coffer --json list --long top
	[ "$(jq -r '.[0].version' <<<"$output")" = 1 ]
	[ "$(jq -r '.[0].readers' <<<"$output")" = 1 ]
	[ "$(jq -r '.[0].drift' <<<"$output")" = false ]
}

@test "list --long --json is one array, pretty-printed as every --json is" {
	run -0 coffer list --long --json
	[ "$(jq -r '[.[].name] | join(" ")' <<<"$output")" = \
		"prod/api/key prod/db/main prod/db/replica staging/db/main top" ]
	[ "$output" = "$(jq --indent 2 . <<<"$output")" ]
	run -0 coffer list --long --json nothing/
	[ "$output" = "[]" ]
	run -0 coffer list --long --json --tag env=staging
	[ "$(jq -r 'length' <<<"$output")" = 1 ]
}

@test "list on a terminal draws a tree" {
	run -0 script -qec "coffer -C '$S' list" /dev/null
	assert_contains "$output" "├── prod"
	assert_contains "$output" "│   ├── api"
	assert_contains "$output" "└── top"
}

@test "list, info and check read no GnuPG: they work with gpg missing" {
	mkdir "$BATS_TEST_TMPDIR/bin"
	for t in git sh; do ln -s "$(command -v $t)" "$BATS_TEST_TMPDIR/bin/"; done
	PATH="$ROOT:$BATS_TEST_TMPDIR/bin" run -0 "$ROOT/coffer" list
	[ "${#lines[@]}" = 5 ]
	PATH="$ROOT:$BATS_TEST_TMPDIR/bin" run -0 "$ROOT/coffer" info prod/db/main
	assert_contains "$output" "readers:     alice"
	PATH="$ROOT:$BATS_TEST_TMPDIR/bin" run -0 "$ROOT/coffer" check
	PATH="$ROOT:$BATS_TEST_TMPDIR/bin" run -5 "$ROOT/coffer" get prod/db/main
}

@test "info shows metadata, fields, readers, recipients and the last commit" {
	printf u | coffer set prod/db/main -f username -d "Main DB"
	run -0 coffer info prod/db/main
	assert_contains "$output" "version:     2"
	assert_contains "$output" "description: Main DB"
	assert_contains "$output" "fields:      value username"
	assert_contains "$output" "$ALICE alice"
	assert_contains "$output" "signed"
	run -0 coffer info prod/db/main --json
	[ "$(jq -r '.fields | join(",")' <<<"$output")" = value,username ]
	[ "$(jq -r '.recipients[0].fingerprint' <<<"$output")" = "$ALICE" ]
	[ "$(jq -r '.last_commit.signed' <<<"$output")" = true ]
	run -4 coffer info nope
}

@test "an empty store lists nothing, checks clean, re-encrypts nothing" {
	coffer rm -rf prod staging top
	run -0 coffer list
	[ -z "$output" ]
	run -0 coffer list --json
	[ "$output" = "[]" ]
	run -0 coffer check
	run -0 coffer reencrypt
}
