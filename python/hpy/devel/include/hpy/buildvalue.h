/*
 * HPy_BuildValue: build a Python value from a format string, in the style
 * of Py_BuildValue. Not part of the ABI: compiled into each extension.
 */
#ifndef HPY_BUILDVALUE_H
#define HPY_BUILDVALUE_H

HPyAPI_HELPER HPy
HPy_BuildValue(HPyContext *ctx, const char *fmt, ...);

#endif /* HPY_BUILDVALUE_H */
