"""What the test tools share about sops files, written from the format
description, independently of coffer: ENC[] values, the canonical bytes
of clear values, and the data key through plain gpg."""
import base64
import os
import re
import subprocess
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ENC = re.compile(r"^ENC\[AES256_GCM,data:(.*),iv:(.*),tag:(.*),type:(.*)\]$")


def dec(key, s, aad):
    """Plaintext and type of an ENC[] value; raises if it does not open."""
    m = ENC.match(s)
    if not m:
        sys.exit(f"not an ENC value at {aad!r}")
    data, iv, tag = (base64.b64decode(m.group(i)) for i in (1, 2, 3))
    return AESGCM(key).decrypt(iv, data + tag, aad.encode()), m.group(4)


def enc(key, pt, aad):
    iv = os.urandom(32)
    ct = AESGCM(key).encrypt(iv, pt, aad.encode())
    b = lambda x: base64.b64encode(x).decode()
    return f"ENC[AES256_GCM,data:{b(ct[:-16])},iv:{b(iv)},tag:{b(ct[-16:])},type:str]"


def canon(v):
    """sops ToBytes of a YAML-typed clear value."""
    if isinstance(v, bool):
        return b"True" if v else b"False"
    if isinstance(v, int):
        return str(v).encode()
    if isinstance(v, float):
        return repr(v).removesuffix(".0").encode()
    return str(v).encode()


def data_key(sops):
    """The 32-byte data key, from the first pgp entry gpg can open."""
    for entry in sops["pgp"]:
        r = subprocess.run(["gpg", "--batch", "--quiet", "--decrypt"],
                           input=entry["enc"].encode(), capture_output=True)
        if r.returncode == 0 and len(r.stdout) == 32:
            return r.stdout
    sys.exit("gpg could not open the data key")
