#!/usr/bin/env python3
"""docs/ci.md's recipes as files (examples/ci/), checked and run.

  same DOC EXAMPLES_DIR          each recipe in DOC is, byte for byte, its file
  gitlab-schema SCHEMA FILE...   validate .gitlab-ci.yml files against GitLab's
                                 CI JSON schema
  run-github WORKFLOW DIR BIN    run the workflow's `run:` steps in DIR, as the
                                 runner would (bash -e, each step on its own,
                                 `if: !cancelled()` steps after a failure), and
                                 check what its `uses:` steps would upload
  run-gitlab FILE DIR BIN        run the job's `script:` in DIR as one shell
                                 (set -eo pipefail), and check its artifacts
  run-shell SCRIPT DIR BIN       run a shell script in DIR
BIN is put first on PATH: the snag under test.
Steps that install snag (they clone and build it) are not run: the snag
under test is on PATH instead."""
import json
import os
import re
import subprocess
import sys

import yaml

RECIPES = [  # docs section, fence language, file under examples/ci
    ("GitHub Actions", "yaml", "github-snag.yml"),
    ("GitLab CI", "yaml", "gitlab-ci.yml"),
    ("A plain shell step", "sh", "snag.sh"),
    ("A pre-commit hook", "sh", "pre-commit"),
]


def same(doc_path, folder):
    doc = open(doc_path).read()
    bad = 0
    for section, lang, name in RECIPES:
        part = doc.split("\n## " + section + "\n", 1)
        m = re.search(r"```" + lang + r"\n(.*?)```", part[1], re.S) if len(part) == 2 else None
        text = open(os.path.join(folder, name)).read()
        if not m or m.group(1) != text:
            print(f"differs: {name} and the '{section}' recipe of {doc_path}")
            bad = 1
        else:
            print(f"same: {name}")
    return bad


def gitlab_schema(schema_path, files):
    import jsonschema
    schema = json.load(open(schema_path))
    validator = jsonschema.Draft7Validator(schema)
    bad = 0
    for f in files:
        errors = sorted(validator.iter_errors(yaml.safe_load(open(f))), key=lambda e: list(e.path))
        for e in errors:
            print(f"{f}: {'/'.join(map(str, e.path))}: {e.message[:300]}")
        print(("invalid" if errors else "valid") + f" GitLab CI: {os.path.basename(f)}")
        bad |= bool(errors)
    return bad


def installs_snag(text):
    return "git clone" in text and "$SNAG_REPO" in text


def environment(bindir):
    env = dict(os.environ)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    return env


def run_shell(script, folder, bindir):
    proc = subprocess.run(["sh", script], cwd=folder, env=environment(bindir),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sys.stdout.write(proc.stdout)
    print(f"script '{os.path.basename(script)}': exit {proc.returncode}")
    return 0


def run_github(workflow, folder, bindir):
    wf = yaml.safe_load(open(workflow))
    env = environment(bindir)
    failed = False
    for job_name, job in wf["jobs"].items():
        env.update({k: str(v) for k, v in job.get("env", {}).items()})
        for step in job["steps"]:
            name = step.get("name") or step.get("uses") or "step"
            cond = str(step.get("if", ""))
            if failed and "!cancelled()" not in cond and "always()" not in cond:
                print(f"skipped: {name}")
                continue
            if "uses" in step:
                action = step["uses"].split("@")[0]
                paths = [v for k, v in step.get("with", {}).items() if k in ("sarif_file", "path")]
                for p in paths:
                    print(f"{action}: {p} " + ("exists" if os.path.exists(os.path.join(folder, p)) else "MISSING"))
                if action == "actions/checkout":
                    print("actions/checkout: the project is in place")
                continue
            if installs_snag(step["run"]):
                print(f"not run (installs snag): {name}")
                continue
            proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=folder, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            sys.stdout.write(proc.stdout)
            print(f"step '{name}': exit {proc.returncode}")
            failed |= proc.returncode != 0
    return 0


def run_gitlab(path, folder, bindir):
    ci = yaml.safe_load(open(path))
    env = environment(bindir)
    for job_name, job in ci.items():
        if not isinstance(job, dict) or "script" not in job:
            continue
        env.update({k: str(v) for k, v in job.get("variables", {}).items()})
        before = [l for l in job.get("before_script", []) if not l.startswith(("apt-get", "git clone", "cmake"))]
        print("before_script run: " + "; ".join(before))
        script = "set -eo pipefail\n" + "\n".join(before + job["script"]) + "\n"
        proc = subprocess.run(["bash", "-c", script], cwd=folder, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        sys.stdout.write(proc.stdout)
        print(f"job '{job_name}': exit {proc.returncode}")
        arts = job.get("artifacts", {})
        for p in arts.get("paths", []):
            print(f"artifact {p}: " + ("exists" if os.path.exists(os.path.join(folder, p)) else "MISSING"))
        for kind, p in arts.get("reports", {}).items():
            report = json.load(open(os.path.join(folder, p)))
            for issue in report:
                need = {"description", "check_name", "fingerprint", "severity", "location"}
                missing = need - set(issue)
                where = issue.get("location", {})
                print(f"{kind}: {issue.get('check_name')} at {where.get('path')}:{where.get('lines', {}).get('begin')}"
                      + (f" missing {sorted(missing)}" if missing else "")
                      + ("" if issue.get("fingerprint") else " NO FINGERPRINT"))
    return 0


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "same":
        return same(*args)
    if cmd == "gitlab-schema":
        return gitlab_schema(args[0], args[1:])
    if cmd == "run-github":
        return run_github(*args)
    if cmd == "run-gitlab":
        return run_gitlab(*args)
    if cmd == "run-shell":
        return run_shell(*args)
    print(f"unknown command {cmd}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
