#!/usr/bin/python3
"""Replaces the enc message of the sops.pgp entry labelled FPR in a
coffer/sops YAML file with the armored message read from stdin, leaving
every other byte of the file as it is (the MAC does not cover sops.pgp).

usage: set_enc.py FILE FPR < MESSAGE
"""
import sys

path, fpr = sys.argv[1:3]
msg = sys.stdin.read().rstrip("\n").split("\n")
lines = open(path).read().split("\n")
out, i, done = [], 0, False
# the entry's lines: find "fp: FPR", then its "enc: |-" in the same entry
starts = [k for k, l in enumerate(lines) if l.strip() == "fp: " + fpr]
if not starts:
    sys.exit("no entry for " + fpr)
fp_line = starts[0]
# the entry begins at the nearest "- " line above
begin = max(k for k in range(fp_line + 1) if lines[k].lstrip().startswith("- "))
end = fp_line
while end + 1 < len(lines) and not lines[end + 1].lstrip().startswith("- ") \
        and (lines[end + 1].startswith(" " * (len(lines[begin]) - len(lines[begin].lstrip()) + 2))
             or lines[end + 1] == ""):
    end += 1
enc = next(k for k in range(begin, end + 1) if lines[k].strip().startswith("enc: |"))
body = enc + 1
ind = lines[body][: len(lines[body]) - len(lines[body].lstrip())]
stop = body
while stop < len(lines) and (lines[stop].startswith(ind) or lines[stop] == ""):
    stop += 1
lines[body:stop] = [(ind + l) if l else "" for l in msg]
open(path, "w").write("\n".join(lines))
