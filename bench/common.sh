# shellcheck shell=bash
# common.sh: sourced by the bench scripts. A throwaway HOME and GNUPGHOME
# (removed on exit), coffer from the tree on PATH, and the fixture keys
# imported and trusted (pass needs trusted keys). Sets root, tmp, fpr_of.
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/coffer-bench.XXXXXX")
export GNUPGHOME="$tmp/gnupg" HOME="$tmp/home" LC_ALL=C GIT_CONFIG_NOSYSTEM=1
unset COFFER_STORE COFFER_PRINCIPAL
trap 'gpgconf --kill all 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -m 700 "$GNUPGHOME"; mkdir -p "$HOME"
PATH="$root:$PATH"
for t in hyperfine pass jq gpg git /usr/bin/time; do
	command -v $t >/dev/null || { echo "bench: $t is missing (scripts/deps.sh)"; exit 1; }
done
fpr_of() { awk -v u="$1" '$1 == u { print $2 }' "$root/tests/fixtures/fingerprints.txt"; }
gpg --batch --quiet --import "$root/tests/fixtures/alice.sec.asc" \
	"$root/tests/fixtures/bob.pub.asc" 2>/dev/null
printf '%s:6:\n%s:6:\n' "$(fpr_of alice)" "$(fpr_of bob)" |
	gpg --batch --quiet --import-ownertrust 2>/dev/null
git config --global user.name bench
git config --global user.email bench@example.test
