#!/usr/bin/python3
"""An independent reader of coffer's secret files, written only from the
sops format description: it gets the data key from plain gpg, decrypts
every ENC[] value with AES-256-GCM (python3-cryptography), recomputes the
SHA-512 MAC over the values in document order and checks it against the
stored, encrypted MAC. Prints field=value lines; exits 1 on any mismatch.

usage: sops_check.py FILE
"""
import base64
import hashlib
import re
import subprocess
import sys

import yaml
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ENC = re.compile(r"^ENC\[AES256_GCM,data:(.*),iv:(.*),tag:(.*),type:(.*)\]$")


def dec(key, s, aad):
    m = ENC.match(s)
    if not m:
        sys.exit(f"not an ENC value at {aad!r}")
    data, iv, tag = (base64.b64decode(m.group(i)) for i in (1, 2, 3))
    return AESGCM(key).decrypt(iv, data + tag, aad.encode()), m.group(4)


def canon(v):
    """sops ToBytes of a YAML-typed clear value (what coffer writes)."""
    if isinstance(v, bool):
        return b"True" if v else b"False"
    if isinstance(v, int):
        return str(v).encode()
    if isinstance(v, float):
        return repr(v).removesuffix(".0").encode()
    return str(v).encode()


def main():
    doc = yaml.safe_load(open(sys.argv[1]))
    sops = doc.pop("sops")
    assert sops["encrypted_regex"] == "^(data|previous)$"
    assert isinstance(sops["lastmodified"], str)
    key = None
    for entry in sops["pgp"]:
        r = subprocess.run(["gpg", "--batch", "--quiet", "--decrypt"],
                           input=entry["enc"].encode(), capture_output=True)
        if r.returncode == 0 and len(r.stdout) == 32:
            key = r.stdout
            break
    if key is None:
        sys.exit("gpg could not open the data key")
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
