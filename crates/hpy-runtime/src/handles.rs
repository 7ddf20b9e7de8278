//! Universal handles: the bits of a `PyObject *`.

use hpy_abi::HPy;
use pyo3_ffi::PyObject;

/// A handle to an object the caller keeps alive by other means (builtins).
#[inline]
pub fn borrowed(obj: *mut PyObject) -> HPy {
    HPy { _i: obj as isize }
}

/// The object behind a handle (a borrowed reference).
#[inline]
pub fn h2py(h: HPy) -> *mut PyObject {
    h._i as *mut PyObject
}

/// A handle owning the new reference `obj` (NULL stays HPy_NULL).
#[inline]
pub fn py2h(obj: *mut PyObject) -> HPy {
    HPy { _i: obj as isize }
}

/// Reinterprets an array of objects as an array of handles: in universal
/// mode they have the same representation.
#[inline]
pub fn objects_as_handles(args: *const *mut PyObject) -> *const HPy {
    args.cast()
}
