/* config: OMNeT++-style INI experiment configs and their sweep expansion.
 *
 * File format (parsed with inih):
 *   [General]                  defaults for every section
 *   key = value   ; comment    ';' or '#' after white space starts a comment,
 *                              as does either one at the start of a line
 *   [Config NAME]              a named config
 *   extends = A, B             parents by config name ("General" or NAME)
 * Leading white space on a line is ignored (there are no continuation
 * lines).  Keys before the first section header, unknown header forms,
 * duplicate sections, duplicate keys within a section, unknown parents,
 * extends cycles and 'extends' in [General] are errors.
 *
 * Inheritance: a key is looked up in the section itself, then in its parents
 * depth-first in the order listed (each section visited once, the first time
 * it is reached), then in General.  General is always searched last; naming
 * it in an extends list is allowed and changes nothing.  A --set override
 * beats every section.
 *
 * configOrder (the order of ec_runcfg.vals): General's keys in file order,
 * then the keys first introduced by each ancestor, from the farthest
 * ancestor to the nearest (the reverse of the lookup order), then the keys
 * the section itself introduces, then --set keys defined nowhere in that
 * chain, in the order they were set.  A key keeps its first position when
 * overridden.  'extends' is not part of it; 'seed' and 'repeat' are, when
 * present (their defaults are not added).
 *
 * Sweeps (see sim/setup/sweep.h for the value syntax): each key in configOrder
 * whose final value has a "${...}" axis contributes one axis; the first such
 * key varies slowest.  Replicates (repeat = N, default 1) are the innermost
 * loop; the run seed is seed (default 1) + replicate; run numbers count runs
 * 0, 1, ... in this order.  'seed' and 'repeat' may be axes themselves.
 *
 * Paths: a key the caller classifies as EC_CONFIG_KEY_PATH has its value,
 * after axis substitution, resolved relative to the directory of the config
 * file unless it is absolute or empty (--set values are left as written,
 * i.e. relative to the current directory).
 *
 * Messages: "FILE:LINE: ..." for file values, "--set KEY: ..." for overrides.
 */
#ifndef EC_CONFIG_H
#define EC_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "sim/base/diag.h"
#include "sim/base/kv.h"

/* Most runs one section may expand to (axes times replicates). */
#define EC_CONFIG_MAX_RUNS 1000000

/* Most values one section's run list holds: (axis combinations) x (keys
 * of the section), each about 56 bytes (replicates share them), so 2^24 is
 * about 1 GB.  Beyond it the expansion is EC_ERANGE: a few hundred bytes of
 * config (a million-value axis and twenty keys) must not take gigabytes. */
#define EC_CONFIG_MAX_VALUES (1L << 24)


/* Longest [Config NAME], in bytes.  A run's name, NAME-RUNNUMBER, then fits
 * the 256-byte buffers that hold it (RUNNUMBER < EC_CONFIG_MAX_RUNS), so run
 * names are never truncated and never collide. */
#define EC_CONFIG_MAX_NAME 200
_Static_assert(EC_CONFIG_MAX_NAME + sizeof "-1000000" <= 256, "run names fit 256 bytes");

/* Origin "file" of --set values in ec_cfgval.file. */
#define EC_CONFIG_CMDLINE "<command line>"

/* A parsed config file plus --set overrides.  Immutable except through
 * ec_config_set. */
typedef struct ec_config ec_config;

/* What a key-check callback says about a key. */
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

/* Classify key (never 'extends', 'seed' or 'repeat'); returns one of the
 * EC_CONFIG_KEY_* values (anything else counts as PLAIN).  ctx is the
 * pointer given to ec_config_expand. */
typedef int (*ec_config_key_check)(const char *key, void *ctx);

/* Parse the file at path into *out (NULL on failure).  Errors: those of
 * ec_textfile_read (sim/base/textfile.h: a directory or a missing file is
 * EC_ENOTFOUND, a file over 64 MiB EC_ECONFIG), EC_ECONFIG "PATH:LINE: ..."
 * for anything wrong in the file, EC_ENOMEM. */
int ec_config_load(const char *path, ec_config **out, ec_diag *d);

/* Parse text as a config file.  name (NULL: "<string>") is used in messages;
 * relative paths resolve against the current directory.  Errors as for
 * ec_config_load. */
int ec_config_load_string(const char *text, const char *name,
                          ec_config **out, ec_diag *d);

/* Apply one --set "KEY=VALUE" (white space around KEY and VALUE trimmed;
 * VALUE may be empty or an axis).  A later --set of the same key replaces
 * an earlier one.  EC_EUSAGE for a missing '=', an empty key, the key
 * 'extends' or a malformed axis; EC_ENOMEM. */
int ec_config_set(ec_config *c, const char *assignment, ec_diag *d);

/* Free c; NULL is a no-op.  Run lists expanded from c stay valid. */
void ec_config_free(ec_config *c);

struct ec_suggest;

/* Offer known keys for the "did you mean" of an unknown key: names calls
 * ec_suggest_add on sg for every key the caller's check accepts (or the
 * closest of its families).  Without it (NULL) ec_config_expand suggests
 * only keys the config itself sets. */
void ec_config_set_key_names(ec_config *c, void (*names)(struct ec_suggest *sg));

/* The file name given to ec_config_load (or the name given to
 * ec_config_load_string).  Owned by c. */
const char *ec_config_path(const ec_config *c);

/* Set *names to the config names ("General" first, always present, then
 * each NAME of a [Config NAME] in file order) and return their count.  The
 * array and strings are owned by c.  names may be NULL. */
size_t ec_config_sections(const ec_config *c, const char ***names);

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
    const ec_cfgval *vals;    /* every key in configOrder (see above) */
    size_t n_itervars;        /* number of itervars (axis keys) */
    const ec_kv *itervars;    /* (key, chosen axis item) per axis key, in
                                 configOrder; the replicate is not one */
    const char *stream_scope; /* prefix of the RNG streams of generated traces read
                                 through this run config ("" or NULL for the world's,
                                 "G[i]." for device i of group G) */
} ec_runcfg;

/* The runs one section expands to.  Independent of the ec_config. */
typedef struct ec_runlist ec_runlist;

/* Expand section (a config NAME, "Config NAME", or "General"; NULL means
 * "General") into *out.  Every key of the section and its ancestors and
 * every --set key is passed to check (NULL: every key is PLAIN); an unknown
 * one is EC_ECONFIG "FILE:LINE: unknown key 'k'" (the lowest line first,
 * then --set keys), possibly followed by "; did you mean 'x'?" naming a
 * key of the config or one ec_config_set_key_names offers.  A bad seed or repeat value is EC_ECONFIG with
 * its location.  An unknown section is EC_ENOTFOUND naming the available
 * ones.  More than EC_CONFIG_MAX_RUNS runs or EC_CONFIG_MAX_VALUES values
 * is EC_ERANGE. */
int ec_config_expand(const ec_config *c, const char *section,
                     ec_config_key_check check, void *ctx,
                     ec_runlist **out, ec_diag *d);

/* Number of runs in l (>= 1). */
size_t ec_runlist_count(const ec_runlist *l);

/* Run i (i < count), owned by l; NULL if i is out of range. */
const ec_runcfg *ec_runlist_get(const ec_runlist *l, size_t i);

/* Free l; NULL is a no-op. */
void ec_runlist_free(ec_runlist *l);

/* The view of run r that device group `group` sees (*out, free with
 * ec_runcfg_scope_free): every key of r, with each "group.GROUP.KEY"
 * replacing (or adding) KEY; other groups' keys are left out.  Values keep
 * their file and line; `written` names the group key for messages. */
int ec_runcfg_scope(const ec_runcfg *r, const char *group, ec_runcfg **out);
void ec_runcfg_scope_free(ec_runcfg *scoped);

/* The value of key in run r, or NULL if the run does not set it. */
const ec_cfgval *ec_runcfg_find(const ec_runcfg *r, const char *key);

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
