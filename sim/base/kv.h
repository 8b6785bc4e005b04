/* kv: key/value pairs of text (run attributes, iteration variables, config
 * rows, a run's identity) and a growing list of them. */
#ifndef EC_KV_H
#define EC_KV_H

#include <stddef.h>

/* One key/value pair. */
typedef struct ec_kv {
    const char *key;   /* never NULL */
    const char *value; /* never NULL */
} ec_kv;

/* Append (key, value), both copied, to the *n entries of the malloc'd
 * array *kv (NULL when empty).  EC_OK, or EC_ENOMEM with *kv unchanged. */
int ec_kv_append(ec_kv **kv, size_t *n, const char *key, const char *value);

/* Free the strings of the n entries of kv, and kv (NULL: nothing). */
void ec_kv_free(ec_kv *kv, size_t n);

#endif
