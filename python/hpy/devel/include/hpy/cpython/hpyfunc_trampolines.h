/*
 * CPython ABI: the functions CPython calls for methods and slots.
 *
 * Here an HPy handle *is* the PyObject* (hpy/cpython/handles.h), so a
 * trampoline converts nothing: it fetches the static context, reinterprets
 * its arguments, and calls the implementation directly. An optimizing
 * compiler reduces each one to a tail call.
 *
 * The implementation is called through the HPyFunc_* typedef of its
 * signature rather than by name, so that HPyFunc_TRAMPOLINE also accepts an
 * implementation declared with a slightly different (but compatible)
 * prototype, as it does in the universal ABI.
 */
#ifndef HPY_CPYTHON_HPYFUNC_TRAMPOLINES_H
#define HPY_CPYTHON_HPYFUNC_TRAMPOLINES_H

/* ---- methods ------------------------------------------------------------- */

#define _HPyFuncTramp_HPyFunc_VARARGS(SYM, IMPL)                              \
    static PyObject *SYM(PyObject *self, PyObject *const *args,               \
                         Py_ssize_t nargs)                                    \
    {                                                                         \
        HPyFunc_varargs f = (HPyFunc_varargs)(IMPL);                          \
        return _h2py(f(_HPyGetContext(), _py2h(self), _arr_py2h(args),        \
                       (size_t)nargs));                                       \
    }

/* Also used for tp_call and HPyCallFunction, which CPython calls as
   vectorcalls: strip PY_VECTORCALL_ARGUMENTS_OFFSET from nargsf. */
#define _HPyFuncTramp_HPyFunc_KEYWORDS(SYM, IMPL)                             \
    static PyObject *SYM(PyObject *self, PyObject *const *args,               \
                         size_t nargsf, PyObject *kwnames)                    \
    {                                                                         \
        HPyFunc_keywords f = (HPyFunc_keywords)(IMPL);                        \
        return _h2py(f(_HPyGetContext(), _py2h(self), _arr_py2h(args),        \
                       (size_t)PyVectorcall_NARGS(nargsf), _py2h(kwnames)));  \
    }

/* ---- construction: the argument tuple's item array is the HPy array ------ */

#define _HPyFuncTramp_HPyFunc_INITPROC(SYM, IMPL)                             \
    static int SYM(PyObject *self, PyObject *args, PyObject *kw)              \
    {                                                                         \
        HPyFunc_initproc f = (HPyFunc_initproc)(IMPL);                        \
        return f(_HPyGetContext(), _py2h(self),                               \
                 _arr_py2h(&PyTuple_GET_ITEM(args, 0)),                       \
                 PyTuple_GET_SIZE(args), _py2h(kw));                          \
    }

#define _HPyFuncTramp_HPyFunc_NEWFUNC(SYM, IMPL)                              \
    static PyObject *SYM(PyObject *type, PyObject *args, PyObject *kw)        \
    {                                                                         \
        HPyFunc_newfunc f = (HPyFunc_newfunc)(IMPL);                          \
        return _h2py(f(_HPyGetContext(), _py2h(type),                         \
                       _arr_py2h(&PyTuple_GET_ITEM(args, 0)),                 \
                       PyTuple_GET_SIZE(args), _py2h(kw)));                   \
    }

/* ---- slots whose C shape differs from the HPy one ------------------------ */

#define _HPyFuncTramp_HPyFunc_RICHCMPFUNC(SYM, IMPL)                          \
    static PyObject *SYM(PyObject *arg0, PyObject *arg1, int op)              \
    {                                                                         \
        HPyFunc_richcmpfunc f = (HPyFunc_richcmpfunc)(IMPL);                  \
        return _h2py(f(_HPyGetContext(), _py2h(arg0), _py2h(arg1),            \
                       (HPy_RichCmpOp)op));                                   \
    }

/* HPy_buffer has Py_buffer's layout (checked in hpy/cpython/handles.h), so
   CPython's struct is filled in place. */
#define _HPyFuncTramp_HPyFunc_GETBUFFERPROC(SYM, IMPL)                        \
    static int SYM(PyObject *self, Py_buffer *view, int flags)                \
    {                                                                         \
        HPyFunc_getbufferproc f = (HPyFunc_getbufferproc)(IMPL);              \
        return f(_HPyGetContext(), _py2h(self), (HPy_buffer *)view, flags);   \
    }

#define _HPyFuncTramp_HPyFunc_RELEASEBUFFERPROC(SYM, IMPL)                    \
    static void SYM(PyObject *self, Py_buffer *view)                          \
    {                                                                         \
        HPyFunc_releasebufferproc f = (HPyFunc_releasebufferproc)(IMPL);      \
        f(_HPyGetContext(), _py2h(self), (HPy_buffer *)view);                 \
    }

/* Finding the object's struct depends on the type's builtin shape, which
   only the type machinery knows: delegate to it. */
#define _HPyFuncTramp_HPyFunc_TRAVERSEPROC(SYM, IMPL)                         \
    static int SYM(PyObject *self, visitproc visit, void *arg)                \
    {                                                                         \
        return _HPyCPy_CallTraverse((HPyFunc_traverseproc)(IMPL),             \
                                    self, visit, arg);                        \
    }

/* HPy_tp_destroy is called by the type's own deallocator, never through a
   trampoline; the function only has to exist. */
#define _HPyFuncTramp_HPyFunc_DESTROYFUNC(SYM, IMPL)                          \
    static void SYM(void) { abort(); }

#define _HPyFuncTramp_HPyFunc_MOD_CREATE(SYM, IMPL)                           \
    static PyObject *SYM(PyObject *spec, PyModuleDef *def)                    \
    {                                                                         \
        HPyFunc_mod_create f = (HPyFunc_mod_create)(IMPL);                    \
        (void)def;                                                            \
        return _HPyCPy_CheckModCreateResult(                                  \
            _h2py(f(_HPyGetContext(), _py2h(spec))));                         \
    }

#define HPyCapsule_DESTRUCTOR_TRAMPOLINE(SYM, IMPL)                           \
    static void SYM(PyObject *capsule)                                        \
    {                                                                         \
        const char *name = PyCapsule_GetName(capsule);                        \
        (IMPL)(name, PyCapsule_GetPointer(capsule, name),                     \
               PyCapsule_GetContext(capsule));                                \
    }

/* ---- all other signatures: positional arguments in, one result out ------- */

#define _HPyFuncTramp_HPyFunc_NOARGS(SYM, IMPL)                               \
    static PyObject *SYM(PyObject *self)                                      \
    {                                                                         \
        HPyFunc_noargs f = (HPyFunc_noargs)(IMPL);                            \
        return _h2py(f(_HPyGetContext(), _py2h(self)));                       \
    }

#define _HPyFuncTramp_HPyFunc_O(SYM, IMPL)                                    \
    static PyObject *SYM(PyObject *self, PyObject *arg)                       \
    {                                                                         \
        HPyFunc_o f = (HPyFunc_o)(IMPL);                                      \
        return _h2py(f(_HPyGetContext(), _py2h(self), _py2h(arg)));           \
    }

#define _HPyFuncTramp_HPyFunc_UNARYFUNC(SYM, IMPL)                            \
    static PyObject *SYM(PyObject *arg0)                                      \
    {                                                                         \
        HPyFunc_unaryfunc f = (HPyFunc_unaryfunc)(IMPL);                      \
        return _h2py(f(_HPyGetContext(), _py2h(arg0)));                       \
    }

#define _HPyFuncTramp_HPyFunc_BINARYFUNC(SYM, IMPL)                           \
    static PyObject *SYM(PyObject *arg0, PyObject *arg1)                      \
    {                                                                         \
        HPyFunc_binaryfunc f = (HPyFunc_binaryfunc)(IMPL);                    \
        return _h2py(f(_HPyGetContext(), _py2h(arg0), _py2h(arg1)));          \
    }

#define _HPyFuncTramp_HPyFunc_TERNARYFUNC(SYM, IMPL)                          \
    static PyObject *SYM(PyObject *arg0, PyObject *arg1, PyObject *arg2)      \
    {                                                                         \
        HPyFunc_ternaryfunc f = (HPyFunc_ternaryfunc)(IMPL);                  \
        return _h2py(f(_HPyGetContext(),                                      \
                       _py2h(arg0), _py2h(arg1), _py2h(arg2)));               \
    }

#define _HPyFuncTramp_HPyFunc_INQUIRY(SYM, IMPL)                              \
    static int SYM(PyObject *arg0)                                            \
    {                                                                         \
        HPyFunc_inquiry f = (HPyFunc_inquiry)(IMPL);                          \
        return f(_HPyGetContext(), _py2h(arg0));                              \
    }

#define _HPyFuncTramp_HPyFunc_LENFUNC(SYM, IMPL)                              \
    static HPy_ssize_t SYM(PyObject *arg0)                                    \
    {                                                                         \
        HPyFunc_lenfunc f = (HPyFunc_lenfunc)(IMPL);                          \
        return f(_HPyGetContext(), _py2h(arg0));                              \
    }

#define _HPyFuncTramp_HPyFunc_SSIZEARGFUNC(SYM, IMPL)                         \
    static PyObject *SYM(PyObject *arg0, HPy_ssize_t arg1)                    \
    {                                                                         \
        HPyFunc_ssizeargfunc f = (HPyFunc_ssizeargfunc)(IMPL);                \
        return _h2py(f(_HPyGetContext(), _py2h(arg0), arg1));                 \
    }

#define _HPyFuncTramp_HPyFunc_SSIZESSIZEARGFUNC(SYM, IMPL)                    \
    static PyObject *SYM(PyObject *arg0, HPy_ssize_t arg1, HPy_ssize_t arg2)  \
    {                                                                         \
        HPyFunc_ssizessizeargfunc f = (HPyFunc_ssizessizeargfunc)(IMPL);      \
        return _h2py(f(_HPyGetContext(), _py2h(arg0), arg1, arg2));           \
    }

#define _HPyFuncTramp_HPyFunc_SSIZEOBJARGPROC(SYM, IMPL)                      \
    static int SYM(PyObject *arg0, HPy_ssize_t arg1, PyObject *arg2)          \
    {                                                                         \
        HPyFunc_ssizeobjargproc f = (HPyFunc_ssizeobjargproc)(IMPL);          \
        return f(_HPyGetContext(), _py2h(arg0), arg1, _py2h(arg2));           \
    }

#define _HPyFuncTramp_HPyFunc_SSIZESSIZEOBJARGPROC(SYM, IMPL)                 \
    static int SYM(PyObject *arg0, HPy_ssize_t arg1, HPy_ssize_t arg2,        \
                   PyObject *arg3)                                            \
    {                                                                         \
        HPyFunc_ssizessizeobjargproc f = (HPyFunc_ssizessizeobjargproc)(IMPL); \
        return f(_HPyGetContext(), _py2h(arg0), arg1, arg2, _py2h(arg3));     \
    }

#define _HPyFuncTramp_HPyFunc_OBJOBJARGPROC(SYM, IMPL)                        \
    static int SYM(PyObject *arg0, PyObject *arg1, PyObject *arg2)            \
    {                                                                         \
        HPyFunc_objobjargproc f = (HPyFunc_objobjargproc)(IMPL);              \
        return f(_HPyGetContext(), _py2h(arg0), _py2h(arg1), _py2h(arg2));    \
    }

#define _HPyFuncTramp_HPyFunc_FREEFUNC(SYM, IMPL)                             \
    static void SYM(void *arg0)                                               \
    {                                                                         \
        HPyFunc_freefunc f = (HPyFunc_freefunc)(IMPL);                        \
        f(_HPyGetContext(), arg0);                                            \
    }

#define _HPyFuncTramp_HPyFunc_GETATTRFUNC(SYM, IMPL)                          \
    static PyObject *SYM(PyObject *arg0, char *arg1)                          \
    {                                                                         \
        HPyFunc_getattrfunc f = (HPyFunc_getattrfunc)(IMPL);                  \
        return _h2py(f(_HPyGetContext(), _py2h(arg0), arg1));                 \
    }

#define _HPyFuncTramp_HPyFunc_GETATTROFUNC(SYM, IMPL)                         \
    static PyObject *SYM(PyObject *arg0, PyObject *arg1)                      \
    {                                                                         \
        HPyFunc_getattrofunc f = (HPyFunc_getattrofunc)(IMPL);                \
        return _h2py(f(_HPyGetContext(), _py2h(arg0), _py2h(arg1)));          \
    }

#define _HPyFuncTramp_HPyFunc_SETATTRFUNC(SYM, IMPL)                          \
    static int SYM(PyObject *arg0, char *arg1, PyObject *arg2)                \
    {                                                                         \
        HPyFunc_setattrfunc f = (HPyFunc_setattrfunc)(IMPL);                  \
        return f(_HPyGetContext(), _py2h(arg0), arg1, _py2h(arg2));           \
    }

#define _HPyFuncTramp_HPyFunc_SETATTROFUNC(SYM, IMPL)                         \
    static int SYM(PyObject *arg0, PyObject *arg1, PyObject *arg2)            \
    {                                                                         \
        HPyFunc_setattrofunc f = (HPyFunc_setattrofunc)(IMPL);                \
        return f(_HPyGetContext(), _py2h(arg0), _py2h(arg1), _py2h(arg2));    \
    }

#define _HPyFuncTramp_HPyFunc_REPRFUNC(SYM, IMPL)                             \
    static PyObject *SYM(PyObject *arg0)                                      \
    {                                                                         \
        HPyFunc_reprfunc f = (HPyFunc_reprfunc)(IMPL);                        \
        return _h2py(f(_HPyGetContext(), _py2h(arg0)));                       \
    }

#define _HPyFuncTramp_HPyFunc_HASHFUNC(SYM, IMPL)                             \
    static HPy_hash_t SYM(PyObject *arg0)                                     \
    {                                                                         \
        HPyFunc_hashfunc f = (HPyFunc_hashfunc)(IMPL);                        \
        return f(_HPyGetContext(), _py2h(arg0));                              \
    }

#define _HPyFuncTramp_HPyFunc_GETITERFUNC(SYM, IMPL)                          \
    static PyObject *SYM(PyObject *arg0)                                      \
    {                                                                         \
        HPyFunc_getiterfunc f = (HPyFunc_getiterfunc)(IMPL);                  \
        return _h2py(f(_HPyGetContext(), _py2h(arg0)));                       \
    }

#define _HPyFuncTramp_HPyFunc_ITERNEXTFUNC(SYM, IMPL)                         \
    static PyObject *SYM(PyObject *arg0)                                      \
    {                                                                         \
        HPyFunc_iternextfunc f = (HPyFunc_iternextfunc)(IMPL);                \
        return _h2py(f(_HPyGetContext(), _py2h(arg0)));                       \
    }

#define _HPyFuncTramp_HPyFunc_DESCRGETFUNC(SYM, IMPL)                         \
    static PyObject *SYM(PyObject *arg0, PyObject *arg1, PyObject *arg2)      \
    {                                                                         \
        HPyFunc_descrgetfunc f = (HPyFunc_descrgetfunc)(IMPL);                \
        return _h2py(f(_HPyGetContext(),                                      \
                       _py2h(arg0), _py2h(arg1), _py2h(arg2)));               \
    }

#define _HPyFuncTramp_HPyFunc_DESCRSETFUNC(SYM, IMPL)                         \
    static int SYM(PyObject *arg0, PyObject *arg1, PyObject *arg2)            \
    {                                                                         \
        HPyFunc_descrsetfunc f = (HPyFunc_descrsetfunc)(IMPL);                \
        return f(_HPyGetContext(), _py2h(arg0), _py2h(arg1), _py2h(arg2));    \
    }

#define _HPyFuncTramp_HPyFunc_GETTER(SYM, IMPL)                               \
    static PyObject *SYM(PyObject *arg0, void *arg1)                          \
    {                                                                         \
        HPyFunc_getter f = (HPyFunc_getter)(IMPL);                            \
        return _h2py(f(_HPyGetContext(), _py2h(arg0), arg1));                 \
    }

#define _HPyFuncTramp_HPyFunc_SETTER(SYM, IMPL)                               \
    static int SYM(PyObject *arg0, PyObject *arg1, void *arg2)                \
    {                                                                         \
        HPyFunc_setter f = (HPyFunc_setter)(IMPL);                            \
        return f(_HPyGetContext(), _py2h(arg0), _py2h(arg1), arg2);           \
    }

#define _HPyFuncTramp_HPyFunc_OBJOBJPROC(SYM, IMPL)                           \
    static int SYM(PyObject *arg0, PyObject *arg1)                            \
    {                                                                         \
        HPyFunc_objobjproc f = (HPyFunc_objobjproc)(IMPL);                    \
        return f(_HPyGetContext(), _py2h(arg0), _py2h(arg1));                 \
    }

#define _HPyFuncTramp_HPyFunc_DESTRUCTOR(SYM, IMPL)                           \
    static void SYM(PyObject *arg0)                                           \
    {                                                                         \
        HPyFunc_destructor f = (HPyFunc_destructor)(IMPL);                    \
        f(_HPyGetContext(), _py2h(arg0));                                     \
    }

#endif /* HPY_CPYTHON_HPYFUNC_TRAMPOLINES_H */
