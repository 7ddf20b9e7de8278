/*
 * Struct sequences (HPyStructSequence_*): tuples whose items are also
 * attributes, like os.stat_result.
 *
 * In the cpython ABI they are CPython's own struct sequence types. Other
 * ABIs have only the public API, which cannot create those, so there the
 * type is a collections.namedtuple with the same name, doc and n_fields.
 * Either way the type has an int attribute n_fields, and instances are
 * made only by HPyStructSequence_New, from exactly one value per field.
 */
#include "hpy.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Compared by address. Outside the cpython ABI the namedtuple still needs
   a name for the field: "_" is not a valid field name, so namedtuple's
   rename option turns it into "_<index>", which keeps it out of the way. */
const char *const HPyStructSequence_UnnamedField = "_";

static int
check_desc(HPyContext *ctx, HPyStructSequence_Desc *desc, HPy_ssize_t *n_fields)
{
    HPy_ssize_t n = 0;
    if (desc == NULL || desc->name == NULL) {
        HPyErr_SetString(ctx, ctx->h_SystemError,
            "Struct sequence descriptor does not define the name field.");
        return -1;
    }
    if (desc->fields == NULL) {
        HPyErr_SetString(ctx, ctx->h_SystemError,
            "Struct sequence descriptor does not define the fields.");
        return -1;
    }
    while (desc->fields[n].name != NULL)
        n++;
    *n_fields = n;
    return 0;
}

#ifdef HPY_ABI_CPYTHON

HPyAPI_HELPER HPy
HPyStructSequence_NewType(HPyContext *ctx, HPyStructSequence_Desc *desc)
{
    PyStructSequence_Desc d;
    PyStructSequence_Field *fields;
    PyTypeObject *type;
    HPy_ssize_t n, i;

    if (check_desc(ctx, desc, &n) < 0)
        return HPy_NULL;
    /* our unnamed marker is not CPython's: translate it in a copy (CPython
       reads the array only while creating the type) */
    fields = (PyStructSequence_Field *)PyMem_Malloc(
        ((size_t)n + 1) * sizeof(PyStructSequence_Field));
    if (fields == NULL) {
        PyErr_NoMemory();
        return HPy_NULL;
    }
    for (i = 0; i <= n; i++) {
        const char *name = desc->fields[i].name;
        fields[i].name = name == HPyStructSequence_UnnamedField
                         ? PyStructSequence_UnnamedField : name;
        fields[i].doc = desc->fields[i].doc;
    }
    d.name = desc->name;
    d.doc = desc->doc;
    d.fields = fields;
    d.n_in_sequence = (int)n;
    type = PyStructSequence_NewType(&d);
    PyMem_Free(fields);
    return _py2h((PyObject *)type);
}

/* The number of fields of a type made by PyStructSequence_NewType, or -1
   (no exception set) if `tp` is not such a type. Only the attributes
   CPython keeps in the type's own dict count: a namedtuple or any class
   with an n_fields attribute is not a struct sequence. */
static Py_ssize_t
structseq_n_fields(PyTypeObject *tp)
{
    static const char *const keys[] = {
        "n_sequence_fields", "n_unnamed_fields", "n_fields"
    };
    Py_ssize_t values[3];
    PyObject *dict;
    int i, ok = 1;

    if (tp->tp_base != &PyTuple_Type)
        return -1;
#if PY_VERSION_HEX >= 0x030C0000
    dict = PyType_GetDict(tp);
#else
    dict = tp->tp_dict;
    Py_XINCREF(dict);
#endif
    if (dict == NULL)
        return -1;
    for (i = 0; i < 3 && ok; i++) {
        PyObject *v = PyDict_GetItemString(dict, keys[i]);
        ok = v != NULL && PyLong_CheckExact(v);
        if (ok) {
            values[i] = PyLong_AsSsize_t(v);
            ok = values[i] >= 0;
        }
    }
    Py_DECREF(dict);
    PyErr_Clear();
    return ok ? values[2] : -1;
}

HPyAPI_HELPER HPy
HPyStructSequence_New(HPyContext *ctx, HPy type, HPy_ssize_t nargs, HPy *args)
{
    PyObject *type_obj = _h2py(type);
    PyTypeObject *tp;
    PyObject *seq;
    Py_ssize_t n_fields, i;
    (void)ctx;

    if (type_obj == NULL || !PyType_Check(type_obj) ||
        (n_fields = structseq_n_fields((PyTypeObject *)type_obj)) < 0) {
        PyErr_Format(PyExc_TypeError,
                     "'%R' does not look like a struct sequence type",
                     type_obj != NULL ? type_obj : Py_None);
        return HPy_NULL;
    }
    tp = (PyTypeObject *)type_obj;
    if (nargs != n_fields) {
        PyErr_Format(PyExc_TypeError,
                     "%s() takes exactly %zd arguments (%zd given)",
                     tp->tp_name, n_fields, nargs);
        return HPy_NULL;
    }
    seq = PyStructSequence_New(tp);
    if (seq == NULL)
        return HPy_NULL;
    for (i = 0; i < nargs; i++) {
        PyObject *item = _h2py(args[i]);
        Py_INCREF(item);
        PyStructSequence_SetItem(seq, i, item);
    }
    return _py2h(seq);
}

#else /* universal and hybrid: namedtuple */

/* obj.<name> = the str for s[0:len] */
static int
set_str_attr(HPyContext *ctx, HPy obj, const char *name, const char *s,
             size_t len)
{
    int status;
    HPy str;
    char *copy = (char *)malloc(len + 1);
    if (copy == NULL) {
        HPyErr_NoMemory(ctx);
        return -1;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    str = HPyUnicode_FromString(ctx, copy);
    free(copy);
    if (HPy_IsNull(str))
        return -1;
    status = HPy_SetAttr_s(ctx, obj, name, str);
    HPy_Close(ctx, str);
    return status;
}

HPyAPI_HELPER HPy
HPyStructSequence_NewType(HPyContext *ctx, HPyStructSequence_Desc *desc)
{
    HPy_ssize_t n, i;
    HPy namedtuple = HPy_NULL, names = HPy_NULL, call_args = HPy_NULL;
    HPy kwds = HPy_NULL, type = HPy_NULL, value = HPy_NULL;
    HPy *items = NULL;
    const char *dot, *qualname;

    if (check_desc(ctx, desc, &n) < 0)
        return HPy_NULL;

    {
        HPy collections = HPyImport_ImportModule(ctx, "collections");
        if (HPy_IsNull(collections))
            return HPy_NULL;
        namedtuple = HPy_GetAttr_s(ctx, collections, "namedtuple");
        HPy_Close(ctx, collections);
        if (HPy_IsNull(namedtuple))
            return HPy_NULL;
    }

    items = (HPy *)calloc((size_t)n + 1, sizeof(HPy));
    if (items == NULL) {
        HPyErr_NoMemory(ctx);
        goto done;
    }
    for (i = 0; i < n; i++) {
        items[i] = HPyUnicode_FromString(ctx, desc->fields[i].name);
        if (HPy_IsNull(items[i]))
            goto done;
    }
    names = HPyTuple_FromArray(ctx, items, n);
    if (HPy_IsNull(names))
        goto done;

    /* the real name is set below: namedtuple wants an identifier */
    {
        HPy pair[2];
        pair[0] = HPyUnicode_FromString(ctx, "structseq");
        if (HPy_IsNull(pair[0]))
            goto done;
        pair[1] = names;
        call_args = HPyTuple_FromArray(ctx, pair, 2);
        HPy_Close(ctx, pair[0]);
        if (HPy_IsNull(call_args))
            goto done;
    }
    kwds = HPyDict_New(ctx);
    if (HPy_IsNull(kwds) || HPy_SetItem_s(ctx, kwds, "rename", ctx->h_True) < 0)
        goto done;
    type = HPy_CallTupleDict(ctx, namedtuple, call_args, kwds);
    if (HPy_IsNull(type))
        goto done;

    dot = strrchr(desc->name, '.');
    qualname = dot != NULL ? dot + 1 : desc->name;
    if (set_str_attr(ctx, type, "__name__", qualname, strlen(qualname)) < 0 ||
        set_str_attr(ctx, type, "__qualname__", qualname, strlen(qualname)) < 0)
        goto fail;
    if (dot != NULL &&
        set_str_attr(ctx, type, "__module__", desc->name,
                     (size_t)(dot - desc->name)) < 0)
        goto fail;
    if (desc->doc != NULL) {
        if (set_str_attr(ctx, type, "__doc__", desc->doc, strlen(desc->doc)) < 0)
            goto fail;
    }
    else if (HPy_SetAttr_s(ctx, type, "__doc__", ctx->h_None) < 0) {
        goto fail;
    }
    value = HPyLong_FromSsize_t(ctx, n);
    if (HPy_IsNull(value) ||
        HPy_SetAttr_s(ctx, type, "n_fields", value) < 0 ||
        HPy_SetAttr_s(ctx, type, "n_sequence_fields", value) < 0)
        goto fail;
    goto done;

fail:
    HPy_Close(ctx, type);
    type = HPy_NULL;
done:
    if (items != NULL) {
        for (i = 0; i < n; i++)
            HPy_Close(ctx, items[i]);
        free(items);
    }
    HPy_Close(ctx, value);
    HPy_Close(ctx, kwds);
    HPy_Close(ctx, call_args);
    HPy_Close(ctx, names);
    HPy_Close(ctx, namedtuple);
    return type;
}

/* n_fields of a type made by HPyStructSequence_NewType, or -1. Any class
   can have an n_fields attribute: also require the namedtuple's _fields,
   of that length. */
static HPy_ssize_t
struct_type_n_fields(HPyContext *ctx, HPy type)
{
    HPy attr;
    HPy_ssize_t n_fields, n_names;

    if (!HPy_TypeCheck(ctx, type, ctx->h_TypeType))
        return -1;
    attr = HPy_GetAttr_s(ctx, type, "n_fields");
    if (HPy_IsNull(attr))
        return -1;
    n_fields = HPy_TypeCheck(ctx, attr, ctx->h_LongType)
               ? HPyLong_AsSsize_t(ctx, attr) : -1;
    HPy_Close(ctx, attr);
    if (n_fields < 0)
        return -1;
    attr = HPy_GetAttr_s(ctx, type, "_fields");
    if (HPy_IsNull(attr))
        return -1;
    n_names = HPyTuple_Check(ctx, attr) ? HPy_Length(ctx, attr) : -1;
    HPy_Close(ctx, attr);
    return n_names == n_fields ? n_fields : -1;
}

HPyAPI_HELPER HPy
HPyStructSequence_New(HPyContext *ctx, HPy type, HPy_ssize_t nargs, HPy *args)
{
    HPy tuple, result;
    HPy_ssize_t n_fields = struct_type_n_fields(ctx, type);

    if (n_fields < 0) {
        HPyErr_Clear(ctx);
        HPyErr_SetString(ctx, ctx->h_TypeError,
                         "the type does not look like a struct sequence type");
        return HPy_NULL;
    }
    if (nargs != n_fields) {
        char msg[200];
        snprintf(msg, sizeof(msg),
                 "a struct sequence of %ld fields needs exactly %ld values "
                 "(%ld given)", (long)n_fields, (long)n_fields, (long)nargs);
        HPyErr_SetString(ctx, ctx->h_TypeError, msg);
        return HPy_NULL;
    }
    tuple = HPyTuple_FromArray(ctx, args, nargs);
    if (HPy_IsNull(tuple))
        return HPy_NULL;
    result = HPy_CallTupleDict(ctx, type, tuple, HPy_NULL);
    HPy_Close(ctx, tuple);
    return result;
}

#endif
