/*
 * HPy_BuildValue: a Python value from a format string, in the style of
 * Py_BuildValue, written with the public API only (every ABI).
 *
 * Format units (the C type of the matching variadic argument):
 *
 *   i int   b char   h short   (all three passed as int)
 *   B unsigned char   H unsigned short   (passed as int)
 *   I unsigned int   l long   k unsigned long
 *   L long long   K unsigned long long   n HPy_ssize_t
 *   f d   double (a float argument is promoted to double)
 *   c   char (passed as int) -> bytes of length 1
 *   s   const char * (UTF-8) -> str; NULL gives None
 *   s#  const char *, HPy_ssize_t -> str of that many bytes
 *   z, z#  as s, s#          y, y#  const char * -> bytes
 *   O, S   HPy -> that object. The handle stays the caller's: the result
 *          holds its own reference. HPy_NULL means "the call that produced
 *          it failed": the pending exception is kept (SystemError if none).
 *   N      refused: HPy never steals handles; use O and close yours.
 *   (...)  tuple   [...]  list   {k:v, ...}  dict
 *
 * Spaces, tabs, commas and colons between units are ignored. Without
 * parentheses, an empty format gives None, a single unit its value, and
 * several units a tuple. The result is always a new handle.
 */
#include "hpy.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BV_ERR_SUFFIX " in the format string passed to HPy_BuildValue"

static int
is_separator(char c)
{
    return c == ' ' || c == '\t' || c == ',' || c == ':' || c == '\n';
}

static int
closer_of(char open)
{
    return open == '(' ? ')' : open == '[' ? ']' : '}';
}

static void
bv_error(HPyContext *ctx, const char *what, char c)
{
    char buf[160];
    snprintf(buf, sizeof(buf), what, c);
    HPyErr_SetString(ctx, ctx->h_SystemError, buf);
}

/* Check the brackets of the whole format and count the units at its top
   level; -1 with SystemError if the brackets do not match. Nothing else
   is validated here: unknown units are reported when reached. */
static HPy_ssize_t
check_and_count(HPyContext *ctx, const char *fmt)
{
    char stack[64];
    int depth = 0;
    HPy_ssize_t count = 0;
    const char *p;

    for (p = fmt; *p != '\0'; p++) {
        char c = *p;
        if (is_separator(c) || c == '#')
            continue;
        if (c == '(' || c == '[' || c == '{') {
            if (depth == 0)
                count++;
            if (depth == (int)sizeof(stack)) {
                HPyErr_SetString(ctx, ctx->h_SystemError,
                    "brackets nested too deeply" BV_ERR_SUFFIX);
                return -1;
            }
            stack[depth++] = c;
        }
        else if (c == ')' || c == ']' || c == '}') {
            if (depth == 0) {
                bv_error(ctx, "unmatched '%c'" BV_ERR_SUFFIX, c);
                return -1;
            }
            if (closer_of(stack[depth - 1]) != c) {
                bv_error(ctx, "unmatched '%c'" BV_ERR_SUFFIX, stack[depth - 1]);
                return -1;
            }
            depth--;
        }
        else if (depth == 0) {
            count++;
        }
    }
    if (depth > 0) {
        /* report the outermost bracket left open */
        bv_error(ctx, "unmatched '%c'" BV_ERR_SUFFIX, stack[0]);
        return -1;
    }
    return count;
}

static const char *
skip_separators(const char *p)
{
    while (is_separator(*p))
        p++;
    return p;
}

static HPy build_one(HPyContext *ctx, const char **f, va_list *va);

/* str from `len` bytes of UTF-8 that may contain NUL characters. */
static HPy
str_from_utf8_and_size(HPyContext *ctx, const char *s, HPy_ssize_t len)
{
    HPy result, bytes;
    char *copy;
    if (len < 0) {
        HPyErr_SetString(ctx, ctx->h_SystemError,
                         "negative length passed to HPy_BuildValue");
        return HPy_NULL;
    }
    if (memchr(s, '\0', (size_t)len) == NULL) {
        copy = (char *)malloc((size_t)len + 1);
        if (copy == NULL)
            return HPyErr_NoMemory(ctx);
        memcpy(copy, s, (size_t)len);
        copy[len] = '\0';
        result = HPyUnicode_FromString(ctx, copy);
        free(copy);
        return result;
    }
    bytes = HPyBytes_FromStringAndSize(ctx, s, len);
    if (HPy_IsNull(bytes))
        return HPy_NULL;
    result = HPyUnicode_FromEncodedObject(ctx, bytes, "utf-8", "strict");
    HPy_Close(ctx, bytes);
    return result;
}

/* s, z, y and their # forms. */
static HPy
build_string(HPyContext *ctx, char unit, const char **f, va_list *va)
{
    const char *s = va_arg(*va, const char *);
    HPy_ssize_t len = -1;
    if (**f == '#') {
        (*f)++;
        len = va_arg(*va, HPy_ssize_t);
    }
    if (s == NULL) {
        /* as in Py_BuildValue: a NULL string is None */
        return HPy_Dup(ctx, ctx->h_None);
    }
    if (unit == 'y')
        return len < 0 ? HPyBytes_FromString(ctx, s)
                       : HPyBytes_FromStringAndSize(ctx, s, len);
    if (len < 0)
        return HPyUnicode_FromString(ctx, s);
    return str_from_utf8_and_size(ctx, s, len);
}

/* Items up to `close` into a tuple or a list. */
static HPy
build_sequence(HPyContext *ctx, const char **f, va_list *va, char close,
               int as_list)
{
    HPy on_stack[16];
    HPy *items = on_stack;
    HPy_ssize_t n = 0, capacity = 16, i;
    HPy result = HPy_NULL;

    for (;;) {
        HPy item;
        *f = skip_separators(*f);
        if (**f == close) {
            (*f)++;
            break;
        }
        item = build_one(ctx, f, va);
        if (HPy_IsNull(item))
            goto done;
        if (n == capacity) {
            HPy *bigger = (HPy *)malloc((size_t)capacity * 2 * sizeof(HPy));
            if (bigger == NULL) {
                HPy_Close(ctx, item);
                HPyErr_NoMemory(ctx);
                goto done;
            }
            memcpy(bigger, items, (size_t)n * sizeof(HPy));
            if (items != on_stack)
                free(items);
            items = bigger;
            capacity *= 2;
        }
        items[n++] = item;
    }
    if (!as_list) {
        result = HPyTuple_FromArray(ctx, items, n);
    }
    else {
        result = HPyList_New(ctx, 0);
        for (i = 0; i < n && !HPy_IsNull(result); i++) {
            if (HPyList_Append(ctx, result, items[i]) < 0) {
                HPy_Close(ctx, result);
                result = HPy_NULL;
            }
        }
    }
done:
    for (i = 0; i < n; i++)
        HPy_Close(ctx, items[i]);
    if (items != on_stack)
        free(items);
    return result;
}

/* Spaces and tabs only: inside a dict, ',' and ':' are syntax. */
static const char *
skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* `key:value` pairs separated by single commas up to '}', as HPy 0.9.0
   parses them (CPython's Py_BuildValue ignores ',' and ':' anywhere):
   a format that builds a dict under one HPy runtime does so under any. */
static HPy
build_dict(HPyContext *ctx, const char **f, va_list *va)
{
    int expect_comma = 0;
    HPy dict = HPyDict_New(ctx);
    if (HPy_IsNull(dict))
        return HPy_NULL;
    for (;;) {
        HPy key, value;
        int status;
        *f = skip_blanks(*f);
        if (**f == '}') {
            (*f)++;
            return dict;
        }
        if (**f == ',') {
            if (!expect_comma) {
                HPyErr_SetString(ctx, ctx->h_SystemError,
                                 "unexpected ','" BV_ERR_SUFFIX);
                break;
            }
            (*f)++;
            expect_comma = 0;
            continue;
        }
        if (expect_comma) {
            HPyErr_SetString(ctx, ctx->h_SystemError,
                             "missing ','" BV_ERR_SUFFIX);
            break;
        }
        key = build_one(ctx, f, va);
        if (HPy_IsNull(key))
            break;
        *f = skip_blanks(*f);
        if (**f != ':') {
            HPy_Close(ctx, key);
            HPyErr_SetString(ctx, ctx->h_SystemError,
                             "missing ':'" BV_ERR_SUFFIX);
            break;
        }
        (*f)++;
        *f = skip_blanks(*f);
        if (**f == ',' || **f == ':' || **f == '}') {
            HPy_Close(ctx, key);
            HPyErr_SetString(ctx, ctx->h_SystemError,
                             "dict key without a value" BV_ERR_SUFFIX);
            break;
        }
        value = build_one(ctx, f, va);
        if (HPy_IsNull(value)) {
            HPy_Close(ctx, key);
            break;
        }
        status = HPy_SetItem(ctx, dict, key, value);
        HPy_Close(ctx, key);
        HPy_Close(ctx, value);
        if (status < 0)
            break;
        expect_comma = 1;
    }
    HPy_Close(ctx, dict);
    return HPy_NULL;
}

/* One unit, possibly a bracketed group, starting at *f (after separators). */
static HPy
build_one(HPyContext *ctx, const char **f, va_list *va)
{
    char unit;
    *f = skip_separators(*f);
    unit = *(*f)++;
    switch (unit) {
    case '(':
        return build_sequence(ctx, f, va, ')', 0);
    case '[':
        return build_sequence(ctx, f, va, ']', 1);
    case '{':
        return build_dict(ctx, f, va);
    case 'b':
    case 'h':
    case 'i':
        return HPyLong_FromLong(ctx, (long)va_arg(*va, int));
    case 'B':
    case 'H':
        /* unsigned char and unsigned short are promoted to int */
        return HPyLong_FromLong(ctx, (long)va_arg(*va, int));
    case 'I':
        return HPyLong_FromUnsignedLong(ctx, (unsigned long)va_arg(*va, unsigned int));
    case 'l':
        return HPyLong_FromLong(ctx, va_arg(*va, long));
    case 'k':
        return HPyLong_FromUnsignedLong(ctx, va_arg(*va, unsigned long));
    case 'L':
        return HPyLong_FromLongLong(ctx, va_arg(*va, long long));
    case 'K':
        return HPyLong_FromUnsignedLongLong(ctx, va_arg(*va, unsigned long long));
    case 'n':
        return HPyLong_FromSsize_t(ctx, va_arg(*va, HPy_ssize_t));
    case 'f':
    case 'd':
        return HPyFloat_FromDouble(ctx, va_arg(*va, double));
    case 'c': {
        char c = (char)va_arg(*va, int);
        return HPyBytes_FromStringAndSize(ctx, &c, 1);
    }
    case 's':
    case 'z':
    case 'y':
        return build_string(ctx, unit, f, va);
    case 'O':
    case 'S': {
        HPy h = va_arg(*va, HPy);
        if (HPy_IsNull(h)) {
            if (!HPyErr_Occurred(ctx))
                HPyErr_SetString(ctx, ctx->h_SystemError,
                                 "HPy_NULL object passed to HPy_BuildValue");
            return HPy_NULL;
        }
        return HPy_Dup(ctx, h);
    }
    case 'N':
        HPyErr_SetString(ctx, ctx->h_SystemError,
            "HPy_BuildValue does not support the 'N' formatting unit. HPy "
            "functions never steal handles: use 'O' and close your handle "
            "after the call.");
        return HPy_NULL;
    case '\0':
        (*f)--;     /* stay on the terminator */
        HPyErr_SetString(ctx, ctx->h_SystemError,
                         "missing format unit" BV_ERR_SUFFIX);
        return HPy_NULL;
    default:
        bv_error(ctx, "bad format char '%c'" BV_ERR_SUFFIX, unit);
        return HPy_NULL;
    }
}

HPyAPI_HELPER HPy
HPy_BuildValue(HPyContext *ctx, const char *fmt, ...)
{
    va_list va;
    HPy result;
    HPy_ssize_t count = check_and_count(ctx, fmt);

    if (count < 0)
        return HPy_NULL;
    if (count == 0)
        return HPy_Dup(ctx, ctx->h_None);
    va_start(va, fmt);
    if (count == 1) {
        result = build_one(ctx, &fmt, &va);
    }
    else {
        /* several units: an implicit tuple, i.e. fmt as if inside (...) */
        HPy on_stack[16];
        HPy *items = on_stack;
        HPy_ssize_t i, n = 0;
        if (count > 16) {
            items = (HPy *)malloc((size_t)count * sizeof(HPy));
            if (items == NULL) {
                va_end(va);
                return HPyErr_NoMemory(ctx);
            }
        }
        result = HPy_NULL;
        for (n = 0; n < count; n++) {
            items[n] = build_one(ctx, &fmt, &va);
            if (HPy_IsNull(items[n]))
                break;
        }
        if (n == count)
            result = HPyTuple_FromArray(ctx, items, count);
        for (i = 0; i < n; i++)
            HPy_Close(ctx, items[i]);
        if (items != on_stack)
            free(items);
    }
    va_end(va);
    return result;
}
