/*
 * cpython ABI: the context.
 *
 * Nothing is dispatched through it here (every API function is a direct
 * Python.h call), but extension code reads its handle members
 * (ctx->h_None, ctx->h_TypeError, ...) and passes `ctx` around, so the
 * trampolines need one to hand out. Its function pointers stay NULL.
 *
 * One context per translation unit, filled on first use: the handle values
 * are addresses of interpreter globals that are not compile-time constants
 * (the PyExc_* variables), and a per-file static needs no coordination
 * between the files of an extension.
 */
#ifndef HPY_CPYTHON_CONTEXT_H
#define HPY_CPYTHON_CONTEXT_H

static _HPy_UNUSED struct _HPyContext_s _HPyCPy_context;

/* Marked cold so that the compiler keeps it out of line: the fast path of
   _HPyGetContext then stays a load and a test at every trampoline. (Plain
   `static`, without inline, would make gcc emit it at -O0 in every file
   that includes hpy.h.) */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((cold))
#endif
HPyAPI_FUNC void _HPyCPy_context_fill(HPyContext *ctx)
{
    _HPyContext_init_cpython(ctx);
    /* The one handle without a Python.h object: the namespace of the
       builtins module (as the universal runtime gives), which lives as
       long as the interpreter, so the borrowed reference is kept. */
    {
        PyObject *builtins = PyImport_ImportModule("builtins");
        if (builtins != NULL) {
            ctx->h_Builtins = _py2h(PyModule_GetDict(builtins));
            Py_DECREF(builtins);
        } else {
            PyErr_Clear();
            ctx->h_Builtins = HPy_NULL;
        }
    }
    ctx->abi_version = HPY_ABI_VERSION;
    /* `name` last: it is the "already filled" flag. */
    ctx->name = "HPy CPython ABI";
}

HPyAPI_FUNC HPyContext *_HPyGetContext(void)
{
    HPyContext *ctx = &_HPyCPy_context;
    if (_HPy_UNLIKELY(ctx->name == NULL))
        _HPyCPy_context_fill(ctx);
    return ctx;
}

#endif /* HPY_CPYTHON_CONTEXT_H */
