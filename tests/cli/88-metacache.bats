#!/usr/bin/env bats
# The meta cache (.git/coffer-meta.cache) behind check and list --long:
# used only while a file's stat data is unchanged, never for a malformed
# file or one changed in the last 2 s, ignored when damaged or written
# by another binary, and it never changes what the commands say.
load helpers

CACHE=.git/coffer-meta.cache

setup_file() {
	shared_store_init
	for n in a/one a/two b/three c/four; do
		printf 'Value-Of-%s-1234' "${n#*/}" | coffer set "$n" --rotate-every 90d
	done
	printf 'Expired-Value-01x' | coffer set old --expires 2020-01-01T00:00:00Z
	# older than the 2 s in which a change may hide in the stat data
	sleep 3
}

setup() { shared_store; }

# What the commands say with no cache at all.
reference() {
	rm -f "$CACHE"
	REF_LIST=$(coffer list --long --json)
	REF_CHECK=$(coffer check --json) || true
	rm -f "$CACHE"
}

# The names in the cache, one a line; fails if it is not a sound cache
# file (magic, CRC-32, layout).
cached_names() {
	"$PY" - "$CACHE" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
body, crc = d[:-4], d[-4:]
assert struct.pack(">I", zlib.crc32(body)) == crc, "bad crc"
magic = b"coffer-meta-cache\0"
assert body.startswith(magic), "bad magic"
at = len(magic) + 4 + 48
def v():
    global at
    n = shift = 0
    while True:
        c = body[at]; at += 1
        n |= (c & 0x7f) << shift; shift += 7
        if not c & 0x80:
            return n
for _ in range(v()):
    l = v(); print(body[at:at + l].decode()); at += l
    at += 48
    blob = v()
    at += blob
assert at == len(body), "trailing bytes"
PY
}

# Rewrites the cache's CRC-32 after an edit, so that it loads.
fix_crc() {
	"$PY" - "$CACHE" <<'PY'
import struct, sys, zlib
p = sys.argv[1]
d = open(p, "rb").read()[:-4]
open(p, "wb").write(d + struct.pack(">I", zlib.crc32(d)))
PY
}

# A fresh cache in which bob, not alice, is the recipient of every
# entry: list --long shows drift wherever it believes the cache.
doctored_cache() {
	rm -f "$CACHE"
	coffer -q check || true
	"$PY" - "$CACHE" "$ALICE" "$BOB" <<'PY'
import sys
p, a, b = sys.argv[1:]
d = open(p, "rb").read()
open(p, "wb").write(d.replace(a.encode(), b.encode()))
PY
	fix_crc
}

@test "check writes the cache (0600) and says the same with it as without" {
	reference
	run -11 coffer check --json
	[ -f "$CACHE" ]
	[ "$(stat -c %a "$CACHE")" = 600 ]
	[ "$(cached_names | tr '\n' ' ')" = "a/one a/two b/three c/four old " ]
	run -11 coffer check --json
	[ "$output" = "$REF_CHECK" ]
	run -0 coffer list --long --json
	[ "$output" = "$REF_LIST" ]
}

@test "the cache is read: a doctored entry shows until its file changes" {
	doctored_cache
	run -0 coffer list --long
	assert_contains "$(grep '^a/one ' <<<"$output")" drift
	# any change to the file, even one that keeps its bytes, reads it again
	touch a/one.yaml
	run -0 coffer list --long
	[[ "$(grep '^a/one ' <<<"$output")" != *drift* ]]
	assert_contains "$(grep '^a/two ' <<<"$output")" drift
	rm -f "$CACHE"
}

@test "a file rewritten in place at the same size is read again" {
	rm -f "$CACHE"
	coffer -q check || true
	cp c/four.yaml "$BATS_TEST_TMPDIR/four.yaml"
	run -0 coffer list --long c/
	assert_contains "$output" "v1 "
	# same inode, same size, new version number
	"$PY" - c/four.yaml <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    d = f.read()
    assert b"    version: 1\n" in d
    f.seek(0)
    f.write(d.replace(b"    version: 1\n", b"    version: 7\n", 1))
PY
	run -0 coffer list --long c/
	assert_contains "$output" "v7 "
	cp "$BATS_TEST_TMPDIR/four.yaml" c/four.yaml
}

@test "a file broken after it was cached is reported on every run" {
	rm -f "$CACHE"
	coffer -q check || true
	cp b/three.yaml "$BATS_TEST_TMPDIR/three.yaml"
	printf 'meta: [broken\n' >> b/three.yaml
	for i in 1 2; do
		run -11 coffer check
		assert_contains "$output" "problem malformed:"
		assert_contains "$output" "b/three"
	done
	run -0 cached_names
	run -1 grep -qx b/three <<<"$output"
	cached_names | grep -qx old
	cp "$BATS_TEST_TMPDIR/three.yaml" b/three.yaml
}

@test "a damaged cache is ignored and written afresh" {
	reference
	coffer -q check || true
	cp "$CACHE" "$BATS_TEST_TMPDIR/good"
	for how in truncate flip garbage empty; do
		cp "$BATS_TEST_TMPDIR/good" "$CACHE"
		case $how in
		truncate) truncate -s -100 "$CACHE" ;;
		flip) printf '\xff' | dd of="$CACHE" bs=1 seek=200 conv=notrunc 2>/dev/null ;;
		garbage) head -c 5000 /dev/urandom > "$CACHE" ;;
		empty) : > "$CACHE" ;;
		esac
		run -11 coffer check --json
		[ "$output" = "$REF_CHECK" ] || { echo "differs after $how"; return 1; }
		cached_names | grep -qx old ||
			{ echo "not written afresh after $how"; return 1; }
	done
}

@test "a cache with a valid CRC but mangled entries cannot crash check" {
	coffer -q check || true
	cp "$CACHE" "$BATS_TEST_TMPDIR/good"
	for i in $(seq 1 60); do
		cp "$BATS_TEST_TMPDIR/good" "$CACHE"
		"$PY" - "$CACHE" "$i" <<'PY'
import random, sys
p, seed = sys.argv[1], int(sys.argv[2])
r = random.Random(seed)
d = bytearray(open(p, "rb").read()[:-4])
for _ in range(r.randint(1, 4)):
    at = r.randrange(len(d))
    d[at] = r.choice([0, 0x7f, 0x80, 0xff, r.randrange(256)])
open(p, "wb").write(bytes(d) + b"\0\0\0\0")
PY
		fix_crc
		run coffer check
		case $status in 0|10|11) ;; *) echo "mutant $i: exit $status"; echo "$output"; return 1 ;; esac
		[[ "$output" != *Sanitizer* && "$output" != *"runtime error"* ]]
	done
}

@test "another coffer binary does not trust this one's cache" {
	doctored_cache
	cp "$ROOT/coffer" "$BATS_TEST_TMPDIR/coffer-other"
	run -0 "$BATS_TEST_TMPDIR/coffer-other" list --long
	[[ "$output" != *drift* ]]
	rm -f "$CACHE"
}

@test "a file changed in the last 2 seconds is not cached; gone secrets drop out" {
	rm -f "$CACHE"
	printf 'Fresh-Value-0001x' | coffer set fresh/x
	written=$(stat -c %Z fresh/x.yaml)
	coffer -q check || true
	# (on a machine so slow that check began 2 s later, it may be kept)
	if [ $(($(date +%s) - written)) -lt 2 ]; then
		! cached_names | grep -qx fresh/x
	fi
	cached_names | grep -qx old
	coffer rm -f fresh/x >/dev/null
	mv a/two.yaml "$BATS_TEST_TMPDIR/two.yaml"
	run -0 coffer list --long
	[[ "$output" != *a/two* ]]
	cached_names | grep -qx old
	run -0 cached_names
	run -1 grep -qx a/two <<<"$output"
	mv "$BATS_TEST_TMPDIR/two.yaml" a/two.yaml
}

@test "list --long of a prefix reads the cache but does not write it" {
	rm -f "$CACHE"
	run -0 coffer list --long a/
	[ ! -e "$CACHE" ]
	run -0 coffer list --long
	[ -f "$CACHE" ]
}
