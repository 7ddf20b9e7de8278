"""The hpy0 ABI checked by a C compiler: offsets and sizes of every context
member and public struct field, from our headers, from upstream's headers and
from the Rust twins, must be identical."""
import subprocess
from pathlib import Path

import pytest

import hpy.devel
from support.oracle import REPO, oracle_include_dir

PROGRAM = REPO / "tests" / "abi" / "autogen_layout.c"

pytestmark = pytest.mark.host_only


def layout(include_dir, tmp_path, tag):
    exe = tmp_path / ("layout-" + tag)
    subprocess.run(["gcc", "-DHPY_ABI_UNIVERSAL", "-I" + include_dir, str(PROGRAM), "-o", str(exe)], check=True)
    return subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.splitlines()


def test_context_and_structs_match_upstream(tmp_path):
    ours = layout(str(hpy.devel.HPyDevel().include_dir), tmp_path, "ours")
    upstream = layout(oracle_include_dir(), tmp_path, "upstream")
    members = [l for l in ours if l.startswith("HPyContext.")]
    assert len(members) == 3 + 263
    assert "HPyContext size 2128" in ours
    assert ours == upstream


def test_rust_layout_matches_c(tmp_path):
    ours = layout(str(hpy.devel.HPyDevel().include_dir), tmp_path, "ours")
    rust = subprocess.run(
        ["cargo", "test", "-q", "-p", "hpy-abi", "--", "--nocapture", "print_layout"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout
    rust_lines = [l for l in rust.splitlines() if l.startswith(("HPy", "_HPy"))]
    assert rust_lines == ours
