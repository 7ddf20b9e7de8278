/*
 * cpython ABI: what a handle is. An HPy, HPyField or HPyGlobal holds the
 * PyObject* itself, and an HPyThreadState the PyThreadState*; converting is
 * a reinterpretation, never a lookup, and an array of PyObject* is an array
 * of HPy. The asserts pin down the layout facts everything else relies on.
 */
#ifndef HPY_CPYTHON_HANDLES_H
#define HPY_CPYTHON_HANDLES_H

_HPy_STATIC_ASSERT(sizeof(HPy) == sizeof(PyObject *),
                   "an HPy must be exactly a PyObject* in the cpython ABI");
_HPy_STATIC_ASSERT(sizeof(HPy_buffer) == sizeof(Py_buffer) &&
                   offsetof(HPy_buffer, obj) == offsetof(Py_buffer, obj) &&
                   offsetof(HPy_buffer, format) == offsetof(Py_buffer, format) &&
                   offsetof(HPy_buffer, internal) == offsetof(Py_buffer, internal),
                   "HPy_buffer must have the layout of Py_buffer");

static inline PyObject *_h2py(HPy h) { return (PyObject *)h._i; }
static inline HPy _py2h(PyObject *o) { return _HPy_MAKE(HPy, o); }

static inline PyObject *_hf2py(HPyField f) { return (PyObject *)f._i; }
static inline HPyField _py2hf(PyObject *o) { return _HPy_MAKE(HPyField, o); }

static inline PyObject *_hg2py(HPyGlobal g) { return (PyObject *)g._i; }
static inline HPyGlobal _py2hg(PyObject *o) { return _HPy_MAKE(HPyGlobal, o); }

static inline PyThreadState *_h2threads(HPyThreadState s) { return (PyThreadState *)s._i; }
static inline HPyThreadState _threads2h(PyThreadState *s) { return _HPy_MAKE(HPyThreadState, s); }

static inline const HPy *_arr_py2h(PyObject *const *items) { return (const HPy *)items; }
static inline PyObject *const *_arr_h2py(const HPy *items) { return (PyObject *const *)items; }

#endif /* HPY_CPYTHON_HANDLES_H */
