//! Building a CPython module object from an `HPyModuleDef`.

use crate::errors::set_error;
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::{c_int, CStr};

/// The defines of a module, sorted by what the runtime does with them.
struct ModuleDefines {
    methods: Vec<ffi::PyMethodDef>,
    create: Option<HPyCFunction>,
    execs: Vec<HPyCFunction>,
}

fn method_flags(sig: HPyFunc_Signature) -> Option<c_int> {
    match sig {
        HPyFunc_VARARGS => Some(ffi::METH_FASTCALL),
        HPyFunc_KEYWORDS => Some(ffi::METH_FASTCALL | ffi::METH_KEYWORDS),
        HPyFunc_NOARGS => Some(ffi::METH_NOARGS),
        HPyFunc_O => Some(ffi::METH_O),
        _ => None,
    }
}

/// HPy 0.9.0's message for a method whose signature is not one of the four
/// method signatures (a `ValueError`, for modules and types alike); its
/// tests compare the whole message, so it names neither method nor value.
pub const UNSUPPORTED_METH_SIGNATURE: &str = "Unsupported HPyMeth signature";

/// A CPython method entry for an `HPyMeth`: CPython calls the module's own
/// trampoline, which enters the runtime with the real function.
pub unsafe fn method_def(m: &HPyMeth) -> Result<ffi::PyMethodDef, String> {
    let name = CStr::from_ptr(m.name).to_string_lossy();
    let flags = method_flags(m.signature).ok_or_else(|| UNSUPPORTED_METH_SIGNATURE.to_string())?;
    let tramp = m.cpy_trampoline.ok_or_else(|| format!("method '{name}' has no trampoline"))?;
    Ok(ffi::PyMethodDef {
        ml_name: m.name,
        ml_meth: ffi::PyMethodDefPointer { PyCFunction: std::mem::transmute::<_, ffi::PyCFunction>(tramp) },
        ml_flags: flags,
        ml_doc: m.doc,
    })
}

/// Whether every method of the module has one of the method signatures.
unsafe fn method_signatures_supported(def: &HPyModuleDef) -> bool {
    let mut p = def.defines;
    while !p.is_null() && !(*p).is_null() {
        if (**p).kind == HPyDef_Kind_Meth && method_flags((**p).u.meth.signature).is_none() {
            return false;
        }
        p = p.add(1);
    }
    true
}

unsafe fn sort_defines(def: &HPyModuleDef) -> Result<ModuleDefines, String> {
    let mut out = ModuleDefines { methods: Vec::new(), create: None, execs: Vec::new() };
    let mut p = def.defines;
    while !p.is_null() && !(*p).is_null() {
        let d = &**p;
        match d.kind {
            HPyDef_Kind_Meth => out.methods.push(method_def(&d.u.meth)?),
            HPyDef_Kind_Slot if d.u.slot.slot == HPy_mod_create => {
                if out.create.is_some() {
                    return Err("Multiple definitions of the HPy_mod_create slot in HPyModuleDef.defines.".into());
                }
                out.create = Some(d.u.slot.impl_);
            }
            HPyDef_Kind_Slot if d.u.slot.slot == HPy_mod_exec => out.execs.push(d.u.slot.impl_),
            HPyDef_Kind_Slot => {
                return Err(format!("Unsupported slot in HPyModuleDef.defines (value: {}).", d.u.slot.slot))
            }
            other => return Err(format!("HPyModuleDef.defines has a define of kind {other}, which only types can have")),
        }
        p = p.add(1);
    }
    Ok(out)
}

/// Appends the NULL-terminated legacy `PyMethodDef` array of a hybrid module.
unsafe fn legacy_methods(def: &HPyModuleDef, methods: &mut Vec<ffi::PyMethodDef>) {
    let mut p = def.legacy_methods.cast::<ffi::PyMethodDef>();
    while !p.is_null() && !(*p).ml_name.is_null() {
        methods.push(std::ptr::read(p));
        p = p.add(1);
    }
}

unsafe fn reset_globals(def: &HPyModuleDef) {
    let mut p = def.globals;
    while !p.is_null() && !(*p).is_null() {
        (**p)._i = 0;
        p = p.add(1);
    }
}

/// Calls the HPy function `f` through the context's way in from CPython, as
/// a trampoline would: each mode (universal, debug, trace) converts the
/// arguments and the result its own way.
unsafe fn call_hpy(ctx: *mut HPyContext, sig: HPyFunc_Signature, f: HPyCFunction, args: *mut std::ffi::c_void) {
    ((*ctx).ctx_CallRealFunctionFromTrampoline)(ctx, sig, f, args)
}

/// Creates and executes the module; NULL with an exception set on failure.
pub unsafe fn create_module(ctx: *mut HPyContext, def: &HPyModuleDef, spec: *mut ffi::PyObject) -> *mut ffi::PyObject {
    match try_create(ctx, def, spec) {
        Ok(m) => m,
        Err(None) => std::ptr::null_mut(),
        Err(Some(msg)) => {
            set_error(ffi::PyExc_SystemError, &msg);
            std::ptr::null_mut()
        }
    }
}

/// Why a definition with `HPy_mod_create` may hold nothing else.
const CREATE_ALONE: &str = "the object HPy_mod_create returns is not a module the runtime could fill; \
     either define HPy_mod_create alone, or let the runtime create the module from the definition";

/// `Err(None)`: a Python exception is already set.
unsafe fn try_create(ctx: *mut HPyContext, def: &HPyModuleDef, spec: *mut ffi::PyObject) -> Result<*mut ffi::PyObject, Option<String>> {
    if def.size < 0 {
        return Err(Some("HPy does not permit HPyModuleDef.size < 0".into()));
    }
    if def.size > 0 {
        return Err(Some("Module state is not supported yet in HPy, set HPyModuleDef.size = 0 if module state is not needed".into()));
    }
    if !method_signatures_supported(def) {
        set_error(ffi::PyExc_ValueError, UNSUPPORTED_METH_SIGNATURE);
        return Err(None);
    }
    let mut defines = sort_defines(def)?;
    reset_globals(def);

    if let Some(create) = defines.create {
        // The messages are HPy 0.9.0's up to the colon (its tests match them).
        if !defines.methods.is_empty() || !defines.execs.is_empty() {
            return Err(Some(format!("HPyModuleDef defines a HPy_mod_create slot and some other slots or methods: {CREATE_ALONE}")));
        }
        if !def.legacy_methods.is_null() || !def.doc.is_null() || !def.globals.is_null() {
            return Err(Some(format!(
                "HPyModuleDef defines a HPy_mod_create slot and some of the other fields are not set to their default value: {CREATE_ALONE}"
            )));
        }
        let mut a = _HPyFunc_args_MOD_CREATE { spec: spec.cast(), result: std::ptr::null_mut() };
        call_hpy(ctx, HPyFunc_MOD_CREATE, create, std::ptr::addr_of_mut!(a).cast());
        let m: *mut ffi::PyObject = a.result.cast();
        if m.is_null() {
            return Err(None);
        }
        if ffi::PyModule_Check(m) != 0 {
            ffi::Py_DECREF(m);
            return Err(Some("HPy_mod_create slot returned a builtin module object. This is currently not supported.".into()));
        }
        return Ok(m);
    }

    legacy_methods(def, &mut defines.methods);
    defines.methods.push(std::mem::zeroed());
    let name = ffi::PyObject_GetAttrString(spec, c"name".as_ptr());
    if name.is_null() {
        return Err(None);
    }
    let name_utf8 = ffi::PyUnicode_AsUTF8(name);
    if name_utf8.is_null() {
        ffi::Py_DECREF(name);
        return Err(None);
    }
    // CPython keeps pointers into the definition for the module's lifetime.
    let moddef = Box::leak(Box::new(ffi::PyModuleDef {
        m_base: ffi::PyModuleDef_HEAD_INIT,
        m_name: CStr::from_ptr(name_utf8).to_owned().into_raw(),
        m_doc: def.doc,
        m_size: 0,
        m_methods: Box::leak(defines.methods.into_boxed_slice()).as_mut_ptr(),
        m_slots: std::ptr::null_mut(),
        m_traverse: None,
        m_clear: None,
        m_free: None,
    }));
    ffi::Py_DECREF(name);
    let module = ffi::PyModule_FromDefAndSpec2(moddef, spec, ffi::PYTHON_API_VERSION);
    if module.is_null() {
        return Err(None);
    }
    for exec in defines.execs {
        // HPy_mod_exec has the signature of an inquiry: int (*)(ctx, HPy).
        let mut a = _HPyFunc_args_INQUIRY { arg0: module.cast(), result: 0 };
        call_hpy(ctx, HPyFunc_INQUIRY, exec, std::ptr::addr_of_mut!(a).cast());
        if a.result != 0 {
            ffi::Py_DECREF(module);
            if ffi::PyErr_Occurred().is_null() {
                return Err(Some("an HPy_mod_exec slot failed without setting an exception".into()));
            }
            return Err(None);
        }
    }
    Ok(module)
}
