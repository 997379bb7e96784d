#!/usr/bin/env python3
"""validate-sarif.py SCHEMA LOG...: validates each SARIF log against the
published SARIF 2.1.0 JSON schema, then checks what GitHub code scanning
needs beyond the schema: rule help, no file:// help links, UTF-16 columns,
an automation id, and code flows wherever there are stacks."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
validator = jsonschema.validators.validator_for(schema)(schema)
for path in sys.argv[2:]:
    log = json.load(open(path))
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    for e in errors[:10]:
        print(f"{path}: {'/'.join(map(str, e.path))}: {e.message}")
    assert not errors, f"{path}: {len(errors)} schema errors"
    for run in log["runs"]:
        assert run["columnKind"] == "utf16CodeUnits"
        assert run["automationDetails"]["id"].startswith("snag/")
        assert "%SRCROOT%" in run["originalUriBaseIds"]
        for rule in run["tool"]["driver"]["rules"]:
            assert rule["fullDescription"]["text"], rule["id"]
            assert rule["help"]["markdown"].startswith("# " + rule["id"]), rule["id"]
            assert not rule.get("helpUri", "").startswith("file:"), rule["helpUri"]
        for res in run["results"]:
            if res.get("stacks"):
                assert len(res["codeFlows"][0]["threadFlows"]) == len(res["stacks"])
    print(f"{path}: valid SARIF 2.1.0")
