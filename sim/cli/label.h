/* label: the one name of a run that the summary table and the figure
 * legends show.
 *
 * A run's label is its sweep values "k=v, k=v" (its itervars in the order
 * stored, without replicate, repetition and seed, which make replicates of
 * one label), just the value when the only one is `learner`; without
 * itervars, its config key `learner`; else its run name. */
#ifndef EC_LABEL_H
#define EC_LABEL_H

#include "sim/store/read.h"

/* The label of the stored run `run` of rd into *out, malloc'd (the caller
 * frees it).  Errors: as ec_reader_config, EC_ENOMEM; *out = NULL. */
int ec_run_label(ec_reader *rd, const ec_stored_run *run, char **out, ec_diag *d);

#endif
