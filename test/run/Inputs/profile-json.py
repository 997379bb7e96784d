# Prints the profile of a snag run JSON report, one line per lock and call site.
import json
import os
import sys

p = json.load(open(sys.argv[1]))["profile"]
print("locks:", len(p["locks"]))
for l in p["locks"]:
    print("lock", l["lock"], "process" if "process" in l else "", "acquisitions", l["acquisitions"], "contended", l["contended"],
          " ".join("%s>0 %s" % (k, l[k] > 0) for k in ("waitTotalNs", "waitMaxNs", "holdTotalNs", "holdMaxNs")))
for s in p["callSites"]:
    print("site", "%s:%d" % (os.path.basename(s["location"]["file"]), s["location"]["line"]),
          "function", s["function"], "lock", s["lock"], "waits", s["waits"])
print("otherLocks", dict(sorted(p["otherLocks"].items())))
