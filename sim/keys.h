/* keys: the config keys edgecut understands (DESIGN.md, config contract),
 * with their defaults and help, and the validation callback the config
 * module uses to reject unknown keys. */
#ifndef EC_KEYS_H
#define EC_KEYS_H

#include <stdio.h>

/* One known config key. */
typedef struct ec_key_spec {
    const char *key;  /* exact key, or a prefix ending in '.' for traced-quantity groups */
    int is_path;      /* 1: a file path (resolved relative to the config); 2: a built-in
                         name or, if it contains '/' or '.', such a path */
    const char *def;  /* default value as text, "" if none */
    const char *help; /* one line: meaning, unit, range */
} ec_key_spec;

/* The key table, terminated by a {NULL} entry. */
extern const ec_key_spec ec_keys[];

/* ec_config_key_check callback: EC_CONFIG_KEY_PLAIN / _PATH for known keys
 * (including registered learners' "NAME.KEY" parameters), else
 * EC_CONFIG_KEY_UNKNOWN.  ctx is unused. */
int ec_keys_check(const char *key, void *ctx);

/* Print the key table (for `edgecut run --help`). */
void ec_keys_print(FILE *out);

#endif
