//! `hpy.universal._debug`: the Python face of debug mode, with HPy 0.9.0's
//! functions and `DebugHandle` objects (`hpy.debug` builds on them), the
//! exception classes of the reports, and a few additions
//! (`get_last_report`, `get_handle_stack_trace_limit`).

use super::report::{self, describe, Family, FAMILIES};
use super::{st, Found, Kind, State};
use crate::errors::set_error;
use crate::pyutil::{add_submodule, method, none, py_str, usize_arg};
use pyo3_ffi as ffi;
use std::ffi::{c_int, c_void};
use std::ptr::null_mut;

// ---- DebugHandle objects ----------------------------------------------------------

/// A view of one debug handle (its bits); several objects may view the same
/// handle: they compare equal.
#[repr(C)]
struct DebugHandleObject {
    ob_base: ffi::PyObject,
    bits: isize,
}

static mut DEBUG_HANDLE_TYPE: *mut ffi::PyObject = null_mut();

unsafe fn bits_of(o: *mut ffi::PyObject) -> isize {
    (*o.cast::<DebugHandleObject>()).bits
}

unsafe fn new_debug_handle(bits: isize) -> *mut ffi::PyObject {
    let t = *std::ptr::addr_of!(DEBUG_HANDLE_TYPE);
    let alloc = (*t.cast::<ffi::PyTypeObject>()).tp_alloc.unwrap_or(ffi::PyType_GenericAlloc);
    let o = alloc(t.cast(), 0);
    if !o.is_null() {
        (*o.cast::<DebugHandleObject>()).bits = bits;
    }
    o
}

/// The record of the handle, if it is still known.
unsafe fn live(bits: isize) -> Option<usize> {
    match st().handles.find(bits) {
        Found::Live(i) => Some(i),
        _ => None,
    }
}

unsafe extern "C" fn dh_obj(o: *mut ffi::PyObject, _c: *mut c_void) -> *mut ffi::PyObject {
    match live(bits_of(o)) {
        Some(i) if st().handles.slots[i].rec.state == State::Open => {
            let obj = st().handles.slots[i].rec.obj;
            ffi::Py_INCREF(obj);
            obj
        }
        // The object of a closed handle may be gone.
        _ => none(),
    }
}

unsafe extern "C" fn dh_id(o: *mut ffi::PyObject, _c: *mut c_void) -> *mut ffi::PyObject {
    ffi::PyLong_FromSsize_t(bits_of(o))
}

unsafe extern "C" fn dh_is_closed(o: *mut ffi::PyObject, _c: *mut c_void) -> *mut ffi::PyObject {
    let open = live(bits_of(o)).is_some_and(|i| st().handles.slots[i].rec.state == State::Open);
    ffi::PyBool_FromLong((!open) as _)
}

unsafe extern "C" fn dh_raw_data_size(o: *mut ffi::PyObject, _c: *mut c_void) -> *mut ffi::PyObject {
    let n = live(bits_of(o)).and_then(|i| super::raw_data_size(i)).map_or(-1, |n| n as isize);
    ffi::PyLong_FromSsize_t(n)
}

/// Who opened the handle: the API function's name, "argument" or "constant".
unsafe extern "C" fn dh_opened_by(o: *mut ffi::PyObject, _c: *mut c_void) -> *mut ffi::PyObject {
    match live(bits_of(o)) {
        Some(i) => {
            let r = &st().handles.slots[i].rec;
            match r.kind {
                Kind::Argument => py_str("argument"),
                Kind::Constant => py_str("constant"),
                Kind::Owned => py_str(&report::origin_name(r.origin)),
            }
        }
        None => none(),
    }
}

unsafe extern "C" fn dh_repr(o: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let bits = bits_of(o);
    let head = match live(bits) {
        Some(i) if st().handles.slots[i].rec.state == State::Open => {
            let obj = st().handles.slots[i].rec.obj;
            format!("<DebugHandle {bits:#x} for {}>", report::safe_repr(obj))
        }
        _ => format!("<DebugHandle {bits:#x} CLOSED>"),
    };
    py_str(&format!("{head}\n{}", describe(bits).trim_end()))
}

unsafe extern "C" fn dh_hash(o: *mut ffi::PyObject) -> ffi::Py_hash_t {
    let h = bits_of(o) as ffi::Py_hash_t;
    if h == -1 {
        -2
    } else {
        h
    }
}

unsafe extern "C" fn dh_richcompare(a: *mut ffi::PyObject, b: *mut ffi::PyObject, op: c_int) -> *mut ffi::PyObject {
    let t = *std::ptr::addr_of!(DEBUG_HANDLE_TYPE);
    if ffi::PyObject_TypeCheck(b, t.cast()) == 0 || (op != ffi::Py_EQ && op != ffi::Py_NE) {
        let r = ffi::Py_NotImplemented();
        ffi::Py_INCREF(r);
        return r;
    }
    let eq = bits_of(a) == bits_of(b);
    ffi::PyBool_FromLong(((op == ffi::Py_EQ) == eq) as _)
}

/// `_force_close()`: closes the handle as HPy_Close would. For tests.
unsafe extern "C" fn dh_force_close(o: *mut ffi::PyObject, _a: *mut ffi::PyObject) -> *mut ffi::PyObject {
    if let Some(i) = super::open_index(hpy_abi::HPy { _i: bits_of(o) }) {
        let r = &st().handles.slots[i].rec;
        if r.kind == Kind::Owned {
            let obj = r.obj;
            super::close_rec(i, super::ORIGIN_RUNTIME, super::frame().func);
            ffi::Py_DECREF(obj);
        }
    }
    none()
}

static mut DH_GETSETS: [ffi::PyGetSetDef; 6] = [
    ffi::PyGetSetDef { name: c"obj".as_ptr(), get: Some(dh_obj), set: None, doc: c"The object the handle refers to (None once closed).".as_ptr(), closure: null_mut() },
    ffi::PyGetSetDef { name: c"id".as_ptr(), get: Some(dh_id), set: None, doc: c"The handle's bits: unique among the handles ever opened.".as_ptr(), closure: null_mut() },
    ffi::PyGetSetDef { name: c"is_closed".as_ptr(), get: Some(dh_is_closed), set: None, doc: c"Whether the handle was closed.".as_ptr(), closure: null_mut() },
    ffi::PyGetSetDef { name: c"raw_data_size".as_ptr(), get: Some(dh_raw_data_size), set: None, doc: c"Size of the raw data (const char *) retained for the handle, -1 if none.".as_ptr(), closure: null_mut() },
    ffi::PyGetSetDef { name: c"opened_by".as_ptr(), get: Some(dh_opened_by), set: None, doc: c"The API function that opened the handle ('argument', 'constant' for the others).".as_ptr(), closure: null_mut() },
    ffi::PyGetSetDef { name: null_mut(), get: None, set: None, doc: null_mut(), closure: null_mut() },
];

static mut DH_METHODS: [ffi::PyMethodDef; 2] = [
    method!(c"_force_close", noargs dh_force_close, c"Close the handle, as HPy_Close would. For tests."),
    ffi::PyMethodDef::zeroed(),
];

unsafe fn make_debug_handle_type() -> *mut ffi::PyObject {
    let mut slots = [
        ffi::PyType_Slot { slot: ffi::Py_tp_repr, pfunc: dh_repr as *mut c_void },
        ffi::PyType_Slot { slot: ffi::Py_tp_hash, pfunc: dh_hash as *mut c_void },
        ffi::PyType_Slot { slot: ffi::Py_tp_richcompare, pfunc: dh_richcompare as *mut c_void },
        ffi::PyType_Slot { slot: ffi::Py_tp_getset, pfunc: std::ptr::addr_of_mut!(DH_GETSETS).cast() },
        ffi::PyType_Slot { slot: ffi::Py_tp_methods, pfunc: std::ptr::addr_of_mut!(DH_METHODS).cast() },
        ffi::PyType_Slot { slot: ffi::Py_tp_doc, pfunc: c"A handle of debug mode, as listed by get_open_handles() and get_closed_handles().".as_ptr() as *mut c_void },
        ffi::PyType_Slot { slot: 0, pfunc: null_mut() },
    ];
    let mut spec = ffi::PyType_Spec {
        name: c"hpy.universal._debug.DebugHandle".as_ptr(),
        basicsize: std::mem::size_of::<DebugHandleObject>() as c_int,
        itemsize: 0,
        flags: ffi::Py_TPFLAGS_DEFAULT as _,
        slots: slots.as_mut_ptr(),
    };
    ffi::PyType_FromSpec(&mut spec)
}

unsafe fn list_of(bits: Vec<isize>) -> *mut ffi::PyObject {
    let l = ffi::PyList_New(0);
    if l.is_null() {
        return null_mut();
    }
    for b in bits {
        let o = new_debug_handle(b);
        if o.is_null() || ffi::PyList_Append(l, o) < 0 {
            ffi::Py_XDECREF(o);
            ffi::Py_DECREF(l);
            return null_mut();
        }
        ffi::Py_DECREF(o);
    }
    l
}

// ---- module functions ---------------------------------------------------------------

unsafe extern "C" fn new_generation(_m: *mut ffi::PyObject, _a: *mut ffi::PyObject) -> *mut ffi::PyObject {
    ffi::PyLong_FromUnsignedLongLong(super::new_generation())
}

unsafe fn generation_arg(fname: &str, o: *mut ffi::PyObject) -> Option<u64> {
    usize_arg(fname, o).map(|n| n as u64)
}

unsafe extern "C" fn get_open_handles(_m: *mut ffi::PyObject, gen: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let Some(g) = generation_arg("get_open_handles", gen) else { return null_mut() };
    list_of(super::open_handles(g))
}

/// `get_unfinished(gen)`: `(kind, id, description)` of each builder not
/// built nor cancelled and each tracker not closed (see `builders::unfinished`).
unsafe extern "C" fn get_unfinished(_m: *mut ffi::PyObject, gen: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let Some(g) = generation_arg("get_unfinished", gen) else { return null_mut() };
    let items = super::unfinished(g);
    let l = ffi::PyList_New(0);
    if l.is_null() {
        return null_mut();
    }
    for u in items {
        let (kind, id, text) = (py_str(u.kind), ffi::PyLong_FromSsize_t(u.bits), py_str(&u.description));
        let t = if kind.is_null() || id.is_null() || text.is_null() { null_mut() } else { ffi::PyTuple_Pack(3, kind, id, text) };
        ffi::Py_XDECREF(kind);
        ffi::Py_XDECREF(id);
        ffi::Py_XDECREF(text);
        if t.is_null() || ffi::PyList_Append(l, t) < 0 {
            ffi::Py_XDECREF(t);
            ffi::Py_DECREF(l);
            return null_mut();
        }
        ffi::Py_DECREF(t);
    }
    l
}

unsafe extern "C" fn get_closed_handles(_m: *mut ffi::PyObject, args: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let g = match ffi::PyTuple_GET_SIZE(args) {
        0 => 0,
        1 => match generation_arg("get_closed_handles", ffi::PyTuple_GET_ITEM(args, 0)) {
            Some(g) => g,
            None => return null_mut(),
        },
        _ => {
            set_error(ffi::PyExc_TypeError, "get_closed_handles expects no arguments or exactly one argument");
            return null_mut();
        }
    };
    list_of(super::closed_handles(g))
}

unsafe extern "C" fn get_closed_handles_queue_max_size(_m: *mut ffi::PyObject, _a: *mut ffi::PyObject) -> *mut ffi::PyObject {
    ffi::PyLong_FromSize_t(st().closed_max)
}

unsafe extern "C" fn set_closed_handles_queue_max_size(_m: *mut ffi::PyObject, n: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let Some(n) = usize_arg("set_closed_handles_queue_max_size", n) else { return null_mut() };
    st().closed_max = n;
    super::evict_closed();
    none()
}

unsafe extern "C" fn get_protected_raw_data_max_size(_m: *mut ffi::PyObject, _a: *mut ffi::PyObject) -> *mut ffi::PyObject {
    ffi::PyLong_FromSize_t(st().raw_max)
}

unsafe extern "C" fn set_protected_raw_data_max_size(_m: *mut ffi::PyObject, n: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let Some(n) = usize_arg("set_protected_raw_data_max_size", n) else { return null_mut() };
    st().raw_max = n;
    none()
}

unsafe fn set_callback(which: *mut *mut ffi::PyObject, f: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let new = if f == ffi::Py_None() {
        null_mut()
    } else if ffi::PyCallable_Check(f) == 0 {
        set_error(ffi::PyExc_TypeError, "Expected a callable object");
        return null_mut();
    } else {
        ffi::Py_INCREF(f);
        f
    };
    let old = std::mem::replace(&mut *which, new);
    ffi::Py_XDECREF(old);
    none()
}

unsafe extern "C" fn set_on_invalid_handle(_m: *mut ffi::PyObject, f: *mut ffi::PyObject) -> *mut ffi::PyObject {
    set_callback(&mut st().on_invalid_handle, f)
}

unsafe extern "C" fn set_on_invalid_builder_handle(_m: *mut ffi::PyObject, f: *mut ffi::PyObject) -> *mut ffi::PyObject {
    set_callback(&mut st().on_invalid_builder, f)
}

unsafe extern "C" fn set_handle_stack_trace_limit(_m: *mut ffi::PyObject, n: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let limit = if n == ffi::Py_None() {
        0
    } else {
        match usize_arg("set_handle_stack_trace_limit", n) {
            Some(n) => n,
            None => return null_mut(),
        }
    };
    st().trace_limit = limit;
    none()
}

unsafe extern "C" fn get_handle_stack_trace_limit(_m: *mut ffi::PyObject, _a: *mut ffi::PyObject) -> *mut ffi::PyObject {
    match st().trace_limit {
        0 => none(),
        n => ffi::PyLong_FromSize_t(n),
    }
}

unsafe extern "C" fn get_last_report(_m: *mut ffi::PyObject, _a: *mut ffi::PyObject) -> *mut ffi::PyObject {
    match &*std::ptr::addr_of!(report::LAST_REPORT) {
        Some(s) => py_str(s),
        None => none(),
    }
}

static mut METHODS: [ffi::PyMethodDef; 17] = [
    method!(c"new_generation", noargs new_generation, c"Start a new generation of handles and return its number."),
    method!(c"get_open_handles", o get_open_handles, c"get_open_handles(gen) -> the open handles opened in generation gen or later (oldest first)."),
    method!(c"get_unfinished", o get_unfinished, c"get_unfinished(gen) -> (kind, id, description) of each list/tuple builder neither built nor cancelled and each tracker not closed, made in generation gen or later (oldest first)."),
    method!(c"get_closed_handles", varargs get_closed_handles, c"get_closed_handles(gen=0) -> the closed handles still in the queue of closed handles."),
    method!(c"get_closed_handles_queue_max_size", noargs get_closed_handles_queue_max_size, c"How many closed handles debug mode remembers in detail."),
    method!(c"set_closed_handles_queue_max_size", o set_closed_handles_queue_max_size, c"Set how many closed handles debug mode remembers in detail."),
    method!(c"get_queue_max_size", noargs get_closed_handles_queue_max_size, c"Alias of get_closed_handles_queue_max_size."),
    method!(c"set_queue_max_size", o set_closed_handles_queue_max_size, c"Alias of set_closed_handles_queue_max_size."),
    method!(c"get_protected_raw_data_max_size", noargs get_protected_raw_data_max_size, c"The total size of raw data (const char * results) kept protected after their handles are closed."),
    method!(c"set_protected_raw_data_max_size", o set_protected_raw_data_max_size, c"Set the total size of raw data kept protected after their handles are closed."),
    method!(c"set_on_invalid_handle", o set_on_invalid_handle, c"set_on_invalid_handle(f): call f() instead of raising or aborting when an invalid handle is used; None restores the default."),
    method!(c"set_on_invalid_builder_handle", o set_on_invalid_builder_handle, c"set_on_invalid_builder_handle(f): call f() instead of raising or aborting when an invalid list/tuple builder is used; None restores the default."),
    method!(c"set_handle_stack_trace_limit", o set_handle_stack_trace_limit, c"set_handle_stack_trace_limit(n): record up to n frames of where each handle is opened and closed; None: none (the default)."),
    method!(c"get_handle_stack_trace_limit", noargs get_handle_stack_trace_limit, c"The current stack trace limit, None when disabled."),
    method!(c"get_last_report", noargs get_last_report, c"The text of the last misuse report (None if there was none)."),
    ffi::PyMethodDef::zeroed(),
    ffi::PyMethodDef::zeroed(),
];

/// Creates `_debug` in `hpy.universal`, with its exception classes.
pub(crate) unsafe fn add_to(parent: *mut ffi::PyObject) -> bool {
    super::init_state();
    let m = add_submodule(
        parent,
        c"_debug",
        c"hpy.universal._debug",
        c"HPy debug mode: the handles debug mode tracks, its settings and its exceptions",
        std::ptr::addr_of_mut!(METHODS).cast(),
    );
    if m.is_null() {
        return false;
    }
    let t = make_debug_handle_type();
    if t.is_null() {
        return false;
    }
    *std::ptr::addr_of_mut!(DEBUG_HANDLE_TYPE) = t;
    ffi::Py_INCREF(t);
    if ffi::PyModule_AddObject(m, c"DebugHandle".as_ptr(), t) < 0 {
        return false;
    }
    let base = ffi::PyErr_NewExceptionWithDoc(
        c"hpy.debug.HPyDebugError".as_ptr(),
        c"A misuse of the HPy API reported by debug mode.".as_ptr(),
        ffi::PyExc_Exception,
        null_mut(),
    );
    if base.is_null() {
        return false;
    }
    *std::ptr::addr_of_mut!(report::BASE_ERROR) = base;
    ffi::Py_INCREF(base);
    if ffi::PyModule_AddObject(m, c"HPyDebugError".as_ptr(), base) < 0 {
        return false;
    }
    for (k, (family, name, doc)) in FAMILIES.iter().enumerate() {
        // A result error is also a SystemError, what CPython raises for the
        // same mistakes of C functions.
        let bases = if *family == Family::Return {
            ffi::PyTuple_Pack(2, base, ffi::PyExc_SystemError)
        } else {
            ffi::PyTuple_Pack(1, base)
        };
        if bases.is_null() {
            return false;
        }
        let full = std::ffi::CString::new(format!("hpy.debug.{}", name.to_string_lossy())).unwrap();
        let cls = ffi::PyErr_NewExceptionWithDoc(full.as_ptr(), doc.as_ptr(), bases, null_mut());
        ffi::Py_DECREF(bases);
        if cls.is_null() {
            return false;
        }
        (*std::ptr::addr_of_mut!(report::ERRORS))[k] = cls;
        ffi::Py_INCREF(cls);
        if ffi::PyModule_AddObject(m, name.as_ptr(), cls) < 0 {
            return false;
        }
    }
    true
}
