#!/usr/bin/env bats
# The write flags mean what they say: every command whose --dump-spec
# flags say "writes" makes exactly the commits coffer.1 lists for it,
# and every other command makes none.
load helpers

# The first number coffer.1's table of commits gives for command $1,
# empty if the command is not in the table.
man_commits() {
	awk -v c="$1" '/^\.Bl -column "reencrypt"/ { f = 1; next }
		f && /^\.El/ { exit }
		f && $1 == ".It" && $3 == c { sub(/,.*/, "", $5); print $5 }' \
		"$ROOT/man/coffer.1"
}

# An editor that writes $NEW into the file it is given.
new_editor() {
	ED="$BATS_TEST_TMPDIR/ed"
	# shellcheck disable=SC2016 # expanded by the editor script
	printf '#!/bin/sh\nprintf "%%s" "$NEW" > "$1"\n' > "$ED"
	chmod +x "$ED"
}

# Runs the command line (exit status 0, or one of $OK) and checks it
# added $1 commits.
expect_commits() {
	local want=$1 before after rc=0
	shift
	before=$(commits)
	"$@" >/dev/null 2>&1 || rc=$?
	[ "$rc" = 0 ] || [[ " ${OK:-} " == *" $rc "* ]] ||
		{ echo "'$*' exited $rc"; return 1; }
	after=$(commits)
	[ "$((after - before))" = "$want" ] ||
		{ echo "'$*' made $((after - before)) commits, not $want"; return 1; }
}

@test "coffer.1's table of commits names exactly the commands flagged writes" {
	run -0 coffer --dump-spec
	writers=$(awk -F'\t' '$1 == "flags" && $3 ~ /(^| )writes( |$)/ { print $2 }' <<<"$output" | sort)
	listed=$(awk '/^\.Bl -column "reencrypt"/ { f = 1; next } f && /^\.El/ { exit }
		f && $1 == ".It" { print $3 }' "$ROOT/man/coffer.1" | sort)
	[ -n "$writers" ]
	[ "$writers" = "$listed" ] || { diff <(echo "$writers") <(echo "$listed"); return 1; }
}

@test "each command adds the commits coffer.1 lists for it, the others none" {
	init_store
	new_editor
	printf v | coffer set a
	printf v | coffer set b
	printf v | coffer set c
	run -0 coffer --dump-spec
	spec=$output
	seen=0
	# shellcheck disable=SC2030,SC2031 # NEW and OK are per command line
	while IFS=$'\t' read -r kind c flags; do
		[ "$kind" = flags ] || continue
		want=$(man_commits "$c")
		if [[ " $flags " == *" writes "* ]]; then
			[ -n "$want" ] || { echo "$c writes but coffer.1 lists no commits"; return 1; }
		else
			[ -z "$want" ] || { echo "$c is listed but not flagged writes"; return 1; }
			want=0
		fi
		case $c in
		init)
			coffer init --key "$ALICE" --name alice "$BATS_TEST_TMPDIR/s2" >/dev/null
			[ "$(git -C "$BATS_TEST_TMPDIR/s2" rev-list --count HEAD)" = "$want" ] ;;
		list) expect_commits "$want" coffer list ;;
		info) expect_commits "$want" coffer info a ;;
		get) expect_commits "$want" coffer get a ;;
		set) expect_commits "$want" sh -c 'printf v2 | coffer set a' ;;
		meta) expect_commits "$want" coffer meta a --description d ;;
		edit) NEW=$'value: v3\nuser: u\n' EDITOR="$ED" expect_commits "$want" coffer edit a ;;
		rm) expect_commits "$want" coffer rm -f b c ;;
		mv) expect_commits "$want" coffer mv a a2 ;;
		decrypt) expect_commits "$want" coffer decrypt a2.yaml ;;
		generate) expect_commits "$want" coffer generate ;;
		rotate) expect_commits "$want" coffer rotate a2 ;;
		history) expect_commits "$want" coffer history a2 ;;
		check-access)
			expect_commits "$want" coffer check-access --principal alice \
				--action read --resource a2 ;;
		check) OK="10 11" expect_commits "$want" coffer check ;;
		member)
			expect_commits "$want" coffer member add bob \
				--key "$FIXTURES/bob.pub.asc" --group admins
			grep -q "fp: $BOB" a2.yaml ;;
		policy)
			# bob leaves the admins group
			NEW="$(sed '/^        - bob$/d' .coffer/policy.yaml)
" EDITOR="$ED" expect_commits "$want" coffer policy edit
			run -1 grep -q "fp: $BOB" a2.yaml ;;
		reencrypt)
			# a policy change made with plain git leaves bob out of
			# the recipients: one commit brings them back
			sed -i 's/^        - alice$/&\n        - bob/' .coffer/policy.yaml
			git -c commit.gpgsign=false commit -qam "policy by hand"
			expect_commits "$want" coffer reencrypt ;;
		audit) expect_commits "$want" coffer audit ;;
		version) expect_commits "$want" coffer version ;;
		help) expect_commits "$want" coffer help ;;
		git) [[ " $flags " == *" passthrough "* ]] ;;
		*) echo "no test for command $c: add it here"; return 1 ;;
		esac
		seen=$((seen + 1))
	done <<<"$spec"
	[ "$seen" -ge 22 ]
	# the last step really re-encrypted
	grep -q "fp: $BOB" a2.yaml
}
