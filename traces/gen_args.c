/* gen_args: the generator registry, parameter parsing and the grid helper
 * shared by the generators (see gen.h). */
#include "traces/gen.h"
#include "sim/base/suggest.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Longest generated trace, seconds: ns counts must fit in int64. */
#define GEN_MAX_S 4.6e9

/* Most steps a generation makes (keeps memory sane). */
#define GEN_MAX_STEPS EC_TRACE_MAX_MADE_SEGMENTS

extern const ec_gen_type ec_gen_constant, ec_gen_step, ec_gen_markov, ec_gen_ar1,
    ec_gen_walk, ec_gen_markov_ar1_type;

const ec_gen_type *const ec_gen_types[] = {
    &ec_gen_constant, &ec_gen_step, &ec_gen_markov, &ec_gen_ar1, &ec_gen_walk,
    &ec_gen_markov_ar1_type, NULL,
};

const ec_gen_param ec_gen_common_params[] = {
    { "duration_s", "600", "length of the generated trace (it loops), s" },
    { "step_s", "1", "time step: one value per step, s" },
    { NULL, NULL, NULL },
};

const ec_gen_type *ec_gen_find(const char *name)
{
    for (size_t i = 0; name && ec_gen_types[i]; i++)
        if (strcmp(ec_gen_types[i]->name, name) == 0)
            return ec_gen_types[i];
    return NULL;
}

const char *ec_gen_hint(const char *name, char *buf, size_t n)
{
    ec_suggest sg = EC_SUGGEST_INIT(name);
    for (size_t i = 0; ec_gen_types[i]; i++)
        ec_suggest_add(&sg, ec_gen_types[i]->name);
    return ec_suggest_hint(&sg, buf, n);
}

static const ec_gen_param *in_list(const ec_gen_param *p, const char *name)
{
    for (; p && p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

const ec_gen_param *ec_gen_param_find(const ec_gen_type *t, const char *name)
{
    const ec_gen_param *p = in_list(t->params, name);
    return p ? p : in_list(ec_gen_common_params, name);
}

static const ec_gen_arg *given(const ec_gen_args *a, const char *name)
{
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i].name, name) == 0)
            return &a->v[i];
    return NULL;
}

int ec_gen_given(const ec_gen_args *a, const char *name)
{
    return given(a, name) != NULL;
}

const char *ec_gen_text(const ec_gen_args *a, const char *name)
{
    const ec_gen_arg *g = given(a, name);
    if (g)
        return g->value;
    const ec_gen_param *p = ec_gen_param_find(a->type, name);
    return p ? p->def : "";
}

int ec_gen_error(const ec_gen_args *a, const char *name, ec_diag *d,
                 const char *fmt, ...)
{
    const ec_gen_arg *g = given(a, name);
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ec_diag_set(d, EC_ETRACE, g ? g->file : NULL, g ? g->line : 0,
                       "%s%s = '%s' (generator %s): %s", a->key_prefix ? a->key_prefix : "",
                       name, ec_gen_text(a, name), a->type->name, msg);
}

/* Parse one number of a list element [s, e). */
static int parse_num(const char *s, const char *e, double *v)
{
    char buf[64];
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    if (e == s || (size_t)(e - s) >= sizeof buf)
        return -1;
    memcpy(buf, s, (size_t)(e - s));
    buf[e - s] = '\0';
    char *end;
    *v = strtod(buf, &end);
    return *end == '\0' ? 0 : -1;
}

int ec_gen_double(const ec_gen_args *a, const char *name, double lo, double hi,
                  double *out, ec_diag *d)
{
    const char *s = ec_gen_text(a, name);
    if (parse_num(s, s + strlen(s), out) != 0 || !(*out >= lo && *out <= hi))
        return ec_gen_error(a, name, d, "expected a number in [%g, %g]", lo, hi);
    return EC_OK;
}

int ec_gen_list(const ec_gen_args *a, const char *name, double lo, double hi,
                double *out, size_t max, size_t *n, size_t *rows, ec_diag *d)
{
    const char *s = ec_gen_text(a, name);
    *n = 0;
    if (rows)
        *rows = 0;
    if (strspn(s, " \t") == strlen(s))
        return EC_OK;
    for (const char *p = s;;) {
        const char *e = p + strcspn(p, rows ? ",;" : ",");
        if (*n == max)
            return ec_gen_error(a, name, d, "more than %zu numbers; expected at most %zu",
                                max, max);
        if (parse_num(p, e, &out[*n]) != 0 || !(out[*n] >= lo && out[*n] <= hi))
            return ec_gen_error(a, name, d, "expected numbers in [%g, %g] separated "
                                "by ','%s", lo, hi, rows ? " (rows by ';')" : "");
        (*n)++;
        if (rows && (*e == ';' || *e == '\0'))
            (*rows)++;
        if (*e == '\0')
            return EC_OK;
        p = e + 1;
    }
}

int ec_gen_grid_trace(const ec_gen_grid *g, const double *values, ec_trace **out,
                      ec_diag *d)
{
    int64_t *start = malloc(g->n * sizeof *start);
    double *value = malloc(g->n * sizeof *value);
    size_t n = 0;
    int rc = EC_OK;
    *out = NULL;
    if (!start || !value)
        rc = ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; rc == EC_OK && i < g->n; i++) {
        if (!(isfinite(values[i]) && values[i] >= 0))
            rc = ec_diag_set(d, EC_ETRACE, NULL, 0, "generated value %g at step %zu; "
                             "expected a finite value >= 0 (smaller sigma?)", values[i], i);
        else if (n == 0 || value[n - 1] != values[i]) {
            start[n] = (int64_t)i * g->step_ns;
            value[n++] = values[i];
        }
    }
    if (rc == EC_OK)
        rc = ec_trace_new(start, value, n, g->length_ns, EC_TRACE_LOOP, out, d);
    free(start);
    free(value);
    return rc;
}

int ec_gen_run(const ec_gen_type *t, ec_gen_args *a, gsl_rng *rng,
               ec_trace **out, ec_diag *d)
{
    *out = NULL;
    a->type = t;
    for (size_t i = 0; i < a->n; i++) {
        if (!ec_gen_param_find(t, a->v[i].name)) {
            ec_suggest sg = EC_SUGGEST_INIT(a->v[i].name);
            for (const ec_gen_param *p = t->params; p && p->name; p++)
                ec_suggest_add(&sg, p->name);
            for (const ec_gen_param *p = ec_gen_common_params; p->name; p++)
                ec_suggest_add(&sg, p->name);
            char hint[128];
            return ec_diag_set(d, EC_ETRACE, a->v[i].file, a->v[i].line,
                               "unknown parameter '%s%s' of generator %s; see "
                               "`edgecut trace gen %s --help`%s", a->key_prefix ? a->key_prefix : "",
                               a->v[i].name, t->name, t->name,
                               ec_suggest_hint(&sg, hint, sizeof hint));
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(a->v[j].name, a->v[i].name) == 0)
                return ec_diag_set(d, EC_ETRACE, a->v[i].file, a->v[i].line,
                                   "%s%s = '%s' (generator %s): given twice; expected once",
                                   a->key_prefix ? a->key_prefix : "", a->v[i].name,
                                   a->v[i].value, t->name);
    }
    double dur, step;
    int rc;
    if ((rc = ec_gen_double(a, "duration_s", 1e-9, GEN_MAX_S, &dur, d)) ||
        (rc = ec_gen_double(a, "step_s", 1e-9, GEN_MAX_S, &step, d)))
        return rc;
    ec_gen_grid g = { .step_ns = llround(step * 1e9), .length_ns = llround(dur * 1e9) };
    int64_t steps = g.length_ns / g.step_ns + (g.length_ns % g.step_ns != 0);
    if (steps > GEN_MAX_STEPS)
        return ec_gen_error(a, "step_s", d, "%lld steps; expected at most %lld (a longer "
                            "step or a shorter duration)", (long long)steps,
                            (long long)GEN_MAX_STEPS);
    g.n = (size_t)steps;
    return t->run(a, &g, rng, out, d);
}
