#!/bin/sh
# A short guided tour on a throwaway store with a throwaway key.
# Leaves nothing behind.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/coffer-demo.XXXXXX")
export GNUPGHOME="$tmp/gnupg" HOME="$tmp/home" LC_ALL=C
unset COFFER_STORE COFFER_PRINCIPAL
cleanup() {
	gpgconf --kill all 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
mkdir -m 700 "$GNUPGHOME"
mkdir -p "$HOME"
PATH="$root:$PATH"

step() {
	if [ -t 1 ]; then printf '\n\033[1m$ %s\033[0m\n' "$*"; else printf '\n$ %s\n' "$*"; fi
	sleep "${DEMO_PAUSE:-0}"
}

echo "== a throwaway OpenPGP key for demo@example.test (no passphrase)"
gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
	--quick-generate-key 'Demo <demo@example.test>' ed25519 sign,cert never 2>/dev/null
fpr=$(gpg --with-colons --list-keys demo@example.test | awk -F: '/^fpr/{print $10; exit}')
gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
	--quick-add-key "$fpr" cv25519 encr never 2>/dev/null

store="$tmp/store"
step coffer init "$store"
coffer init "$store"
cd "$store"

step "printf 'correct horse' | coffer set prod/db/main -d 'Payments DB' -t env=prod"
printf 'correct horse' | coffer set prod/db/main -d 'Payments DB' -t env=prod

step "printf 'payments' | coffer set prod/db/main --field username"
printf 'payments' | coffer set prod/db/main --field username

step coffer generate random:length=24,symbols
coffer generate random:length=24,symbols; echo

step coffer set prod/api/token --generate hex:bytes=20
coffer set prod/api/token --generate hex:bytes=20

step coffer list
coffer list

step coffer list --long
coffer list --long

step coffer info prod/db/main
coffer info prod/db/main

step coffer get prod/db/main
coffer get prod/db/main; echo

step "coffer get 'coffer://prod/db/main#username'"
coffer get 'coffer://prod/db/main#username'; echo

step "printf 'battery staple' | coffer set prod/db/main && coffer get prod/db/main@1"
printf 'battery staple' | coffer set prod/db/main
coffer get prod/db/main@1; echo

step coffer history prod/db/main
coffer history prod/db/main

step "sed -n '1,12p' prod/db/main.yaml   # a sops file; values encrypted"
sed -n '1,12p' prod/db/main.yaml

step coffer git log --oneline --show-signature -1
coffer git log --oneline --show-signature -1 2>&1 | grep -E 'Good signature|coffer:' || true

step coffer git log --oneline
coffer git log --oneline

printf '\nDone. The throwaway store and key are removed. See man/coffer.1.\n'
