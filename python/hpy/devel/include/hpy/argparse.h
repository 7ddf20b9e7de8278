/*
 * Argument parsing for HPyFunc_VARARGS / KEYWORDS methods and for
 * tp_new / tp_init, in the style of PyArg_ParseTuple. Not part of the ABI:
 * compiled from the helper sources into each extension.
 *
 * Format units that produce new handles (e.g. "O") register them in the
 * HPyTracker *ht when one is given, so that the caller can close them all
 * at once; pass NULL if the format has no such units.
 */
#ifndef HPY_ARGPARSE_H
#define HPY_ARGPARSE_H

/* Positional arguments only (HPyFunc_VARARGS). */
HPyAPI_HELPER int
HPyArg_Parse(HPyContext *ctx, HPyTracker *ht, const HPy *args, size_t nargs,
             const char *fmt, ...);

/* Vectorcall-style arguments (HPyFunc_KEYWORDS): keyword values follow the
   positional ones in `args`, their names are in the tuple `kwnames`.
   `keywords` is a NULL-terminated array with one name per format unit. */
HPyAPI_HELPER int
HPyArg_ParseKeywords(HPyContext *ctx, HPyTracker *ht, const HPy *args, size_t nargs,
                     HPy kwnames, const char *fmt, const char *keywords[], ...);

/* Same, with keywords in a dict (HPy_tp_new / HPy_tp_init). */
HPyAPI_HELPER int
HPyArg_ParseKeywordsDict(HPyContext *ctx, HPyTracker *ht, const HPy *args,
                         HPy_ssize_t nargs, HPy kw, const char *fmt,
                         const char *keywords[], ...);

#endif /* HPY_ARGPARSE_H */
