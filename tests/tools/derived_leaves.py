#!/usr/bin/python3
"""Compares `coffer decrypt --json` output with the leaves listed in
DERIVED-expected-plaintexts.json for one vector, in walk order.

usage: derived_leaves.py DERIVED.json VECTOR-NAME < decrypted.json
"""
import json
import sys


def leaves(node, out):
    if isinstance(node, dict):
        for v in node.values():
            leaves(v, out)
    elif isinstance(node, list):
        for v in node:
            leaves(v, out)
    elif node is not None:
        out.append(node)


def tobytes(v):
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, float):
        s = repr(v)
        return s[:-2] if s.endswith(".0") else s
    return str(v)


want = json.load(open(sys.argv[1]))["files"][sys.argv[2]]["leaves"]
got = []
leaves(json.load(sys.stdin), got)
want = [w["value"] for w in want if w["value"] != ""] 
got = [tobytes(g) for g in got if g != ""]
if want != got:
    print("want:", want, "\ngot: ", got)
    sys.exit(1)
print(len(got), "leaves match")
