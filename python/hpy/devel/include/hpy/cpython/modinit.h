/*
 * HPy_MODINIT(ext_name, mod_def) for the cpython ABI: an ordinary
 * PyInit_<ext_name> that returns a multi-phase (PEP 489) PyModuleDef built
 * from the HPyModuleDef. The conversion is done by the C helper sources
 * compiled into the extension (see hpy/cpython/impl.h).
 */
#ifndef HPY_CPYTHON_MODINIT_H
#define HPY_CPYTHON_MODINIT_H

#define HPy_MODINIT(ext_name, mod_def)                                        \
    PyMODINIT_FUNC                                                            \
    PyInit_##ext_name(void)                                                   \
    {                                                                         \
        return _HPyCPy_ModuleInit(&(mod_def));                                \
    }

#endif /* HPY_CPYTHON_MODINIT_H */
