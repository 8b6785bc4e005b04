/* sweep: "${...}" sweep axes inside config values.
 *
 * A config value is literal text with at most one embedded axis:
 *   learner = ${mulinucb, linucb, oracle}      list axis, items trimmed
 *   uplink.scale = ${0.5..2 step 0.5}          numeric range, inclusive
 *   frames = ${1..5}                           range with step 1
 *   uplink.trace = traces/${bus, car}.trace    axis embedded in a longer value
 *   fps = ${rate=0.5, 1, 2}                    a named axis: its itervar is "rate"
 *   frames = ${600, 300, 150 ! rate}           iterates in parallel with axis "rate"
 *                                              (same number of values; no axis of
 *                                              its own: 3 runs, not 9)
 * NAME is [A-Za-z_][A-Za-z0-9_.]*; after '!' it names another axis of the
 * section, by its name or, for an unnamed axis, by its key.
 * A value without "${" is a plain value (no axis).  There is no escape for a
 * literal "${"; a '}' outside an axis is plain text.
 *
 * Range values are start + i*step (no accumulated error; the last value is
 * snapped to the written end when it is within rounding of it) and printed
 * in the shortest form that reads back to the same double ("0.25", "1",
 * "0.30000000000000004" when that is what start + i*step gives).
 *
 * Parse errors name the value's FILE:LINE and key (or "--set KEY") like
 * every other config message.
 *
 * This module also builds the run list ec_config_expand returns: the config
 * module works out which value each key has (inheritance, --set) and in
 * which order, then ec_sweep_expand forms the cartesian product and the
 * replicates.  A run's getters are in sim/setup/runcfg.h. */
#ifndef EC_SWEEP_H
#define EC_SWEEP_H

#include <stddef.h>

#include "sim/base/diag.h"
#include "sim/setup/runcfg.h"

/* Most runs one section may expand to (axes times replicates). */
#define EC_CONFIG_MAX_RUNS 1000000

/* Most values one section's run list holds: (axis combinations) x (keys
 * of the section), each about 56 bytes (replicates share them), so 2^24 is
 * about 1 GB.  Beyond it the expansion is EC_ERANGE: a few hundred bytes of
 * config (a million-value axis and twenty keys) must not take gigabytes. */
#define EC_CONFIG_MAX_VALUES (1L << 24)

/* Most values one axis may have (a range like ${0..1e9} is refused). */
#define EC_SWEEP_MAX_VALUES 1000000

/* A parsed value: prefix, optional axis, suffix.  Immutable after parsing. */
typedef struct ec_sweep ec_sweep;

/* Parse text, the value of key, into *out (NULL on failure).  file and
 * line say where the value was set, for messages: line <= 0 for a --set
 * value (file is then ignored).  Errors: a malformed axis is EC_ECONFIG
 * "FILE:LINE: key 'KEY': what is wrong" (e.g. "unbalanced '${' (missing
 * '}')"), or for a --set value EC_EUSAGE "--set KEY: what is wrong";
 * EC_ENOMEM.  d may be NULL. */
int ec_sweep_parse(const char *text, const char *file, long line, const char *key,
                   ec_sweep **out, ec_diag *d);

/* Free a parsed value; NULL is a no-op. */
void ec_sweep_free(ec_sweep *s);

/* Number of axis values, >= 1 for a value with an axis, 0 without one. */
size_t ec_sweep_count(const ec_sweep *s);

/* The axis's name ("${NAME=a, b}"), or NULL when it has none (its itervar
 * is then named after its key).  Owned by s. */
const char *ec_sweep_name(const ec_sweep *s);

/* The name the axis iterates in parallel with ("${a, b ! NAME}": an axis
 * name or the key of an unnamed axis), or NULL for an axis of its own.
 * Owned by s. */
const char *ec_sweep_parallel(const ec_sweep *s);

/* The i-th axis value (i < ec_sweep_count(s)); never NULL.  Owned by s. */
const char *ec_sweep_item(const ec_sweep *s, size_t i);

/* Write prefix + item i + suffix (or the plain text when there is no axis,
 * i is then ignored) to buf like snprintf: at most size bytes including the
 * NUL; returns the full length excluding the NUL.  buf may be NULL if size
 * is 0. */
size_t ec_sweep_render(const ec_sweep *s, size_t i, char *buf, size_t size);

/* Format x in the shortest "%.Ng" (N = 15, 16 or 17) that reads back to x;
 * -0 prints as "0".  buf should hold at least 32 bytes.  Returns buf. */
char *ec_sweep_format_double(double x, char *buf, size_t size);

/* The runs one section expands to (ec_config_expand, ec_sweep_expand);
 * independent of the ec_config it came from. */
typedef struct ec_runlist ec_runlist;

/* One key of the section being expanded, as ec_config resolved it. */
typedef struct ec_sweep_key {
    const char *key;        /* the key */
    const ec_sweep *value;  /* its final value, parsed (owned by the caller) */
    const char *file;       /* defining file, or EC_CONFIG_CMDLINE */
    int line;               /* 1-based line, 0 for --set */
    int kind;               /* EC_CONFIG_KEY_PLAIN or EC_CONFIG_KEY_PATH */
    const char *dir;        /* directory relative PATH values are joined to;
                               "" leaves them as written */
} ec_sweep_key;

/* Expand keys[0..n) (in configOrder) into a run list for config_name of the
 * config file config_file (kept for messages): one
 * axis per key with an axis (first key slowest), 'repeat' replicates
 * innermost, seeds from 'seed'.  Copies everything it keeps.  Errors:
 * EC_ECONFIG for a bad seed or repeat value (with its location), EC_ERANGE
 * beyond EC_CONFIG_MAX_RUNS runs or EC_CONFIG_MAX_VALUES values, EC_ENOMEM. */
int ec_sweep_expand(const char *config_name, const char *config_file,
                    const ec_sweep_key *keys, size_t n, ec_runlist **out, ec_diag *d);

/* Number of runs in l (>= 1). */
size_t ec_runlist_count(const ec_runlist *l);

/* Run i (i < count), owned by l; NULL if i is out of range. */
const ec_runcfg *ec_runlist_get(const ec_runlist *l, size_t i);

/* Free l; NULL is a no-op. */
void ec_runlist_free(ec_runlist *l);

#endif
