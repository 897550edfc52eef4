#!/usr/bin/python3
"""Exits 0 if the hex data key decrypts data.value of a sops/coffer file,
1 if it does not (AES-GCM authentication fails).

usage: try_key.py FILE HEXKEY
"""
import base64
import re
import sys

import yaml
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

doc = yaml.safe_load(open(sys.argv[1]))
m = re.match(r"^ENC\[AES256_GCM,data:(.*),iv:(.*),tag:(.*),type:(.*)\]$",
             doc["data"]["value"])
data, iv, tag = (base64.b64decode(m.group(i)) for i in (1, 2, 3))
try:
    AESGCM(bytes.fromhex(sys.argv[2])).decrypt(iv, data + tag, b"data:value:")
except Exception:
    sys.exit(1)
