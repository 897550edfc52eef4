#!/usr/bin/python3
"""Rewrites one data field of a coffer secret file with a new value and a
correct MAC, as a key holder could by hand: the data key comes from plain
gpg, values are encrypted with AES-256-GCM (python3-cryptography). Used
to build valid files that coffer itself would refuse to write.

usage: sops_forge.py FILE FIELD VALUE-FILE
"""
import base64
import hashlib
import os
import re
import subprocess
import sys

import yaml
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ENC = re.compile(r"^ENC\[AES256_GCM,data:(.*),iv:(.*),tag:(.*),type:(.*)\]$")


def enc(key, pt, aad):
    iv = os.urandom(32)
    ct = AESGCM(key).encrypt(iv, pt, aad.encode())
    b = lambda x: base64.b64encode(x).decode()
    return f"ENC[AES256_GCM,data:{b(ct[:-16])},iv:{b(iv)},tag:{b(ct[-16:])},type:str]"


def dec(key, s, aad):
    m = ENC.match(s)
    data, iv, tag = (base64.b64decode(m.group(i)) for i in (1, 2, 3))
    return AESGCM(key).decrypt(iv, data + tag, aad.encode())


def canon(v):
    if isinstance(v, bool):
        return b"True" if v else b"False"
    if isinstance(v, float):
        return repr(v).removesuffix(".0").encode()
    return str(v).encode()


path, field, valfile = sys.argv[1:4]
doc = yaml.safe_load(open(path))
sops = doc.pop("sops")
key = None
for e in sops["pgp"]:
    r = subprocess.run(["gpg", "--batch", "--quiet", "--decrypt"],
                       input=e["enc"].encode(), capture_output=True)
    if r.returncode == 0:
        key = r.stdout
        break
assert key and len(key) == 32, "gpg could not open the data key"
plain = {k: dec(key, v, f"data:{k}:") for k, v in doc["data"].items()}
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
