"""Why HPy 0.9.0's runtime fails some tests of the upstream ABIs
(`--abi upstream`, `upstream+debug`; see conftest.py): the reasons given
to @pytest.mark.upstream_differs. Each one was reproduced on the oracle
with the same binary and checked against what CPython does for the
equivalent C API call or Python code; docs/compat.md lists them too.

The hpy-rs behaviour a test checks beyond HPy's documented semantics
(undefined input, hpy-rs's own messages) is not here: those tests are
@pytest.mark.hpy_rs_only.
"""

PYTHON_SUBCLASS_NEW = (
    "HPy_New(ctx, cls, &data) with cls a Python subclass of an HPy type sets data to the "
    "object's own address, so the C struct overlaps the object header (HPy_New does not "
    "return zeroed memory, and writing the struct corrupts the object: crash)")

LIST_SHAPE_ITEMS_LEAK = (
    "an instance of an HPy type with the List builtin shape and HPy_tp_destroy never "
    "releases its list items when it is deallocated (a list subclass must: a leak)")

LIST_SHAPE_NOT_TRAVERSED = (
    "the tp_traverse of an HPy type with the List builtin shape visits only its HPy "
    "fields, not the list items, so gc.get_referents() misses them and cycles through "
    "the items are never collected")

TYPE_NOT_VISITED = (
    "the tp_traverse of an HPy type visits only the instance's HPy fields, not its type: "
    "CPython (3.9+) expects instances of heap types to visit Py_TYPE(self), or a cycle "
    "through the type (a class attribute holding an instance, a Python subclass) keeps "
    "the type alive after a collection")

METACLASS_STAND_IN = (
    "HPyType_FromSpec with HPyType_SpecParam_Metaclass (CPython 3.11) leaves the plain "
    "type it builds first alive: a leaked second class of the same name in the base's "
    "__subclasses__()")

METACLASS_NOT_DERIVED = (
    "HPyType_FromSpec with HPyType_SpecParam_Metaclass (CPython 3.11) uses the given "
    "metaclass as is: a base with a more derived metaclass does not win and a conflicting "
    "one is not refused, unlike type() and PyType_FromMetaclass (3.12+), so the new "
    "class is not an instance of its base's metaclass")

UINT32_ERRORS = (
    "HPyLong_AsUInt32_t checks the range before the error of its conversion, so a "
    "negative int and a non-int both become OverflowError('Python int too large to "
    "convert to C uint32_t'), where PyLong_AsUnsignedLong raises OverflowError "
    "('can't convert negative value') and TypeError")

DEBUG_BUILDER_NO_EXCEPTION = (
    "debug mode: HPyListBuilder_Build / HPyTupleBuilder_Build of a builder whose New "
    "failed return HPy_NULL without an exception (SystemError from CPython), where "
    "0.9.0's universal mode raises MemoryError")
