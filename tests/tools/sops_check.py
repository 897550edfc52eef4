#!/usr/bin/python3
"""An independent reader of coffer's secret files, written only from the
sops format description: it gets the data key from plain gpg, decrypts
every ENC[] value with AES-256-GCM (python3-cryptography), recomputes the
SHA-512 MAC over the values in document order and checks it against the
stored, encrypted MAC. Prints field=value lines; exits 1 on any mismatch.

usage: sops_check.py FILE
"""
import hashlib
import sys

import yaml

from sopsfile import canon, data_key, dec


def main():
    doc = yaml.safe_load(open(sys.argv[1]))
    sops = doc.pop("sops")
    assert sops["encrypted_regex"] == "^(data|previous)$"
    assert isinstance(sops["lastmodified"], str)
    key = data_key(sops)
    h = hashlib.sha512()
    out = []

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, path + [k])
        elif isinstance(node, list):
            for v in node:
                walk(v, path)
        elif node is None:
            return
        elif path[0] in ("data", "previous") and node != "":
            pt, typ = dec(key, node, ":".join(path) + ":")
            assert typ == "str", typ
            h.update(pt)
            out.append(("/".join(path), pt))
        else:
            h.update(canon(node))

    walk(doc, [])
    mac, _ = dec(key, sops["mac"], sops["lastmodified"])
    if mac.decode() != h.hexdigest().upper():
        sys.exit("MAC mismatch")
    for name, pt in out:
        sys.stdout.buffer.write(name.encode() + b"=" + pt + b"\n")


main()
