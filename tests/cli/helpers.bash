# helpers.bash: a private HOME and GNUPGHOME with the committed
# no-passphrase fixture keys, a clean environment, and store helpers.
bats_require_minimum_version 1.5.0

TESTS_DIR=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
ROOT=$(cd "$TESTS_DIR/.." && pwd)
FIXTURES=$TESTS_DIR/fixtures
# shellcheck disable=SC2034 # used by the test files
VECTORS=$FIXTURES/sops
# shellcheck disable=SC2034
PY=/usr/bin/python3

fpr_of() { awk -v u="$1" '$1 == u { print $2 }' "$FIXTURES/fingerprints.txt"; }
ALICE=$(fpr_of alice)
# shellcheck disable=SC2034
BOB=$(fpr_of bob)
# shellcheck disable=SC2034
CAROL=$(fpr_of carol)

# One keyring for a test file: alice's secret key, bob's and carol's
# public keys.
import_fixture_keys() {
	export BATS_FILE_GNUPGHOME="$BATS_FILE_TMPDIR/gnupg"
	mkdir -m 700 "$BATS_FILE_GNUPGHOME"
	GNUPGHOME=$BATS_FILE_GNUPGHOME gpg --batch --quiet --import \
		"$FIXTURES/alice.sec.asc" "$FIXTURES/bob.pub.asc" \
		"$FIXTURES/carol.pub.asc" 2>/dev/null
}
setup_file() { import_fixture_keys; }

teardown_file() {
	GNUPGHOME=$BATS_FILE_GNUPGHOME gpgconf --kill all 2>/dev/null || true
}

common_setup() {
	export LC_ALL=C TZ=UTC GIT_CONFIG_NOSYSTEM=1
	export HOME="$BATS_TEST_TMPDIR/home"
	export GNUPGHOME=$BATS_FILE_GNUPGHOME
	export XDG_DATA_HOME="$HOME/.local/share" XDG_STATE_HOME="$HOME/.local/state"
	unset COFFER_STORE COFFER_PRINCIPAL COFFER_SOURCE_IP COFFER_NOW \
		VISUAL EDITOR GIT_DIR GIT_WORK_TREE NO_COLOR
	mkdir -p "$HOME"
	git config --global user.name tester
	git config --global user.email tester@example.test
	PATH="$ROOT:$PATH"
	S="$BATS_TEST_TMPDIR/store"
}

setup() { common_setup; }

# A fresh store at $S owned by alice; later commands find it via -C.
init_store() {
	coffer init --key "$ALICE" --name alice "$S" >/dev/null
	cd "$S" || return
}

# One store for every test of a file, where building it takes seconds:
# shared_store_init in setup_file makes it, shared_store in setup goes
# there.
shared_store() {
	common_setup
	export HOME="$BATS_FILE_TMPDIR/home" S="$BATS_FILE_TMPDIR/store"
	cd "$S" 2>/dev/null || true
}

shared_store_init() {
	import_fixture_keys
	shared_store
	mkdir -p "$HOME"
	git config --global user.name tester
	git config --global user.email tester@example.test
	init_store
}

# A second keyring holding bob's secret key and alice's public key, in
# $BOBHOME; teardown_bob ends its agent.
bob_keyring() {
	BOBHOME="$BATS_TEST_TMPDIR/bob-gnupg"
	mkdir -m 700 "$BOBHOME"
	GNUPGHOME=$BOBHOME gpg --batch --quiet --import "$FIXTURES/bob.sec.asc" \
		"$FIXTURES/alice.pub.asc" 2>/dev/null
}

teardown_bob() { GNUPGHOME=$BOBHOME gpgconf --kill all 2>/dev/null || true; }

# For the rotation hook tests: a store, .coffer/hooks/, and $LOG.
hooks_setup() {
	common_setup
	init_store
	mkdir -p .coffer/hooks
	# shellcheck disable=SC2034 # used by the hook test files
	LOG="$BATS_TEST_TMPDIR/hook.log"
}

# Writes standard input as the executable .coffer/hooks/$1 and commits it.
install_hook() {
	cat > ".coffer/hooks/$1"
	chmod +x ".coffer/hooks/$1"
	git add ".coffer/hooks/$1"
	git commit -qm "hook $1"
}

# svc/db holding old-Value-1234, rotated through hook $1, which is trusted.
hooked_secret() {
	printf 'old-Value-1234' | coffer set svc/db
	coffer meta svc/db --hook ".coffer/hooks/$1"
	coffer rotate --trust-hook ".coffer/hooks/$1" >/dev/null
}

# Records HEAD and the work tree state, to show a failure changed nothing.
snapshot() {
	SNAP_HEAD=$(git -C "$S" rev-parse HEAD)
	SNAP_STATUS=$(git -C "$S" status --porcelain --untracked-files=all)
	SNAP_TREE=$(cd "$S" && find . -path ./.git -prune -o -type f -print0 |
		sort -z | xargs -0 sha256sum)
}

assert_unchanged() {
	[ "$(git -C "$S" rev-parse HEAD)" = "$SNAP_HEAD" ] ||
		{ echo "HEAD moved"; return 1; }
	[ "$(git -C "$S" status --porcelain --untracked-files=all)" = "$SNAP_STATUS" ] ||
		{ echo "status changed"; git -C "$S" status --short; return 1; }
	[ "$(cd "$S" && find . -path ./.git -prune -o -type f -print0 |
		sort -z | xargs -0 sha256sum)" = "$SNAP_TREE" ] ||
		{ echo "work tree changed"; return 1; }
}

# The number of commits on HEAD.
commits() { git -C "$S" rev-list --count HEAD; }

# Fails with a message unless $output contains the string.
assert_contains() {
	case "$1" in
	*"$2"*) ;;
	*) echo "expected to find: $2"; echo "in: $1"; return 1 ;;
	esac
}

# Slow loops (crash injection, fuzz smoke) start with slow_test. They
# run unless COFFER_SLOW_TESTS=0, which .ci/run sets in its sanitizer
# pass only (it would take too long there); then the test is skipped
# with the reason "not run: slow", and scripts/check.sh reports it in
# its closing line as "N not run (slow)", never as passed. Any other
# skip fails scripts/check.sh: every test runs.
slow_test() {
	[ "${COFFER_SLOW_TESTS:-1}" != 0 ] ||
		skip "not run: slow (COFFER_SLOW_TESTS=0)"
}
