/*
 * C signatures of the functions an extension hands to HPy (methods, slots,
 * getters, ...), and the two macros that turn an implementation into
 * something CPython can call:
 *
 *   HPyFunc_DECLARE(SYM, SIG)          forward declaration of SYM with the
 *                                      signature SIG
 *   HPyFunc_TRAMPOLINE(SYM, IMPL, SIG) a C function SYM with CPython's
 *                                      calling convention for SIG, which
 *                                      calls IMPL
 *
 * The trampolines differ per ABI (hpy/universal/hpyfunc_trampolines.h goes
 * through the runtime; hpy/cpython/hpyfunc_trampolines.h calls IMPL
 * directly); everything else here is shared.
 */
#ifndef HPY_HPYFUNC_H
#define HPY_HPYFUNC_H

/* Part of the binary interface: the runtime receives these numbers in
   HPyMeth.signature and in every trampoline call. */
typedef enum {
    HPyFunc_VARARGS = 1,   /* (self, args[], nargs)            like METH_FASTCALL */
    HPyFunc_KEYWORDS = 2,  /* (self, args[], nargs, kwnames)   METH_FASTCALL|METH_KEYWORDS */
    HPyFunc_NOARGS = 3,    /* (self)                           METH_NOARGS */
    HPyFunc_O = 4,         /* (self, arg)                      METH_O */

    HPyFunc_DESTROYFUNC = 5,
    HPyFunc_GETBUFFERPROC = 6,
    HPyFunc_RELEASEBUFFERPROC = 7,
    HPyFunc_UNARYFUNC = 8,
    HPyFunc_BINARYFUNC = 9,
    HPyFunc_TERNARYFUNC = 10,
    HPyFunc_INQUIRY = 11,
    HPyFunc_LENFUNC = 12,
    HPyFunc_SSIZEARGFUNC = 13,
    HPyFunc_SSIZESSIZEARGFUNC = 14,
    HPyFunc_SSIZEOBJARGPROC = 15,
    HPyFunc_SSIZESSIZEOBJARGPROC = 16,
    HPyFunc_OBJOBJARGPROC = 17,
    HPyFunc_FREEFUNC = 18,
    HPyFunc_GETATTRFUNC = 19,
    HPyFunc_GETATTROFUNC = 20,
    HPyFunc_SETATTRFUNC = 21,
    HPyFunc_SETATTROFUNC = 22,
    HPyFunc_REPRFUNC = 23,
    HPyFunc_HASHFUNC = 24,
    HPyFunc_RICHCMPFUNC = 25,
    HPyFunc_GETITERFUNC = 26,
    HPyFunc_ITERNEXTFUNC = 27,
    HPyFunc_DESCRGETFUNC = 28,
    HPyFunc_DESCRSETFUNC = 29,
    HPyFunc_INITPROC = 30,
    HPyFunc_NEWFUNC = 31,
    HPyFunc_GETTER = 32,
    HPyFunc_SETTER = 33,
    HPyFunc_OBJOBJPROC = 34,
    HPyFunc_TRAVERSEPROC = 35,
    HPyFunc_DESTRUCTOR = 36,
    HPyFunc_CAPSULE_DESTRUCTOR = 37,
    HPyFunc_VECTORCALLFUNC = 38,

    HPyFunc_MOD_CREATE = 39,
} HPyFunc_Signature;

/* What a getbuffer slot fills in. Field for field the same as CPython's
   Py_buffer (with HPy in place of PyObject*), which the cpython ABI relies on
   to hand CPython's struct over without copying. */
typedef struct {
    void *buf;
    HPy obj;                  /* owned: closed when the buffer is released */
    HPy_ssize_t len;
    HPy_ssize_t itemsize;
    int readonly;
    int ndim;
    char *format;
    HPy_ssize_t *shape;
    HPy_ssize_t *strides;
    HPy_ssize_t *suboffsets;
    void *internal;
} HPy_buffer;

/* The visitor a tp_traverse implementation receives: it is handed the
   address of each HPyField of the object. */
typedef int (*HPyFunc_visitproc)(HPyField *, void *);

/* For tp_traverse implementations whose parameters are named `visit` and
   `arg`: visit one field, skipping empty ones, and stop at the first
   non-zero result. */
#define HPy_VISIT(hpyfield)                                                  \
    do {                                                                     \
        HPyField *_hpy_vf = (hpyfield);                                      \
        if (!HPyField_IsNull(*_hpy_vf)) {                                    \
            int _hpy_vr = visit(_hpy_vf, arg);                               \
            if (_hpy_vr != 0)                                                \
                return _hpy_vr;                                              \
        }                                                                    \
    } while (0)

/* ---- one typedef per signature ------------------------------------------- */

typedef HPy (*HPyFunc_noargs)(HPyContext *ctx, HPy self);
typedef HPy (*HPyFunc_o)(HPyContext *ctx, HPy self, HPy arg);
typedef HPy (*HPyFunc_varargs)(HPyContext *ctx, HPy self, const HPy *args, size_t nargs);
typedef HPy (*HPyFunc_keywords)(HPyContext *ctx, HPy self, const HPy *args, size_t nargs,
                                HPy kwnames);
typedef HPy (*HPyFunc_unaryfunc)(HPyContext *ctx, HPy a);
typedef HPy (*HPyFunc_binaryfunc)(HPyContext *ctx, HPy a, HPy b);
typedef HPy (*HPyFunc_ternaryfunc)(HPyContext *ctx, HPy a, HPy b, HPy c);
typedef int (*HPyFunc_inquiry)(HPyContext *ctx, HPy a);
typedef HPy_ssize_t (*HPyFunc_lenfunc)(HPyContext *ctx, HPy a);
typedef HPy (*HPyFunc_ssizeargfunc)(HPyContext *ctx, HPy a, HPy_ssize_t i);
typedef HPy (*HPyFunc_ssizessizeargfunc)(HPyContext *ctx, HPy a, HPy_ssize_t i, HPy_ssize_t j);
typedef int (*HPyFunc_ssizeobjargproc)(HPyContext *ctx, HPy a, HPy_ssize_t i, HPy v);
typedef int (*HPyFunc_ssizessizeobjargproc)(HPyContext *ctx, HPy a, HPy_ssize_t i,
                                            HPy_ssize_t j, HPy v);
typedef int (*HPyFunc_objobjargproc)(HPyContext *ctx, HPy a, HPy b, HPy c);
typedef void (*HPyFunc_freefunc)(HPyContext *ctx, void *p);
typedef HPy (*HPyFunc_getattrfunc)(HPyContext *ctx, HPy a, char *name);
typedef HPy (*HPyFunc_getattrofunc)(HPyContext *ctx, HPy a, HPy name);
typedef int (*HPyFunc_setattrfunc)(HPyContext *ctx, HPy a, char *name, HPy v);
typedef int (*HPyFunc_setattrofunc)(HPyContext *ctx, HPy a, HPy name, HPy v);
typedef HPy (*HPyFunc_reprfunc)(HPyContext *ctx, HPy a);
typedef HPy_hash_t (*HPyFunc_hashfunc)(HPyContext *ctx, HPy a);
typedef HPy (*HPyFunc_richcmpfunc)(HPyContext *ctx, HPy a, HPy b, HPy_RichCmpOp op);
typedef HPy (*HPyFunc_getiterfunc)(HPyContext *ctx, HPy a);
typedef HPy (*HPyFunc_iternextfunc)(HPyContext *ctx, HPy a);
typedef HPy (*HPyFunc_descrgetfunc)(HPyContext *ctx, HPy descr, HPy obj, HPy type);
typedef int (*HPyFunc_descrsetfunc)(HPyContext *ctx, HPy descr, HPy obj, HPy value);
typedef int (*HPyFunc_initproc)(HPyContext *ctx, HPy self, const HPy *args, HPy_ssize_t nargs,
                                HPy kw);
typedef HPy (*HPyFunc_newfunc)(HPyContext *ctx, HPy type, const HPy *args, HPy_ssize_t nargs,
                               HPy kw);
typedef HPy (*HPyFunc_getter)(HPyContext *ctx, HPy self, void *closure);
typedef int (*HPyFunc_setter)(HPyContext *ctx, HPy self, HPy value, void *closure);
typedef int (*HPyFunc_objobjproc)(HPyContext *ctx, HPy a, HPy b);
typedef int (*HPyFunc_getbufferproc)(HPyContext *ctx, HPy self, HPy_buffer *view, int flags);
typedef void (*HPyFunc_releasebufferproc)(HPyContext *ctx, HPy self, HPy_buffer *view);
typedef int (*HPyFunc_traverseproc)(void *object, HPyFunc_visitproc visit, void *arg);
typedef void (*HPyFunc_destructor)(HPyContext *ctx, HPy self);
typedef void (*HPyFunc_destroyfunc)(void *data);
typedef HPy (*HPyFunc_mod_create)(HPyContext *ctx, HPy spec);

/* ---- HPyFunc_DECLARE ------------------------------------------------------- */

/* The enum constant is not used for anything but validation: naming a
   signature that does not exist fails right here with a readable message,
   instead of as an unknown macro further down. */
#define HPyFunc_DECLARE(SYM, SIG)                                            \
    enum { SYM##_sig = SIG };                                                \
    _HPyFuncDecl_##SIG(SYM)

#define HPyFunc_TRAMPOLINE(SYM, IMPL, SIG)                                   \
    enum { SYM##_sig = SIG };                                                \
    _HPyFuncTramp_##SIG(SYM, IMPL)

#define _HPyFuncDecl_HPyFunc_NOARGS(SYM) \
    static HPy SYM(HPyContext *ctx, HPy self)
#define _HPyFuncDecl_HPyFunc_O(SYM) \
    static HPy SYM(HPyContext *ctx, HPy self, HPy arg)
#define _HPyFuncDecl_HPyFunc_VARARGS(SYM) \
    static HPy SYM(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
#define _HPyFuncDecl_HPyFunc_KEYWORDS(SYM) \
    static HPy SYM(HPyContext *ctx, HPy self, const HPy *args, size_t nargs, HPy kwnames)
#define _HPyFuncDecl_HPyFunc_UNARYFUNC(SYM) \
    static HPy SYM(HPyContext *ctx, HPy)
#define _HPyFuncDecl_HPyFunc_BINARYFUNC(SYM) \
    static HPy SYM(HPyContext *ctx, HPy, HPy)
#define _HPyFuncDecl_HPyFunc_TERNARYFUNC(SYM) \
    static HPy SYM(HPyContext *ctx, HPy, HPy, HPy)
#define _HPyFuncDecl_HPyFunc_INQUIRY(SYM) \
    static int SYM(HPyContext *ctx, HPy)
#define _HPyFuncDecl_HPyFunc_LENFUNC(SYM) \
    static HPy_ssize_t SYM(HPyContext *ctx, HPy)
#define _HPyFuncDecl_HPyFunc_SSIZEARGFUNC(SYM) \
    static HPy SYM(HPyContext *ctx, HPy, HPy_ssize_t)
#define _HPyFuncDecl_HPyFunc_SSIZESSIZEARGFUNC(SYM) \
    static HPy SYM(HPyContext *ctx, HPy, HPy_ssize_t, HPy_ssize_t)
#define _HPyFuncDecl_HPyFunc_SSIZEOBJARGPROC(SYM) \
    static int SYM(HPyContext *ctx, HPy, HPy_ssize_t, HPy)
#define _HPyFuncDecl_HPyFunc_SSIZESSIZEOBJARGPROC(SYM) \
    static int SYM(HPyContext *ctx, HPy, HPy_ssize_t, HPy_ssize_t, HPy)
#define _HPyFuncDecl_HPyFunc_OBJOBJARGPROC(SYM) \
    static int SYM(HPyContext *ctx, HPy, HPy, HPy)
#define _HPyFuncDecl_HPyFunc_FREEFUNC(SYM) \
    static void SYM(HPyContext *ctx, void *)
#define _HPyFuncDecl_HPyFunc_GETATTRFUNC(SYM) \
    static HPy SYM(HPyContext *ctx, HPy, char *)
#define _HPyFuncDecl_HPyFunc_GETATTROFUNC(SYM) \
    static HPy SYM(HPyContext *ctx, HPy, HPy)
#define _HPyFuncDecl_HPyFunc_SETATTRFUNC(SYM) \
    static int SYM(HPyContext *ctx, HPy, char *, HPy)
#define _HPyFuncDecl_HPyFunc_SETATTROFUNC(SYM) \
    static int SYM(HPyContext *ctx, HPy, HPy, HPy)
#define _HPyFuncDecl_HPyFunc_REPRFUNC(SYM) \
    static HPy SYM(HPyContext *ctx, HPy)
#define _HPyFuncDecl_HPyFunc_HASHFUNC(SYM) \
    static HPy_hash_t SYM(HPyContext *ctx, HPy)
#define _HPyFuncDecl_HPyFunc_RICHCMPFUNC(SYM) \
    static HPy SYM(HPyContext *ctx, HPy, HPy, HPy_RichCmpOp)
#define _HPyFuncDecl_HPyFunc_GETITERFUNC(SYM) \
    static HPy SYM(HPyContext *ctx, HPy)
#define _HPyFuncDecl_HPyFunc_ITERNEXTFUNC(SYM) \
    static HPy SYM(HPyContext *ctx, HPy)
#define _HPyFuncDecl_HPyFunc_DESCRGETFUNC(SYM) \
    static HPy SYM(HPyContext *ctx, HPy, HPy, HPy)
#define _HPyFuncDecl_HPyFunc_DESCRSETFUNC(SYM) \
    static int SYM(HPyContext *ctx, HPy, HPy, HPy)
#define _HPyFuncDecl_HPyFunc_INITPROC(SYM) \
    static int SYM(HPyContext *ctx, HPy self, const HPy *args, HPy_ssize_t nargs, HPy kw)
#define _HPyFuncDecl_HPyFunc_NEWFUNC(SYM) \
    static HPy SYM(HPyContext *ctx, HPy type, const HPy *args, HPy_ssize_t nargs, HPy kw)
#define _HPyFuncDecl_HPyFunc_GETTER(SYM) \
    static HPy SYM(HPyContext *ctx, HPy, void *)
#define _HPyFuncDecl_HPyFunc_SETTER(SYM) \
    static int SYM(HPyContext *ctx, HPy, HPy, void *)
#define _HPyFuncDecl_HPyFunc_OBJOBJPROC(SYM) \
    static int SYM(HPyContext *ctx, HPy, HPy)
#define _HPyFuncDecl_HPyFunc_GETBUFFERPROC(SYM) \
    static int SYM(HPyContext *ctx, HPy, HPy_buffer *, int)
#define _HPyFuncDecl_HPyFunc_RELEASEBUFFERPROC(SYM) \
    static void SYM(HPyContext *ctx, HPy, HPy_buffer *)
#define _HPyFuncDecl_HPyFunc_TRAVERSEPROC(SYM) \
    static int SYM(void *object, HPyFunc_visitproc visit, void *arg)
#define _HPyFuncDecl_HPyFunc_DESTRUCTOR(SYM) \
    static void SYM(HPyContext *ctx, HPy)
#define _HPyFuncDecl_HPyFunc_DESTROYFUNC(SYM) \
    static void SYM(void *)
#define _HPyFuncDecl_HPyFunc_MOD_CREATE(SYM) \
    static HPy SYM(HPyContext *ctx, HPy)

/* ---- the trampolines: _HPyFuncTramp_<SIG>(SYM, IMPL) ---------------------- */

#ifdef HPY_ABI_CPYTHON
#  include "hpy/cpython/hpyfunc_trampolines.h"
#else
#  include "hpy/universal/hpyfunc_trampolines.h"
#endif

#endif /* HPY_HPYFUNC_H */
