/*
 * cpython ABI: the remaining context members that are more than one
 * Python.h call.
 */
#include "ctx_internal.h"

_HPy_HIDDEN int32_t
ctx_ContextVar_Get(HPyContext *ctx, HPy context_var, HPy default_value,
                   HPy *result)
{
    PyObject *value = NULL;
    int status;
    (void)ctx;
    status = PyContextVar_Get(_h2py(context_var), _h2py(default_value), &value);
    /* on success *result may be HPy_NULL: no value and no default */
    *result = _py2h(value);
    return (int32_t)status;
}

/* In the universal ABI every trampoline enters the runtime through this
   member. Here the trampolines call the implementation directly, so
   reaching it means the extension mixed up its ABIs (e.g. an object file
   built for the universal ABI linked into a cpython one): there is no sane
   way to continue. */
_HPy_HIDDEN void
ctx_CallRealFunctionFromTrampoline(HPyContext *ctx, HPyFunc_Signature sig,
                                   HPyCFunction func, void *args)
{
    char msg[160];
    (void)ctx;
    (void)func;
    (void)args;
    PyOS_snprintf(msg, sizeof(msg),
                  "HPy: _HPy_CallRealFunctionFromTrampoline called in the "
                  "cpython ABI (signature %d); trampolines of this ABI call "
                  "their implementation directly", (int)sig);
    Py_FatalError(msg);
}
