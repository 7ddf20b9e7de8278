/*
 * cpython ABI: functions the headers of this directory call but do not
 * define. They need more than a few lines of Python.h code and are written
 * once in the C helper sources (python/hpy/devel/src/), which the build
 * compiles and links into every cpython-ABI extension; HPyAPI_IMPL keeps
 * them private to that extension.
 *
 * Functions that implement context members (HPyType_FromSpec, HPy_New,
 * trackers, builders, ...) are declared by hpy/cpython/api_manual.h, which
 * uses them.
 */
#ifndef HPY_CPYTHON_IMPL_H
#define HPY_CPYTHON_IMPL_H

/* HPy_MODINIT: build (once) a PyModuleDef with m_slots from the HPyModuleDef
   -- methods from the HPyMeth defines plus legacy_methods, Py_mod_create /
   Py_mod_exec from the HPy_mod_create / HPy_mod_exec slots, m_size from
   `size` -- and return PyModuleDef_Init(def); NULL with an exception set
   on error. HPyGlobals need no registration here: in this ABI one simply
   holds a strong PyObject*. */
HPyAPI_IMPL PyObject *_HPyCPy_ModuleInit(HPyModuleDef *hpydef);

/* HPy_mod_create trampoline: validate what the implementation returned.
   A module object is refused (SystemError; the reference is released);
   otherwise `result` (possibly NULL, with the error set) is returned as is. */
HPyAPI_IMPL PyObject *_HPyCPy_CheckModCreateResult(PyObject *result);

/* HPy_tp_traverse trampoline: find the C struct of `self` according to the
   builtin shape of its type, call `impl` on it with a visitor that turns
   each HPyField* into the PyObject* CPython's `visit` expects, and also
   visit Py_TYPE(self) as CPython requires of heap types. Returns the first
   non-zero visitor result, or 0. */
HPyAPI_IMPL int _HPyCPy_CallTraverse(HPyFunc_traverseproc impl, PyObject *self,
                                     visitproc visit, void *arg);

#endif /* HPY_CPYTHON_IMPL_H */
