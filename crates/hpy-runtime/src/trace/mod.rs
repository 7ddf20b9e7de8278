//! Trace mode: a context whose every function is a generated wrapper
//! (`autogen/trace_wrappers.rs`) that counts the call, measures its duration
//! with the monotonic clock and calls the universal implementation.
//!
//! Handles are universal handles and the constants are the universal
//! context's, so a traced module costs nothing to modules loaded in
//! universal mode: they use the universal context, which has no wrapper.
//!
//! Counters are process-wide (one trace context per interpreter, as in HPy
//! 0.9.0) and atomic, so that calls made without the GIL (between
//! `HPy_LeavePythonExecution` and `HPy_ReenterPythonExecution`) count too.
//! The on-enter and on-exit Python functions (`set_trace_functions`) run
//! only where the thread holds the GIL, with the error indicator saved and
//! restored around them, and never recursively.

pub(crate) mod pymod;

use crate::autogen::trace_wrappers;
use crate::context::universal_context;
use hpy_abi::HPyContext;
use pyo3_ffi as ffi;
use std::cell::Cell;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::Instant;

const MEMBERS: usize = trace_wrappers::SLOT_NAMES.len();

static CALLS: [AtomicU64; MEMBERS] = [const { AtomicU64::new(0) }; MEMBERS];
static NANOS: [AtomicU64; MEMBERS] = [const { AtomicU64::new(0) }; MEMBERS];

/// Whether an on-enter or on-exit function is set: the only check the
/// wrappers make when there is none.
static HOOKS: AtomicBool = AtomicBool::new(false);
/// Strong references, changed only with the GIL.
static mut ON_ENTER: *mut ffi::PyObject = null_mut();
static mut ON_EXIT: *mut ffi::PyObject = null_mut();

thread_local! {
    /// True while this thread runs a trace function.
    static IN_HOOK: Cell<bool> = const { Cell::new(false) };
}

static mut TRACE: *mut HPyContext = null_mut();

/// The trace context, created on first use (with the GIL, which guards the static).
pub(crate) unsafe fn trace_context() -> *mut HPyContext {
    let slot = &mut *std::ptr::addr_of_mut!(TRACE);
    if slot.is_null() {
        let mut c = std::ptr::read(universal_context());
        c.name = c"HPy Trace Mode ABI (hpy-rs)".as_ptr();
        c._private = null_mut();
        trace_wrappers::install(&mut c);
        *slot = Box::into_raw(Box::new(c));
    }
    *slot
}

#[inline]
pub(crate) fn enter(slot: usize) -> Instant {
    CALLS[slot].fetch_add(1, Relaxed);
    if HOOKS.load(Relaxed) {
        unsafe { run_hook(*std::ptr::addr_of!(ON_ENTER), slot) };
    }
    Instant::now()
}

#[inline]
pub(crate) fn exit(slot: usize, start: Instant) {
    let ns = start.elapsed().as_nanos();
    NANOS[slot].fetch_add(ns.min(u64::MAX as u128) as u64, Relaxed);
    if HOOKS.load(Relaxed) {
        unsafe { run_hook(*std::ptr::addr_of!(ON_EXIT), slot) };
    }
}

/// Calls `hook(name)`. An exception it raises is reported as unraisable:
/// the API function being traced must not see it.
#[cold]
#[allow(deprecated)] // PyErr_Fetch/Restore exist in every supported version
unsafe fn run_hook(hook: *mut ffi::PyObject, slot: usize) {
    if hook.is_null() || IN_HOOK.with(Cell::get) || ffi::PyGILState_Check() == 0 {
        return;
    }
    IN_HOOK.with(|c| c.set(true));
    let (mut t, mut v, mut tb) = (null_mut(), null_mut(), null_mut());
    ffi::PyErr_Fetch(&mut t, &mut v, &mut tb);
    let name = trace_wrappers::SLOT_NAMES[slot];
    let arg = ffi::PyUnicode_FromStringAndSize(name.as_ptr().cast(), name.len() as isize);
    if !arg.is_null() {
        let r = ffi::PyObject_CallOneArg(hook, arg);
        ffi::Py_DECREF(arg);
        if r.is_null() {
            ffi::PyErr_WriteUnraisable(hook);
        } else {
            ffi::Py_DECREF(r);
        }
    } else {
        ffi::PyErr_Clear();
    }
    ffi::PyErr_Restore(t, v, tb);
    IN_HOOK.with(|c| c.set(false));
}

/// (name, calls, nanoseconds) of every context function.
pub(crate) fn counters() -> impl Iterator<Item = (&'static str, u64, u64)> {
    trace_wrappers::SLOT_NAMES
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.is_empty())
        .map(|(i, n)| (*n, CALLS[i].load(Relaxed), NANOS[i].load(Relaxed)))
}

/// Replaces a hook (with the GIL): `new` is a new reference or NULL.
pub(crate) unsafe fn set_hooks(on_enter: Option<*mut ffi::PyObject>, on_exit: Option<*mut ffi::PyObject>) {
    let mut old = Vec::new();
    if let Some(f) = on_enter {
        old.push(std::mem::replace(&mut *std::ptr::addr_of_mut!(ON_ENTER), f));
    }
    if let Some(f) = on_exit {
        old.push(std::mem::replace(&mut *std::ptr::addr_of_mut!(ON_EXIT), f));
    }
    let any = !(*std::ptr::addr_of!(ON_ENTER)).is_null() || !(*std::ptr::addr_of!(ON_EXIT)).is_null();
    HOOKS.store(any, Relaxed);
    for o in old {
        ffi::Py_XDECREF(o);
    }
}
