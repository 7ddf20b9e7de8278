import os
import sys
import gc
import warnings
import contextvars
import pytest

from support import upstream_bugs

# The test_*_guards: checks the hpy-rs runtime makes beyond CPython's own
# (docs/compat.md). HPy leaves such C-level misuse undefined: HPy 0.9.0 lacks
# the checks, and the cpython ABI compiles to plain C API calls.
GUARDS = "argument checks beyond CPython's (docs/compat.md): undefined in HPy, absent from HPy 0.9.0"


# tup_close(ctx, items, n): a tuple of the n handles, which it closes (NULL
# if one of them is HPy_NULL, for the exception its maker raised).
TUP_CLOSE = """
        static HPy tup_close(HPyContext *ctx, HPy *items, int n)
        {
            int i;
            HPy r;
            for (i = 0; i < n; i++)
                if (HPy_IsNull(items[i])) { r = HPy_NULL; goto done; }
            r = HPyTuple_FromArray(ctx, items, n);
          done:
            for (i = 0; i < n; i++)
                HPy_Close(ctx, items[i]);
            return r;
        }
"""


def skip_plain_c_api(hpy_abi):
    if hpy_abi == "cpython":
        pytest.skip("the cpython ABI makes plain C API calls: the misuse is undefined, as in C")


UNICODE = """
        #include <wchar.h>
        HPyDef_METH(m_fromwide, "fromwide", HPyFunc_O)
        static HPy m_fromwide_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            long n = HPyLong_AsLong(ctx, arg);
            if (n == -2)
                return HPyUnicode_FromWideChar(ctx, NULL, 3);
            return HPyUnicode_FromWideChar(ctx, L"h\\u00e9llo\\U0001F600", n);
        }
        HPyDef_METH(m_fsdec, "fsdec", HPyFunc_O)
        static HPy m_fsdec_impl(HPyContext *ctx, HPy self, HPy b)
        {
            const char *s = HPyBytes_AsString(ctx, b);
            HPy_ssize_t n = HPyBytes_Size(ctx, b);
            HPy a = HPyUnicode_DecodeFSDefault(ctx, s);
            if (HPy_IsNull(a)) return HPy_NULL;
            HPy c = HPyUnicode_DecodeFSDefaultAndSize(ctx, s, n > 0 ? n - 1 : 0);
            if (HPy_IsNull(c)) { HPy_Close(ctx, a); return HPy_NULL; }
            HPy items[2] = {a, c};
            HPy r = HPyTuple_FromArray(ctx, items, 2);
            HPy_Close(ctx, a); HPy_Close(ctx, c);
            return r;
        }
        HPyDef_METH(m_fsenc, "fsenc", HPyFunc_O)
        static HPy m_fsenc_impl(HPyContext *ctx, HPy self, HPy s)
        {
            return HPyUnicode_EncodeFSDefault(ctx, s);
        }
        HPyDef_METH(m_readchar, "readchar", HPyFunc_VARARGS)
        static HPy m_readchar_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            HPy_UCS4 c = HPyUnicode_ReadChar(ctx, args[0], HPyLong_AsSsize_t(ctx, args[1]));
            if (c == (HPy_UCS4)-1 && HPyErr_Occurred(ctx))
                return HPy_NULL;
            return HPyLong_FromUnsignedLong(ctx, c);
        }
        HPyDef_METH(m_decascii, "decascii", HPyFunc_VARARGS)
        static HPy m_decascii_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            const char *errors = HPy_Is(ctx, args[1], ctx->h_None) ? NULL : HPyUnicode_AsUTF8AndSize(ctx, args[1], NULL);
            return HPyUnicode_DecodeASCII(ctx, HPyBytes_AsString(ctx, args[0]), HPyBytes_Size(ctx, args[0]), errors);
        }
        HPyDef_METH(m_declatin1, "declatin1", HPyFunc_VARARGS)
        static HPy m_declatin1_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            return HPyUnicode_DecodeLatin1(ctx, HPyBytes_AsString(ctx, args[0]), HPyBytes_Size(ctx, args[0]), NULL);
        }
        HPyDef_METH(m_fromenc, "fromenc", HPyFunc_VARARGS)
        static HPy m_fromenc_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            const char *enc = HPy_Is(ctx, args[1], ctx->h_None) ? NULL : HPyUnicode_AsUTF8AndSize(ctx, args[1], NULL);
            const char *err = HPy_Is(ctx, args[2], ctx->h_None) ? NULL : HPyUnicode_AsUTF8AndSize(ctx, args[2], NULL);
            return HPyUnicode_FromEncodedObject(ctx, args[0], enc, err);
        }
        HPyDef_METH(m_substr, "substr", HPyFunc_VARARGS)
        static HPy m_substr_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            return HPyUnicode_Substring(ctx, args[0], HPyLong_AsSsize_t(ctx, args[1]), HPyLong_AsSsize_t(ctx, args[2]));
        }
        @EXPORT(m_fromwide)
        @EXPORT(m_fsdec)
        @EXPORT(m_fsenc)
        @EXPORT(m_readchar)
        @EXPORT(m_decascii)
        @EXPORT(m_declatin1)
        @EXPORT(m_fromenc)
        @EXPORT(m_substr)
"""


def test_unicode(hpy_abi, make_module):
    mod = make_module(UNICODE)
    assert mod.fromwide(-1) == "h\u00e9llo\U0001F600"
    assert mod.fromwide(2) == "h\u00e9"
    assert mod.fromwide(0) == ""
    with pytest.raises(SystemError):
        mod.fromwide(-2)
    assert mod.fsdec(b"abc") == ("abc", "ab")
    assert mod.fsdec(b"") == ("", "")
    raw = os.fsencode("h\u00e9\udcff")  # an undecodable byte: surrogateescape
    assert mod.fsdec(raw) == (os.fsdecode(raw), os.fsdecode(raw[:-1]))
    assert mod.fsenc("abc") == b"abc"
    assert mod.fsenc("h\u00e9") == os.fsencode("h\u00e9")
    with pytest.raises(TypeError):
        mod.fsenc(42)
    with pytest.raises(TypeError):
        mod.fsenc(b"abc")
    assert mod.readchar("ab\U0001F600", 2) == 0x1F600
    with pytest.raises(IndexError):
        mod.readchar("ab", 2)
    with pytest.raises(IndexError):
        mod.readchar("ab", -1)
    with pytest.raises(TypeError):
        mod.readchar(42, 0)
    assert mod.decascii(b"abc", None) == "abc"
    with pytest.raises(UnicodeDecodeError):
        mod.decascii(b"ab\xff", None)
    assert mod.decascii(b"ab\xff", "replace") == "ab\ufffd"
    with pytest.raises(LookupError):
        mod.decascii(b"ab\xff", "nope")
    assert mod.declatin1(b"ab\xff") == "ab\xff"
    assert mod.fromenc(b"h\xc3\xa9", None, None) == "h\u00e9"
    assert mod.fromenc(bytearray(b"h\xe9"), "latin-1", None) == "h\u00e9"
    assert mod.fromenc(memoryview(b"h\xff"), "utf-8", "replace") == "h\ufffd"
    with pytest.raises(UnicodeDecodeError):
        mod.fromenc(b"h\xff", None, None)
    with pytest.raises(TypeError):
        mod.fromenc("str", None, None)
    with pytest.raises(TypeError):
        mod.fromenc(42, None, None)
    with pytest.raises(LookupError):
        mod.fromenc(b"x", "no-such-codec", None)
    assert mod.substr("hello", 1, 3) == "el"
    assert mod.substr("hello", 0, 100) == "hello"
    assert mod.substr("hello", 4, 2) == ""
    assert mod.substr("hello", 7, 9) == ""
    with pytest.raises(IndexError):
        mod.substr("hello", -1, 2)


@pytest.mark.hpy_rs_only(GUARDS)
def test_unicode_guards(hpy_abi, make_module):
    skip_plain_c_api(hpy_abi)
    mod = make_module(UNICODE)
    with pytest.raises(TypeError, match="HPyUnicode_Substring arg 1 must be a Unicode object"):
        mod.substr(b"hello", 0, 1)


ERRORS = """
        #include <errno.h>
        HPyDef_METH(m_errno_fn, "errno_fn", HPyFunc_VARARGS)
        static HPy m_errno_fn_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            errno = (int)HPyLong_AsLong(ctx, args[0]);
            if (n == 1)
                return HPyErr_SetFromErrnoWithFilename(ctx, ctx->h_OSError, NULL);
            if (HPyBytes_Check(ctx, args[1]))
                return HPyErr_SetFromErrnoWithFilename(ctx, ctx->h_OSError, HPyBytes_AsString(ctx, args[1]));
            return HPyErr_SetFromErrnoWithFilenameObjects(ctx, ctx->h_OSError, args[1], n > 2 ? args[2] : HPy_NULL);
        }
        HPyDef_METH(m_newexc, "newexc", HPyFunc_VARARGS)
        static HPy m_newexc_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            const char *name = HPyUnicode_AsUTF8AndSize(ctx, args[0], NULL);
            HPy base = HPy_Is(ctx, args[1], ctx->h_None) ? HPy_NULL : args[1];
            HPy dict = HPy_Is(ctx, args[2], ctx->h_None) ? HPy_NULL : args[2];
            if (n > 3) {
                const char *doc = HPy_Is(ctx, args[3], ctx->h_None) ? NULL : HPyUnicode_AsUTF8AndSize(ctx, args[3], NULL);
                return HPyErr_NewExceptionWithDoc(ctx, name, doc, base, dict);
            }
            return HPyErr_NewException(ctx, name, base, dict);
        }
        HPyDef_METH(m_warn, "warn", HPyFunc_VARARGS)
        static HPy m_warn_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            HPy cat = HPy_Is(ctx, args[0], ctx->h_None) ? HPy_NULL : args[0];
            if (HPyErr_WarnEx(ctx, cat, HPyUnicode_AsUTF8AndSize(ctx, args[1], NULL), 1) < 0)
                return HPy_NULL;
            return HPy_Dup(ctx, ctx->h_None);
        }
        HPyDef_METH(m_unraisable, "unraisable", HPyFunc_O)
        static HPy m_unraisable_impl(HPyContext *ctx, HPy self, HPy obj)
        {
            HPyErr_SetString(ctx, ctx->h_ValueError, "oops");
            HPyErr_WriteUnraisable(ctx, HPy_Is(ctx, obj, ctx->h_None) ? HPy_NULL : obj);
            return HPyBool_FromBool(ctx, HPyErr_Occurred(ctx));
        }
        @EXPORT(m_errno_fn)
        @EXPORT(m_newexc)
        @EXPORT(m_warn)
        @EXPORT(m_unraisable)
"""


def test_errors(hpy_abi, make_module):
    mod = make_module(ERRORS)
    import errno
    with pytest.raises(FileNotFoundError) as e:
        mod.errno_fn(errno.ENOENT)
    assert e.value.errno == errno.ENOENT and e.value.filename is None
    with pytest.raises(PermissionError) as e:
        mod.errno_fn(errno.EACCES, b"/some/file")
    assert e.value.filename == "/some/file"
    with pytest.raises(FileExistsError) as e:
        mod.errno_fn(errno.EEXIST, "a", "b")
    assert (e.value.filename, e.value.filename2) == ("a", "b")
    with pytest.raises(OSError) as e:
        mod.errno_fn(errno.EEXIST, "a")
    assert (e.value.filename, e.value.filename2) == ("a", None)

    E = mod.newexc("mymod.MyError", None, None)
    assert E.__name__ == "MyError" and E.__module__ == "mymod"
    assert issubclass(E, Exception) and E.__bases__ == (Exception,)
    E2 = mod.newexc("mymod.Sub", (E, KeyError), {"x": 1})
    assert E2.__bases__ == (E, KeyError) and E2.x == 1
    E3 = mod.newexc("mymod.Doc", ValueError, None, "the doc")
    assert E3.__doc__ == "the doc" and issubclass(E3, ValueError)
    E4 = mod.newexc("mymod.NoDoc", None, None, None)
    assert E4.__doc__ is None
    with pytest.raises(SystemError):
        mod.newexc("nodot", None, None)
    with pytest.raises(TypeError):
        mod.newexc("m.X", 42, None)

    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        mod.warn(UserWarning, "hello")
        mod.warn(None, "rt")
    assert [(x.category, str(x.message)) for x in w] == [(UserWarning, "hello"), (RuntimeWarning, "rt")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DeprecationWarning):
            mod.warn(DeprecationWarning, "boom")
    with pytest.raises(TypeError):
        mod.warn(42, "x")
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assert mod.warn(ValueError, "x") is None

    seen = []
    old = sys.unraisablehook
    sys.unraisablehook = lambda u: seen.append((u.exc_type, str(u.exc_value), u.object))
    try:
        assert mod.unraisable("ctx-obj") is False
        assert mod.unraisable(None) is False
    finally:
        sys.unraisablehook = old
    assert seen == [(ValueError, "oops", "ctx-obj"), (ValueError, "oops", None)]


@pytest.mark.hpy_rs_only(GUARDS)
def test_errors_guards(hpy_abi, make_module):
    skip_plain_c_api(hpy_abi)
    mod = make_module(ERRORS)
    with pytest.raises(TypeError):
        mod.newexc("m.X", None, [1])
    with pytest.raises(TypeError):
        mod.newexc("m.X", None, [1], "doc")


def test_no_memory(make_module):
    mod = make_module("""
        HPyDef_METH(nomem, "nomem", HPyFunc_NOARGS)
        static HPy nomem_impl(HPyContext *ctx, HPy self)
        {
            HPy r = HPyErr_NoMemory(ctx);   /* HPy_NULL, to return directly */
            if (!HPy_IsNull(r))
                return HPyErr_SetString(ctx, ctx->h_SystemError, "not HPy_NULL");
            return r;
        }
        @EXPORT(nomem)
    """)
    with pytest.raises(MemoryError) as e:
        mod.nomem()
    assert type(e.value) is MemoryError and e.value.args == ()


FATAL = """
    HPyDef_METH(fatal, "fatal", HPyFunc_O)
    static HPy fatal_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        HPy_FatalError(ctx, HPyUnicode_AsUTF8AndSize(ctx, arg, NULL));
    }
    @EXPORT(fatal)
"""

# Runs in a child process: HPy_FatalError must not return, so the child dies
# of SIGABRT. In trace mode the child prints each context function as it is
# entered (before the abort), for the assertion below and for --api-coverage.
FATAL_CHILD = """
import sys
from support.build import load_module
from support.coverage import print_calls_from_child
mod = load_module("fatal", sys.argv[1], sys.argv[2])
if sys.argv[2].split("+")[-1] == "trace":
    print_calls_from_child()
print("calling", flush=True)
mod.fatal("the message of HPy_FatalError")
print("returned", flush=True)
"""


@pytest.mark.not_repeatable   # the body runs a process, not HPy code
def test_fatal_error(hpy_abi, compiler):
    import signal
    import subprocess
    from pathlib import Path
    from support import coverage
    from support.build import expand_snippet
    path = compiler.compile("fatal", expand_snippet("fatal", FATAL))
    env = dict(os.environ, PYTHONFAULTHANDLER="")
    r = subprocess.run([sys.executable, "-c", FATAL_CHILD, str(path), hpy_abi],
                       cwd=Path(__file__).parent, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == -signal.SIGABRT, (r.returncode, r.stdout, r.stderr)
    assert "calling" in r.stdout and "returned" not in r.stdout
    assert "Fatal Python error" in r.stderr
    assert "the message of HPy_FatalError" in r.stderr
    if hpy_abi.split("+")[-1] == "trace":
        called = coverage.report_child_calls(r.stdout)
        assert called[-1] == "ctx_FatalError", called


BUILDERS = """
        HPyDef_METH(m_build, "build", HPyFunc_VARARGS)
        static HPy m_build_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            /* build(kind, size, items_to_set (tuple of (idx, val)), mode) */
            long kind = HPyLong_AsLong(ctx, args[0]);
            HPy_ssize_t size = HPyLong_AsSsize_t(ctx, args[1]);
            HPy pairs = args[2];
            long cancel = HPyLong_AsLong(ctx, args[3]);
            HPy_ssize_t np = HPy_Length(ctx, pairs), i;
            if (kind == 0) {
                HPyListBuilder b = HPyListBuilder_New(ctx, size);
                for (i = 0; i < np; i++) {
                    HPy p = HPy_GetItem_i(ctx, pairs, i);
                    HPy k = HPy_GetItem_i(ctx, p, 0), v = HPy_GetItem_i(ctx, p, 1);
                    HPyListBuilder_Set(ctx, b, HPyLong_AsSsize_t(ctx, k), v);
                    HPy_Close(ctx, k); HPy_Close(ctx, v); HPy_Close(ctx, p);
                }
                if (cancel) { HPyListBuilder_Cancel(ctx, b); return HPy_Dup(ctx, ctx->h_None); }
                return HPyListBuilder_Build(ctx, b);
            } else {
                HPyTupleBuilder b = HPyTupleBuilder_New(ctx, size);
                for (i = 0; i < np; i++) {
                    HPy p = HPy_GetItem_i(ctx, pairs, i);
                    HPy k = HPy_GetItem_i(ctx, p, 0), v = HPy_GetItem_i(ctx, p, 1);
                    HPyTupleBuilder_Set(ctx, b, HPyLong_AsSsize_t(ctx, k), v);
                    HPy_Close(ctx, k); HPy_Close(ctx, v); HPy_Close(ctx, p);
                }
                if (cancel) { HPyTupleBuilder_Cancel(ctx, b); return HPy_Dup(ctx, ctx->h_None); }
                return HPyTupleBuilder_Build(ctx, b);
            }
        }
        @EXPORT(m_build)
"""


@pytest.mark.upstream_differs(upstream_bugs.DEBUG_BUILDER_NO_EXCEPTION, abis=["upstream+debug"])
def test_builders(hpy_abi, make_module):
    mod = make_module(BUILDERS)
    for kind, typ in ((0, list), (1, tuple)):
        o1, o2 = object(), object()
        r1, r2 = sys.getrefcount(o1), sys.getrefcount(o2)
        res = mod.build(kind, 3, ((0, o1), (1, "x"), (2, o2)), 0)
        assert type(res) is typ and res[0] is o1 and res[1] == "x" and res[2] is o2
        assert sys.getrefcount(o1) == r1 + 1
        del res
        assert sys.getrefcount(o1) == r1
        assert mod.build(kind, 0, (), 0) == typ()
        # cancel releases the items
        assert mod.build(kind, 2, ((0, o1), (1, o2)), 1) is None
        assert (sys.getrefcount(o1), sys.getrefcount(o2)) == (r1, r2)
        assert mod.build(kind, -1, (), 1) is None
        # failed New: Set ignored, Build raises MemoryError
        with pytest.raises(MemoryError):
            mod.build(kind, -1, ((0, o1),), 0)
        with pytest.raises(MemoryError):
            mod.build(kind, sys.maxsize, ((0, o1),), 0)
        assert sys.getrefcount(o1) == r1


@pytest.mark.hpy_rs_only(GUARDS)
def test_builders_guards(hpy_abi, make_module):
    if "debug" not in hpy_abi.split("+"):
        pytest.skip("checks of debug mode only (docs/compat.md)")
    mod = make_module(BUILDERS)
    for kind, typ in ((0, list), (1, tuple)):
        o1, o2 = object(), object()
        r1 = sys.getrefcount(o1)
        # replacing an item releases the previous one
        res = mod.build(kind, 1, ((0, o1), (0, o2)), 0)
        assert res == typ([o2]) and sys.getrefcount(o1) == r1
        del res
        # an item never set
        with pytest.raises(SystemError):
            mod.build(kind, 2, ((0, o1),), 0)
        assert sys.getrefcount(o1) == r1
        gc.collect()
        assert sys.getrefcount(o1) == r1


TRACKER = """
        HPyDef_METH(m_track, "track", HPyFunc_VARARGS)
        static HPy m_track_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            /* track(size, count, forget): adds `count` new refs to args[3] */
            HPyTracker ht = HPyTracker_New(ctx, HPyLong_AsSsize_t(ctx, args[0]));
            long count = HPyLong_AsLong(ctx, args[1]), i;
            if (HPy_IsNull(ht))
                return HPy_NULL;
            for (i = 0; i < count; i++) {
                if (HPyTracker_Add(ctx, ht, HPy_Dup(ctx, args[3])) < 0) {
                    HPyTracker_Close(ctx, ht);
                    return HPy_NULL;
                }
            }
            if (HPyLong_AsLong(ctx, args[2]))
                HPyTracker_ForgetAll(ctx, ht);
            HPyTracker_Close(ctx, ht);
            return HPy_Dup(ctx, ctx->h_None);
        }
        HPyDef_METH(m_fail, "fail", HPyFunc_NOARGS)
        static HPy m_fail_impl(HPyContext *ctx, HPy self)
        {
            HPyTracker ht = HPyTracker_New(ctx, (HPy_ssize_t)1 << 62);
            if (HPy_IsNull(ht))
                return HPy_NULL;
            HPyTracker_Close(ctx, ht);
            return HPy_Dup(ctx, ctx->h_None);
        }
        @EXPORT(m_track)
        @EXPORT(m_fail)
"""


@pytest.mark.hpy_leaks  # ForgetAll leaves the handles open on purpose
def test_tracker(hpy_abi, make_module):
    mod = make_module(TRACKER)
    o = object()
    r = sys.getrefcount(o)
    for size in (0, 1, 3, 100):
        for count in (0, 1, 5, 6, 50):
            mod.track(size, count, 0, o)
            assert sys.getrefcount(o) == r
    mod.track(0, 3, 1, o)
    assert sys.getrefcount(o) == r + 3
    with pytest.raises(MemoryError):
        mod.fail()


@pytest.mark.hpy_rs_only(GUARDS)
def test_tracker_guards(hpy_abi, make_module):
    skip_plain_c_api(hpy_abi)
    mod = make_module(TRACKER)
    o = object()
    r = sys.getrefcount(o)
    for count in (0, 1, 5, 6, 50):
        mod.track(-5, count, 0, o)      # a negative size hint
        assert sys.getrefcount(o) == r


def test_leave_python(make_module):
    mod = make_module("""
        HPyDef_METH(m_sumto, "sumto", HPyFunc_O)
        static HPy m_sumto_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            long n = HPyLong_AsLong(ctx, arg), i, s = 0;
            HPy_BEGIN_LEAVE_PYTHON(ctx)
            for (i = 0; i < n; i++)
                s += i;
            HPy_END_LEAVE_PYTHON(ctx)
            return HPyLong_FromLong(ctx, s);
        }
        @EXPORT(m_sumto)
    """)
    import threading
    out = []
    ts = [threading.Thread(target=lambda: out.append(mod.sumto(100000))) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert out == [sum(range(100000))] * 4


def test_capsule(make_module):
    mod = make_module(TUP_CLOSE + """
        static int destroyed = 0;
        static int payload = 42, other = 7, ctxval = 3;
        static const char *last_name = NULL;
        static void *last_ptr = NULL, *last_ctx = NULL;
        HPyCapsule_DESTRUCTOR(mydestr)
        static void mydestr_impl(const char *name, void *pointer, void *context)
        {
            destroyed++;
            last_name = name; last_ptr = pointer; last_ctx = context;
        }
        HPyDef_METH(m_new, "new", HPyFunc_VARARGS)
        static HPy m_new_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            long mode = HPyLong_AsLong(ctx, args[0]);
            const char *name = mode & 1 ? "mod.cap" : NULL;
            HPyCapsule_Destructor bad = { NULL, NULL };
            if (mode & 4)
                return HPyCapsule_New(ctx, &payload, name, &bad);
            if (mode & 8)
                return HPyCapsule_New(ctx, NULL, name, NULL);
            return HPyCapsule_New(ctx, &payload, name, mode & 2 ? &mydestr : NULL);
        }
        HPyDef_METH(m_info, "info", HPyFunc_O)
        static HPy m_info_impl(HPyContext *ctx, HPy self, HPy cap)
        {
            /* (valid with name "mod.cap", valid with NULL, *pointer, name) */
            int v1 = HPyCapsule_IsValid(ctx, cap, "mod.cap");
            int v2 = HPyCapsule_IsValid(ctx, cap, NULL);
            const char *name = HPyCapsule_GetName(ctx, cap);
            if (name == NULL && HPyErr_Occurred(ctx)) return HPy_NULL;
            int *p = (int *)HPyCapsule_GetPointer(ctx, cap, name);
            if (p == NULL) return HPy_NULL;
            HPy it[4] = {HPyLong_FromLong(ctx, v1), HPyLong_FromLong(ctx, v2), HPyLong_FromLong(ctx, *p), HPyUnicode_FromString(ctx, name)};
            return tup_close(ctx, it, 4);
        }
        HPyDef_METH(m_getptr, "getptr", HPyFunc_VARARGS)
        static HPy m_getptr_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            const char *name = HPy_Is(ctx, args[1], ctx->h_None) ? NULL : HPyUnicode_AsUTF8AndSize(ctx, args[1], NULL);
            int *p = (int *)HPyCapsule_GetPointer(ctx, args[0], name);
            if (p == NULL) return HPy_NULL;
            return HPyLong_FromLong(ctx, *p);
        }
        HPyDef_METH(m_getdestr, "getdestr", HPyFunc_O)
        static HPy m_getdestr_impl(HPyContext *ctx, HPy self, HPy cap)
        {
            void *d = HPyCapsule_Get(ctx, cap, HPyCapsule_key_Destructor, NULL);
            if (d == NULL) return HPy_NULL;
            return HPy_Dup(ctx, ctx->h_None);
        }
        HPyDef_METH(m_setstuff, "setstuff", HPyFunc_VARARGS)
        static HPy m_setstuff_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            HPy cap = args[0];
            long what = HPyLong_AsLong(ctx, args[1]);
            int r;
            HPyCapsule_Destructor bad = { NULL, NULL };
            switch (what) {
            case 0: r = HPyCapsule_SetPointer(ctx, cap, &other); break;
            case 1: r = HPyCapsule_SetPointer(ctx, cap, NULL); break;
            case 2: r = HPyCapsule_SetName(ctx, cap, "renamed"); break;
            case 3: r = HPyCapsule_SetContext(ctx, cap, &ctxval); break;
            case 4: r = HPyCapsule_SetDestructor(ctx, cap, &mydestr); break;
            case 5: r = HPyCapsule_SetDestructor(ctx, cap, NULL); break;
            case 6: r = HPyCapsule_SetDestructor(ctx, cap, &bad); break;
            default: r = 0;
            }
            if (r < 0) return HPy_NULL;
            if (what == 3) {
                int *c = (int *)HPyCapsule_GetContext(ctx, cap);
                return HPyLong_FromLong(ctx, c ? *c : -1);
            }
            return HPy_Dup(ctx, ctx->h_None);
        }
        HPyDef_METH(m_destroyed_info, "destroyed_info", HPyFunc_NOARGS)
        static HPy m_destroyed_info_impl(HPyContext *ctx, HPy self)
        {
            HPy it[4] = {HPyLong_FromLong(ctx, destroyed), HPyUnicode_FromString(ctx, last_name ? last_name : "<null>"),
                         HPyLong_FromLong(ctx, last_ptr ? *(int *)last_ptr : -1), HPyLong_FromLong(ctx, last_ctx ? *(int *)last_ctx : -1)};
            return tup_close(ctx, it, 4);
        }
        @EXPORT(m_new)
        @EXPORT(m_info)
        @EXPORT(m_getptr)
        @EXPORT(m_getdestr)
        @EXPORT(m_setstuff)
        @EXPORT(m_destroyed_info)
    """)
    c = mod.new(1)
    assert type(c).__name__ == "PyCapsule"
    assert mod.info(c) == (1, 0, 42, "mod.cap")
    assert mod.getptr(c, "mod.cap") == 42
    with pytest.raises(ValueError):
        mod.getptr(c, "other")
    with pytest.raises(ValueError):
        mod.getptr(c, None)
    with pytest.raises(ValueError):
        mod.getptr(42, None)
    with pytest.raises(ValueError):
        mod.info(42)
    with pytest.raises(ValueError):
        mod.getdestr(c)
    c0 = mod.new(0)
    assert mod.getptr(c0, None) == 42
    with pytest.raises(ValueError):
        mod.new(4)
    with pytest.raises(ValueError):
        mod.new(8)
    assert mod.setstuff(c0, 0) is None
    assert mod.getptr(c0, None) == 7
    with pytest.raises(ValueError):
        mod.setstuff(c0, 1)
    assert mod.setstuff(c0, 3) == 3
    assert mod.setstuff(c0, 2) is None
    assert mod.getptr(c0, "renamed") == 7
    with pytest.raises(ValueError):
        mod.setstuff(c0, 6)
    with pytest.raises(ValueError):
        mod.setstuff(42, 0)
    # destructors
    n0 = mod.destroyed_info()[0]
    d = mod.new(3)
    del d
    gc.collect()
    assert mod.destroyed_info() == (n0 + 1, "mod.cap", 42, -1)
    assert mod.setstuff(c0, 4) is None
    del c0
    assert mod.destroyed_info() == (n0 + 2, "renamed", 7, 3)
    d = mod.new(3)
    assert mod.setstuff(d, 5) is None
    del d
    assert mod.destroyed_info()[0] == n0 + 2


EVAL = """
        HPyDef_METH(m_compile, "compile", HPyFunc_VARARGS)
        static HPy m_compile_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            return HPy_Compile_s(ctx, HPyUnicode_AsUTF8AndSize(ctx, args[0], NULL),
                                 "<snippet>", (HPy_SourceKind)HPyLong_AsLong(ctx, args[1]));
        }
        HPyDef_METH(m_eval, "eval", HPyFunc_VARARGS)
        static HPy m_eval_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            HPy g = HPy_Is(ctx, args[1], ctx->h_None) ? HPy_NULL : args[1];
            HPy l = n < 3 || HPy_Is(ctx, args[2], ctx->h_None) ? HPy_NULL : args[2];
            return HPy_EvalCode(ctx, args[0], g, l);
        }
        @EXPORT(m_compile)
        @EXPORT(m_eval)
"""


def test_eval(hpy_abi, make_module):
    mod = make_module(EVAL)
    code = mod.compile("1 + x", 0)
    assert code.co_filename == "<snippet>"
    assert mod.eval(code, {"x": 41}) == 42
    assert mod.eval(code, {}, {"x": 1}) == 2
    g = {}
    assert mod.eval(mod.compile("y = len('abc')\ndef f(): return y", 1), g) is None
    assert g["y"] == 3 and g["f"]() == 3
    assert mod.eval(mod.compile("z = 5", 2), g) is None and g["z"] == 5
    with pytest.raises(SyntaxError):
        mod.compile("1 +", 0)
    with pytest.raises(SyntaxError):
        mod.compile("x = 1", 0)
    with pytest.raises(SystemError):
        mod.compile("1", 7)
    with pytest.raises(NameError):
        mod.eval(code, {})
    with pytest.raises(ZeroDivisionError):
        mod.eval(mod.compile("1/0", 0), {})


@pytest.mark.hpy_rs_only(GUARDS)
def test_eval_guards(hpy_abi, make_module):
    skip_plain_c_api(hpy_abi)
    mod = make_module(EVAL)
    code = mod.compile("1 + x", 0)
    with pytest.raises(TypeError):
        mod.eval("1 + 1", {})
    with pytest.raises(TypeError):
        mod.eval(code, None)
    with pytest.raises(TypeError):
        mod.eval(code, [1])
    with pytest.raises(TypeError):
        mod.eval(code, {}, 42)

    def outer():
        a = 1
        def inner():
            return a
        return inner
    with pytest.raises(TypeError):
        mod.eval(outer().__code__, {})


def test_contextvar(make_module):
    mod = make_module("""
        HPyDef_METH(m_new, "new", HPyFunc_VARARGS)
        static HPy m_new_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            return HPyContextVar_New(ctx, HPyUnicode_AsUTF8AndSize(ctx, args[0], NULL), n > 1 ? args[1] : HPy_NULL);
        }
        HPyDef_METH(m_get, "get", HPyFunc_VARARGS)
        static HPy m_get_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            HPy result = HPy_NULL;
            if (HPyContextVar_Get(ctx, args[0], n > 1 ? args[1] : HPy_NULL, &result) < 0)
                return HPy_NULL;
            if (HPy_IsNull(result))
                return HPyUnicode_FromString(ctx, "<no value>");
            return result;
        }
        HPyDef_METH(m_set, "set", HPyFunc_VARARGS)
        static HPy m_set_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
        {
            return HPyContextVar_Set(ctx, args[0], args[1]);
        }
        @EXPORT(m_new)
        @EXPORT(m_get)
        @EXPORT(m_set)
    """)
    v = mod.new("v")
    assert isinstance(v, contextvars.ContextVar) and v.name == "v"
    assert mod.get(v) == "<no value>"
    assert mod.get(v, 5) == 5
    w = mod.new("w", 10)
    assert mod.get(w) == 10 and mod.get(w, 5) == 5

    def run():
        tok = mod.set(v, 3)
        assert isinstance(tok, contextvars.Token)
        assert mod.get(v) == 3 and v.get() == 3
        v.reset(tok)
        return mod.get(v)
    assert contextvars.copy_context().run(run) == "<no value>"
    with pytest.raises(TypeError):
        mod.get(42)
    with pytest.raises(TypeError):
        mod.set(42, 1)


SLICE_UNPACK = TUP_CLOSE + """
        HPyDef_METH(m_unpack, "unpack", HPyFunc_O)
        static HPy m_unpack_impl(HPyContext *ctx, HPy self, HPy s)
        {
            HPy_ssize_t a, b, c;
            if (HPySlice_Unpack(ctx, s, &a, &b, &c) < 0)
                return HPy_NULL;
            HPy it[3] = {HPyLong_FromSsize_t(ctx, a), HPyLong_FromSsize_t(ctx, b), HPyLong_FromSsize_t(ctx, c)};
            return tup_close(ctx, it, 3);
        }
        @EXPORT(m_unpack)
"""


def test_slice_unpack(hpy_abi, make_module):
    mod = make_module(SLICE_UNPACK)
    M = sys.maxsize
    assert mod.unpack(slice(1, 10, 2)) == (1, 10, 2)
    assert mod.unpack(slice(None)) == (0, M, 1)
    assert mod.unpack(slice(None, None, -1)) == (M, -M - 1, -1)
    assert mod.unpack(slice(-10**30, 10**30)) == (-M - 1, M, 1)
    with pytest.raises(ValueError):
        mod.unpack(slice(1, 2, 0))
    with pytest.raises(TypeError):
        mod.unpack(slice("a", 2))


@pytest.mark.hpy_rs_only(GUARDS)
def test_slice_unpack_guards(hpy_abi, make_module):
    skip_plain_c_api(hpy_abi)
    mod = make_module(SLICE_UNPACK)
    with pytest.raises(TypeError):
        mod.unpack(42)


def test_dump(make_module, capfd):
    mod = make_module("""
        HPyDef_METH(m_dump, "dump", HPyFunc_O)
        static HPy m_dump_impl(HPyContext *ctx, HPy self, HPy o)
        {
            _HPy_Dump(ctx, o);
            _HPy_Dump(ctx, HPy_NULL);
            HPyErr_SetString(ctx, ctx->h_KeyError, "pending");
            _HPy_Dump(ctx, o);
            return HPy_NULL;
        }
        @EXPORT(m_dump)
    """)
    class Bad:
        def __repr__(self):
            raise RuntimeError
    with pytest.raises(KeyError, match="pending"):
        mod.dump("hello")
    with pytest.raises(KeyError, match="pending"):
        mod.dump(Bad())
    err = capfd.readouterr().err
    assert "'hello'" in err and "str" in err
    print(err, file=sys.__stdout__)
