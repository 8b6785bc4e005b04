/* features: context vectors that describe an action to a learner, in the
 * GSL "type" pattern (one const ec_feature_type per extractor, looked up by
 * name with the config key `features`).
 *
 *   ans    the 7 features of the ANS authors (models/model.h): the back end's
 *          conv MACs and layers, fc MACs and layers, other layers' output
 *          elements and count, and the bits crossing the uplink; raw, not
 *          scaled; all 0 when nothing is offloaded.
 *   split  13 features in two blocks: the same six counts for the front end
 *          (the layers the device runs), the six of the back end, and the
 *          bits crossing the uplink.
 */
#ifndef EC_FEATURES_H
#define EC_FEATURES_H

#include "models/actions.h"
#include "models/model.h"

#include <stddef.h>

/* A feature extractor. */
typedef struct ec_feature_type {
    const char *name;        /* registry key: "ans" */
    const char *description; /* one line */
    size_t dim;              /* length of a feature vector */
    /* The features of action i of a (an action space of model m) into x[dim]. */
    void (*extract)(const ec_model *m, const ec_actions *a, size_t i, double *x);
} ec_feature_type;

/* The six ANS-style counts (conv MACs and layers, fc MACs and layers,
 * other layers' output elements and count) of exit e's path positions
 * [from, to) into x[6]. */
void ec_features_counts(const ec_model *m, size_t e, size_t from, size_t to, double *x);

/* The extractor of a device whose config sets no `features` and whose
 * learner declares no context of its own (learners/learner.h). */
#define EC_FEATURES_FALLBACK "ans"

/* The registry, NULL-terminated: ans, split. */
extern const ec_feature_type *const ec_feature_types[];

/* An extractor by name; NULL if unknown. */
const ec_feature_type *ec_feature_find(const char *name);

#endif
