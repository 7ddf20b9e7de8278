"""Generated files are up to date with api/hpy_api.h."""
import subprocess

import pytest

from support.oracle import REPO


@pytest.mark.host_only
def test_generated_files_are_fresh():
    r = subprocess.run(["cargo", "run", "-q", "-p", "hpy-codegen", "--", "--check"],
                       cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
