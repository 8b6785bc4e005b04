/* runcfg: one run's config as the set-up reads it: every key's value after
 * axis substitution, with the file and line (or --set) that gave it, the
 * run's seed and itervars, and typed getters whose errors name that place.
 * Run lists (sim/setup/sweep.h) hold the runs a section expands to;
 * sim/setup/config.h says which keys a run has and in which order
 * (configOrder). */
#ifndef EC_RUNCFG_H
#define EC_RUNCFG_H

#include <stddef.h>
#include <stdint.h>

#include "sim/base/diag.h"
#include "sim/base/kv.h"
#include "learners/param.h"

/* Origin "file" of --set values in ec_cfgval.file. */
#define EC_CONFIG_CMDLINE "<command line>"

/* What a key's value is (what a key-check callback of sim/setup/config.h
 * says about the key). */
enum {
    EC_CONFIG_KEY_UNKNOWN = 0, /* not a config key: an error */
    EC_CONFIG_KEY_PLAIN = 1,   /* a key whose value is used as written */
    EC_CONFIG_KEY_PATH = 2,    /* a file path, resolved against the config dir */
    EC_CONFIG_KEY_NAME_OR_PATH = 3 /* a built-in name, or a file path when the value
                                      contains '/' or '.' (then resolved like PATH) */
};

/* Whether text, the value of a key of this EC_CONFIG_KEY_* kind, is a file
 * path (resolved against the config dir): always for _PATH, for
 * _NAME_OR_PATH when it contains '/' or '.', never for _PLAIN. */
int ec_config_path_value(int kind, const char *text);

/* One resolved key of a run.  All strings are owned by the run list. */
typedef struct ec_cfgval {
    const char *key;    /* the key */
    const char *value;  /* value after axis substitution and, for PATH keys,
                           path resolution */
    const char *file;   /* file that defined it, or EC_CONFIG_CMDLINE */
    int line;           /* 1-based line, 0 for --set */
    const char *text;   /* value after axis substitution, before path
                           resolution (== value for PLAIN keys) */
    int kind;           /* EC_CONFIG_KEY_PLAIN, _PATH or _NAME_OR_PATH */
    const char *written;/* the key as written when it differs from key (a group's
                           "group.G.key" seen as "key" in its scope), else NULL */
} ec_cfgval;

/* One run of an expanded section. */
typedef struct ec_runcfg {
    const char *config_name;  /* "General" or NAME */
    const char *config_file;  /* the config file the run comes from (messages) */
    int run_number;           /* 0-based index in the expansion */
    int replicate;            /* 0-based, < repeat */
    uint64_t seed;            /* the run seed: seed + replicate (mod 2^64) */
    size_t n;                 /* number of vals */
    const ec_cfgval *vals;    /* every key in configOrder (sim/setup/config.h) */
    size_t n_itervars;        /* number of itervars (axis keys) */
    const ec_kv *itervars;    /* (key, chosen axis item) per axis key, in
                                 configOrder; the replicate is not one */
    const char *stream_scope; /* prefix of the RNG streams of generated traces read
                                 through this run config ("" or NULL for the world's,
                                 "G[i]." for device i of group G) */
} ec_runcfg;

/* The view of run r that device group `group` sees (*out, free with
 * ec_runcfg_scope_free): every key of r, with each "group.GROUP.KEY"
 * replacing (or adding) KEY; other groups' keys are left out.  Values keep
 * their file and line; `written` names the group key for messages. */
int ec_runcfg_scope(const ec_runcfg *r, const char *group, ec_runcfg **out);
void ec_runcfg_scope_free(ec_runcfg *scoped);

/* The value of key in run r, or NULL if the run does not set it. */
const ec_cfgval *ec_runcfg_find(const ec_runcfg *r, const char *key);

/* The ec_params lookup (learners/param.h) over a run config: ctx is an
 * ec_runcfg (a run's, or a group's view of it).  A set key gives its value,
 * file, line and name as written (a group's key for messages): 1; an unset
 * key gives 0. */
int ec_runcfg_param(void *ctx, const char *key, ec_param_value *pv);

/* *out = the value of key, or def (may be NULL) if absent.  Always EC_OK. */
int ec_runcfg_str(const ec_runcfg *r, const char *key, const char *def,
                  const char **out);

/* *out = key's value as a finite number in [lo, hi], or def if absent.
 * EC_ECONFIG "FILE:LINE: key 'k': expected a number in [lo, hi], got 'v'". */
int ec_runcfg_double(const ec_runcfg *r, const char *key, double def,
                     double lo, double hi, double *out, ec_diag *d);

/* *out = key's value as a decimal integer in [lo, hi], or def if absent.
 * EC_ECONFIG "FILE:LINE: key 'k': expected an integer in [lo, hi], got 'v'". */
int ec_runcfg_int(const ec_runcfg *r, const char *key, long def, long lo,
                  long hi, long *out, ec_diag *d);

/* *index = position of key's value in the NULL-terminated choices (exact,
 * case-sensitive match), or of def if absent.  EC_ECONFIG "FILE:LINE: key
 * 'k': expected one of 'a', 'b', got 'v'"; if the key is absent and def is
 * NULL or not a choice: EC_ENOTFOUND "missing key 'k'; expected one of ...". */
int ec_runcfg_enum(const ec_runcfg *r, const char *key, const char *def,
                   const char *const *choices, int *index, ec_diag *d);

/* Record EC_ECONFIG "FILE:LINE: key 'k': <fmt...>" (or "--set k: <fmt...>")
 * in d and return EC_ECONFIG; for callers validating values themselves. */
int ec_cfgval_error(const ec_cfgval *v, ec_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* rc from using the file or name that value v gave (a trace, a profile, a
 * model): when rc is an error, put v's "FILE:LINE: key 'k': " in front of
 * the message already in d and keep rc as the code, so the user sees both
 * the config line and the error inside the file.  Returns rc. */
int ec_cfgval_wrap(const ec_cfgval *v, int rc, ec_diag *d);

#endif
