#!/usr/bin/python3
"""Rewrites one data field of a coffer secret file with a new value and a
correct MAC, as a key holder could by hand: the data key comes from plain
gpg, values are encrypted with AES-256-GCM (python3-cryptography). Used
to build valid files that coffer itself would refuse to write.

usage: sops_forge.py FILE FIELD VALUE-FILE
"""
import hashlib
import sys

import yaml

from sopsfile import canon, data_key, dec, enc

path, field, valfile = sys.argv[1:4]
doc = yaml.safe_load(open(path))
sops = doc.pop("sops")
key = data_key(sops)
plain = {k: dec(key, v, f"data:{k}:")[0] for k, v in doc["data"].items()}
plain[field] = open(valfile, "rb").read()
doc["data"] = {k: enc(key, v, f"data:{k}:") for k, v in plain.items()}
h = hashlib.sha512()


def walk(node, path):
    if isinstance(node, dict):
        for k, v in node.items():
            walk(v, path + [k])
    elif isinstance(node, list):
        for v in node:
            walk(v, path)
    elif node is not None and path[0] != "data":
        h.update(canon(node))


walk(doc["meta"], ["meta"])
for k in doc["data"]:
    h.update(plain[k])
sops["mac"] = enc(key, h.hexdigest().upper().encode(), sops["lastmodified"])
doc["sops"] = sops
with open(path, "w") as f:
    yaml.safe_dump(doc, f, sort_keys=False, width=1 << 20)
