/*
 * printf-style string formatting, in the style of PyUnicode_FromFormat and
 * PyErr_Format. Not part of the ABI: compiled into each extension.
 */
#ifndef HPY_FORMAT_H
#define HPY_FORMAT_H

HPyAPI_HELPER HPy
HPyUnicode_FromFormat(HPyContext *ctx, const char *fmt, ...);

HPyAPI_HELPER HPy
HPyUnicode_FromFormatV(HPyContext *ctx, const char *fmt, va_list vargs);

/* Sets the formatted message as an exception of type h_type and returns
   HPy_NULL, so that `return HPyErr_Format(...);` works. */
HPyAPI_HELPER HPy
HPyErr_Format(HPyContext *ctx, HPy h_type, const char *fmt, ...);

#endif /* HPY_FORMAT_H */
