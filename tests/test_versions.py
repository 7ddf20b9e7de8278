"""The universal promise: one .hpy0.so, built once, runs unchanged on every
CPython that has an hpy-rs runtime (each interpreter with its own build)."""
import subprocess
import sys

import pytest

from support.build import Builder, expand_snippet
from support.oracle import REPO
from test_crossload import CHECKS, SNIPPET

pytestmark = pytest.mark.host_only

PYTHONS_TOOL = REPO.parent / "shared" / "tools" / "pythons"
OTHER = "3.14"


def test_same_binary_on_host_and_other_python():
    venv_python = REPO / (".venv-" + OTHER) / "bin" / "python"
    assert (venv_python.parent.parent / "pyvenv.cfg").exists(), "run `make runtime-others` first: the %s runtime is not built" % OTHER
    # Inside the repository: the pythons chroot sees only the current directory.
    build_dir = REPO / "build" / "versions-test"
    path = Builder("universal", build_dir).compile("xmod", expand_snippet("xmod", SNIPPET))
    host = subprocess.run([sys.executable, "-c", CHECKS, str(path)], capture_output=True, text=True)
    assert host.returncode == 0, host.stderr
    other = subprocess.run(
        ["bash", str(PYTHONS_TOOL), "run", OTHER, "--", str(venv_python), "-c",
         CHECKS + "\nimport sys; print(sys.version_info[:2])", str(path)],
        cwd=REPO, capture_output=True, text=True,
    )
    assert other.returncode == 0, other.stdout + other.stderr
    assert "(3, 14)" in other.stdout and "ok" in other.stdout
