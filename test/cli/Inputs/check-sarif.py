#!/usr/bin/env python3
"""Checks the shape of a SARIF log snag wrote: version 2.1.0, one run, the
driver named snag with a rule table whose ids are snag's, and results that
point at rules in that table."""
import json
import sys

log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0", log["version"]
assert "sarif-2.1.0" in log["$schema"]
(run,) = log["runs"]
driver = run["tool"]["driver"]
assert driver["name"] == "snag"
ids = [r["id"] for r in driver["rules"]]
assert "missing-join" in ids and "unprotected-shared-state" in ids, ids
for rule in driver["rules"]:
    assert rule["shortDescription"]["text"]
    assert rule["help"]["markdown"].startswith("# " + rule["id"]), rule["id"]
    # A help link only when snag is told where its docs live: never a path
    # into the machine that built it.
    assert not rule.get("helpUri", "").startswith("file:"), rule["helpUri"]
for res in run["results"]:
    assert ids[res["ruleIndex"]] == res["ruleId"]
    assert not res["ruleId"].startswith("snag-")
    assert res["partialFingerprints"]
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
print("sarif ok:", len(run["results"]), "results")
