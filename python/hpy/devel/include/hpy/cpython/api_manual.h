/*
 * hpy/cpython/api_manual.h -- cpython ABI: the hand-written members.
 *
 * In the cpython ABI (HPY_ABI_CPYTHON) a handle simply holds the PyObject *
 * it refers to and every HPy call compiles to Python.h calls, with no context
 * and no runtime in between. Members of api/hpy_api.h annotated with
 * HPyAPI_CPY are a single Python.h call and are generated into
 * hpy/autogen/cpython_api.h; this file holds all the others.
 *
 * It is included by hpy.h after Python.h, after every HPy type, and after
 * the handle helpers (_h2py, _py2h, HPy_NULL, HPy_IsNull) are defined, so it
 * includes nothing itself.
 *
 * Representation of the small value types in this ABI (all defined in the
 * core headers):
 *   HPyField, HPyGlobal   ._i   the PyObject * stored (strong reference)
 *   HPyListBuilder        ._lst the list being built, NULL after a failed New
 *   HPyTupleBuilder       ._tup the tuple being built, NULL after a failed New
 *   HPyTracker            ._i   a _HPyTracker_s *, defined below
 *   HPyThreadState        ._i   the PyThreadState * of PyEval_SaveThread
 *
 * Implemented in the C helper sources (devel/src/runtime), only declared
 * here, because they need the type machinery or tables that live there:
 *   HPyType_FromSpec                     -> ctx_Type_FromSpec
 *   HPyType_GenericNew                   -> ctx_Type_GenericNew
 *   _HPy_New                             -> ctx_New
 *   _HPy_AsStruct_Object                 -> ctx_AsStruct_Object
 *   _HPy_AsStruct_Legacy                 -> ctx_AsStruct_Legacy
 *   _HPy_AsStruct_Type                   -> ctx_AsStruct_Type
 *   _HPy_AsStruct_Long                   -> ctx_AsStruct_Long
 *   _HPy_AsStruct_Float                  -> ctx_AsStruct_Float
 *   _HPy_AsStruct_Unicode                -> ctx_AsStruct_Unicode
 *   _HPy_AsStruct_Tuple                  -> ctx_AsStruct_Tuple
 *   _HPy_AsStruct_List                   -> ctx_AsStruct_List
 *   _HPyType_GetBuiltinShape             -> ctx_Type_GetBuiltinShape
 *   HPy_SetCallFunction                  -> ctx_SetCallFunction
 *   _HPy_CallRealFunctionFromTrampoline  -> ctx_CallRealFunctionFromTrampoline
 *   HPyCapsule_New                       -> ctx_Capsule_New
 *   HPyCapsule_Get                       -> ctx_Capsule_Get
 *   HPyCapsule_Set                       -> ctx_Capsule_Set
 *   HPyContextVar_Get                    -> ctx_ContextVar_Get
 *
 * Everything else is implemented inline below.
 */

#ifndef HPY_CPYTHON_API_MANUAL_H
#define HPY_CPYTHON_API_MANUAL_H

#if defined(__GNUC__) || defined(__clang__)
#  define _HPyAPI_MANUAL_NORETURN __attribute__((__noreturn__))
#elif defined(_MSC_VER)
#  define _HPyAPI_MANUAL_NORETURN __declspec(noreturn)
#else
#  define _HPyAPI_MANUAL_NORETURN
#endif

/* HPy_Call and HPy_CallMethod pass an array of HPy to CPython as an array of
   PyObject *; that is only correct if both have the same size (a handle is a
   struct holding nothing but the pointer). */
typedef char _HPyAPI_manual_check_handle_size[
    (sizeof(HPy) == sizeof(PyObject *)) ? 1 : -1];


/* ------------------------------------------------------------------------ */
/* Out-of-line helpers (devel/src/runtime)                                  */
/* ------------------------------------------------------------------------ */

HPyAPI_IMPL HPy ctx_Type_FromSpec(HPyContext *ctx, HPyType_Spec *spec,
                                  HPyType_SpecParam *params);
HPyAPI_IMPL HPy ctx_Type_GenericNew(HPyContext *ctx, HPy type, const HPy *args,
                                    HPy_ssize_t nargs, HPy kw);
HPyAPI_IMPL HPy ctx_New(HPyContext *ctx, HPy h_type, void **data);
HPyAPI_IMPL void *ctx_AsStruct_Object(HPyContext *ctx, HPy h);
HPyAPI_IMPL void *ctx_AsStruct_Legacy(HPyContext *ctx, HPy h);
HPyAPI_IMPL void *ctx_AsStruct_Type(HPyContext *ctx, HPy h);
HPyAPI_IMPL void *ctx_AsStruct_Long(HPyContext *ctx, HPy h);
HPyAPI_IMPL void *ctx_AsStruct_Float(HPyContext *ctx, HPy h);
HPyAPI_IMPL void *ctx_AsStruct_Unicode(HPyContext *ctx, HPy h);
HPyAPI_IMPL void *ctx_AsStruct_Tuple(HPyContext *ctx, HPy h);
HPyAPI_IMPL void *ctx_AsStruct_List(HPyContext *ctx, HPy h);
HPyAPI_IMPL HPyType_BuiltinShape ctx_Type_GetBuiltinShape(HPyContext *ctx,
                                                          HPy h_type);
HPyAPI_IMPL int ctx_SetCallFunction(HPyContext *ctx, HPy h,
                                    HPyCallFunction *func);
HPyAPI_IMPL void ctx_CallRealFunctionFromTrampoline(HPyContext *ctx,
                                                    HPyFunc_Signature sig,
                                                    HPyCFunction func,
                                                    void *args);
HPyAPI_IMPL HPy ctx_Capsule_New(HPyContext *ctx, void *pointer,
                                const char *utf8_name,
                                HPyCapsule_Destructor *destructor);
HPyAPI_IMPL void *ctx_Capsule_Get(HPyContext *ctx, HPy capsule,
                                  _HPyCapsule_key key, const char *utf8_name);
HPyAPI_IMPL int ctx_Capsule_Set(HPyContext *ctx, HPy capsule,
                                _HPyCapsule_key key, void *value);
HPyAPI_IMPL int32_t ctx_ContextVar_Get(HPyContext *ctx, HPy context_var,
                                       HPy default_value, HPy *result);

HPyAPI_FUNC HPy HPyType_FromSpec(HPyContext *ctx, HPyType_Spec *spec,
                                 HPyType_SpecParam *params)
{
    return ctx_Type_FromSpec(ctx, spec, params);
}

HPyAPI_FUNC HPy HPyType_GenericNew(HPyContext *ctx, HPy type, const HPy *args,
                                   HPy_ssize_t nargs, HPy kw)
{
    return ctx_Type_GenericNew(ctx, type, args, nargs, kw);
}

HPyAPI_FUNC HPy _HPy_New(HPyContext *ctx, HPy h_type, void **data)
{
    return ctx_New(ctx, h_type, data);
}

#define _HPy_AS_STRUCT(NAME, CTX_NAME)                                        \
    HPyAPI_FUNC void *NAME(HPyContext *ctx, HPy h)                             \
    {                                                                          \
        return CTX_NAME(ctx, h);                                               \
    }

_HPy_AS_STRUCT(_HPy_AsStruct_Object, ctx_AsStruct_Object)
_HPy_AS_STRUCT(_HPy_AsStruct_Legacy, ctx_AsStruct_Legacy)
_HPy_AS_STRUCT(_HPy_AsStruct_Type, ctx_AsStruct_Type)
_HPy_AS_STRUCT(_HPy_AsStruct_Long, ctx_AsStruct_Long)
_HPy_AS_STRUCT(_HPy_AsStruct_Float, ctx_AsStruct_Float)
_HPy_AS_STRUCT(_HPy_AsStruct_Unicode, ctx_AsStruct_Unicode)
_HPy_AS_STRUCT(_HPy_AsStruct_Tuple, ctx_AsStruct_Tuple)
_HPy_AS_STRUCT(_HPy_AsStruct_List, ctx_AsStruct_List)
#undef _HPy_AS_STRUCT

HPyAPI_FUNC HPyType_BuiltinShape _HPyType_GetBuiltinShape(HPyContext *ctx,
                                                          HPy h_type)
{
    return ctx_Type_GetBuiltinShape(ctx, h_type);
}

HPyAPI_FUNC int HPy_SetCallFunction(HPyContext *ctx, HPy h,
                                    HPyCallFunction *func)
{
    return ctx_SetCallFunction(ctx, h, func);
}

HPyAPI_FUNC void _HPy_CallRealFunctionFromTrampoline(HPyContext *ctx,
                                                     HPyFunc_Signature sig,
                                                     HPyCFunction func,
                                                     void *args)
{
    ctx_CallRealFunctionFromTrampoline(ctx, sig, func, args);
}

HPyAPI_FUNC HPy HPyCapsule_New(HPyContext *ctx, void *pointer,
                               const char *utf8_name,
                               HPyCapsule_Destructor *destructor)
{
    return ctx_Capsule_New(ctx, pointer, utf8_name, destructor);
}

HPyAPI_FUNC void *HPyCapsule_Get(HPyContext *ctx, HPy capsule,
                                 _HPyCapsule_key key, const char *utf8_name)
{
    return ctx_Capsule_Get(ctx, capsule, key, utf8_name);
}

HPyAPI_FUNC int HPyCapsule_Set(HPyContext *ctx, HPy capsule,
                               _HPyCapsule_key key, void *value)
{
    return ctx_Capsule_Set(ctx, capsule, key, value);
}

HPyAPI_FUNC int32_t HPyContextVar_Get(HPyContext *ctx, HPy context_var,
                                      HPy default_value, HPy *result)
{
    return ctx_ContextVar_Get(ctx, context_var, default_value, result);
}


/* ------------------------------------------------------------------------ */
/* Handles                                                                  */
/* ------------------------------------------------------------------------ */

HPyAPI_FUNC HPy HPy_Dup(HPyContext *ctx, HPy h)
{
    (void)ctx;
    Py_XINCREF(_h2py(h));
    return h;
}

HPyAPI_FUNC void HPy_Close(HPyContext *ctx, HPy h)
{
    (void)ctx;
    Py_XDECREF(_h2py(h));
}

HPyAPI_FUNC int HPy_Is(HPyContext *ctx, HPy obj, HPy other)
{
    (void)ctx;
    return _h2py(obj) == _h2py(other);
}

HPyAPI_FUNC HPy HPy_FromPyObject(HPyContext *ctx, cpy_PyObject *obj)
{
    (void)ctx;
    Py_XINCREF(obj);
    return _py2h(obj);
}

HPyAPI_FUNC cpy_PyObject *HPy_AsPyObject(HPyContext *ctx, HPy h)
{
    PyObject *obj = _h2py(h);
    (void)ctx;
    Py_XINCREF(obj);
    return obj;
}


/* ------------------------------------------------------------------------ */
/* Integers: the 32-bit conversions must check the range themselves where    */
/* a C long is wider than 32 bits.                                          */
/* ------------------------------------------------------------------------ */

HPyAPI_FUNC int32_t HPyLong_AsInt32_t(HPyContext *ctx, HPy h)
{
    long value = PyLong_AsLong(_h2py(h));   /* TypeError / OverflowError */
    (void)ctx;
#if LONG_MAX > INT32_MAX
    if (value > INT32_MAX || value < INT32_MIN) {
        PyErr_SetString(PyExc_OverflowError,
                        "Python int too large to convert to C int32_t");
        return -1;
    }
#endif
    return (int32_t)value;
}

HPyAPI_FUNC uint32_t HPyLong_AsUInt32_t(HPyContext *ctx, HPy h)
{
    unsigned long value = PyLong_AsUnsignedLong(_h2py(h));
    (void)ctx;
#if ULONG_MAX > UINT32_MAX
    if (value > UINT32_MAX) {
        /* (unsigned long)-1 is also how PyLong_AsUnsignedLong reports its
           own errors (TypeError, OverflowError): keep that exception. */
        if (value == (unsigned long)-1 && PyErr_Occurred())
            return (uint32_t)-1;
        PyErr_SetString(PyExc_OverflowError,
                        "Python int too large to convert to C uint32_t");
        return (uint32_t)-1;
    }
#endif
    return (uint32_t)value;
}


/* ------------------------------------------------------------------------ */
/* Objects                                                                  */
/* ------------------------------------------------------------------------ */

HPyAPI_FUNC int HPy_TypeCheck(HPyContext *ctx, HPy obj, HPy type)
{
    (void)ctx;
    return PyObject_TypeCheck(_h2py(obj), (PyTypeObject *)_h2py(type));
}

HPyAPI_FUNC int HPyType_IsSubtype(HPyContext *ctx, HPy sub, HPy type)
{
    (void)ctx;
    return PyType_IsSubtype((PyTypeObject *)_h2py(sub),
                            (PyTypeObject *)_h2py(type));
}

HPyAPI_FUNC const char *HPyType_GetName(HPyContext *ctx, HPy type)
{
    PyObject *obj = _h2py(type);
    PyTypeObject *tp;
    const char *dot;
    (void)ctx;
    if (!PyType_Check(obj)) {
        PyErr_SetString(PyExc_TypeError,
                        "HPyType_GetName: the argument must be a type");
        return NULL;
    }
    tp = (PyTypeObject *)obj;
    if (PyType_GetFlags(tp) & Py_TPFLAGS_HEAPTYPE) {
        /* __name__ of a heap type lives in ht_name (it can be reassigned,
           so it is not always the tail of tp_name). */
        return PyUnicode_AsUTF8(((PyHeapTypeObject *)tp)->ht_name);
    }
    /* static type: tp_name is "module.Name" or just "Name" */
    dot = strrchr(tp->tp_name, '.');
    return dot != NULL ? dot + 1 : tp->tp_name;
}

/* HPy_HasAttr clears every error of the lookup, as PyObject_HasAttr did
   before CPython 3.13; since then that function reports errors other than
   AttributeError on stderr as unraisable. */

static inline int _HPy_FoundAttribute(PyObject *value)
{
    if (value == NULL) {
        PyErr_Clear();
        return 0;
    }
    Py_DECREF(value);
    return 1;
}

HPyAPI_FUNC int HPy_HasAttr(HPyContext *ctx, HPy obj, HPy name)
{
    (void)ctx;
    return _HPy_FoundAttribute(PyObject_GetAttr(_h2py(obj), _h2py(name)));
}

HPyAPI_FUNC int HPy_HasAttr_s(HPyContext *ctx, HPy obj, const char *utf8_name)
{
    (void)ctx;
    return _HPy_FoundAttribute(PyObject_GetAttrString(_h2py(obj), utf8_name));
}

/* The _i / _s item functions build the key object, so that they work with
   mappings as well as sequences, exactly like obj[key] in Python.
   HPy_GetItem_i first reads exact tuples and lists directly when the index
   is in range (what obj[idx] returns for them too): without this, every
   access would box the index and go through the generic lookup, about six
   times the cost of PySequence_GetItem. */

HPyAPI_FUNC HPy HPy_GetItem_i(HPyContext *ctx, HPy obj, HPy_ssize_t idx)
{
    PyObject *o = _h2py(obj);
    PyObject *key, *result;
    (void)ctx;
    if (PyTuple_CheckExact(o)) {
        if ((size_t)idx < (size_t)PyTuple_GET_SIZE(o)) {
            result = PyTuple_GET_ITEM(o, idx);
            Py_INCREF(result);
            return _py2h(result);
        }
    }
#ifndef Py_GIL_DISABLED
    /* (a free-threaded build needs the list's lock: PyList_GetItemRef) */
    else if (PyList_CheckExact(o)) {
        if ((size_t)idx < (size_t)PyList_GET_SIZE(o)) {
            result = PyList_GET_ITEM(o, idx);
            Py_INCREF(result);
            return _py2h(result);
        }
    }
#endif
    key = PyLong_FromSsize_t(idx);
    if (key == NULL)
        return HPy_NULL;
    result = PyObject_GetItem(_h2py(obj), key);
    Py_DECREF(key);
    return _py2h(result);
}

HPyAPI_FUNC HPy HPy_GetItem_s(HPyContext *ctx, HPy obj, const char *utf8_key)
{
    PyObject *key, *result;
    (void)ctx;
    key = PyUnicode_FromString(utf8_key);
    if (key == NULL)
        return HPy_NULL;
    result = PyObject_GetItem(_h2py(obj), key);
    Py_DECREF(key);
    return _py2h(result);
}

HPyAPI_FUNC int HPy_SetItem_i(HPyContext *ctx, HPy obj, HPy_ssize_t idx,
                              HPy value)
{
    PyObject *key;
    int status;
    (void)ctx;
    key = PyLong_FromSsize_t(idx);
    if (key == NULL)
        return -1;
    status = PyObject_SetItem(_h2py(obj), key, _h2py(value));
    Py_DECREF(key);
    return status;
}

HPyAPI_FUNC int HPy_SetItem_s(HPyContext *ctx, HPy obj, const char *utf8_key,
                              HPy value)
{
    PyObject *key;
    int status;
    (void)ctx;
    key = PyUnicode_FromString(utf8_key);
    if (key == NULL)
        return -1;
    status = PyObject_SetItem(_h2py(obj), key, _h2py(value));
    Py_DECREF(key);
    return status;
}

HPyAPI_FUNC int HPy_DelItem_i(HPyContext *ctx, HPy obj, HPy_ssize_t idx)
{
    PyObject *key;
    int status;
    (void)ctx;
    key = PyLong_FromSsize_t(idx);
    if (key == NULL)
        return -1;
    status = PyObject_DelItem(_h2py(obj), key);
    Py_DECREF(key);
    return status;
}

HPyAPI_FUNC int HPy_DelItem_s(HPyContext *ctx, HPy obj, const char *utf8_key)
{
    PyObject *key;
    int status;
    (void)ctx;
    key = PyUnicode_FromString(utf8_key);
    if (key == NULL)
        return -1;
    status = PyObject_DelItem(_h2py(obj), key);
    Py_DECREF(key);
    return status;
}

HPyAPI_FUNC HPy HPyBytes_FromStringAndSize(HPyContext *ctx, const char *bytes,
                                           HPy_ssize_t len)
{
    (void)ctx;
    if (bytes == NULL) {
        /* CPython would hand out an uninitialized buffer to fill in; an HPy
           bytes object is immutable from the start, so refuse. */
        PyErr_SetString(PyExc_ValueError,
                        "NULL char * passed to HPyBytes_FromStringAndSize");
        return HPy_NULL;
    }
    return _py2h(PyBytes_FromStringAndSize(bytes, len));
}

HPyAPI_FUNC HPy HPyTuple_FromArray(HPyContext *ctx, HPy items[], HPy_ssize_t n)
{
    PyObject *tuple;
    HPy_ssize_t i;
    (void)ctx;
    tuple = PyTuple_New(n);
    if (tuple == NULL)
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        PyObject *item = _h2py(items[i]);
        Py_INCREF(item);
        PyTuple_SET_ITEM(tuple, i, item);
    }
    return _py2h(tuple);
}

HPyAPI_FUNC void _HPy_Dump(HPyContext *ctx, HPy h)
{
    PyObject *obj = _h2py(h);
    PyObject *repr;
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *saved;
#else
    PyObject *saved_type, *saved_value, *saved_tb;
#endif
    (void)ctx;
    fflush(stdout);
    fprintf(stderr, "HPy handle dump\n");
    fprintf(stderr, "  object   : %p\n", (void *)obj);
    if (obj == NULL) {
        fprintf(stderr, "  (HPy_NULL)\n");
        fflush(stderr);
        return;
    }
    fprintf(stderr, "  type     : %s\n", Py_TYPE(obj)->tp_name);
    fprintf(stderr, "  refcount : %ld\n", (long)Py_REFCNT(obj));

    /* computing the repr must not disturb a pending exception */
#if PY_VERSION_HEX >= 0x030C0000
    saved = PyErr_GetRaisedException();
#else
    PyErr_Fetch(&saved_type, &saved_value, &saved_tb);
#endif
    repr = PyObject_Repr(obj);
    if (repr != NULL) {
        const char *text = PyUnicode_AsUTF8(repr);
        fprintf(stderr, "  repr     : %s\n",
                text != NULL ? text : "<repr not encodable>");
        Py_DECREF(repr);
    }
    else {
        fprintf(stderr, "  repr     : <repr() raised an exception>\n");
    }
    PyErr_Clear();
#if PY_VERSION_HEX >= 0x030C0000
    PyErr_SetRaisedException(saved);
#else
    PyErr_Restore(saved_type, saved_value, saved_tb);
#endif
    fflush(stderr);
}


/* ------------------------------------------------------------------------ */
/* Calls                                                                    */
/* ------------------------------------------------------------------------ */

HPyAPI_FUNC HPy HPy_CallTupleDict(HPyContext *ctx, HPy callable, HPy args,
                                  HPy kw)
{
    PyObject *py_callable = _h2py(callable);
    PyObject *py_args = _h2py(args);
    PyObject *py_kw = _h2py(kw);
    PyObject *empty, *result;
    (void)ctx;
    if (py_args != NULL && !PyTuple_Check(py_args)) {
        PyErr_SetString(PyExc_TypeError,
            "HPy_CallTupleDict: args must be a tuple or HPy_NULL");
        return HPy_NULL;
    }
    if (py_kw != NULL && !PyDict_Check(py_kw)) {
        PyErr_SetString(PyExc_TypeError,
            "HPy_CallTupleDict: kw must be a dict or HPy_NULL");
        return HPy_NULL;
    }
    /* the usual case first: PyObject_Call directly (PyObject_CallObject
       would only check the tuple again on its way there) */
    if (py_args != NULL)
        return _py2h(PyObject_Call(py_callable, py_args, py_kw));
    if (py_kw == NULL)          /* a NULL args means no positional ones */
        return _py2h(PyObject_CallNoArgs(py_callable));
    /* keywords only: PyObject_Call wants a tuple */
    empty = PyTuple_New(0);
    if (empty == NULL)
        return HPy_NULL;
    result = PyObject_Call(py_callable, empty, py_kw);
    Py_DECREF(empty);
    return _py2h(result);
}

/* HPy_Call has exactly the vectorcall convention: positional arguments, then
   the values of the keyword arguments, whose names are in kwnames. No
   PY_VECTORCALL_ARGUMENTS_OFFSET: args[-1] does not belong to us. */
/* kwnames is handed to CPython as is, and CPython trusts it to be a tuple
   (a list would be read as one, out of bounds): check it, as the universal
   runtime does. */
static inline int _HPyCall_CheckKwnames(HPy kwnames, const char *api)
{
    PyObject *k = _h2py(kwnames);
    if (k != NULL && !PyTuple_Check(k)) {
        PyErr_Format(PyExc_TypeError,
                     "%s arg 'kwnames' must be a tuple object or HPy_NULL",
                     api);
        return -1;
    }
    return 0;
}

HPyAPI_FUNC HPy HPy_Call(HPyContext *ctx, HPy callable, const HPy *args,
                         size_t nargs, HPy kwnames)
{
    (void)ctx;
    if (_HPyCall_CheckKwnames(kwnames, "HPy_Call") < 0)
        return HPy_NULL;
#if PY_VERSION_HEX >= 0x03090000
    return _py2h(PyObject_Vectorcall(_h2py(callable),
                                     (PyObject *const *)args, nargs,
                                     _h2py(kwnames)));
#else
    return _py2h(_PyObject_Vectorcall(_h2py(callable),
                                      (PyObject *const *)args, nargs,
                                      _h2py(kwnames)));
#endif
}

/* HPy_CallMethod: args[0] is the receiver and is counted in nargs. */
HPyAPI_FUNC HPy HPy_CallMethod(HPyContext *ctx, HPy name, const HPy *args,
                               size_t nargs, HPy kwnames)
{
    (void)ctx;
    assert(nargs >= 1);
    if (_HPyCall_CheckKwnames(kwnames, "HPy_CallMethod") < 0)
        return HPy_NULL;
#if PY_VERSION_HEX >= 0x03090000
    return _py2h(PyObject_VectorcallMethod(_h2py(name),
                                           (PyObject *const *)args, nargs,
                                           _h2py(kwnames)));
#else
    {
        PyObject *const *py_args = (PyObject *const *)args;
        PyObject *method, *result;
        method = PyObject_GetAttr(py_args[0], _h2py(name));
        if (method == NULL)
            return HPy_NULL;
        result = _PyObject_Vectorcall(method, py_args + 1, nargs - 1,
                                      _h2py(kwnames));
        Py_DECREF(method);
        return _py2h(result);
    }
#endif
}


/* ------------------------------------------------------------------------ */
/* Errors                                                                   */
/* ------------------------------------------------------------------------ */

HPyAPI_FUNC _HPyAPI_MANUAL_NORETURN void HPy_FatalError(HPyContext *ctx,
                                                        const char *message)
{
    (void)ctx;
    Py_FatalError(message);
}

HPyAPI_FUNC int HPyErr_Occurred(HPyContext *ctx)
{
    (void)ctx;
    return PyErr_Occurred() != NULL;
}


/* ------------------------------------------------------------------------ */
/* Evaluation                                                               */
/* ------------------------------------------------------------------------ */

HPyAPI_FUNC HPy HPy_Compile_s(HPyContext *ctx, const char *utf8_source,
                              const char *utf8_filename, HPy_SourceKind kind)
{
    int start;
    (void)ctx;
    switch (kind) {
    case HPy_SourceKind_Expr:
        start = Py_eval_input;
        break;
    case HPy_SourceKind_File:
        start = Py_file_input;
        break;
    case HPy_SourceKind_Single:
        start = Py_single_input;
        break;
    default:
        PyErr_SetString(PyExc_SystemError,
                        "HPy_Compile_s: unknown HPy_SourceKind");
        return HPy_NULL;
    }
    return _py2h(Py_CompileString(utf8_source, utf8_filename, start));
}


/* ------------------------------------------------------------------------ */
/* List and tuple builders                                                  */
/*                                                                          */
/* New never reports an error: on failure the builder holds NULL, Set does  */
/* nothing and Build raises MemoryError, so that the caller only has to     */
/* check the result of Build.                                               */
/* ------------------------------------------------------------------------ */

HPyAPI_FUNC HPyListBuilder HPyListBuilder_New(HPyContext *ctx,
                                              HPy_ssize_t size)
{
    HPyListBuilder builder;
    PyObject *list = PyList_New(size);
    (void)ctx;
    if (list == NULL)
        PyErr_Clear();          /* reported by HPyListBuilder_Build */
    builder._lst = (intptr_t)list;
    return builder;
}

HPyAPI_FUNC void HPyListBuilder_Set(HPyContext *ctx, HPyListBuilder builder,
                                    HPy_ssize_t index, HPy h_item)
{
    PyObject *list = (PyObject *)builder._lst;
    PyObject *item;
    (void)ctx;
    if (list == NULL)
        return;
    item = _h2py(h_item);
    assert(index >= 0 && index < PyList_GET_SIZE(list));
    assert(PyList_GET_ITEM(list, index) == NULL);
    Py_INCREF(item);
    PyList_SET_ITEM(list, index, item);
}

HPyAPI_FUNC HPy HPyListBuilder_Build(HPyContext *ctx, HPyListBuilder builder)
{
    PyObject *list = (PyObject *)builder._lst;
    (void)ctx;
    if (list == NULL) {
        PyErr_NoMemory();
        return HPy_NULL;
    }
    return _py2h(list);
}

HPyAPI_FUNC void HPyListBuilder_Cancel(HPyContext *ctx, HPyListBuilder builder)
{
    (void)ctx;
    /* a failed New is not reported here: cancelling usually happens while
       another error is being handled */
    Py_XDECREF((PyObject *)builder._lst);
}

HPyAPI_FUNC HPyTupleBuilder HPyTupleBuilder_New(HPyContext *ctx,
                                                HPy_ssize_t size)
{
    HPyTupleBuilder builder;
    PyObject *tuple = PyTuple_New(size);
    (void)ctx;
    if (tuple == NULL)
        PyErr_Clear();          /* reported by HPyTupleBuilder_Build */
    builder._tup = (intptr_t)tuple;
    return builder;
}

HPyAPI_FUNC void HPyTupleBuilder_Set(HPyContext *ctx, HPyTupleBuilder builder,
                                     HPy_ssize_t index, HPy h_item)
{
    PyObject *tuple = (PyObject *)builder._tup;
    PyObject *item;
    (void)ctx;
    if (tuple == NULL)
        return;
    item = _h2py(h_item);
    assert(index >= 0 && index < PyTuple_GET_SIZE(tuple));
    assert(PyTuple_GET_ITEM(tuple, index) == NULL);
    Py_INCREF(item);
    PyTuple_SET_ITEM(tuple, index, item);
}

HPyAPI_FUNC HPy HPyTupleBuilder_Build(HPyContext *ctx,
                                      HPyTupleBuilder builder)
{
    PyObject *tuple = (PyObject *)builder._tup;
    (void)ctx;
    if (tuple == NULL) {
        PyErr_NoMemory();
        return HPy_NULL;
    }
    return _py2h(tuple);
}

HPyAPI_FUNC void HPyTupleBuilder_Cancel(HPyContext *ctx,
                                        HPyTupleBuilder builder)
{
    (void)ctx;
    Py_XDECREF((PyObject *)builder._tup);
}


/* ------------------------------------------------------------------------ */
/* Tracker                                                                  */
/*                                                                          */
/* The array always keeps one free slot after the tracked handles: Add      */
/* stores the handle first and grows afterwards, so even when growing fails */
/* the handle is tracked and HPyTracker_Close will close it.                */
/* ------------------------------------------------------------------------ */

typedef struct {
    HPy_ssize_t size;       /* handles tracked */
    HPy_ssize_t capacity;   /* slots allocated in `handles`, > size */
    HPy *handles;
} _HPyTracker_s;

#define _HPyTracker_DEFAULT_SIZE 8
/* largest number of slots whose size in bytes fits in a Py_ssize_t; doubling
   any capacity up to it cannot overflow */
#define _HPyTracker_MAX_CAPACITY \
    ((HPy_ssize_t)(PY_SSIZE_T_MAX / (HPy_ssize_t)sizeof(HPy)))

static inline _HPyTracker_s *_HPyTracker_get(HPyTracker ht)
{
    return (_HPyTracker_s *)ht._i;
}

/* Grow the array to `capacity` slots; -1 with MemoryError set on failure. */
static inline int _HPyTracker_resize(_HPyTracker_s *t, HPy_ssize_t capacity)
{
    HPy *handles;
    if (capacity > _HPyTracker_MAX_CAPACITY) {
        PyErr_NoMemory();
        return -1;
    }
    handles = (HPy *)PyMem_Realloc(t->handles,
                                   (size_t)capacity * sizeof(HPy));
    if (handles == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    t->handles = handles;
    t->capacity = capacity;
    return 0;
}

HPyAPI_FUNC HPyTracker HPyTracker_New(HPyContext *ctx, HPy_ssize_t size)
{
    HPyTracker ht;
    _HPyTracker_s *t;
    (void)ctx;
    ht._i = 0;
    if (size <= 0) {
        size = _HPyTracker_DEFAULT_SIZE;
    }
    else if (size >= _HPyTracker_MAX_CAPACITY) {
        PyErr_NoMemory();
        return ht;
    }
    t = (_HPyTracker_s *)PyMem_Malloc(sizeof(_HPyTracker_s));
    if (t == NULL) {
        PyErr_NoMemory();
        return ht;
    }
    t->size = 0;
    t->capacity = 0;
    t->handles = NULL;
    if (_HPyTracker_resize(t, size + 1) < 0) {   /* + the spare slot */
        PyMem_Free(t);
        return ht;
    }
    ht._i = (intptr_t)t;
    return ht;
}

HPyAPI_FUNC int HPyTracker_Add(HPyContext *ctx, HPyTracker ht, HPy h)
{
    _HPyTracker_s *t = _HPyTracker_get(ht);
    (void)ctx;
    if (t->size >= t->capacity) {
        /* only after a failed Add, which the caller should not follow with
           another Add: try again, and refuse h if there is still no room */
        if (_HPyTracker_resize(t, t->capacity * 2) < 0)
            return -1;
    }
    t->handles[t->size++] = h;
    if (t->size == t->capacity) {
        if (_HPyTracker_resize(t, t->capacity * 2) < 0)
            return -1;          /* h stays tracked in the spare slot */
    }
    return 0;
}

HPyAPI_FUNC void HPyTracker_ForgetAll(HPyContext *ctx, HPyTracker ht)
{
    (void)ctx;
    _HPyTracker_get(ht)->size = 0;
}

HPyAPI_FUNC void HPyTracker_Close(HPyContext *ctx, HPyTracker ht)
{
    _HPyTracker_s *t = _HPyTracker_get(ht);
    HPy_ssize_t i;
    (void)ctx;
    if (t == NULL)              /* a failed HPyTracker_New */
        return;
    for (i = 0; i < t->size; i++)
        Py_XDECREF(_h2py(t->handles[i]));
    PyMem_Free(t->handles);
    PyMem_Free(t);
}

#undef _HPyTracker_DEFAULT_SIZE
#undef _HPyTracker_MAX_CAPACITY


/* ------------------------------------------------------------------------ */
/* Fields and globals: each holds a strong reference to its object. A new   */
/* value is increfed and stored before the old one is released, because    */
/* releasing it can run arbitrary code (__del__) that may look at the slot. */
/* ------------------------------------------------------------------------ */

HPyAPI_FUNC void HPyField_Store(HPyContext *ctx, HPy target_object,
                                HPyField *target_field, HPy h)
{
    PyObject *old_value = (PyObject *)target_field->_i;
    PyObject *new_value = _h2py(h);
    (void)ctx;
    (void)target_object;
    Py_XINCREF(new_value);
    target_field->_i = (intptr_t)new_value;
    Py_XDECREF(old_value);
}

HPyAPI_FUNC HPy HPyField_Load(HPyContext *ctx, HPy source_object,
                              HPyField source_field)
{
    PyObject *value = (PyObject *)source_field._i;
    (void)ctx;
    (void)source_object;
    Py_INCREF(value);
    return _py2h(value);
}

HPyAPI_FUNC void HPyGlobal_Store(HPyContext *ctx, HPyGlobal *global, HPy h)
{
    PyObject *old_value = (PyObject *)global->_i;
    PyObject *new_value = _h2py(h);
    (void)ctx;
    Py_XINCREF(new_value);
    global->_i = (intptr_t)new_value;
    Py_XDECREF(old_value);
}

HPyAPI_FUNC HPy HPyGlobal_Load(HPyContext *ctx, HPyGlobal global)
{
    PyObject *value = (PyObject *)global._i;
    (void)ctx;
    Py_INCREF(value);
    return _py2h(value);
}


/* ------------------------------------------------------------------------ */
/* The GIL                                                                  */
/* ------------------------------------------------------------------------ */

HPyAPI_FUNC HPyThreadState HPy_LeavePythonExecution(HPyContext *ctx)
{
    HPyThreadState state;
    (void)ctx;
    state._i = (intptr_t)PyEval_SaveThread();
    return state;
}

HPyAPI_FUNC void HPy_ReenterPythonExecution(HPyContext *ctx,
                                            HPyThreadState state)
{
    (void)ctx;
    PyEval_RestoreThread((PyThreadState *)state._i);
}

#undef _HPyAPI_MANUAL_NORETURN

#endif /* HPY_CPYTHON_API_MANUAL_H */
