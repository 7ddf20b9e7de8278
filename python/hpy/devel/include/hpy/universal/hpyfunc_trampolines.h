/*
 * Universal and hybrid ABIs: the functions CPython (or any runtime with a
 * CPython-compatible object model) calls for methods and slots.
 *
 * A trampoline does no work of its own. It packs the C arguments it was
 * called with into an argument block, `_HPyFunc_args_<SIG>`, and hands the
 * block, the signature number and the real implementation to the runtime
 * (ctx_CallRealFunctionFromTrampoline). The runtime converts the arguments
 * to handles, calls the implementation, converts the result back and stores
 * it in `result`. Both the C signature of each trampoline and the layout of
 * each block are therefore part of the binary interface: a runtime written
 * against HPy 0.9.0 reads these blocks field by field.
 *
 * The context used is the one the runtime gave the module at load time
 * (HPyInitGlobalContext_<name>, see hpy/universal/modinit.h).
 */
#ifndef HPY_UNIVERSAL_HPYFUNC_TRAMPOLINES_H
#define HPY_UNIVERSAL_HPYFUNC_TRAMPOLINES_H

/* The direct path. The universal context of hpy-rs (and only that one: not
 * its debug or trace contexts, nor any other runtime) makes a handle the
 * object pointer itself and converts nothing for the signatures below, so
 * their trampolines may call the implementation without the round trip
 * through the runtime: this is what brings calls from Python into universal
 * modules to the cost of the cpython ABI. HPyInitGlobalContext_NAME
 * recognises that context once, by its name, and sets
 * _hpy_direct_trampolines; under any other context every trampoline takes
 * the path HPy 0.9.0's ABI prescribes, so a binary built with these headers
 * still runs on any hpy0 runtime. The name must match the one in
 * crates/hpy-runtime/src/context.rs (tests/test_trampolines.py checks it). */
#define _HPY_RS_DIRECT_CONTEXT_NAME "HPy Universal ABI (hpy-rs)"

static inline int _HPyUniv_IsDirectContext(const char *name)
{
    const char *expected = _HPY_RS_DIRECT_CONTEXT_NAME;
    if (name == NULL)
        return 0;
    while (*name != '\0' && *name == *expected) {
        name++;
        expected++;
    }
    return *name == *expected;
}

#define _HPyUniv_DIRECT _HPy_LIKELY(_hpy_direct_trampolines)
#define _HPyUniv_H(o) ((HPy){ (intptr_t)(o) })
#define _HPyUniv_PY(h) ((cpy_PyObject *)(h)._i)
#define _HPyUniv_CTX _ctx_for_trampolines
/* CPython's PY_VECTORCALL_ARGUMENTS_OFFSET, part of its stable ABI. */
#define _HPyUniv_NARGS(nargsf)                                                 \
    ((nargsf) & ~((size_t)1 << (8 * sizeof(size_t) - 1)))

#define _HPyUniv_CALL(SIG, IMPL, ARGS)                                        \
    _ctx_for_trampolines->ctx_CallRealFunctionFromTrampoline(                 \
        _ctx_for_trampolines, (SIG), _HPy_FUNC_CAST(HPyCFunction, IMPL),       \
        (void *)(ARGS))

/* ---- methods ---------------------------------------------------------------
   VARARGS and KEYWORDS use CPython's vectorcall conventions, so the argument
   array is passed through untouched. KEYWORDS also serves tp_call and
   HPyCallFunction, which CPython invokes as a vectorcall: `nargsf` may then
   carry PY_VECTORCALL_ARGUMENTS_OFFSET, and the runtime masks it. */

typedef struct {
    cpy_PyObject *self;
    cpy_PyObject *const *args;
    HPy_ssize_t nargs;
    cpy_PyObject *result;
} _HPyFunc_args_VARARGS;
#define _HPyFuncTramp_HPyFunc_VARARGS(SYM, IMPL)                              \
    static cpy_PyObject *SYM(cpy_PyObject *self, cpy_PyObject *const *args,   \
                             HPy_ssize_t nargs)                               \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(self),           \
                                    (const HPy *)args, (size_t)nargs));       \
        _HPyFunc_args_VARARGS a = { self, args, nargs, 0 };                   \
        _HPyUniv_CALL(HPyFunc_VARARGS, IMPL, &a);                             \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *self;
    cpy_PyObject *const *args;
    size_t nargsf;
    cpy_PyObject *kwnames;
    cpy_PyObject *result;
} _HPyFunc_args_KEYWORDS;
#define _HPyFuncTramp_HPyFunc_KEYWORDS(SYM, IMPL)                             \
    static cpy_PyObject *SYM(cpy_PyObject *self, cpy_PyObject *const *args,   \
                             size_t nargsf, cpy_PyObject *kwnames)            \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(self),           \
                                    (const HPy *)args,                        \
                                    _HPyUniv_NARGS(nargsf),                   \
                                    _HPyUniv_H(kwnames)));                    \
        _HPyFunc_args_KEYWORDS a = { self, args, nargsf, kwnames, 0 };        \
        _HPyUniv_CALL(HPyFunc_KEYWORDS, IMPL, &a);                            \
        return a.result;                                                      \
    }

/* ---- construction: tp_new and tp_init get a tuple and a dict ------------- */

typedef struct {
    cpy_PyObject *self;
    cpy_PyObject *args;
    cpy_PyObject *kw;
    int result;
} _HPyFunc_args_INITPROC;
#define _HPyFuncTramp_HPyFunc_INITPROC(SYM, IMPL)                             \
    static int SYM(cpy_PyObject *self, cpy_PyObject *args, cpy_PyObject *kw)  \
    {                                                                         \
        _HPyFunc_args_INITPROC a = { self, args, kw, 0 };                     \
        _HPyUniv_CALL(HPyFunc_INITPROC, IMPL, &a);                            \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *self;
    cpy_PyObject *args;
    cpy_PyObject *kw;
    cpy_PyObject *result;
} _HPyFunc_args_NEWFUNC;
#define _HPyFuncTramp_HPyFunc_NEWFUNC(SYM, IMPL)                              \
    static cpy_PyObject *SYM(cpy_PyObject *self, cpy_PyObject *args,          \
                             cpy_PyObject *kw)                                \
    {                                                                         \
        _HPyFunc_args_NEWFUNC a = { self, args, kw, 0 };                      \
        _HPyUniv_CALL(HPyFunc_NEWFUNC, IMPL, &a);                             \
        return a.result;                                                      \
    }

/* ---- slots whose C shape differs from the HPy one ------------------------ */

/* CPython passes the comparison as an int; the block stores it already
   converted to the enum the implementation receives. */
typedef struct {
    cpy_PyObject *arg0;
    cpy_PyObject *arg1;
    HPy_RichCmpOp arg2;
    cpy_PyObject *result;
} _HPyFunc_args_RICHCMPFUNC;
#define _HPyFuncTramp_HPyFunc_RICHCMPFUNC(SYM, IMPL)                          \
    static cpy_PyObject *SYM(cpy_PyObject *arg0, cpy_PyObject *arg1, int op)  \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0),           \
                                    _HPyUniv_H(arg1), (HPy_RichCmpOp)op));    \
        _HPyFunc_args_RICHCMPFUNC a = { arg0, arg1, (HPy_RichCmpOp)op, 0 };   \
        _HPyUniv_CALL(HPyFunc_RICHCMPFUNC, IMPL, &a);                         \
        return a.result;                                                      \
    }

/* The runtime translates between CPython's Py_buffer and HPy_buffer. */
typedef struct {
    cpy_PyObject *self;
    cpy_Py_buffer *view;
    int flags;
    int result;
} _HPyFunc_args_GETBUFFERPROC;
#define _HPyFuncTramp_HPyFunc_GETBUFFERPROC(SYM, IMPL)                        \
    static int SYM(cpy_PyObject *self, cpy_Py_buffer *view, int flags)        \
    {                                                                         \
        _HPyFunc_args_GETBUFFERPROC a = { self, view, flags, 0 };             \
        _HPyUniv_CALL(HPyFunc_GETBUFFERPROC, IMPL, &a);                       \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *self;
    cpy_Py_buffer *view;
} _HPyFunc_args_RELEASEBUFFERPROC;
#define _HPyFuncTramp_HPyFunc_RELEASEBUFFERPROC(SYM, IMPL)                    \
    static void SYM(cpy_PyObject *self, cpy_Py_buffer *view)                  \
    {                                                                         \
        _HPyFunc_args_RELEASEBUFFERPROC a = { self, view };                   \
        _HPyUniv_CALL(HPyFunc_RELEASEBUFFERPROC, IMPL, &a);                   \
    }

/* The runtime finds the object's struct and wraps CPython's visitor in one
   that takes HPyField pointers. */
typedef struct {
    cpy_PyObject *self;
    cpy_visitproc visit;
    void *arg;
    int result;
} _HPyFunc_args_TRAVERSEPROC;
#define _HPyFuncTramp_HPyFunc_TRAVERSEPROC(SYM, IMPL)                         \
    static int SYM(cpy_PyObject *self, cpy_visitproc visit, void *arg)        \
    {                                                                         \
        _HPyFunc_args_TRAVERSEPROC a = { self, visit, arg, 0 };               \
        _HPyUniv_CALL(HPyFunc_TRAVERSEPROC, IMPL, &a);                        \
        return a.result;                                                      \
    }

/* HPy_tp_destroy has no CPython slot: the runtime calls the implementation
   itself from the type's deallocator, so nothing ever calls this
   trampoline. It exists only because every HPyDef_SLOT names one. */
#define _HPyFuncTramp_HPyFunc_DESTROYFUNC(SYM, IMPL)                          \
    static void SYM(void) { abort(); }

/* Py_mod_create: (spec, def) -> module. The PyModuleDef is CPython's, not
   ours, so it is not passed on. */
typedef struct {
    cpy_PyObject *spec;
    cpy_PyObject *result;
} _HPyFunc_args_MOD_CREATE;
#define _HPyFuncTramp_HPyFunc_MOD_CREATE(SYM, IMPL)                           \
    static cpy_PyObject *SYM(cpy_PyObject *spec, cpy_PyModuleDef *def)        \
    {                                                                         \
        _HPyFunc_args_MOD_CREATE a = { spec, 0 };                             \
        (void)def;                                                            \
        _HPyUniv_CALL(HPyFunc_MOD_CREATE, IMPL, &a);                          \
        return a.result;                                                      \
    }

/* A capsule destructor has no argument block: the capsule itself is the
   argument, and the runtime reads name, pointer and context from it. */
#define HPyCapsule_DESTRUCTOR_TRAMPOLINE(SYM, IMPL)                           \
    static void SYM(cpy_PyObject *capsule)                                    \
    {                                                                         \
        _HPyUniv_CALL(HPyFunc_CAPSULE_DESTRUCTOR, IMPL, capsule);             \
    }

/* ---- all other signatures: positional arguments in, one result out ------- */

typedef struct {
    cpy_PyObject *self;
    cpy_PyObject *result;
} _HPyFunc_args_NOARGS;
#define _HPyFuncTramp_HPyFunc_NOARGS(SYM, IMPL)                               \
    static cpy_PyObject *SYM(cpy_PyObject *self)                              \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(self)));         \
        _HPyFunc_args_NOARGS a = { self, 0 };                                 \
        _HPyUniv_CALL(HPyFunc_NOARGS, IMPL, &a);                              \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *self;
    cpy_PyObject *arg;
    cpy_PyObject *result;
} _HPyFunc_args_O;
#define _HPyFuncTramp_HPyFunc_O(SYM, IMPL)                                    \
    static cpy_PyObject *SYM(cpy_PyObject *self, cpy_PyObject *arg)           \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(self),           \
                                    _HPyUniv_H(arg)));                        \
        _HPyFunc_args_O a = { self, arg, 0 };                                 \
        _HPyUniv_CALL(HPyFunc_O, IMPL, &a);                                   \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    cpy_PyObject *result;
} _HPyFunc_args_UNARYFUNC;
#define _HPyFuncTramp_HPyFunc_UNARYFUNC(SYM, IMPL)                            \
    static cpy_PyObject *SYM(cpy_PyObject *arg0)                              \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0)));         \
        _HPyFunc_args_UNARYFUNC a = { arg0, 0 };                              \
        _HPyUniv_CALL(HPyFunc_UNARYFUNC, IMPL, &a);                           \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    cpy_PyObject *arg1;
    cpy_PyObject *result;
} _HPyFunc_args_BINARYFUNC;
#define _HPyFuncTramp_HPyFunc_BINARYFUNC(SYM, IMPL)                           \
    static cpy_PyObject *SYM(cpy_PyObject *arg0, cpy_PyObject *arg1)          \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0),           \
                                    _HPyUniv_H(arg1)));                       \
        _HPyFunc_args_BINARYFUNC a = { arg0, arg1, 0 };                       \
        _HPyUniv_CALL(HPyFunc_BINARYFUNC, IMPL, &a);                          \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    cpy_PyObject *arg1;
    cpy_PyObject *arg2;
    cpy_PyObject *result;
} _HPyFunc_args_TERNARYFUNC;
#define _HPyFuncTramp_HPyFunc_TERNARYFUNC(SYM, IMPL)                          \
    static cpy_PyObject *SYM(cpy_PyObject *arg0, cpy_PyObject *arg1,          \
                             cpy_PyObject *arg2)                              \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0),           \
                                    _HPyUniv_H(arg1), _HPyUniv_H(arg2)));     \
        _HPyFunc_args_TERNARYFUNC a = { arg0, arg1, arg2, 0 };                \
        _HPyUniv_CALL(HPyFunc_TERNARYFUNC, IMPL, &a);                         \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    int result;
} _HPyFunc_args_INQUIRY;
#define _HPyFuncTramp_HPyFunc_INQUIRY(SYM, IMPL)                              \
    static int SYM(cpy_PyObject *arg0)                                        \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0));                      \
        _HPyFunc_args_INQUIRY a = { arg0, 0 };                                \
        _HPyUniv_CALL(HPyFunc_INQUIRY, IMPL, &a);                             \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    HPy_ssize_t result;
} _HPyFunc_args_LENFUNC;
#define _HPyFuncTramp_HPyFunc_LENFUNC(SYM, IMPL)                              \
    static HPy_ssize_t SYM(cpy_PyObject *arg0)                                \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0));                      \
        _HPyFunc_args_LENFUNC a = { arg0, 0 };                                \
        _HPyUniv_CALL(HPyFunc_LENFUNC, IMPL, &a);                             \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    HPy_ssize_t arg1;
    cpy_PyObject *result;
} _HPyFunc_args_SSIZEARGFUNC;
#define _HPyFuncTramp_HPyFunc_SSIZEARGFUNC(SYM, IMPL)                         \
    static cpy_PyObject *SYM(cpy_PyObject *arg0, HPy_ssize_t arg1)            \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0), arg1));   \
        _HPyFunc_args_SSIZEARGFUNC a = { arg0, arg1, 0 };                     \
        _HPyUniv_CALL(HPyFunc_SSIZEARGFUNC, IMPL, &a);                        \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    HPy_ssize_t arg1;
    HPy_ssize_t arg2;
    cpy_PyObject *result;
} _HPyFunc_args_SSIZESSIZEARGFUNC;
#define _HPyFuncTramp_HPyFunc_SSIZESSIZEARGFUNC(SYM, IMPL)                    \
    static cpy_PyObject *SYM(cpy_PyObject *arg0, HPy_ssize_t arg1,            \
                             HPy_ssize_t arg2)                                \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0), arg1,     \
                                    arg2));                                   \
        _HPyFunc_args_SSIZESSIZEARGFUNC a = { arg0, arg1, arg2, 0 };          \
        _HPyUniv_CALL(HPyFunc_SSIZESSIZEARGFUNC, IMPL, &a);                   \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    HPy_ssize_t arg1;
    cpy_PyObject *arg2;
    int result;
} _HPyFunc_args_SSIZEOBJARGPROC;
#define _HPyFuncTramp_HPyFunc_SSIZEOBJARGPROC(SYM, IMPL)                      \
    static int SYM(cpy_PyObject *arg0, HPy_ssize_t arg1, cpy_PyObject *arg2)  \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0), arg1,                 \
                        _HPyUniv_H(arg2));                                    \
        _HPyFunc_args_SSIZEOBJARGPROC a = { arg0, arg1, arg2, 0 };            \
        _HPyUniv_CALL(HPyFunc_SSIZEOBJARGPROC, IMPL, &a);                     \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    HPy_ssize_t arg1;
    HPy_ssize_t arg2;
    cpy_PyObject *arg3;
    int result;
} _HPyFunc_args_SSIZESSIZEOBJARGPROC;
#define _HPyFuncTramp_HPyFunc_SSIZESSIZEOBJARGPROC(SYM, IMPL)                 \
    static int SYM(cpy_PyObject *arg0, HPy_ssize_t arg1, HPy_ssize_t arg2,    \
                   cpy_PyObject *arg3)                                        \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0), arg1, arg2,           \
                        _HPyUniv_H(arg3));                                    \
        _HPyFunc_args_SSIZESSIZEOBJARGPROC a = { arg0, arg1, arg2, arg3, 0 }; \
        _HPyUniv_CALL(HPyFunc_SSIZESSIZEOBJARGPROC, IMPL, &a);                \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    cpy_PyObject *arg1;
    cpy_PyObject *arg2;
    int result;
} _HPyFunc_args_OBJOBJARGPROC;
#define _HPyFuncTramp_HPyFunc_OBJOBJARGPROC(SYM, IMPL)                        \
    static int SYM(cpy_PyObject *arg0, cpy_PyObject *arg1,                    \
                   cpy_PyObject *arg2)                                        \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0), _HPyUniv_H(arg1),     \
                        _HPyUniv_H(arg2));                                    \
        _HPyFunc_args_OBJOBJARGPROC a = { arg0, arg1, arg2, 0 };              \
        _HPyUniv_CALL(HPyFunc_OBJOBJARGPROC, IMPL, &a);                       \
        return a.result;                                                      \
    }

typedef struct {
    void *arg0;
} _HPyFunc_args_FREEFUNC;
#define _HPyFuncTramp_HPyFunc_FREEFUNC(SYM, IMPL)                             \
    static void SYM(void *arg0)                                               \
    {                                                                         \
        _HPyFunc_args_FREEFUNC a = { arg0 };                                  \
        _HPyUniv_CALL(HPyFunc_FREEFUNC, IMPL, &a);                            \
    }

typedef struct {
    cpy_PyObject *arg0;
    char *arg1;
    cpy_PyObject *result;
} _HPyFunc_args_GETATTRFUNC;
#define _HPyFuncTramp_HPyFunc_GETATTRFUNC(SYM, IMPL)                          \
    static cpy_PyObject *SYM(cpy_PyObject *arg0, char *arg1)                  \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0), arg1));   \
        _HPyFunc_args_GETATTRFUNC a = { arg0, arg1, 0 };                      \
        _HPyUniv_CALL(HPyFunc_GETATTRFUNC, IMPL, &a);                         \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    cpy_PyObject *arg1;
    cpy_PyObject *result;
} _HPyFunc_args_GETATTROFUNC;
#define _HPyFuncTramp_HPyFunc_GETATTROFUNC(SYM, IMPL)                         \
    static cpy_PyObject *SYM(cpy_PyObject *arg0, cpy_PyObject *arg1)          \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0),           \
                                    _HPyUniv_H(arg1)));                       \
        _HPyFunc_args_GETATTROFUNC a = { arg0, arg1, 0 };                     \
        _HPyUniv_CALL(HPyFunc_GETATTROFUNC, IMPL, &a);                        \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    char *arg1;
    cpy_PyObject *arg2;
    int result;
} _HPyFunc_args_SETATTRFUNC;
#define _HPyFuncTramp_HPyFunc_SETATTRFUNC(SYM, IMPL)                          \
    static int SYM(cpy_PyObject *arg0, char *arg1, cpy_PyObject *arg2)        \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0), arg1,                 \
                        _HPyUniv_H(arg2));                                    \
        _HPyFunc_args_SETATTRFUNC a = { arg0, arg1, arg2, 0 };                \
        _HPyUniv_CALL(HPyFunc_SETATTRFUNC, IMPL, &a);                         \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    cpy_PyObject *arg1;
    cpy_PyObject *arg2;
    int result;
} _HPyFunc_args_SETATTROFUNC;
#define _HPyFuncTramp_HPyFunc_SETATTROFUNC(SYM, IMPL)                         \
    static int SYM(cpy_PyObject *arg0, cpy_PyObject *arg1,                    \
                   cpy_PyObject *arg2)                                        \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0), _HPyUniv_H(arg1),     \
                        _HPyUniv_H(arg2));                                    \
        _HPyFunc_args_SETATTROFUNC a = { arg0, arg1, arg2, 0 };               \
        _HPyUniv_CALL(HPyFunc_SETATTROFUNC, IMPL, &a);                        \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    cpy_PyObject *result;
} _HPyFunc_args_REPRFUNC;
#define _HPyFuncTramp_HPyFunc_REPRFUNC(SYM, IMPL)                             \
    static cpy_PyObject *SYM(cpy_PyObject *arg0)                              \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0)));         \
        _HPyFunc_args_REPRFUNC a = { arg0, 0 };                               \
        _HPyUniv_CALL(HPyFunc_REPRFUNC, IMPL, &a);                            \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    HPy_hash_t result;
} _HPyFunc_args_HASHFUNC;
#define _HPyFuncTramp_HPyFunc_HASHFUNC(SYM, IMPL)                             \
    static HPy_hash_t SYM(cpy_PyObject *arg0)                                 \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0));                      \
        _HPyFunc_args_HASHFUNC a = { arg0, 0 };                               \
        _HPyUniv_CALL(HPyFunc_HASHFUNC, IMPL, &a);                            \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    cpy_PyObject *result;
} _HPyFunc_args_GETITERFUNC;
#define _HPyFuncTramp_HPyFunc_GETITERFUNC(SYM, IMPL)                          \
    static cpy_PyObject *SYM(cpy_PyObject *arg0)                              \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0)));         \
        _HPyFunc_args_GETITERFUNC a = { arg0, 0 };                            \
        _HPyUniv_CALL(HPyFunc_GETITERFUNC, IMPL, &a);                         \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    cpy_PyObject *result;
} _HPyFunc_args_ITERNEXTFUNC;
#define _HPyFuncTramp_HPyFunc_ITERNEXTFUNC(SYM, IMPL)                         \
    static cpy_PyObject *SYM(cpy_PyObject *arg0)                              \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0)));         \
        _HPyFunc_args_ITERNEXTFUNC a = { arg0, 0 };                           \
        _HPyUniv_CALL(HPyFunc_ITERNEXTFUNC, IMPL, &a);                        \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    cpy_PyObject *arg1;
    cpy_PyObject *arg2;
    cpy_PyObject *result;
} _HPyFunc_args_DESCRGETFUNC;
#define _HPyFuncTramp_HPyFunc_DESCRGETFUNC(SYM, IMPL)                         \
    static cpy_PyObject *SYM(cpy_PyObject *arg0, cpy_PyObject *arg1,          \
                             cpy_PyObject *arg2)                              \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0),           \
                                    _HPyUniv_H(arg1), _HPyUniv_H(arg2)));     \
        _HPyFunc_args_DESCRGETFUNC a = { arg0, arg1, arg2, 0 };               \
        _HPyUniv_CALL(HPyFunc_DESCRGETFUNC, IMPL, &a);                        \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    cpy_PyObject *arg1;
    cpy_PyObject *arg2;
    int result;
} _HPyFunc_args_DESCRSETFUNC;
#define _HPyFuncTramp_HPyFunc_DESCRSETFUNC(SYM, IMPL)                         \
    static int SYM(cpy_PyObject *arg0, cpy_PyObject *arg1,                    \
                   cpy_PyObject *arg2)                                        \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0), _HPyUniv_H(arg1),     \
                        _HPyUniv_H(arg2));                                    \
        _HPyFunc_args_DESCRSETFUNC a = { arg0, arg1, arg2, 0 };               \
        _HPyUniv_CALL(HPyFunc_DESCRSETFUNC, IMPL, &a);                        \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    void *arg1;
    cpy_PyObject *result;
} _HPyFunc_args_GETTER;
#define _HPyFuncTramp_HPyFunc_GETTER(SYM, IMPL)                               \
    static cpy_PyObject *SYM(cpy_PyObject *arg0, void *arg1)                  \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return _HPyUniv_PY(IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0), arg1));   \
        _HPyFunc_args_GETTER a = { arg0, arg1, 0 };                           \
        _HPyUniv_CALL(HPyFunc_GETTER, IMPL, &a);                              \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    cpy_PyObject *arg1;
    void *arg2;
    int result;
} _HPyFunc_args_SETTER;
#define _HPyFuncTramp_HPyFunc_SETTER(SYM, IMPL)                               \
    static int SYM(cpy_PyObject *arg0, cpy_PyObject *arg1, void *arg2)        \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0), _HPyUniv_H(arg1),     \
                        arg2);                                                \
        _HPyFunc_args_SETTER a = { arg0, arg1, arg2, 0 };                     \
        _HPyUniv_CALL(HPyFunc_SETTER, IMPL, &a);                              \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
    cpy_PyObject *arg1;
    int result;
} _HPyFunc_args_OBJOBJPROC;
#define _HPyFuncTramp_HPyFunc_OBJOBJPROC(SYM, IMPL)                           \
    static int SYM(cpy_PyObject *arg0, cpy_PyObject *arg1)                    \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            return IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0), _HPyUniv_H(arg1));    \
        _HPyFunc_args_OBJOBJPROC a = { arg0, arg1, 0 };                       \
        _HPyUniv_CALL(HPyFunc_OBJOBJPROC, IMPL, &a);                          \
        return a.result;                                                      \
    }

typedef struct {
    cpy_PyObject *arg0;
} _HPyFunc_args_DESTRUCTOR;
#define _HPyFuncTramp_HPyFunc_DESTRUCTOR(SYM, IMPL)                           \
    static void SYM(cpy_PyObject *arg0)                                       \
    {                                                                         \
        if (_HPyUniv_DIRECT)                                                  \
            { IMPL(_HPyUniv_CTX, _HPyUniv_H(arg0)); return; }                 \
        _HPyFunc_args_DESTRUCTOR a = { arg0 };                                \
        _HPyUniv_CALL(HPyFunc_DESTRUCTOR, IMPL, &a);                          \
    }

#endif /* HPY_UNIVERSAL_HPYFUNC_TRAMPOLINES_H */
