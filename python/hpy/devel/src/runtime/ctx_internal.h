/*
 * Private to the cpython-ABI sources of this directory (ctx_*.c): what the
 * module and the type machinery share. Not installed for users, and not a
 * .c file, so hpy.devel never compiles it on its own.
 *
 * Everything declared here is hidden: each extension links its own copy of
 * these sources, and two extensions loaded into one process must not see
 * each other's copies.
 */
#ifndef HPY_SRC_CTX_INTERNAL_H
#define HPY_SRC_CTX_INTERNAL_H

#include "hpy.h"

#ifndef HPY_ABI_CPYTHON
#  error "the ctx_*.c sources implement the cpython ABI only"
#endif

#include <string.h>

/* Process-wide tables (the module definition cache, the type side table)
   are protected by the GIL, except in free-threaded builds, where they get
   a mutex of their own. Critical sections never call back into Python, so
   the mutex cannot deadlock against the interpreter. */
#ifdef Py_GIL_DISABLED
#  define _HPyCPy_MUTEX(name)   static PyMutex name
#  define _HPyCPy_LOCK(name)    PyMutex_Lock(&(name))
#  define _HPyCPy_UNLOCK(name)  PyMutex_Unlock(&(name))
#else
#  define _HPyCPy_MUTEX(name)   typedef int _HPyCPy_unused_mutex_##name
#  define _HPyCPy_LOCK(name)    ((void)0)
#  define _HPyCPy_UNLOCK(name)  ((void)0)
#endif

/* Build the NULL-terminated PyMethodDef array CPython wants from the
   HPyDef_METH entries of `defines` (may be NULL), followed by the entries
   of `legacy` (a NULL-terminated PyMethodDef array, may be NULL).
   The array is allocated with PyMem_Malloc and must outlive every object
   created from it: CPython keeps pointers into it (method descriptors,
   builtin functions). Returns NULL with SystemError set on a bad method
   define, or MemoryError. */
_HPy_HIDDEN PyMethodDef *
_HPyCPy_BuildMethodDefs(HPyDef **defines, PyMethodDef *legacy);

/* Check one HPyDef_METH the way _HPyCPy_BuildMethodDefs does; 0 if it is
   usable, -1 with SystemError set otherwise. */
_HPy_HIDDEN int _HPyCPy_CheckMeth(const HPyMeth *meth);

#endif /* HPY_SRC_CTX_INTERNAL_H */
