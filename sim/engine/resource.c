/* resource: what the disciplines share (see resource.h). */
#include "sim/engine/resource.h"

#include "sim/base/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const ec_resource_type ec_resource_fifo, ec_resource_ps, ec_resource_batch;

const ec_resource_type *const ec_resource_types[] = {
    &ec_resource_fifo, &ec_resource_ps, &ec_resource_batch, NULL,
};

const ec_resource_type *ec_resource_find(const char *name)
{
    for (size_t i = 0; ec_resource_types[i]; i++)
        if (strcmp(ec_resource_types[i]->name, name) == 0)
            return ec_resource_types[i];
    return NULL;
}

/* 1 if the type declares parameter name. */
static int declares(const ec_resource_type *type, const char *name)
{
    for (size_t i = 0; type->params && type->params[i]; i++)
        if (strcmp(type->params[i], name) == 0)
            return 1;
    return 0;
}

int ec_resource_init(ec_resource *r, const ec_resource_type *type,
                     const ec_resource_params *params, const char *name,
                     const ec_trace *trace, ec_cap_mode mode, int is_link, ec_diag *d)
{
    memset(r, 0, sizeof *r);
    r->type = type;
    snprintf(r->name, sizeof r->name, "%s", name);
    r->trace = trace;
    r->mode = mode;
    r->is_link = is_link;
    r->next_ns = INT64_MAX;
    r->factor = ec_trace_value(trace, 0);
    if (params && params->n > EC_RESOURCE_MAX_PARAMS)
        return ec_diag_set(d, EC_ECONFIG, NULL, 0, "%s: %zu parameters; a resource takes at "
                           "most %d", r->name, params->n, EC_RESOURCE_MAX_PARAMS);
    for (size_t i = 0; params && i < params->n; i++)
        if (!params->p[i].name || !declares(type, params->p[i].name))
            return ec_diag_set(d, EC_ECONFIG, NULL, 0, "%s: the '%s' discipline has no "
                               "parameter '%s'", r->name, type->name,
                               params->p[i].name ? params->p[i].name : "(null)");
    if (type->size && !(r->state = calloc(1, type->size)))
        return EC_ENOMEM;
    int rc = type->init ? type->init(r, params, d) : EC_OK;
    if (rc)
        ec_resource_clear(r);
    return rc;
}

/* Release r's private state (the block and what it owns). */
static void clear_state(ec_resource *r)
{
    if (r->state && r->type->clear)
        r->type->clear(r->state);
    free(r->state);
    r->state = NULL;
}

void ec_resource_clear(ec_resource *r)
{
    clear_state(r);
    free(r->jobs);
    r->jobs = NULL;
    r->n = r->cap = 0;
}

/* Make dst ready to take a copy of src: a zeroed private state of src's
 * type when dst was set up as another (or not at all), room for src's
 * jobs.  Off the copy's fast path. */
static int make_room(ec_resource *dst, const ec_resource *src)
{
    const ec_resource_type *type = src->type;
    if (dst->type != type) {
        clear_state(dst);
        dst->type = type;
        if (type && type->size && !(dst->state = calloc(1, type->size)))
            return EC_ENOMEM;
    }
    return ec_grow((void **)&dst->jobs, &dst->cap, src->n, sizeof *dst->jobs);
}

/* The private state block dst (of src's type) made a copy of src's. */
static int copy_state(void *dst, const ec_resource *src)
{
    if (src->type->copy)
        return src->type->copy(dst, src->state);
    memcpy(dst, src->state, src->type->size);
    return EC_OK;
}

/* The snapshot's hot path: one type test beyond the plain struct copy. */
int ec_resource_copy(ec_resource *dst, const ec_resource *src)
{
    if ((dst->type != src->type || dst->cap < src->n) && make_room(dst, src))
        return EC_ENOMEM;
    ec_rjob *jobs = dst->jobs;
    size_t cap = dst->cap;
    void *state = dst->state;
    *dst = *src;
    dst->jobs = jobs;
    dst->cap = cap;
    dst->state = state;
    if (src->n)
        memcpy(jobs, src->jobs, src->n * sizeof *jobs);
    return state ? copy_state(state, src) : EC_OK;
}

int ec_resource_params_add(ec_resource_params *p, const char *name, double value)
{
    if (p->n >= EC_RESOURCE_MAX_PARAMS)
        return EC_ERANGE;
    p->p[p->n++] = (ec_resource_param){ name, value };
    return EC_OK;
}

double ec_resource_param_get(const ec_resource_params *p, const char *name, double def)
{
    for (size_t i = p ? p->n : 0; i-- > 0;)
        if (strcmp(p->p[i].name, name) == 0)
            return p->p[i].value;
    return def;
}

int ec_resource_push(ec_resource *r, int64_t now, uint32_t id, double work)
{
    if (r->n == r->cap && ec_grow((void **)&r->jobs, &r->cap, r->n + 1, sizeof *r->jobs))
        return EC_ENOMEM;
    r->jobs[r->n++] = (ec_rjob){ id, work, work, now, -1 };
    return EC_OK;
}

int ec_resource_finish_ns(ec_resource *r, int64_t from, double work, double share,
                          int64_t *end, ec_diag *d)
{
    double need = work * share;
    if (ec_resource_end_ns(r, from, need, end))
        return EC_OK;
    if (r->mode == EC_CAP_SAMPLED) {
        double f = ec_resource_factor(r, from);
        const char *src = ec_trace_label(r->trace);
        return ec_diag_set(d, EC_ERANGE, NULL, 0,
                           "%s: a job of %.6g ns at slowdown %g would end past the "
                           "simulated clock's range (2^63 ns)%s%s%s", r->name, work, f,
                           *src ? " (its slowdown: " : "", src, *src ? ")" : "");
    }
    const char *src = ec_trace_label(r->trace);
    /* a capacity that never returns, or one so low that the end does not fit */
    int64_t len = ec_trace_length_ns(r->trace);
    int ever = ec_trace_end_policy(r->trace) == EC_TRACE_HOLD
                   ? ec_trace_value(r->trace, from > len ? from : len) > 0
                   : ec_trace_max(r->trace) > 0;
    if (ever)
        return ec_diag_set(d, EC_ERANGE, NULL, 0,
                           r->is_link ? "%s: a transfer of %.0f bytes at %.3g bit/s would "
                                        "end past the simulated clock's range (2^63 ns)%s%s%s"
                                      : "%s: a job of %.0f ns at capacity %.3g would end "
                                        "past the simulated clock's range (2^63 ns)%s%s%s",
                           r->name, r->is_link ? work / 8 : work,
                           ec_trace_value(r->trace, from),
                           *src ? " (its capacity: " : "", src, *src ? ")" : "");
    int64_t zero_from = from;  /* a held trace: where its last zero stretch starts */
    for (size_t i = ec_trace_segments(r->trace); i-- > 0;) {
        int64_t start;
        double v;
        if (ec_trace_end_policy(r->trace) != EC_TRACE_HOLD ||
            ec_trace_segment(r->trace, i, &start, NULL, &v) || v > 0)
            break;
        if (start > zero_from)
            zero_from = start;
    }
    char started[64] = "";
    if (zero_from > from)
        snprintf(started, sizeof started, " started at t = %.3f s", (double)from / 1e9);
    return ec_diag_set(d, EC_ETRACE, NULL, 0,
                       r->is_link ? "the %s capacity is zero from t = %.3f s on: "
                                    "a transfer of %.0f bytes%s never ends%s%s%s"
                                  : "the %s capacity is zero from t = %.3f s on: "
                                    "a job of %.0f ns%s never ends%s%s%s",
                       r->name, (double)zero_from / 1e9, r->is_link ? work / 8 : work,
                       started, *src ? " (its capacity: " : "", src, *src ? ")" : "");
}

double ec_resource_served(const ec_resource *r, int64_t t0, int64_t t1, size_t n)
{
    if (n == 0 || t1 <= t0)
        return 0;
    if (r->mode == EC_CAP_SAMPLED)
        return (double)(t1 - t0) / r->factor / (double)n;
    ec_trace_cursor c = r->cur;   /* the hint, read only */
    return ec_trace_integral_at(r->trace, &c, t0, t1) / (double)n;
}

double ec_resource_work_s(const ec_resource *r, int64_t t, double work)
{
    double c = ec_trace_value(r->trace, t);
    if (r->mode == EC_CAP_SAMPLED)
        return work * c / 1e9;
    return c > 0 ? work / c : INFINITY;
}

void ec_resource_drop_front(ec_resource *r, size_t k)
{
    memmove(r->jobs, r->jobs + k, (r->n - k) * sizeof *r->jobs);
    r->n -= k;
    r->completed += (double)k;
}

void ec_resource_tick(ec_resource *r, int64_t t)
{
    if (r->serving)
        r->busy_ns += t - r->t_ns;
    r->area += (double)(int64_t)r->n * (double)(t - r->t_ns);   /* Little: jobs x time */
    r->t_ns = t;
    if (r->mode == EC_CAP_SAMPLED)
        r->factor = ec_resource_factor(r, t);
}

double ec_resource_utilisation(const ec_resource *r, int64_t end_ns)
{
    if (end_ns <= 0)
        return 0;
    int64_t busy = r->busy_ns + (r->serving && end_ns > r->t_ns ? end_ns - r->t_ns : 0);
    return (double)busy / (double)end_ns;
}

ec_little ec_resource_little(const ec_resource *r, int64_t end_ns)
{
    ec_little l = { 0, 0, 0, 0 };
    if (end_ns <= 0)
        return l;
    for (size_t i = 0; i < r->n; i++)
        l.mean_jobs_open += (double)(end_ns - r->jobs[i].submit_ns) / (double)end_ns;
    double area = r->area + (end_ns > r->t_ns ? (double)r->n * (double)(end_ns - r->t_ns) : 0);
    l.mean_jobs = area / (double)end_ns;
    l.throughput_per_s = r->completed / ((double)end_ns / 1e9);
    l.mean_sojourn_s = r->completed > 0 ? r->sojourn_ns / r->completed / 1e9 : 0;
    return l;
}
