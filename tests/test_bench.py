"""The microbenchmark extension (bench/) builds in every variant and every
variant computes the same results as its C API twin. No timing here: the
numbers come from `make bench`."""
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))
import run as bench  # noqa: E402


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    return bench.build_all(tmp_path_factory.mktemp("bench"), with_cgctl=False)


def check(variant, modules, python=None):
    cmd = bench.worker_cmd(variant, modules, "check", python or sys.executable)
    return bench.run_worker(cmd)


@pytest.fixture(scope="module")
def reference(modules):
    res = check("capi", modules)
    assert set(res["result"]) == set(bench.worker.OPS)
    return res["result"]


def test_reference_results(reference):
    # what the C API version computes (the HPy one must agree)
    assert reference["tuple_getitem"] == "500"
    assert reference["float_list"] == ["list", 1000, 249750.0]
    assert reference["new_instance"] == ["Point", 3, 1.5]
    assert reference["call_keywords"] == "2"


@pytest.mark.parametrize("variant", ["cpython", "universal", "debug"])
def test_same_results(variant, modules, reference):
    res = check(variant, modules)
    if "unavailable" in res:
        assert variant == "debug"
        pytest.skip("debug mode: " + res["unavailable"])
    assert res["result"] == reference


@pytest.mark.host_only
@pytest.mark.parametrize("variant", ["upstream", "upstream-debug"])
def test_same_results_on_upstream(variant, modules, reference):
    """The very .hpy0.so built with hpy-rs's headers, on HPy 0.9.0."""
    res = check(variant, modules, bench.oracle_python())
    assert "unavailable" not in res, res
    assert res["result"] == reference
