/*
 * HPyUnicode_FromFormat(V) and HPyErr_Format: printf-style formatting into
 * a str, in the style of PyUnicode_FromFormat, written with the public API
 * only (every ABI).
 *
 * The text is assembled as UTF-8 and turned into a str at the end. The
 * format string itself must be ASCII. A conversion is
 *
 *     %[flags][width][.precision][length]unit
 *
 * flags      '0' pads numbers with zeros; '-' pads on the right
 * width      minimum width in characters; '*' takes it from an int argument
 * precision  numbers: minimum number of digits; strings: maximum length,
 *            in bytes for %s and for the C string of %V, in characters for
 *            the str units (%U %V %S %R %A); '*' takes it from an int
 * length     l, ll, z (HPy_ssize_t / size_t), t (ptrdiff_t), j (intmax_t)
 *            for d i u x X o
 *
 * units      %%   a '%'
 *            %c   int: the character with that code point
 *            %d %i signed, %u unsigned, %x %X hex, %o octal
 *            %p   void *: 0x followed by lowercase hex digits
 *            %s   const char *: UTF-8 text
 *            %U   HPy: a str
 *            %V   HPy, const char *: the str, or if it is HPy_NULL the text
 *            %S %R %A   HPy: HPy_Str, HPy_Repr, HPy_ASCII of the object
 *
 * As in HPy 0.9.0 (and unlike CPython, which ignores them), flags that make
 * no sense for a unit are errors: a width or precision for %c and %p, and
 * '0' for the text units.
 */
#include "hpy.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growable UTF-8 buffer ---------------------------------------------- */

typedef struct {
    char *data;
    size_t len;
    size_t cap;
} text_buf;

static int
tb_reserve(HPyContext *ctx, text_buf *tb, size_t extra)
{
    size_t cap;
    char *bigger;
    if (tb->cap - tb->len >= extra)
        return 0;
    cap = tb->cap ? tb->cap : 64;
    while (cap - tb->len < extra) {
        if (cap > ((size_t)-1) / 2) {
            HPyErr_NoMemory(ctx);
            return -1;
        }
        cap *= 2;
    }
    bigger = (char *)realloc(tb->data, cap);
    if (bigger == NULL) {
        HPyErr_NoMemory(ctx);
        return -1;
    }
    tb->data = bigger;
    tb->cap = cap;
    return 0;
}

static int
tb_write(HPyContext *ctx, text_buf *tb, const char *s, size_t n)
{
    if (tb_reserve(ctx, tb, n) < 0)
        return -1;
    memcpy(tb->data + tb->len, s, n);
    tb->len += n;
    return 0;
}

static int
tb_fill(HPyContext *ctx, text_buf *tb, char c, size_t n)
{
    if (tb_reserve(ctx, tb, n) < 0)
        return -1;
    memset(tb->data + tb->len, c, n);
    tb->len += n;
    return 0;
}

/* ---- UTF-8 -------------------------------------------------------------- */

static size_t
utf8_count(const char *s, size_t n)
{
    size_t i, chars = 0;
    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            chars++;
    return chars;
}

/* Bytes taken by the first `chars` characters of s[0:n]. */
static size_t
utf8_prefix_chars(const char *s, size_t n, size_t chars)
{
    size_t i = 0, seen = 0;
    while (i < n) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (seen == chars)
                break;
            seen++;
        }
        i++;
    }
    return i;
}

/* The largest prefix of s[0:n] of at most `bytes` bytes that does not cut
   a character. */
static size_t
utf8_prefix_bytes(const char *s, size_t n, size_t bytes)
{
    if (bytes >= n)
        return n;
    while (bytes > 0 && ((unsigned char)s[bytes] & 0xC0) == 0x80)
        bytes--;
    return bytes;
}

static size_t
utf8_encode(unsigned long cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- conversions ---------------------------------------------------------- */

typedef struct {
    int zero_pad;
    int left;
    long width;          /* -1: none */
    long precision;      /* -1: none */
    char length;         /* 0, 'l', 'q' (ll), 'z', 't', 'j' */
} conv_spec;

/* `text` padded to the width; `chars` is its length in characters. */
static int
put_padded(HPyContext *ctx, text_buf *tb, const conv_spec *cs,
           const char *text, size_t n, size_t chars)
{
    size_t fill = (cs->width > 0 && (size_t)cs->width > chars)
                  ? (size_t)cs->width - chars : 0;
    if (!cs->left && tb_fill(ctx, tb, ' ', fill) < 0)
        return -1;
    if (tb_write(ctx, tb, text, n) < 0)
        return -1;
    if (cs->left && tb_fill(ctx, tb, ' ', fill) < 0)
        return -1;
    return 0;
}

/* Text of a str unit (HPy str, precision and width in characters). */
static int
put_str(HPyContext *ctx, text_buf *tb, const conv_spec *cs, HPy str)
{
    HPy_ssize_t size;
    size_t n, chars;
    const char *s = HPyUnicode_AsUTF8AndSize(ctx, str, &size);
    if (s == NULL)
        return -1;
    n = (size_t)size;
    chars = utf8_count(s, n);
    if (cs->precision >= 0 && (size_t)cs->precision < chars) {
        n = utf8_prefix_chars(s, n, (size_t)cs->precision);
        chars = (size_t)cs->precision;
    }
    return put_padded(ctx, tb, cs, s, n, chars);
}

/* Text of a C string unit (precision in bytes, width in characters). */
static int
put_cstr(HPyContext *ctx, text_buf *tb, const conv_spec *cs, const char *s)
{
    size_t n = strlen(s);
    if (cs->precision >= 0)
        n = utf8_prefix_bytes(s, n, (size_t)cs->precision);
    return put_padded(ctx, tb, cs, s, n, utf8_count(s, n));
}

/* %S %R %A: the text of a function of the object. */
static int
put_object_text(HPyContext *ctx, text_buf *tb, const conv_spec *cs, HPy obj,
                HPy (*to_text)(HPyContext *, HPy))
{
    int status;
    HPy text;
    if (HPy_IsNull(obj)) {
        HPyErr_SetString(ctx, ctx->h_SystemError,
            "HPy_NULL passed as value for formatting unit '%S' or '%R' or "
            "'%A'");
        return -1;
    }
    text = to_text(ctx, obj);
    if (HPy_IsNull(text))
        return -1;
    status = put_str(ctx, tb, cs, text);
    HPy_Close(ctx, text);
    return status;
}

/* An integer, already printed (digits only, sign separate). */
static int
put_number(HPyContext *ctx, text_buf *tb, const conv_spec *cs, int negative,
           const char *digits)
{
    size_t n = strlen(digits);
    size_t ndigits = (cs->precision >= 0 && (size_t)cs->precision > n)
                     ? (size_t)cs->precision : n;
    size_t total = ndigits + (negative ? 1 : 0);
    size_t fill = (cs->width > 0 && (size_t)cs->width > total)
                  ? (size_t)cs->width - total : 0;
    /* zero padding goes between the sign and the digits, like printf's */
    int zeros = cs->zero_pad && !cs->left;

    if (!cs->left && !zeros && tb_fill(ctx, tb, ' ', fill) < 0)
        return -1;
    if (negative && tb_write(ctx, tb, "-", 1) < 0)
        return -1;
    if (zeros && tb_fill(ctx, tb, '0', fill) < 0)
        return -1;
    if (tb_fill(ctx, tb, '0', ndigits - n) < 0 || tb_write(ctx, tb, digits, n) < 0)
        return -1;
    if (cs->left && tb_fill(ctx, tb, ' ', fill) < 0)
        return -1;
    return 0;
}

static int
put_integer(HPyContext *ctx, text_buf *tb, const conv_spec *cs, char unit,
            va_list *va)
{
    /* enough for 64 bits in octal, plus sign and NUL */
    char buf[32];
    int negative = 0;

    if (unit == 'd' || unit == 'i') {
        long long v;
        unsigned long long mag;
        switch (cs->length) {
        case 'l': v = va_arg(*va, long); break;
        case 'q': v = va_arg(*va, long long); break;
        case 'z': v = (long long)va_arg(*va, HPy_ssize_t); break;
        case 't': v = (long long)va_arg(*va, ptrdiff_t); break;
        case 'j': v = (long long)va_arg(*va, intmax_t); break;
        default:  v = va_arg(*va, int); break;
        }
        negative = v < 0;
        /* the magnitude of LLONG_MIN does not fit in a long long */
        mag = negative ? 0ULL - (unsigned long long)v : (unsigned long long)v;
        snprintf(buf, sizeof(buf), "%llu", mag);
    }
    else {
        unsigned long long v;
        const char *fmt = unit == 'u' ? "%llu" : unit == 'x' ? "%llx"
                        : unit == 'X' ? "%llX" : "%llo";
        switch (cs->length) {
        case 'l': v = va_arg(*va, unsigned long); break;
        case 'q': v = va_arg(*va, unsigned long long); break;
        case 'z': v = (unsigned long long)va_arg(*va, size_t); break;
        case 't': v = (unsigned long long)(size_t)va_arg(*va, ptrdiff_t); break;
        case 'j': v = (unsigned long long)va_arg(*va, uintmax_t); break;
        default:  v = va_arg(*va, unsigned int); break;
        }
        snprintf(buf, sizeof(buf), fmt, v);
    }
    return put_number(ctx, tb, cs, negative, buf);
}

/* Read a width or precision: digits, or '*' for an int argument. */
static int
read_count(HPyContext *ctx, const char **p, va_list *va, long *out,
           const char *what)
{
    if (**p == '*') {
        int v = va_arg(*va, int);
        (*p)++;
        *out = v < 0 ? -1 : v;
        return 0;
    }
    *out = 0;
    while (**p >= '0' && **p <= '9') {
        if (*out > (1L << 30)) {
            char msg[40];
            snprintf(msg, sizeof(msg), "%s too big", what);
            HPyErr_SetString(ctx, ctx->h_ValueError, msg);
            return -1;
        }
        *out = *out * 10 + (**p - '0');
        (*p)++;
    }
    return 0;
}

static int
unit_error(HPyContext *ctx, const char *what, char unit)
{
    char msg[100];
    snprintf(msg, sizeof(msg), what, unit);
    HPyErr_SetString(ctx, ctx->h_SystemError, msg);
    return -1;
}

/* One conversion; *p is just after the '%'. */
static int
convert(HPyContext *ctx, text_buf *tb, const char **p, va_list *va)
{
    conv_spec cs;
    char unit;

    cs.zero_pad = 0;
    cs.left = 0;
    cs.width = -1;
    cs.precision = -1;
    cs.length = 0;

    if (**p == '%') {
        (*p)++;
        return tb_write(ctx, tb, "%", 1);
    }
    for (;; (*p)++) {
        if (**p == '0')
            cs.zero_pad = 1;
        else if (**p == '-')
            cs.left = 1;
        else
            break;
    }
    if ((**p >= '1' && **p <= '9') || **p == '*') {
        if (read_count(ctx, p, va, &cs.width, "width") < 0)
            return -1;
    }
    if (**p == '.') {
        (*p)++;
        if (read_count(ctx, p, va, &cs.precision, "precision") < 0)
            return -1;
    }
    switch (**p) {
    case 'l':
        (*p)++;
        cs.length = 'l';
        if (**p == 'l') {
            (*p)++;
            cs.length = 'q';
        }
        break;
    case 'z':
    case 't':
    case 'j':
        cs.length = *(*p)++;
        break;
    default:
        break;
    }
    unit = *(*p)++;
    if (cs.length != 0 && strchr("diuxXo", unit) == NULL)
        unit = '\0';     /* e.g. "%ls": not supported */

    if (cs.zero_pad && unit != '\0' && strchr("sUVSRApc", unit) != NULL)
        return unit_error(ctx, "formatting unit '%%%c' does not support 0-padding",
                          unit);

    switch (unit) {
    case 'c': {
        int cp = va_arg(*va, int);
        char enc[4];
        size_t n;
        if (cs.width != -1 || cs.precision != -1)
            return unit_error(ctx, "formatting unit '%%%c' does not support "
                              "width nor precision", unit);
        if (cp < 0 || cp > 0x10FFFF) {
            HPyErr_SetString(ctx, ctx->h_OverflowError,
                             "character argument not in range(0x110000)");
            return -1;
        }
        n = utf8_encode((unsigned long)cp, enc);
        return tb_write(ctx, tb, enc, n);
    }
    case 'd':
    case 'i':
    case 'u':
    case 'x':
    case 'X':
    case 'o':
        return put_integer(ctx, tb, &cs, unit, va);
    case 'p': {
        char buf[32];
        void *ptr = va_arg(*va, void *);
        if (cs.width != -1 || cs.precision != -1)
            return unit_error(ctx, "formatting unit '%%%c' does not support "
                              "width nor precision", unit);
        snprintf(buf, sizeof(buf), "0x%llx",
                 (unsigned long long)(uintptr_t)ptr);
        return tb_write(ctx, tb, buf, strlen(buf));
    }
    case 's': {
        const char *s = va_arg(*va, const char *);
        if (s == NULL) {
            HPyErr_SetString(ctx, ctx->h_SystemError,
                "null c string passed as value for formatting unit '%s'");
            return -1;
        }
        return put_cstr(ctx, tb, &cs, s);
    }
    case 'U': {
        HPy h = va_arg(*va, HPy);
        if (HPy_IsNull(h)) {
            HPyErr_SetString(ctx, ctx->h_SystemError,
                             "HPy_NULL passed as value for formatting unit '%U'");
            return -1;
        }
        if (!HPyUnicode_Check(ctx, h)) {
            HPyErr_SetString(ctx, ctx->h_SystemError,
                             "formatting unit '%U' requires a str");
            return -1;
        }
        return put_str(ctx, tb, &cs, h);
    }
    case 'V': {
        HPy h = va_arg(*va, HPy);
        const char *s = va_arg(*va, const char *);
        if (!HPy_IsNull(h)) {
            if (!HPyUnicode_Check(ctx, h)) {
                HPyErr_SetString(ctx, ctx->h_SystemError,
                                 "formatting unit '%V' requires a str");
                return -1;
            }
            return put_str(ctx, tb, &cs, h);
        }
        if (s == NULL) {
            HPyErr_SetString(ctx, ctx->h_SystemError,
                "formatting unit '%V' got neither a str nor a C string");
            return -1;
        }
        return put_cstr(ctx, tb, &cs, s);
    }
    case 'S':
        return put_object_text(ctx, tb, &cs, va_arg(*va, HPy), HPy_Str);
    case 'R':
        return put_object_text(ctx, tb, &cs, va_arg(*va, HPy), HPy_Repr);
    case 'A':
        return put_object_text(ctx, tb, &cs, va_arg(*va, HPy), HPy_ASCII);
    default:
        HPyErr_SetString(ctx, ctx->h_SystemError, "invalid format string");
        return -1;
    }
}

/* The str of the finished buffer. */
static HPy
tb_to_str(HPyContext *ctx, text_buf *tb)
{
    HPy bytes, result;
    if (memchr(tb->data, '\0', tb->len) == NULL) {
        tb->data[tb->len] = '\0';     /* room was reserved */
        return HPyUnicode_FromString(ctx, tb->data);
    }
    /* a NUL from %c or %U would end a C string: decode with the size */
    bytes = HPyBytes_FromStringAndSize(ctx, tb->data, (HPy_ssize_t)tb->len);
    if (HPy_IsNull(bytes))
        return HPy_NULL;
    result = HPyUnicode_FromEncodedObject(ctx, bytes, "utf-8", "strict");
    HPy_Close(ctx, bytes);
    return result;
}

HPyAPI_HELPER HPy
HPyUnicode_FromFormatV(HPyContext *ctx, const char *fmt, va_list vargs)
{
    text_buf tb = { NULL, 0, 0 };
    const char *p = fmt;
    HPy result = HPy_NULL;
    va_list va;

    va_copy(va, vargs);
    while (*p != '\0') {
        if (*p == '%') {
            p++;
            if (convert(ctx, &tb, &p, &va) < 0)
                goto done;
            continue;
        }
        if ((unsigned char)*p > 127) {
            char msg[80];
            snprintf(msg, sizeof(msg),
                     "expected an ASCII-encoded format string, got a "
                     "non-ASCII byte: 0x%02x", (unsigned char)*p);
            HPyErr_SetString(ctx, ctx->h_ValueError, msg);
            goto done;
        }
        {
            const char *start = p;
            while (*p != '\0' && *p != '%' && (unsigned char)*p <= 127)
                p++;
            if (tb_write(ctx, &tb, start, (size_t)(p - start)) < 0)
                goto done;
        }
    }
    /* one more byte for the terminator tb_to_str may add */
    if (tb_reserve(ctx, &tb, 1) < 0)
        goto done;
    result = tb_to_str(ctx, &tb);
done:
    va_end(va);
    free(tb.data);
    return result;
}

HPyAPI_HELPER HPy
HPyUnicode_FromFormat(HPyContext *ctx, const char *fmt, ...)
{
    HPy result;
    va_list va;
    va_start(va, fmt);
    result = HPyUnicode_FromFormatV(ctx, fmt, va);
    va_end(va);
    return result;
}

HPyAPI_HELPER HPy
HPyErr_Format(HPyContext *ctx, HPy h_type, const char *fmt, ...)
{
    HPy message;
    va_list va;
    va_start(va, fmt);
    message = HPyUnicode_FromFormatV(ctx, fmt, va);
    va_end(va);
    /* if formatting failed, its error is the one to report */
    if (!HPy_IsNull(message)) {
        HPyErr_SetObject(ctx, h_type, message);
        HPy_Close(ctx, message);
    }
    return HPy_NULL;
}
