//! Loading a universal module (`name.hpy0.so`) into this interpreter.

use crate::context::universal_context;
use crate::module::create_module;
use hpy_abi::*;
use libloading::os::unix::{Library, Symbol, RTLD_LOCAL, RTLD_NOW};
use pyo3_ffi as ffi;

/// How a module's context is chosen; the numbers are HPy 0.9.0's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Universal = 0,
    Debug = 1,
    Trace = 2,
}

impl Mode {
    pub fn from_number(n: i64) -> Option<Mode> {
        match n {
            0 => Some(Mode::Universal),
            1 => Some(Mode::Debug),
            2 => Some(Mode::Trace),
            _ => None,
        }
    }

    pub fn from_name(s: &str) -> Option<Mode> {
        match s {
            "universal" => Some(Mode::Universal),
            "debug" => Some(Mode::Debug),
            "trace" => Some(Mode::Trace),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Mode::Universal => "universal",
            Mode::Debug => "debug",
            Mode::Trace => "trace",
        }
    }
}

/// Why a file could not be loaded; raised as `hpy.universal.HPyLoadError`.
pub struct LoadError(pub String);

fn lookup<T>(lib: &Library, symbol: &str, path: &str, what: &str) -> Result<Symbol<T>, LoadError> {
    unsafe { lib.get::<T>(symbol.as_bytes()) }.map_err(|e| {
        LoadError(format!(
            "Error during loading of the HPy extension module at path '{path}': {what}: missing symbol '{symbol}' ({e})"
        ))
    })
}

/// Loads the file, checks its ABI version, runs its init functions and
/// builds the module. `Ok(NULL)` means a Python exception is set.
pub unsafe fn load(name: &str, path: &str, spec: *mut ffi::PyObject, mode: Mode) -> Result<*mut ffi::PyObject, LoadError> {
    let file = file_for_mode(path, mode)?;
    let lib = Library::open(Some(&file), RTLD_NOW | RTLD_LOCAL).map_err(|e| {
        LoadError(format!(
            "Error during loading of the HPy extension module at path '{path}'. Error message from dlopen: {e}"
        ))
    })?;
    let not_hpy = "not an HPy universal module";
    let major = lookup::<unsafe extern "C" fn() -> u32>(&lib, &format!("get_required_hpy_major_version_{name}"), path, not_hpy)?;
    let minor = lookup::<unsafe extern "C" fn() -> u32>(&lib, &format!("get_required_hpy_minor_version_{name}"), path, not_hpy)?;
    let (major, minor) = (major(), minor());
    if major != HPY_ABI_VERSION || minor > HPY_ABI_VERSION_MINOR {
        return Err(LoadError(format!(
            "HPy extension module '{name}' at path '{path}' requires unsupported version of the HPy runtime. \
             Requested version: {major}.{minor}. Current HPy version: {HPY_ABI_VERSION}.{HPY_ABI_VERSION_MINOR}."
        )));
    }
    let init_ctx = lookup::<unsafe extern "C" fn(*mut HPyContext)>(&lib, &format!("HPyInitGlobalContext_{name}"), path, not_hpy)?;
    let init = lookup::<unsafe extern "C" fn() -> *mut HPyModuleDef>(&lib, &format!("HPyInit_{name}"), path, not_hpy)?;
    // The module's trampolines use this context from now on (each mode
    // has its own copy of the file: see file_for_mode).
    let ctx = match mode {
        Mode::Universal => universal_context(),
        Mode::Debug => crate::debug::debug_context(),
        Mode::Trace => crate::trace::trace_context(),
    };
    init_ctx(ctx);
    let def = init();
    if def.is_null() {
        if !ffi::PyErr_Occurred().is_null() {
            return Ok(std::ptr::null_mut());
        }
        return Err(LoadError(format!(
            "Error during loading of the HPy extension module at path '{path}': HPyInit_{name} returned NULL"
        )));
    }
    if mode == Mode::Debug {
        crate::debug::register_globals(&*def);
    }
    let module = create_module(ctx, &*def, spec);
    if !module.is_null() {
        remember_mode(module, mode);
    }
    // The module's code must stay mapped for as long as the process runs.
    std::mem::forget(lib);
    Ok(module)
}

/// The mode of each module object made by `load`, keyed by its
/// `PyModuleDef` (made and leaked by the runtime for each module, so never
/// reused by another module).
static MODES: std::sync::Mutex<Vec<(usize, Mode)>> = std::sync::Mutex::new(Vec::new());

unsafe fn remember_mode(module: *mut ffi::PyObject, mode: Mode) {
    if ffi::PyModule_Check(module) == 0 {
        return;
    }
    let def = ffi::PyModule_GetDef(module);
    if def.is_null() {
        ffi::PyErr_Clear();
        return;
    }
    MODES.lock().unwrap_or_else(|e| e.into_inner()).push((def as usize, mode));
}

/// The mode `module` was loaded in, if `load` made it.
pub unsafe fn mode_of(module: *mut ffi::PyObject) -> Option<Mode> {
    if ffi::PyModule_Check(module) == 0 {
        return None;
    }
    let def = ffi::PyModule_GetDef(module);
    if def.is_null() {
        ffi::PyErr_Clear();
        return None;
    }
    let modes = MODES.lock().unwrap_or_else(|e| e.into_inner());
    modes.iter().rev().find(|(d, _)| *d == def as usize).map(|(_, m)| *m)
}

/// The files loaded so far and the mode each one's trampolines serve.
static FILES: std::sync::Mutex<Vec<(std::path::PathBuf, Mode, String)>> = std::sync::Mutex::new(Vec::new());

/// The file to dlopen for loading `path` in `mode`. A shared object is
/// mapped once per process, with one global context for its trampolines:
/// loading it again in another mode would switch the modules already
/// loaded from it to that mode. So the first mode a file is loaded in uses
/// the file itself, and each other mode a private copy (same file name, in a
/// directory of its own under the temporary directory).
fn file_for_mode(path: &str, mode: Mode) -> Result<String, LoadError> {
    let canon = std::fs::canonicalize(path).unwrap_or_else(|_| std::path::PathBuf::from(path));
    let mut files = FILES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, _, file)) = files.iter().find(|(p, m, _)| *p == canon && *m == mode) {
        return Ok(file.clone());
    }
    if !files.iter().any(|(p, _, _)| *p == canon) {
        files.push((canon, mode, path.to_string()));
        return Ok(path.to_string());
    }
    let file_name = canon.file_name().map(|f| f.to_os_string()).unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("hpy-rs-{}", std::process::id())).join(format!("{}-{}", mode.name(), files.len()));
    let copy = dir.join(file_name);
    std::fs::create_dir_all(&dir)
        .and_then(|_| std::fs::copy(&canon, &copy))
        .map_err(|e| LoadError(format!("cannot load '{path}' in {} mode: making a private copy at '{}' failed: {e}", mode.name(), copy.display())))?;
    let copy = copy.to_string_lossy().into_owned();
    files.push((canon, mode, copy.clone()));
    Ok(copy)
}
