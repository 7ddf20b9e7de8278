//! The one universal context of this interpreter.

use crate::autogen::ctx_table::new_universal_context;
use hpy_abi::HPyContext;

/// Extensions built with our headers recognise this context by its name and
/// then let their trampolines call implementations directly (see
/// python/hpy/devel/include/hpy/universal/hpyfunc_trampolines.h): it
/// promises that a handle is the object pointer and that the signatures
/// listed there need no conversion. Only the universal context carries it.
pub const UNIVERSAL_CONTEXT_NAME: &std::ffi::CStr = c"HPy Universal ABI (hpy-rs)";

static mut UNIVERSAL: *mut HPyContext = std::ptr::null_mut();

/// The universal context, created on first use. Needs the GIL, which also
/// guards the static.
pub unsafe fn universal_context() -> *mut HPyContext {
    let slot = &mut *std::ptr::addr_of_mut!(UNIVERSAL);
    if slot.is_null() {
        *slot = Box::into_raw(Box::new(new_universal_context(UNIVERSAL_CONTEXT_NAME.as_ptr())));
    }
    *slot
}
