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
 * recognises that context once, by its name, and sets _hpy_direct_ctx to
 * it (to NULL under any other: one load and one test pick the path, and the
 * pointer loaded is the context to pass on). Under any other context every
 * trampoline takes the path HPy 0.9.0's ABI prescribes, so a binary built
 * with these headers still runs on any hpy0 runtime. The name must match the
 * one in crates/hpy-runtime/src/context.rs (tests/test_trampolines.py checks
 * it). */
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

/* _HPy_MAKE: a compound literal in C, braces in C++ (which has no compound
   literals; g++ accepts them only as an extension, -pedantic warns). */
#define _HPyUniv_H(o) _HPy_MAKE(HPy, o)
#define _HPyUniv_PY(h) ((cpy_PyObject *)(h)._i)
/* CPython's PY_VECTORCALL_ARGUMENTS_OFFSET, part of its stable ABI. */
#define _HPyUniv_NARGS(nargsf)                                                 \
    ((nargsf) & ~((size_t)1 << (8 * sizeof(size_t) - 1)))

#define _HPyUniv_CALL(SIG, IMPL, ARGS)                                        \
    _ctx_for_trampolines->ctx_CallRealFunctionFromTrampoline(                 \
        _ctx_for_trampolines, (SIG), _HPy_FUNC_CAST(HPyCFunction, IMPL),       \
        (void *)(ARGS))

/* The blocks and trampolines, one per signature, come from the table in
   crates/hpy-codegen/src/hpyfunc_trampolines.rs: each signature's departures
   from the common shape are stated there once, not in copies that drift. */
#include "hpy/autogen/hpyfunc_trampolines.h"

#endif /* HPY_UNIVERSAL_HPYFUNC_TRAMPOLINES_H */
