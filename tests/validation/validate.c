/* edgecut-validate: edgecut's measured means against the closed forms of
 * queueing theory, on worlds built from config strings (as the user writes
 * them) and run by the engine.  Every case prints one row: the closed form,
 * the measured mean, the tolerance and whether they agree.
 *
 *   edgecut-validate [--quick | --long] [--srcdir DIR] [--break fifo|ps] [CASE-PREFIX...]
 *
 * --quick (the default suite of `meson test`) and --long (suite `slow`,
 * `make validate`) differ only in the run lengths, and so in the
 * tolerances, which are derived from the runs themselves:
 *   tolerance = Z · (standard error by batch means) + BIAS · |closed form|
 * with the frames (or the run time, for rates) after the first WARMUP of
 * the run cut into BATCHES consecutive batches, the standard error of their
 * means sd/√BATCHES, Z = 4 and BIAS = 0.2 % for what the warm-up leaves (the
 * runs start empty; the arrivals and service times are rounded to the ns).
 *
 * Negative controls run a deliberately wrong model (the processor-sharing
 * formula on a FIFO edge, a processor-sharing edge that loses 5 % of its
 * capacity, the M/M/1 formula for deterministic service): each must FAIL,
 * or the suite fails.  --break fifo (or ps) breaks that discipline the same
 * way in every case: the cases on it must then fail, and the exit status is
 * 0 only when some case did (the tests validation-broken-*).  Little's law, L = λ·W plus what the jobs still there
 * at the end add to L, is checked on every resource of every run, and on
 * every run of every shipped config (configs/, frames capped in --quick).
 * Exit status 0 when every case agrees and every control fails (with
 * --break: when a case fails); 1 otherwise; 2 when a world cannot be built
 * or run. */
#define _DEFAULT_SOURCE
#include "sim/base/text.h"
#include "sim/engine/sim.h"
#include "sim/setup/build.h"
#include "sim/setup/config.h"
#include "sim/setup/keys.h"

#include <dirent.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BATCHES = 32 };
static const double Z = 4, BIAS = 0.002, WARMUP = 0.05;
static const double S_EDGE = 0.010;     /* the edge's mean service time in every case, s */

/* ---- one world ----------------------------------------------------------- */

/* A world built from a config string and what its frames measured. */
typedef struct world {
    ec_config *cfg;
    ec_runlist *runs;
    ec_scenario *sc;
    ec_simout out;
    ec_diag d;
    int measure;        /* M_EDGE: each frame's time at the edge; M_DELAY: its delay */
    double *x;          /* [n] the measure of each frame, s, in arrival order */
    double *t;          /* [n] its arrival time, s */
    size_t n, cap;
    double *last;       /* [devices] each device's last arrival, s */
} world;

enum { M_EDGE, M_DELAY };

static int keep(void *ctx, const ec_frame_rec *r)
{
    world *w = ctx;
    if (w->n == w->cap) {
        size_t cap = w->cap;
        if (ec_grow(&w->x, &cap, w->n + 1, sizeof *w->x) ||
            ec_grow(&w->t, &w->cap, w->n + 1, sizeof *w->t))
            return EC_ENOMEM;
    }
    w->x[w->n] = (double)(w->measure == M_EDGE ? r->edge_ns : r->delay_ns) / 1e9;
    w->t[w->n++] = (double)r->t_ns / 1e9;
    w->last[r->device] = (double)r->t_ns / 1e9;
    return EC_OK;
}

/* The frames measured: those that arrived while every device was still
 * sending (after the first device's last frame the world has fewer
 * sources and is no longer the one the closed form describes). */
static size_t steady_end(const world *w)
{
    double end = INFINITY;
    for (size_t k = 0; k < w->sc->n_devices; k++)
        end = fmin(end, w->last[k]);
    size_t n = w->n;
    while (n > 0 && w->t[n - 1] > end)
        n--;
    return n;
}

static void die(const char *what, const ec_diag *d)
{
    fprintf(stderr, "edgecut-validate: %s: %s\n", what, d->msg);
    exit(2);
}

static void maybe_break(world *w);

/* Build ini's first run (file name "validate.ini"); exits on failure; its
 * edge broken when --break names its discipline. */
static void build(world *w, const char *ini)
{
    memset(w, 0, sizeof *w);
    if (ec_config_load_string(ini, "validate.ini", &w->cfg, &w->d) ||
        ec_config_expand(w->cfg, NULL, ec_keys_check, NULL, &w->runs, &w->d) ||
        ec_scenario_new(ec_runlist_get(w->runs, 0), &w->sc, &w->d))
        die("building a world", &w->d);
    maybe_break(w);
}

static void run(world *w)
{
    ec_frame_sink sink = { keep, w };
    if (!(w->last = calloc(w->sc->n_devices, sizeof *w->last)))
        exit(2);
    if (ec_sim_run(w->sc, ec_runlist_get(w->runs, 0)->seed, &sink, &w->out, &w->d))
        die("running a world", &w->d);
}

static void release(world *w)
{
    ec_simout_clear(&w->out);
    free(w->x);
    free(w->t);
    free(w->last);
    ec_scenario_free(w->sc);
    ec_runlist_free(w->runs);
    ec_config_free(w->cfg);
}

/* ---- statistics -------------------------------------------------------- */

/* Batch means of x[from..n): the mean of the BATCHES batch means and its
 * standard error. */
static void batch_means(const double *x, size_t from, size_t n, double *mean, double *se)
{
    size_t m = (n - from) / BATCHES;
    double b[BATCHES], s = 0, s2 = 0;
    for (int i = 0; i < BATCHES; i++) {
        b[i] = 0;
        for (size_t k = 0; k < m; k++)
            b[i] += x[from + (size_t)i * m + k];
        b[i] /= (double)m;
        s += b[i];
    }
    *mean = s / BATCHES;
    for (int i = 0; i < BATCHES; i++)
        s2 += (b[i] - *mean) * (b[i] - *mean);
    *se = sqrt(s2 / (BATCHES - 1) / BATCHES);
}

/* The rate of the arrivals t[from..n) (sorted, s): [t[from], t[n-1]) cut
 * into BATCHES equal windows, each window's count over its length; their
 * mean and its standard error. */
static void rate_means(const double *t, size_t from, size_t n, double *mean, double *se)
{
    double t0 = t[from], len = (t[n - 1] - t0) / BATCHES, b[BATCHES] = { 0 }, s = 0, s2 = 0;
    for (size_t k = from; k < n; k++) {
        int i = (int)((t[k] - t0) / len);
        if (i < BATCHES)
            b[i] += 1;
    }
    for (int i = 0; i < BATCHES; i++)
        s += b[i] /= len;
    *mean = s / BATCHES;
    for (int i = 0; i < BATCHES; i++)
        s2 += (b[i] - *mean) * (b[i] - *mean);
    *se = sqrt(s2 / (BATCHES - 1) / BATCHES);
}

/* ---- the table ------------------------------------------------------------ */

static int failures;          /* cases that disagree, controls that agree */

/* One row: the case agrees when |measured − closed| <= tol; a control
 * (expect_fail) must not. */
static void row(const char *name, double closed, double measured, double tol, int expect_fail)
{
    int agree = fabs(measured - closed) <= tol;
    const char *verdict = expect_fail ? (agree ? "NO (a control must fail)" : "fails, as it must")
                                      : (agree ? "yes" : "NO");
    failures += agree == expect_fail;
    printf("%-58s %12.6g %12.6g %11.4g  %s\n", name, closed, measured, tol, verdict);
    fflush(stdout);
}

/* Little's law on every resource of w's run: L = λ·W + L_open, where
 * L_open is the jobs still present at the end (dropped learner messages);
 * the largest relative deviation so far into *worst. */
static void little(const ec_simout *o, double *worst, size_t *resources)
{
    for (size_t i = 0; i < o->n_resources; i++) {
        const ec_resource_stat *r = &o->resources[i];
        double lw = r->throughput_per_s * r->mean_sojourn_s + r->mean_jobs_open;
        double dev = fabs(r->mean_jobs - lw) / fmax(r->mean_jobs, 1e-300);
        if (r->mean_jobs == 0 && lw == 0)
            dev = 0;
        if (dev > *worst)
            *worst = dev;
        ++*resources;
    }
}

static double little_worst;
static size_t little_resources, little_runs;

/* ---- the cases ------------------------------------------------------------ */

/* What the cases are built from. */
typedef struct spec {
    const char *discipline;   /* edge.discipline */
    const char *service;      /* edge.service */
    double cv;                /* edge.service_cv */
    double rho;               /* the edge's load (open worlds) */
    int devices;              /* devices of one group */
    int broken;               /* 1: the edge's discipline loses BROKEN_SHARE of its capacity */
} spec;

static size_t frames_per_case;  /* frames of an open case, all devices together */

/* The world of an open case: Poisson arrivals on `devices` edge-only
 * devices (rate λ/devices each), an ideal uplink (10^12 Mbit/s), no
 * downlink, an H100 edge slowed so that AlexNet's back end (cut 0) takes
 * S_EDGE on average. */
static void open_world(world *w, const spec *sp)
{
    world probe;
    build(&probe, "[General]\nmodel = alexnet\nedge = h100\nuplink.rate_mbps = 1e12\n");
    double back_s = (double)probe.sc->groups[0].actions->a[0].back_ns / 1e9;
    release(&probe);
    double lambda = sp->rho / S_EDGE;
    char ini[1024];
    snprintf(ini, sizeof ini, "[General]\nseed = 1\nmodel = alexnet\nedge = h100\n"
             "edge_load.value = %.17g\nuplink.rate_mbps = 1e12\nlearner = edge-only\n"
             "regret = off\nframes.source = poisson\nfps = %.17g\nframes = %zu\n"
             "groups = d\ngroup.d.count = %d\nedge.discipline = %s\nedge.service = %s\n"
             "edge.service_cv = %g\n", S_EDGE / back_s, lambda / sp->devices,
             frames_per_case / (size_t)sp->devices, sp->devices, sp->discipline, sp->service,
             sp->cv);
    build(w, ini);
    w->measure = M_EDGE;
}

/* A broken discipline: the edge's own (FIFO or processor sharing) but
 * losing BROKEN_SHARE of its capacity, every job's work grown by that
 * share.  A control uses it on purpose; --break NAME puts it in place of
 * discipline NAME in every case, which must then fail. */
static const double BROKEN_SHARE = 0.05;
static ec_resource_type broken;
static const ec_resource_type *broken_base;
static const char *break_name;   /* --break: the discipline to break everywhere, or NULL */

static int broken_submit(ec_resource *r, int64_t now, uint32_t id, double work, ec_diag *d)
{
    return broken_base->submit(r, now, id, work * (1 + BROKEN_SHARE), d);
}

/* Replace w's edge discipline by its broken twin. */
static void break_edge(world *w)
{
    broken_base = w->sc->edge_type;
    broken = *broken_base;
    broken.name = "broken";
    broken.submit = broken_submit;
    w->sc->edge_type = &broken;
}

/* Built: break the edge when --break names its discipline. */
static void maybe_break(world *w)
{
    if (break_name && !strcmp(break_name, w->sc->edge_type->name))
        break_edge(w);
}

/* A FIFO edge that stamps each job's arrival 1 ms late (a discipline whose
 * bookkeeping is wrong, not its service): Little's law must catch it. */
static int late_submit(ec_resource *r, int64_t now, uint32_t id, double work, ec_diag *d)
{
    int rc = ec_resource_find("fifo")->submit(r, now, id, work, d);
    if (!rc)
        r->jobs[r->n - 1].submit_ns += 1000000;
    return rc;
}

/* The control: an M/M/1 FIFO world on that edge; Little's deviation. */
static void little_control(void)
{
    const spec sp = { "fifo", "exp", 1, 0.7, 1, 0 };
    world w;
    open_world(&w, &sp);
    ec_resource_type late = *ec_resource_find("fifo");
    late.name = "late";
    late.submit = late_submit;
    w.sc->edge_type = &late;
    run(&w);
    double worst = 0;
    size_t n = 0;
    little(&w.out, &worst, &n);
    row("control: Little, FIFO edge stamping arrivals 1 ms late", 0, worst, 1e-9, 1);
    release(&w);
}

/* Run w, its measure's batch mean and tolerance against closed: one row. */
static void measure_row(world *w, const char *name, double closed, int expect_fail)
{
    run(w);
    little(&w->out, &little_worst, &little_resources);
    little_runs++;
    double mean, se;
    size_t n = steady_end(w);
    batch_means(w->x, (size_t)(WARMUP * (double)n), n, &mean, &se);
    row(name, closed, mean, Z * se + BIAS * fabs(closed), expect_fail);
}

/* An open edge with the Pollaczek–Khinchine (FIFO) or processor-sharing
 * mean sojourn; `formula` names the closed form compared (which a control
 * sets wrong on purpose). */
static void open_case(const char *name, spec sp, const char *formula, double form_cv,
                      int expect_fail)
{
    world w;
    open_world(&w, &sp);
    if (sp.broken)
        break_edge(&w);
    double lambda = sp.rho / S_EDGE, S = S_EDGE, closed;
    if (!strcmp(formula, "ps"))
        closed = S / (1 - sp.rho);
    else   /* P-K: W = S + λ·E[S²] / (2 (1 − ρ)) */
        closed = S + lambda * S * S * (1 + form_cv * form_cv) / (2 * (1 - sp.rho));
    measure_row(&w, name, closed, expect_fail);
    release(&w);
}

/* A tandem: Poisson arrivals at λ through the device's CPU (FIFO,
 * exponential, mean S1) then the edge (FIFO, exponential, mean S2), AlexNet
 * cut after conv3: a Jackson network, W = Σ S_i / (1 − λ·S_i). */
static void tandem_case(double lambda, double s1, double s2)
{
    world probe;
    build(&probe, "[General]\nmodel = alexnet\ndevice = epyc-core\nedge = h100\n"
                  "uplink.rate_mbps = 1e12\n");
    const ec_action_cost *c = &probe.sc->groups[0].actions->a[5];
    double front_s = (double)c->front_ns / 1e9, back_s = (double)c->back_ns / 1e9;
    release(&probe);
    char ini[1024], name[96];
    snprintf(ini, sizeof ini, "[General]\nseed = 1\nmodel = alexnet\ndevice = epyc-core\n"
             "edge = h100\ndevice_load.value = %.17g\nedge_load.value = %.17g\n"
             "uplink.rate_mbps = 1e12\nlearner = fixed\nfixed.cut = 5\nregret = off\n"
             "frames.source = poisson\nfps = %.17g\nframes = %zu\ndevice.service = exp\n"
             "edge.service = exp\n", s1 / front_s, s2 / back_s, lambda, frames_per_case);
    world w;
    build(&w, ini);
    w.measure = M_DELAY;
    double closed = s1 / (1 - lambda * s1) + s2 / (1 - lambda * s2);
    snprintf(name, sizeof name, "tandem CPU->edge, Jackson, rho %.2g/%.2g: W (s)", lambda * s1,
             lambda * s2);
    measure_row(&w, name, closed, 0);
    release(&w);
}

/* Mean value analysis of a closed loop: N customers, a delay (think) station
 * of mean Z and one processor-sharing (or FIFO exponential) station of mean
 * service S: throughput X(N) and response time R(N). */
static void mva(int n_cust, double Zt, double S, double *X, double *R)
{
    double Q = 0;
    for (int n = 1; n <= n_cust; n++) {
        *R = S * (1 + Q);
        *X = n / (Zt + *R);
        Q = *X * *R;
    }
}

/* N devices in a closed loop with exponential think times of mean Zt on a
 * processor-sharing edge (service `service`): response time and throughput
 * against mean value analysis (PS and the think station are insensitive to
 * the service distribution: product form for any of them). */
static void closed_case(int n_dev, double Zt, const char *service)
{
    world probe;
    build(&probe, "[General]\nmodel = alexnet\nedge = h100\nuplink.rate_mbps = 1e12\n");
    double back_s = (double)probe.sc->groups[0].actions->a[0].back_ns / 1e9;
    release(&probe);
    char ini[1024], name[96];
    snprintf(ini, sizeof ini, "[General]\nseed = 1\nmodel = alexnet\nedge = h100\n"
             "edge_load.value = %.17g\nuplink.rate_mbps = 1e12\nlearner = edge-only\n"
             "regret = off\nframes.source = closed\nframes.think = exp\nframes.think_ms = %g\n"
             "frames = %zu\ngroups = d\ngroup.d.count = %d\nedge.discipline = ps\n"
             "edge.service = %s\n", S_EDGE / back_s, Zt * 1e3, frames_per_case / (size_t)n_dev,
             n_dev, service);
    world w;
    build(&w, ini);
    w.measure = M_DELAY;
    double X, R;
    mva(n_dev, Zt, S_EDGE, &X, &R);
    snprintf(name, sizeof name, "closed loop, %d devices, Z %g s, PS %s: R (s)", n_dev, Zt,
             service);
    measure_row(&w, name, R, 0);
    double mean, se;
    size_t n = steady_end(&w);
    rate_means(w.t, (size_t)(WARMUP * (double)n), n, &mean, &se);
    snprintf(name, sizeof name, "closed loop, %d devices, Z %g s, PS %s: X (1/s)", n_dev, Zt,
             service);
    row(name, X, mean, Z * se + BIAS * X, 0);
    release(&w);
}

/* A two-state MMPP's long-run rate: Σ λ_i·s_i / Σ s_i. */
static void mmpp_case(void)
{
    char ini[1024];
    snprintf(ini, sizeof ini, "[General]\nseed = 1\nmodel = alexnet\nedge = h100\n"
             "uplink.rate_mbps = 1e12\nlearner = edge-only\nregret = off\n"
             "frames.source = mmpp\nframes.mmpp.rates = 5, 50\nframes.mmpp.stay_s = 2, 1\n"
             "frames = %zu\n", frames_per_case);
    world w;
    build(&w, ini);
    run(&w);
    little(&w.out, &little_worst, &little_resources);
    little_runs++;
    double mean, se;
    rate_means(w.t, (size_t)(WARMUP * (double)w.n), w.n, &mean, &se);
    double closed = (5.0 * 2 + 50.0 * 1) / 3;
    row("MMPP rates 5, 50 /s, sojourns 2, 1 s: rate (1/s)", closed, mean,
        Z * se + BIAS * closed, 0);
    release(&w);
}

/* ---- Little on the shipped configs ---------------------------------------- */

static long shipped_cap;     /* frames per device at most (0: as the config says) */

/* Every run of every section of config file path. */
static void little_config(const char *path)
{
    ec_config *cfg;
    ec_diag d = { 0 };
    if (ec_config_load(path, &cfg, &d))
        die(path, &d);
    const char **names;
    size_t n_sec = ec_config_sections(cfg, &names);
    for (size_t s = 0; s < n_sec; s++) {
        ec_runlist *runs;
        if (ec_config_expand(cfg, names[s], ec_keys_check, NULL, &runs, &d))
            die(path, &d);
        for (size_t i = 0; i < ec_runlist_count(runs); i++) {
            const ec_runcfg *r = ec_runlist_get(runs, i);
            ec_scenario *sc;
            ec_simout o;
            if (ec_scenario_new(r, &sc, &d))
                die(path, &d);
            for (size_t g = 0; shipped_cap && g < sc->n_groups; g++)
                if (sc->groups[g].frames > shipped_cap)
                    sc->groups[g].frames = shipped_cap;
            if (ec_sim_run(sc, r->seed, NULL, &o, &d))
                die(path, &d);
            little(&o, &little_worst, &little_resources);
            little_runs++;
            ec_simout_clear(&o);
            ec_scenario_free(sc);
        }
        ec_runlist_free(runs);
    }
    ec_config_free(cfg);
}

/* Every *.ini under dir, in name order. */
static void little_dir(const char *dir)
{
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, "edgecut-validate: cannot read %s (--srcdir)\n", dir);
        exit(2);
    }
    for (int i = 0; i < n; i++) {
        char path[4096];
        const char *nm = ents[i]->d_name;
        size_t len = strlen(nm);
        snprintf(path, sizeof path, "%s/%s", dir, nm);
        if (nm[0] != '.' && ents[i]->d_type == DT_DIR)
            little_dir(path);
        else if (len > 4 && !strcmp(nm + len - 4, ".ini"))
            little_config(path);
        free(ents[i]);
    }
    free(ents);
}

/* ---- main ------------------------------------------------------------------ */

static int selected(int argc, char **argv, int first, const char *name)
{
    if (first >= argc)
        return 1;
    for (int i = first; i < argc; i++)
        if (!strncmp(name, argv[i], strlen(argv[i])))
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    int quick = 1, first = 1;
    const char *src = getenv("EC_SRCDIR");
    src = src && *src ? src : ".";
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (!strcmp(argv[first], "--quick"))
            quick = 1;
        else if (!strcmp(argv[first], "--long"))
            quick = 0;
        else if (!strcmp(argv[first], "--srcdir") && first + 1 < argc)
            src = argv[++first];
        else if (!strcmp(argv[first], "--break") && first + 1 < argc)
            break_name = argv[++first];
        else {
            fprintf(stderr, "usage: edgecut-validate [--quick | --long] [--srcdir DIR] "
                            "[--break fifo|ps] [CASE-PREFIX...]\n");
            return 2;
        }
    }
    frames_per_case = quick ? 100000 : 1000000;
    shipped_cap = quick ? 200 : 0;
    printf("%-58s %12s %12s %11s  %s\n", "case", "closed form", "measured", "tolerance", "pass");
    const spec fifo_exp = { "fifo", "exp", 1, 0.7, 1, 0 };
    const spec fifo_fixed = { "fifo", "fixed", 0, 0.7, 1, 0 };
    const spec fifo_logn = { "fifo", "lognormal", 2, 0.7, 1, 0 };
    struct {
        const char *name;
        spec sp;
        const char *formula;  /* "pk" or "ps" */
        double form_cv;       /* the service cv the formula assumes */
        int expect_fail;
    } open_cases[] = {
        { "M/M/1 FIFO, rho 0.7: W (s)", fifo_exp, "pk", 1, 0 },
        { "M/D/1 FIFO, rho 0.7 (P-K): W (s)", fifo_fixed, "pk", 0, 0 },
        { "M/G/1 FIFO, lognormal cv 2, rho 0.7 (P-K): W (s)", fifo_logn, "pk", 2, 0 },
        { "M/G/1-PS, deterministic, rho 0.7: W (s)", { "ps", "fixed", 0, 0.7, 1, 0 }, "ps", 0, 0 },
        { "M/G/1-PS, exponential, rho 0.7: W (s)", { "ps", "exp", 1, 0.7, 1, 0 }, "ps", 0, 0 },
        { "M/G/1-PS, lognormal cv 2, rho 0.7: W (s)", { "ps", "lognormal", 2, 0.7, 1, 0 }, "ps",
          0, 0 },
        { "superposition, 20 Poisson devices, M/M/1 rho 0.7: W (s)",
          { "fifo", "exp", 1, 0.7, 20, 0 }, "pk", 1, 0 },
        { "control: PS formula, FIFO edge, lognormal cv 2: W (s)", fifo_logn, "ps", 0, 1 },
        { "control: PS edge losing 5 % capacity, exp: W (s)", { "ps", "exp", 1, 0.7, 1, 1 },
          "ps", 0, 1 },
        { "control: M/M/1 formula, deterministic service: W (s)", fifo_fixed, "pk", 1, 1 },
    };
    for (size_t i = 0; i < sizeof open_cases / sizeof *open_cases; i++)
        if (selected(argc, argv, first, open_cases[i].name))
            open_case(open_cases[i].name, open_cases[i].sp, open_cases[i].formula,
                      open_cases[i].form_cv, open_cases[i].expect_fail);
    if (selected(argc, argv, first, "tandem"))
        tandem_case(50, 0.006, S_EDGE);
    if (selected(argc, argv, first, "closed")) {
        closed_case(8, 0.08, "exp");
        closed_case(8, 0.08, "fixed");
    }
    if (selected(argc, argv, first, "MMPP"))
        mmpp_case();
    if (selected(argc, argv, first, "Little")) {
        char name[160];
        snprintf(name, sizeof name, "Little L = lambda W: %zu resources, %zu runs above",
                 little_resources, little_runs);
        if (little_runs)
            row(name, 0, little_worst, 1e-9, 0);
        little_worst = 0;
        little_resources = little_runs = 0;
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/configs", src);
        little_dir(dir);
        snprintf(name, sizeof name, "Little on configs/: %zu resources, %zu runs%s",
                 little_resources, little_runs, shipped_cap ? " (200 frames)" : "");
        row(name, 0, little_worst, 1e-9, 0);
        little_control();
    }
    printf("tolerance = %g standard errors (batch means: %d batches after the first %g %% of "
           "the run)\n          + %g %% of the closed form; Little: relative deviation of L "
           "from lambda W + the jobs left at the end\n", Z, BATCHES, WARMUP * 100, BIAS * 100);
    if (failures)
        printf("%d case(s) disagree or control(s) agree\n", failures);
    if (break_name) {   /* the broken discipline must be caught */
        printf("--break %s: %s\n", break_name,
               failures ? "caught (the cases above disagree)" : "NOT caught: every case agrees");
        return failures ? 0 : 1;
    }
    return failures ? 1 : 0;
}
