import pytest

from support.build import Builder

# "debug": universal binaries loaded in debug mode, each test inside a
# LeakDetector (see _debug_mode_checks): the suite must not misuse the API.
ABIS = ["cpython", "universal", "debug"]


def pytest_addoption(parser):
    parser.addoption("--abi", action="append", default=None,
                     help="run the ABI-parametrized tests only for these ABIs")
    parser.addoption("--check-refleaks", action="store_true", default=False,
                     help="fail tests whose repeated runs leak references (Py_DEBUG builds)")


def pytest_generate_tests(metafunc):
    if "hpy_abi" in metafunc.fixturenames:
        abis = metafunc.config.getoption("abi") or ABIS
        metafunc.parametrize("hpy_abi", abis)


@pytest.fixture(scope="session")
def build_root():
    from support.oracle import REPO
    return REPO / "build" / "snippets"


@pytest.fixture
def compiler(hpy_abi, build_root):
    return Builder(hpy_abi, build_root)


@pytest.fixture
def make_module(compiler):
    return compiler.make_module


@pytest.fixture(autouse=True)
def _debug_mode_checks(request):
    """In the debug ABIs, a test fails if its modules leak handles (misuse
    raises by itself); @pytest.mark.hpy_leaks exempts a test that leaks on
    purpose."""
    abi = getattr(getattr(request.node, "callspec", None), "params", {}).get("hpy_abi", "")
    if "debug" not in abi.split("+") or request.node.get_closest_marker("hpy_leaks"):
        yield
        return
    from hpy.debug import LeakDetector
    with LeakDetector():
        yield


# --check-refleaks (needs a Py_DEBUG interpreter): every test body runs
# twice to warm caches, then twice more; a leak is a growth of
# sys.gettotalrefcount() in both measured runs.
def pytest_configure(config):
    if config.getoption("check_refleaks") and not hasattr(__import__("sys"), "gettotalrefcount"):
        raise pytest.UsageError("--check-refleaks needs a Py_DEBUG build of CPython")


def _refcount_after(item):
    import gc
    import sys
    item.runtest()
    gc.collect()
    return sys.gettotalrefcount()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    """Runs before pytest's own call of the test (which still follows)."""
    if not item.config.getoption("check_refleaks"):
        return
    for _ in range(2):
        _refcount_after(item)
    base = _refcount_after(item)
    deltas = []
    for _ in range(2):
        now = _refcount_after(item)
        deltas.append(now - base)
        base = now
    if all(d > 0 for d in deltas):
        pytest.fail("reference leak: sys.gettotalrefcount() grew by %s in repeated runs" % deltas, pytrace=False)


@pytest.fixture
def make_hybrid_module(build_root):
    """For tests of legacy (Python.h) parts, which only the hybrid ABI has."""
    return Builder("hybrid", build_root).make_module
