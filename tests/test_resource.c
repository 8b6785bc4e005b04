/* Resources and the fabric against hand-computed cases: FIFO, processor
 * sharing with jobs joining and leaving and a capacity change mid-job, the
 * sampled slowdown of compute, the batching window; flows through stages
 * with latencies; a copied fabric runs ahead without touching the original. */
#include "sim/engine/fabric.h"
#include "sim/engine/resource.h"

#include "testutil.h"

#include <check.h>
#include <math.h>
#include <string.h>
#include <stdlib.h>

/* A piecewise trace: values v[i] from starts t[i] (s), held after the last. */
static ec_trace *piecewise(const double *t_s, const double *v, size_t n, double len_s)
{
    int64_t st[8];
    for (size_t i = 0; i < n; i++)
        st[i] = llround(t_s[i] * 1e9);
    ec_trace *tr;
    ec_diag d;
    ck_assert_int_eq(ec_trace_new(st, v, n, llround(len_s * 1e9), EC_TRACE_HOLD, &tr, &d), EC_OK);
    return tr;
}

/* A capacity (or slowdown) of v for ever. */
static ec_trace *constant(double v)
{
    double t0 = 0;
    return piecewise(&t0, &v, 1, 1);
}

/* Step f until nothing is left to do. */
static void drain(ec_fabric *f)
{
    ec_diag d;
    while (ec_fabric_next_ns(f) != INT64_MAX)
        ck_assert_int_eq(ec_fabric_step(f, &d), EC_OK);
}

/* Finish times of the flows, by id. */
typedef struct done_log {
    int64_t t[16];
    int n;
} done_log;

static int log_done(void *ctx, uint32_t id, int64_t t)
{
    done_log *l = ctx;
    l->t[id] = t;
    l->n++;
    return EC_OK;
}

/* One-stage flows on resource 0 of f: (submit time s, work) each; run to
 * the end and return the finish times in l. */
static void run_jobs(ec_fabric *f, const double *at_s, const double *work, int n, done_log *l)
{
    ec_diag d;
    int next = 0;
    for (;;) {
        int64_t tf = ec_fabric_next_ns(f);
        int64_t ta = next < n ? llround(at_s[next] * 1e9) : INT64_MAX;
        if (tf == INT64_MAX && ta == INT64_MAX)
            break;
        if (ta < tf) {       /* a submission first (at a tie the fabric goes first) */
            ec_stage st = { 0, work[next], 0 };
            uint32_t id;
            ck_assert_int_eq(ec_fabric_start(f, ta, &st, 1, 0, 0, &id, &d), EC_OK);
            ck_assert_uint_eq(id, (uint32_t)next);  /* ids are handed out in order here */
            next++;
        } else {
            ck_assert_int_eq(ec_fabric_step(f, &d), EC_OK);
        }
    }
    ck_assert_int_eq(l->n, n);
}

/* A fabric of one resource of type with parameters p (may be NULL). */
static ec_fabric *one_with(const char *type, const ec_resource_params *p, const ec_trace *cap,
                           ec_cap_mode mode, done_log *l)
{
    ec_fabric *f = ec_fabric_new(1, log_done, l);
    ck_assert_ptr_nonnull(f);
    ec_diag d;
    ck_assert_int_eq(ec_resource_init(ec_fabric_resource(f, 0), ec_resource_find(type), p, "r",
                                      cap, mode, 1, &d), EC_OK);
    return f;
}

static ec_fabric *one(const char *type, const ec_trace *cap, ec_cap_mode mode, done_log *l)
{
    return one_with(type, NULL, cap, mode, l);
}

/* One resource over a constant capacity, its fabric and its log. */
typedef struct rig {
    ec_trace *cap;
    done_log l;
    ec_fabric *f;
} rig;

/* *g (in place: the fabric keeps &g->l) with one resource of type over a
 * capacity of cap for ever. */
static void rig_open(rig *g, const char *type, double cap, ec_cap_mode mode)
{
    g->cap = constant(cap);
    g->l = (done_log){ { 0 }, 0 };
    g->f = one(type, g->cap, mode, &g->l);
}

static void rig_close(rig *g)
{
    ec_fabric_free(g->f);
    ec_trace_free(g->cap);
}

/* A case worked by hand: n one-stage jobs (submitted at at_s[i] with
 * work[i]: bits on a link, work-ns on compute) on one resource over a
 * piecewise capacity; each must finish at want_ns[i]. */
typedef struct by_hand {
    const char *type;           /* the discipline */
    ec_cap_mode mode;           /* a link's capacity or a sampled slowdown */
    double cap_t[2], cap_v[2];  /* the capacity: values cap_v from starts cap_t (s) */
    size_t cap_n;               /* steps of it (1 or 2), held after the last */
    int64_t window_ns;          /* batch: the gathering window, */
    double gamma;               /* the extra cost of each further job */
    size_t batch_max;           /* and the most jobs in a batch (0: default) */
    int n;                      /* jobs */
    double at_s[4], work[4];
    int64_t want_ns[4];
} by_hand;

static const by_hand cases[] = {
    /* 8 Mbit/s.  A: 8e6 bits at 0 s; B: 2e6 bits at 0.5 s.  Alone until
     * 0.5 s A gets 4e6 bits; then each gets 4 Mbit/s: B is done 0.5 s later,
     * at 1.0 s, and A has 2e6 bits left, alone again: 0.25 s more, at 1.25 s. */
    { "ps", EC_CAP_INTEGRATE, { 0 }, { 8e6 }, 1, 0, 0, 0, 2, { 0, 0.5 }, { 8e6, 2e6 },
      { 1250000000, 1000000000 } },
    /* The same under FIFO: B waits for A: A at 1.0 s, B at 1.25 s. */
    { "fifo", EC_CAP_INTEGRATE, { 0 }, { 8e6 }, 1, 0, 0, 0, 2, { 0, 0.5 }, { 8e6, 2e6 },
      { 1000000000, 1250000000 } },
    /* Capacity 8 Mbit/s until 1 s, then 2 Mbit/s.  A: 10e6 bits at 0: 8e6
     * by 1 s, then 1 Mbit/s each from 1.5 s when B (0.5e6 bits) joins: A has
     * 1e6 left at 1.5 s; B is done at 2.0 s; A then has 0.5e6 left alone at
     * 2 Mbit/s: 2.25 s. */
    { "ps", EC_CAP_INTEGRATE, { 0, 1 }, { 8e6, 2e6 }, 2, 0, 0, 0, 2, { 0, 1.5 },
      { 10e6, 0.5e6 }, { 2250000000, 2000000000 } },
    /* Compute with a slowdown factor 1 until 1 s, then 2, read at the
     * resource's own events.  FIFO: a job of 1e9 work-ns starting at 0.5 s
     * runs at factor 1 to 1.5 s. */
    { "fifo", EC_CAP_SAMPLED, { 0, 1 }, { 1, 2 }, 2, 0, 0, 0, 1, { 0.5 }, { 1e9 },
      { 1500000000 } },
    /* PS: the same job; B (1e9) joins at 1.2 s: A has done 0.7e9, the factor
     * is now 2, each job gets 1/(2·2): A's 0.3e9 take 1.2 s, to 2.4 s; B has
     * done 0.3e9 by then and runs alone at factor 2: 1.4 s more, 3.8 s. */
    { "ps", EC_CAP_SAMPLED, { 0, 1 }, { 1, 2 }, 2, 0, 0, 0, 2, { 0.5, 1.2 }, { 1e9, 1e9 },
      { 2400000000, 3800000000 } },
    /* Batching, window 10 ms, gamma 0.5, at most 3 a batch, factor 1.  A
     * (4 ms) at 0 opens the window; B (2 ms) joins at 5 ms; the batch starts
     * at 10 ms and takes 4 + 0.5·2 = 5 ms: both at 15 ms.  C (6 ms) at 12 ms
     * waits and starts alone at 15 ms: 21 ms.  D (1 ms) at 16 ms waits for
     * C: 22 ms. */
    { "batch", EC_CAP_SAMPLED, { 0 }, { 1 }, 1, 10000000, 0.5, 3, 4,
      { 0, 0.005, 0.012, 0.016 }, { 4e6, 2e6, 6e6, 1e6 },
      { 15000000, 15000000, 21000000, 22000000 } },
    /* A full batch does not wait for the window: 2 at most, three jobs at 0.
     * Gamma 0: the batch costs its largest job; the third then runs alone at
     * once (it waited long enough). */
    { "batch", EC_CAP_SAMPLED, { 0 }, { 1 }, 1, 10000000, 0, 2, 3, { 0, 0, 0 },
      { 3e6, 3e6, 3e6 }, { 3000000, 3000000, 6000000 } },
};

START_TEST(jobs_by_hand)
{
    const by_hand *c = &cases[_i];
    ec_trace *cap = piecewise(c->cap_t, c->cap_v, c->cap_n, 2);
    done_log l = { { 0 }, 0 };
    ec_resource_params p = { .n = 0 };
    if (!strcmp(c->type, "batch")) {
        ck_assert_int_eq(ec_resource_params_add(&p, "batch_ms", (double)c->window_ns / 1e6),
                         EC_OK);
        ck_assert_int_eq(ec_resource_params_add(&p, "batch_gamma", c->gamma), EC_OK);
        if (c->batch_max)
            ck_assert_int_eq(ec_resource_params_add(&p, "batch_max", (double)c->batch_max),
                             EC_OK);
    }
    ec_fabric *f = one_with(c->type, &p, cap, c->mode, &l);
    ec_resource *r = ec_fabric_resource(f, 0);
    run_jobs(f, c->at_s, c->work, c->n, &l);
    for (int i = 0; i < c->n; i++)
        ck_assert_msg(l.t[i] == c->want_ns[i], "case %d (%s): job %d done at %lld ns; "
                      "expected %lld", _i, c->type, i, (long long)l.t[i],
                      (long long)c->want_ns[i]);
    ck_assert(r->completed == c->n);  /* the resource counts them all */
    /* Little's law by hand: the sojourns are the finish times above less the
     * submissions; over [0, last finish] the area under the number of jobs
     * present is their sum (the resource is empty at both ends), so L = λ·W */
    double sum_ns = 0;
    int64_t end = 0;
    for (int i = 0; i < c->n; i++) {
        sum_ns += (double)(c->want_ns[i] - llround(c->at_s[i] * 1e9));
        end = c->want_ns[i] > end ? c->want_ns[i] : end;
    }
    ec_little lt = ec_resource_little(r, end);
    ck_assert_double_eq_tol(lt.mean_sojourn_s, sum_ns / c->n / 1e9, 1e-15);
    ck_assert_double_eq_tol(lt.throughput_per_s, c->n / ((double)end / 1e9), 1e-12);
    ck_assert_double_eq_tol(lt.mean_jobs, sum_ns / (double)end, 1e-12);
    ck_assert_double_eq_tol(lt.mean_jobs, lt.throughput_per_s * lt.mean_sojourn_s, 1e-12);
    /* later, empty: L and λ fall with the longer time, W stays */
    ec_little later = ec_resource_little(r, 2 * end);
    ck_assert_double_eq_tol(later.mean_jobs, lt.mean_jobs / 2, 1e-12);
    ck_assert(later.mean_sojourn_s == lt.mean_sojourn_s);
    ec_fabric_free(f);
    ec_trace_free(cap);
}
END_TEST

/* Little's law with a job left over: FIFO at factor 1, A (1 s of work) at
 * 0 and B (1 s) at 0.5 s; at 1.5 s A is done (sojourn 1 s) and B has been
 * there 1 s.  The area is 0.5 + 2·0.5 + 0.5 = 2 job·s: L = 2/1.5; λ = 1/1.5,
 * W = 1 s; B adds L_open = 1/1.5. */
START_TEST(little_open_jobs)
{
    rig g;
    rig_open(&g, "fifo", 1, EC_CAP_SAMPLED);
    ec_diag d;
    uint32_t id;
    ec_stage st = { 0, 1e9, 0 };
    ck_assert_int_eq(ec_fabric_start(g.f, 0, &st, 1, 0, 0, &id, &d), EC_OK);
    ck_assert_int_eq(ec_fabric_start(g.f, 500000000, &st, 1, 0, 0, &id, &d), EC_OK);
    ck_assert_int_eq(ec_fabric_next_ns(g.f), 1000000000);
    ck_assert_int_eq(ec_fabric_step(g.f, &d), EC_OK);
    ec_little l = ec_resource_little(ec_fabric_resource(g.f, 0), 1500000000);
    ck_assert_double_eq_tol(l.mean_jobs, 2 / 1.5, 1e-12);
    ck_assert_double_eq_tol(l.throughput_per_s, 1 / 1.5, 1e-12);
    ck_assert_double_eq_tol(l.mean_sojourn_s, 1, 1e-12);
    ck_assert_double_eq_tol(l.mean_jobs_open, 1 / 1.5, 1e-12);
    ck_assert_double_eq_tol(l.mean_jobs, l.throughput_per_s * l.mean_sojourn_s + l.mean_jobs_open,
                            1e-12);
    rig_close(&g);
}
END_TEST

/* Two stages with a latency: a link (8 Mbit/s, 1e6 bits = 125 ms, then
 * 10 ms) and a pure delay of 5 ms: 140 ms; each stage's times recorded. */
START_TEST(flow_through_stages)
{
    rig g;
    rig_open(&g, "fifo", 8e6, EC_CAP_INTEGRATE);
    ec_stage st[2] = { { 0, 1e6, 10000000 }, { EC_NO_RESOURCE, 0, 5000000 } };
    uint32_t id;
    ec_diag d;
    ck_assert_int_eq(ec_fabric_start(g.f, 1000, st, 2, 7, 3, &id, &d), EC_OK);
    drain(g.f);
    const ec_flow *fl = ec_fabric_flow(g.f, id);
    ck_assert_int_eq(g.l.t[id], 1000 + 140000000);
    ck_assert_int_eq(fl->done_ns[0], 1000 + 125000000);
    ck_assert_int_eq(fl->exit_ns[0], 1000 + 135000000);
    ck_assert_int_eq(fl->exit_ns[1], 1000 + 140000000);
    ck_assert_uint_eq(fl->tag, 7);
    ck_assert_int_eq(fl->kind, 3);
    rig_close(&g);
}
END_TEST

/* A copy runs ahead (with an extra job) and leaves the original as it was:
 * the original then gives the same times as a fabric never copied. */
START_TEST(copy_runs_ahead_alone)
{
    ec_trace *cap = constant(8e6);
    done_log a = { { 0 }, 0 }, b = { { 0 }, 0 }, c = { { 0 }, 0 };
    ec_fabric *f = one("ps", cap, EC_CAP_INTEGRATE, &a);
    ec_fabric *copy = one("ps", cap, EC_CAP_INTEGRATE, &b);
    ec_diag d;
    ec_stage st = { 0, 8e6, 0 };
    uint32_t id;
    ck_assert_int_eq(ec_fabric_start(f, 0, &st, 1, 0, 0, &id, &d), EC_OK);
    ck_assert_int_eq(ec_fabric_copy(copy, f), EC_OK);
    st.work = 4e6;
    ck_assert_int_eq(ec_fabric_start(copy, 0, &st, 1, 0, 0, &id, &d), EC_OK);
    drain(copy);
    ck_assert_int_eq(b.t[0], 1500000000); /* 4e6 shared, then 4e6 alone */
    ck_assert_int_eq(b.t[1], 1000000000);
    drain(f);
    ck_assert_int_eq(a.n, 1);
    ck_assert_int_eq(a.t[0], 1000000000);
    ec_fabric *fresh = one("ps", cap, EC_CAP_INTEGRATE, &c);
    double at[] = { 0 }, work[] = { 8e6 };
    run_jobs(fresh, at, work, 1, &c);
    ck_assert_int_eq(c.t[0], a.t[0]);
    ec_fabric_free(fresh);
    ec_fabric_free(copy);
    ec_fabric_free(f);
    ec_trace_free(cap);
}
END_TEST

/* A link whose capacity is zero forever never serves: an error, not a hang. */
START_TEST(zero_capacity_is_an_error)
{
    rig g;
    rig_open(&g, "ps", 0, EC_CAP_INTEGRATE);
    ec_stage st = { 0, 8, 0 };
    uint32_t id;
    ec_diag d;
    ck_assert_int_eq(ec_fabric_start(g.f, 0, &st, 1, 0, 0, &id, &d), EC_ETRACE);
    ck_assert_msg(strstr(d.msg, "never ends") != NULL, "%s", d.msg);
    rig_close(&g);
}
END_TEST

/* A discipline's parameters: the type reads its own, refuses names it does
 * not declare and values out of range, naming the resource. */
START_TEST(params_checked_by_type)
{
    double t0 = 0, v = 1;
    ec_trace *one_x = piecewise(&t0, &v, 1, 1);
    ec_resource r = { 0 };
    ec_diag d = { 0 };
    ec_resource_params p = { { { "batch_ms", 1 } }, 1 };
    ck_assert_int_eq(ec_resource_init(&r, ec_resource_find("fifo"), &p, "edge", one_x,
                                      EC_CAP_SAMPLED, 0, &d), EC_ECONFIG);
    ck_assert_str_eq(d.msg, "edge: the 'fifo' discipline has no parameter 'batch_ms'");
    ck_assert_ptr_null(r.state);
    ec_resource_params bad = { { { "batch_max", 2.5 } }, 1 };
    ck_assert_int_eq(ec_resource_init(&r, ec_resource_find("batch"), &bad, "edge", one_x,
                                      EC_CAP_SAMPLED, 0, &d), EC_ERANGE);
    ck_assert_msg(strstr(d.msg, "edge: batch_max 2.5 is out of range") == d.msg, "%s", d.msg);
    ck_assert_ptr_null(r.state);
    /* a full list says so */
    ec_resource_params full = { .n = 0 };
    for (int i = 0; i < EC_RESOURCE_MAX_PARAMS; i++)
        ck_assert_int_eq(ec_resource_params_add(&full, "batch_ms", i), EC_OK);
    ck_assert_int_eq(ec_resource_params_add(&full, "batch_ms", 0), EC_ERANGE);
    ck_assert(ec_resource_param_get(&full, "batch_ms", -1) == EC_RESOURCE_MAX_PARAMS - 1);
    ck_assert(ec_resource_param_get(&full, "batch_max", -1) == -1);
    ck_assert(ec_resource_param_get(NULL, "batch_max", 7) == 7);
    ec_trace_free(one_x);
}
END_TEST

/* A copy holds the private state exactly, into a resource of the same type
 * or of another one (or none): a batch copied mid-window and a processor-
 * sharing server copied mid-service finish as their originals do. */
START_TEST(copy_private_state)
{
    double t0 = 0, v = 1;
    ec_trace *one_x = piecewise(&t0, &v, 1, 1);
    ec_diag d;
    ec_resource_params p = { { { "batch_ms", 10 }, { "batch_max", 3 }, { "batch_gamma", 0.5 } },
                             3 };
    const char *types[] = { "batch", "ps" };
    for (int k = 0; k < 2; k++) {
        done_log a = { { 0 }, 0 }, b = { { 0 }, 0 }, c = { { 0 }, 0 };
        ec_fabric *f = one_with(types[k], k ? NULL : &p, one_x, EC_CAP_SAMPLED, &a);
        ec_fabric *same = one_with(types[k], k ? NULL : &p, one_x, EC_CAP_SAMPLED, &b);
        ec_fabric *other = one("fifo", one_x, EC_CAP_SAMPLED, &c);
        ec_stage st[2] = { { 0, 4e6, 0 }, { 0, 2e6, 0 } };
        uint32_t id;
        ck_assert_int_eq(ec_fabric_start(f, 0, &st[0], 1, 0, 0, &id, &d), EC_OK);
        ck_assert_int_eq(ec_fabric_start(f, 5000000, &st[1], 1, 0, 0, &id, &d), EC_OK);
        ck_assert_int_eq(ec_fabric_copy(same, f), EC_OK);
        ck_assert_int_eq(ec_fabric_copy(other, f), EC_OK);
        const ec_resource *r = ec_fabric_resource(f, 0), *r2 = ec_fabric_resource(other, 0);
        ck_assert_ptr_eq(r2->type, r->type);
        ck_assert_ptr_ne(r2->state, r->state);
        ck_assert_int_eq(memcmp(r2->state, r->state, r->type->size), 0);
        ec_fabric *all[3] = { f, same, other };
        for (int i = 0; i < 3; i++)
            while (ec_fabric_next_ns(all[i]) != INT64_MAX)
                ck_assert_int_eq(ec_fabric_step(all[i], &d), EC_OK);
        ck_assert_int_eq(a.n, 2);
        for (int j = 0; j < 2; j++) {
            ck_assert_int_eq(b.t[j], a.t[j]);
            ck_assert_int_eq(c.t[j], a.t[j]);
        }
        if (k == 0)     /* the batch at 10 ms: 4 + 0.5·2 ms */
            ck_assert_int_eq(a.t[0], 15000000);
        for (int i = 0; i < 3; i++)
            ec_fabric_free(all[i]);
    }
    /* into zeroed storage, and back to a plain FIFO */
    ec_resource r = { 0 }, z = { 0 }, fifo = { 0 };
    ck_assert_int_eq(ec_resource_init(&r, ec_resource_find("batch"), &p, "b", one_x,
                                      EC_CAP_SAMPLED, 0, &d), EC_OK);
    ck_assert_int_eq(r.type->submit(&r, 0, 1, 1e6, &d), EC_OK);
    ck_assert_int_eq(ec_resource_copy(&z, &r), EC_OK);
    ck_assert_int_eq(z.n, 1);
    ck_assert_int_eq(z.jobs[0].id, 1);
    ck_assert_int_eq(z.next_ns, 10000000);
    ck_assert_int_eq(memcmp(z.state, r.state, r.type->size), 0);
    ck_assert_int_eq(ec_resource_init(&fifo, ec_resource_find("fifo"), NULL, "f", one_x,
                                      EC_CAP_SAMPLED, 0, &d), EC_OK);
    ck_assert_int_eq(ec_resource_copy(&z, &fifo), EC_OK);
    ck_assert_ptr_null(z.state);
    ck_assert_int_eq(z.n, 0);
    ec_resource_clear(&r);
    ec_resource_clear(&z);
    ec_resource_clear(&fifo);
    ec_trace_free(one_x);
}
END_TEST

START_TEST(registry)
{
    static const char *const known[] = { "fifo", "ps", "batch" };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        ck_assert_ptr_nonnull(ec_resource_find(known[i]));
    ck_assert_ptr_null(ec_resource_find("lifo"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("resource");
    TCase *tc = tcase_create("by hand");
    tcase_add_loop_test(tc, jobs_by_hand, 0, (int)(sizeof cases / sizeof *cases));
    tcase_add_test(tc, little_open_jobs);
    tcase_add_test(tc, flow_through_stages);
    tcase_add_test(tc, copy_runs_ahead_alone);
    tcase_add_test(tc, zero_capacity_is_an_error);
    tcase_add_test(tc, params_checked_by_type);
    tcase_add_test(tc, copy_private_state);
    tcase_add_test(tc, registry);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
