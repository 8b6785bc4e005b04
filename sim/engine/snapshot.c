/* snapshot: the regret snapshot evaluated on a view (see snapshot.h). */
#include "sim/engine/snapshot.h"

#include "sim/base/text.h"
#include "sim/engine/world.h"

#include <stdlib.h>
#include <string.h>

/* A job entering the view K from upstream at t, at its stage `stage`. */
typedef struct inject {
    int64_t t;
    uint32_t id;
    int stage;
} inject;

struct ec_snapview {
    size_t n_res;
    const ec_resource_type *fifo;
    unsigned char *view;      /* [n_res] K of the current frame */
    int32_t k_res[EC_FLOW_STAGES]; /* the resources marked in view */
    int n_k;
    ec_fabric *base, *fork;   /* K without the candidate; a copy of it with the candidate */
    uint32_t target;          /* the candidate's flow id in fork */
    int64_t done_ns;          /* its completion, -1 until then */
    int from;                 /* the first stage of a route in K: 2 (the edge) on own
                                 uplinks, 1 (the cell) on a shared cell uplink */
    const ec_flow *flows;     /* the world fabric's flows by id, this frame */
    uint32_t stamp;           /* frame counter: per-resource and per-flow marks are valid
                                 when they equal it */
    /* per resource, valid when rstamp == stamp */
    uint32_t *rstamp;
    size_t *pend;             /* live flows that will still arrive at it */
    int64_t *last_end;        /* end of the last job of its FIFO chain; INT64_MIN: none */
    uint32_t *chained;        /* == stamp: present jobs chained */
    uint32_t *extended;       /* == stamp: arrivals from its feeder chained */
    int32_t *feeder;          /* that feeder */
    /* per flow id, grown to the fabric's slots */
    size_t cap_f;
    uint32_t *freemark;       /* == stamp: the slot is free */
    uint32_t *inres;          /* == stamp: the flow is in its current resource's jobs */
    int64_t *end_cur;         /* its end at its current resource (FIFO chain) */
    int64_t *end_next;        /* its end at its next resource (an extended chain) */
    /* FIFO ends cached across frames: a job's end at a FIFO resource is fixed
     * once it is queued there (nothing ever gets ahead of it), and so is its
     * end at the next FIFO resource when no message can arrive there first
     * (no coordinator).  Valid while the flow is where the key says. */
    int cache_next;           /* 1: end_next may be cached (no messages in this world) */
    int64_t *key_enter;       /* when the flow entered the stage the cache is for */
    int64_t *key_birth;       /* when it entered its first stage (an id reused ...) */
    int32_t *key_res;         /* ... at the same stage and time is still another flow) */
    int32_t *key_cur;         /* that stage; -1: nothing cached */
    double *key_work;         /* its work there */
    int64_t *c_end, *c_next;  /* the cached ends; c_next INT64_MIN: not cached */
    /* lists */
    uint32_t *in_k, *live;    /* flows in K at t; flows in base (compacted per fork) */
    size_t n_in_k, n_live, cap_live;
    inject *inj;              /* [n_inj] the frame's injections: a heap on (t, id) ... */
    size_t n_inj, cap_inj;
    inject *ord;              /* ... popped in order into ord[0..n_ord) as far as needed
                                 (an overloaded world holds many that come too late to
                                 matter) */
    size_t n_ord, cap_ord;
    int64_t *te;              /* [actions] when the candidate reaches K; -1: no offload */
    size_t *order;            /* [actions] offloading actions by te */
    size_t cap_act;
};

static int on_done(void *ctx, uint32_t id, int64_t t)
{
    ec_snapview *s = ctx;
    if (id == s->target)
        s->done_ns = t;
    return EC_OK;
}

int ec_snapview_new(world *w, ec_snapview **out)
{
    *out = NULL;
    ec_snapview *s = calloc(1, sizeof *s);
    if (!s)
        return EC_ENOMEM;
    s->from = w->s->cell_up ? 1 : 2;
    size_t n = ec_fabric_n_resources(w->fab);
    s->n_res = n;
    s->fifo = ec_resource_find("fifo");
    s->cache_next = 1;                  /* no learner sends messages */
    for (size_t j = 0; j < w->s->n_groups; j++)
        if (w->s->groups[j].learner->coordinator)
            s->cache_next = 0;
    s->view = calloc(n, 1);
    s->rstamp = calloc(n, sizeof *s->rstamp);
    s->pend = calloc(n, sizeof *s->pend);
    s->last_end = calloc(n, sizeof *s->last_end);
    s->chained = calloc(n, sizeof *s->chained);
    s->extended = calloc(n, sizeof *s->extended);
    s->feeder = calloc(n, sizeof *s->feeder);
    s->base = ec_fabric_new(n, on_done, s);
    s->fork = ec_fabric_new(n, on_done, s);
    if (!s->view || !s->rstamp || !s->pend || !s->last_end || !s->chained || !s->extended ||
        !s->feeder || !s->base || !s->fork) {
        ec_snapview_free(s);
        return EC_ENOMEM;
    }
    ec_fabric_set_view(s->base, s->view);
    ec_fabric_set_view(s->fork, s->view);
    *out = s;
    return EC_OK;
}

void ec_snapview_free(ec_snapview *s)
{
    if (!s)
        return;
    free(s->view);
    free(s->rstamp);
    free(s->pend);
    free(s->last_end);
    free(s->chained);
    free(s->extended);
    free(s->feeder);
    ec_fabric_free(s->base);
    ec_fabric_free(s->fork);
    free(s->freemark);
    free(s->inres);
    free(s->end_cur);
    free(s->end_next);
    free(s->key_enter);
    free(s->key_birth);
    free(s->key_res);
    free(s->key_cur);
    free(s->key_work);
    free(s->c_end);
    free(s->c_next);
    free(s->in_k);
    free(s->live);
    free(s->inj);
    free(s->ord);
    free(s->te);
    free(s->order);
    free(s);
}

/* ---- per-frame marks ---------------------------------------------------- */

/* A new frame: a fresh stamp (all marks cleared when it wraps). */
static void next_stamp(ec_snapview *s)
{
    if (++s->stamp == 0) {
        memset(s->rstamp, 0, s->n_res * sizeof *s->rstamp);
        memset(s->chained, 0, s->n_res * sizeof *s->chained);
        memset(s->extended, 0, s->n_res * sizeof *s->extended);
        memset(s->freemark, 0, s->cap_f * sizeof *s->freemark);
        memset(s->inres, 0, s->cap_f * sizeof *s->inres);
        s->stamp = 1;
    }
}

/* Resource r's per-frame record, reset on first use in this frame. */
static void touch(ec_snapview *s, int32_t r)
{
    if (s->rstamp[r] != s->stamp) {
        s->rstamp[r] = s->stamp;
        s->pend[r] = 0;
        s->last_end[r] = INT64_MIN;
    }
}

/* Room for flow ids below n in the per-flow arrays. */
static int grow_flows(ec_snapview *s, size_t n)
{
    if (n <= s->cap_f)
        return EC_OK;
    size_t cap = s->cap_f, c2 = cap, c3 = cap, c4 = cap, c5 = cap, c6 = cap, c7 = cap, c8 = cap,
           c9 = cap, c10 = cap, c11 = cap, c12 = cap;
    if (ec_grow((void **)&s->key_enter, &c6, n, sizeof *s->key_enter) ||
        ec_grow((void **)&s->key_birth, &c11, n, sizeof *s->key_birth) ||
        ec_grow((void **)&s->key_res, &c12, n, sizeof *s->key_res) ||
        ec_grow((void **)&s->key_cur, &c7, n, sizeof *s->key_cur) ||
        ec_grow((void **)&s->key_work, &c8, n, sizeof *s->key_work) ||
        ec_grow((void **)&s->c_end, &c9, n, sizeof *s->c_end) ||
        ec_grow((void **)&s->c_next, &c10, n, sizeof *s->c_next) ||
        ec_grow((void **)&s->freemark, &cap, n, sizeof *s->freemark) ||
        ec_grow((void **)&s->inres, &c2, n, sizeof *s->inres) ||
        ec_grow((void **)&s->end_cur, &c3, n, sizeof *s->end_cur) ||
        ec_grow((void **)&s->end_next, &c4, n, sizeof *s->end_next) ||
        ec_grow((void **)&s->in_k, &c5, n, sizeof *s->in_k))
        return EC_ENOMEM;
    /* new marks are stale (0 never equals a live stamp) */
    memset(s->freemark + s->cap_f, 0, (cap - s->cap_f) * sizeof *s->freemark);
    memset(s->inres + s->cap_f, 0, (cap - s->cap_f) * sizeof *s->inres);
    for (size_t i = s->cap_f; i < cap; i++)
        s->key_cur[i] = -1;
    s->cap_f = cap;
    return EC_OK;
}

/* ---- FIFO chains upstream of K ------------------------------------------ */

/* 1 when flow id's cache is for where it is now (its stage, its entry
 * there and into its first stage, its resource and work there); else the
 * cache is reset to it. */
static int cached(ec_snapview *s, const ec_flow *fl, uint32_t id)
{
    int k = fl->cur;
    if (s->key_cur[id] == k && s->key_enter[id] == fl->enter_ns[k] &&
        s->key_birth[id] == fl->enter_ns[0] && s->key_res[id] == fl->st[k].res &&
        s->key_work[id] == fl->st[k].work)
        return 1;
    s->key_cur[id] = k;
    s->key_enter[id] = fl->enter_ns[k];
    s->key_birth[id] = fl->enter_ns[0];
    s->key_res[id] = fl->st[k].res;
    s->key_work[id] = fl->st[k].work;
    s->c_next[id] = INT64_MIN;
    return 0;
}

/* The ends of the jobs present at FIFO resource r, in order (each starts
 * when the one before ends, at the resource's rule): 0, or -1 when r is not
 * FIFO or a finish fails. */
static int chain(ec_snapview *s, ec_fabric *fab, int32_t r)
{
    if (s->chained[r] == s->stamp)
        return 0;
    ec_resource *res = ec_fabric_resource(fab, (size_t)r);
    if (res->type != s->fifo)
        return -1;
    touch(s, r);
    int64_t end = INT64_MIN;
    for (size_t k = 0; k < res->n; k++) {
        const ec_rjob *j = &res->jobs[k];
        if (k == 0)
            end = res->next_ns;
        else if (cached(s, &s->flows[j->id], j->id))
            end = s->c_end[j->id];
        else if (ec_resource_finish_ns(res, end, j->work, 1, &end, NULL)) {
            s->key_cur[j->id] = -1;
            return -1;
        } else
            s->c_end[j->id] = end;
        s->end_cur[j->id] = end;
        s->inres[j->id] = s->stamp;
    }
    s->last_end[r] = end;
    s->chained[r] = s->stamp;
    return 0;
}

/* FIFO resource u after its present jobs takes, in order, the jobs of
 * FIFO resource c (chained) whose next stage it is, each when c is done
 * with it plus the stage's delay: their ends at u to end_next.  0; -1 when
 * u has other arrivals to come (its pend count), another feeder, or a
 * finish fails. */
static int extend(ec_snapview *s, ec_fabric *fab, int32_t u, int32_t c)
{
    if (chain(s, fab, u))
        return -1;
    if (s->extended[u] == s->stamp)
        return s->feeder[u] == c ? 0 : -1;
    const ec_resource *cr = ec_fabric_resource(fab, (size_t)c);
    ec_resource *ur = ec_fabric_resource(fab, (size_t)u);
    int64_t last = s->last_end[u];
    size_t count = 0;
    for (size_t k = 0; k < cr->n; k++) {
        const ec_flow *fl = &s->flows[cr->jobs[k].id];
        if (fl->cur + 1 >= fl->n || fl->st[fl->cur + 1].res != u)
            continue;
        uint32_t id = cr->jobs[k].id;
        int64_t arr = s->end_cur[id] + fl->st[fl->cur].after_ns;
        int64_t start = arr > last ? arr : last;
        if (s->cache_next && cached(s, fl, id) && s->c_next[id] != INT64_MIN)
            last = s->c_next[id];
        else if (ec_resource_finish_ns(ur, start, fl->st[fl->cur + 1].work, 1, &last, NULL))
            return -1;
        else if (s->cache_next)
            s->c_next[id] = last;
        s->end_next[id] = last;
        count++;
    }
    if (count != s->pend[u])
        return -1;
    s->last_end[u] = last;
    s->extended[u] = s->stamp;
    s->feeder[u] = c;
    return 0;
}

/* The candidate's own FIFO uplink u fed by its CPU c: its chain, extended
 * by the jobs still on c when there are any to come.  0 or -1. */
static int extend_own(ec_snapview *s, ec_fabric *fab, int32_t u, int32_t c)
{
    if (chain(s, fab, u))
        return -1;
    return s->pend[u] ? extend(s, fab, u, c) : 0;
}

/* ---- the frame's view and its injections -------------------------------- */

static int in_view(const ec_snapview *s, int32_t r)
{
    return r != EC_NO_RESOURCE && s->view[r];
}

/* The first stage from `from` on in K, or -1; -2 when the route leaves K
 * and comes back (the view could not follow it). */
static int first_in_view(const ec_snapview *s, const ec_flow *fl, int from)
{
    int first = -1;
    for (int j = from; j < fl->n; j++) {
        if (in_view(s, fl->st[j].res)) {
            if (first >= 0 && !in_view(s, fl->st[j - 1].res))
                return -2;
            if (first < 0)
                first = j;
        }
    }
    return first;
}

/* When live flow id (upstream of K, its first stage in K is kb) enters K:
 * an injection, or -1 when this evaluator does not cover its position. */
static int injection(ec_snapview *s, ec_fabric *fab, uint32_t id, int kb)
{
    const ec_flow *fl = &s->flows[id];
    int32_t r = fl->st[fl->cur].res;
    if (r == EC_NO_RESOURCE || chain(s, fab, r))
        return -1;
    int64_t t;
    if (s->inres[id] != s->stamp) {         /* done at r, in the stage's delay */
        if (kb != fl->cur + 1)
            return -1;
        t = fl->exit_ns[fl->cur];
    } else if (kb == fl->cur + 1) {
        t = s->end_cur[id] + fl->st[fl->cur].after_ns;
    } else if (kb == fl->cur + 2) {
        int32_t u = fl->st[fl->cur + 1].res;
        if (u == EC_NO_RESOURCE || extend(s, fab, u, r))
            return -1;
        t = s->end_next[id] + fl->st[fl->cur + 1].after_ns;
    } else
        return -1;
    if (s->n_inj == s->cap_inj &&
        ec_grow((void **)&s->inj, &s->cap_inj, s->n_inj + 1, sizeof *s->inj))
        return -2;
    s->inj[s->n_inj++] = (inject){ t, id, kb };
    return 0;
}

/* Heap order of injections: earlier first (ties by id; an equal time is a
 * fallback anyway). */
static int inj_before(const inject *x, const inject *y)
{
    return x->t < y->t || (x->t == y->t && x->id < y->id);
}

static void inj_sift_down(inject *h, size_t n, size_t i)
{
    inject x = h[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && inj_before(&h[c + 1], &h[c]))
            c++;
        if (!inj_before(&h[c], &x))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

/* The i-th injection in time order, or NULL when there are fewer. */
static const inject *inj_get(ec_snapview *s, size_t i)
{
    while (s->n_ord <= i && s->n_inj > 0) {
        s->ord[s->n_ord++] = s->inj[0];
        s->inj[0] = s->inj[--s->n_inj];
        if (s->n_inj)
            inj_sift_down(s->inj, s->n_inj, 0);
    }
    return i < s->n_ord ? &s->ord[i] : NULL;
}

/* Mark K (the resources of route st from stage `from` on) in the view. */
static void set_view(ec_snapview *s, const ec_stage *st, int n, int from)
{
    for (int i = 0; i < s->n_k; i++)
        s->view[s->k_res[i]] = 0;
    s->n_k = 0;
    for (int j = from; j < n; j++)
        if (st[j].res != EC_NO_RESOURCE && !s->view[st[j].res]) {
            s->view[st[j].res] = 1;
            s->k_res[s->n_k++] = st[j].res;
        }
}

/* Every live flow of fab: the pending arrivals of each resource, the flows
 * in K (in_k) and the injections of those upstream of it.  0; -1: not
 * covered; -2: out of memory. */
static int scan(ec_snapview *s, ec_fabric *fab, uint32_t *cand)
{
    size_t hw, n_free;
    const uint32_t *free_ids;
    ec_fabric_slots(fab, &hw, &free_ids, &n_free);
    s->flows = ec_fabric_flows(fab);
    if (grow_flows(s, hw + 1))
        return -2;
    for (size_t i = 0; i < n_free; i++)
        s->freemark[free_ids[i]] = s->stamp;
    *cand = n_free ? free_ids[n_free - 1] : (uint32_t)hw;
    s->n_in_k = s->n_inj = 0;
    for (uint32_t id = 0; id < hw; id++) {
        if (s->freemark[id] == s->stamp)
            continue;
        const ec_flow *fl = &s->flows[id];
        for (int j = fl->cur + 1; j < fl->n; j++)
            if (fl->st[j].res != EC_NO_RESOURCE) {
                touch(s, fl->st[j].res);
                s->pend[fl->st[j].res]++;
            }
    }
    for (uint32_t id = 0; id < hw; id++) {
        if (s->freemark[id] == s->stamp)
            continue;
        const ec_flow *fl = &s->flows[id];
        int kb = first_in_view(s, fl, fl->cur);
        if (kb == -2)
            return -1;
        if (kb == fl->cur)
            s->in_k[s->n_in_k++] = id;
        else if (kb > fl->cur) {
            int rc = injection(s, fab, id, kb);
            if (rc)
                return rc;
        }
    }
    if (s->n_inj > s->cap_ord &&
        ec_grow((void **)&s->ord, &s->cap_ord, s->n_inj, sizeof *s->ord))
        return -2;
    s->n_ord = 0;
    for (size_t i = s->n_inj / 2; i-- > 0;)
        inj_sift_down(s->inj, s->n_inj, i);
    return 0;
}

/* ---- running K ------------------------------------------------------------ */

/* Injection i into fabric f: the job enters K. */
static int inject_into(ec_snapview *s, ec_fabric *f, const inject *in, ec_diag *d)
{
    int rc = ec_fabric_put(f, in->id, &s->flows[in->id], in->stage);
    return rc ? rc : ec_fabric_enter(f, in->id, in->t, d);
}

/* Run f (K) merged with the injections from *p on, while the next event is
 * before `until` (INT64_MAX: until the candidate is back).  0; -1 at an
 * equal-time pair of an injection and another event, a failure or nothing
 * left; -2 out of memory. */
static int run_k(ec_snapview *s, ec_fabric *f, ec_fabric *fab, size_t *p, int64_t until,
                 ec_diag *d)
{
    while (until != INT64_MAX || s->done_ns < 0) {
        int64_t te = ec_fabric_next_ns(f);
        const inject *in = inj_get(s, *p), *after;
        int64_t ti = in ? in->t : INT64_MAX;
        int64_t next = te < ti ? te : ti;
        if (next >= until || next == INT64_MAX)
            return until == INT64_MAX ? -1 : 0;
        if (te == ti)
            return -1;
        int rc;
        if (ti < te) {
            if ((after = inj_get(s, *p + 1)) && after->t == ti)
                return -1;
            inject now = *in;
            rc = inject_into(s, f, &now, d);
            if (!rc && f == s->base) {
                if (s->n_live == s->cap_live &&
                    ec_grow((void **)&s->live, &s->cap_live, s->n_live + 1, sizeof *s->live))
                    return -2;
                s->live[s->n_live++] = now.id;
            }
            ++*p;
        } else
            rc = ec_fabric_step(f, d);
        if (rc)
            return rc == EC_ENOMEM ? -2 : -1;
    }
    return 0;
}

/* Keep in s->live only the flows still in base. */
static void compact_live(ec_snapview *s)
{
    size_t m = 0;
    for (size_t i = 0; i < s->n_live; i++) {
        const ec_flow *fl = ec_fabric_flow(s->base, s->live[i]);
        if (fl->cur < fl->n)
            s->live[m++] = s->live[i];
    }
    s->n_live = m;
}

/* Room for n actions. */
static int grow_actions(ec_snapview *s, size_t n)
{
    size_t c = s->cap_act, c2 = s->cap_act;
    if (n <= s->cap_act)
        return EC_OK;
    if (ec_grow((void **)&s->te, &c, n, sizeof *s->te) ||
        ec_grow((void **)&s->order, &c2, n, sizeof *s->order))
        return EC_ENOMEM;
    s->cap_act = c;
    return EC_OK;
}

/* The candidate's closed form through its private stages: for each action
 * the completion (device only: into eval_ns, ok) or the time it reaches K
 * (te).  0; -1 not covered. */
static int private_stages(ec_snapview *s, world *w, dev *v, int64_t t, unsigned char *ok)
{
    ec_fabric *fab = w->fab;
    size_t n = v->g->actions->n;
    if (chain(s, fab, v->cpu))
        return -1;
    touch(s, v->cpu);
    if (s->pend[v->cpu])
        return -1;
    ec_resource *cpu = ec_fabric_resource(fab, (size_t)v->cpu);
    int64_t d_cpu = s->last_end[v->cpu];
    for (size_t a = 0; a < n; a++) {
        ec_stage st[EC_FLOW_STAGES];
        int stages = ec_world_route(w, v, a, st);
        int64_t t1;
        s->te[a] = -1;
        if (ec_resource_finish_ns(cpu, t > d_cpu ? t : d_cpu, st[0].work, 1, &t1, NULL))
            continue;
        if (stages == 1) {
            w->eval_ns[a] = t1 + st[0].after_ns;
            ok[a] = 1;
            continue;
        }
        if (s->from == 1) {             /* a shared cell: K from the uplink on */
            if (in_view(s, st[1].res))
                s->te[a] = t1 + st[0].after_ns;
            continue;
        }
        int32_t u = st[1].res;
        if (u == EC_NO_RESOURCE || in_view(s, u) || !in_view(s, st[2].res) ||
            ec_fabric_resource(fab, (size_t)u)->type != s->fifo || extend_own(s, fab, u, v->cpu))
            continue;
        int64_t t2, d_up = s->last_end[u];
        if (ec_resource_finish_ns(ec_fabric_resource(fab, (size_t)u), t1 > d_up ? t1 : d_up,
                                  st[1].work, 1, &t2, NULL))
            continue;
        s->te[a] = t2 + st[1].after_ns;
    }
    return 0;
}

/* Action a (reaching K at te[a] along route st) on a fork of base: the
 * candidate enters K at te and the fork runs until it is back.  0; -1: left
 * to the reference; -2: out of memory. */
static int fork_action(ec_snapview *s, world *w, const ec_stage *st, int n, int from,
                       int64_t te, size_t p, int64_t *done)
{
    compact_live(s);
    if (ec_fabric_copy_view(s->fork, s->base, s->view, s->k_res, (size_t)s->n_k, s->live,
                            s->n_live))
        return -2;
    ec_flow cand;
    memset(&cand, 0, sizeof cand);
    memcpy(cand.st, st, (size_t)n * sizeof *st);
    cand.n = n;
    cand.kind = FLOW_FRAME;
    s->done_ns = -1;
    int rc = ec_fabric_put(s->fork, s->target, &cand, from);
    if (rc)
        return -2;
    if ((rc = ec_fabric_enter(s->fork, s->target, te, w->d)))
        return rc == EC_ENOMEM ? -2 : -1;
    if ((rc = run_k(s, s->fork, w->fab, &p, INT64_MAX, w->d)))
        return rc;
    *done = s->done_ns;
    return 0;
}

int ec_snapview_eval(ec_snapview *s, world *w, dev *v, int64_t t, unsigned char *ok)
{
    size_t n = v->g->actions->n;
    memset(ok, 0, n);
    if (grow_actions(s, n))
        return EC_ENOMEM;
    next_stamp(s);
    /* K: the route of an offloading action from its first shared stage on */
    ec_stage st[EC_FLOW_STAGES];
    int stages = 1;
    for (size_t a = 0; a < n && stages == 1; a++)
        stages = ec_world_route(w, v, a, st);
    set_view(s, st, stages, stages > s->from ? s->from : stages);
    int rc = scan(s, w->fab, &s->target);
    if (rc)
        return rc == -2 ? EC_ENOMEM : EC_OK;
    if (private_stages(s, w, v, t, ok))
        return EC_OK;
    /* the offloading actions in order of the time they reach K */
    size_t m = 0;
    for (size_t a = 0; a < n; a++)
        if (s->te[a] >= 0) {
            size_t i = m++;
            for (; i > 0 && s->te[s->order[i - 1]] > s->te[a]; i--)
                s->order[i] = s->order[i - 1];
            s->order[i] = a;
        }
    if (!m)
        return EC_OK;
    if (ec_fabric_copy_view(s->base, w->fab, s->view, s->k_res, (size_t)s->n_k, s->in_k,
                            s->n_in_k))
        return EC_ENOMEM;
    if (s->n_in_k > s->cap_live &&
        ec_grow((void **)&s->live, &s->cap_live, s->n_in_k, sizeof *s->live))
        return EC_ENOMEM;
    if (s->n_in_k)   /* memcpy's pointers must not be NULL, even for 0 bytes */
        memcpy(s->live, s->in_k, s->n_in_k * sizeof *s->live);
    s->n_live = s->n_in_k;
    size_t p = 0;
    for (size_t i = 0; i < m; i++) {
        size_t a = s->order[i];
        int64_t te = s->te[a];
        s->done_ns = -1;
        rc = run_k(s, s->base, w->fab, &p, te, w->d);
        if (rc)
            return rc == -2 ? EC_ENOMEM : EC_OK;   /* base lost: the rest to the reference */
        if (ec_fabric_next_ns(s->base) == te || (inj_get(s, p) && inj_get(s, p)->t == te))
            continue;                   /* the candidate's place at te is not known */
        int n_st = ec_world_route(w, v, a, st);
        int64_t done;
        rc = fork_action(s, w, st, n_st, s->from, te, p, &done);
        if (rc == -2)
            return EC_ENOMEM;
        if (!rc) {
            w->eval_ns[a] = done;
            ok[a] = 1;
        }
    }
    return EC_OK;
}
