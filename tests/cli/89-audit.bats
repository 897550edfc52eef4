#!/usr/bin/env bats
# The read log (SPEC 8.3): get appends one JSON line per secret read to
# $XDG_STATE_HOME/coffer/audit.log, chained by SHA-256, and replaces its
# head (audit.log.head: line count, SHA-256 of the last line); audit
# shows it; audit --verify finds edited and removed lines, in the middle
# and at the end (exit 6). Never a value.
load helpers

LOG() { echo "$XDG_STATE_HOME/coffer/audit.log"; }
HEAD() { echo "$XDG_STATE_HOME/coffer/audit.log.head"; }

# The head that describes the log as it is: {"lines":N,"last":SHA-256}.
head_of_log() {
	"$PY" - "$(LOG)" <<'PY'
import hashlib, json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")[:-1]
print(json.dumps({"lines": len(lines),
                  "last": hashlib.sha256(lines[-1]).hexdigest()},
                 separators=(",", ":")))
PY
}

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
	# each prev is the SHA-256 of the line before (64 zeros first), each
	# seq its line number; the head counts them and hashes the last
	"$PY" - "$(LOG)" <<'PY'
import hashlib, json, sys
prev, n = "0" * 64, 1
for line in open(sys.argv[1], "rb").read().split(b"\n")[:-1]:
    assert json.loads(line)["prev"] == prev, line
    assert json.loads(line)["seq"] == n, line
    n += 1
    prev = hashlib.sha256(line).hexdigest()
PY
	[ "$(cat "$(HEAD)")" = "$(head_of_log)" ]
	[ "$(stat -c %a "$(HEAD)")" = 600 ]
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

@test "reads at once each get their line, chained in order, and the head counts them all" {
	for _ in $(seq 1 12); do coffer get db/main >/dev/null & done
	wait
	[ "$(wc -l < "$(LOG)")" = 12 ]
	[ "$(cat "$(HEAD)")" = "$(head_of_log)" ]
	[ "$(stat -c %a "$(HEAD)")" = 600 ]
	run -0 jq -r .seq "$(LOG)"
	[ "$output" = "$(seq 1 12)" ]
	run -0 --separate-stderr coffer audit --verify
	assert_contains "$output" "12 entries; the chain is intact"
	[ -z "$stderr" ]
}

@test "a log that cannot be written is a warning: the read still works" {
	mkdir -p "$XDG_STATE_HOME"
	: > "$XDG_STATE_HOME/coffer"	# a file where the directory should be
	run -0 coffer get db/main
	assert_contains "$output" "Audit-Value-0001x"
	assert_contains "$output" "warning: audit log: "
}

@test "XDG_STATE_HOME is followed; without it the log is in ~/.local/state" {
	unset XDG_STATE_HOME
	coffer get db/main >/dev/null
	[ -f "$HOME/.local/state/coffer/audit.log" ]
}

@test "audit --verify: the last line removed breaks the log (exit 6)" {
	for _ in 1 2 3; do coffer get db/main >/dev/null; done
	run -0 coffer audit --verify
	sed -i '$d' "$(LOG)"
	[ "$(wc -l < "$(LOG)")" = 2 ]
	cp "$(HEAD)" "$BATS_TEST_TMPDIR/head"
	run -6 coffer audit --verify
	assert_contains "$output" "the audit log has 2 lines, but its head '$(HEAD)' says 3: line 3 was removed from its end"
	cmp "$(HEAD)" "$BATS_TEST_TMPDIR/head"	# verify changed nothing
	# the next read does not hide it: the head stays where it was
	coffer get db/main >/dev/null
	cmp "$(HEAD)" "$BATS_TEST_TMPDIR/head"
	run -6 coffer audit --verify
	assert_contains "$output" "audit log line 3 is not the line its head '$(HEAD)' recorded"
}

@test "audit --verify: a log truncated to empty, or removed, is broken (exit 6)" {
	for _ in 1 2 3; do coffer get db/main >/dev/null; done
	: > "$(LOG)"
	run -6 coffer audit --verify
	assert_contains "$output" "the audit log has 0 lines, but its head '$(HEAD)' says 3: lines 1-3 were removed"
	coffer get db/main >/dev/null
	run -6 coffer audit --verify
	assert_contains "$output" "the audit log has 1 line, but its head '$(HEAD)' says 3: lines 2-3 were removed"
	rm "$(LOG)"
	run -6 coffer audit --verify
	assert_contains "$output" "the audit log '$(LOG)' is missing, but its head says it had 3 lines"
	[ ! -e "$(LOG)" ]
}

@test "audit --verify: the last line replaced, its chain kept, is broken (exit 6)" {
	for _ in 1 2 3; do coffer get db/main >/dev/null; done
	sed -i '3s/"db\/main"/"other"/' "$(LOG)"	# prev is still right
	run -6 coffer audit --verify
	assert_contains "$output" "audit log line 3 is not the line its head '$(HEAD)' recorded: the end of the log was removed or replaced"
}

@test "audit --verify: a log one line past its head (a crash before the head) is intact" {
	coffer get db/main >/dev/null
	coffer get other >/dev/null
	cp "$(HEAD)" "$BATS_TEST_TMPDIR/head"
	coffer get db/main >/dev/null
	cp "$BATS_TEST_TMPDIR/head" "$(HEAD)"	# as if killed before the head
	run -0 --separate-stderr coffer audit --verify
	assert_contains "$output" "3 entries; the chain is intact"
	assert_contains "$stderr" "the log had 1 line past its head"
	[ "$(cat "$(HEAD)")" = "$(head_of_log)" ]
	# the next read after such a crash moves the head on too
	cp "$BATS_TEST_TMPDIR/head" "$(HEAD)"
	coffer get other >/dev/null
	[ "$(cat "$(HEAD)")" = "$(head_of_log)" ]
	run -0 --separate-stderr coffer audit --verify
	assert_contains "$output" "4 entries; the chain is intact"
	[ -z "$stderr" ]
}

@test "audit --verify: a deleted head is reported (exit 6), and a read does not make a new one" {
	for _ in 1 2 3; do coffer get db/main >/dev/null; done
	rm "$(HEAD)"
	run -6 coffer audit --verify
	assert_contains "$output" "the audit log's head '$(HEAD)' is missing: lines may have been removed"
	[ ! -e "$(HEAD)" ]
	coffer get db/main >/dev/null
	[ ! -e "$(HEAD)" ]
	run -6 coffer audit --verify
	assert_contains "$output" "head '$(HEAD)' is missing"
	printf 'not a head\n' > "$(HEAD)"
	run -6 coffer audit --verify
	assert_contains "$output" "the audit log's head '$(HEAD)' is malformed"
}

@test "a log from before the head is taken as it is, once, and checked from then on" {
	mkdir -p "$(dirname "$(LOG)")"
	# three lines as an older coffer wrote them: no seq, no head
	"$PY" - "$(LOG)" "$S" <<'PY'
import hashlib, json, sys
prev, out = "0" * 64, b""
for i in range(3):
    line = json.dumps({"time": "2024-01-0%dT00:00:00Z" % (i + 1),
                       "store": sys.argv[2], "principal": "alice",
                       "name": "db/main", "version": 1, "command": "get",
                       "pid": 100 + i, "prev": prev},
                      separators=(",", ":")).encode()
    out += line + b"\n"
    prev = hashlib.sha256(line).hexdigest()
open(sys.argv[1], "wb").write(out)
PY
	cp "$(LOG)" "$BATS_TEST_TMPDIR/log"
	run -0 --separate-stderr coffer audit --verify
	assert_contains "$output" "3 entries; the chain is intact"
	assert_contains "$stderr" "no head yet (written by an older coffer): its 3 lines are taken as they are"
	[ "$(cat "$(HEAD)")" = "$(head_of_log)" ]
	run -0 --separate-stderr coffer audit --verify
	[ -z "$stderr" ]
	sed -i '$d' "$(LOG)"
	run -6 coffer audit --verify
	assert_contains "$output" "line 3 was removed"
	# the same log read by this coffer first: the read adopts it
	cp "$BATS_TEST_TMPDIR/log" "$(LOG)"
	rm "$(HEAD)"
	coffer get other >/dev/null
	[ "$(jq -r .seq "$(LOG)" | tail -1)" = 4 ]
	[ "$(cat "$(HEAD)")" = "$(head_of_log)" ]
	run -0 --separate-stderr coffer audit --verify
	assert_contains "$output" "4 entries; the chain is intact"
	[ -z "$stderr" ]
}
