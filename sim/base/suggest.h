/* suggest: "did you mean" hints for a misspelt name (a key, a learner, a
 * model, a device, a config section, a command).
 *
 * Use: ec_suggest s = EC_SUGGEST_INIT("mulincb"); then ec_suggest_add(&s, c)
 * for each known name c; s.best is the closest acceptable one, or NULL.
 */
#ifndef EC_SUGGEST_H
#define EC_SUGGEST_H

#include <stddef.h>
#include <stdint.h>

/* The search for the known name closest to an unknown one. */
typedef struct ec_suggest {
    const char *bad;  /* the unknown name; not NULL */
    const char *best; /* the closest candidate so far, NULL if none qualifies */
    size_t dist;      /* its edit distance, SIZE_MAX if none */
} ec_suggest;

#define EC_SUGGEST_INIT(bad) ((ec_suggest){ (bad), NULL, SIZE_MAX })

/* Edit distance between a and b counting an insertion, a deletion, a
 * substitution or a swap of two neighbours as one edit (optimal string
 * alignment); SIZE_MAX if either is longer than 63 bytes. */
size_t ec_edit_distance(const char *a, const char *b);

/* Consider cand: it replaces s->best if it is closer and a plausible typo of
 * s->bad (distance 1 or 2 and at most a third of s->bad's length).  Returns 1
 * if it did.  The first of equally close candidates wins. */
int ec_suggest_add(ec_suggest *s, const char *cand);

/* "; did you mean 'BEST'?" into buf (n bytes), or "" if there is no best. */
const char *ec_suggest_hint(const ec_suggest *s, char *buf, size_t n);

#endif
