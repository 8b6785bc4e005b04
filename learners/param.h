/* param: a learner's parameters, typed.  A learner type declares each
 * parameter it accepts ("NAME.KEY" in configs) once, as an ec_param_spec:
 * its type, default, range, unit, choices or items; init reads the values
 * through the typed getters below, which check them against the spec and
 * name the config FILE:LINE of a bad one.  The simulator hands the values
 * over through an ec_params lookup (learners do not read configs). */
#ifndef EC_PARAM_H
#define EC_PARAM_H

#include "sim/base/diag.h"

#include <stddef.h>

struct ec_learner_setup;  /* learners/learner.h */
struct ec_coord_setup;
struct ec_learner_type;

/* A parameter's value as the user gave it. */
typedef struct ec_param_value {
    const char *text;  /* the value */
    const char *file;  /* config file that set it; NULL or "" for the command line */
    int line;          /* 1-based line, 0 for --set */
    const char *key;   /* the key as written ("group.tx2.mulinucb.mu") */
} ec_param_value;

/* What the placeholders of a path parameter's value stand for, for one
 * device of one run.  A PATH value may hold {group}, {device}, {replicate}
 * and {seed}, so that the devices, groups and replicates of a sweep can
 * each have their own file (`ckpt-{group}-{device}.bin`); any other
 * {word} of lowercase letters is an error (ec_learner_check refuses it),
 * and a brace that does not open one ("{", "{1}") is taken as written.
 * The simulator's lookup hands a learner its device's path with them
 * replaced (sim/engine/world.c), and the run's identity hashes the files
 * they name (sim/setup/identity.h). */
typedef struct ec_param_vars {
    const char *group;   /* {group}: the device's group name ("device" in a config
                            without groups) */
    long device;         /* {device}: the device's index in the run, 0-based, as in
                            results (device[k]) */
    long replicate;      /* {replicate}: the run's replicate, 0-based */
    unsigned long long seed; /* {seed}: the run's seed (seed + replicate) */
} ec_param_vars;

/* The parameter lookup the simulator hands a learner. */
typedef struct ec_params {
    /* 1 and *v filled if key ("mulinucb.mu") is set for this device, else 0. */
    int (*find)(void *ctx, const char *key, ec_param_value *v);
    void *ctx;
} ec_params;

/* What a parameter's value is (ec_param_spec.type). */
typedef enum ec_param_type {
    EC_PARAM_REAL = 0, /* a finite number within the range */
    EC_PARAM_INT,      /* a decimal integer within the range */
    EC_PARAM_CHOICE,   /* one of `choices`, read as its index */
    EC_PARAM_ONOFF,    /* on | off, read as 1 | 0 */
    EC_PARAM_REALS,    /* comma-separated numbers, each within the range, min_items to
                          max_items of them */
    EC_PARAM_TEXT,     /* any text, as written */
    EC_PARAM_PATH      /* a file: resolved against the folder of the config file that set
                          it (a --set value as written, from the current folder) */
} ec_param_type;

/* ec_param_spec.flags. */
enum {
    EC_PARAM_LO_OPEN = 1,  /* lo itself is excluded: (lo, ... */
    EC_PARAM_HI_OPEN = 2,  /* hi itself is excluded: ..., hi) */
    EC_PARAM_WHOLE = 4,    /* REALS: each item an integer */
    EC_PARAM_HI_LAST = 8   /* INT: hi is computed, the learner's last action index
                              (n_actions - 1; the cut P for the cut learners) */
};

/* ec_param_spec.path: what the learner does with a PATH's file.  A file it
 * reads is an input of the run: its bytes enter the run's identity
 * (sim/setup/identity.h), which hashes every path value, so every learner
 * path has EC_PATH_READS (tests/test_learners.c checks it; a write-only
 * path would first need the identity to keep its text instead). */
enum { EC_PATH_READS = 1, EC_PATH_WRITES = 2 };

/* min_items / max_items of a REALS parameter that has exactly one item per
 * context feature (setup->dim). */
#define EC_PARAM_DIM ((size_t)-1)

/* A named parameter a learner accepts ("NAME.KEY" in configs), typed: its
 * default is written here once, and the getters below check a value
 * against this spec (type, range, choices, items), so that init needs
 * neither default nor range. */
typedef struct ec_param_spec {
    const char *key;    /* parameter name without the learner prefix; NULL ends a list */
    ec_param_type type; /* how the value is read */
    const char *def;    /* the default as a config would write it ("0.25", "64,64", "on");
                           "" = none: the help says what stands in (a value computed from
                           the action space; no file) */
    double lo, hi;      /* REAL, INT, each REALS item: the range, ends included unless
                           flags say otherwise; ±INFINITY for none (not INT) */
    unsigned flags;     /* EC_PARAM_LO_OPEN, _HI_OPEN, _WHOLE, _HI_LAST */
    const char *unit;   /* unit of a number ("s", "Mbit/s", "frames"); NULL or "" for none */
    const char *const *choices; /* CHOICE: the accepted words, NULL-terminated */
    size_t min_items, max_items; /* REALS: how many items (EC_PARAM_DIM: the context dim) */
    int path;           /* PATH: EC_PATH_READS | EC_PATH_WRITES */
    const char *help;   /* one line: what it means (the listing adds type, default, range
                           and unit) */
} ec_param_spec;

/* The name of a parameter type as `edgecut learners` shows it ("real",
 * "int", "choice", "on|off", "reals", "text", "path"). */
const char *ec_param_type_name(ec_param_type type);

/* What spec p accepts, as `edgecut learners` shows it: "[0, 1]", "(0, inf)
 * s", "lu | cholesky", "1-8 integers in [1, 4096]", "a file read and
 * written"; into buf (size n, always NUL-terminated).  Returns buf. */
char *ec_param_accepts(const ec_param_spec *p, char *buf, size_t n);

/* text with its placeholders (ec_param_vars) replaced by vars' values into
 * out (size n, always NUL-terminated when n > 0); vars NULL: only check
 * them (out may then be NULL).  EC_OK; EC_ENOTFOUND for an unknown
 * placeholder, *bad (when bad is not NULL) at its '{'; EC_ERANGE when the
 * result does not fit. */
int ec_param_expand(const char *text, const ec_param_vars *vars, char *out, size_t n,
                    const char **bad);

/* 1 if text holds a placeholder (known or not), else 0. */
int ec_param_has_placeholder(const char *text);

/* The spec of key in the {NULL}-terminated list specs (NULL: none), or
 * NULL. */
const ec_param_spec *ec_param_find(const ec_param_spec *specs, const char *key);

/* What init of type t would refuse in setup without running it: every
 * parameter setup->params sets, read by its spec (as init's getters read
 * it; a PATH's placeholders checked), then t->check.  The set-up's
 * validation before any run.  EC_OK or a status (EC_ECONFIG for a bad
 * value) with its message in setup->diag. */
int ec_learner_check(const struct ec_learner_type *t, const struct ec_learner_setup *setup);

/* Typed parameter getters for init: read NAME.KEY (NAME = setup->name)
 * through setup->params as setup->type's spec for key says, or the spec's
 * default when it is unset.  A value of the wrong type, out of the range,
 * not one of the choices or with the wrong number of items is EC_ECONFIG
 * "FILE:LINE: key 'K': expected ..., got 'V'" (or "--set K: ...") in
 * setup->diag, K the key as written.  A key the type does not declare, or
 * read with the getter of another type, is a programming error:
 * EC_ERUNTIME "internal: ...".
 *   _real:   REAL;  _int: INT;  _choice: CHOICE (the index into choices);
 *   _on:     ONOFF (1 for on);
 *   _text:   TEXT or PATH (the resolved path, its placeholders replaced
 *            by the lookup; "" when unset without a default), valid as
 *            long as the lookup's source (the run's config; copy it in
 *            init to keep it);
 *   _reals:  REALS into out (room for cap items, cap >= the spec's
 *            max_items or setup->dim), *n items; *n = 0 when unset with
 *            the default "" (the learner computes the value);
 *   _int_within: INT, also within [lo, hi], for a range that depends on
 *            another parameter (sacd.buffer >= sacd.batch): the message
 *            gives the narrowed range. */
int ec_learner_param_real(const struct ec_learner_setup *s, const char *key, double *out);
int ec_learner_param_int(const struct ec_learner_setup *s, const char *key, long *out);
int ec_learner_param_int_within(const struct ec_learner_setup *s, const char *key, long lo, long hi,
                                long *out);
int ec_learner_param_choice(const struct ec_learner_setup *s, const char *key, int *index);
int ec_learner_param_on(const struct ec_learner_setup *s, const char *key, int *on);
int ec_learner_param_reals(const struct ec_learner_setup *s, const char *key, double *out, size_t cap,
                           size_t *n);
int ec_learner_param_text(const struct ec_learner_setup *s, const char *key, const char **out);

/* A learner's own complaint about the value of NAME.KEY that the getters
 * accepted but that does not fit the rest (no action passes
 * sacd.min_accuracy): EC_ECONFIG "FILE:LINE: key 'K': <fmt...>" (or "--set
 * K: ...", or "key 'NAME.KEY': ..." for the default) in setup->diag. */
int ec_learner_param_error(const struct ec_learner_setup *s, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The coordinator's getters, as the learners' (NAME = setup->name, the
 * specs of the learner type of that name; errors in setup->diag): the
 * plain ones read setup->params, the _at ones device's own lookup
 * (setup->device_params[device], or setup->params without them), so that a
 * group's own value is seen.  ec_coord_param_error_at words the
 * coordinator's complaint about device's value of NAME.KEY as
 * ec_learner_param_error does ("FILE:LINE: key 'K': ..."). */
int ec_coord_param_real(const struct ec_coord_setup *s, const char *key, double *out);
int ec_coord_param_choice(const struct ec_coord_setup *s, const char *key, int *index);
int ec_coord_param_real_at(const struct ec_coord_setup *s, size_t device, const char *key,
                           double *out);
int ec_coord_param_choice_at(const struct ec_coord_setup *s, size_t device, const char *key,
                             int *index);
int ec_coord_param_error_at(const struct ec_coord_setup *s, size_t device, const char *key,
                            const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
