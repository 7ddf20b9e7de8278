# hpy-rs: the two commands of the README are `make demo` and `make test`.
# Everything installs into .venv/ (host CPython 3.11) and, for other
# interpreters, into .venv-<version>/ inside ../shared/tools/pythons' chroot.

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
PYTHONS := bash ../shared/tools/pythons
# g++ for the tests of C++ extensions (tests/test_extension_idioms.py)
export PYTHONS_EXTRA_PACKAGES := g++
OTHER_PYTHONS ?= 3.13 3.14 3.15
# The Py_DEBUG build whose sys.gettotalrefcount() checks for reference leaks.
REFLEAK_PYTHON ?= 3.14d
PYTEST_WORKERS ?= 2
ALL_ABIS := --abi cpython --abi universal --abi debug --abi hybrid --abi hybrid+debug

.PHONY: upstream-suite upstream-examples upstream-suite-others api-coverage all venv runtime runtime-others generate check-generated rust-test pytest pytest-upstream pytest-others pytest-refleaks test demo clean bench bench-quick

all: runtime

$(VPY):
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip
	$(VPY) -m pip install -q "maturin>=1.5,<2" pytest pytest-xdist setuptools wheel filelock

venv: $(VPY)

# Builds the Rust runtime once (release) and installs the package in
# development mode: hpy.devel's headers are read from python/ in place.
runtime: $(VPY)
	VIRTUAL_ENV=$(abspath $(VENV)) $(VENV)/bin/maturin develop --release -q

generate:
	cargo run -q -p hpy-codegen

check-generated:
	cargo run -q -p hpy-codegen -- --check

rust-test:
	cargo test -q --workspace

# The host also runs the hybrid ABI (binaries tagged for this CPython), alone
# and in debug mode.
pytest: runtime runtime-others
	cd tests && ../$(VPY) -m pytest -q -n $(PYTEST_WORKERS) $(ALL_ABIS) .

# The same universal binaries (build/snippets/universal) loaded by upstream's
# HPy 0.9.0 runtime, alone and in its debug mode. pytest runs from the oracle
# venv (created with pytest on first use by tests/support/oracle.py), where
# `import hpy` is upstream's; only the ABI-parametrized tests run there.
pytest-upstream: $(VPY)
	cd tests && ORACLE_PY=$$(../$(VPY) -m support.oracle --with-pytest) && \
	  $$ORACLE_PY -m pytest -q -n $(PYTEST_WORKERS) --abi upstream --abi upstream+debug .

# HPy 0.9.0's own test suite (from its sdist on PyPI, unpacked into build/)
# against hpy-rs, minus the deliberate differences listed in
# tests/support/upstream_suite_differences.txt.
upstream-suite: runtime
	$(VPY) -m pip install -q filelock
	cd tests && ../$(VPY) -m support.upstream_suite -n $(PYTEST_WORKERS)

# HPy 0.9.0's example projects (proof of concept, the docs' examples, the
# porting example, the microbenchmarks), built with their own setup.py by our
# hpy.devel and tested on our runtime: tests/support/upstream_examples.py.
upstream-examples: runtime
	cd tests && ../$(VPY) -m support.upstream_examples

# Other interpreters run inside ../shared/tools/pythons' chroot, each with
# its own venv and its own build of the runtime (cargo's target dir is per
# interpreter there).
# pyo3-ffi 0.27 knows CPython up to 3.14; 3.15's C API is a superset of what we use.
IN_CHROOT = $(PYTHONS) run $$v -e UNSAFE_PYO3_SKIP_VERSION_CHECK=1 -- sh -c

runtime-others:
	$(PYTHONS) setup >/dev/null
	for v in $(OTHER_PYTHONS) $(REFLEAK_PYTHON); do \
	  $(IN_CHROOT) "test -f .venv-$$v/pyvenv.cfg || (python -m venv .venv-$$v && .venv-$$v/bin/pip install -q 'maturin>=1.5,<2' pytest pytest-xdist setuptools wheel) && \
	    VIRTUAL_ENV=\$$PWD/.venv-$$v .venv-$$v/bin/maturin develop --release -q" || exit 1; \
	done

# HPy 0.9.0's own suite, its universal-ABI tests, under the other
# interpreters (0.9.0 itself stops at 3.11 and crashes on 3.13).
upstream-suite-others: runtime-others
	for v in $(OTHER_PYTHONS); do \
	  $(IN_CHROOT) ".venv-$$v/bin/pip install -q filelock && cd tests && ../.venv-$$v/bin/python -m support.upstream_suite -n $(PYTEST_WORKERS) -k universal" || exit 1; \
	done

# The same five ABIs as on the host (hybrid binaries are tagged for each
# interpreter: cp313, cp314, ...).
pytest-others: runtime-others
	for v in $(OTHER_PYTHONS); do \
	  $(IN_CHROOT) "cd tests && ../.venv-$$v/bin/python -m pytest -q -n $(PYTEST_WORKERS) -m 'not host_only' $(ALL_ABIS) ." || exit 1; \
	done

# Every test body runs repeatedly under the Py_DEBUG interpreter; growth of
# sys.gettotalrefcount() fails the test (tests/conftest.py, --check-refleaks).
pytest-refleaks: runtime-others
	v=$(REFLEAK_PYTHON); $(IN_CHROOT) "cd tests && ../.venv-$$v/bin/python -m pytest -q -n $(PYTEST_WORKERS) -m 'not host_only' --abi universal --abi cpython --check-refleaks ."

test: check-generated rust-test pytest pytest-upstream upstream-suite upstream-examples pytest-others upstream-suite-others pytest-refleaks

# docs/api-coverage.md: every context member and the tests exercising it,
# universal measured through trace mode (see tests/support/coverage.py); the
# members only hybrid modules can call, by the python_h tests in hybrid+trace.
api-coverage: runtime
	cd tests && ../$(VPY) -m pytest -q -p no:xdist --abi trace --abi cpython --api-coverage=../build/api-coverage.json . ; \
	  ../$(VPY) -m pytest -q -p no:xdist -m python_h --abi hybrid+trace --api-coverage=../build/api-coverage-hybrid.json . ; \
	  ../$(VPY) -m support.api_coverage_table ../build/api-coverage.json ../build/api-coverage-hybrid.json ../docs/api-coverage.md

# The demo's universal binary runs under the host CPython and DEMO_PYTHONS.
DEMO_PYTHONS ?= 3.14

demo: runtime
	$(MAKE) runtime-others OTHER_PYTHONS="$(DEMO_PYTHONS)" REFLEAK_PYTHON=
	$(MAKE) -C examples/demo VPY=$(abspath $(VPY)) OTHER_PYTHONS="$(DEMO_PYTHONS)"

clean:
	rm -rf build target $(VENV) .venv-* python/hpy/*.so

# Microbenchmarks (bench/): the benchmark extension in every variant (C API,
# cpython ABI, universal on hpy-rs and on HPy 0.9.0, debug mode on both),
# instructions per operation under valgrind's callgrind and wall-clock
# medians. `bench` writes docs/benchmarks.md; `bench-quick` (under two
# minutes, fewer iterations and samples) writes build/bench/benchmarks-quick.md.
bench: runtime
	$(VPY) bench/run.py

bench-quick: runtime
	$(VPY) bench/run.py --quick
