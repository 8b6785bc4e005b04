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

#include "sim/base/diag.h"
#include "sim/setup/sweep.h"

/* Longest [Config NAME], in bytes.  A run's name, NAME-RUNNUMBER, then fits
 * the 256-byte buffers that hold it (RUNNUMBER < EC_CONFIG_MAX_RUNS), so run
 * names are never truncated and never collide. */
#define EC_CONFIG_MAX_NAME 200
_Static_assert(EC_CONFIG_MAX_NAME + sizeof "-1000000" <= 256, "run names fit 256 bytes");

/* A parsed config file plus --set overrides.  Immutable except through
 * ec_config_set. */
typedef struct ec_config ec_config;

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

#endif
