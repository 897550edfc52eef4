#!/usr/bin/env bats
# Completions are generated from the command table and loaded by real
# shells.
load helpers

# Runs the bash completion for a command line (the last word is the one
# being completed) and prints the candidates.
complete_bash() {
	bash -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_coffer
		printf "%s\n" "${COMPREPLY[@]}"' _ "$ROOT/completions/coffer.bash" "$@"
}

@test "gen.sh output equals the committed completion files" {
	mkdir "$BATS_TEST_TMPDIR/gen"
	"$ROOT/completions/gen.sh" "$ROOT/coffer" "$BATS_TEST_TMPDIR/gen"
	for f in coffer.bash _coffer coffer.fish; do
		diff -u "$ROOT/completions/$f" "$BATS_TEST_TMPDIR/gen/$f"
	done
}

@test "bash: coffer g<TAB> offers get, generate and git" {
	run -0 complete_bash coffer g
	[ "$output" = "$(printf 'get\ngenerate\ngit')" ]
}

@test "bash: options of a command, and global options" {
	run -0 complete_bash coffer get --al
	[ "$(sort <<<"$output" | tr '\n' ' ')" = "--all --allow-expired " ]
	run -0 complete_bash coffer --js
	[ "$output" = --json ]
}

@test "bash: coffer get pr<TAB> offers secret names from the store" {
	init_store
	printf x | coffer set prod/db/main
	printf x | coffer set prod/api
	printf x | coffer set staging/db
	run -0 complete_bash coffer get pr
	[ "$output" = "$(printf 'prod/api\nprod/db/main')" ]
	cd /
	run -0 complete_bash coffer -C "$S" rm st
	[ "$output" = staging/db ]
}

@test "bash: an option that takes a value completes no names" {
	init_store
	printf x | coffer set prod/db
	run -0 complete_bash coffer get --field ""
	[ -z "$output" ]
	run -0 complete_bash coffer set x --from-file "$ROOT/READ"
	[ "$output" = "$ROOT/README.md" ]
}

@test "zsh loads _coffer; fish loads coffer.fish" {
	run -0 zsh -fc "fpath=('$ROOT/completions' \$fpath); autoload -U compinit; compinit -u -d '$BATS_TEST_TMPDIR/zcd'; autoload -Uz _coffer; whence -w _coffer"
	assert_contains "$output" "_coffer: function"
	run -0 fish --no-config -c "source '$ROOT/completions/coffer.fish'; complete -C 'coffer ge'"
	assert_contains "$output" "get"
	assert_contains "$output" "generate"
}

@test "bash: coffer check-access --action <TAB> offers the actions" {
	run -0 complete_bash coffer check-access --action ""
	[ "$output" = "$(printf 'list\nread\nwrite\nrotate\ndelete\nadmin')" ]
	run -0 complete_bash coffer check-access --action r
	[ "$output" = "$(printf 'read\nrotate')" ]
}

@test "bash: principals come from coffer member list; member and policy subcommands" {
	init_store
	run -0 complete_bash coffer check-access --principal al
	[ "$output" = alice ]
	run -0 complete_bash coffer --as ""
	[ "$output" = alice ]
	run -0 complete_bash coffer member ""
	[ "$output" = "$(printf 'add\nrm\nlist')" ]
	run -0 complete_bash coffer policy l
	[ "$output" = lint ]
}
