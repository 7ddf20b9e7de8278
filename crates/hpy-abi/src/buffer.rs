//! The buffer protocol and GC traversal as HPy code sees them.

use crate::{HPy, HPyField, HPy_ssize_t};
use std::ffi::{c_char, c_int, c_void};

/// CPython's `Py_buffer`, opaque to code that does not include Python.h.
#[repr(C)]
pub struct cpy_Py_buffer {
    _opaque: [u8; 0],
}

/// What an `HPy_bf_getbuffer` implementation fills in: field for field
/// CPython's `Py_buffer`, with a handle in place of the `PyObject *`.
#[repr(C)]
#[derive(Copy, Clone)]
pub struct HPy_buffer {
    pub buf: *mut c_void,
    /// Owned: released together with the buffer.
    pub obj: HPy,
    pub len: HPy_ssize_t,
    pub itemsize: HPy_ssize_t,
    pub readonly: c_int,
    pub ndim: c_int,
    pub format: *mut c_char,
    pub shape: *mut HPy_ssize_t,
    pub strides: *mut HPy_ssize_t,
    pub suboffsets: *mut HPy_ssize_t,
    pub internal: *mut c_void,
}

/// The visitor an `HPy_tp_traverse` implementation calls on each field.
pub type HPyFunc_visitproc = Option<unsafe extern "C" fn(*mut HPyField, *mut c_void) -> c_int>;

/// CPython's `visitproc`.
pub type cpy_visitproc = Option<unsafe extern "C" fn(*mut crate::cpy_PyObject, *mut c_void) -> c_int>;

/// `HPy_tp_traverse`: receives the object's C struct, not a handle.
pub type HPyFunc_traverseproc = unsafe extern "C" fn(*mut c_void, HPyFunc_visitproc, *mut c_void) -> c_int;

/// `HPy_tp_destroy`: receives the object's C struct.
pub type HPyFunc_destroyfunc = unsafe extern "C" fn(*mut c_void);
