/*
 * The CPython types that appear in HPy declarations: legacy members of the
 * specs (legacy_methods, legacy_slots), the bridge functions
 * (HPy_AsPyObject, HPy_FromPyObject) and the signatures of the trampolines
 * CPython calls.
 *
 * With Python.h (cpython and hybrid ABIs) they are the real types. In the
 * universal ABI they are incomplete struct types: a pointer to one can be
 * passed around, but an extension cannot build or inspect the object, which
 * is exactly the guarantee that ABI gives.
 */
#ifndef HPY_CPY_TYPES_H
#define HPY_CPY_TYPES_H

#ifdef HPY_ABI_UNIVERSAL

typedef struct _HPy_universal_no_PyObject cpy_PyObject;
typedef struct _HPy_universal_no_PyMethodDef cpy_PyMethodDef;
typedef struct _HPy_universal_no_PyModuleDef cpy_PyModuleDef;
typedef struct _HPy_universal_no_Py_buffer cpy_Py_buffer;

/* Declared ahead of their definitions (autogen/trampolines.h) so that the
   error attribute sticks: calling them is a compile-time error here.
   hpy/universal/legacy.h extends that to optimized builds. */
HPyAPI_FUNC _HPY_LEGACY cpy_PyObject *HPy_AsPyObject(HPyContext *ctx, HPy h);
HPyAPI_FUNC _HPY_LEGACY HPy HPy_FromPyObject(HPyContext *ctx, cpy_PyObject *obj);

#else

typedef PyObject cpy_PyObject;
typedef PyMethodDef cpy_PyMethodDef;
typedef PyModuleDef cpy_PyModuleDef;
typedef Py_buffer cpy_Py_buffer;

#endif /* HPY_ABI_UNIVERSAL */

/* Spelled out instead of borrowed from Python.h so that they exist in every
   ABI with the same meaning. cpy_PyCFunction is the METH_FASTCALL shape: the
   type under which every method and slot trampoline is stored in an HPyDef,
   whatever its real signature. */
typedef cpy_PyObject *(*cpy_PyCFunction)(cpy_PyObject *, cpy_PyObject *const *, HPy_ssize_t);
typedef int (*cpy_visitproc)(cpy_PyObject *, void *);
typedef cpy_PyObject *(*cpy_getter)(cpy_PyObject *, void *);
typedef int (*cpy_setter)(cpy_PyObject *, cpy_PyObject *, void *);
typedef void (*cpy_PyCapsule_Destructor)(cpy_PyObject *);
typedef cpy_PyObject *(*cpy_vectorcallfunc)(cpy_PyObject *callable, cpy_PyObject *const *args,
                                            size_t nargsf, cpy_PyObject *kwnames);

#endif /* HPY_CPY_TYPES_H */
