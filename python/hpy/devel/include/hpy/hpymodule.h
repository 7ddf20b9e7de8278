/*
 * Modules: HPyModuleDef, and HPy_MODINIT, which exports the entry points
 * through which a runtime (or CPython itself, in the cpython ABI) finds the
 * definition.
 *
 * HPy only has multi-phase initialization (PEP 489): the module's name
 * comes from its spec at import time, and code that must run on import goes
 * into an HPy_mod_exec slot.
 */
#ifndef HPY_HPYMODULE_H
#define HPY_HPYMODULE_H

typedef struct {
    const char *doc;                   /* UTF-8, may be NULL */
    /* Bytes of per-module state; 0 for none. Negative is an error (unlike
       CPython, where it means "no sub-interpreter support"). */
    HPy_ssize_t size;
    cpy_PyMethodDef *legacy_methods;   /* NULL-terminated PyMethodDef[] (hybrid) */
    HPyDef **defines;                  /* NULL-terminated; methods and module slots */
    HPyGlobal **globals;               /* NULL-terminated; the runtime resets them */
} HPyModuleDef;

/* The context the trampolines of the universal/hybrid ABI pass to the
   runtime. HPy_MODINIT defines it and the runtime sets it when it loads the
   module, before any trampoline can run.
 *
 * Normally it is one hidden symbol shared by all files of the extension.
 * Linking several HPy modules into one binary (HPY_EMBEDDED_MODULES) needs
 * one per module instead: then each module must keep all of its HPyDefs in
 * the file with its HPy_MODINIT and say HPY_MOD_EMBEDDABLE(name) before
 * them, which gives that file a private copy. */
#ifdef HPY_EMBEDDED_MODULES
#  define _HPy_CTX_MODIFIER static
#  define HPY_MOD_EMBEDDABLE(modname) \
     _HPy_UNUSED _HPy_CTX_MODIFIER HPyContext *_ctx_for_trampolines; \
     _HPy_UNUSED _HPy_CTX_MODIFIER HPyContext *_hpy_direct_ctx;
#else
#  define _HPy_CTX_MODIFIER _HPy_HIDDEN
#  define HPY_MOD_EMBEDDABLE(modname)
extern _HPy_HIDDEN HPyContext *_ctx_for_trampolines;
extern _HPy_HIDDEN HPyContext *_hpy_direct_ctx;
#endif

#ifdef HPY_ABI_CPYTHON
#  include "hpy/cpython/modinit.h"
#else
#  include "hpy/universal/modinit.h"
#endif

#endif /* HPY_HPYMODULE_H */
