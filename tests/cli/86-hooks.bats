#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
# Hooks under attack (issue 13, items 11-13): a deadline on the process
# whatever its pipes do, the trusted bytes run at every step however the
# file changes, and values masked in their JSON-escaped form and across
# the output cap.
load helpers

setup() { hooks_setup; }

# Whether process $1 runs (not gone, not a zombie).
alive() {
	[ -e "/proc/$1/stat" ] && ! awk '{ exit $3 != "Z" }' "/proc/$1/stat"
}

@test "a hook that redirects its output is still killed at --hook-timeout" {
	install_hook slow <<EOF
#!/bin/sh
cat >/dev/null
echo "\$1" >> "$LOG"
if [ "\$1" = set ]; then
	exec >"$BATS_TEST_TMPDIR/out" 2>&1 </dev/null
	sleep 20
fi
exit 0
EOF
	hooked_secret slow
	SECONDS=0
	run -8 --separate-stderr coffer rotate svc/db --hook-timeout 1s
	[ "$SECONDS" -lt 6 ]
	assert_contains "$stderr" "hook set timed out after 1s"
	assert_contains "$stderr" "rolled back"
	[ "$(tr '\n' ' ' < "$LOG")" = "set rollback " ]
	[ "$(coffer get svc/db)" = old-Value-1234 ]
	[ ! -e .git/coffer.lock ]
}

@test "a background child that keeps the hook's output open does not hold coffer" {
	install_hook bg <<EOF
#!/bin/sh
cat >/dev/null
echo "\$1" >> "$LOG"
if [ "\$1" = set ]; then
	sleep 20 &
	echo \$! > "$BATS_TEST_TMPDIR/bg.pid"
	setsid sleep 20 &
	echo \$! > "$BATS_TEST_TMPDIR/escaped.pid"
fi
exit 0
EOF
	hooked_secret bg
	SECONDS=0
	run -0 --separate-stderr coffer rotate svc/db
	[ "$SECONDS" -lt 8 ]
	[ "$(tr '\n' ' ' < "$LOG")" = "set test finish " ]
	[ "$(coffer get svc/db --json | jq .version)" = 2 ]
	# what stayed in the hook's process group was killed with it
	bg=$(cat "$BATS_TEST_TMPDIR/bg.pid")
	escaped=$(cat "$BATS_TEST_TMPDIR/escaped.pid")
	[ -n "$bg" ] && [ -n "$escaped" ]
	for _ in 1 2 3 4 5 6 7 8 9 10; do alive "$bg" || break; sleep 0.1; done
	kill "$escaped" 2>/dev/null || true
	run -1 alive "$bg"
}

@test "a hook rewritten on disk between steps still runs the bytes that were trusted" {
	install_hook svc <<EOF
#!/bin/sh
cat >/dev/null
echo "trusted \$1" >> "$LOG"
if [ "\$1" = set ]; then
	# what a git pull in another terminal could do to the file
	cat > "$S/.coffer/hooks/svc" <<'X'
#!/bin/sh
cat > "$BATS_TEST_TMPDIR/leak"
echo "swapped \$1" >> "$LOG"
X
fi
exit 0
EOF
	hooked_secret svc
	run -0 --separate-stderr coffer rotate svc/db
	[ "$(tr '\n' ' ' < "$LOG")" = "trusted set trusted test trusted finish " ]
	[ ! -e "$BATS_TEST_TMPDIR/leak" ]
	grep -q swapped .coffer/hooks/svc
	# committed (as a pull would), the next rotation sees it and refuses
	git commit -qam "hook swapped"
	run -8 --separate-stderr coffer rotate svc/db
	assert_contains "$stderr" "changed since you trusted it"
	[ ! -e "$BATS_TEST_TMPDIR/leak" ]
}

@test "a hook that echoes its JSON input shows no value, escaped or not" {
	install_hook echo <<'EOF'
#!/bin/sh
cat
EOF
	printf '%s' 'old"Va\lue-1234' | coffer set svc/db
	coffer meta svc/db --hook .coffer/hooks/echo
	coffer rotate --trust-hook .coffer/hooks/echo >/dev/null
	run -0 --separate-stderr bash -c \
		"printf '%s' 'ab\"cd\\ef-New-Value-77' | coffer rotate svc/db --stdin"
	[ "$(coffer get svc/db)" = 'ab"cd\ef-New-Value-77' ]
	assert_contains "$stderr" '"fields":{"value":"*****"}'
	assert_contains "$stderr" '"previous":{"value":"*****"}'
	[[ "$stderr" != *New-Value* && "$stderr" != *lue-1234* ]]
	[[ "$stderr" != *'ab\"cd'* && "$stderr" != *'ab"cd'* ]]
	# control characters: \t, \n and \u0001 as jansson writes them
	run -0 --separate-stderr bash -c \
		"printf 'x\t\001y\nz-Ctl-Value-88' | coffer rotate svc/db --stdin"
	[ "$(coffer get svc/db | od -c | head -1)" = "$(printf 'x\t\001y\nz-Ctl-Value-88' | od -c | head -1)" ]
	assert_contains "$stderr" '"fields":{"value":"*****"}'
	assert_contains "$stderr" '"previous":{"value":"*****"}'
	[[ "$stderr" != *Ctl-Value* && "$stderr" != *New-Value* ]]
}

@test "the output cap never cuts a value in two" {
	# filler up to 3 bytes before the cap, then the new value
	install_hook cap <<'EOF'
#!/bin/sh
cat >/dev/null
head -c 1048573 /dev/zero | tr '\0' x
printf 'Zq7-cut-Value-0042'
EOF
	hooked_secret cap
	run -0 --separate-stderr bash -c \
		"printf 'Zq7-cut-Value-0042' | coffer rotate svc/db --stdin"
	[ "${#stderr}" -gt 1000000 ]
	[[ "$stderr" != *xZq* && "$stderr" != *Zq7* ]]
}
