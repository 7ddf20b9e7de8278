//! `hpy.universal._trace`: the Python face of trace mode, with HPy 0.9.0's
//! functions (`hpy.trace` re-exports them).

use crate::errors::set_error;
use crate::pyutil::{add_submodule, method, none};
use pyo3_ffi as ffi;
use std::ffi::CStr;
use std::ptr::null_mut;

/// A dict {"ctx_Name": value} over every context function.
unsafe fn dict_of(value: impl Fn(u64, u64) -> u64) -> *mut ffi::PyObject {
    let d = ffi::PyDict_New();
    if d.is_null() {
        return null_mut();
    }
    for (name, calls, nanos) in super::counters() {
        let v = ffi::PyLong_FromUnsignedLongLong(value(calls, nanos));
        if v.is_null() {
            ffi::Py_DECREF(d);
            return null_mut();
        }
        let k = crate::pyutil::py_str(name);
        let r = if k.is_null() { -1 } else { ffi::PyDict_SetItem(d, k, v) };
        ffi::Py_XDECREF(k);
        ffi::Py_DECREF(v);
        if r < 0 {
            ffi::Py_DECREF(d);
            return null_mut();
        }
    }
    d
}

unsafe extern "C" fn get_call_counts(_m: *mut ffi::PyObject, _a: *mut ffi::PyObject) -> *mut ffi::PyObject {
    dict_of(|calls, _| calls)
}

unsafe extern "C" fn get_durations(_m: *mut ffi::PyObject, _a: *mut ffi::PyObject) -> *mut ffi::PyObject {
    dict_of(|_, nanos| nanos)
}

/// The durations are counted in nanoseconds of the monotonic clock.
unsafe extern "C" fn get_frequency(_m: *mut ffi::PyObject, _a: *mut ffi::PyObject) -> *mut ffi::PyObject {
    ffi::PyLong_FromLongLong(1_000_000_000)
}

/// Missing: unchanged; None: cleared; a callable: set.
unsafe fn hook_arg(o: *mut ffi::PyObject) -> Result<Option<*mut ffi::PyObject>, ()> {
    if o.is_null() {
        Ok(None)
    } else if o == ffi::Py_None() {
        Ok(Some(null_mut()))
    } else if ffi::PyCallable_Check(o) == 0 {
        set_error(ffi::PyExc_TypeError, "Expected a callable object or None");
        Err(())
    } else {
        ffi::Py_INCREF(o);
        Ok(Some(o))
    }
}

unsafe fn kwarg(kw: *mut ffi::PyObject, name: &CStr) -> *mut ffi::PyObject {
    if kw.is_null() {
        null_mut()
    } else {
        ffi::PyDict_GetItemString(kw, name.as_ptr())
    }
}

/// `set_trace_functions(on_enter=..., on_exit=...)`: each is called with
/// the name of the context function (`"ctx_Add"`) when it is entered / left.
unsafe extern "C" fn set_trace_functions(_m: *mut ffi::PyObject, args: *mut ffi::PyObject, kw: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let n = ffi::PyTuple_GET_SIZE(args);
    let nkw = if kw.is_null() { 0 } else { ffi::PyDict_Size(kw) };
    let pos = |i: isize| if i < n { ffi::PyTuple_GET_ITEM(args, i) } else { null_mut() };
    let (kw_enter, kw_exit) = (kwarg(kw, c"on_enter"), kwarg(kw, c"on_exit"));
    let known = (!kw_enter.is_null()) as isize + (!kw_exit.is_null()) as isize;
    if n > 2 || known != nkw || (n >= 1 && !kw_enter.is_null()) || (n >= 2 && !kw_exit.is_null()) {
        set_error(ffi::PyExc_TypeError, "set_trace_functions(on_enter=None, on_exit=None): bad arguments");
        return null_mut();
    }
    let enter = if kw_enter.is_null() { pos(0) } else { kw_enter };
    let exit = if kw_exit.is_null() { pos(1) } else { kw_exit };
    let Ok(e) = hook_arg(enter) else { return null_mut() };
    let x = match hook_arg(exit) {
        Ok(x) => x,
        Err(()) => {
            if let Some(e) = e {
                ffi::Py_XDECREF(e);
            }
            return null_mut();
        }
    };
    super::set_hooks(e, x);
    none()
}

static mut METHODS: [ffi::PyMethodDef; 5] = [
    method!(c"get_call_counts", noargs get_call_counts, c"get_call_counts() -> {'ctx_Name': number of calls} of every HPy context function, over all modules loaded in trace mode."),
    method!(c"get_durations", noargs get_durations, c"get_durations() -> {'ctx_Name': time spent in the function} in units of 1/get_frequency() seconds (nanoseconds)."),
    method!(c"get_frequency", noargs get_frequency, c"get_frequency() -> the resolution of the clock of get_durations(), in Hz."),
    method!(c"set_trace_functions", keywords set_trace_functions, c"set_trace_functions(on_enter=None, on_exit=None)\n--\n\nFunctions called with the name of each HPy context function entered / left by a module in trace mode. None removes one; a missing argument keeps it."),
    ffi::PyMethodDef::zeroed(),
];

/// Adds `_trace` to the module `hpy.universal`.
pub(crate) unsafe fn add_to(parent: *mut ffi::PyObject) -> bool {
    !add_submodule(
        parent,
        c"_trace",
        c"hpy.universal._trace",
        c"HPy trace mode: call counts and durations of the HPy context functions",
        std::ptr::addr_of_mut!(METHODS).cast(),
    )
    .is_null()
}
