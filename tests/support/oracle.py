"""Upstream hpy==0.9.0 from PyPI, in a virtualenv of its own: an oracle for
ABI layouts, cross-loading and the upstream ABI modes of the test suite
(`--abi upstream`, run by this venv's own pytest), never part of hpy-rs."""
import contextlib
import fcntl
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / "build" / "oracle-venv"


@contextlib.contextmanager
def exclusive(lock_file):
    """Holds an exclusive lock on `lock_file` (made with its directory):
    what build/ prepares once is prepared by one pytest-xdist worker."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def oracle_python(with_pytest=False):
    """The oracle venv's interpreter, created on first use (safe across
    pytest-xdist workers); `with_pytest` also installs pytest and
    pytest-xdist into it, for the upstream ABI modes."""
    python = VENV / "bin" / "python"
    with exclusive(VENV.parent / "oracle-venv.lock"):
        if not (VENV / "ready").exists():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
            subprocess.run([str(python), "-m", "pip", "install", "-q", "hpy==0.9.0", "setuptools"], check=True)
            (VENV / "ready").write_text("hpy==0.9.0\n")
        if with_pytest and not (VENV / "ready-pytest").exists():
            subprocess.run([str(python), "-m", "pip", "install", "-q", "pytest", "pytest-xdist"], check=True)
            (VENV / "ready-pytest").write_text("pytest pytest-xdist\n")
    return python


def oracle_include_dir():
    python = oracle_python()
    out = subprocess.run(
        [str(python), "-c", "import hpy.devel, os; print(hpy.devel.HPyDevel().include_dir)"],
        capture_output=True, text=True, check=True,
    )
    return out.stdout.strip()


if __name__ == "__main__":
    # `python -m support.oracle --with-pytest` (from tests/): prints the
    # interpreter, for the Makefile.
    print(oracle_python(with_pytest="--with-pytest" in sys.argv[1:]))
