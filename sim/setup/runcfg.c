/* runcfg: a run's config and its getters (see runcfg.h). */
#include "sim/setup/runcfg.h"

#include "sim/base/suggest.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ec_config_path_value(int kind, const char *text)
{
    return kind == EC_CONFIG_KEY_PATH ||
           (kind == EC_CONFIG_KEY_NAME_OR_PATH && strpbrk(text, "/."));
}

/* Parse a whole decimal integer (optional sign). */
static int parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE)
        return 0;
    *out = v;
    return 1;
}

int ec_runcfg_scope(const ec_runcfg *r, const char *group, ec_runcfg **out)
{
    *out = NULL;
    char pre[160];
    int plen = snprintf(pre, sizeof pre, "group.%s.", group);
    ec_runcfg *c = calloc(1, sizeof *c);
    ec_cfgval *vals = calloc(r->n ? r->n : 1, sizeof *vals);
    if (!c || !vals || plen >= (int)sizeof pre) {
        free(c);
        free(vals);
        return EC_ENOMEM;
    }
    *c = *r;
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)   /* the plain keys, in order */
        if (strncmp(r->vals[i].key, "group.", 6) != 0)
            vals[n++] = r->vals[i];
    for (size_t i = 0; i < r->n; i++) { /* this group's keys replace or add */
        if (strncmp(r->vals[i].key, pre, (size_t)plen) != 0)
            continue;
        ec_cfgval v = r->vals[i];
        v.written = v.key;
        v.key += plen;
        size_t k = 0;
        while (k < n && strcmp(vals[k].key, v.key) != 0)
            k++;
        vals[k] = v;
        if (k == n)
            n++;
    }
    c->vals = vals;
    c->n = n;
    *out = c;
    return EC_OK;
}

void ec_runcfg_scope_free(ec_runcfg *scoped)
{
    if (scoped) {
        free((ec_cfgval *)scoped->vals);
        free(scoped);
    }
}

const ec_cfgval *ec_runcfg_find(const ec_runcfg *r, const char *key)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->vals[i].key, key) == 0)
            return &r->vals[i];
    return NULL;
}

int ec_runcfg_param(void *ctx, const char *key, ec_param_value *pv)
{
    const ec_cfgval *v = ec_runcfg_find(ctx, key);
    if (!v)
        return 0;
    *pv = (ec_param_value){ v->value, v->file, v->line, v->written ? v->written : v->key };
    return 1;
}

int ec_runcfg_str(const ec_runcfg *r, const char *key, const char *def,
                  const char **out)
{
    const ec_cfgval *v = ec_runcfg_find(r, key);
    *out = v ? v->value : def;
    return EC_OK;
}

int ec_runcfg_double(const ec_runcfg *r, const char *key, double def,
                     double lo, double hi, double *out, ec_diag *d)
{
    const ec_cfgval *v = ec_runcfg_find(r, key);
    if (!v) {
        *out = def;
        return EC_OK;
    }
    char *end;
    double x = strtod(v->value, &end);
    if (end == v->value || *end != '\0' || !isfinite(x) || x < lo || x > hi)
        return ec_cfgval_error(v, d, "expected a number in [%g, %g], got '%s'",
                               lo, hi, v->text);
    *out = x;
    return EC_OK;
}

int ec_runcfg_int(const ec_runcfg *r, const char *key, long def, long lo,
                  long hi, long *out, ec_diag *d)
{
    const ec_cfgval *v = ec_runcfg_find(r, key);
    if (!v) {
        *out = def;
        return EC_OK;
    }
    long x;
    if (!parse_long(v->value, &x) || x < lo || x > hi)
        return ec_cfgval_error(v, d, "expected an integer in [%ld, %ld], "
                               "got '%s'", lo, hi, v->text);
    *out = x;
    return EC_OK;
}

/* "'a', 'b', 'c'" into buf. */
static void list_choices(const char *const *choices, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; choices[i] && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s'%s'",
                                 i ? ", " : "", choices[i]);
}

int ec_runcfg_enum(const ec_runcfg *r, const char *key, const char *def,
                   const char *const *choices, int *index, ec_diag *d)
{
    const ec_cfgval *v = ec_runcfg_find(r, key);
    const char *want = v ? v->value : def;
    for (int i = 0; want && choices[i]; i++)
        if (strcmp(choices[i], want) == 0) {
            *index = i;
            return EC_OK;
        }
    char list[600], hint[128];
    list_choices(choices, list, sizeof list);
    if (!v)
        return ec_diag_set(d, EC_ENOTFOUND, NULL, 0, "missing key '%s'; "
                           "expected one of %s", key, list);
    ec_suggest sg = EC_SUGGEST_INIT(v->text);
    for (int i = 0; choices[i]; i++)
        ec_suggest_add(&sg, choices[i]);
    return ec_cfgval_error(v, d, "expected one of %s, got '%s'%s", list, v->text,
                           ec_suggest_hint(&sg, hint, sizeof hint));
}

int ec_cfgval_error(const ec_cfgval *v, ec_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ec_diag_vkey(d, EC_ECONFIG, v->file, v->line, v->written ? v->written : v->key,
                          fmt, ap);
    va_end(ap);
    return rc;
}

int ec_cfgval_wrap(const ec_cfgval *v, int rc, ec_diag *d)
{
    if (rc == EC_OK || !v || !d)
        return rc;
    char msg[sizeof d->msg];
    snprintf(msg, sizeof msg, "%s", d->msg);
    ec_cfgval_error(v, d, "%s", msg);
    d->code = rc;
    return rc;
}
