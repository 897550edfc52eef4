#!/usr/bin/env bats
# The command table drives help: every command handles -h, and the
# global options and usage errors behave.
load helpers

@test "every command in --dump-spec answers -h on stdout with exit 0" {
	run -0 coffer --dump-spec
	# a passthrough command (git) passes -h on
	cmds=$(awk -F'\t' '$1 == "flags" && $3 !~ /passthrough/ { print $2 }' <<<"$output")
	[ -n "$cmds" ]
	[[ "$cmds" != *git* ]]
	for c in $cmds; do
		run -0 --separate-stderr coffer "$c" -h
		assert_contains "$output" "usage: coffer $c"
		[ -z "$stderr" ]
	done
}

@test "help COMMAND equals COMMAND -h" {
	run -0 coffer help get
	a=$output
	run -0 coffer get -h
	[ "$a" = "$output" ]
}

@test "an unknown command is a usage error (exit 2)" {
	run -2 --separate-stderr coffer frobnicate
	assert_contains "$stderr" "'frobnicate' is not a coffer command"
}

@test "an unknown option is a usage error with the command's usage" {
	run -2 --separate-stderr coffer get --bogus x
	assert_contains "$stderr" "coffer: get: unknown option '--bogus'"
	assert_contains "$stderr" "usage: coffer get REF"
}

@test "no command prints usage on stderr and exits 2" {
	run -2 --separate-stderr coffer
	assert_contains "$stderr" "usage: coffer"
}

@test "--version and version agree" {
	run -0 coffer --version
	a=$output
	run -0 coffer version
	[ "$a" = "$output" ]
	[[ "$output" =~ ^coffer\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "a write error on stdout is an error (exit 1)" {
	run -1 --separate-stderr bash -c 'coffer --help > /dev/full'
	assert_contains "$stderr" "cannot write output"
}

@test "a closed stdout is replaced by /dev/null, never reused for a file" {
	run -0 bash -c 'coffer --help >&-'
}

@test "every man page is clean under mandoc -Tlint" {
	n=0
	for page in "$ROOT"/man/*.[0-9]; do
		run -0 mandoc -Tlint -W warning "$page"
		[ -z "$output" ] || { echo "$page: $output"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -ge 3 ]
}

@test "every command and each of its long options is in coffer.1" {
	run -0 coffer --dump-spec
	spec=$output
	man=$(cat "$ROOT/man/coffer.1")
	n=0
	while IFS=$'\t' read -r kind cmd name _; do
		if [ "$kind" = cmd ]; then
			grep -qE "^\.(Cm|It Cm) $cmd( |$)" "$ROOT/man/coffer.1" ||
				{ echo "command $cmd not in coffer.1"; return 1; }
		elif [ "$kind" = opt ]; then
			grep -qE "Fl -$name( |$)" "$ROOT/man/coffer.1" ||
				{ echo "option --$name of $cmd not in coffer.1"; return 1; }
		fi
		n=$((n + 1))
	done <<<"$spec"
	[ "$n" -gt 40 ]
}

@test "the EXIT STATUS table in coffer.1 equals the codes in cli/exit.h" {
	code=$(grep -oE '= [0-9]+,' "$ROOT/cli/exit.h" | tr -dc '0-9\n' | sort -n | tr '\n' ' ')
	man=$(awk '/^\.Sh EXIT STATUS/{f=1;next} /^\.Sh/{f=0} f && /^\.It [0-9]+$/{print $2}' \
		"$ROOT/man/coffer.1" | sort -n | tr '\n' ' ')
	[ -n "$code" ]
	[ "$code" = "$man" ] || { echo "exit.h: $code"; echo "coffer.1: $man"; return 1; }
}

@test "each command's usage line is its SYNOPSIS in coffer.1 (same words)" {
	run -0 coffer --dump-spec
	# shellcheck disable=SC2013 # command names are single words
	for c in $(awk -F'\t' '$1 == "cmd" { print $2 }' <<<"$output"); do
		run -0 coffer help "$c"
		usage=$(head -1 <<<"$output" | sed 's/^usage: coffer //')
		# every option word of the usage appears in the synopsis block
		# shellcheck disable=SC2013 # and so are option names
		for w in $(grep -oE -- '--[a-z-]+' <<<"$usage"); do
			awk '/^\.Sh SYNOPSIS/{f=1} /^\.Sh DESCRIPTION/{f=0} f' "$ROOT/man/coffer.1" |
				grep -qE "Fl -${w#--}( |$)" ||
				{ echo "$c: $w missing from SYNOPSIS"; return 1; }
		done
	done
}

@test "libgit2 is loaded on demand: repo.c calls only what git2dyn.h loads" {
	used=$(grep -oE '\bgit_[a-z0-9_]+\(' "$ROOT/lib/repo.c" | tr -d '(' | sort -u)
	listed=$(grep -oE '^	X\(git_[a-z0-9_]+\)' "$ROOT/lib/git2dyn.h" | tr -d 'X()\t' | sort -u)
	[ -n "$used" ]
	[ "$used" = "$listed" ] || { diff <(echo "$used") <(echo "$listed"); return 1; }
	run -0 ldd "$ROOT/coffer"
	[[ "$output" != *libgit2* ]]
	run -1 grep -lE '\bgit_[a-z_]+\(' "$ROOT"/cli/*.c "$ROOT"/lib/[!r]*.c
}

@test "slow_test: a slow test runs, but with COFFER_SLOW_TESTS=0 is 'not run'" {
	d="$BATS_TEST_TMPDIR/t"
	mkdir -p "$d/cli"
	ln -s "$FIXTURES" "$d/fixtures"
	ln -s "$TESTS_DIR/cli/helpers.bash" "$d/cli/helpers.bash"
	# shellcheck disable=SC2016 # expanded by the inner test
	printf '%s\n' 'load helpers' '@test "slow" {' '	slow_test' \
		'	touch "$SLOW_MARK"' '}' > "$d/cli/slow.bats"
	export SLOW_MARK="$BATS_TEST_TMPDIR/ran"
	run -0 env COFFER_SLOW_TESTS=0 bats --tap "$d/cli/slow.bats"
	assert_contains "$output" "ok 1 slow # skip not run: slow"
	[ ! -e "$SLOW_MARK" ]
	run -0 env -u COFFER_SLOW_TESTS bats --tap "$d/cli/slow.bats"
	[ "${lines[1]}" = "ok 1 slow" ]
	[ -e "$SLOW_MARK" ]
}
