/*
 * _cgctl: callgrind client requests for the benchmark worker.
 *
 * measure(name, fn, *args) zeroes callgrind's counters, calls fn(*args) and
 * dumps the counters as a profile part labelled `name`; so each dump holds
 * exactly the cost of one call (plus a constant: the entry and exit of
 * this function, the same for every call). Outside valgrind the client
 * requests are a few no-op instructions.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <valgrind/callgrind.h>

static PyObject *start(PyObject *self, PyObject *unused)
{
    CALLGRIND_START_INSTRUMENTATION;
    Py_RETURN_NONE;
}

static PyObject *running_on_valgrind(PyObject *self, PyObject *unused)
{
    return PyBool_FromLong(RUNNING_ON_VALGRIND);
}

static PyObject *measure(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    const char *name;
    PyObject *r;
    if (nargs < 2 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "measure(name, fn, *args)");
        return NULL;
    }
    name = PyUnicode_AsUTF8(args[0]);
    if (name == NULL)
        return NULL;
    CALLGRIND_ZERO_STATS;
    r = PyObject_Vectorcall(args[1], args + 2, (size_t)(nargs - 2), NULL);
    CALLGRIND_DUMP_STATS_AT(name);
    return r;
}

static PyMethodDef methods[] = {
    {"start", start, METH_NOARGS, NULL},
    {"running_on_valgrind", running_on_valgrind, METH_NOARGS, NULL},
    {"measure", (PyCFunction)(void (*)(void))measure, METH_FASTCALL, NULL},
    {NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "_cgctl", NULL, 0, methods,
};

PyMODINIT_FUNC PyInit__cgctl(void)
{
    return PyModule_Create(&moduledef);
}
