#!/usr/bin/env python3
"""sarif-fields.py LOG RULE: prints, one per line, the fields of a SARIF log
that code scanning reads, for FileCheck: the run's, RULE's entry in the rule
table, and each result's primary location."""
import json
import sys

log = json.load(open(sys.argv[1]))
(run,) = log["runs"]
print("automationDetails.id", run["automationDetails"]["id"])
print("columnKind", run["columnKind"])
print("%SRCROOT%", run["originalUriBaseIds"]["%SRCROOT%"]["uri"])
for rule in run["tool"]["driver"]["rules"]:
    if rule["id"] != sys.argv[2]:
        continue
    print("rule", rule["id"])
    print("fullDescription", rule["fullDescription"]["text"])
    print("help.markdown", rule["help"]["markdown"].splitlines()[0])
    print("helpUri", rule.get("helpUri", "(none)"))
for res in run["results"]:
    loc = res["locations"][0]["physicalLocation"]
    art, region = loc["artifactLocation"], loc["region"]
    print("result", res["ruleId"], art.get("uriBaseId", "-"), art["uri"],
          region["startLine"], region.get("startColumn"))
