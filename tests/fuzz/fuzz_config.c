/* fuzz_config: libFuzzer harness for experiment configs (sim/setup/config.c,
 * sim/setup/sweep.c, sim/setup/keys.c, sim/setup/build.c): the input loaded as an INI
 * config file, every section expanded into its sweep runs with edgecut's key
 * check, and the scenario of each run built (traces, models and devices the
 * config names are read): at most EC_FUZZ_RUNS sections expanded, the
 * first EC_FUZZ_SECTION_RUNS runs of each and EC_FUZZ_RUNS in all built
 * for one input.  No simulation is run.
 *
 * The config file sits in a scratch directory two levels deep whose
 * ancestors link traces/, models/, configs/ and tests/ to the source tree,
 * so the relative paths of the shipped configs ("../../traces/x.trace",
 * "../traces/x.trace") resolve as they do in the tree. */
#define _DEFAULT_SOURCE
#include "sim/setup/config.h"
#include "sim/setup/keys.h"
#include "sim/setup/build.h"
#include "tests/fuzz/fuzz_util.h"

#include <sys/stat.h>

#ifndef EC_FUZZ_SRCDIR
#error "EC_FUZZ_SRCDIR (the source tree) must be defined"
#endif

/* Most sections expanded and scenarios built for one input, and most
 * scenarios built of one section. */
#define EC_FUZZ_RUNS 8
#define EC_FUZZ_SECTION_RUNS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const linked[] = {"traces", "models", "configs", "tests"};
#define N_LINKED (sizeof linked / sizeof *linked)
static char top[4096], mid[4200], leaf[4300];

/* In dir, link (or, with del, remove the links) of linked[] into the
 * source tree. */
static void links(const char *dir, int del)
{
    char from[4400], to[4400];
    for (size_t i = 0; i < N_LINKED; i++) {
        snprintf(from, sizeof from, "%s/%s", dir, linked[i]);
        snprintf(to, sizeof to, "%s/%s", EC_FUZZ_SRCDIR, linked[i]);
        if (del)
            unlink(from);
        else if (symlink(to, from) != 0) {
            perror(from);
            abort();
        }
    }
}

static void remove_tree(void)
{
    links(mid, 1);
    links(top, 1);
    rmdir(leaf);
    rmdir(mid);
    rmdir(top);
}

/* top/a/b: the directory the config file is written to. */
static void make_tree(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(top, sizeof top, "%s/edgecut-fuzz-config-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(top)) {
        perror(top);
        abort();
    }
    snprintf(mid, sizeof mid, "%s/a", top);
    snprintf(leaf, sizeof leaf, "%s/b", mid);
    if (mkdir(mid, 0700) != 0 || mkdir(leaf, 0700) != 0) {
        perror(leaf);
        abort();
    }
    links(top, 0);
    links(mid, 0);
    atexit(remove_tree); /* runs after the file's own clean-up */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!top[0])
        make_tree();
    const char *path = ec_fuzz_write(leaf, ".ini", data, size);
    ec_config *c = NULL;
    ec_diag d;
    ec_diag_clear(&d);
    int rc = ec_config_load(path, &c, &d);
    ec_fuzz_note("config", rc, d.msg);
    if (rc != EC_OK) {
        if (c)
            abort(); /* a failed load must leave *out NULL */
        return 0;
    }
    const char **names;
    size_t n_sections = ec_config_sections(c, &names), built = 0;
    for (size_t k = 0; k < n_sections && k < EC_FUZZ_RUNS; k++) {
        ec_runlist *l = NULL;
        rc = ec_config_expand(c, names[k], ec_keys_check, NULL, &l, &d);
        ec_fuzz_note(names[k], rc, d.msg);
        if (rc != EC_OK) {
            if (l)
                abort();
            continue;
        }
        size_t n = ec_runlist_count(l);
        if (n > EC_FUZZ_SECTION_RUNS)
            n = EC_FUZZ_SECTION_RUNS;
        for (size_t i = 0; i < n && built < EC_FUZZ_RUNS; i++, built++) {
            ec_scenario *s = NULL;
            rc = ec_scenario_new(ec_runlist_get(l, i), &s, &d);
            ec_fuzz_note("scenario", rc, d.msg);
            if (rc == EC_OK) {
                for (size_t j = 0; j < s->n_devices; j++) {
                    char name[256];
                    ec_scenario_device_name(s, j, name, sizeof name);
                }
                ec_scenario_free(s);
            } else if (s) {
                abort();
            }
        }
        ec_runlist_free(l);
    }
    ec_config_free(c);
    return 0;
}
