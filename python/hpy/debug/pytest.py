"""pytest integration: ``pytest_plugins = ["hpy.debug.pytest"]`` in a
conftest.py gives tests the ``hpy_debug`` fixture, which fails a test whose
HPy modules (loaded in debug mode) leak handles."""
import pytest

from .leakdetector import LeakDetector


@pytest.fixture
def hpy_debug(request):
    """Checks that the test does not leak handles; yields the LeakDetector."""
    with LeakDetector() as ld:
        yield ld
