# Version of the HPy API and ABI that hpy-rs implements (not the version of
# hpy-rs itself, which is the local part of the distribution's version in
# pyproject.toml: 0.9.0+rs.<hpy-rs version>).
#
# Build scripts and test suites written for HPy read these two names, and
# ``hpy.universal.get_version()`` is expected to return exactly
# ``(__version__, __git_revision__)``.
__version__ = "0.9.0"
__git_revision__ = "hpy-rs 0.1.0"
