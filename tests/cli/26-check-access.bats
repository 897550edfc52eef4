#!/usr/bin/env bats
# check-access on the policy of SPEC 5.1, word for word.
load helpers

setup() {
	common_setup
	init_store
	cat > .coffer/policy.yaml <<-EOF2
	version: 1
	principals:
	  alice:     { keys: [$ALICE] }
	  service-a: { keys: [$BOB], kind: machine }
	groups:
	  admins: [alice]
	  payments: []
	  deployers: [service-a]
	policies:
	  group:admins:
	    allow:
	      - actions: ["*"]
	        resources: ["*"]
	  service-a:
	    allow:
	      - action: read
	        resources: [db_password, api_keys/*]
	      - action: write
	        resources: [api_keys/*]
	    deny:
	      - action: delete
	        resources: ["*"]
	    conditions:
	      - type: ip_range
	        value: 10.0.0.0/8
	      - type: time_window
	        value: 09:00-17:00
	settings:
	  require_signed_commits: true
	EOF2
	cp "$FIXTURES/bob.pub.asc" .coffer/keys/service-a.asc
	git add .coffer && git commit -qm "seed policy"
}

@test "the seed example without a source address: deny (implicit), exit 3, and why" {
	run -3 coffer check-access --principal service-a --action read --resource db_password --at 2026-11-22T10:00:00Z
	[ "${lines[0]}" = "deny (implicit)" ]
	[ "${lines[1]}" = "  principal service-a  groups: deployers" ]
	[ "${lines[2]}" = "  allow service-a read [db_password]  .coffer/policy.yaml:16  conditions: ip_range 10.0.0.0/8 -> unknown (no --source-ip), time_window 09:00-17:00 -> true at 2026-11-22T10:00:00Z" ]
	assert_contains "$output" "missing context: source address"
	assert_contains "$output" "enforcement: read is encrypted to readers; ip_range/time_window are advisory"
}

@test "the seed example from 10.1.2.3 inside the window: allow, exit 0" {
	run -0 coffer check-access --principal service-a --action read --resource db_password --source-ip 10.1.2.3 --at 2026-11-22T10:00:00Z
	[ "${lines[0]}" = allow ]
	assert_contains "$output" "ip_range 10.0.0.0/8 -> true from 10.1.2.3"
	COFFER_SOURCE_IP=10.1.2.3 run -0 coffer check-access --principal service-a --action read --resource db_password --at 2026-11-22T10:00:00Z
}

@test "outside the window, from another network, another action: deny" {
	run -3 coffer check-access --principal service-a --action read --resource db_password --source-ip 10.1.2.3 --at 2026-11-22T18:00:00Z
	assert_contains "$output" "time_window 09:00-17:00 -> false"
	run -3 coffer check-access --principal service-a --action read --resource db_password --source-ip 192.168.1.1 --at 2026-11-22T10:00:00Z
	run -3 coffer check-access --principal service-a --action write --resource db_password --source-ip 10.1.2.3 --at 2026-11-22T10:00:00Z
	assert_contains "$output" "near miss (resource does not match): allow service-a write [api_keys/*]"
}

@test "a deny whose condition cannot be decided denies" {
	run -3 coffer check-access --principal service-a --action delete --resource api_keys/x --at 2026-11-22T10:00:00Z
	[ "${lines[0]}" = "deny (undecided condition)" ]
	run -3 coffer check-access --principal service-a --action delete --resource api_keys/x --source-ip 10.0.0.1 --at 2026-11-22T10:00:00Z
	[ "${lines[0]}" = "deny (explicit)" ]
}

@test "--json has decision, reason, matched, near_misses, missing_context, enforcement" {
	run -3 coffer check-access --json --principal service-a --action read --resource db_password --at 2026-11-22T10:00:00Z
	[ -n "$output" ]
	[ "$(jq -r .decision <<<"$output")" = deny ]
	[ "$(jq -r .reason <<<"$output")" = "deny (implicit)" ]
	[ "$(jq -r '.matched[0].line' <<<"$output")" = 16 ]
	[ "$(jq -r '.matched[0].conditions[0].result' <<<"$output")" = unknown ]
	[ "$(jq -r '.missing_context[0]' <<<"$output")" = source_ip ]
	[ "$(jq -r '.near_misses | length' <<<"$output")" = 1 ]
	[ "$(jq -r .enforcement <<<"$output")" != null ]
}

@test "--list gives every action; --readers shows readers beside recipients" {
	run -0 coffer check-access --list --principal service-a --resource api_keys/stripe --source-ip 10.0.0.1 --at 2026-11-22T10:00:00Z
	[ "$output" = "$(printf 'read\nwrite')" ]
	run -0 coffer check-access --list --principal alice --resource x
	[ "${#lines[@]}" = 6 ]
	printf v | coffer set db_password
	run -0 coffer check-access --readers db_password
	assert_contains "$output" "alice $ALICE"
	assert_contains "$output" "service-a $BOB"
	[[ "$output" != *missing* ]]
	run -0 coffer check-access --readers db_password --json
	[ "$(jq -r '.readers[1].keys[0].recipient' <<<"$output")" = true ]
}

@test "bad requests: unknown principal 4, unknown action 2, bad address 2" {
	run -4 coffer check-access --principal mallory --action read --resource x
	run -2 coffer check-access --principal alice --action fly --resource x
	run -2 coffer check-access --principal alice --action read --resource x --source-ip 999.1.1.1
	run -2 coffer check-access --principal alice --resource x
}
