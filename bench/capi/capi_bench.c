/*
 * hpy-rs microbenchmarks, C API version: the same logic as
 * bench/hpy/hpy_bench.c, written against Python.h. Where HPy returns a new
 * handle, the C API call used here returns a new reference (the same
 * contract), so that the two compute exactly the same thing.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>                 /* offsetof */
#if PY_VERSION_HEX >= 0x030C0000
#  define BENCH_T_LONG Py_T_LONG
#  define BENCH_T_DOUBLE Py_T_DOUBLE
#else
#  include <structmember.h>
#  define BENCH_T_LONG T_LONG
#  define BENCH_T_DOUBLE T_DOUBLE
#endif

#define BENCH_KEEP(x) __asm__ volatile("" : "+r"(x))

#define NKEYS 8

static const char *key_names[NKEYS] = {
    "key0", "key1", "key2", "key3", "key4", "key5", "key6", "key7",
};

static int bench_args(PyObject *const *args, Py_ssize_t nargs,
                      Py_ssize_t expected, Py_ssize_t *n)
{
    if (nargs != expected) {
        PyErr_SetString(PyExc_TypeError, "wrong number of arguments");
        return -1;
    }
    *n = PyLong_AsSsize_t(args[0]);
    if (*n == -1 && PyErr_Occurred())
        return -1;
    return 0;
}

static PyObject *last_or_none(PyObject *r)
{
    if (r == NULL)
        Py_RETURN_NONE;
    return r;
}

/* ---- calls from Python --------------------------------------------------- */

static PyObject *noargs(PyObject *self, PyObject *unused)
{
    Py_RETURN_NONE;
}

static PyObject *onearg(PyObject *self, PyObject *arg)
{
    Py_INCREF(arg);
    return arg;
}

static PyObject *varargs(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *r = nargs > 0 ? args[nargs - 1] : Py_None;
    Py_INCREF(r);
    return r;
}

static PyObject *keywords(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                          PyObject *kwnames)
{
    Py_ssize_t total = nargs;
    PyObject *r;
    if (kwnames != NULL) {
        Py_ssize_t nkw = PyObject_Length(kwnames);
        if (nkw < 0)
            return NULL;
        total += nkw;
    }
    r = total > 0 ? args[total - 1] : Py_None;
    Py_INCREF(r);
    return r;
}

/* ---- the baseline -------------------------------------------------------- */

static PyObject *bench_empty(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i, count = 0;
    if (bench_args(args, nargs, 1, &n) < 0)
        return NULL;
    for (i = 0; i < n; i++) {
        count++;
        BENCH_KEEP(count);
    }
    return PyLong_FromSsize_t(count);
}

/* ---- calling Python from C ----------------------------------------------- */

static PyObject *bench_call_tuple(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i;
    PyObject *r = NULL;
    if (bench_args(args, nargs, 3, &n) < 0)
        return NULL;
    for (i = 0; i < n; i++) {
        Py_XDECREF(r);
        r = PyObject_Call(args[1], args[2], NULL);
        if (r == NULL)
            return NULL;
    }
    return last_or_none(r);
}

static PyObject *bench_call_tuple_dict(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i;
    PyObject *r = NULL;
    if (bench_args(args, nargs, 4, &n) < 0)
        return NULL;
    for (i = 0; i < n; i++) {
        Py_XDECREF(r);
        r = PyObject_Call(args[1], args[2], args[3]);
        if (r == NULL)
            return NULL;
    }
    return last_or_none(r);
}

static PyObject *bench_call(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i;
    PyObject *r = NULL;
    if (bench_args(args, nargs, 4, &n) < 0)
        return NULL;
    for (i = 0; i < n; i++) {
        Py_XDECREF(r);
        r = PyObject_Vectorcall(args[1], args + 2, 2, NULL);
        if (r == NULL)
            return NULL;
    }
    return last_or_none(r);
}

static PyObject *bench_call_method(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i;
    PyObject *r = NULL;
    PyObject *margs[2];
    if (bench_args(args, nargs, 4, &n) < 0)
        return NULL;
    margs[0] = args[1];
    margs[1] = args[3];
    for (i = 0; i < n; i++) {
        Py_XDECREF(r);
        r = PyObject_VectorcallMethod(args[2], margs, 2, NULL);
        if (r == NULL)
            return NULL;
    }
    return last_or_none(r);
}

/* ---- the object protocol ------------------------------------------------- */

static PyObject *bench_len(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i, total = 0;
    if (bench_args(args, nargs, 2, &n) < 0)
        return NULL;
    for (i = 0; i < n; i++) {
        Py_ssize_t len = PyObject_Length(args[1]);
        if (len < 0)
            return NULL;
        total += len;
    }
    return PyLong_FromSsize_t(total);
}

static PyObject *bench_tuple_getitem(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i, j, size, count = 0;
    if (bench_args(args, nargs, 2, &n) < 0)
        return NULL;
    size = PyObject_Length(args[1]);
    if (size < 0)
        return NULL;
    for (i = 0; i < n; i++) {
        for (j = 0; j < size; j++) {
            PyObject *item = PySequence_GetItem(args[1], j);
            if (item == NULL)
                return NULL;
            count += (item == Py_None);
            Py_DECREF(item);
        }
    }
    return PyLong_FromSsize_t(count);
}

static int get_keys(PyObject *t, PyObject **keys)
{
    int k;
    if (PyObject_Length(t) != NKEYS) {
        PyErr_SetString(PyExc_ValueError, "expected 8 keys");
        return -1;
    }
    for (k = 0; k < NKEYS; k++) {
        keys[k] = PySequence_GetItem(t, k);
        if (keys[k] == NULL) {
            while (--k >= 0)
                Py_DECREF(keys[k]);
            return -1;
        }
    }
    return 0;
}

static void close_keys(PyObject **keys)
{
    int k;
    for (k = 0; k < NKEYS; k++)
        Py_DECREF(keys[k]);
}

static PyObject *bench_dict_getitem(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i, count = 0;
    PyObject *keys[NKEYS];
    if (bench_args(args, nargs, 3, &n) < 0)
        return NULL;
    if (get_keys(args[2], keys) < 0)
        return NULL;
    for (i = 0; i < n; i++) {
        PyObject *v = PyObject_GetItem(args[1], keys[i & (NKEYS - 1)]);
        if (v == NULL) {
            close_keys(keys);
            return NULL;
        }
        count += (v == Py_None);
        Py_DECREF(v);
    }
    close_keys(keys);
    return PyLong_FromSsize_t(count);
}

static PyObject *bench_dict_getitem_s(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i, count = 0;
    if (bench_args(args, nargs, 2, &n) < 0)
        return NULL;
    for (i = 0; i < n; i++) {
        PyObject *v = PyMapping_GetItemString(args[1], key_names[i & (NKEYS - 1)]);
        if (v == NULL)
            return NULL;
        count += (v == Py_None);
        Py_DECREF(v);
    }
    return PyLong_FromSsize_t(count);
}

static PyObject *bench_getattr(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i;
    PyObject *r = NULL;
    if (bench_args(args, nargs, 3, &n) < 0)
        return NULL;
    for (i = 0; i < n; i++) {
        Py_XDECREF(r);
        r = PyObject_GetAttr(args[1], args[2]);
        if (r == NULL)
            return NULL;
    }
    return last_or_none(r);
}

static PyObject *bench_type_check(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i, count = 0;
    PyObject *objs[2];
    if (bench_args(args, nargs, 3, &n) < 0)
        return NULL;
    objs[0] = PySequence_GetItem(args[1], 0);
    if (objs[0] == NULL)
        return NULL;
    objs[1] = PySequence_GetItem(args[1], 1);
    if (objs[1] == NULL) {
        Py_DECREF(objs[0]);
        return NULL;
    }
    for (i = 0; i < n; i++)
        count += PyObject_TypeCheck(objs[i & 1], (PyTypeObject *)args[2]);
    Py_DECREF(objs[0]);
    Py_DECREF(objs[1]);
    return PyLong_FromSsize_t(count);
}

/* ---- integers ------------------------------------------------------------ */

static PyObject *bench_long_from(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i;
    PyObject *r = NULL;
    if (bench_args(args, nargs, 1, &n) < 0)
        return NULL;
    for (i = 0; i < n; i++) {
        Py_XDECREF(r);
        r = PyLong_FromLong(1000 + (long)(i & 1023));
        if (r == NULL)
            return NULL;
    }
    return last_or_none(r);
}

static PyObject *bench_long_as(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i;
    long total = 0;
    PyObject *ints[NKEYS];
    if (bench_args(args, nargs, 2, &n) < 0)
        return NULL;
    if (get_keys(args[1], ints) < 0)
        return NULL;
    for (i = 0; i < n; i++) {
        long v = PyLong_AsLong(ints[i & (NKEYS - 1)]);
        if (v == -1 && PyErr_Occurred()) {
            close_keys(ints);
            return NULL;
        }
        total += v;
    }
    close_keys(ints);
    return PyLong_FromLong(total);
}

/* ---- allocation ---------------------------------------------------------- */

static PyObject *bench_tuple_new(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i, k;
    PyObject *r = NULL;
    if (bench_args(args, nargs, 4, &n) < 0)
        return NULL;
    for (i = 0; i < n; i++) {
        Py_XDECREF(r);
        r = PyTuple_New(3);
        if (r == NULL)
            return NULL;
        for (k = 0; k < 3; k++) {
            Py_INCREF(args[1 + k]);
            PyTuple_SET_ITEM(r, k, args[1 + k]);
        }
    }
    return last_or_none(r);
}

static PyObject *bench_list_builder(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i;
    PyObject *r = NULL;
    if (bench_args(args, nargs, 4, &n) < 0)
        return NULL;
    for (i = 0; i < n; i++) {
        Py_XDECREF(r);
        r = PyList_New(3);
        if (r == NULL)
            return NULL;
        Py_INCREF(args[1]);
        PyList_SET_ITEM(r, 0, args[1]);
        Py_INCREF(args[2]);
        PyList_SET_ITEM(r, 1, args[2]);
        Py_INCREF(args[3]);
        PyList_SET_ITEM(r, 2, args[3]);
    }
    return last_or_none(r);
}

static PyObject *bench_float_list(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i, j;
    PyObject *r = NULL;
    if (bench_args(args, nargs, 1, &n) < 0)
        return NULL;
    for (i = 0; i < n; i++) {
        Py_XDECREF(r);
        r = PyList_New(1000);
        if (r == NULL)
            return NULL;
        for (j = 0; j < 1000; j++) {
            PyObject *f = PyFloat_FromDouble((double)j * 0.5);
            if (f == NULL) {
                Py_DECREF(r);
                return NULL;
            }
            PyList_SET_ITEM(r, j, f);
        }
    }
    return last_or_none(r);
}

/* ---- a heap type --------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    long x;
    double y;
} PointObject;

static PyMemberDef Point_members[] = {
    {"x", BENCH_T_LONG, offsetof(PointObject, x), 0, NULL},
    {"y", BENCH_T_DOUBLE, offsetof(PointObject, y), 0, NULL},
    {NULL}
};

static PyType_Slot Point_slots[] = {
    {Py_tp_members, Point_members},
    {0, NULL}
};

static PyType_Spec Point_spec = {
    .name = "capi_bench.Point",
    .basicsize = sizeof(PointObject),
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = Point_slots,
};

static PyObject *bench_new_instance(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n, i;
    PyObject *r = NULL;
    PyTypeObject *tp;
    if (bench_args(args, nargs, 2, &n) < 0)
        return NULL;
    if (!PyType_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "expected a type");
        return NULL;
    }
    tp = (PyTypeObject *)args[1];
    for (i = 0; i < n; i++) {
        PointObject *p;
        Py_XDECREF(r);
        r = tp->tp_alloc(tp, 0);
        if (r == NULL)
            return NULL;
        p = (PointObject *)r;
        p->x = (long)i;
        p->y = (double)i * 0.5;
    }
    return last_or_none(r);
}

#define FAST(name) {#name, (PyCFunction)(void (*)(void))name, METH_FASTCALL, NULL}

static PyMethodDef methods[] = {
    {"noargs", noargs, METH_NOARGS, NULL},
    {"onearg", onearg, METH_O, NULL},
    FAST(varargs),
    {"keywords", (PyCFunction)(void (*)(void))keywords, METH_FASTCALL | METH_KEYWORDS, NULL},
    FAST(bench_empty),
    FAST(bench_call_tuple), FAST(bench_call_tuple_dict), FAST(bench_call), FAST(bench_call_method),
    FAST(bench_len), FAST(bench_tuple_getitem), FAST(bench_dict_getitem), FAST(bench_dict_getitem_s),
    FAST(bench_getattr), FAST(bench_type_check),
    FAST(bench_long_from), FAST(bench_long_as),
    FAST(bench_tuple_new), FAST(bench_list_builder), FAST(bench_float_list),
    FAST(bench_new_instance),
    {NULL}
};

static int bench_exec(PyObject *m)
{
    PyObject *t = PyType_FromSpec(&Point_spec);
    int r;
    if (t == NULL)
        return -1;
    r = PyObject_SetAttrString(m, "Point", t);
    Py_DECREF(t);
    return r;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, bench_exec},
    {0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT,
    .m_name = "capi_bench",
    .m_doc = "hpy-rs microbenchmarks (C API)",
    .m_size = 0,
    .m_methods = methods,
    .m_slots = slots,
};

PyMODINIT_FUNC PyInit_capi_bench(void)
{
    return PyModuleDef_Init(&moduledef);
}
