import pytest

from support.build import Builder, abi_runtime, loaded_runtime, split_abi

# "debug": universal binaries loaded in debug mode, each test inside a
# LeakDetector (see _debug_mode_checks): the suite must not misuse the API.
ABIS = ["cpython", "universal", "debug"]
# For the tests marked python_h (legacy parts, the HPy_AsPyObject bridge).
PYTHON_H_ABIS = ["cpython", "hybrid", "hybrid+debug"]

# The same universal binaries loaded by HPy 0.9.0's runtime: pytest then runs
# in the oracle venv (`make pytest-upstream`), where `import hpy` is upstream's
# package. Only the ABI-parametrized tests run there (the others are
# deselected); @pytest.mark.hpy_rs_only and @pytest.mark.upstream_differs
# say which of those cannot pass there and why (see docs/compat.md).
UPSTREAM_ABIS = ["upstream", "upstream+debug"]

# Test modules that import hpy-rs's own packages (hpy.universal._debug,
# hpy.trace, ...) at import time and have no ABI-parametrized tests: under
# upstream's runtime they are not even imported (named in the summary).
HPY_RS_ONLY_MODULES = {
    "test_abi_layout.py": "compares hpy-rs's headers and Rust structs with upstream's",
    "test_codegen.py": "hpy-rs's code generator",
    "test_crossload.py": "runs both runtimes itself",
    "test_debug.py": "hpy-rs's debug mode and its reports",
    "test_debug_closed_type.py": "hpy-rs's debug mode reports",
    "test_devel.py": "hpy-rs's hpy.devel",
    "test_loader.py": "hpy-rs's loader and its errors",
    "test_trace.py": "hpy-rs's trace mode",
    "test_versions.py": "runs hpy-rs's runtime under several interpreters",
}


def pytest_addoption(parser):
    parser.addoption("--abi", action="append", default=None,
                     help="run the ABI-parametrized tests only for these ABIs")
    parser.addoption("--api-coverage", default=None, metavar="FILE",
                     help="record, per test, the HPy context members it exercises (see support/coverage.py)")
    parser.addoption("--check-refleaks", action="store_true", default=False,
                     help="fail tests whose repeated runs leak references (Py_DEBUG builds)")


def _abis(config):
    return config.getoption("abi") or (ABIS if loaded_runtime() == "hpy-rs" else UPSTREAM_ABIS)


def pytest_generate_tests(metafunc):
    if "hpy_abi" in metafunc.fixturenames:
        abis = _abis(metafunc.config)
        if metafunc.definition.get_closest_marker("python_h"):
            # C code that needs Python.h: only the ABIs that have it
            if not metafunc.config.getoption("abi") and loaded_runtime() == "hpy-rs":
                abis = PYTHON_H_ABIS
            abis = [a for a in abis if split_abi(a)[0] != "universal"]
        metafunc.parametrize("hpy_abi", abis)


def pytest_ignore_collect(collection_path, config):
    if collection_path.name in HPY_RS_ONLY_MODULES and loaded_runtime() == "upstream":
        return True
    return None


def pytest_terminal_summary(terminalreporter, config):
    # in the summary, which -q keeps (unlike the header)
    if loaded_runtime() == "upstream":
        terminalreporter.write_line(
            "HPy 0.9.0's runtime: tests that are not ABI-parametrized deselected; not collected (hpy-rs only): "
            + ", ".join("%s (%s)" % kv for kv in sorted(HPY_RS_ONLY_MODULES.items())))


def pytest_collection_modifyitems(config, items):
    """Under upstream's runtime: deselects the tests that are not
    ABI-parametrized (they test hpy-rs itself), skips @hpy_rs_only tests
    and expects @upstream_differs tests to fail."""
    if loaded_runtime() != "upstream":
        return
    kept, deselected = [], []
    for item in items:
        abi = getattr(getattr(item, "callspec", None), "params", {}).get("hpy_abi")
        if abi is None:
            deselected.append(item)
            continue
        kept.append(item)
        only = item.get_closest_marker("hpy_rs_only")
        if only is not None:
            item.add_marker(pytest.mark.skip(reason="hpy-rs only: " + _marker_reason(item, only)))
        for differs in item.iter_markers("upstream_differs"):
            if abi in differs.kwargs.get("abis", UPSTREAM_ABIS):
                # strict: a test that starts passing upstream must lose its
                # marker (strict=False only where other tests decide the outcome)
                item.add_marker(pytest.mark.xfail(
                    strict=differs.kwargs.get("strict", True), run=differs.kwargs.get("run", True),
                    reason="upstream differs: " + _marker_reason(item, differs)))
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def _marker_reason(item, marker):
    if not marker.args or not marker.args[0]:
        raise pytest.UsageError("%s: @pytest.mark.%s needs a reason" % (item.nodeid, marker.name))
    return marker.args[0]


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


# --check-refleaks (needs a Py_DEBUG interpreter): every test body runs a
# few times to warm caches, then a few more; a leak is a growth of
# sys.gettotalrefcount() in every measured run (see REFLEAK_MIN_GROWTH).
def pytest_configure(config):
    for abi in config.getoption("abi") or ():
        if abi_runtime(abi) != loaded_runtime():
            raise pytest.UsageError(
                "--abi %s needs %s's runtime, but `import hpy` gives %s's here; the upstream "
                "ABIs run in the oracle venv (make pytest-upstream)" % (abi, abi_runtime(abi), loaded_runtime()))
    if config.getoption("api_coverage"):
        config.pluginmanager.register(_ApiCoveragePlugin(config.getoption("api_coverage")))
    if config.getoption("check_refleaks") and not hasattr(__import__("sys"), "gettotalrefcount"):
        raise pytest.UsageError("--check-refleaks needs a Py_DEBUG build of CPython")
    if config.getoption("check_refleaks"):
        from support import build
        build.REUSE_LOADED_MODULES = True


REFLEAK_WARMUPS = 4
REFLEAK_RUNS = 3
# Running a body through pytest again costs a few references by itself
# (measured on 3.14d: up to 6 per run, shrinking, for `assert 1 == 1`), so a
# leak is a growth of at least this much in every measured run.
REFLEAK_MIN_GROWTH = 10


def _refcount_after(item):
    import gc
    import sys
    item.runtest()
    gc.collect()
    _clear_type_cache()
    return sys.gettotalrefcount()


def _clear_type_cache():
    """CPython's type attribute cache (4096 entries) keeps a reference to
    the name of each lookup it caches. A name made afresh for each call, as
    PyObject_GetAttrString (HPy_GetAttr_s) makes it, takes a new entry until
    the cache is full: on 3.14d test_struct_sequence_errors grew by 5-14
    references per run for 90 runs and more, and by none once the cache is
    cleared before each count. Not a leak."""
    import sys
    clear = getattr(sys, "_clear_internal_caches", None) or sys._clear_type_cache
    clear()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    """Runs before pytest's own call of the test (which still follows)."""
    if not item.config.getoption("check_refleaks"):
        return
    # Only bodies that run HPy code in this process can show a leak, and
    # only bodies that can run again in the same process can be measured.
    if "hpy_abi" not in getattr(item, "fixturenames", ()) or item.get_closest_marker("not_repeatable"):
        return
    for _ in range(REFLEAK_WARMUPS):
        _refcount_after(item)
    base = _refcount_after(item)
    deltas = []
    for _ in range(REFLEAK_RUNS):
        now = _refcount_after(item)
        deltas.append(now - base)
        base = now
    if all(d >= REFLEAK_MIN_GROWTH for d in deltas):
        pytest.fail("reference leak: sys.gettotalrefcount() grew by %s in repeated runs" % deltas, pytrace=False)


@pytest.fixture
def make_hybrid_module(build_root):
    """For tests of legacy (Python.h) parts, which only the hybrid ABI has."""
    return Builder("hybrid", build_root).make_module


# --api-coverage FILE: per test, the context functions called (trace mode
# counts) and the names its C snippets use; tools/api_coverage.py makes the
# table from the file.
class _ApiCoveragePlugin:
    def __init__(self, path):
        from support.coverage import CoverageRecorder
        self.recorder = CoverageRecorder(path)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        from support import build
        build.COMPILED_SOURCES.clear()
        before = self.recorder.begin()
        outcome = yield
        if outcome.excinfo is None:
            self.recorder.record(item.nodeid, before, list(build.COMPILED_SOURCES))

    def pytest_unconfigure(self, config):
        self.recorder.write()
