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
            "HPy extension module '{name}' requires unsupported version of the HPy runtime. \
             Requested version: {major}.{minor}. Current HPy version: {HPY_ABI_VERSION}.{HPY_ABI_VERSION_MINOR}."
        )));
    }
    check_abi_tag(name, path, major, minor)?;
    let init_ctx = lookup::<unsafe extern "C" fn(*mut HPyContext)>(&lib, &format!("HPyInitGlobalContext_{name}"), path, not_hpy)?;
    let init = lookup::<unsafe extern "C" fn() -> *mut HPyModuleDef>(&lib, &format!("HPyInit_{name}"), path, not_hpy)?;
    // The module's trampolines use this context from now on (each mode
    // has its own copy of the file: see file_for_mode).
    let pure = file_abi(path) == FileAbi::Universal;
    let ctx = match mode {
        Mode::Universal if pure => pure_universal_context(name),
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
    if pure {
        if !(*def).legacy_methods.is_null() {
            return Err(LoadError(format!(
                "HPy extension module '{name}' at path '{path}' is a pure universal module but its HPyModuleDef \
                 has legacy_methods: legacy (Python.h) parts need the hybrid ABI; rebuild it with --hpy-abi=hybrid"
            )));
        }
        register_pure(&lib, name, &format!("HPyInit_{name}"));
    }
    if mode == Mode::Debug {
        crate::debug::register_globals(&*def);
    }
    let module = {
        let _loading = pure.then(|| LoadingPure::enter(name));
        create_module(ctx, &*def, spec)
    };
    if !module.is_null() {
        remember_mode(module, mode);
    }
    // The module's code must stay mapped for as long as the process runs.
    std::mem::forget(lib);
    Ok(module)
}

/// The last component of `path`: the ABI tags are read from it alone, so a
/// directory named like a tag does not stand in for one.
fn file_name(path: &str) -> String {
    std::path::Path::new(path).file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The file name must carry the ABI tag of the version the binary asks for
/// (`name.hpy0.so`, `name.hpy0-cp311.so`), as HPy 0.9.0 requires: a renamed
/// binary would otherwise be installed or picked up under a tag that lies
/// about it.
fn check_abi_tag(name: &str, path: &str, major: u32, minor: u32) -> Result<(), LoadError> {
    let file = file_name(path);
    let tag = file.find(".hpy").map(|i| &file[i + ".hpy".len()..]).and_then(|rest| {
        let digits = &rest[..rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len()];
        (!digits.is_empty()).then_some(digits)
    });
    match tag {
        Some(t) if t.parse::<u32>() == Ok(major) => Ok(()),
        Some(t) => Err(LoadError(format!(
            "HPy extension module '{name}' at path '{path}': mismatch between the HPy ABI tag encoded in the filename \
             and the major version requested by the HPy extension itself. Major version tag parsed from filename: {t}. \
             Requested version: {major}.{minor}."
        ))),
        None => Err(LoadError(format!(
            "HPy extension module '{name}' at path '{path}': could not find HPy ABI tag encoded in the filename. \
             The extension claims to be compiled with HPy ABI version: {major}.{minor}."
        ))),
    }
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

// ---- pure universal modules --------------------------------------------------
//
// HPy 0.9.0 keeps legacy (Python.h) parts out of universal binaries only at
// compile time, and its runtime loads whatever a binary contains. The one
// thing that tells a pure universal binary from a hybrid one is the ABI tag
// hpy.devel puts in the file name: `name.hpy0.so` against
// `name.hpy0-cp311.so`. Legacy parts found in a file named as universal are
// refused: the binary would not run on another Python.

/// What a file name says about the ABI a module was built for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileAbi {
    /// `name.hpy0.so`
    Universal,
    /// `name.hpy0-<cpython tag>.so`
    Hybrid,
    /// Any other name that carries the tag (`name.hpy0.x.so`): nothing is
    /// refused.
    Unknown,
}

pub fn file_abi(path: &str) -> FileAbi {
    let file = file_name(path);
    let tag = format!("hpy{HPY_ABI_VERSION}");
    let parts: Vec<&str> = file.split('.').collect();
    match parts.as_slice() {
        [_, abi, _ext] if *abi == tag => FileAbi::Universal,
        [_, abi, _ext] if abi.strip_prefix(tag.as_str()).is_some_and(|rest| rest.len() > 1 && rest.starts_with('-')) => FileAbi::Hybrid,
        _ => FileAbi::Unknown,
    }
}

/// Pure universal modules loaded so far: the base address of their mapping
/// (so that a spec can be traced to the binary it lives in) and their name.
static PURE: std::sync::Mutex<Vec<(usize, String)>> = std::sync::Mutex::new(Vec::new());

/// The contexts handed to pure universal modules in universal mode, one per
/// module so that a refused legacy call can name the module.
static PURE_CONTEXTS: std::sync::Mutex<Vec<(usize, String)>> = std::sync::Mutex::new(Vec::new());

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The start of the mapping of the binary that holds `addr`, if any.
fn binary_base(addr: *const std::ffi::c_void) -> Option<usize> {
    let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
    if addr.is_null() || unsafe { libc::dladdr(addr, &mut info) } == 0 || info.dli_fbase.is_null() {
        return None;
    }
    Some(info.dli_fbase as usize)
}

fn register_pure(lib: &Library, name: &str, symbol: &str) {
    let Ok(sym) = (unsafe { lib.get::<*const std::ffi::c_void>(symbol.as_bytes()) }) else { return };
    if let Some(base) = binary_base(*sym) {
        lock(&PURE).push((base, name.to_string()));
    }
}

thread_local! {
    /// The pure universal module this thread is creating (its
    /// `HPy_mod_exec` may make types from specs built on the heap).
    static LOADING_PURE: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

struct LoadingPure;

impl LoadingPure {
    fn enter(name: &str) -> LoadingPure {
        LOADING_PURE.with(|l| l.borrow_mut().push(name.to_string()));
        LoadingPure
    }
}

impl Drop for LoadingPure {
    fn drop(&mut self) {
        LOADING_PURE.with(|l| {
            l.borrow_mut().pop();
        });
    }
}

/// The name of the pure universal module `data` (a spec) belongs to: the
/// binary it lives in, else the module being created on this thread.
pub fn pure_universal_owner(data: *const std::ffi::c_void) -> Option<String> {
    if let Some(base) = binary_base(data) {
        if let Some((_, name)) = lock(&PURE).iter().rev().find(|(b, _)| *b == base) {
            return Some(name.clone());
        }
        return None;
    }
    LOADING_PURE.with(|l| l.borrow().last().cloned())
}

/// A copy of the universal context whose `HPy_AsPyObject` and
/// `HPy_FromPyObject` refuse: a pure universal binary reaching them had to
/// bypass the headers, and would not run on another Python.
unsafe fn pure_universal_context(name: &str) -> *mut HPyContext {
    let mut c = std::ptr::read(universal_context());
    c.ctx_AsPyObject = pure_AsPyObject;
    c.ctx_FromPyObject = pure_FromPyObject;
    let ctx = Box::into_raw(Box::new(c));
    lock(&PURE_CONTEXTS).push((ctx as usize, name.to_string()));
    ctx
}

#[cold]
unsafe fn refuse_legacy_call(ctx: *mut HPyContext, api: &str) {
    let module = lock(&PURE_CONTEXTS).iter().find(|(c, _)| *c == ctx as usize).map(|(_, n)| n.clone()).unwrap_or_default();
    crate::errors::set_error(
        ffi::PyExc_SystemError,
        &format!("{api}: '{module}' is a pure universal HPy module, which cannot use legacy (Python.h) objects; rebuild it with --hpy-abi=hybrid"),
    );
}

#[allow(non_snake_case)]
unsafe extern "C" fn pure_AsPyObject(ctx: *mut HPyContext, _h: HPy) -> *mut cpy_PyObject {
    refuse_legacy_call(ctx, "HPy_AsPyObject");
    std::ptr::null_mut()
}

#[allow(non_snake_case)]
unsafe extern "C" fn pure_FromPyObject(ctx: *mut HPyContext, _obj: *mut cpy_PyObject) -> HPy {
    refuse_legacy_call(ctx, "HPy_FromPyObject");
    HPy::NULL
}
