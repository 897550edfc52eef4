#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
load helpers

setup() {
	common_setup
	init_store
	printf 'old' | coffer set app
	printf 'bob' | coffer set app -f user
	ED="$BATS_TEST_TMPDIR/ed"
}

# An editor that records its argument and what it was shown, then
# writes $NEW into the file.
editor() {
	cat > "$ED" <<-EOF
	#!/bin/sh
	echo "\$1" > "$BATS_TEST_TMPDIR/arg"
	grep -v '^#' "\$1" > "$BATS_TEST_TMPDIR/shown"
	printf '%s' "\$NEW" > "\$1"
	EOF
	chmod +x "$ED"
}

@test "edit runs the editor on a memory file and re-encrypts the change" {
	editor
	NEW=$'value: new\nuser: bob\n' EDITOR="$ED" run -0 coffer edit app
	grep -qE '^/proc/self/fd/[0-9]+$' "$BATS_TEST_TMPDIR/arg"
	[ "$(cat "$BATS_TEST_TMPDIR/shown")" = "$(printf 'value: old\nuser: bob')" ]
	run -0 coffer get app
	[ "$output" = new ]
	run -0 coffer info app --json
	[ "$(jq .version <<<"$output")" = 3 ]
	run -0 git log -1 --format=%s
	[ "$output" = "coffer: edit app" ]
}

@test "edit leaves no plaintext file behind" {
	editor
	# made at run time, so no test source holds it
	needle="pt$RANDOM$RANDOM$RANDOM$RANDOM"
	NEW="value: $needle" EDITOR="$ED" coffer edit app
	run -0 coffer get app
	[ "$output" = "$needle" ]
	rm -f "$BATS_TEST_TMPDIR/shown"
	# files that other jobs remove while we look are not errors
	scan() {
		find "$BATS_TEST_TMPDIR" "$HOME" /tmp /dev/shm -type f -print0 \
			2>/dev/null | xargs -0 grep -l -e "$needle" 2>/dev/null | sort -u
	}
	# the scan finds a planted copy, so an empty result means something
	printf '%s' "$needle" > "$BATS_TEST_TMPDIR/planted"
	run -0 scan
	[ "$output" = "$BATS_TEST_TMPDIR/planted" ] || { echo "$output"; return 1; }
	rm "$BATS_TEST_TMPDIR/planted"
	run -0 scan
	[ -z "$output" ] || { echo "$output"; return 1; }
}

@test "edit can add and remove fields; VISUAL wins over EDITOR" {
	editor
	NEW=$'value: v\nextra: e\n' VISUAL="$ED" EDITOR=false run -0 coffer edit app
	run -0 coffer get app --all
	[ "$output" = "$(printf 'value: v\nextra: e')" ]
}

@test "no change makes no commit" {
	before=$(commits)
	EDITOR=true run -0 --separate-stderr coffer edit app
	assert_contains "$stderr" "no change"
	[ "$(commits)" = "$before" ]
}

@test "a failing editor or an invalid document changes nothing" {
	snapshot
	EDITOR=false run -1 --separate-stderr coffer edit app
	assert_contains "$stderr" "editor failed"
	assert_unchanged
	editor
	NEW='value: [unclosed' EDITOR="$ED" run -2 --separate-stderr coffer edit app
	assert_contains "$stderr" "nothing changed"
	NEW='- a list' EDITOR="$ED" run -2 coffer edit app
	assert_unchanged
}

@test "edit creates a new secret" {
	editor
	NEW=$'value: brand-new\n' EDITOR="$ED" run -0 coffer edit fresh/one
	run -0 coffer get fresh/one
	[ "$output" = brand-new ]
}

@test "edit applies what set applies: rules, strength, NUL; strength recorded" {
	editor
	printf "long-enough-value" | coffer set app
	coffer meta app --validate min_length=8
	snapshot
	NEW=$'value: short\nuser: bob\n' EDITOR="$ED" run -9 --separate-stderr coffer edit app
	assert_contains "$stderr" "nothing changed"
	assert_unchanged
	NEW=$'value: "has\\0nul-0000"\nuser: bob\n' EDITOR="$ED" run -9 --separate-stderr coffer edit app
	assert_contains "$stderr" "NUL"
	assert_unchanged
	# a strength minimum from the policy
	"$PY" - .coffer/policy.yaml <<'PY'
import sys
p = sys.argv[1]
t = open(p).read()
t += "defaults:\n    - resources: [\"*\"]\n      strength: { min_bits: 60 }\n"
open(p, "w").write(t)
PY
	git commit -qam "min_bits 60"
	snapshot
	NEW=$'value: aaaaaaaaaa\nuser: bob\n' EDITOR="$ED" run -9 --separate-stderr coffer edit app
	assert_contains "$stderr" "too weak"
	assert_unchanged
	NEW=$'value: aaaaaaaaaa\nuser: bob\n' EDITOR="$ED" run -0 coffer edit app --allow-weak
	NEW=$'value: Zq7-vR2!mW9#kL4$pX8\nuser: bob\n' EDITOR="$ED" run -0 coffer edit app
	run -0 coffer info --json app
	[ "$(jq -r '.meta.strength_bits' <<<"$output")" != null ]
}
