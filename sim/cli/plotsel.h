/* plotsel: which runs of a results database a figure or a report shows,
 * and how they form curves.
 *
 * Finished runs (status 'done') are selected by config name (none given:
 * every config) and by NAME=VALUE conditions (all must hold): NAME is an
 * itervar of the run (a sweep axis), or else a config key of the run
 * (runConfig), or `config` for the config name.  The selected runs are
 * grouped by config name and every itervar but replicate, repetition and
 * seed: a group is one sweep point of one config, its runs its replicates.
 * Groups come in the order of their first run (runId). */
#ifndef EC_PLOTSEL_H
#define EC_PLOTSEL_H

#include "sim/base/diag.h"
#include "sim/store/read.h"

#include <stddef.h>

/* Which runs to take. */
typedef struct ec_plot_filter {
    const char *const *configs; /* config names to keep; n_configs 0 = all */
    size_t n_configs;
    const char *const *where;   /* "NAME=VALUE" conditions, all must hold */
    size_t n_where;
} ec_plot_filter;

/* One group: the replicates of one sweep point of one config. */
typedef struct ec_plot_group {
    char *config;          /* config name */
    ec_kv *itervars;       /* [n_itervars] the sweep point (owned strings), stored order */
    size_t n_itervars;
    const ec_stored_run **runs; /* [n_runs] its runs by replicate, then run number (so
                              that runs[0], the "first run" a figure shows, is the first
                              replicate whatever order the runs were written in); owned by
                              the ec_plot_groups */
    size_t n_runs;
    char *label;           /* legend text: what tells this group from the others (the
                              config when several are shown, each itervar whose value
                              differs between groups, just the value for `learner`),
                              then " (mean of N)" for N > 1 replicates */
    char *name;            /* the label without " (mean of N)" */
} ec_plot_group;

/* The groups of a selection. */
typedef struct ec_plot_groups {
    ec_plot_group *g;      /* [n] */
    size_t n;
    size_t n_configs;      /* distinct config names among them */
    ec_stored_run *all;    /* [n_all] every finished run of the database (owned) */
    size_t n_all;
} ec_plot_groups;

/* Select and group the runs of rd as f says (NULL: every finished run)
 * into *out (free with ec_plot_groups_free).  Errors: EC_EUSAGE (a
 * condition without '='), EC_ENOTFOUND (no finished run, or none matches:
 * the message lists the configs and itervars there are, with a "did you
 * mean" for a misspelt name), EC_EDB, EC_ENOMEM. */
int ec_plot_select(ec_reader *rd, const ec_plot_filter *f, ec_plot_groups *out, ec_diag *d);

/* The runIds of group g into ids (room for g->n_runs). */
void ec_plot_group_ids(const ec_plot_group *g, int64_t *ids);

/* (Re)compute the labels and names of gs (and gs->n_configs) from the
 * configs and itervars of its groups, the labels with " (mean of N)" when
 * with_count.  Errors: EC_ENOMEM. */
int ec_plot_labels(ec_plot_groups *gs, int with_count);

/* Free what ec_plot_select filled; out may be empty. */
void ec_plot_groups_free(ec_plot_groups *g);

#endif
