/*
 * cpython ABI: capsules. An HPy capsule is a CPython capsule; the only
 * translation is the destructor, which HPy describes with a pair (the
 * CPython-shaped trampoline and the HPy implementation) where CPython wants
 * just the former.
 */
#include "ctx_internal.h"

/* NULL (no destructor) is fine; a half-filled descriptor is a bug in the
   extension that would only show up when the capsule dies. */
static int
check_destructor(HPyCapsule_Destructor *destructor)
{
    if (destructor != NULL &&
        (destructor->cpy_trampoline == NULL || destructor->impl == NULL)) {
        PyErr_SetString(PyExc_ValueError, "Invalid HPyCapsule destructor");
        return -1;
    }
    return 0;
}

_HPy_HIDDEN HPy
ctx_Capsule_New(HPyContext *ctx, void *pointer, const char *utf8_name,
                HPyCapsule_Destructor *destructor)
{
    (void)ctx;
    if (check_destructor(destructor) < 0)
        return HPy_NULL;
    return _py2h(PyCapsule_New(pointer, utf8_name,
                               destructor != NULL ? destructor->cpy_trampoline
                                                  : NULL));
}

_HPy_HIDDEN void *
ctx_Capsule_Get(HPyContext *ctx, HPy capsule, _HPyCapsule_key key,
                const char *utf8_name)
{
    PyObject *obj = _h2py(capsule);
    (void)ctx;
    switch (key) {
    case HPyCapsule_key_Pointer:
        return PyCapsule_GetPointer(obj, utf8_name);
    case HPyCapsule_key_Name:
        return (void *)PyCapsule_GetName(obj);
    case HPyCapsule_key_Context:
        return PyCapsule_GetContext(obj);
    case HPyCapsule_key_Destructor:
        /* what CPython stores is the trampoline, not the HPy descriptor
           the extension passed: there is nothing meaningful to return */
        PyErr_SetString(PyExc_ValueError,
                        "Invalid operation: get HPyCapsule_key_Destructor");
        return NULL;
    }
    PyErr_Format(PyExc_SystemError, "HPyCapsule_Get: invalid key %d", (int)key);
    return NULL;
}

_HPy_HIDDEN int
ctx_Capsule_Set(HPyContext *ctx, HPy capsule, _HPyCapsule_key key, void *value)
{
    PyObject *obj = _h2py(capsule);
    (void)ctx;
    switch (key) {
    case HPyCapsule_key_Pointer:
        return PyCapsule_SetPointer(obj, value);
    case HPyCapsule_key_Name:
        return PyCapsule_SetName(obj, (const char *)value);
    case HPyCapsule_key_Context:
        return PyCapsule_SetContext(obj, value);
    case HPyCapsule_key_Destructor: {
        HPyCapsule_Destructor *d = (HPyCapsule_Destructor *)value;
        if (check_destructor(d) < 0)
            return -1;
        return PyCapsule_SetDestructor(obj, d != NULL ? d->cpy_trampoline : NULL);
    }
    }
    PyErr_Format(PyExc_SystemError, "HPyCapsule_Set: invalid key %d", (int)key);
    return -1;
}
