"""HPy 0.9.0's example projects, built and tested with hpy-rs:
`make upstream-examples`.

HPy's source distribution carries, besides its test suite, the projects an
extension author starts from: the proof of concept (C and C++ modules, a
package with submodules), the examples of the documentation, the porting
example and the microbenchmarks. Each has its own setup.py (all declare
`setup_requires=["hpy"]`) and its own tests. This script builds them the way
their READMEs and upstream's CI do, with our hpy.devel, and runs their tests
on our runtime, unchanged:

- proof-of-concept: `setup.py --hpy-abi=X build_ext --inplace` for the
  cpython, universal and hybrid ABIs, and `setup.py --hpy-abi=X bdist_wheel`
  installed by pip for cpython and universal; `test_pof.py` after each;
- docs/examples: every example built as upstream's Makefile builds it, then
  `tests.py` (which also runs debug and trace mode in subprocesses);
- docs/porting-example: the four steps, then their tests;
- microbench: `cpy_simple` and `hpy_simple`, in the cpython then the
  universal ABI, then its benchmarks as tests (`--fast`).

Everything runs in a venv of its own (build/upstream-examples/venv) with our
wheel installed, from copies of the projects, so that nothing they write
lands in the unpacked sdist. The sdist is an oracle and is never committed.

Usage (from tests/): python -m support.upstream_examples [project ...]
(projects: proof_of_concept docs_examples porting_example microbench)
"""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from support.oracle import REPO
from support.upstream_suite import build_wheel, sdist_dir

WORKDIR = REPO / "build" / "upstream-examples"
VENV = WORKDIR / "venv"
PY = VENV / "bin" / "python"
# What the projects need besides hpy: cffi for the microbenchmarks' helper.
REQUIREMENTS = ["setuptools", "wheel", "pytest", "cffi"]


class Failed(Exception):
    pass


def run(cmd, cwd, env=None, quiet=True):
    """Runs cmd; its output is shown only if it fails (or with quiet=False)."""
    shown = " ".join(str(c) for c in cmd)
    r = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, text=True,
                       stdout=subprocess.PIPE if quiet else None,
                       stderr=subprocess.STDOUT if quiet else None)
    if r.returncode != 0:
        if quiet:
            sys.stdout.write(r.stdout)
        raise Failed("in %s: %s (exit %d)" % (cwd, shown, r.returncode))


def make_venv(wheel):
    if not PY.exists():
        run([sys.executable, "-m", "venv", VENV], cwd=REPO)
        run([PY, "-m", "pip", "install", "-q", *REQUIREMENTS], cwd=REPO)
    run([PY, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", wheel], cwd=REPO)


def fresh_copy(src, name):
    dst = WORKDIR / "work" / name
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    return dst


def pytest(cwd, *args, env=None):
    run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=cwd, env=env, quiet=False)


def setup_py(cwd, script, *args):
    run([PY, script, *args], cwd=cwd)


def remove_built(cwd):
    for pattern in ("*.so", "*/*.so"):
        for p in Path(cwd).glob(pattern):
            p.unlink()
    shutil.rmtree(Path(cwd) / "build", ignore_errors=True)


# ---- the projects ------------------------------------------------------------

def proof_of_concept(sdist):
    src = sdist / "proof-of-concept"
    for abi in ("cpython", "universal", "hybrid"):
        work = fresh_copy(src, "pof-inplace-" + abi)
        setup_py(work, "setup.py", "--hpy-abi=" + abi, "build_ext", "--inplace")
        pytest(work, "test_pof.py")
    for abi in ("cpython", "universal"):
        work = fresh_copy(src, "pof-wheel-" + abi)
        setup_py(work, "setup.py", "--hpy-abi=" + abi, "bdist_wheel")
        (wheel,) = (work / "dist").glob("*.whl")
        run([PY, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", wheel], cwd=work)
        # the tests alone in a directory: the modules must come from the install
        tests = WORKDIR / "work" / ("pof-wheel-tests-" + abi)
        shutil.rmtree(tests, ignore_errors=True)
        tests.mkdir()
        shutil.copy(work / "test_pof.py", tests)
        try:
            pytest(tests, "test_pof.py")
        finally:
            run([PY, "-m", "pip", "uninstall", "-q", "-y", "hpy-pof"], cwd=work)


# (directory, --hpy-abi or None for setup.py's default), as in upstream's
# Makefile (docs-examples-tests)
DOCS_EXAMPLES = [
    ("simple-example", "universal"),
    ("mixed-example", None),
    ("snippets", "universal"),
    ("quickstart", "universal"),
    ("hpytype-example", "universal"),
]


def docs_examples(sdist):
    work = fresh_copy(sdist / "docs" / "examples", "docs-examples")
    for directory, abi in DOCS_EXAMPLES:
        args = ["--hpy-abi=" + abi] if abi else []
        setup_py(work / directory, "setup.py", *args, "build_ext", "--inplace")
    # tests.py imports every example, and runs scripts that import them too
    path = ":".join(str(work / d) for d, _ in DOCS_EXAMPLES)
    env = dict(os.environ, PYTHONPATH=path)
    pytest(work, "tests.py", env=env)


PORTING_STEPS = [("setup00.py", None), ("setup01.py", None), ("setup02.py", None),
                 ("setup03.py", "universal")]


def porting_example(sdist):
    work = fresh_copy(sdist / "docs" / "porting-example" / "steps", "porting-example")
    for script, abi in PORTING_STEPS:
        args = ["--hpy-abi=" + abi] if abi else []
        setup_py(work, script, *args, "build_ext", "--inplace")
    pytest(work, ".")


def microbench(sdist):
    # its helper module _valgrind is built by cffi from valgrind's headers
    if not Path("/usr/include/valgrind/callgrind.h").exists() and os.geteuid() == 0:
        run(["apt-get", "install", "-y", "-q", "valgrind"], cwd=REPO)
    work = fresh_copy(sdist / "microbench", "microbench")
    for abi in ("cpython", "universal"):
        remove_built(work)
        setup_py(work, "setup.py", "--hpy-abi=" + abi, "build_ext", "--inplace")
        pytest(work, "--fast")


PROJECTS = [proof_of_concept, docs_examples, porting_example, microbench]


def main(argv):
    sdist = sdist_dir()
    WORKDIR.mkdir(parents=True, exist_ok=True)
    make_venv(build_wheel())
    chosen = [p for p in PROJECTS if not argv or p.__name__ in argv]
    failed = []
    for project in chosen:
        start = time.monotonic()
        print("==== %s" % project.__name__, flush=True)
        try:
            project(sdist)
        except Failed as e:
            failed.append(project.__name__)
            print("==== %s FAILED %s" % (project.__name__, e), flush=True)
        else:
            print("==== %s passed in %.0f s" % (project.__name__, time.monotonic() - start), flush=True)
    if failed:
        print("upstream examples failed: " + ", ".join(failed))
        return 1
    print("upstream examples: all %d projects passed" % len(chosen))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
