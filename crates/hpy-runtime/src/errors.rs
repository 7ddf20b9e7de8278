//! Errors raised by the runtime itself, and the value each C return type
//! uses to signal an error.

use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::CString;

/// Sets `exc_type(message)` as the current exception.
pub unsafe fn set_error(exc_type: *mut ffi::PyObject, message: &str) {
    let msg = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
    ffi::PyErr_SetString(exc_type, msg.as_ptr());
}

/// What the slot of an API function that hpy-rs does not provide yet does.
/// Every function is implemented today, so only a future API addition (a
/// new slot in api/hpy_api.h) makes the generated stubs call it.
#[allow(dead_code)]
pub unsafe fn raise_not_implemented(public_name: &str) {
    set_error(
        ffi::PyExc_SystemError,
        &format!("{public_name} is not implemented yet by the hpy-rs runtime"),
    );
}

/// The value a function returns, with an exception set, when it fails.
pub trait ErrorValue {
    fn error_value() -> Self;
}

macro_rules! error_values {
    ($($t:ty => $v:expr),* $(,)?) => {$(
        impl ErrorValue for $t {
            fn error_value() -> Self { $v }
        }
    )*};
}

error_values! {
    () => (),
    i32 => -1,
    u32 => u32::MAX,
    i64 => -1,
    u64 => u64::MAX,
    isize => -1,
    usize => usize::MAX,
    f64 => -1.0,
    HPy => HPy::NULL,
    HPyListBuilder => HPyListBuilder { _lst: 0 },
    HPyTupleBuilder => HPyTupleBuilder { _tup: 0 },
    HPyTracker => HPyTracker { _i: 0 },
    HPyThreadState => HPyThreadState { _i: 0 },
}

impl<T> ErrorValue for *mut T {
    fn error_value() -> Self {
        std::ptr::null_mut()
    }
}

impl<T> ErrorValue for *const T {
    fn error_value() -> Self {
        std::ptr::null()
    }
}
