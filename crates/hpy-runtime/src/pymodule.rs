//! The Python face of the runtime: the module `hpy.universal`.

use crate::errors::set_error;
use crate::loader::{load, LoadError, Mode};
use pyo3_ffi as ffi;
use std::ffi::{c_char, CStr, CString};
use std::ptr::null_mut;

/// `hpy.universal.HPyLoadError`: both an ImportError (what Python's import
/// machinery expects) and a RuntimeError (what HPy 0.9.0 raised).
static mut LOAD_ERROR: *mut ffi::PyObject = null_mut();

unsafe fn raise_load_error(e: LoadError) -> *mut ffi::PyObject {
    set_error(*std::ptr::addr_of!(LOAD_ERROR), &e.0);
    null_mut()
}

/// Positional argument `i` or keyword `name`, borrowed.
unsafe fn arg(args: *mut ffi::PyObject, kwargs: *mut ffi::PyObject, i: isize, name: &CStr) -> Option<*mut ffi::PyObject> {
    if i < ffi::PyTuple_GET_SIZE(args) {
        return Some(ffi::PyTuple_GET_ITEM(args, i));
    }
    if kwargs.is_null() {
        return None;
    }
    let v = ffi::PyDict_GetItemString(kwargs, name.as_ptr());
    (!v.is_null()).then_some(v)
}

/// Parses the arguments of `fname`: `required` names first, then optional.
unsafe fn parse_args<'a>(
    fname: &str,
    args: *mut ffi::PyObject,
    kwargs: *mut ffi::PyObject,
    names: &[&'a CStr],
    required: usize,
) -> Option<Vec<Option<*mut ffi::PyObject>>> {
    let given = ffi::PyTuple_GET_SIZE(args) as usize + if kwargs.is_null() { 0 } else { ffi::PyDict_Size(kwargs) as usize };
    let values: Vec<_> = names.iter().enumerate().map(|(i, n)| arg(args, kwargs, i as isize, n)).collect();
    let found = values.iter().filter(|v| v.is_some()).count();
    if ffi::PyTuple_GET_SIZE(args) as usize > names.len() || found != given {
        set_error(ffi::PyExc_TypeError, &format!("{fname}() got unexpected arguments"));
        return None;
    }
    if let Some(i) = values[..required].iter().position(|v| v.is_none()) {
        set_error(
            ffi::PyExc_TypeError,
            &format!("{fname}() missing required argument '{}'", names[i].to_string_lossy()),
        );
        return None;
    }
    Some(values)
}

unsafe fn str_arg(fname: &str, o: *mut ffi::PyObject) -> Option<String> {
    let mut size = 0;
    let p = ffi::PyUnicode_AsUTF8AndSize(o, &mut size);
    if p.is_null() {
        ffi::PyErr_Clear();
        set_error(ffi::PyExc_TypeError, &format!("{fname}() expects str arguments"));
        return None;
    }
    Some(String::from_utf8_lossy(std::slice::from_raw_parts(p.cast(), size as usize)).into_owned())
}

unsafe fn finish_load(name: &str, path: &str, spec: *mut ffi::PyObject, mode: Mode) -> *mut ffi::PyObject {
    match load(name, path, spec, mode) {
        Ok(m) => m,
        Err(e) => raise_load_error(e),
    }
}

/// `load(name, path, spec, debug=False, mode=-1)`
unsafe extern "C" fn py_load(_m: *mut ffi::PyObject, args: *mut ffi::PyObject, kwargs: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let Some(v) = parse_args("load", args, kwargs, &[c"name", c"path", c"spec", c"debug", c"mode"], 3) else {
        return null_mut();
    };
    let (Some(name), Some(path)) = (str_arg("load", v[0].unwrap()), str_arg("load", v[1].unwrap())) else {
        return null_mut();
    };
    let debug = match v[3] {
        Some(d) => {
            let t = ffi::PyObject_IsTrue(d);
            if t < 0 {
                return null_mut();
            }
            t == 1
        }
        None => false,
    };
    let mode_number = match v[4] {
        Some(m) => {
            let n = ffi::PyLong_AsLong(m);
            if n == -1 && !ffi::PyErr_Occurred().is_null() {
                return null_mut();
            }
            n as i64
        }
        None => -1,
    };
    let mode = if mode_number < 0 {
        if debug { Mode::Debug } else { Mode::Universal }
    } else {
        match Mode::from_number(mode_number) {
            Some(m) => m,
            None => {
                set_error(ffi::PyExc_ValueError, &format!("invalid HPy mode {mode_number}"));
                return null_mut();
            }
        }
    };
    finish_load(&name, &path, v[2].unwrap(), mode)
}

/// The mode the `HPY` variable asks for the module `name` (also matched by
/// its dotted `ext_name`): `HPY=debug`, or `HPY=a:debug,b:trace`, where a
/// bare entry is the default for unlisted modules.
pub fn mode_from_env(value: &str, name: &str, ext_name: &str) -> Result<Mode, String> {
    let mut default = Mode::Universal;
    let mut chosen = None;
    for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (module, mode_name) = match item.split_once(':') {
            Some((m, v)) => (Some(m.trim()), v.trim()),
            None => (None, item),
        };
        let mode = Mode::from_name(mode_name)
            .ok_or_else(|| format!("invalid value for the HPY environment variable: '{value}' (unknown mode '{mode_name}'; use universal, debug or trace)"))?;
        match module {
            Some(m) if m == name || m == ext_name => chosen = Some(mode),
            Some(_) => {}
            None => default = mode,
        }
    }
    Ok(chosen.unwrap_or(default))
}

unsafe fn set_attr(m: *mut ffi::PyObject, attr: &CStr, v: *mut ffi::PyObject) -> bool {
    ffi::PyObject_SetAttrString(m, attr.as_ptr(), v) == 0
}

/// `_load_bootstrap(name, ext_name, package, file, loader, spec, env)`: what
/// the generated `name.py` stub of a universal module calls.
unsafe extern "C" fn py_load_bootstrap(_m: *mut ffi::PyObject, args: *mut ffi::PyObject, kwargs: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let names = [c"name", c"ext_name", c"package", c"file", c"loader", c"spec", c"env"];
    let Some(v) = parse_args("_load_bootstrap", args, kwargs, &names, 7) else { return null_mut() };
    let v: Vec<*mut ffi::PyObject> = v.into_iter().map(Option::unwrap).collect();
    let (Some(name), Some(ext_name), Some(file)) =
        (str_arg("_load_bootstrap", v[0]), str_arg("_load_bootstrap", v[1]), str_arg("_load_bootstrap", v[3]))
    else {
        return null_mut();
    };
    let env_value = ffi::PyObject_CallMethod(v[6], c"get".as_ptr(), c"s".as_ptr(), c"HPY".as_ptr());
    if env_value.is_null() {
        return null_mut();
    }
    let hpy_env = if env_value == ffi::Py_None() { Some(String::new()) } else { str_arg("_load_bootstrap", env_value) };
    ffi::Py_DECREF(env_value);
    let Some(hpy_env) = hpy_env else { return null_mut() };
    let mode = match mode_from_env(&hpy_env, &name, &ext_name) {
        Ok(m) => m,
        Err(msg) => {
            set_error(ffi::PyExc_ValueError, &msg);
            return null_mut();
        }
    };
    let log = ffi::PyObject_CallMethod(v[6], c"get".as_ptr(), c"s".as_ptr(), c"HPY_LOG".as_ptr());
    if log.is_null() {
        return null_mut();
    }
    if log != ffi::Py_None() {
        // HPy 0.9.0's words, through sys.stdout as there (tools and the
        // docs' examples compare them)
        let context = match mode {
            Mode::Universal => String::new(),
            other => format!(" with a {} context", other.name()),
        };
        let line = CString::new(format!("Loading '{ext_name}' in HPy universal mode{context}\n")).unwrap_or_default();
        ffi::PySys_FormatStdout(c"%s".as_ptr(), line.as_ptr());
    }
    ffi::Py_DECREF(log);
    let module = finish_load(&name, &file, v[5], mode);
    if module.is_null() {
        return null_mut();
    }
    // The spec is the stub's: its origin must name the binary, as
    // `__file__` does, or the module's repr would name the stub (HPy 0.9.0
    // does the same).
    let ok = set_attr(module, c"__file__", v[3])
        && set_attr(module, c"__loader__", v[4])
        && set_attr(module, c"__name__", v[1])
        && set_attr(module, c"__package__", v[2])
        && (v[5] == ffi::Py_None() || set_attr(v[5], c"origin", v[3]))
        && set_attr(module, c"__spec__", v[5]);
    if !ok {
        ffi::Py_DECREF(module);
        return null_mut();
    }
    module
}

/// `get_mode(module)`: the MODE_* a module was loaded in.
unsafe extern "C" fn py_get_mode(_m: *mut ffi::PyObject, module: *mut ffi::PyObject) -> *mut ffi::PyObject {
    match crate::loader::mode_of(module) {
        Some(mode) => ffi::PyLong_FromLong(mode as _),
        None => {
            set_error(ffi::PyExc_TypeError, "get_mode() expects a module object made by hpy.universal.load");
            null_mut()
        }
    }
}

unsafe extern "C" fn py_get_version(_m: *mut ffi::PyObject, _a: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let v = concat!("hpy-rs ", env!("CARGO_PKG_VERSION"), "\0");
    ffi::Py_BuildValue(c"(ss)".as_ptr(), c"0.9.0".as_ptr(), v.as_ptr().cast::<c_char>())
}

static mut METHODS: [ffi::PyMethodDef; 5] = [
    ffi::PyMethodDef {
        ml_name: c"load".as_ptr(),
        ml_meth: ffi::PyMethodDefPointer { PyCFunctionWithKeywords: py_load },
        ml_flags: ffi::METH_VARARGS | ffi::METH_KEYWORDS,
        ml_doc: c"load(name, path, spec, debug=False, mode=-1)\n--\n\nLoad a .hpy0.so file and return the module.".as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"_load_bootstrap".as_ptr(),
        ml_meth: ffi::PyMethodDefPointer { PyCFunctionWithKeywords: py_load_bootstrap },
        ml_flags: ffi::METH_VARARGS | ffi::METH_KEYWORDS,
        ml_doc: c"Load a module for the stub loader of a universal module, honouring the HPY environment variable.".as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"get_mode".as_ptr(),
        ml_meth: ffi::PyMethodDefPointer { PyCFunction: py_get_mode },
        ml_flags: ffi::METH_O,
        ml_doc: c"get_mode(module) -> the MODE_* (MODE_UNIVERSAL, MODE_DEBUG, MODE_TRACE) the HPy module was loaded in.".as_ptr(),
    },
    ffi::PyMethodDef {
        ml_name: c"get_version".as_ptr(),
        ml_meth: ffi::PyMethodDefPointer { PyCFunction: py_get_version },
        ml_flags: ffi::METH_NOARGS,
        ml_doc: c"(HPy version this runtime implements, runtime identification)".as_ptr(),
    },
    ffi::PyMethodDef::zeroed(),
];

static mut MODULE_DEF: ffi::PyModuleDef = ffi::PyModuleDef {
    m_base: ffi::PyModuleDef_HEAD_INIT,
    m_name: c"hpy.universal".as_ptr(),
    m_doc: c"HPy universal runtime for CPython (hpy-rs)".as_ptr(),
    m_size: -1,
    m_methods: std::ptr::null_mut(),
    m_slots: std::ptr::null_mut(),
    m_traverse: None,
    m_clear: None,
    m_free: None,
};

#[no_mangle]
pub unsafe extern "C" fn PyInit_universal() -> *mut ffi::PyObject {
    let def = &mut *std::ptr::addr_of_mut!(MODULE_DEF);
    def.m_methods = std::ptr::addr_of_mut!(METHODS).cast();
    let m = ffi::PyModule_Create(def);
    if m.is_null() {
        return null_mut();
    }
    let bases = ffi::PyTuple_Pack(2, ffi::PyExc_ImportError, ffi::PyExc_RuntimeError);
    let err = ffi::PyErr_NewExceptionWithDoc(
        c"hpy.universal.HPyLoadError".as_ptr(),
        c"A file could not be loaded as an HPy module.".as_ptr(),
        bases,
        null_mut(),
    );
    ffi::Py_XDECREF(bases);
    if err.is_null() {
        ffi::Py_DECREF(m);
        return null_mut();
    }
    *std::ptr::addr_of_mut!(LOAD_ERROR) = err;
    ffi::Py_INCREF(err);
    let ok = ffi::PyModule_AddObject(m, c"HPyLoadError".as_ptr(), err) == 0
        && ffi::PyModule_AddIntConstant(m, c"MODE_UNIVERSAL".as_ptr(), Mode::Universal as _) == 0
        && ffi::PyModule_AddIntConstant(m, c"MODE_DEBUG".as_ptr(), Mode::Debug as _) == 0
        && ffi::PyModule_AddIntConstant(m, c"MODE_TRACE".as_ptr(), Mode::Trace as _) == 0
        && crate::debug::pymod::add_to(m)
        && crate::trace::pymod::add_to(m);
    if !ok {
        ffi::Py_DECREF(m);
        return null_mut();
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hpy_env_values() {
        assert_eq!(mode_from_env("", "m", "pkg.m"), Ok(Mode::Universal));
        assert_eq!(mode_from_env("debug", "m", "pkg.m"), Ok(Mode::Debug));
        assert_eq!(mode_from_env("a:debug,m:trace", "m", "pkg.m"), Ok(Mode::Trace));
        assert_eq!(mode_from_env("a:debug", "m", "pkg.m"), Ok(Mode::Universal));
        assert_eq!(mode_from_env("pkg.m:debug", "m", "pkg.m"), Ok(Mode::Debug));
        assert!(mode_from_env("fast", "m", "pkg.m").is_err());
        assert!(mode_from_env("m:fast", "m", "pkg.m").is_err());
    }
}
