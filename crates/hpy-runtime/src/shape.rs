//! Builtin shapes: where the C struct of a pure HPy type's instance lives.
//!
//! The user's struct does not start with `PyObject_HEAD`: it follows the C
//! struct of the builtin type the HPy type extends (`object`, `type`, `int`,
//! `float`, `str`, `tuple` or `list`), rounded up so that any C type is
//! correctly aligned in it. Legacy types (shape -1) are the exception: their
//! struct is the object itself.
//!
//! The sizes are read from the builtin type objects at run time, so they are
//! right for every CPython version and build (debug, trace-refs, free-threaded).

use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ptr::addr_of_mut;

/// The strictest alignment of a C scalar (`long double`, `max_align_t`).
const MAX_ALIGN: isize = 16;

#[inline]
fn align_up(size: isize) -> isize {
    (size + MAX_ALIGN - 1) & !(MAX_ALIGN - 1)
}

#[inline]
unsafe fn fixed_size(tp: *mut ffi::PyTypeObject) -> isize {
    (*tp).tp_basicsize
}

/// Variable-size builtins whose C struct declares its first item inline
/// (`ob_digit[1]`, `ob_item[1]`): the struct covers that item too.
#[inline]
unsafe fn with_first_item(tp: *mut ffi::PyTypeObject) -> isize {
    (*tp).tp_basicsize + (*tp).tp_itemsize
}

/// The offset of the user's struct from the start of the object, or `None`
/// for a number that is no builtin shape.
#[inline]
pub unsafe fn header_size(shape: HPyType_BuiltinShape) -> Option<isize> {
    Some(match shape {
        HPyType_BuiltinShape_Legacy => 0,
        HPyType_BuiltinShape_Object => align_up(fixed_size(addr_of_mut!(ffi::PyBaseObject_Type))),
        HPyType_BuiltinShape_Type => align_up(fixed_size(addr_of_mut!(ffi::PyType_Type))),
        HPyType_BuiltinShape_Long => align_up(with_first_item(addr_of_mut!(ffi::PyLong_Type))),
        HPyType_BuiltinShape_Float => align_up(fixed_size(addr_of_mut!(ffi::PyFloat_Type))),
        HPyType_BuiltinShape_Unicode => align_up(fixed_size(addr_of_mut!(ffi::PyUnicode_Type))),
        HPyType_BuiltinShape_Tuple => align_up(with_first_item(addr_of_mut!(ffi::PyTuple_Type))),
        HPyType_BuiltinShape_List => align_up(fixed_size(addr_of_mut!(ffi::PyList_Type))),
        _ => return None,
    })
}
