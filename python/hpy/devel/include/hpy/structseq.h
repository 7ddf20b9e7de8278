/*
 * Struct sequences: tuple subclasses whose items can also be read as named
 * attributes (like os.stat_result), modelled on CPython's
 * PyStructSequence API. Not part of the ABI: compiled into each extension.
 *
 * Unlike CPython's version there is no n_in_sequence (outside the cpython
 * ABI the type may be a namedtuple, which has no hidden fields), and an
 * instance is created complete in one call, since it is immutable.
 */
#ifndef HPY_STRUCTSEQ_H
#define HPY_STRUCTSEQ_H

typedef struct {
    /* UTF-8 name of the field; HPyStructSequence_UnnamedField for a field
       that is reachable by index only; NULL ends the array. */
    const char *name;
    const char *doc;             /* UTF-8, may be NULL */
} HPyStructSequence_Field;

typedef struct {
    const char *name;            /* UTF-8, "module.Name"; required */
    const char *doc;             /* UTF-8, may be NULL */
    HPyStructSequence_Field *fields;   /* NULL-name terminated; required */
} HPyStructSequence_Desc;

/* Marker for HPyStructSequence_Field.name (compared by address). */
extern _HPy_HIDDEN const char *const HPyStructSequence_UnnamedField;

/* Create the struct sequence type described by `desc`; HPy_NULL on error. */
HPyAPI_HELPER HPy
HPyStructSequence_NewType(HPyContext *ctx, HPyStructSequence_Desc *desc);

/* Create an instance of a type made by HPyStructSequence_NewType from
   exactly one value per field (TypeError otherwise); HPy_NULL on error. */
HPyAPI_HELPER HPy
HPyStructSequence_New(HPyContext *ctx, HPy type, HPy_ssize_t nargs, HPy *args);

#endif /* HPY_STRUCTSEQ_H */
