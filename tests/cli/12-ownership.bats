#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
# A store that coffer finds by itself (a parent of the working directory,
# or the default under XDG_DATA_HOME) must be the user's own: another
# user who can write a shared parent directory must not be able to plant
# one (issue 12 item 6; git's CVE-2022-24765). Naming the store with -C
# or COFFER_STORE is the override.
#
# Only root can give a file to another uid, and the suite runs as root
# in CI but may run as anyone. So the other user is OTHER (nobody,
# 65534, or 65533 if we are nobody), and:
# - as root, the planted store is really chowned to OTHER, and coffer
#   runs as us: this is also the "root in a user's store" case;
# - as any other user, the files stay ours and the victim's coffer runs
#   with a small LD_PRELOAD library (built below, tests only) whose
#   geteuid() answers OTHER, so the store is someone else's to it.
# VICTIM is the command prefix for "coffer as the user being attacked",
# OWNER the planted store's owner and YOU the victim's uid.
load helpers

ME=$(id -u)
OTHER=65534
[ "$ME" != "$OTHER" ] || OTHER=65533
if [ "$ME" = 0 ]; then
	OWNER=$OTHER YOU=0
else
	OWNER=$ME YOU=$OTHER
fi

setup_file() {
	import_fixture_keys
	[ "$ME" = 0 ] && return
	# not root: a geteuid() that answers $FAKE_EUID; it removes itself
	# from the environment, so gpg and git run as they are
	cat > "$BATS_FILE_TMPDIR/fakeuid.c" <<'EOF'
#include <stdlib.h>
#include <unistd.h>
static uid_t fake;
__attribute__((constructor)) static void init(void)
{
	fake = (uid_t)strtoul(getenv("FAKE_EUID"), NULL, 10);
	unsetenv("LD_PRELOAD");
}
uid_t geteuid(void) { return fake; }
EOF
	"${CC:-cc}" -shared -fPIC -o "$BATS_FILE_TMPDIR/fakeuid.so" \
		"$BATS_FILE_TMPDIR/fakeuid.c"
}

setup() {
	common_setup
	# git itself is told to trust every directory, so the helpers can
	# look at the planted store; coffer does not read safe.directory
	git config --global --add safe.directory '*'
	if [ "$ME" = 0 ]; then
		VICTIM=(env)
	else
		VICTIM=(env LD_PRELOAD="$BATS_FILE_TMPDIR/fakeuid.so"
			FAKE_EUID="$OTHER"
			ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")
	fi
}

# A store at $1 holding db=planted, with an empty project directory
# proj/ of ours inside; as root the rest is then given to OTHER.
plant() {
	S=$1
	init_store
	printf planted | coffer set db
	mkdir "$S/proj"
	if [ "$ME" = 0 ]; then
		chmod 1777 "$S"
		chown -R "$OTHER:$OTHER" "$S"
		chown "$ME:$ME" "$S/proj"
	fi
	snapshot
}

# Expects the victim's command to be refused: exit 6, one line naming
# the store and the override, nothing on stdout, the store unchanged.
refused() {
	run -6 --separate-stderr "${VICTIM[@]}" "$@"
	[ -z "$output" ]
	[ "$(wc -l <<<"$stderr")" = 1 ] || { echo "stderr: $stderr"; return 1; }
	assert_contains "$stderr" "refusing the store at '$P'"
	assert_contains "$stderr" "is owned by uid $OWNER, not by you (uid $YOU)"
	assert_contains "$stderr" "name it with -C or COFFER_STORE"
	assert_unchanged
}

@test "a store planted in a parent directory: get, list and set refuse it" {
	P=$(cd "$BATS_TEST_TMPDIR" && pwd -P)/shared
	mkdir "$P"
	plant "$P"
	cd "$P/proj"
	refused coffer get db
	[[ "$stderr" == "coffer: get: "* ]]
	refused coffer list
	refused coffer check
	# shellcheck disable=SC2016 # $@ is the inner shell's
	run -6 --separate-stderr bash -c 'printf mine | "$@"' _ \
		"${VICTIM[@]}" coffer set db
	assert_contains "$stderr" "refusing the store at '$P'"
	assert_unchanged
	# shellcheck disable=SC2016
	run -6 --separate-stderr bash -c 'printf mine | "$@"' _ \
		"${VICTIM[@]}" coffer set new
	assert_unchanged
	[ ! -e "$P/new.yaml" ]
}

@test "the default store under XDG_DATA_HOME is checked too" {
	P=$(cd "$BATS_TEST_TMPDIR" && pwd -P)/xdg/coffer
	mkdir -p "$P"
	export XDG_DATA_HOME="${P%/coffer}"
	plant "$P"
	cd "$HOME"
	refused coffer get db
}

@test "-C or COFFER_STORE naming the store is the override" {
	P=$(cd "$BATS_TEST_TMPDIR" && pwd -P)/shared
	mkdir "$P"
	plant "$P"
	cd "$P/proj"
	run -0 --separate-stderr "${VICTIM[@]}" coffer -C "$P" get db
	[ "$output" = planted ]
	run -0 --separate-stderr "${VICTIM[@]}" coffer --store "$P" list
	[ "$output" = db ]
	run -0 --separate-stderr env COFFER_STORE="$P" "${VICTIM[@]}" \
		coffer get db
	[ "$output" = planted ]
	# shellcheck disable=SC2016
	run -0 --separate-stderr bash -c 'printf mine | "$@"' _ \
		env COFFER_STORE="$P" "${VICTIM[@]}" coffer set db
	run -0 --separate-stderr env COFFER_STORE="$P" "${VICTIM[@]}" \
		coffer get db
	[ "$output" = mine ]
}

@test "a store with only .coffer or .git of another user is refused" {
	for part in .coffer .git; do
		P=$(cd "$BATS_TEST_TMPDIR" && pwd -P)/s$part
		mkdir "$P"
		S=$P
		init_store
		printf v | coffer set db
		mkdir "$P/proj"
		snapshot
		if [ "$ME" = 0 ]; then
			chown -R "$OTHER:$OTHER" "$P/$part"
			owner=$OTHER
		else
			# only root can chown: a directory root owns, through
			# a symlink (the check follows it, as git does)
			rm -rf "${P:?}/$part"
			ln -s / "$P/$part"
			owner=0
		fi
		cd "$P/proj"
		run -6 --separate-stderr coffer get db
		[ -z "$output" ]
		assert_contains "$stderr" "refusing the store at '$P': '$P/$part' is owned by uid $owner"
	done
}

@test "a store of our own, found from a subdirectory, works as before" {
	P=$(cd "$BATS_TEST_TMPDIR" && pwd -P)/own
	mkdir "$P"
	S=$P
	init_store
	printf mine | coffer set db
	mkdir -p "$P/a/b"
	cd "$P/a/b"
	run -0 --separate-stderr coffer get db
	[ "$output" = mine ]
	run -0 --separate-stderr coffer list
	[ "$output" = db ]
	run -0 --separate-stderr bash -c 'printf again | coffer set db'
	run -0 --separate-stderr coffer get db
	[ "$output" = again ]
}
