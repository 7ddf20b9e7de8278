//! HPyTracker: a group of handles closed together.
//!
//! `HPyTracker._i` is a `Box<Handles>` turned into an address (0 is the null
//! tracker that HPyTracker_New returns on failure).
//!
//! The list always keeps room for one more handle, so that HPyTracker_Add can
//! store its handle before it tries to grow: when growing fails, the handle
//! is tracked anyway and the caller only has to close the tracker.

use crate::errors::set_error;
use crate::handles::h2py;
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::collections::TryReserveError;
use std::ffi::c_int;

/// The room a tracker created with size 0 has.
const DEFAULT_SIZE: usize = 5;

#[derive(Debug)]
struct Handles {
    handles: Vec<HPy>,
}

impl Handles {
    /// Room for `size` handles (0: the default), plus the spare one.
    fn with_room(size: usize) -> Result<Handles, TryReserveError> {
        let size = if size == 0 { DEFAULT_SIZE } else { size };
        let mut handles = Vec::new();
        // An overflowing size fails like an allocation that is too large.
        handles.try_reserve_exact(size.saturating_add(1))?;
        Ok(Handles { handles })
    }

    /// Stores `h`, then restores the spare room. On error `h` is stored all
    /// the same (when there was room for it, which the invariant ensures).
    fn add(&mut self, h: HPy) -> Result<(), TryReserveError> {
        if self.handles.len() == self.handles.capacity() {
            // Only after an earlier failure: try once more before storing.
            self.handles.try_reserve(1)?;
        }
        self.handles.push(h);
        if self.handles.len() == self.handles.capacity() {
            self.handles.try_reserve(self.handles.len())?;
        }
        Ok(())
    }
}

unsafe fn handles<'a>(ht: HPyTracker) -> Option<&'a mut Handles> {
    (ht._i as *mut Handles).as_mut()
}

pub unsafe extern "C" fn ctx_Tracker_New(_ctx: *mut HPyContext, size: HPy_ssize_t) -> HPyTracker {
    // A negative size picks the default, like 0 (as in the cpython ABI).
    match Handles::with_room(usize::try_from(size).unwrap_or(0)) {
        Ok(h) => HPyTracker { _i: Box::into_raw(Box::new(h)) as isize },
        Err(_) => {
            ffi::PyErr_NoMemory();
            HPyTracker { _i: 0 }
        }
    }
}

pub unsafe extern "C" fn ctx_Tracker_Add(_ctx: *mut HPyContext, ht: HPyTracker, h: HPy) -> c_int {
    let Some(t) = handles(ht) else {
        set_error(ffi::PyExc_SystemError, "HPyTracker_Add called with a null tracker");
        return -1;
    };
    match t.add(h) {
        Ok(()) => 0,
        Err(_) => {
            ffi::PyErr_NoMemory();
            -1
        }
    }
}

pub unsafe extern "C" fn ctx_Tracker_ForgetAll(_ctx: *mut HPyContext, ht: HPyTracker) {
    if let Some(t) = handles(ht) {
        t.handles.clear();
    }
}

/// A null tracker (from a failed HPyTracker_New) is ignored.
pub unsafe extern "C" fn ctx_Tracker_Close(_ctx: *mut HPyContext, ht: HPyTracker) {
    if ht._i == 0 {
        return;
    }
    let t = Box::from_raw(ht._i as *mut Handles);
    for h in t.handles {
        ffi::Py_XDECREF(h2py(h));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(i: isize) -> HPy {
        HPy { _i: i }
    }

    #[test]
    fn keeps_a_spare_slot() {
        let mut t = Handles::with_room(0).unwrap();
        assert!(t.handles.capacity() > DEFAULT_SIZE);
        for i in 1..=100 {
            t.add(h(i)).unwrap();
            assert!(t.handles.len() < t.handles.capacity());
        }
        assert_eq!(t.handles, (1..=100).map(h).collect::<Vec<_>>());
    }

    #[test]
    fn explicit_room() {
        let t = Handles::with_room(40).unwrap();
        assert!(t.handles.capacity() > 40);
    }

    #[test]
    fn huge_sizes_fail_without_aborting() {
        assert!(Handles::with_room(usize::MAX).is_err());
        assert!(Handles::with_room(isize::MAX as usize).is_err());
    }
}
