//! Small helpers for the Python-level modules the runtime defines itself
//! (`hpy.universal._debug`, `hpy.universal._trace`).

use crate::errors::set_error;
use pyo3_ffi as ffi;
use std::ffi::{c_char, CStr};
use std::ptr::null_mut;

/// A `PyMethodDef` for a function of the given flavour.
macro_rules! method {
    ($name:literal, noargs $f:expr, $doc:literal) => {
        pyo3_ffi::PyMethodDef {
            ml_name: $name.as_ptr(),
            ml_meth: pyo3_ffi::PyMethodDefPointer { PyCFunction: $f },
            ml_flags: pyo3_ffi::METH_NOARGS,
            ml_doc: $doc.as_ptr(),
        }
    };
    ($name:literal, o $f:expr, $doc:literal) => {
        pyo3_ffi::PyMethodDef {
            ml_name: $name.as_ptr(),
            ml_meth: pyo3_ffi::PyMethodDefPointer { PyCFunction: $f },
            ml_flags: pyo3_ffi::METH_O,
            ml_doc: $doc.as_ptr(),
        }
    };
    ($name:literal, varargs $f:expr, $doc:literal) => {
        pyo3_ffi::PyMethodDef {
            ml_name: $name.as_ptr(),
            ml_meth: pyo3_ffi::PyMethodDefPointer { PyCFunction: $f },
            ml_flags: pyo3_ffi::METH_VARARGS,
            ml_doc: $doc.as_ptr(),
        }
    };
    ($name:literal, keywords $f:expr, $doc:literal) => {
        pyo3_ffi::PyMethodDef {
            ml_name: $name.as_ptr(),
            ml_meth: pyo3_ffi::PyMethodDefPointer { PyCFunctionWithKeywords: $f },
            ml_flags: pyo3_ffi::METH_VARARGS | pyo3_ffi::METH_KEYWORDS,
            ml_doc: $doc.as_ptr(),
        }
    };
}
pub(crate) use method;

/// Creates the module `hpy.universal.<name>` with `methods` (a static,
/// NULL-terminated table), sets it as the attribute `name` of `parent` and
/// registers it in `sys.modules`. Returns a borrowed reference, NULL on error.
pub(crate) unsafe fn add_submodule(
    parent: *mut ffi::PyObject,
    name: &CStr,
    full_name: &CStr,
    doc: &CStr,
    methods: *mut ffi::PyMethodDef,
) -> *mut ffi::PyObject {
    let m = ffi::PyModule_New(full_name.as_ptr());
    if m.is_null() {
        return null_mut();
    }
    let docobj = ffi::PyUnicode_FromString(doc.as_ptr());
    let ok = !docobj.is_null()
        && ffi::PyObject_SetAttrString(m, c"__doc__".as_ptr(), docobj) == 0
        && ffi::PyModule_AddFunctions(m, methods) == 0;
    ffi::Py_XDECREF(docobj);
    if !ok {
        ffi::Py_DECREF(m);
        return null_mut();
    }
    let sys_modules = ffi::PyImport_GetModuleDict();
    if ffi::PyDict_SetItemString(sys_modules, full_name.as_ptr(), m) < 0 {
        ffi::Py_DECREF(m);
        return null_mut();
    }
    // PyModule_AddObject steals the reference on success.
    if ffi::PyModule_AddObject(parent, name.as_ptr(), m) < 0 {
        ffi::Py_DECREF(m);
        return null_mut();
    }
    m
}

/// An int argument that fits `usize` (TypeError / ValueError otherwise).
pub(crate) unsafe fn usize_arg(fname: &str, o: *mut ffi::PyObject) -> Option<usize> {
    let n = ffi::PyLong_AsSsize_t(o);
    if n == -1 && !ffi::PyErr_Occurred().is_null() {
        return None;
    }
    if n < 0 {
        set_error(ffi::PyExc_ValueError, &format!("{fname}() expects a non-negative int"));
        return None;
    }
    Some(n as usize)
}

/// A new reference to None.
pub(crate) unsafe fn none() -> *mut ffi::PyObject {
    let n = ffi::Py_None();
    ffi::Py_INCREF(n);
    n
}

/// A Python str from Rust text (NULL with an exception on failure).
pub(crate) unsafe fn py_str(s: &str) -> *mut ffi::PyObject {
    ffi::PyUnicode_FromStringAndSize(s.as_ptr() as *const c_char, s.len() as isize)
}
