import pytest

from support.build import Builder

ABIS = ["cpython", "universal"]


def pytest_addoption(parser):
    parser.addoption("--abi", action="append", default=None,
                     help="run the ABI-parametrized tests only for these ABIs")


def pytest_generate_tests(metafunc):
    if "hpy_abi" in metafunc.fixturenames:
        abis = metafunc.config.getoption("abi") or ABIS
        metafunc.parametrize("hpy_abi", abis)


@pytest.fixture(scope="session")
def build_root(tmp_path_factory):
    return tmp_path_factory.mktemp("hpy-builds")


@pytest.fixture
def compiler(hpy_abi, build_root):
    return Builder(hpy_abi, build_root)


@pytest.fixture
def make_module(compiler):
    return compiler.make_module
