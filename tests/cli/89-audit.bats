#!/usr/bin/env bats
# The read log (SPEC 8.3): get appends one JSON line per secret read to
# $XDG_STATE_HOME/coffer/audit.log, chained by SHA-256; audit shows it;
# audit --verify finds edited and removed lines (exit 6). Never a value.
load helpers

LOG() { echo "$XDG_STATE_HOME/coffer/audit.log"; }

setup() {
	common_setup
	init_store
	printf 'Audit-Value-0001x' | coffer set db/main
	printf 'Other-Value-0002x' | coffer set other
}

@test "get appends a line: who, what, which version, the chain; never the value" {
	[ ! -e "$(LOG)" ]
	coffer get db/main >/dev/null
	coffer get other --json >/dev/null
	coffer get db/main --field value >/dev/null
	[ "$(wc -l < "$(LOG)")" = 3 ]
	[ "$(stat -c %a "$(LOG)")" = 600 ]
	[ "$(stat -c %a "$(dirname "$(LOG)")")" = 700 ]
	run -0 jq -r '[.principal, .name, (.version | tostring), .command, .store] | join(" ")' "$(LOG)"
	[ "${lines[0]}" = "alice db/main 1 get $S" ]
	[ "${lines[1]}" = "alice other 1 get $S" ]
	run -1 grep -q Value "$(LOG)"
	# each prev is the SHA-256 of the line before (64 zeros first)
	"$PY" - "$(LOG)" <<'PY'
import hashlib, json, sys
prev = "0" * 64
for line in open(sys.argv[1], "rb").read().split(b"\n")[:-1]:
    assert json.loads(line)["prev"] == prev, line
    prev = hashlib.sha256(line).hexdigest()
PY
}

@test "a failed read is not logged; a read of an old version logs that version" {
	run -4 coffer get nothing
	[ ! -e "$(LOG)" ]
	printf 'Audit-Value-0003x' | coffer set db/main
	coffer get db/main@1 >/dev/null
	[ "$(jq -r .version "$(LOG)")" = 1 ]
}

@test "audit shows the log as text and as JSON" {
	run -0 coffer audit
	[ -z "$output" ]
	coffer get db/main >/dev/null
	coffer get other >/dev/null
	run -0 coffer audit
	[ "${#lines[@]}" = 2 ]
	assert_contains "${lines[0]}" "alice"
	assert_contains "${lines[0]}" "get     db/main v1  $S"
	run -0 coffer audit --json
	[ "$(jq -r '[.[].name] | join(" ")' <<<"$output")" = "db/main other" ]
}

@test "audit --verify: intact, then an edited line and a removed one break the chain (exit 6)" {
	run -0 coffer audit --verify
	assert_contains "$output" "0 entries"
	for _ in 1 2 3 4; do coffer get db/main >/dev/null; done
	run -0 coffer audit --verify
	assert_contains "$output" "4 entries; the chain is intact"
	cp "$(LOG)" "$BATS_TEST_TMPDIR/log"
	sed -i '2s/"db\/main"/"other"/' "$(LOG)"
	run -6 coffer audit --verify
	assert_contains "$output" "audit log line 3: the chain breaks"
	cp "$BATS_TEST_TMPDIR/log" "$(LOG)"
	sed -i '2d' "$(LOG)"
	run -6 coffer audit --verify
	assert_contains "$output" "audit log line 2: the chain breaks"
	cp "$BATS_TEST_TMPDIR/log" "$(LOG)"
	printf 'not json\n' >> "$(LOG)"
	run -6 coffer audit --verify
	assert_contains "$output" "line 5"
}

@test "reads at once each get their line, chained in order" {
	for _ in $(seq 1 12); do coffer get db/main >/dev/null & done
	wait
	[ "$(wc -l < "$(LOG)")" = 12 ]
	run -0 coffer audit --verify
	assert_contains "$output" "12 entries; the chain is intact"
}

@test "a log that cannot be written is a warning: the read still works" {
	mkdir -p "$XDG_STATE_HOME"
	: > "$XDG_STATE_HOME/coffer"	# a file where the directory should be
	run -0 coffer get db/main
	assert_contains "$output" "Audit-Value-0001x"
	assert_contains "$output" "not in the audit log"
}

@test "XDG_STATE_HOME is followed; without it the log is in ~/.local/state" {
	unset XDG_STATE_HOME
	coffer get db/main >/dev/null
	[ -f "$HOME/.local/state/coffer/audit.log" ]
}
