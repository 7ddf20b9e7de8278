/*
 * hpy_api.h -- the HPy API, one declaration for each member of HPyContext.
 *
 * This file is the single source of truth of the API. C code never includes
 * it: `hpy-codegen` (crates/hpy-codegen) parses it with a real C parser and
 * writes every piece of glue from it:
 *
 *   - the HPyContext struct, in C and as a Rust #[repr(C)] twin;
 *   - the universal-ABI inline functions (HPy_Add(ctx, a, b) calls ctx->ctx_Add);
 *   - the cpython-ABI inline functions for members marked HPyAPI_CPY;
 *   - the runtime's slot table and its "not implemented yet" stubs;
 *   - the C program that prints the ABI layout, and the API reference.
 *
 * Regenerate with `make generate`; `make check-generated` fails on stale output.
 *
 * Each declaration is preceded by its documentation comment and carries:
 *
 *   HPyAPI_SLOT(n)            its index among the members of HPyContext that
 *                             follow the three header fields (name, _private,
 *                             abi_version). Slots are the binary contract of
 *                             the hpy0 ABI: never renumber, only append.
 *   HPyAPI_CPY(expr)          cpython ABI: a function becomes one call of the
 *                             Python.h function `expr`, with HPy arguments and
 *                             results converted; a handle becomes the object
 *                             `expr` (a Py_* singleton, a PyExc_* exception or
 *                             a Py*_Type type object). Members without it are
 *                             written by hand in hpy/cpython/api_manual.h.
 *   HPyAPI_RETURNS_NULL_HANDLE the context member returns void but the public
 *                             function returns HPy (always HPy_NULL), so that
 *                             C code can write `return HPyErr_SetString(...);`.
 *   HPyAPI_MANUAL_TRAMPOLINE  universal ABI: the public inline function is
 *                             written by hand (hpy/universal/api_manual.h),
 *                             because its public name or shape differs from
 *                             the context member.
 *
 * The context member of a function is its public name without the `HPy`
 * prefix and the underscores around it: HPy_Dup -> ctx_Dup,
 * HPyLong_FromInt32_t -> ctx_Long_FromInt32_t, _HPy_New -> ctx_New.
 */

#define HPyAPI_SLOT(n) __attribute__((hpy_slot(n)))
#define HPyAPI_CPY(expr) __attribute__((hpy_cpython(expr)))
#define HPyAPI_MANUAL_TRAMPOLINE __attribute__((hpy_manual_trampoline))
#define HPyAPI_RETURNS_NULL_HANDLE __attribute__((hpy_returns_null_handle))

/* Opaque stand-ins, so that the parser knows these names are types. The
   generator maps each of them by name: to the C typedef of the same name, and
   to the Rust type of the same name in the hpy-abi crate. The struct gets a
   dummy body (in the first typedef, which the parser skips like the others)
   only so that the whole file is a complete C translation unit, checked with
   `gcc -fsyntax-only -x c`; nothing uses its layout. */
typedef struct _HPy_opaque { int _dummy; } HPy;
typedef struct _HPy_opaque HPyContext;
typedef struct _HPy_opaque HPy_ssize_t;
typedef struct _HPy_opaque HPy_hash_t;
typedef struct _HPy_opaque HPy_UCS4;
typedef struct _HPy_opaque int32_t;
typedef struct _HPy_opaque uint32_t;
typedef struct _HPy_opaque int64_t;
typedef struct _HPy_opaque uint64_t;
typedef struct _HPy_opaque size_t;
typedef struct _HPy_opaque bool;
typedef struct _HPy_opaque wchar_t;
typedef struct _HPy_opaque cpy_PyObject;
typedef struct _HPy_opaque HPyType_Spec;
typedef struct _HPy_opaque HPyType_SpecParam;
typedef struct _HPy_opaque HPyType_BuiltinShape;
typedef struct _HPy_opaque HPyFunc_Signature;
typedef struct _HPy_opaque HPyCFunction;
typedef struct _HPy_opaque HPyListBuilder;
typedef struct _HPy_opaque HPyTupleBuilder;
typedef struct _HPy_opaque HPyTracker;
typedef struct _HPy_opaque HPyField;
typedef struct _HPy_opaque HPyGlobal;
typedef struct _HPy_opaque HPyThreadState;
typedef struct _HPy_opaque HPyCapsule_Destructor;
typedef struct _HPy_opaque _HPyCapsule_key;
typedef struct _HPy_opaque HPy_SourceKind;
typedef struct _HPy_opaque HPyCallFunction;

/** The `None` singleton. */
HPyAPI_SLOT(0) HPyAPI_CPY(Py_None)
HPy h_None;

/** The `True` singleton. */
HPyAPI_SLOT(1) HPyAPI_CPY(Py_True)
HPy h_True;

/** The `False` singleton. */
HPyAPI_SLOT(2) HPyAPI_CPY(Py_False)
HPy h_False;

/** The `NotImplemented` singleton. */
HPyAPI_SLOT(3) HPyAPI_CPY(Py_NotImplemented)
HPy h_NotImplemented;

/** The `Ellipsis` singleton (`...`). */
HPyAPI_SLOT(4) HPyAPI_CPY(Py_Ellipsis)
HPy h_Ellipsis;

/** The builtin `BaseException` exception class. */
HPyAPI_SLOT(5) HPyAPI_CPY(PyExc_BaseException)
HPy h_BaseException;

/** The builtin `Exception` exception class. */
HPyAPI_SLOT(6) HPyAPI_CPY(PyExc_Exception)
HPy h_Exception;

/** The builtin `StopAsyncIteration` exception type. */
HPyAPI_SLOT(7) HPyAPI_CPY(PyExc_StopAsyncIteration)
HPy h_StopAsyncIteration;

/** The builtin `StopIteration` exception type. */
HPyAPI_SLOT(8) HPyAPI_CPY(PyExc_StopIteration)
HPy h_StopIteration;

/** The builtin `GeneratorExit` exception type. */
HPyAPI_SLOT(9) HPyAPI_CPY(PyExc_GeneratorExit)
HPy h_GeneratorExit;

/** The builtin `ArithmeticError` exception type. */
HPyAPI_SLOT(10) HPyAPI_CPY(PyExc_ArithmeticError)
HPy h_ArithmeticError;

/** The builtin `LookupError` exception type. */
HPyAPI_SLOT(11) HPyAPI_CPY(PyExc_LookupError)
HPy h_LookupError;

/** The builtin `AssertionError` exception type. */
HPyAPI_SLOT(12) HPyAPI_CPY(PyExc_AssertionError)
HPy h_AssertionError;

/** The builtin `AttributeError` exception type. */
HPyAPI_SLOT(13) HPyAPI_CPY(PyExc_AttributeError)
HPy h_AttributeError;

/** The builtin `BufferError` exception type. */
HPyAPI_SLOT(14) HPyAPI_CPY(PyExc_BufferError)
HPy h_BufferError;

/** The builtin `EOFError` exception type. */
HPyAPI_SLOT(15) HPyAPI_CPY(PyExc_EOFError)
HPy h_EOFError;

/** The builtin `FloatingPointError` exception type. */
HPyAPI_SLOT(16) HPyAPI_CPY(PyExc_FloatingPointError)
HPy h_FloatingPointError;

/** The builtin `OSError` exception type. */
HPyAPI_SLOT(17) HPyAPI_CPY(PyExc_OSError)
HPy h_OSError;

/** The builtin `ImportError` exception type. */
HPyAPI_SLOT(18) HPyAPI_CPY(PyExc_ImportError)
HPy h_ImportError;

/** The builtin `ModuleNotFoundError` exception type. */
HPyAPI_SLOT(19) HPyAPI_CPY(PyExc_ModuleNotFoundError)
HPy h_ModuleNotFoundError;

/** The builtin `IndexError` exception type. */
HPyAPI_SLOT(20) HPyAPI_CPY(PyExc_IndexError)
HPy h_IndexError;

/** The builtin `KeyError` exception type. */
HPyAPI_SLOT(21) HPyAPI_CPY(PyExc_KeyError)
HPy h_KeyError;

/** The builtin `KeyboardInterrupt` exception type. */
HPyAPI_SLOT(22) HPyAPI_CPY(PyExc_KeyboardInterrupt)
HPy h_KeyboardInterrupt;

/** The builtin `MemoryError` exception type. */
HPyAPI_SLOT(23) HPyAPI_CPY(PyExc_MemoryError)
HPy h_MemoryError;

/** The builtin `NameError` exception type. */
HPyAPI_SLOT(24) HPyAPI_CPY(PyExc_NameError)
HPy h_NameError;

/** The builtin `OverflowError` exception type. */
HPyAPI_SLOT(25) HPyAPI_CPY(PyExc_OverflowError)
HPy h_OverflowError;

/** The builtin `RuntimeError` exception type. */
HPyAPI_SLOT(26) HPyAPI_CPY(PyExc_RuntimeError)
HPy h_RuntimeError;

/** The builtin `RecursionError` exception type. */
HPyAPI_SLOT(27) HPyAPI_CPY(PyExc_RecursionError)
HPy h_RecursionError;

/** The builtin `NotImplementedError` exception type. */
HPyAPI_SLOT(28) HPyAPI_CPY(PyExc_NotImplementedError)
HPy h_NotImplementedError;

/** The builtin `SyntaxError` exception type. */
HPyAPI_SLOT(29) HPyAPI_CPY(PyExc_SyntaxError)
HPy h_SyntaxError;

/** The builtin `IndentationError` exception type. */
HPyAPI_SLOT(30) HPyAPI_CPY(PyExc_IndentationError)
HPy h_IndentationError;

/** The builtin `TabError` exception type. */
HPyAPI_SLOT(31) HPyAPI_CPY(PyExc_TabError)
HPy h_TabError;

/** The builtin `ReferenceError` exception type. */
HPyAPI_SLOT(32) HPyAPI_CPY(PyExc_ReferenceError)
HPy h_ReferenceError;

/** The builtin `SystemError` exception type. */
HPyAPI_SLOT(33) HPyAPI_CPY(PyExc_SystemError)
HPy h_SystemError;

/** The builtin `SystemExit` exception type. */
HPyAPI_SLOT(34) HPyAPI_CPY(PyExc_SystemExit)
HPy h_SystemExit;

/** The builtin `TypeError` exception type. */
HPyAPI_SLOT(35) HPyAPI_CPY(PyExc_TypeError)
HPy h_TypeError;

/** The builtin `UnboundLocalError` exception type. */
HPyAPI_SLOT(36) HPyAPI_CPY(PyExc_UnboundLocalError)
HPy h_UnboundLocalError;

/** The builtin `UnicodeError` exception type. */
HPyAPI_SLOT(37) HPyAPI_CPY(PyExc_UnicodeError)
HPy h_UnicodeError;

/** The builtin `UnicodeEncodeError` exception type. */
HPyAPI_SLOT(38) HPyAPI_CPY(PyExc_UnicodeEncodeError)
HPy h_UnicodeEncodeError;

/** The builtin `UnicodeDecodeError` exception type. */
HPyAPI_SLOT(39) HPyAPI_CPY(PyExc_UnicodeDecodeError)
HPy h_UnicodeDecodeError;

/** The builtin `UnicodeTranslateError` exception type. */
HPyAPI_SLOT(40) HPyAPI_CPY(PyExc_UnicodeTranslateError)
HPy h_UnicodeTranslateError;

/** The builtin `ValueError` exception type. */
HPyAPI_SLOT(41) HPyAPI_CPY(PyExc_ValueError)
HPy h_ValueError;

/** The builtin `ZeroDivisionError` exception type. */
HPyAPI_SLOT(42) HPyAPI_CPY(PyExc_ZeroDivisionError)
HPy h_ZeroDivisionError;

/** The builtin `BlockingIOError` exception type. */
HPyAPI_SLOT(43) HPyAPI_CPY(PyExc_BlockingIOError)
HPy h_BlockingIOError;

/** The builtin `BrokenPipeError` exception type. */
HPyAPI_SLOT(44) HPyAPI_CPY(PyExc_BrokenPipeError)
HPy h_BrokenPipeError;

/** The builtin `ChildProcessError` exception type. */
HPyAPI_SLOT(45) HPyAPI_CPY(PyExc_ChildProcessError)
HPy h_ChildProcessError;

/** The builtin `ConnectionError` exception type. */
HPyAPI_SLOT(46) HPyAPI_CPY(PyExc_ConnectionError)
HPy h_ConnectionError;

/** The builtin `ConnectionAbortedError` exception type. */
HPyAPI_SLOT(47) HPyAPI_CPY(PyExc_ConnectionAbortedError)
HPy h_ConnectionAbortedError;

/** The builtin `ConnectionRefusedError` exception type. */
HPyAPI_SLOT(48) HPyAPI_CPY(PyExc_ConnectionRefusedError)
HPy h_ConnectionRefusedError;

/** The builtin `ConnectionResetError` exception type. */
HPyAPI_SLOT(49) HPyAPI_CPY(PyExc_ConnectionResetError)
HPy h_ConnectionResetError;

/** The builtin `FileExistsError` exception type. */
HPyAPI_SLOT(50) HPyAPI_CPY(PyExc_FileExistsError)
HPy h_FileExistsError;

/** The builtin `FileNotFoundError` exception type. */
HPyAPI_SLOT(51) HPyAPI_CPY(PyExc_FileNotFoundError)
HPy h_FileNotFoundError;

/** The builtin `InterruptedError` exception type. */
HPyAPI_SLOT(52) HPyAPI_CPY(PyExc_InterruptedError)
HPy h_InterruptedError;

/** The builtin `IsADirectoryError` exception type. */
HPyAPI_SLOT(53) HPyAPI_CPY(PyExc_IsADirectoryError)
HPy h_IsADirectoryError;

/** The builtin `NotADirectoryError` exception type. */
HPyAPI_SLOT(54) HPyAPI_CPY(PyExc_NotADirectoryError)
HPy h_NotADirectoryError;

/** The builtin `PermissionError` exception type. */
HPyAPI_SLOT(55) HPyAPI_CPY(PyExc_PermissionError)
HPy h_PermissionError;

/** The builtin `ProcessLookupError` exception type. */
HPyAPI_SLOT(56) HPyAPI_CPY(PyExc_ProcessLookupError)
HPy h_ProcessLookupError;

/** The builtin `TimeoutError` exception type. */
HPyAPI_SLOT(57) HPyAPI_CPY(PyExc_TimeoutError)
HPy h_TimeoutError;

/** The builtin `Warning` class, base of all warning categories. */
HPyAPI_SLOT(58) HPyAPI_CPY(PyExc_Warning)
HPy h_Warning;

/** The builtin `UserWarning` warning category. */
HPyAPI_SLOT(59) HPyAPI_CPY(PyExc_UserWarning)
HPy h_UserWarning;

/** The builtin `DeprecationWarning` warning category. */
HPyAPI_SLOT(60) HPyAPI_CPY(PyExc_DeprecationWarning)
HPy h_DeprecationWarning;

/** The builtin `PendingDeprecationWarning` warning category. */
HPyAPI_SLOT(61) HPyAPI_CPY(PyExc_PendingDeprecationWarning)
HPy h_PendingDeprecationWarning;

/** The builtin `SyntaxWarning` warning category. */
HPyAPI_SLOT(62) HPyAPI_CPY(PyExc_SyntaxWarning)
HPy h_SyntaxWarning;

/** The builtin `RuntimeWarning` warning category. */
HPyAPI_SLOT(63) HPyAPI_CPY(PyExc_RuntimeWarning)
HPy h_RuntimeWarning;

/** The builtin `FutureWarning` warning category. */
HPyAPI_SLOT(64) HPyAPI_CPY(PyExc_FutureWarning)
HPy h_FutureWarning;

/** The builtin `ImportWarning` warning category. */
HPyAPI_SLOT(65) HPyAPI_CPY(PyExc_ImportWarning)
HPy h_ImportWarning;

/** The builtin `UnicodeWarning` warning category. */
HPyAPI_SLOT(66) HPyAPI_CPY(PyExc_UnicodeWarning)
HPy h_UnicodeWarning;

/** The builtin `BytesWarning` warning category. */
HPyAPI_SLOT(67) HPyAPI_CPY(PyExc_BytesWarning)
HPy h_BytesWarning;

/** The builtin `ResourceWarning` warning category. */
HPyAPI_SLOT(68) HPyAPI_CPY(PyExc_ResourceWarning)
HPy h_ResourceWarning;

/** The `object` type, root of the class hierarchy. */
HPyAPI_SLOT(69) HPyAPI_CPY(PyBaseObject_Type)
HPy h_BaseObjectType;

/** The `type` type, the default metaclass. */
HPyAPI_SLOT(70) HPyAPI_CPY(PyType_Type)
HPy h_TypeType;

/** The `bool` type. */
HPyAPI_SLOT(71) HPyAPI_CPY(PyBool_Type)
HPy h_BoolType;

/** The `int` type. */
HPyAPI_SLOT(72) HPyAPI_CPY(PyLong_Type)
HPy h_LongType;

/** The `float` type. */
HPyAPI_SLOT(73) HPyAPI_CPY(PyFloat_Type)
HPy h_FloatType;

/** The `str` type. */
HPyAPI_SLOT(74) HPyAPI_CPY(PyUnicode_Type)
HPy h_UnicodeType;

/** The `tuple` type. */
HPyAPI_SLOT(75) HPyAPI_CPY(PyTuple_Type)
HPy h_TupleType;

/** The `list` type. */
HPyAPI_SLOT(76) HPyAPI_CPY(PyList_Type)
HPy h_ListType;

/**
 * Returns a new handle to the object `h` refers to. The two handles are
 * independent: each one must be closed.
 */
HPyAPI_SLOT(77)
HPy HPy_Dup(HPyContext *ctx, HPy h);

/**
 * Closes the handle `h`, which must not be used afterwards. Closing `HPy_NULL`
 * does nothing.
 */
HPyAPI_SLOT(78)
void HPy_Close(HPyContext *ctx, HPy h);

/**
 * Returns a new `int` object with the value of the C `int32_t`. Returns a new
 * handle, which the caller must close, or `HPy_NULL` with an exception set on
 * error.
 */
HPyAPI_SLOT(79) HPyAPI_CPY(PyLong_FromLong)
HPy HPyLong_FromInt32_t(HPyContext *ctx, int32_t value);

/**
 * Returns a new `int` object with the value of the C `uint32_t`. Returns a new
 * handle, which the caller must close, or `HPy_NULL` with an exception set on
 * error.
 */
HPyAPI_SLOT(80) HPyAPI_CPY(PyLong_FromUnsignedLong)
HPy HPyLong_FromUInt32_t(HPyContext *ctx, uint32_t value);

/**
 * Returns a new `int` object with the value of the C `int64_t`. Returns a new
 * handle, which the caller must close, or `HPy_NULL` with an exception set on
 * error.
 */
HPyAPI_SLOT(81) HPyAPI_CPY(PyLong_FromLongLong)
HPy HPyLong_FromInt64_t(HPyContext *ctx, int64_t v);

/**
 * Returns a new `int` object with the value of the C `uint64_t`. Returns a new
 * handle, which the caller must close, or `HPy_NULL` with an exception set on
 * error.
 */
HPyAPI_SLOT(82) HPyAPI_CPY(PyLong_FromUnsignedLongLong)
HPy HPyLong_FromUInt64_t(HPyContext *ctx, uint64_t v);

/**
 * Returns a new `int` object with the value of the C `size_t`. Returns a new
 * handle, which the caller must close, or `HPy_NULL` with an exception set on
 * error.
 */
HPyAPI_SLOT(83) HPyAPI_CPY(PyLong_FromSize_t)
HPy HPyLong_FromSize_t(HPyContext *ctx, size_t value);

/**
 * Returns a new `int` object with the value of the C `HPy_ssize_t`. Returns a
 * new handle, which the caller must close, or `HPy_NULL` with an exception set
 * on error.
 */
HPyAPI_SLOT(84) HPyAPI_CPY(PyLong_FromSsize_t)
HPy HPyLong_FromSsize_t(HPyContext *ctx, HPy_ssize_t value);

/**
 * Converts `h` to a C `int32_t`. `h` must be an `int` or have `__index__`.
 * Returns -1 with an exception set on error: OverflowError if the value does
 * not fit, TypeError if `h` is not an integer. Use HPyErr_Occurred to tell an
 * error from a real -1.
 */
HPyAPI_SLOT(85)
int32_t HPyLong_AsInt32_t(HPyContext *ctx, HPy h);

/**
 * Converts the `int` `h` to a C `uint32_t`, without calling `__index__`.
 * Returns `(uint32_t)-1` with an exception set on error: OverflowError if the
 * value is negative or does not fit, TypeError if `h` is not an `int`.
 */
HPyAPI_SLOT(86)
uint32_t HPyLong_AsUInt32_t(HPyContext *ctx, HPy h);

/**
 * Converts the `int` `h` to a C `uint32_t`, keeping the value modulo 2**32
 * instead of checking for overflow. Returns `(uint32_t)-1` with an exception
 * set on error (TypeError if `h` is not an integer).
 */
HPyAPI_SLOT(87) HPyAPI_CPY(PyLong_AsUnsignedLongMask)
uint32_t HPyLong_AsUInt32_tMask(HPyContext *ctx, HPy h);

/**
 * Converts `h` to a C `int64_t`. `h` must be an `int` or have `__index__`.
 * Returns -1 with an exception set on error (OverflowError if the value does
 * not fit).
 */
HPyAPI_SLOT(88) HPyAPI_CPY(PyLong_AsLongLong)
int64_t HPyLong_AsInt64_t(HPyContext *ctx, HPy h);

/**
 * Converts the `int` `h` to a C `uint64_t`, without calling `__index__`.
 * Returns `(uint64_t)-1` with an exception set on error: OverflowError if the
 * value is negative or does not fit, TypeError if `h` is not an `int`.
 */
HPyAPI_SLOT(89) HPyAPI_CPY(PyLong_AsUnsignedLongLong)
uint64_t HPyLong_AsUInt64_t(HPyContext *ctx, HPy h);

/**
 * Converts the `int` `h` to a C `uint64_t`, keeping the value modulo 2**64
 * instead of checking for overflow. Returns `(uint64_t)-1` with an exception
 * set on error (TypeError if `h` is not an integer).
 */
HPyAPI_SLOT(90) HPyAPI_CPY(PyLong_AsUnsignedLongLongMask)
uint64_t HPyLong_AsUInt64_tMask(HPyContext *ctx, HPy h);

/**
 * Converts the `int` `h` to a C `size_t`. Returns `(size_t)-1` with an
 * exception set on error: OverflowError if the value is negative or does not
 * fit, TypeError if `h` is not an `int`.
 */
HPyAPI_SLOT(91) HPyAPI_CPY(PyLong_AsSize_t)
size_t HPyLong_AsSize_t(HPyContext *ctx, HPy h);

/**
 * Converts the `int` `h` to an `HPy_ssize_t`. Returns -1 with an exception set
 * on error: OverflowError if the value does not fit, TypeError if `h` is not
 * an `int`.
 */
HPyAPI_SLOT(92) HPyAPI_CPY(PyLong_AsSsize_t)
HPy_ssize_t HPyLong_AsSsize_t(HPyContext *ctx, HPy h);

/**
 * Converts the `int` `h` to a C pointer, the inverse of storing a pointer
 * value in an `int`. Returns NULL with an exception set on error.
 */
HPyAPI_SLOT(93) HPyAPI_CPY(PyLong_AsVoidPtr)
void *HPyLong_AsVoidPtr(HPyContext *ctx, HPy h);

/**
 * Converts the `int` `h` to a C `double`. Returns -1.0 with an exception set
 * on error (OverflowError if the value is too large for a double, TypeError if
 * `h` is not an `int`).
 */
HPyAPI_SLOT(94) HPyAPI_CPY(PyLong_AsDouble)
double HPyLong_AsDouble(HPyContext *ctx, HPy h);

/**
 * Returns a new `float` object with the value `v`. Returns a new handle, which
 * the caller must close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(95) HPyAPI_CPY(PyFloat_FromDouble)
HPy HPyFloat_FromDouble(HPyContext *ctx, double v);

/**
 * Converts `h` to a C `double`, using `__float__` (or `__index__`) for objects
 * that are not floats. Returns -1.0 with an exception set on error.
 */
HPyAPI_SLOT(96) HPyAPI_CPY(PyFloat_AsDouble)
double HPyFloat_AsDouble(HPyContext *ctx, HPy h);

/**
 * Returns a new handle to `True` if `v` is true, to `False` otherwise. The
 * handle must be closed; this call does not fail.
 */
HPyAPI_SLOT(97) HPyAPI_CPY(PyBool_FromLong)
HPy HPyBool_FromBool(HPyContext *ctx, bool v);

/**
 * Returns the length of the object `h`, like Python `len(h)`. Returns -1 with
 * an exception set on error.
 */
HPyAPI_SLOT(98) HPyAPI_CPY(PyObject_Size)
HPy_ssize_t HPy_Length(HPyContext *ctx, HPy h);

/**
 * Returns 1 if `h` supports the number protocol (it can be converted with
 * `int()`, `float()` or `__index__`), 0 otherwise. Never fails.
 */
HPyAPI_SLOT(99) HPyAPI_CPY(PyNumber_Check)
int HPyNumber_Check(HPyContext *ctx, HPy h);

/**
 * Computes `h1 + h2`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(100) HPyAPI_CPY(PyNumber_Add)
HPy HPy_Add(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 - h2`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(101) HPyAPI_CPY(PyNumber_Subtract)
HPy HPy_Subtract(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 * h2`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(102) HPyAPI_CPY(PyNumber_Multiply)
HPy HPy_Multiply(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 @ h2`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(103) HPyAPI_CPY(PyNumber_MatrixMultiply)
HPy HPy_MatrixMultiply(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 // h2`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(104) HPyAPI_CPY(PyNumber_FloorDivide)
HPy HPy_FloorDivide(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 / h2`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(105) HPyAPI_CPY(PyNumber_TrueDivide)
HPy HPy_TrueDivide(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 % h2`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(106) HPyAPI_CPY(PyNumber_Remainder)
HPy HPy_Remainder(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `divmod(h1, h2)`. Returns a new handle, which the caller must
 * close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(107) HPyAPI_CPY(PyNumber_Divmod)
HPy HPy_Divmod(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `pow(h1, h2, h3)`; pass the `None` handle as `h3` for a plain `h1
 * ** h2`. Returns a new handle, which the caller must close, or `HPy_NULL`
 * with an exception set on error.
 */
HPyAPI_SLOT(108) HPyAPI_CPY(PyNumber_Power)
HPy HPy_Power(HPyContext *ctx, HPy h1, HPy h2, HPy h3);

/**
 * Computes `-h1`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(109) HPyAPI_CPY(PyNumber_Negative)
HPy HPy_Negative(HPyContext *ctx, HPy h1);

/**
 * Computes `+h1`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(110) HPyAPI_CPY(PyNumber_Positive)
HPy HPy_Positive(HPyContext *ctx, HPy h1);

/**
 * Computes `abs(h1)`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(111) HPyAPI_CPY(PyNumber_Absolute)
HPy HPy_Absolute(HPyContext *ctx, HPy h1);

/**
 * Computes `~h1`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(112) HPyAPI_CPY(PyNumber_Invert)
HPy HPy_Invert(HPyContext *ctx, HPy h1);

/**
 * Computes `h1 << h2`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(113) HPyAPI_CPY(PyNumber_Lshift)
HPy HPy_Lshift(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 >> h2`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(114) HPyAPI_CPY(PyNumber_Rshift)
HPy HPy_Rshift(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 & h2`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(115) HPyAPI_CPY(PyNumber_And)
HPy HPy_And(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 ^ h2`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(116) HPyAPI_CPY(PyNumber_Xor)
HPy HPy_Xor(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 | h2`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(117) HPyAPI_CPY(PyNumber_Or)
HPy HPy_Or(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Converts `h1` to an `int` with `__index__`, like `operator.index(h1)`.
 * Raises TypeError for objects without `__index__`. Returns a new handle,
 * which the caller must close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(118) HPyAPI_CPY(PyNumber_Index)
HPy HPy_Index(HPyContext *ctx, HPy h1);

/**
 * Computes `int(h1)`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(119) HPyAPI_CPY(PyNumber_Long)
HPy HPy_Long(HPyContext *ctx, HPy h1);

/**
 * Computes `float(h1)`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(120) HPyAPI_CPY(PyNumber_Float)
HPy HPy_Float(HPyContext *ctx, HPy h1);

/**
 * Computes `h1 += h2` in place: the operation is done in place when `h1`
 * supports it, and the result is returned in any case (the caller assigns it).
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(121) HPyAPI_CPY(PyNumber_InPlaceAdd)
HPy HPy_InPlaceAdd(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 -= h2` in place: the operation is done in place when `h1`
 * supports it, and the result is returned in any case (the caller assigns it).
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(122) HPyAPI_CPY(PyNumber_InPlaceSubtract)
HPy HPy_InPlaceSubtract(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 *= h2` in place: the operation is done in place when `h1`
 * supports it, and the result is returned in any case (the caller assigns it).
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(123) HPyAPI_CPY(PyNumber_InPlaceMultiply)
HPy HPy_InPlaceMultiply(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 @= h2` in place: the operation is done in place when `h1`
 * supports it, and the result is returned in any case (the caller assigns it).
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(124) HPyAPI_CPY(PyNumber_InPlaceMatrixMultiply)
HPy HPy_InPlaceMatrixMultiply(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 //= h2` in place: the operation is done in place when `h1`
 * supports it, and the result is returned in any case (the caller assigns it).
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(125) HPyAPI_CPY(PyNumber_InPlaceFloorDivide)
HPy HPy_InPlaceFloorDivide(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 /= h2` in place: the operation is done in place when `h1`
 * supports it, and the result is returned in any case (the caller assigns it).
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(126) HPyAPI_CPY(PyNumber_InPlaceTrueDivide)
HPy HPy_InPlaceTrueDivide(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 %= h2` in place: the operation is done in place when `h1`
 * supports it, and the result is returned in any case (the caller assigns it).
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(127) HPyAPI_CPY(PyNumber_InPlaceRemainder)
HPy HPy_InPlaceRemainder(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 **= h2` (`h3` is the modulus, or the `None` handle for none)
 * and returns the result, which the caller assigns. Returns a new handle,
 * which the caller must close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(128) HPyAPI_CPY(PyNumber_InPlacePower)
HPy HPy_InPlacePower(HPyContext *ctx, HPy h1, HPy h2, HPy h3);

/**
 * Computes `h1 <<= h2` in place: the operation is done in place when `h1`
 * supports it, and the result is returned in any case (the caller assigns it).
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(129) HPyAPI_CPY(PyNumber_InPlaceLshift)
HPy HPy_InPlaceLshift(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 >>= h2` in place: the operation is done in place when `h1`
 * supports it, and the result is returned in any case (the caller assigns it).
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(130) HPyAPI_CPY(PyNumber_InPlaceRshift)
HPy HPy_InPlaceRshift(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 &= h2` in place: the operation is done in place when `h1`
 * supports it, and the result is returned in any case (the caller assigns it).
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(131) HPyAPI_CPY(PyNumber_InPlaceAnd)
HPy HPy_InPlaceAnd(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 ^= h2` in place: the operation is done in place when `h1`
 * supports it, and the result is returned in any case (the caller assigns it).
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(132) HPyAPI_CPY(PyNumber_InPlaceXor)
HPy HPy_InPlaceXor(HPyContext *ctx, HPy h1, HPy h2);

/**
 * Computes `h1 |= h2` in place: the operation is done in place when `h1`
 * supports it, and the result is returned in any case (the caller assigns it).
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(133) HPyAPI_CPY(PyNumber_InPlaceOr)
HPy HPy_InPlaceOr(HPyContext *ctx, HPy h1, HPy h2);

/** Returns 1 if `h` can be called, 0 otherwise. Never fails. */
HPyAPI_SLOT(134) HPyAPI_CPY(PyCallable_Check)
int HPyCallable_Check(HPyContext *ctx, HPy h);

/**
 * Calls `callable(*args, **kw)`. `args` must be a tuple or `HPy_NULL` (no
 * positional arguments) and `kw` a dict or `HPy_NULL` (no keyword arguments);
 * anything else raises TypeError. Returns a new handle, which the caller must
 * close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(135)
HPy HPy_CallTupleDict(HPyContext *ctx, HPy callable, HPy args, HPy kw);

/**
 * Prints `message` and aborts the process. Does not return. For unrecoverable
 * errors only.
 */
HPyAPI_SLOT(136) HPyAPI_MANUAL_TRAMPOLINE
void HPy_FatalError(HPyContext *ctx, const char *message);

/**
 * Raises an exception of type `h_type` with the UTF-8 message `utf8_message`.
 * The handle `h_type` is not consumed.
 */
HPyAPI_SLOT(137) HPyAPI_CPY(PyErr_SetString) HPyAPI_RETURNS_NULL_HANDLE
void HPyErr_SetString(HPyContext *ctx, HPy h_type, const char *utf8_message);

/**
 * Raises an exception of type `h_type` with the value `h_value` (the exception
 * instance or its argument). Neither handle is consumed.
 */
HPyAPI_SLOT(138) HPyAPI_CPY(PyErr_SetObject) HPyAPI_RETURNS_NULL_HANDLE
void HPyErr_SetObject(HPyContext *ctx, HPy h_type, HPy h_value);

/**
 * Raises an exception of type `h_type` (usually OSError) from the current C
 * `errno`, with `filename_fsencoded` (a path in the filesystem encoding, may
 * be NULL) as the file name. Always returns `HPy_NULL`.
 */
HPyAPI_SLOT(139) HPyAPI_CPY(PyErr_SetFromErrnoWithFilename)
HPy HPyErr_SetFromErrnoWithFilename(HPyContext *ctx, HPy h_type, const char *filename_fsencoded);

/**
 * Raises an exception of type `h_type` from the current C `errno`, with one or
 * two file name objects (`filename2` may be `HPy_NULL`, and so may
 * `filename1`).
 */
HPyAPI_SLOT(140) HPyAPI_CPY(PyErr_SetFromErrnoWithFilenameObjects) HPyAPI_RETURNS_NULL_HANDLE
void HPyErr_SetFromErrnoWithFilenameObjects(HPyContext *ctx, HPy h_type, HPy filename1, HPy filename2);

/** Returns 1 if an exception is currently set, 0 otherwise. Never fails. */
HPyAPI_SLOT(141)
int HPyErr_Occurred(HPyContext *ctx);

/**
 * Returns 1 if the current exception is an instance of `exc` (a type or a
 * tuple of types), 0 otherwise. Must only be called while an exception is set.
 */
HPyAPI_SLOT(142) HPyAPI_CPY(PyErr_ExceptionMatches)
int HPyErr_ExceptionMatches(HPyContext *ctx, HPy exc);

/** Raises MemoryError. */
HPyAPI_SLOT(143) HPyAPI_CPY(PyErr_NoMemory) HPyAPI_RETURNS_NULL_HANDLE
void HPyErr_NoMemory(HPyContext *ctx);

/** Clears the current exception, if any. */
HPyAPI_SLOT(144) HPyAPI_CPY(PyErr_Clear)
void HPyErr_Clear(HPyContext *ctx);

/**
 * Creates a new exception class named `utf8_name` (in the form
 * "module.ClassName"), derived from `base` (a class or a tuple of classes;
 * `HPy_NULL` means Exception), with the class namespace `dict` (may be
 * `HPy_NULL`). Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(145) HPyAPI_CPY(PyErr_NewException)
HPy HPyErr_NewException(HPyContext *ctx, const char *utf8_name, HPy base, HPy dict);

/**
 * Like HPyErr_NewException, and sets the docstring of the new class to
 * `utf8_doc` (may be NULL). Returns a new handle, which the caller must close,
 * or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(146) HPyAPI_CPY(PyErr_NewExceptionWithDoc)
HPy HPyErr_NewExceptionWithDoc(HPyContext *ctx, const char *utf8_name, const char *utf8_doc, HPy base, HPy dict);

/**
 * Emits a warning of the category `category` (`HPy_NULL` means RuntimeWarning)
 * with the message `utf8_message`; `stack_level` says which stack frame the
 * warning is attributed to (1 is the caller). Returns 0, or -1 with an
 * exception set if the warning was turned into an error or could not be
 * emitted.
 */
HPyAPI_SLOT(147) HPyAPI_CPY(PyErr_WarnEx)
int HPyErr_WarnEx(HPyContext *ctx, HPy category, const char *utf8_message, HPy_ssize_t stack_level);

/**
 * Reports the current exception as unraisable (through `sys.unraisablehook`)
 * and clears it; `obj` (may be `HPy_NULL`) names the context in which it
 * happened. For errors that cannot be propagated, e.g. in a destructor.
 */
HPyAPI_SLOT(148) HPyAPI_CPY(PyErr_WriteUnraisable)
void HPyErr_WriteUnraisable(HPyContext *ctx, HPy obj);

/**
 * Returns 1 if `h` is true, 0 if it is false, like Python `bool(h)`. Returns
 * -1 with an exception set on error.
 */
HPyAPI_SLOT(149) HPyAPI_CPY(PyObject_IsTrue)
int HPy_IsTrue(HPyContext *ctx, HPy h);

/**
 * Creates a new type from the specification `spec` and the optional array
 * `params` (terminated by an entry of kind 0; may be NULL), which gives base
 * classes or a metaclass. Returns a new handle, which the caller must close,
 * or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(150)
HPy HPyType_FromSpec(HPyContext *ctx, HPyType_Spec *spec, HPyType_SpecParam *params);

/**
 * The default `__new__` of HPy types: creates a zero-initialized instance of
 * `type`, ignoring `args`, `nargs` and `kw`. Returns a new handle, which the
 * caller must close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(151)
HPy HPyType_GenericNew(HPyContext *ctx, HPy type, const HPy *args, HPy_ssize_t nargs, HPy kw);

/**
 * Returns the attribute `name` (a `str`) of `obj`, like `getattr(obj, name)`.
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(152) HPyAPI_CPY(PyObject_GetAttr)
HPy HPy_GetAttr(HPyContext *ctx, HPy obj, HPy name);

/**
 * Returns the attribute of `obj` named by the UTF-8 string `utf8_name`.
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(153) HPyAPI_CPY(PyObject_GetAttrString)
HPy HPy_GetAttr_s(HPyContext *ctx, HPy obj, const char *utf8_name);

/**
 * Returns 1 if `obj` has the attribute `name`, like `hasattr(obj, name)`, 0
 * otherwise. Errors while looking up the attribute are cleared and give 0.
 */
HPyAPI_SLOT(154)
int HPy_HasAttr(HPyContext *ctx, HPy obj, HPy name);

/**
 * Like HPy_HasAttr with the attribute name given as a UTF-8 C string. Returns
 * 1 or 0; errors are cleared and give 0.
 */
HPyAPI_SLOT(155)
int HPy_HasAttr_s(HPyContext *ctx, HPy obj, const char *utf8_name);

/**
 * Sets the attribute `name` of `obj` to `value`, like `obj.name = value`.
 * Returns 0, or -1 with an exception set on error.
 */
HPyAPI_SLOT(156) HPyAPI_CPY(PyObject_SetAttr)
int HPy_SetAttr(HPyContext *ctx, HPy obj, HPy name, HPy value);

/**
 * Like HPy_SetAttr with the attribute name given as a UTF-8 C string. Returns
 * 0, or -1 with an exception set on error.
 */
HPyAPI_SLOT(157) HPyAPI_CPY(PyObject_SetAttrString)
int HPy_SetAttr_s(HPyContext *ctx, HPy obj, const char *utf8_name, HPy value);

/**
 * Returns `obj[key]`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(158) HPyAPI_CPY(PyObject_GetItem)
HPy HPy_GetItem(HPyContext *ctx, HPy obj, HPy key);

/**
 * Returns `obj[idx]`, with the key given as a C integer (turned into an `int`
 * object, so this works for mappings too). Returns a new handle, which the
 * caller must close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(159)
HPy HPy_GetItem_i(HPyContext *ctx, HPy obj, HPy_ssize_t idx);

/**
 * Returns `obj[key]` with the key given as a UTF-8 C string (turned into a
 * `str` object). Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(160)
HPy HPy_GetItem_s(HPyContext *ctx, HPy obj, const char *utf8_key);

/**
 * Returns 1 if `key in container`, 0 if not, or -1 with an exception set on
 * error.
 */
HPyAPI_SLOT(161) HPyAPI_CPY(PySequence_Contains)
int HPy_Contains(HPyContext *ctx, HPy container, HPy key);

/**
 * Does `obj[key] = value`. Returns 0, or -1 with an exception set on error. No
 * handle is consumed.
 */
HPyAPI_SLOT(162) HPyAPI_CPY(PyObject_SetItem)
int HPy_SetItem(HPyContext *ctx, HPy obj, HPy key, HPy value);

/**
 * Does `obj[idx] = value` with the key given as a C integer (turned into an
 * `int` object). Returns 0, or -1 with an exception set on error.
 */
HPyAPI_SLOT(163)
int HPy_SetItem_i(HPyContext *ctx, HPy obj, HPy_ssize_t idx, HPy value);

/**
 * Does `obj[key] = value` with the key given as a UTF-8 C string (turned into
 * a `str` object). Returns 0, or -1 with an exception set on error.
 */
HPyAPI_SLOT(164)
int HPy_SetItem_s(HPyContext *ctx, HPy obj, const char *utf8_key, HPy value);

/**
 * Returns the type of `obj`, like `type(obj)`. Returns a new handle, which the
 * caller must close.
 */
HPyAPI_SLOT(165) HPyAPI_CPY(PyObject_Type)
HPy HPy_Type(HPyContext *ctx, HPy obj);

/**
 * Returns 1 if `obj` is an instance of the type `type` or of a subtype of it,
 * 0 otherwise. `type` must be a type object. Never fails.
 */
HPyAPI_SLOT(166)
int HPy_TypeCheck(HPyContext *ctx, HPy obj, HPy type);

/**
 * Returns 1 if `obj` and `other` refer to the same object (Python `obj is
 * other`), 0 otherwise. Never fails.
 */
HPyAPI_SLOT(167)
int HPy_Is(HPyContext *ctx, HPy obj, HPy other);

/**
 * Internal, used by the macros of HPyType_HELPERS: returns a pointer to the C
 * struct of `h`, an instance of a pure HPy type whose builtin shape is
 * HPyType_BuiltinShape_Object.
 */
HPyAPI_SLOT(168)
void *_HPy_AsStruct_Object(HPyContext *ctx, HPy h);

/**
 * Internal, used by the macros of HPyType_LEGACY_HELPERS: returns a pointer to
 * the C struct of `h`, an instance of a legacy type (its struct starts with
 * `PyObject_HEAD`).
 */
HPyAPI_SLOT(169)
void *_HPy_AsStruct_Legacy(HPyContext *ctx, HPy h);

/**
 * Internal, used by the HPy_New macro: creates a new zero-initialized instance
 * of the type `h_type` and stores a pointer to its C struct into `*data`.
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(170) HPyAPI_MANUAL_TRAMPOLINE
HPy _HPy_New(HPyContext *ctx, HPy h_type, void **data);

/**
 * Returns `repr(obj)`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(171) HPyAPI_CPY(PyObject_Repr)
HPy HPy_Repr(HPyContext *ctx, HPy obj);

/**
 * Returns `str(obj)`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(172) HPyAPI_CPY(PyObject_Str)
HPy HPy_Str(HPyContext *ctx, HPy obj);

/**
 * Returns `ascii(obj)`: like `repr(obj)` with the non-ASCII characters
 * escaped. Returns a new handle, which the caller must close, or `HPy_NULL`
 * with an exception set on error.
 */
HPyAPI_SLOT(173) HPyAPI_CPY(PyObject_ASCII)
HPy HPy_ASCII(HPyContext *ctx, HPy obj);

/**
 * Returns `bytes(obj)`. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(174) HPyAPI_CPY(PyObject_Bytes)
HPy HPy_Bytes(HPyContext *ctx, HPy obj);

/**
 * Compares `v` and `w` with the operator `op` (one of HPy_LT, HPy_LE, HPy_EQ,
 * HPy_NE, HPy_GT, HPy_GE) and returns the result object, like Python `v < w`
 * and friends. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(175) HPyAPI_CPY(PyObject_RichCompare)
HPy HPy_RichCompare(HPyContext *ctx, HPy v, HPy w, int op);

/**
 * Like HPy_RichCompare, but returns the truth of the result: 1 or 0, or -1
 * with an exception set on error. For HPy_EQ and HPy_NE, identical objects
 * compare equal without calling `__eq__`.
 */
HPyAPI_SLOT(176) HPyAPI_CPY(PyObject_RichCompareBool)
int HPy_RichCompareBool(HPyContext *ctx, HPy v, HPy w, int op);

/**
 * Returns `hash(obj)`. Returns -1 with an exception set on error (e.g.
 * TypeError for unhashable objects).
 */
HPyAPI_SLOT(177) HPyAPI_CPY(PyObject_Hash)
HPy_hash_t HPy_Hash(HPyContext *ctx, HPy obj);

/**
 * Returns 1 if `h` is a `bytes` object or an instance of a subtype of `bytes`,
 * 0 otherwise. Never fails.
 */
HPyAPI_SLOT(178) HPyAPI_CPY(PyBytes_Check)
int HPyBytes_Check(HPyContext *ctx, HPy h);

/**
 * Returns the length of the `bytes` object `h`. Returns -1 with TypeError set
 * if `h` is not a `bytes` object.
 */
HPyAPI_SLOT(179) HPyAPI_CPY(PyBytes_Size)
HPy_ssize_t HPyBytes_Size(HPyContext *ctx, HPy h);

/** Returns the length of `h`, which must be a `bytes` object (not checked). */
HPyAPI_SLOT(180) HPyAPI_CPY(PyBytes_GET_SIZE)
HPy_ssize_t HPyBytes_GET_SIZE(HPyContext *ctx, HPy h);

/**
 * Returns a pointer to the contents of the `bytes` object `h`, followed by a
 * NUL byte. The buffer belongs to the object: it must not be modified, and it
 * is valid only while `h` is open. Returns NULL with TypeError set if `h` is
 * not a `bytes` object.
 */
HPyAPI_SLOT(181) HPyAPI_CPY(PyBytes_AsString)
const char *HPyBytes_AsString(HPyContext *ctx, HPy h);

/**
 * Like HPyBytes_AsString without the type check: `h` must be a `bytes` object.
 * The buffer is valid only while `h` is open.
 */
HPyAPI_SLOT(182) HPyAPI_CPY(PyBytes_AS_STRING)
const char *HPyBytes_AS_STRING(HPyContext *ctx, HPy h);

/**
 * Returns a new `bytes` object holding a copy of the NUL-terminated C string
 * `bytes`. Returns a new handle, which the caller must close, or `HPy_NULL`
 * with an exception set on error.
 */
HPyAPI_SLOT(183) HPyAPI_CPY(PyBytes_FromString)
HPy HPyBytes_FromString(HPyContext *ctx, const char *bytes);

/**
 * Returns a new `bytes` object holding a copy of the first `len` bytes of
 * `bytes`. `bytes` must not be NULL (ValueError); unlike CPython there is no
 * way to fill an uninitialized buffer later. Returns a new handle, which the
 * caller must close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(184)
HPy HPyBytes_FromStringAndSize(HPyContext *ctx, const char *bytes, HPy_ssize_t len);

/**
 * Returns a new `str` decoded from the NUL-terminated UTF-8 string `utf8`.
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(185) HPyAPI_CPY(PyUnicode_FromString)
HPy HPyUnicode_FromString(HPyContext *ctx, const char *utf8);

/**
 * Returns 1 if `h` is a `str` or an instance of a subtype of `str`, 0
 * otherwise. Never fails.
 */
HPyAPI_SLOT(186) HPyAPI_CPY(PyUnicode_Check)
int HPyUnicode_Check(HPyContext *ctx, HPy h);

/**
 * Encodes the `str` `h` to ASCII with the 'strict' error handler and returns
 * the `bytes` object. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(187) HPyAPI_CPY(PyUnicode_AsASCIIString)
HPy HPyUnicode_AsASCIIString(HPyContext *ctx, HPy h);

/**
 * Encodes the `str` `h` to Latin-1 with the 'strict' error handler and returns
 * the `bytes` object. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(188) HPyAPI_CPY(PyUnicode_AsLatin1String)
HPy HPyUnicode_AsLatin1String(HPyContext *ctx, HPy h);

/**
 * Encodes the `str` `h` to UTF-8 with the 'strict' error handler and returns
 * the `bytes` object. Returns a new handle, which the caller must close, or
 * `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(189) HPyAPI_CPY(PyUnicode_AsUTF8String)
HPy HPyUnicode_AsUTF8String(HPyContext *ctx, HPy h);

/**
 * Returns a pointer to the NUL-terminated UTF-8 encoding of the `str` `h`, and
 * stores its length in bytes (without the NUL) into `*size` unless `size` is
 * NULL. The buffer belongs to the string: it must not be modified, and it is
 * valid only while `h` is open. Returns NULL with an exception set on error.
 */
HPyAPI_SLOT(190) HPyAPI_CPY(PyUnicode_AsUTF8AndSize)
const char *HPyUnicode_AsUTF8AndSize(HPyContext *ctx, HPy h, HPy_ssize_t *size);

/**
 * Returns a new `str` built from the first `size` characters of the `wchar_t`
 * buffer `w`; a `size` of -1 means that `w` is NUL-terminated. Returns a new
 * handle, which the caller must close, or `HPy_NULL` with an exception set on
 * error.
 */
HPyAPI_SLOT(191) HPyAPI_CPY(PyUnicode_FromWideChar)
HPy HPyUnicode_FromWideChar(HPyContext *ctx, const wchar_t *w, HPy_ssize_t size);

/**
 * Decodes the NUL-terminated string `v` from the filesystem encoding and error
 * handler into a new `str`. Returns a new handle, which the caller must close,
 * or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(192) HPyAPI_CPY(PyUnicode_DecodeFSDefault)
HPy HPyUnicode_DecodeFSDefault(HPyContext *ctx, const char *v);

/**
 * Like HPyUnicode_DecodeFSDefault, for the first `size` bytes of `v`. Returns
 * a new handle, which the caller must close, or `HPy_NULL` with an exception
 * set on error.
 */
HPyAPI_SLOT(193) HPyAPI_CPY(PyUnicode_DecodeFSDefaultAndSize)
HPy HPyUnicode_DecodeFSDefaultAndSize(HPyContext *ctx, const char *v, HPy_ssize_t size);

/**
 * Encodes the `str` `h` to the filesystem encoding and error handler and
 * returns the `bytes` object. Returns a new handle, which the caller must
 * close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(194) HPyAPI_CPY(PyUnicode_EncodeFSDefault)
HPy HPyUnicode_EncodeFSDefault(HPyContext *ctx, HPy h);

/**
 * Returns the code point at position `index` of the `str` `h`. Returns
 * `(HPy_UCS4)-1` with an exception set on error (IndexError if `index` is out
 * of range).
 */
HPyAPI_SLOT(195) HPyAPI_CPY(PyUnicode_ReadChar)
HPy_UCS4 HPyUnicode_ReadChar(HPyContext *ctx, HPy h, HPy_ssize_t index);

/**
 * Decodes the first `size` bytes of `ascii` as ASCII into a new `str`;
 * `errors` names the error handler (NULL means 'strict'). Returns a new
 * handle, which the caller must close, or `HPy_NULL` with an exception set on
 * error.
 */
HPyAPI_SLOT(196) HPyAPI_CPY(PyUnicode_DecodeASCII)
HPy HPyUnicode_DecodeASCII(HPyContext *ctx, const char *ascii, HPy_ssize_t size, const char *errors);

/**
 * Decodes the first `size` bytes of `latin1` as Latin-1 into a new `str`;
 * `errors` names the error handler (NULL means 'strict'). Returns a new
 * handle, which the caller must close, or `HPy_NULL` with an exception set on
 * error.
 */
HPyAPI_SLOT(197) HPyAPI_CPY(PyUnicode_DecodeLatin1)
HPy HPyUnicode_DecodeLatin1(HPyContext *ctx, const char *latin1, HPy_ssize_t size, const char *errors);

/**
 * Returns 1 if `h` is a `list` or an instance of a subtype of `list`, 0
 * otherwise. Never fails.
 */
HPyAPI_SLOT(198) HPyAPI_CPY(PyList_Check)
int HPyList_Check(HPyContext *ctx, HPy h);

/**
 * Returns a new list of length `len`. When `len` is not 0, every item must be
 * set (e.g. with HPy_SetItem_i) before the list is used in any other way;
 * HPyListBuilder is usually simpler. Returns a new handle, which the caller
 * must close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(199) HPyAPI_CPY(PyList_New)
HPy HPyList_New(HPyContext *ctx, HPy_ssize_t len);

/**
 * Appends `h_item` to the list `h_list` (the list takes its own reference;
 * `h_item` stays open). Returns 0, or -1 with an exception set on error.
 */
HPyAPI_SLOT(200) HPyAPI_CPY(PyList_Append)
int HPyList_Append(HPyContext *ctx, HPy h_list, HPy h_item);

/**
 * Returns 1 if `h` is a `dict` or an instance of a subtype of `dict`, 0
 * otherwise. Never fails.
 */
HPyAPI_SLOT(201) HPyAPI_CPY(PyDict_Check)
int HPyDict_Check(HPyContext *ctx, HPy h);

/**
 * Returns a new empty dict. Returns a new handle, which the caller must close,
 * or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(202) HPyAPI_CPY(PyDict_New)
HPy HPyDict_New(HPyContext *ctx);

/**
 * Returns 1 if `h` is a `tuple` or an instance of a subtype of `tuple`, 0
 * otherwise. Never fails.
 */
HPyAPI_SLOT(203) HPyAPI_CPY(PyTuple_Check)
int HPyTuple_Check(HPyContext *ctx, HPy h);

/**
 * Returns a new tuple of the `n` objects in `items`. The tuple takes its own
 * references: the handles in `items` stay open. Returns a new handle, which
 * the caller must close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(204)
HPy HPyTuple_FromArray(HPyContext *ctx, HPy items[], HPy_ssize_t n);

/**
 * Imports the module named by the UTF-8 string `utf8_name` (a dotted name for
 * a submodule), like the `import` statement, and returns it. Returns a new
 * handle, which the caller must close, or `HPy_NULL` with an exception set on
 * error.
 */
HPyAPI_SLOT(205) HPyAPI_CPY(PyImport_ImportModule)
HPy HPyImport_ImportModule(HPyContext *ctx, const char *utf8_name);

/**
 * Hybrid and cpython ABIs only: returns a new handle to the CPython object
 * `obj`, which stays owned by the caller (its reference is not stolen). `NULL`
 * gives `HPy_NULL`.
 */
HPyAPI_SLOT(206)
HPy HPy_FromPyObject(HPyContext *ctx, cpy_PyObject *obj);

/**
 * Hybrid and cpython ABIs only: returns a new reference (which the caller must
 * release with `Py_DECREF`) to the CPython object behind `h`. `HPy_NULL` gives
 * NULL.
 */
HPyAPI_SLOT(207)
cpy_PyObject *HPy_AsPyObject(HPyContext *ctx, HPy h);

/**
 * Internal, used by the trampolines that the HPyDef_* macros generate: calls
 * the HPy function `func` of signature `sig` with the CPython-level arguments
 * packed in `args`, and stores the result in `args`.
 */
HPyAPI_SLOT(208)
void _HPy_CallRealFunctionFromTrampoline(HPyContext *ctx, HPyFunc_Signature sig, HPyCFunction func, void *args);

/**
 * Starts building a list of exactly `size` items. Fill every slot with
 * HPyListBuilder_Set, then call HPyListBuilder_Build or HPyListBuilder_Cancel
 * exactly once. This call does not report errors: an allocation failure
 * surfaces in HPyListBuilder_Build.
 */
HPyAPI_SLOT(209)
HPyListBuilder HPyListBuilder_New(HPyContext *ctx, HPy_ssize_t size);

/**
 * Stores `h_item` at position `index` (0 <= index < size, each position set
 * once) of the list being built. The builder takes its own reference: `h_item`
 * stays open.
 */
HPyAPI_SLOT(210)
void HPyListBuilder_Set(HPyContext *ctx, HPyListBuilder builder, HPy_ssize_t index, HPy h_item);

/**
 * Finishes the builder and returns the list. The builder must not be used
 * afterwards. Returns a new handle, or `HPy_NULL` with MemoryError set if the
 * builder could not be allocated.
 */
HPyAPI_SLOT(211)
HPy HPyListBuilder_Build(HPyContext *ctx, HPyListBuilder builder);

/**
 * Abandons the builder, releasing the items stored so far. The builder must
 * not be used afterwards.
 */
HPyAPI_SLOT(212)
void HPyListBuilder_Cancel(HPyContext *ctx, HPyListBuilder builder);

/**
 * Starts building a tuple of exactly `size` items. Fill every slot with
 * HPyTupleBuilder_Set, then call HPyTupleBuilder_Build or
 * HPyTupleBuilder_Cancel exactly once. This call does not report errors: an
 * allocation failure surfaces in HPyTupleBuilder_Build.
 */
HPyAPI_SLOT(213)
HPyTupleBuilder HPyTupleBuilder_New(HPyContext *ctx, HPy_ssize_t size);

/**
 * Stores `h_item` at position `index` (0 <= index < size, each position set
 * once) of the tuple being built. The builder takes its own reference:
 * `h_item` stays open.
 */
HPyAPI_SLOT(214)
void HPyTupleBuilder_Set(HPyContext *ctx, HPyTupleBuilder builder, HPy_ssize_t index, HPy h_item);

/**
 * Finishes the builder and returns the tuple. The builder must not be used
 * afterwards. Returns a new handle, or `HPy_NULL` with MemoryError set if the
 * builder could not be allocated.
 */
HPyAPI_SLOT(215)
HPy HPyTupleBuilder_Build(HPyContext *ctx, HPyTupleBuilder builder);

/**
 * Abandons the builder, releasing the items stored so far. The builder must
 * not be used afterwards.
 */
HPyAPI_SLOT(216)
void HPyTupleBuilder_Cancel(HPyContext *ctx, HPyTupleBuilder builder);

/**
 * Creates a tracker, a group of handles to close together, with room for at
 * least `size` handles (0 picks a small default). Release it with
 * HPyTracker_Close. On error returns a null tracker (`HPy_IsNull(ht)` is true)
 * with MemoryError set.
 */
HPyAPI_SLOT(217)
HPyTracker HPyTracker_New(HPyContext *ctx, HPy_ssize_t size);

/**
 * Adds the handle `h` to the tracker, which will close it in HPyTracker_Close.
 * Returns 0, or -1 with MemoryError set if the tracker could not grow; even
 * then `h` is tracked, so the caller only has to close the tracker.
 */
HPyAPI_SLOT(218)
int HPyTracker_Add(HPyContext *ctx, HPyTracker ht, HPy h);

/**
 * Removes every handle from the tracker without closing any of them (the
 * caller takes them back, e.g. on success).
 */
HPyAPI_SLOT(219)
void HPyTracker_ForgetAll(HPyContext *ctx, HPyTracker ht);

/**
 * Closes every handle the tracker holds and frees the tracker, which must not
 * be used afterwards.
 */
HPyAPI_SLOT(220)
void HPyTracker_Close(HPyContext *ctx, HPyTracker ht);

/**
 * Stores `h` in the field `*target_field` of the object `target_object` (which
 * must own the field, e.g. it lives in its C struct), and releases the value
 * the field held before. The field keeps its own reference: `h` stays open.
 * Storing `HPy_NULL` empties the field.
 */
HPyAPI_SLOT(221)
void HPyField_Store(HPyContext *ctx, HPy target_object, HPyField *target_field, HPy h);

/**
 * Returns a new handle, which the caller must close, to the object stored in
 * the field `source_field` of the object `source_object`. The field must not
 * be empty.
 */
HPyAPI_SLOT(222)
HPy HPyField_Load(HPyContext *ctx, HPy source_object, HPyField source_field);

/**
 * Takes the GIL back (re-enters Python execution) after
 * HPy_LeavePythonExecution; `state` is the value that call returned.
 */
HPyAPI_SLOT(223)
void HPy_ReenterPythonExecution(HPyContext *ctx, HPyThreadState state);

/**
 * Releases the GIL (leaves Python execution) so that other threads can run
 * Python code, and returns the state to pass to HPy_ReenterPythonExecution. No
 * HPy function may be called in between; handles may be kept but not used.
 */
HPyAPI_SLOT(224)
HPyThreadState HPy_LeavePythonExecution(HPyContext *ctx);

/**
 * Stores `h` in the module-level variable `*global` and releases the value it
 * held before. The global keeps its own reference: `h` stays open.
 */
HPyAPI_SLOT(225)
void HPyGlobal_Store(HPyContext *ctx, HPyGlobal *global, HPy h);

/**
 * Returns a new handle, which the caller must close, to the object stored in
 * `global`. The global must have been stored before.
 */
HPyAPI_SLOT(226)
HPy HPyGlobal_Load(HPyContext *ctx, HPyGlobal global);

/**
 * Debugging aid: prints information about the object `h` (address, type,
 * reference count, repr) to stderr. Not for production use.
 */
HPyAPI_SLOT(227)
void _HPy_Dump(HPyContext *ctx, HPy h);

/**
 * Internal, used by the macros of HPyType_HELPERS: returns a pointer to the C
 * struct of `h`, an instance of a pure HPy type whose builtin shape is
 * HPyType_BuiltinShape_Type.
 */
HPyAPI_SLOT(228)
void *_HPy_AsStruct_Type(HPyContext *ctx, HPy h);

/**
 * Internal, used by the macros of HPyType_HELPERS: returns a pointer to the C
 * struct of `h`, an instance of a pure HPy type whose builtin shape is
 * HPyType_BuiltinShape_Long.
 */
HPyAPI_SLOT(229)
void *_HPy_AsStruct_Long(HPyContext *ctx, HPy h);

/**
 * Internal, used by the macros of HPyType_HELPERS: returns a pointer to the C
 * struct of `h`, an instance of a pure HPy type whose builtin shape is
 * HPyType_BuiltinShape_Float.
 */
HPyAPI_SLOT(230)
void *_HPy_AsStruct_Float(HPyContext *ctx, HPy h);

/**
 * Internal, used by the macros of HPyType_HELPERS: returns a pointer to the C
 * struct of `h`, an instance of a pure HPy type whose builtin shape is
 * HPyType_BuiltinShape_Unicode.
 */
HPyAPI_SLOT(231)
void *_HPy_AsStruct_Unicode(HPyContext *ctx, HPy h);

/**
 * Internal, used by the macros of HPyType_HELPERS: returns a pointer to the C
 * struct of `h`, an instance of a pure HPy type whose builtin shape is
 * HPyType_BuiltinShape_Tuple.
 */
HPyAPI_SLOT(232)
void *_HPy_AsStruct_Tuple(HPyContext *ctx, HPy h);

/**
 * Internal, used by the macros of HPyType_HELPERS: returns a pointer to the C
 * struct of `h`, an instance of a pure HPy type whose builtin shape is
 * HPyType_BuiltinShape_List.
 */
HPyAPI_SLOT(233)
void *_HPy_AsStruct_List(HPyContext *ctx, HPy h);

/**
 * Internal: returns the builtin shape that instances of the type `h_type` have
 * (which builtin type their C struct extends). Returns -2 with TypeError set
 * if `h_type` is not a type.
 */
HPyAPI_SLOT(234)
HPyType_BuiltinShape _HPyType_GetBuiltinShape(HPyContext *ctx, HPy h_type);

/** Does `del obj[key]`. Returns 0, or -1 with an exception set on error. */
HPyAPI_SLOT(235) HPyAPI_CPY(PyObject_DelItem)
int HPy_DelItem(HPyContext *ctx, HPy obj, HPy key);

/**
 * Does `del obj[idx]` with the key given as a C integer (turned into an `int`
 * object). Returns 0, or -1 with an exception set on error.
 */
HPyAPI_SLOT(236)
int HPy_DelItem_i(HPyContext *ctx, HPy obj, HPy_ssize_t idx);

/**
 * Does `del obj[key]` with the key given as a UTF-8 C string (turned into a
 * `str` object). Returns 0, or -1 with an exception set on error.
 */
HPyAPI_SLOT(237)
int HPy_DelItem_s(HPyContext *ctx, HPy obj, const char *utf8_key);

/** The `complex` type. */
HPyAPI_SLOT(238) HPyAPI_CPY(PyComplex_Type)
HPy h_ComplexType;

/** The `bytes` type. */
HPyAPI_SLOT(239) HPyAPI_CPY(PyBytes_Type)
HPy h_BytesType;

/** The `memoryview` type. */
HPyAPI_SLOT(240) HPyAPI_CPY(PyMemoryView_Type)
HPy h_MemoryViewType;

/** The type of capsule objects (`HPyCapsule_New`). */
HPyAPI_SLOT(241) HPyAPI_CPY(PyCapsule_Type)
HPy h_CapsuleType;

/** The `slice` type. */
HPyAPI_SLOT(242) HPyAPI_CPY(PySlice_Type)
HPy h_SliceType;

/** The namespace of the `builtins` module (its `__dict__`). */
HPyAPI_SLOT(243)
HPy h_Builtins;

/**
 * Returns a new capsule wrapping the non-NULL `pointer`, named `utf8_name`
 * (may be NULL; the string must outlive the capsule). `destructor` (may be
 * NULL) is called when the capsule is destroyed; when given it must be
 * complete (ValueError otherwise). Returns a new handle, which the caller must
 * close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(244)
HPy HPyCapsule_New(HPyContext *ctx, void *pointer, const char *utf8_name, HPyCapsule_Destructor *destructor);

/**
 * Reads one part of a capsule, selected by `key`: the pointer (only if
 * `utf8_name` matches the capsule's name), the name or the context. Returns
 * NULL with an exception set on error; the destructor cannot be read
 * (ValueError).
 */
HPyAPI_SLOT(245)
void *HPyCapsule_Get(HPyContext *ctx, HPy capsule, _HPyCapsule_key key, const char *utf8_name);

/**
 * Returns 1 if `capsule` is a capsule named `utf8_name` (NULL matches an
 * unnamed capsule) holding a non-NULL pointer, 0 otherwise. Never fails.
 */
HPyAPI_SLOT(246) HPyAPI_CPY(PyCapsule_IsValid)
int HPyCapsule_IsValid(HPyContext *ctx, HPy capsule, const char *utf8_name);

/**
 * Changes one part of a capsule, selected by `key`, to `value`: the pointer
 * (must not be NULL), the name (a `const char *`), the context, or the
 * destructor (an `HPyCapsule_Destructor *`). Returns 0, or -1 with an
 * exception set on error.
 */
HPyAPI_SLOT(247)
int HPyCapsule_Set(HPyContext *ctx, HPy capsule, _HPyCapsule_key key, void *value);

/**
 * Compiles the UTF-8 source `utf8_source` into a code object, `utf8_filename`
 * being the file name shown in tracebacks; `kind` says whether it is an
 * expression, a module or an interactive statement. Returns a new handle,
 * which the caller must close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(248)
HPy HPy_Compile_s(HPyContext *ctx, const char *utf8_source, const char *utf8_filename, HPy_SourceKind kind);

/**
 * Runs the code object `code` (from HPy_Compile_s) with the dict `globals` and
 * the mapping `locals` as namespaces, and returns its result (the value of an
 * expression, `None` otherwise). Returns a new handle, which the caller must
 * close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(249) HPyAPI_CPY(PyEval_EvalCode)
HPy HPy_EvalCode(HPyContext *ctx, HPy code, HPy globals, HPy locals);

/**
 * Returns a new `contextvars.ContextVar` named `name`, with the default value
 * `default_value` (`HPy_NULL` for no default). Returns a new handle, which the
 * caller must close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(250) HPyAPI_CPY(PyContextVar_New)
HPy HPyContextVar_New(HPyContext *ctx, const char *name, HPy default_value);

/**
 * Looks up the value of `context_var` in the current context, falling back to
 * `default_value` if it is not `HPy_NULL`, then to the variable's own default.
 * Stores a new handle (to close) into `*result`, or `HPy_NULL` if there is no
 * value at all. Returns 0 on success (value found or not), -1 with an
 * exception set on error.
 */
HPyAPI_SLOT(251)
int32_t HPyContextVar_Get(HPyContext *ctx, HPy context_var, HPy default_value, HPy *result);

/**
 * Sets `context_var` to `value` in the current context. Returns a new handle
 * to a `contextvars.Token`, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(252) HPyAPI_CPY(PyContextVar_Set)
HPy HPyContextVar_Set(HPyContext *ctx, HPy context_var, HPy value);

/**
 * Returns the name of the type `type`, without its module part (like
 * `type.__name__`). The string belongs to the type and is valid as long as the
 * type lives. Returns NULL with an exception set on error.
 */
HPyAPI_SLOT(253)
const char *HPyType_GetName(HPyContext *ctx, HPy type);

/**
 * Returns 1 if the type `sub` is `type` or a subtype of it, 0 otherwise. Both
 * must be type objects. Never fails.
 */
HPyAPI_SLOT(254)
int HPyType_IsSubtype(HPyContext *ctx, HPy sub, HPy type);

/**
 * Decodes the bytes-like object `obj` with the codec `encoding` (NULL means
 * UTF-8) and the error handler `errors` (NULL means 'strict') into a new
 * `str`. Returns a new handle, which the caller must close, or `HPy_NULL` with
 * an exception set on error.
 */
HPyAPI_SLOT(255) HPyAPI_CPY(PyUnicode_FromEncodedObject)
HPy HPyUnicode_FromEncodedObject(HPyContext *ctx, HPy obj, const char *encoding, const char *errors);

/**
 * Returns the part of the `str` `str` from index `start` up to, not including,
 * `end`, like `str[start:end]` for non-negative indices. Returns a new handle,
 * which the caller must close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(256) HPyAPI_CPY(PyUnicode_Substring)
HPy HPyUnicode_Substring(HPyContext *ctx, HPy str, HPy_ssize_t start, HPy_ssize_t end);

/**
 * Returns a new list of the keys of the dict `h`. Returns a new handle, which
 * the caller must close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(257) HPyAPI_CPY(PyDict_Keys)
HPy HPyDict_Keys(HPyContext *ctx, HPy h);

/**
 * Returns a shallow copy of the dict `h`. Returns a new handle, which the
 * caller must close, or `HPy_NULL` with an exception set on error.
 */
HPyAPI_SLOT(258) HPyAPI_CPY(PyDict_Copy)
HPy HPyDict_Copy(HPyContext *ctx, HPy h);

/**
 * Extracts the start, stop and step of the slice object `slice` into `*start`,
 * `*stop`, `*step`, with `None` replaced by the defaults and large values
 * clipped to the HPy_ssize_t range (not yet adjusted to a length). Returns 0,
 * or -1 with an exception set on error (ValueError for a zero step).
 */
HPyAPI_SLOT(259) HPyAPI_CPY(PySlice_Unpack)
int HPySlice_Unpack(HPyContext *ctx, HPy slice, HPy_ssize_t *start, HPy_ssize_t *stop, HPy_ssize_t *step);

/**
 * Sets the function that implements calls of the object `h` alone, overriding
 * the default of its type. The type must support per-object call functions
 * (its spec declares the `__vectorcalloffset__` member). Returns 0, or -1 with
 * TypeError set if it does not.
 */
HPyAPI_SLOT(260)
int HPy_SetCallFunction(HPyContext *ctx, HPy h, HPyCallFunction *func);

/**
 * Calls `callable` with `nargs` positional arguments taken from `args`,
 * followed by keyword arguments whose values come after them in `args` and
 * whose names are in the tuple of `str` `kwnames` (`HPy_NULL` for none).
 * Returns a new handle, which the caller must close, or `HPy_NULL` with an
 * exception set on error.
 */
HPyAPI_SLOT(261)
HPy HPy_Call(HPyContext *ctx, HPy callable, const HPy *args, size_t nargs, HPy kwnames);

/**
 * Calls the method named `name` (a `str`) of the object `args[0]`; `nargs`
 * counts the receiver `args[0]` too, and keyword arguments follow as in
 * HPy_Call. Returns a new handle, which the caller must close, or `HPy_NULL`
 * with an exception set on error.
 */
HPyAPI_SLOT(262)
HPy HPy_CallMethod(HPyContext *ctx, HPy name, const HPy *args, size_t nargs, HPy kwnames);
