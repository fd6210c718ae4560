#!/usr/bin/env python3
"""Validates a JSON document against a JSON Schema (draft 2020-12 or 07): exit 0 when valid, else 1
with every error on stderr.  usage: validate-json.py SCHEMA DOCUMENT"""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
document = json.load(open(sys.argv[2]))
cls = jsonschema.validators.validator_for(schema)
errors = sorted(cls(schema).iter_errors(document), key=lambda e: list(e.absolute_path))
for e in errors[:20]:
    print(f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:300]}", file=sys.stderr)
sys.exit(1 if errors else 0)
