#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
# The EXAMPLES of coffer.1 run as tests (jq's tests/mantest): each block
# marked "mantest: empty|store|sops" runs against a fixture built here;
# the comment at the top of EXAMPLES in coffer.1 gives the rules.
load helpers

MAN=$ROOT/man/coffer.1

# Writes DIR/N.kind (the marker) and DIR/N.sh (the block as a bash
# script) for each block of EXAMPLES, N from 1; prints the block count.
# In a "$ " block each command becomes
#   out=$(command
#   ); mt_check NUMBER STATUS $? "$out" SHOWN <<'MANTEST_EOF'
#   lines shown under it
#   MANTEST_EOF
extract_examples() {
	awk -v dir="$1" '
	function flush() {
		if (cmd == "")
			return
		printf "out=$(%s\n); mt_check %d %d $? \"$out\" %d <<'\''MANTEST_EOF'\''\n%sMANTEST_EOF\n",
			cmd, at, want, shown, outp > file
		cmd = ""; outp = ""; shown = 0
	}
	/^\.Sh EXAMPLES/ { ex = 1; next }
	/^\.Sh / { ex = 0 }
	!ex { next }
	/^\.\\" mantest: / { sub(/^\.\\" mantest: /, ""); kind = $0; next }
	/^\.Bd / {
		n++; file = dir "/" n ".sh"; inbd = 1; prompt = -1; cont = 0
		print (kind == "" ? "unmarked" : kind) > (dir "/" n ".kind")
		kind = ""
		next
	}
	/^\.Ed/ { if (prompt == 1) flush(); close(file); inbd = 0; next }
	!inbd { next }
	{
		line = $0
		gsub(/\\e/, "\\", line); gsub(/\\&/, "", line)
		if (prompt == -1) {
			prompt = (line ~ /^\$ /)
			if (prompt)
				print "set -o pipefail" > file
		}
		if (!prompt) { print line > file; next }
		if (cont) {
			cmd = cmd "\n" line
		} else if (line ~ /^\$ /) {
			flush()
			cmd = substr(line, 3); at = NR; want = 0
		} else if (line == "...") {
			next
		} else {
			outp = outp line "\n"; shown = 1
		}
		cont = (line ~ /\\$/)
		if (match(line, /# .*\(exit [0-9]+\)/)) {
			w = substr(line, RSTART, RLENGTH)
			sub(/.*\(exit /, "", w); sub(/\)/, "", w); want = w + 0
		}
	}
	END { print n + 0 }' "$MAN"
}

# mt_check LINE WANT GOT OUTPUT SHOWN, the lines shown on stdin: the
# command at coffer.1 line LINE exited WANT and printed what is shown.
# shellcheck disable=SC2016 # expanded where the examples run
MT_CHECK='mt_check() {
	exp=$(cat)
	if [ "$3" != "$2" ]; then
		printf "coffer.1:%s: exit %s, expected %s; output:\n%s\n" "$1" "$3" "$2" "$4" >&2
		exit 1
	fi
	if [ "$5" = 1 ] && [ "$4" != "$exp" ]; then
		printf "coffer.1:%s: printed:\n%s\nexpected:\n%s\n" "$1" "$4" "$exp" >&2
		exit 1
	fi
}'

# The fixture store: alice (admin), a payments group that reads
# payments/*, the secrets the examples name, a hook to trust, an origin
# to push to (run_example makes it); bob.asc beside it (ignored by git). new-key on PATH.
setup_file() {
	shared_store_init
	"$PY" - .coffer/policy.yaml <<'PY'
import sys
p = sys.argv[1]
t = open(p).read()
t = t.replace("groups:\n", "groups:\n    payments: []\n", 1)
t = t.replace("settings:", "    group:payments:\n        allow:\n            - action: read\n              resources: [payments/*]\nsettings:")
open(p, "w").write(t)
PY
	mkdir -p .coffer/hooks
	printf '#!/bin/sh\ncat >/dev/null\nexit 0\n' > .coffer/hooks/pg-rotate
	chmod +x .coffer/hooks/pg-rotate
	git add .coffer && git commit -qm "payments and a hook"
	printf 'payments-db-Value-1' | coffer set payments/db
	printf 'deploy-token-Value-2' | coffer set ci/deploy-token
	printf 'app-key-Value-3' | coffer set app/key
	cp "$FIXTURES/bob.pub.asc" bob.asc
	echo bob.asc >> .git/info/exclude
	git remote add origin "$BATS_FILE_TMPDIR/origin.git"	# each copy its own
	git config push.default current
	mkdir "$BATS_FILE_TMPDIR/bin"
	printf '#!/bin/sh\nhead -c 24 /dev/urandom | base64\n' > "$BATS_FILE_TMPDIR/bin/new-key"
	chmod +x "$BATS_FILE_TMPDIR/bin/new-key"
	# the sops block: its own keyring, so that alice stays the only
	# secret key of the others (coffer init picks it)
	mkdir -m 700 "$BATS_FILE_TMPDIR/sops-gnupg" "$BATS_FILE_TMPDIR/sops"
	GNUPGHOME=$BATS_FILE_TMPDIR/sops-gnupg gpg --batch --quiet --import \
		"$VECTORS/sops_functional_tests_key.asc" 2>/dev/null
	cp "$VECTORS/format.enc.yaml" "$BATS_FILE_TMPDIR/sops/secrets.enc.yaml"
}

teardown_file() {
	GNUPGHOME=$BATS_FILE_TMPDIR/sops-gnupg gpgconf --kill all 2>/dev/null || true
	GNUPGHOME=$BATS_FILE_GNUPGHOME gpgconf --kill all 2>/dev/null || true
}

setup() { shared_store; }

# run_example N KIND: runs block N in a fresh place of its kind, with a
# fresh HOME holding the git identity.
run_example() {
	local n=$1 kind=$2 dir="$BATS_TEST_TMPDIR/ex$1"
	mkdir -p "$dir/home"
	cp "$BATS_FILE_TMPDIR/home/.gitconfig" "$dir/home/"
	case $kind in
	empty) mkdir "$dir/work" ;;
	store)
		cp -a "$S" "$dir/work"
		git init -q --bare "$dir/origin.git"
		git -C "$dir/work" remote set-url origin "$dir/origin.git" ;;
	sops) cp -a "$BATS_FILE_TMPDIR/sops" "$dir/work" ;;
	*) echo "example $n: unknown kind '$kind'"; return 1 ;;
	esac
	(
		cd "$dir/work" || exit
		export HOME="$dir/home" PGUSER=payments
		export XDG_DATA_HOME="$HOME/.local/share" XDG_STATE_HOME="$HOME/.local/state"
		export PATH="$BATS_FILE_TMPDIR/bin:$PATH"
		[ "$kind" != sops ] || export GNUPGHOME=$BATS_FILE_TMPDIR/sops-gnupg
		if grep -q '^set -o pipefail$' "$EX/$n.sh"; then
			printf '%s\n' "$MT_CHECK" | cat - "$EX/$n.sh" > "$dir/run.sh"
			bash "$dir/run.sh"
		else
			# a script: it must succeed and say nothing on stderr
			bash -eo pipefail "$EX/$n.sh" 2>"$dir/stderr" >/dev/null ||
				{ st=$?; cat "$dir/stderr"; exit "$st"; }
			[ ! -s "$dir/stderr" ] || { cat "$dir/stderr"; exit 1; }
		fi
	)
}

@test "every EXAMPLES block in coffer.1 is marked, and most of them run" {
	EX=$BATS_TEST_TMPDIR/ex
	mkdir "$EX"
	run -0 extract_examples "$EX"
	blocks=$output
	[ "$blocks" -ge 6 ]
	runs=0
	for n in $(seq 1 "$blocks"); do
		kind=$(cat "$EX/$n.kind")
		case $kind in
		empty | store | sops) runs=$((runs + 1)) ;;
		"not run: "?*) ;;
		*) echo "block $n: marker '$kind'"; return 1 ;;
		esac
	done
	[ "$runs" -ge 6 ]
}

@test "the marked EXAMPLES of coffer.1 run: exit status and output as shown" {
	EX=$BATS_TEST_TMPDIR/ex
	mkdir "$EX"
	run -0 extract_examples "$EX"
	blocks=$output
	[ "$blocks" -ge 6 ]
	ran=0
	for n in $(seq 1 "$blocks"); do
		kind=$(cat "$EX/$n.kind")
		case $kind in "not run: "*) continue ;; esac
		run --separate-stderr run_example "$n" "$kind"
		[ "$status" = 0 ] || {
			echo "EXAMPLES block $n ($kind) failed ($status):"
			cat "$EX/$n.sh"
			echo "--- stdout"; echo "$output"
			echo "--- stderr"; echo "$stderr"
			return 1
		}
		ran=$((ran + 1))
	done
	[ "$ran" -ge 6 ]
}

@test "the checker is not vacuous: a wrong exit status or output fails" {
	EX=$BATS_TEST_TMPDIR/ex
	mkdir "$EX"
	MAN=$BATS_TEST_TMPDIR/coffer.1
	sed -e 's/^foo: bar$/foo: baz/' "$ROOT/man/coffer.1" > "$MAN"
	run -0 extract_examples "$EX"
	n=$(grep -l '^sops$' "$EX"/*.kind | sed 's|.*/||; s|\.kind||')
	[ -n "$n" ]
	run -1 --separate-stderr run_example "$n" sops
	assert_contains "$stderr" "expected:"
	sed -e 's/lists those secrets as exposed (exit 11)/(exit 10)/' \
		"$ROOT/man/coffer.1" > "$MAN"
	run -0 extract_examples "$EX"
	run -1 --separate-stderr run_example 2 store
	assert_contains "$stderr" "exit 11, expected 10"
}
