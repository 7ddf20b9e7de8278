"""pytest plugin for `make upstream-suite` (loaded by upstream_suite.py).

HPy 0.9.0's test_distutils.py builds its projects in a fresh venv into which
it pip-installs "the HPy under test" from its own source tree, i.e. HPy 0.9.0
itself: run as is, it would test upstream's hpy.devel and runtime, not
hpy-rs. The plugin points that installation at hpy-rs's wheel instead (the
path in HPY_RS_WHEEL), the way the rest of the suite imports hpy-rs.
"""
import os
from pathlib import Path


def pytest_collection_modifyitems(session, config, items):
    wheel = os.environ.get("HPY_RS_WHEEL")
    if not wheel:
        return
    for module in {item.module for item in items if getattr(item, "module", None) is not None}:
        # the name the module's venv fixture installs from
        if module.__name__.endswith("test_distutils") and hasattr(module, "HPY_ROOT"):
            module.HPY_ROOT = Path(wheel)
