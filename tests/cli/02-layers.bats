#!/usr/bin/env bats
# The layering STYLE.md promises, checked on the source: lib/ decides
# and never prints, cli/ never touches a secret's meta as YAML, the git
# layer knows nothing of OpenPGP, no include cycles, small files.
load helpers

@test "lib/ never prints, exits or includes a cli/ header" {
	run -1 grep -nE '\b(printf|fprintf|puts|fputs|putchar|perror|exit)\(' "$ROOT"/lib/*.c
	run -1 grep -n '#include "\.\./cli' "$ROOT"/lib/*.[ch]
}

@test "cli/ reads and writes meta only through lib/secret_meta.h" {
	run -1 grep -nE -- '->meta\b|\.meta\b[^ =]|cf_ymap_(get|set|take)\([a-z]*\.?meta' "$ROOT"/cli/*.c
}

@test "the git layer (repo) knows nothing of GnuPG" {
	run -1 grep -nE '#include "(crypt|gpg)\.h"' "$ROOT/lib/repo.h" "$ROOT/lib/repo.c"
	run -1 grep -n 'cf_gpg_' "$ROOT/lib/repo.c"
}

@test "no include cycle between lib modules" {
	run -0 "$PY" - "$ROOT"/lib/*.[ch] <<-'EOF'
	import os, re, sys
	deps = {}
	for f in sys.argv[1:]:
	    m = os.path.basename(f)[:-2]
	    if m == "common":
	        continue
	    for i in re.findall(r'#include "([a-z0-9_]+)\.h"', open(f).read()):
	        if i not in (m, "common"):
	            deps.setdefault(m, set()).add(i)
	state = {}
	def visit(m, path):
	    state[m] = 1
	    for d in sorted(deps.get(m, ())):
	        if state.get(d) == 1:
	            sys.exit("cycle: " + " -> ".join(path[path.index(d):] + [d]))
	        if not state.get(d):
	            visit(d, path + [d])
	    state[m] = 2
	for m in sorted(deps):
	    if not state.get(m):
	        visit(m, [m])
	print(len(deps), "modules")
	EOF
	assert_contains "$output" "modules"
}

@test "every .c includes common.h first, so banned.h bans" {
	for f in "$ROOT"/lib/*.c "$ROOT"/cli/*.c; do
		first=$(grep -m1 '^#include' "$f")
		case $first in
		'#include "common.h"' | '#include "../lib/common.h"') ;;
		*) echo "$f starts with $first"; return 1 ;;
		esac
	done
}

@test "no source file over 800 lines" {
	run -0 awk 'FNR == 1 && prev { if (n > 800) print prev, n } { prev = FILENAME; n = FNR }
		END { if (n > 800) print prev, n }' "$ROOT"/lib/*.[ch] "$ROOT"/cli/*.[ch]
	[ -z "$output" ] || { echo "$output"; return 1; }
}
