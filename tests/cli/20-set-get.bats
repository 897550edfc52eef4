#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
load helpers

setup() {
	common_setup
	init_store
}

@test "set from a pipe, get prints exactly the bytes (no newline added off a tty)" {
	printf 's3cr3t' | coffer set prod/db/main
	coffer get prod/db/main > "$BATS_TEST_TMPDIR/out"
	[ "$(od -An -c "$BATS_TEST_TMPDIR/out" | tr -d ' \n')" = s3cr3t ]
	printf 'two\nlines\n' | coffer set multi
	coffer get multi > "$BATS_TEST_TMPDIR/out2"
	printf 'two\nlines\n' | cmp - "$BATS_TEST_TMPDIR/out2"
}

@test "every byte value but NUL round-trips; NUL needs --binary" {
	"$PY" -c 'import sys; sys.stdout.buffer.write(bytes(range(1,256)))' > "$BATS_TEST_TMPDIR/all"
	coffer set bytes --from-file "$BATS_TEST_TMPDIR/all"
	coffer get bytes | cmp - "$BATS_TEST_TMPDIR/all"
	head -c 4096 /dev/urandom > "$BATS_TEST_TMPDIR/bin"
	printf '\0' >> "$BATS_TEST_TMPDIR/bin"
	snapshot
	run -9 --separate-stderr coffer set blob --from-file "$BATS_TEST_TMPDIR/bin"
	assert_contains "$stderr" "NUL byte"
	assert_unchanged
	coffer set blob --binary --from-file "$BATS_TEST_TMPDIR/bin"
	coffer get blob | cmp - "$BATS_TEST_TMPDIR/bin"
	grep -A1 '^    binary:' "$S/blob.yaml" | grep -q -- '- value'
}

@test "several fields; --all as YAML and JSON; --env" {
	printf 'pw' | coffer set app
	printf 'bob' | coffer set app --field username
	printf "it's" | coffer set app -f note
	run -0 coffer get app --field username
	[ "$output" = bob ]
	run -0 coffer get 'coffer://app#note'
	[ "$output" = "it's" ]
	run -0 coffer get app --all
	[ "${lines[0]}" = "value: pw" ]
	[ "${lines[1]}" = "username: bob" ]
	run -0 coffer get app --all --json
	[ "$(jq -r .fields.username <<<"$output")" = bob ]
	[ "$(jq -r .version <<<"$output")" = 3 ]
	run -0 coffer get app --all --env
	assert_contains "$output" "NOTE='it'\\''s'"
	eval "$output"
	[ "$NOTE" = "it's" ]
	run -4 coffer get app --field nope
}

@test "one commit per write with the message and trailers of SPEC 8.1, never the value" {
	before=$(commits)
	printf 'hunter2' | coffer set svc/token -m "rotate for the audit"
	[ "$(commits)" = $((before + 1)) ]
	run -0 git log -1 --format=%B
	[ "${lines[0]}" = "coffer: set svc/token" ]
	assert_contains "$output" "rotate for the audit"
	assert_contains "$output" "Coffer-Op: set"
	assert_contains "$output" "Coffer-Secret: svc/token"
	assert_contains "$output" "Coffer-Version: 1"
	run -0 git log -p --all
	[ -n "$output" ]
	[[ "$output" != *hunter2* ]]
	[ -z "$(git status --porcelain)" ]
}

@test "a commit message holding the value is refused" {
	snapshot
	run -9 --separate-stderr bash -c "printf 'hunter2' | coffer set x -m 'pw is hunter2'"
	[[ "$stderr" != *"hunter2"* ]]
	assert_unchanged
}

@test "updating one field keeps the other fields' ENC strings byte for byte" {
	printf 'one' | coffer set s
	printf 'two' | coffer set s -f second
	before=$(grep '^    value:' s.yaml)
	printf 'three' | coffer set s -f second
	[ "$(grep '^    value:' s.yaml)" = "$before" ]
	run -0 git diff HEAD~1 -- s.yaml
	changed=$(grep -E '^[-+] ' <<<"$output" | grep -vE 'version:|updated:|strength_bits:|lastmodified|mac:|second:' || true)
	[ -z "$changed" ]
}

@test "versions: bump on set, --if-version is check-and-set (exit 7)" {
	printf a | coffer set v
	printf b | coffer set v
	run -0 coffer info v --json
	[ "$(jq .version <<<"$output")" = 2 ]
	snapshot
	run -7 --separate-stderr bash -c 'printf c | coffer set v --if-version 1'
	assert_contains "$stderr" "version 2, not 1"
	assert_unchanged
	printf c | coffer set v --if-version 2
	run -0 coffer get v@1
	[ "$output" = a ]
	run -0 coffer get v --version previous
	[ "$output" = b ]
	run -4 coffer get v@9
}

@test "metadata: description, tags, expiry; meta does not bump the version" {
	printf x | coffer set db -d "Payments DB" -t env=prod -t service=db
	coffer meta db --untag service -t owner=pay --ttl 30d
	run -0 coffer info db --json
	[ "$(jq -r .meta.description <<<"$output")" = "Payments DB" ]
	[ "$(jq -r .meta.tags.owner <<<"$output")" = pay ]
	[ "$(jq -r .meta.tags.service <<<"$output")" = null ]
	[ "$(jq .version <<<"$output")" = 1 ]
	[ "$(jq -r .meta.expires <<<"$output")" != null ]
	run -0 git log -1 --format=%s
	[ "$output" = "coffer: meta db" ]
}

@test "an expired secret is refused with exit 12 unless --allow-expired" {
	printf x | COFFER_NOW=2026-01-01T00:00:00Z coffer set old --expires 2026-02-01T00:00:00Z
	run -0 env COFFER_NOW=2026-01-15T00:00:00Z coffer get old
	run -12 --separate-stderr env COFFER_NOW=2026-03-01T00:00:00Z coffer get old
	assert_contains "$stderr" "expired at 2026-02-01T00:00:00Z"
	run -0 env COFFER_NOW=2026-03-01T00:00:00Z coffer get old --allow-expired
	[ "$output" = x ]
}

@test "--generate stores a generated value and records its entropy" {
	coffer set gen --generate random:length=24,symbols
	run -0 coffer get gen
	[ "${#output}" = 24 ]
	grep -q 'strength_bits: 15[0-9]\.' gen.yaml
}

@test "a value over 1 MiB is refused (exit 9)" {
	head -c 1048577 /dev/zero | tr '\0' a > "$BATS_TEST_TMPDIR/big"
	snapshot
	run -9 --separate-stderr coffer set big --from-file "$BATS_TEST_TMPDIR/big"
	assert_contains "$stderr" "1 MiB"
	assert_unchanged
}
