#!/usr/bin/python3
"""Exits 0 if the hex data key decrypts data.value of a sops/coffer file,
1 if it does not (AES-GCM authentication fails).

usage: try_key.py FILE HEXKEY
"""
import sys

import yaml

from sopsfile import dec

doc = yaml.safe_load(open(sys.argv[1]))
try:
    dec(bytes.fromhex(sys.argv[2]), doc["data"]["value"], "data:value:")
except Exception:
    sys.exit(1)
