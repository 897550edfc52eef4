#!/usr/bin/env bats
# check (SPEC 7) on a store with one problem of each kind: exit 0 clean,
# 10 warnings only, 11 problems; --json for CI; meta only.
load helpers

ago() { date -u -d "-$1" +%Y-%m-%dT%H:%M:%SZ; }

setup_file() {
	shared_store_init
	# team reads exposed/*; weak/* must have 60 bits
	"$PY" - .coffer/policy.yaml <<'PY'
import sys
p = sys.argv[1]
t = open(p).read()
t = t.replace("groups:\n", "groups:\n    team: []\n", 1)
t = t.replace("settings:", "    group:team:\n        allow:\n            - action: read\n              resources: [exposed/*]\nsettings:")
t += "defaults:\n    - resources: [weak/*]\n      strength: { min_bits: 60 }\n"
open(p, "w").write(t)
PY
	git commit -qam "team and defaults"
	printf 'Clean-Value-0001x' | coffer set ok/x
	printf 'Expired-Value-01x' | coffer set expired --expires 2020-01-01T00:00:00Z
	printf 'Expiring-Value-1x' | coffer set expiring --ttl 10d
	printf 'Overdue-Value-01x' | COFFER_NOW=$(ago '100 days') coffer set overdue --rotate-every 90d
	printf 'Due-Value-00001x' | COFFER_NOW=$(ago '80 days') coffer set due --rotate-every 90d
	printf 'Kept-Value-0001x' | COFFER_NOW=$(ago '2 days') coffer set kept
	COFFER_NOW=$(ago '2 days') coffer rotate kept --overlap 1h >/dev/null
	printf 'password1' | coffer set weak/x --allow-weak
	printf 'Exposed-Value-1x' | coffer set exposed/x
	printf 'Drift-Value-001x' | coffer set drift/x
	coffer member add bob --key "$FIXTURES/bob.pub.asc" --group team >/dev/null 2>&1
	coffer member rm bob >/dev/null 2>&1
	# carol may read drift/* from a reviewed policy commit: drift/x is not
	# encrypted to her yet
	"$PY" - .coffer/policy.yaml "$CAROL" <<'PY'
import sys
p, fpr = sys.argv[1], sys.argv[2]
t = open(p).read()
t = t.replace("groups:", "    carol:\n        keys: [%s]\ngroups:" % fpr, 1)
t = t.replace("settings:", "    carol:\n        allow:\n            - action: read\n              resources: [drift/*]\nsettings:")
open(p, "w").write(t)
PY
	cp "$FIXTURES/carol.pub.asc" .coffer/keys/carol.asc
	git add .coffer && git commit -qm "carol reads drift/*"
	printf 'not: [a secret' > malformed.yaml
}

setup() { shared_store; }

@test "one problem of each kind: exit 11, every kind named in --json" {
	run -11 coffer check --json
	[ -n "$output" ]
	[ "$(jq -r .status <<<"$output")" = problems ]
	[ "$(jq .secrets <<<"$output")" = 10 ]
	[ "$(jq -r '[.problems[] | .kind + ":" + .name] | sort | join(" ")' <<<"$output")" = \
		"drift:drift/x expired:expired exposed:exposed/x malformed:malformed rotation-overdue:overdue weak:weak/x" ]
	[ "$(jq -r '[.warnings[] | .kind + ":" + .name] | sort | join(" ")' <<<"$output")" = \
		"expiring:expiring previous-kept:kept rotation-due:due" ]
	[ "$(jq -r '.problems[] | select(.kind == "exposed") | .detail' <<<"$output")" = bob ]
}

@test "text output groups secrets by problem, problems first" {
	run -11 coffer check
	[ "${lines[0]}" = "problem drift:" ]
	assert_contains "$output" "warning expiring:"
	assert_contains "${lines[-1]}" "10 secrets: 6 problems, 3 warnings"
	[[ "$output" != *Value* ]]
}

@test "warnings only: exit 10; clean: exit 0; each problem alone: exit 11" {
	run -10 coffer check expiring due kept
	run -0 coffer check ok/x
	for n in expired overdue weak/x exposed/x drift/x malformed; do
		run -11 coffer check "$n"
	done
	run -11 coffer check missing
	assert_contains "$output" missing
}

@test "fixing the problems clears them: rotate the exposed, re-encrypt the drift" {
	cp -a "$S" "$BATS_TEST_TMPDIR/copy"
	cd "$BATS_TEST_TMPDIR/copy"
	coffer rotate exposed/x >/dev/null
	coffer reencrypt drift/x >/dev/null 2>&1
	run -0 coffer check exposed/x drift/x
}

@test "what list leaves out is a problem: bad names, symlinks, odd files" {
	cp -a "$S" "$BATS_TEST_TMPDIR/copy"
	cd "$BATS_TEST_TMPDIR/copy"
	cp ok/x.yaml "ok/Bad Name.yaml"
	cp ok/x.yaml ok/-dash.yaml
	ln -s /etc/passwd ok/link.yaml
	ln -s /tmp outside
	mkfifo ok/fifo.yaml
	echo notes > README	# not a secret: not reported
	run -11 coffer check --json
	[ "$(jq -r '[.problems[] | select(.kind | test("bad-|symlink")) | .kind + ":" + .name] | join(" ")' <<<"$output")" = \
		"bad-file:ok/fifo.yaml bad-name:ok/-dash.yaml bad-name:ok/Bad Name.yaml symlink:ok/link.yaml symlink:outside" ]
	[ "$(jq .secrets <<<"$output")" = 10 ]
	run -11 coffer check
	assert_contains "$output" "problem bad-name:"
	assert_contains "$output" "ok/Bad Name.yaml  invalid name 'ok/Bad Name'"
	assert_contains "$output" "problem symlink:"
	run -0 coffer list
	[[ "$output" != *Bad* && "$output" != *link* && "$output" != *fifo* ]]
}

@test "principals' keys in .coffer/keys: revoked, expired, cannot encrypt, expiring, missing" {
	cp -a "$S" "$BATS_TEST_TMPDIR/copy"
	cd "$BATS_TEST_TMPDIR/copy"
	KG="$BATS_TEST_TMPDIR/kg"
	mkdir -m 700 "$KG"
	gen() { GNUPGHOME=$KG gpg --batch --pinentry-mode loopback --passphrase '' "$@" 2>/dev/null; }
	fpr() { GNUPGHOME=$KG gpg --with-colons --list-keys "$1" | awk -F: '$1 == "fpr" { print $10; exit }'; }
	gen --faked-system-time 20200101T000000 --quick-gen-key 'old <old@example.test>' future-default default 1d
	gen --quick-gen-key 'soon <soon@example.test>' future-default default 10d
	gen --quick-gen-key 'signonly <signonly@example.test>' ed25519 sign never
	gen --quick-gen-key 'gone <gone@example.test>' future-default default never
	sed 's/^:-----BEGIN/-----BEGIN/' "$KG/openpgp-revocs.d/$(fpr gone@example.test).rev" |
		GNUPGHOME=$KG gpg --batch --import 2>/dev/null
	for who in old soon signonly gone nokey; do
		if [ $who = nokey ]; then
			f=0123456789ABCDEF0123456789ABCDEF01234567
		else
			f=$(fpr $who@example.test)
			GNUPGHOME=$KG gpg --armor --export "$f" > .coffer/keys/$who.asc
		fi
		"$PY" - .coffer/policy.yaml "$who" "$f" <<'PY'
import sys
p, who, fpr = sys.argv[1:]
t = open(p).read()
open(p, "w").write(t.replace("groups:", "    %s:\n        keys: [%s]\ngroups:" % (who, fpr), 1))
PY
	done
	run -11 coffer check --json
	[ "$(jq -r '[.problems[] | select(.kind | startswith("key-")) | .kind + ":" + .name] | join(" ")' <<<"$output")" = \
		"key-expired:old key-revoked:gone key-unusable:signonly" ]
	[ "$(jq -r '[.warnings[] | select(.kind | startswith("key-")) | .kind + ":" + .name] | join(" ")' <<<"$output")" = \
		"key-expiring:soon key-missing:nokey" ]
	assert_contains "$(jq -r '.problems[] | select(.kind == "key-expired") | .detail' <<<"$output")" "expired 2020-01-02T00:00:00Z"
	# the clock moves with COFFER_NOW: in 20 days soon has expired too
	COFFER_NOW=$(date -u -d '+20 days' +%Y-%m-%dT%H:%M:%SZ) run -11 coffer check --json
	[ "$(jq -r '[.problems[] | select(.kind == "key-expired") | .name] | join(" ")' <<<"$output")" = "old soon" ]
	# read without GnuPG: the same with no gpg at all
	run -11 coffer check --json
	expected=$output
	PATH=/nonexistent run -11 "$ROOT/coffer" check --json
	[ "$output" = "$expected" ]
	# a key file that is not a key is a warning
	echo 'not a key' > .coffer/keys/junk.asc
	run -11 coffer check --json
	[ "$(jq -r '.warnings[] | select(.kind == "key-unreadable") | .name' <<<"$output")" = .coffer/keys/junk.asc ]
}
