#!/bin/sh
# make_pkesk.sh: writes the OpenPGP messages in tests/fixtures/pkesk/,
# which tests/unit/test_pgp.c reads: gpg encrypts one line to the fixture
# keys, as sops stores a data key in an "enc" entry. Run from the top of
# the tree; GnuPG draws new session keys, so each run writes different
# files with the same packets. The keyring is temporary.
set -eu
cd "$(dirname "$0")/../.."
out=tests/fixtures/pkesk
GNUPGHOME=$(mktemp -d)
export GNUPGHOME
trap 'gpgconf --kill all 2>/dev/null || true; rm -rf "$GNUPGHOME"' EXIT
gpg --batch --quiet --import tests/fixtures/alice.pub.asc \
	tests/fixtures/bob.pub.asc tests/fixtures/carol.pub.asc 2>/dev/null
fpr() { awk -v u="$1" '$1 == u { print $2 }' tests/fixtures/fingerprints.txt; }
ALICE=$(fpr alice)
BOB=$(fpr bob)

# name, then gpg's options; the plaintext comes on stdin, as from sops
# (and so its length is not known: partial lengths when it is long)
enc() {
	name=$1
	shift
	{ printf 'not a secret: %s\n' "$name"; printf '%s' "${pad:-}"; } |
		gpg --batch --quiet --trust-model always --armor --encrypt \
			"$@" > "$out/$name.asc"
}
mkdir -p "$out"
enc alice -r "$ALICE"
enc bob -r "$BOB"
enc alice-bob -r "$ALICE" -r "$BOB"
enc throw-keyids --throw-keyids -r "$ALICE"
enc alice-hidden-bob -r "$ALICE" --hidden-recipient "$BOB"
enc alice-passphrase --symmetric --pinentry-mode loopback \
	--passphrase fixture -r "$ALICE"
pad=$(printf '%600s' '') enc alice-partial -z 0 -r "$ALICE"
