//! `HPyField` and `HPyGlobal` in debug mode.
//!
//! Both hold universal references (the object itself), so that objects and
//! types made by a debug module work unchanged with the runtime's
//! `tp_traverse`, `tp_dealloc` and with modules in other modes. Debug mode
//! checks what the universal functions cannot: a field stored outside of the
//! object that owns it (the garbage collector would never see it, and the
//! runtime would never release it), a field or global holding a value that
//! no Store put there (a handle copied in directly: debug handles are odd
//! numbers, objects are not), a global that no module listed in
//! `HPyModuleDef.globals`, and a global loaded before it was ever stored.

use super::report::{self, describe, Family};
use super::{entered, open, st, uctx, unwrap};
use crate::autogen::debug_wrappers::slot;
use crate::handles::h2py;
use hpy_abi::*;
use pyo3_ffi as ffi;

/// The bytes the object `o` occupies (its basic size plus its items).
unsafe fn object_size(o: *mut ffi::PyObject) -> usize {
    let t = ffi::Py_TYPE(o);
    let mut n = (*t).tp_basicsize as usize;
    if (*t).tp_itemsize != 0 {
        n += (*t).tp_itemsize.unsigned_abs() * ffi::Py_SIZE(o).unsigned_abs();
    }
    n
}

fn stored_by_hand(bits: isize) -> bool {
    bits & 1 != 0
}

pub unsafe extern "C" fn debug_ctx_Field_Store(ctx: *mut HPyContext, target_object: HPy, target_field: *mut HPyField, h: HPy) {
    let s = slot::Field_Store;
    if !entered(ctx, s) {
        return;
    }
    let Some(t) = unwrap(target_object, s, "target_object") else { return };
    let Some(v) = unwrap(h, s, "h") else { return };
    if target_field.is_null() {
        report::misuse(Family::Field, s, "'target_field' is NULL", "", true);
        return;
    }
    let obj = h2py(t);
    if !obj.is_null() {
        let start = obj as usize;
        let end = start + object_size(obj);
        let f = target_field as usize;
        if f < start || f + std::mem::size_of::<HPyField>() > end {
            let what = format!(
                "the field at {f:#x} is not inside 'target_object', a '{}' at {start:#x} of {} bytes: an HPyField must be \
                 part of the struct of the object that owns it, whose HPy_tp_traverse visits it",
                report::type_name(obj),
                end - start
            );
            report::misuse(Family::Field, s, &what, &describe(target_object._i), true);
            return;
        }
    }
    let old = (*target_field)._i;
    if stored_by_hand(old) {
        let what = format!("the field holds {old:#x}, which HPyField_Store did not put there (was a handle copied into it?)");
        report::misuse(Family::Field, s, &what, "", true);
        return;
    }
    crate::ctx::ctx_Field_Store(uctx(), t, target_field, v)
}

pub unsafe extern "C" fn debug_ctx_Field_Load(ctx: *mut HPyContext, source_object: HPy, source_field: HPyField) -> HPy {
    let s = slot::Field_Load;
    if !entered(ctx, s) {
        return HPy::NULL;
    }
    let Some(o) = unwrap(source_object, s, "source_object") else { return HPy::NULL };
    if stored_by_hand(source_field._i) {
        let what = format!("the field holds {:#x}, which HPyField_Store did not put there (was a handle copied into it?)", source_field._i);
        report::misuse(Family::Field, s, &what, "", true);
        return HPy::NULL;
    }
    open(ctx, crate::ctx::ctx_Field_Load(uctx(), o, source_field), s)
}

pub unsafe extern "C" fn debug_ctx_Global_Store(ctx: *mut HPyContext, global: *mut HPyGlobal, h: HPy) {
    let s = slot::Global_Store;
    if !entered(ctx, s) {
        return;
    }
    let Some(v) = unwrap(h, s, "h") else { return };
    if global.is_null() {
        report::misuse(Family::Global, s, "'global' is NULL", "", true);
        return;
    }
    if !st().globals.contains(&(global as usize)) {
        let what = format!(
            "the HPyGlobal at {:#x} is not listed in the HPyModuleDef.globals of a module loaded in debug mode: \
             every HPyGlobal must be listed there, so that the runtime can initialize and manage it",
            global as usize
        );
        report::misuse(Family::Global, s, &what, "", true);
        return;
    }
    if stored_by_hand((*global)._i) {
        let what = format!("the global holds {:#x}, which HPyGlobal_Store did not put there", (*global)._i);
        report::misuse(Family::Global, s, &what, "", true);
        return;
    }
    crate::ctx::ctx_Global_Store(uctx(), global, v)
}

pub unsafe extern "C" fn debug_ctx_Global_Load(ctx: *mut HPyContext, global: HPyGlobal) -> HPy {
    let s = slot::Global_Load;
    if !entered(ctx, s) {
        return HPy::NULL;
    }
    if global._i == 0 {
        report::misuse(Family::Global, s, "the global is empty: it was never stored (HPyGlobal_Store) since the module was loaded, or HPy_NULL was stored", "", true);
        return HPy::NULL;
    }
    if stored_by_hand(global._i) {
        let what = format!("the global holds {:#x}, which HPyGlobal_Store did not put there (was a handle copied into it?)", global._i);
        report::misuse(Family::Global, s, &what, "", true);
        return HPy::NULL;
    }
    open(ctx, crate::ctx::ctx_Global_Load(uctx(), global), s)
}
