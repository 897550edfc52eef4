#!/usr/bin/env bats
# shellcheck disable=SC2154 # $stderr: set by run --separate-stderr
# Recipients are session-key packets, not labels (SPEC 3): an entry
# labelled with a reader's key whose message also opens for someone
# else is drift, and the next write seals a new data key to the reader
# alone instead of copying the entry.
load helpers

setup() {
	common_setup
	init_store
	printf 'first-Value-01' | coffer set app/db
	bob_keyring
}

teardown() { teardown_bob; }

# Replaces alice's entry of app/db.yaml with the same data key sealed to
# alice and to bob: the label still says alice.
plant_hidden_bob() {
	"$PY" -c '
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
print(next(e["enc"] for e in d["sops"]["pgp"] if e["fp"] == sys.argv[2]))' app/db.yaml "$ALICE" |
		gpg --batch --quiet --decrypt |
		gpg --batch --quiet --armor --encrypt --trust-model always \
			-r "$ALICE" -r "$BOB" |
		"$PY" "$TESTS_DIR/tools/set_enc.py" app/db.yaml "$ALICE"
	git commit -qam "a hidden recipient"
}

# bob's copy of the data key from alice's entry, hex; empty if he has none
bob_reads_alices_entry() {
	"$PY" -c '
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
print(next(e["enc"] for e in d["sops"]["pgp"] if e["fp"] == sys.argv[2]))' app/db.yaml "$ALICE" |
		GNUPGHOME=$BOBHOME gpg --batch --quiet --decrypt 2>/dev/null | od -An -tx1 | tr -d ' \n'
}

@test "an entry also sealed to an outsider is drift, in check and list --long" {
	run -0 coffer check
	plant_hidden_bob
	[ -n "$(bob_reads_alices_entry)" ]
	# the file still opens, its MAC is whole: only the entry lies
	run -0 coffer get app/db
	run -11 coffer check
	assert_contains "$output" "problem drift:"
	assert_contains "$output" "  app/db"
	run -0 coffer list --long
	assert_contains "$output" " drift"
	run -0 coffer info --json app/db
	[ "$(jq -r .drift <<<"$output")" = true ]
}

@test "the next write seals a new key to the readers alone; reencrypt too" {
	plant_hidden_bob
	old=$(bob_reads_alices_entry)
	[ "${#old}" = 64 ]
	printf 'second-Value-02' | coffer set app/db
	[ -z "$(bob_reads_alices_entry)" ]
	run -1 "$PY" "$TESTS_DIR/tools/try_key.py" app/db.yaml "$old"
	run -0 coffer check
	plant_hidden_bob
	run -11 coffer check
	run -0 coffer reencrypt
	[ -z "$(bob_reads_alices_entry)" ]
	run -0 coffer check
}

@test "an entry with an anonymous recipient (--throw-keyids) is drift" {
	"$PY" -c '
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
print(d["sops"]["pgp"][0]["enc"])' app/db.yaml |
		gpg --batch --quiet --decrypt |
		gpg --batch --quiet --armor --encrypt --throw-keyids \
			--trust-model always -r "$ALICE" |
		"$PY" "$TESTS_DIR/tools/set_enc.py" app/db.yaml "$ALICE"
	git commit -qam "anonymous"
	run -0 coffer get app/db
	run -11 coffer check
	assert_contains "$output" "problem drift:"
}

@test "check-access --readers marks a reader whose entry opens for others too" {
	run -0 coffer check-access --readers app/db
	[[ "$output" != *drift* ]]
	plant_hidden_bob
	run -0 coffer check-access --readers app/db
	assert_contains "$output" "$ALICE (its entry is not sealed to this key alone: drift)"
	run -0 coffer check-access --readers app/db --json
	[ "$(jq -r '.readers[0].keys[0].recipient' <<<"$output")" = false ]
}
