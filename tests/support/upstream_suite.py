"""HPy 0.9.0's own test suite, run against hpy-rs: `make upstream-suite`.

The suite comes from upstream's source distribution on PyPI, fetched and
unpacked into build/ at test time; it is an oracle, never part of this
repository. It runs with the interpreter of our venv, so its `import hpy`
finds hpy-rs: our hpy.devel compiles its extensions, our runtime loads them.

The tests that check a behaviour where hpy-rs deliberately differs from
0.9.0 are deselected by the list in upstream_suite_differences.txt (next to
this file), each with its reason; docs/compat.md explains each difference.

test_distutils.py installs "the HPy under test" into venvs of its own: the
plugin upstream_suite_plugin.py makes that hpy-rs's wheel, built here.

Usage (from tests/): python -m support.upstream_suite [pytest options]
"""
import os
import subprocess
import sys
import tarfile
from pathlib import Path

from support.oracle import REPO, exclusive

VERSION = "0.9.0"
WORKDIR = REPO / "build" / "upstream-suite"
DIFFERENCES = Path(__file__).with_name("upstream_suite_differences.txt")


def sdist_dir():
    """The unpacked sdist, downloaded on first use."""
    root = WORKDIR / ("hpy-" + VERSION)
    with exclusive(WORKDIR / "lock"):
        if not (root / "test" / "conftest.py").exists():
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                            "--no-binary", ":all:", "-d", str(WORKDIR), "hpy==" + VERSION], check=True)
            with tarfile.open(WORKDIR / ("hpy-%s.tar.gz" % VERSION)) as tar:
                tar.extractall(WORKDIR, filter="data")
    return root


def differences():
    """{test node id: reason} of the tests deselected."""
    result = {}
    for line in DIFFERENCES.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        nodeid, _, reason = line.partition(" # ")
        if not reason:
            raise SystemExit("%s: no reason given for %s" % (DIFFERENCES.name, nodeid))
        result[nodeid.strip()] = reason.strip()
    return result


def build_wheel():
    """hpy-rs's wheel, for the venvs of test_distutils.py (see
    upstream_suite_plugin.py); cargo's build of the runtime is reused."""
    outdir = WORKDIR / "wheel"
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob("*.whl"):
        old.unlink()
    venv = Path(sys.prefix)
    subprocess.run([str(venv / "bin" / "maturin"), "build", "--release", "-q", "-o", str(outdir)],
                   cwd=REPO, check=True, env=dict(os.environ, VIRTUAL_ENV=str(venv)))
    (wheel,) = outdir.glob("hpy-*.whl")
    return wheel


def main(argv):
    root = sdist_dir()
    env = dict(os.environ, HPY_RS_WHEEL=str(build_wheel()),
                PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).parent.parent),
                                                         os.environ.get("PYTHONPATH")])))
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "-p", "support.upstream_suite_plugin", *argv]
    for nodeid in differences():
        args += ["--deselect", nodeid]
    return subprocess.run(args + ["test"], cwd=root, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
