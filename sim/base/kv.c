/* kv: key/value pairs (see kv.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/base/kv.h"

#include "sim/base/diag.h"

#include <stdlib.h>
#include <string.h>

int ec_kv_append(ec_kv **kv, size_t *n, const char *key, const char *value)
{
    ec_kv *grown = realloc(*kv, (*n + 1) * sizeof *grown);
    if (!grown)
        return EC_ENOMEM;
    *kv = grown;
    char *k = strdup(key), *v = strdup(value);
    if (!k || !v) {
        free(k);
        free(v);
        return EC_ENOMEM;
    }
    grown[(*n)++] = (ec_kv){ k, v };
    return EC_OK;
}

void ec_kv_free(ec_kv *kv, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free((char *)kv[i].key);
        free((char *)kv[i].value);
    }
    free(kv);
}
