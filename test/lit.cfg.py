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

# The HTML report's browser test needs headless Chromium (Debian's chromium
# package, which scripts/setup.sh installs); without it the test is skipped.
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if chromium:
    config.available_features.add("chromium")
    config.substitutions.append(("%chromium", chromium))
else:
    lit_config.note("chromium not found: test/cli/html-browser.test (the HTML "
                    "report in a real browser) is skipped; apt-get install chromium to run it")
