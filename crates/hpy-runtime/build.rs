//! Emits pyo3's version cfgs (`Py_3_12`, ...) for the interpreter the runtime
//! is built for, so that API added after 3.11 can be used where it exists.
fn main() {
    pyo3_build_config::use_pyo3_cfgs();
    pyo3_build_config::print_expected_cfgs();
}
