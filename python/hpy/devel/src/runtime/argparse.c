/*
 * HPyArg_Parse, HPyArg_ParseKeywords, HPyArg_ParseKeywordsDict: argument
 * parsing in the style of PyArg_ParseTuple(AndKeywords), written with the
 * public API only, so that the same source serves every ABI.
 *
 * Format units (the C type the matching variadic argument points to):
 *
 *   b  unsigned char       int in [0, UCHAR_MAX], else OverflowError
 *   B  unsigned char       any int, truncated
 *   h  short               int in [SHRT_MIN, SHRT_MAX], else OverflowError
 *   H  unsigned short      any int, truncated
 *   i  int                 int in [INT_MIN, INT_MAX], else OverflowError
 *   I  unsigned int        any int, truncated
 *   l  long                k  unsigned long (truncated)
 *   L  long long           K  unsigned long long (truncated)
 *   n  HPy_ssize_t
 *   f  float               d  double
 *   p  int                 truth value of any object (0 or 1)
 *   s  const char *        UTF-8 of a str without NUL characters; valid as
 *                          long as the argument is
 *   O  HPy                 the argument itself. HPyArg_Parse stores the
 *                          caller's handle (no new handle); the keyword
 *                          parsers store a new handle, registered in the
 *                          HPyTracker, which is then required.
 *
 *   |  the following units are optional: their variables keep their value
 *      when the argument is not given
 *   $  (keyword parsers) the following units are keyword-only, and optional
 *   :name   ends the units; "name()" prefixes the error messages
 *   ;text   ends the units; "text" replaces the error messages
 *
 * Errors raised while converting an argument (TypeError from int("x"), ...)
 * are left as they are; errors about the argument list itself get the
 * prefix described above ("function ..." by default), with the messages of
 * HPy 0.9.0. Beyond HPy 0.9.0, the keyword parsers also refuse unexpected
 * keyword arguments, an argument given both by position and by keyword,
 * and more positional arguments than the format has units.
 *
 * On failure the tracker (when one was given) is closed, so the caller only
 * has to close it after a successful parse.
 */
#include "hpy.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Where the units of a format end, and how to word errors. */
typedef struct {
    const char *end;        /* ':' or ';' or the terminating NUL */
    const char *fname;      /* after ':', up to the end of the string */
    const char *message;    /* after ';' */
} fmt_info;

static void
read_fmt(const char *fmt, fmt_info *fi)
{
    const char *p = fmt;
    while (*p != '\0' && *p != ':' && *p != ';')
        p++;
    fi->end = p;
    fi->fname = *p == ':' ? p + 1 : NULL;
    fi->message = *p == ';' ? p + 1 : NULL;
}

static void
arg_error(HPyContext *ctx, HPy exc, const fmt_info *fi, const char *what)
{
    char buf[512];
    if (fi->message != NULL)
        HPyErr_SetString(ctx, exc, fi->message);
    else {
        if (fi->fname != NULL)
            snprintf(buf, sizeof(buf), "%.200s() %.300s", fi->fname, what);
        else
            snprintf(buf, sizeof(buf), "function %.300s", what);
        HPyErr_SetString(ctx, exc, buf);
    }
}

/* 1 if v fits in [lo, hi], else 0 with an OverflowError naming `what`. */
static int
in_range(HPyContext *ctx, const fmt_info *fi, long v, long lo, long hi,
         const char *what)
{
    char buf[100];
    if (v >= lo && v <= hi)
        return 1;
    snprintf(buf, sizeof(buf), "%s is %s", what,
             v < lo ? "less than minimum" : "greater than maximum");
    arg_error(ctx, ctx->h_OverflowError, fi, buf);
    return 0;
}

/* How a parsed argument is held. */
enum {
    ARG_BORROWED,       /* the caller's handle, valid for the whole call  */
    ARG_BORROWED_DUP,   /* same, but an 'O' must hand out a new handle    */
    ARG_OWNED           /* a handle we own (read from a dict)             */
};

/* The numeric units differ only in their C type, the type CONVERT returns
   (-1 with an exception set on failure), and IN_RANGE, an expression in `v`
   that is 1 or reports its own error. The pointer is read from the va_list
   even for an argument that is not given: the next unit needs its own. */
#define NUMBER(CTYPE, VTYPE, CONVERT, IN_RANGE)                             \
    do {                                                                    \
        CTYPE *out = va_arg(*va, CTYPE *);                                  \
        if (given) {                                                        \
            VTYPE v = CONVERT(ctx, arg);                                    \
            if ((v == (VTYPE)-1 && HPyErr_Occurred(ctx)) || !(IN_RANGE))    \
                ok = 0;                                                     \
            else                                                            \
                *out = (CTYPE)v;                                            \
        }                                                                   \
    } while (0)

/* Convert `arg` (HPy_NULL: an optional argument that was not given) with
   the unit at *f, advancing *f past it. Returns 1 on success, 0 with an
   exception set. An ARG_OWNED `arg` is always consumed: closed, or handed
   to the tracker. */
static int
parse_unit(HPyContext *ctx, HPyTracker *ht, HPy arg, int how,
           const char **f, va_list *va, const fmt_info *fi)
{
    int ok = 1;
    char unit = *(*f)++;
    int given = !HPy_IsNull(arg);

    switch (unit) {
    case 'b':
        NUMBER(unsigned char, long, HPyLong_AsLong,
               in_range(ctx, fi, v, 0, UCHAR_MAX, "unsigned byte integer"));
        break;
    case 'B':
        NUMBER(unsigned char, unsigned long, HPyLong_AsUnsignedLongMask, 1);
        break;
    case 'h':
        NUMBER(short, long, HPyLong_AsLong,
               in_range(ctx, fi, v, SHRT_MIN, SHRT_MAX, "signed short integer"));
        break;
    case 'H':
        NUMBER(unsigned short, unsigned long, HPyLong_AsUnsignedLongMask, 1);
        break;
    case 'i':
        NUMBER(int, long, HPyLong_AsLong,
               in_range(ctx, fi, v, INT_MIN, INT_MAX, "signed integer"));
        break;
    case 'I':
        NUMBER(unsigned int, unsigned long, HPyLong_AsUnsignedLongMask, 1);
        break;
    case 'l':
        NUMBER(long, long, HPyLong_AsLong, 1);
        break;
    case 'k':
        NUMBER(unsigned long, unsigned long, HPyLong_AsUnsignedLongMask, 1);
        break;
    case 'L':
        NUMBER(long long, long long, HPyLong_AsLongLong, 1);
        break;
    case 'K':
        NUMBER(unsigned long long, unsigned long long,
               HPyLong_AsUnsignedLongLongMask, 1);
        break;
    case 'n':
        NUMBER(HPy_ssize_t, HPy_ssize_t, HPyLong_AsSsize_t, 1);
        break;
    case 'f':
        NUMBER(float, double, HPyFloat_AsDouble, 1);
        break;
    case 'd':
        NUMBER(double, double, HPyFloat_AsDouble, 1);
        break;
    case 'p': {
        int *out = va_arg(*va, int *);
        int v;
        if (!given)
            break;
        v = HPy_IsTrue(ctx, arg);
        if (v < 0)
            ok = 0;
        else
            *out = v > 0;
        break;
    }
    case 's': {
        const char **out = va_arg(*va, const char **);
        const char *data;
        HPy_ssize_t size;
        if (!given)
            break;
        if (!HPyUnicode_Check(ctx, arg)) {
            arg_error(ctx, ctx->h_TypeError, fi, "a str is required");
            ok = 0;
            break;
        }
        data = HPyUnicode_AsUTF8AndSize(ctx, arg, &size);
        if (data == NULL) {
            ok = 0;
            break;
        }
        if ((size_t)size != strlen(data)) {
            arg_error(ctx, ctx->h_ValueError, fi, "embedded null character");
            ok = 0;
            break;
        }
        *out = data;
        /* the pointer lives as long as the str: keep a str we read from a
           dict alive with the tracker, when there is one */
        if (how == ARG_OWNED && ht != NULL) {
            if (HPyTracker_Add(ctx, *ht, arg) < 0)
                return 0;
            return 1;
        }
        break;
    }
    case 'O': {
        HPy *out = va_arg(*va, HPy *);
        if (!given)
            break;
        if (how == ARG_BORROWED) {
            *out = arg;
            break;
        }
        /* the keyword parsers hand out new handles, kept by the tracker */
        if (how == ARG_BORROWED_DUP)
            arg = HPy_Dup(ctx, arg);
        *out = arg;
        if (HPyTracker_Add(ctx, *ht, arg) < 0)
            return 0;
        return 1;
    }
    default:
        arg_error(ctx, ctx->h_SystemError, fi, "unknown arg format code");
        ok = 0;
        break;
    }
    if (how == ARG_OWNED)
        HPy_Close(ctx, arg);
    return ok;
}

HPyAPI_HELPER int
HPyArg_Parse(HPyContext *ctx, HPyTracker *ht, const HPy *args, size_t nargs,
             const char *fmt, ...)
{
    fmt_info fi;
    const char *f;
    size_t i = 0;
    int optional = 0;
    va_list va;

    read_fmt(fmt, &fi);
    if (ht != NULL) {
        *ht = HPyTracker_New(ctx, 0);
        if (HPy_IsNull(*ht))
            return 0;
    }
    va_start(va, fmt);
    for (f = fmt; f < fi.end; ) {
        HPy arg = HPy_NULL;
        if (*f == '|') {
            optional = 1;
            f++;
            continue;
        }
        if (i < nargs)
            arg = args[i];
        else if (!optional) {
            arg_error(ctx, ctx->h_TypeError, &fi,
                      "required positional argument missing");
            goto fail;
        }
        if (!parse_unit(ctx, ht, arg, ARG_BORROWED, &f, &va, &fi))
            goto fail;
        i++;
    }
    if (i < nargs) {
        arg_error(ctx, ctx->h_TypeError, &fi,
                  "mismatched args (too many arguments for fmt)");
        goto fail;
    }
    va_end(va);
    return 1;

fail:
    va_end(va);
    if (ht != NULL)
        HPyTracker_Close(ctx, *ht);
    return 0;
}


/* ---- keyword arguments ----------------------------------------------------- */

/* The keyword arguments, in either of the two forms HPy passes them. */
typedef struct {
    HPy names;              /* tuple of str (vectorcall style) or HPy_NULL */
    const HPy *values;      /* values matching `names` */
    HPy dict;               /* or a dict (tp_new / tp_init style), or HPy_NULL */
    HPy_ssize_t count;
} kwargs_t;

/* 1 if the str `name` spells the C string `key`, 0 if not, -1 on error. */
static int
name_is(HPyContext *ctx, HPy name, const char *key)
{
    HPy_ssize_t size;
    const char *s;
    if (!HPyUnicode_Check(ctx, name))
        return 0;
    s = HPyUnicode_AsUTF8AndSize(ctx, name, &size);
    if (s == NULL)
        return -1;
    return (size_t)size == strlen(key) && memcmp(s, key, (size_t)size) == 0;
}

/* Look up keyword `key`: 1 and *value set (borrowed from the call, or
   *owned set and a new handle) if given, 0 if not, -1 on error. */
static int
find_kwarg(HPyContext *ctx, const kwargs_t *kw, const char *key, HPy *value,
           int *owned)
{
    HPy_ssize_t i;
    *owned = 0;
    if (kw->count == 0)
        return 0;
    if (!HPy_IsNull(kw->dict)) {
        HPy v = HPy_GetItem_s(ctx, kw->dict, key);
        if (HPy_IsNull(v)) {
            if (!HPyErr_ExceptionMatches(ctx, ctx->h_KeyError))
                return -1;
            HPyErr_Clear(ctx);
            return 0;
        }
        *value = v;
        *owned = 1;
        return 1;
    }
    for (i = 0; i < kw->count; i++) {
        int r;
        HPy name = HPy_GetItem_i(ctx, kw->names, i);
        if (HPy_IsNull(name))
            return -1;
        r = name_is(ctx, name, key);
        HPy_Close(ctx, name);
        if (r < 0)
            return -1;
        if (r) {
            *value = kw->values[i];
            return 1;
        }
    }
    return 0;
}

/* After a successful parse that used `matched` keywords out of kw->count:
   report the first keyword that is none of `keywords`. */
static int
check_unexpected_kwargs(HPyContext *ctx, const kwargs_t *kw, const char *keywords[],
                        HPy_ssize_t matched, const fmt_info *fi)
{
    HPy names;
    HPy_ssize_t n, i;
    int result = 0;

    if (matched >= kw->count)
        return 1;
    if (!HPy_IsNull(kw->dict)) {
        names = HPyDict_Keys(ctx, kw->dict);
        if (HPy_IsNull(names))
            return 0;
    }
    else {
        names = HPy_Dup(ctx, kw->names);
    }
    n = HPy_Length(ctx, names);
    for (i = 0; i < n && result == 0; i++) {
        const char **k;
        int known = 0;
        HPy name = HPy_GetItem_i(ctx, names, i);
        if (HPy_IsNull(name)) {
            result = -1;
            break;
        }
        for (k = keywords; *k != NULL && !known; k++) {
            int r = **k != '\0' ? name_is(ctx, name, *k) : 0;
            if (r < 0)
                result = -1;
            known = r > 0;
        }
        if (!known && result == 0) {
            char what[300];
            HPy_ssize_t size = 0;
            const char *s = HPyUnicode_Check(ctx, name)
                            ? HPyUnicode_AsUTF8AndSize(ctx, name, &size) : NULL;
            if (s == NULL) {
                HPyErr_Clear(ctx);
                s = "?";
            }
            snprintf(what, sizeof(what),
                     "got an unexpected keyword argument '%.200s'", s);
            arg_error(ctx, ctx->h_TypeError, fi, what);
            result = -1;
        }
        HPy_Close(ctx, name);
    }
    HPy_Close(ctx, names);
    if (result == 0) {
        /* only possible if a keyword matched twice, i.e. never */
        arg_error(ctx, ctx->h_TypeError, fi, "got unexpected keyword arguments");
    }
    return 0;
}

static int
parse_keywords(HPyContext *ctx, HPyTracker *ht, const HPy *args, size_t nargs,
               const kwargs_t *kw, const char *fmt, const char *keywords[],
               va_list *va)
{
    fmt_info fi;
    const char *f;
    size_t n_keywords = 0, n_positional_only = 0, i = 0;
    HPy_ssize_t matched = 0;
    int optional = 0, keyword_only = 0;

    read_fmt(fmt, &fi);
    if (keywords == NULL) {
        arg_error(ctx, ctx->h_SystemError, &fi, "keywords array is NULL");
        return 0;
    }
    /* positional-only parameters ("") come first */
    while (keywords[n_keywords] != NULL && keywords[n_keywords][0] == '\0')
        n_keywords++;
    n_positional_only = n_keywords;
    for (; keywords[n_keywords] != NULL; n_keywords++) {
        if (keywords[n_keywords][0] == '\0') {
            arg_error(ctx, ctx->h_SystemError, &fi,
                      "empty keyword parameter name");
            return 0;
        }
    }
    if (ht != NULL) {
        *ht = HPyTracker_New(ctx, 0);
        if (HPy_IsNull(*ht))
            return 0;
    }

    for (f = fmt; f < fi.end; ) {
        HPy arg = HPy_NULL;
        int how = ARG_BORROWED_DUP, owned = 0, r;

        if (*f == '|') {
            optional = 1;
            f++;
            continue;
        }
        if (*f == '$') {
            optional = 1;
            keyword_only = 1;
            f++;
            continue;
        }
        if (*f == 'O' && ht == NULL) {
            arg_error(ctx, ctx->h_SystemError, &fi,
                "HPyArg_ParseKeywords cannot use the format character 'O' "
                "unless an HPyTracker is provided. Please supply an "
                "HPyTracker.");
            goto fail;
        }
        if (i >= n_keywords) {
            arg_error(ctx, ctx->h_TypeError, &fi,
                      "mismatched args (too few keywords for fmt)");
            goto fail;
        }
        if (i < nargs) {
            if (keyword_only) {
                arg_error(ctx, ctx->h_TypeError, &fi,
                          "keyword only argument passed as positional argument");
                goto fail;
            }
            arg = args[i];
            if (i >= n_positional_only) {
                HPy dup_value;
                r = find_kwarg(ctx, kw, keywords[i], &dup_value, &owned);
                if (r < 0)
                    goto fail;
                if (r > 0) {
                    char what[300];
                    if (owned)
                        HPy_Close(ctx, dup_value);
                    snprintf(what, sizeof(what),
                             "got multiple values for argument '%.200s'",
                             keywords[i]);
                    arg_error(ctx, ctx->h_TypeError, &fi, what);
                    goto fail;
                }
            }
        }
        else if (i >= n_positional_only) {
            r = find_kwarg(ctx, kw, keywords[i], &arg, &owned);
            if (r < 0)
                goto fail;
            if (r > 0) {
                matched++;
                if (owned)
                    how = ARG_OWNED;
            }
        }
        if (HPy_IsNull(arg) && !optional) {
            arg_error(ctx, ctx->h_TypeError, &fi,
                      "no value for required argument");
            goto fail;
        }
        if (!parse_unit(ctx, ht, arg, how, &f, va, &fi))
            goto fail;
        i++;
    }
    if (i != n_keywords) {
        arg_error(ctx, ctx->h_TypeError, &fi,
                  "mismatched args (too many keywords for fmt)");
        goto fail;
    }
    if (nargs > i) {
        char what[120];
        snprintf(what, sizeof(what),
                 "takes at most %lu arguments (%lu given)",
                 (unsigned long)i, (unsigned long)nargs);
        arg_error(ctx, ctx->h_TypeError, &fi, what);
        goto fail;
    }
    if (matched < kw->count &&
        !check_unexpected_kwargs(ctx, kw, keywords, matched, &fi))
        goto fail;
    return 1;

fail:
    if (ht != NULL)
        HPyTracker_Close(ctx, *ht);
    return 0;
}

HPyAPI_HELPER int
HPyArg_ParseKeywords(HPyContext *ctx, HPyTracker *ht, const HPy *args,
                     size_t nargs, HPy kwnames, const char *fmt,
                     const char *keywords[], ...)
{
    kwargs_t kw;
    va_list va;
    int result;

    kw.names = kwnames;
    kw.values = args != NULL ? args + nargs : NULL;
    kw.dict = HPy_NULL;
    kw.count = 0;
    if (!HPy_IsNull(kwnames)) {
        /* a dict here (tp_new's or tp_init's keywords) would otherwise be
           read as a sequence of names: a KeyError that says nothing */
        if (!HPyTuple_Check(ctx, kwnames)) {
            HPyErr_SetString(ctx, ctx->h_SystemError,
                "HPyArg_ParseKeywords: kwnames must be the tuple of keyword "
                "names of a call (for a dict of keywords, use "
                "HPyArg_ParseKeywordsDict)");
            return 0;
        }
        kw.count = HPy_Length(ctx, kwnames);
        if (kw.count < 0)
            return 0;
    }
    va_start(va, keywords);
    result = parse_keywords(ctx, ht, args, nargs, &kw, fmt, keywords, &va);
    va_end(va);
    return result;
}

HPyAPI_HELPER int
HPyArg_ParseKeywordsDict(HPyContext *ctx, HPyTracker *ht, const HPy *args,
                         HPy_ssize_t nargs, HPy kwds, const char *fmt,
                         const char *keywords[], ...)
{
    kwargs_t kw;
    va_list va;
    int result;

    kw.names = HPy_NULL;
    kw.values = NULL;
    kw.dict = kwds;
    kw.count = 0;
    if (!HPy_IsNull(kwds)) {
        if (!HPyDict_Check(ctx, kwds)) {
            HPyErr_SetString(ctx, ctx->h_SystemError,
                "HPyArg_ParseKeywordsDict: kwds must be a dict (for the "
                "tuple of keyword names of a call, use HPyArg_ParseKeywords)");
            return 0;
        }
        kw.count = HPy_Length(ctx, kwds);
        if (kw.count < 0)
            return 0;
    }
    va_start(va, keywords);
    result = parse_keywords(ctx, ht, args, nargs < 0 ? 0 : (size_t)nargs,
                            &kw, fmt, keywords, &va);
    va_end(va);
    return result;
}
