/* keys: the config keys edgecut understands, the one list of them (`edgecut
 * run --help` prints it; README.md explains the experiment they describe):
 * each key's default, unit, range and help written once, the validation
 * callback the config module uses to reject unknown keys, and typed getters
 * that take the default and range from the table. */
#ifndef EC_KEYS_H
#define EC_KEYS_H

#include "sim/setup/runcfg.h"

#include <stdio.h>

struct ec_suggest;

/* How a key's value is read by the getters. */
enum { EC_KEY_TEXT = 0, EC_KEY_REAL = 1, EC_KEY_INT = 2 };

/* One known config key. */
typedef struct ec_key_spec {
    const char *key;  /* exact key */
    int is_path;      /* 1: a file path (resolved relative to the config); 2: a built-in
                         name or, if it contains '/' or '.', such a path */
    const char *def;  /* default value as text, "" if none */
    const char *help; /* one line: meaning, unit, range */
    int world;        /* 1: one value for the whole world; 0: per device, so also
                         settable per group as group.G.KEY */
    int type;         /* EC_KEY_TEXT, _REAL or _INT (for ec_key_number/ec_key_long) */
    double lo, hi;    /* allowed range of a number key */
} ec_key_spec;

/* The key table, terminated by a {NULL} entry. */
extern const ec_key_spec ec_keys[];

/* The table entry of key; NULL if key is not in the table. */
const ec_key_spec *ec_key_find(const char *key);

/* ec_config_key_check callback: EC_CONFIG_KEY_PLAIN / _PATH / _NAME_OR_PATH
 * for known keys (registered learners' "NAME.KEY" parameters, _PATH for
 * those of type EC_PARAM_PATH; generator parameters; and group.G.KEY for
 * every per-device KEY and group.G.count), else EC_CONFIG_KEY_UNKNOWN.  ctx
 * is unused. */
int ec_keys_check(const char *key, void *ctx);

/* For ec_config_set_key_names: offer every known key to sg (for group.G.KEY
 * the group's per-device keys), for a "did you mean" of an unknown key. */
void ec_keys_suggest(struct ec_suggest *sg);

/* key's value as a number, or its table default, checked against the
 * table's range: EC_ECONFIG "FILE:LINE: key 'k': expected ..." otherwise. */
int ec_key_number(const ec_runcfg *cfg, const char *key, double *out, ec_diag *d);
int ec_key_long(const ec_runcfg *cfg, const char *key, long *out, ec_diag *d);

/* key's value, or its table default ("" when it has none). */
const char *ec_key_string(const ec_runcfg *cfg, const char *key);

/* Print the key table (for `edgecut run --help`). */
void ec_keys_print(FILE *out);

#endif
