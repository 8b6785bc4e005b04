/* Tests of the results store (sim/store/store.c) and the figures (sim/cli/plot.c). */
#define _XOPEN_SOURCE 700

#include "testutil.h"

#include <check.h>
#include <dirent.h>
#include <ftw.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/cli/label.h"
#include "sim/cli/plot.h"
#include "sim/cli/plotsel.h"
#include "sim/cli/report.h"
#include "sim/cli/stats.h"
#include "sim/store/read.h"
#include "sim/store/store.h"
#include "sim/cli/summary.h"
#include "sim/cli/trace_plot.h"

/* ---- fixtures ---------------------------------------------------------- */

static char tmpdir[64];

static void setup(void)
{
    strcpy(tmpdir, "/tmp/ec_test_store.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void teardown(void)
{
    chmod(tmpdir, 0700);
    nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* tmpdir/name in a static buffer (one of 16, round robin: a test keeps
 * at most 16 of them at a time). */
static const char *tpath(const char *name)
{
    static char buf[16][256];
    static int k;
    k = (k + 1) % 16;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

/* ---- a synthetic run -------------------------------------------------- */

#define N_VEC 400 /* capacity samples, one per second */

typedef struct sample {
    ec_run_info info;
    ec_run_summary sum;
    ec_frame_rec *frames;
    size_t n;
    ec_kv attrs[2], itervars[2], config[3];
    ec_scalar_rec scalars[3];
    ec_vector_rec vec;
} sample;

/* Capacity of the synthetic uplink at second s, bits/s. */
static double cap_bps(int64_t s)
{
    static const double level[] = {12e6, 4e6, 20e6, 2e6, 8e6, 16e6};
    return level[(s / 10) % 6];
}

/* ec_vector_rec.sample: one capacity sample a second for N_VEC seconds, or
 * for *(const size_t *)ctx seconds if ctx is not NULL. */
static int cap_sample(void *ctx, size_t k, int64_t *t, double *v)
{
    if (k >= (ctx ? *(const size_t *)ctx : N_VEC))
        return 0;
    *t = (int64_t)k * 1000000000;
    *v = cap_bps((int64_t)k);
    return 1;
}

/* Fill s with a run of n frames on two devices (device = i % 2).
 * skill 0 plays like the oracle; larger skill explores more. */
static void sample_init(sample *s, const char *name, const char *learner,
                        size_t n, int skill)
{
    memset(s, 0, sizeof *s);
    s->frames = calloc(n ? n : 1, sizeof *s->frames);
    s->n = n;
    ck_assert_ptr_nonnull(s->frames);
    for (size_t i = 0; i < n; i++) {
        ec_frame_rec *f = &s->frames[i];
        int64_t fr = (int64_t)(i / 2);
        f->device = (int)(i % 2);
        f->frame = fr;
        f->t_ns = fr * 33333333;
        f->action = (int)((fr * 7 + skill) % 5);
        f->cut = skill == 0 ? 2 : (int)((fr * 13) % (uint64_t)(2 + skill));
        f->exit = -1;
        f->bits = 32;
        f->keyframe = fr % 30 == 0;
        f->front_ns = 4000000 + f->cut * 1000000;
        f->up_ns = (int64_t)(300000.0 * 8 / cap_bps(f->t_ns / 1000000000) *
                             1e9);
        f->edge_ns = 3000000;
        f->down_ns = 500000;
        f->best_ns = f->front_ns + f->up_ns + f->edge_ns + f->down_ns;
        /* regret shrinks like 1/sqrt(t) for a learning learner */
        int64_t explore = skill ? (int64_t)(2e6 * skill / (1 + fr / 500)) : 0;
        f->regret_ns = (fr * 31 + skill) % 4 == 0 ? explore : 0;
        f->delay_ns = f->best_ns + f->regret_ns;
        f->accuracy = 0.5 + 0.001 * (double)(fr % 100);
        f->energy_j = 0.25;
    }
    s->attrs[0] = (ec_kv){"version", "0.1.0"};
    s->attrs[1] = (ec_kv){"host", "testhost"};
    s->itervars[0] = (ec_kv){"learner", learner};
    s->config[0] = (ec_kv){"seed", "1"};
    s->config[1] = (ec_kv){"learner", learner};
    s->config[2] = (ec_kv){"frames", "20000"};
    s->scalars[0] = (ec_scalar_rec){"device[0]", "meanDelay_s", 0.025};
    s->scalars[1] = (ec_scalar_rec){"device[0]", "cumRegret_s", 1.5};
    s->scalars[2] = (ec_scalar_rec){"run", "frames", (double)n};
    s->vec = (ec_vector_rec){"uplink", "capacity_bps", cap_sample, NULL};
    s->info = (ec_run_info){
        .run_name = name, .config_name = "General", .run_number = 3,
        .replicate = 1, .seed = 42, .started_at = "2024-01-02T03:04:05Z"};
    s->sum = (ec_run_summary){
        .fingerprint = UINT64_C(0xfedcba9876543210),
        .finished_at = "2024-01-02T03:04:09Z",
        .attrs = s->attrs, .n_attrs = 2, .itervars = s->itervars,
        .n_itervars = 1, .config = s->config, .n_config = 3,
        .scalars = s->scalars, .n_scalars = 3, .vectors = &s->vec, .n_vectors = 1};
}

static void sample_free(sample *s)
{
    free(s->frames);
}

/* Stream sample s into st: begin, every frame, finish.  Returns the first
 * failure's status (the run is then aborted). */
static int stream(ec_store *st, const sample *s, ec_diag *d)
{
    ec_store_run *r;
    int rc = ec_store_begin(st, &s->info, &r, d);
    for (size_t i = 0; !rc && i < s->n; i++)
        rc = ec_store_frame(r, &s->frames[i], d);
    if (rc) {
        ec_store_abort(r, NULL);
        return rc;
    }
    return ec_store_finish(r, &s->sum, d);
}

/* A store opened at path (a new file), or the test fails. */
static ec_store *store_at(const char *path)
{
    ec_store *st;
    ec_diag d = {0};
    ck_assert_msg(ec_store_open(path, &st, &d) == EC_OK, "%s", d.msg);
    return st;
}

/* Stream into st one finished run of sample_init(name, learner, 10 frames,
 * skill) of config config and replicate rep, whose scalar meanDelay_s is
 * delay_s (NAN: sample_init's). */
static void put_run(ec_store *st, const char *name, const char *config, const char *learner,
                    int rep, int skill, double delay_s)
{
    sample s;
    ec_diag d = {0};
    sample_init(&s, name, learner, 10, skill);
    s.info.config_name = config;
    s.info.replicate = rep;
    if (!isnan(delay_s))
        s.scalars[0].value = delay_s;
    ck_assert_msg(stream(st, &s, &d) == EC_OK, "%s", d.msg);
    sample_free(&s);
}

/* The curves ec_plot_select makes of db (at path) with filter f, as
 * "LABEL | LABEL ..." in buf; its status. */
static int curves(ec_reader *rd, const ec_plot_filter *f, char *buf, size_t n, ec_diag *d)
{
    ec_plot_groups g;
    int rc = ec_plot_select(rd, f, &g, d);
    buf[0] = '\0';
    for (size_t i = 0, used = 0; !rc && i < g.n && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? " | " : "", g.g[i].label);
    if (!rc)
        ec_plot_groups_free(&g);
    return rc;
}

/* Open path, write one sample run, close.  done = 0: the run is left
 * unfinished, as by a process killed after its last frame (a child process
 * that exits without finishing it: its full batches are written, status
 * 'running'). */
static void write_sample(const char *path, const char *name,
                         const char *learner, size_t n, int done, int skill)
{
    pid_t pid = done ? 0 : fork();
    ck_assert_int_ge(pid, 0);
    if (pid > 0) {
        int status;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        return;
    }
    ec_store *st;
    ec_store_run *r;
    ec_diag d = {0};
    sample s;
    ck_assert_int_eq(ec_store_open(path, &st, &d), EC_OK);
    sample_init(&s, name, learner, n, skill);
    if (done) {
        ck_assert_msg(stream(st, &s, &d) == EC_OK, "%s", d.msg);
        sample_free(&s);
        ec_store_free(st);
        return;
    }
    int bad = ec_store_begin(st, &s.info, &r, &d) != EC_OK;
    for (size_t i = 0; !bad && i < n; i++)
        bad = ec_store_frame(r, &s.frames[i], &d) != EC_OK;
    _exit(bad); /* no finish, no clean-up: as if killed */
}

/* ---- plain SQLite read-back -------------------------------------------- */

static sqlite3 *db_open(const char *path)
{
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
                     SQLITE_OK);
    return db;
}

/* First column of the first row of sql, as an integer. */
static long long q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK,
                  "%s: %s", sql, sqlite3_errmsg(db));
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* First column of the first row of sql, as text in a static buffer. */
static const char *q_text(sqlite3 *db, const char *sql)
{
    static char buf[256];
    sqlite3_stmt *st;
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK,
                  "%s: %s", sql, sqlite3_errmsg(db));
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(buf, sizeof buf, "%s", t ? (const char *)t : "(null)");
    sqlite3_finalize(st);
    return buf;
}

/* Check the current row of q, a SELECT * FROM frame, against f: every
 * column but runId (what: where, for the messages). */
static void check_frame_row(sqlite3_stmt *q, const ec_frame_rec *f, const char *what)
{
    char want[512];
    ck_assert_int_eq(sqlite3_column_count(q), 18);
    const int64_t v[16] = {0, f->device, f->frame, f->t_ns, f->action,
                           f->cut, f->exit, f->bits, f->keyframe,
                           f->front_ns, f->up_ns, f->edge_ns, f->down_ns,
                           f->delay_ns, f->best_ns, f->regret_ns};
    for (int c = 1; c < 16; c++) {
        snprintf(want, sizeof want, "%s column %s", what, sqlite3_column_name(q, c));
        if (v[c] == -1 && c >= 14) /* best_ns, regret_ns not evaluated */
            ck_assert_msg(sqlite3_column_type(q, c) == SQLITE_NULL, "%s", want);
        else
            ck_assert_msg(sqlite3_column_int64(q, c) == v[c], "%s", want);
    }
    ck_assert_msg(sqlite3_column_double(q, 16) == f->accuracy, "%s accuracy", what);
    if (isnan(f->energy_j))
        ck_assert_msg(sqlite3_column_type(q, 17) == SQLITE_NULL, "%s energy_j", what);
    else
        ck_assert_msg(sqlite3_column_double(q, 17) == f->energy_j, "%s energy_j", what);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p && strstr(p, "vgpreload");
}


/* ec_plot of figures[0..n) (n 0: all) from db into out in format fmt. */
static int plot_db(const char *db, const char *out, const char *fmt, const char *const *figures,
                   size_t n, ec_diag *d)
{
    ec_plot_opts o = {.out_dir = out, .format = fmt, .figures = figures, .n_figures = n};
    return ec_plot(db, &o, d);
}

/* ---- store tests --------------------------------------------------------- */

START_TEST(test_write_read)
{
    const char *path = tpath("r.db");
    ec_store *st;
    ec_diag d = {0};
    sample s;
    ck_assert_int_eq(ec_store_open(path, &st, &d), EC_OK);
    sample_init(&s, "General-3", "mulinucb", 20000, 2);
    s.frames[4321].best_ns = s.frames[4321].regret_ns = -1; /* not evaluated */
    s.frames[19999].energy_j = NAN;                          /* no power model */
    double t0 = now_s();
    ck_assert_msg(stream(st, &s, &d) == EC_OK, "%s", d.msg);
    double dt = now_s() - t0;
    ck_assert_msg(dt < (under_valgrind() ? 20.0 : 1.0),
                  "writing 20000 frames took %.3f s", dt);
    ec_store_free(st);

    sqlite3 *db = db_open(path);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM run"), 1);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM frame"), 20000);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM scalar"), 3);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM runAttr"), 2);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM runItervar"), 1);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM runConfig"), 3);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM vector"), 1);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM vectorData"), N_VEC);
    ck_assert_str_eq(q_text(db, "SELECT fingerprint FROM run"),
                     "fedcba9876543210");
    ck_assert_str_eq(q_text(db, "SELECT runName || '|' || configName || '|'"
                                " || runNumber || '|' || replicate || '|' ||"
                                " seed || '|' || status || '|' || startedAt"
                                " || '|' || finishedAt FROM run"),
                     "General-3|General|3|1|42|done|2024-01-02T03:04:05Z|"
                     "2024-01-02T03:04:09Z");
    ck_assert_str_eq(q_text(db, "SELECT group_concat(configKey || '=' ||"
                                " configValue || '@' || configOrder, ';')"
                                " FROM (SELECT * FROM runConfig"
                                " ORDER BY configOrder)"),
                     "seed=1@0;learner=mulinucb@1;frames=20000@2");
    ck_assert_str_eq(q_text(db, "SELECT attrValue FROM runAttr"
                                " WHERE attrName = 'host'"), "testhost");
    ck_assert_str_eq(q_text(db, "SELECT itervarName || '=' || itervarValue"
                                " FROM runItervar"), "learner=mulinucb");
    ck_assert_str_eq(q_text(db, "SELECT scalarValue FROM scalar WHERE"
                                " moduleName = 'device[0]' AND"
                                " scalarName = 'cumRegret_s'"), "1.5");

    /* a few frame rows, column by column */
    static const size_t rows[] = {0, 1, 4321, 19999};
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        const ec_frame_rec *f = &s.frames[rows[k]];
        char sql[128], what[32];
        snprintf(sql, sizeof sql, "SELECT * FROM frame WHERE device = %d"
                 " AND frame = %" PRId64, f->device, f->frame);
        snprintf(what, sizeof what, "row %zu", rows[k]);
        sqlite3_stmt *q;
        ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
        ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
        ck_assert_int_eq(sqlite3_column_int64(q, 0), 1); /* runId */
        check_frame_row(q, f, what);
        ck_assert_int_eq(sqlite3_step(q), SQLITE_DONE);
        sqlite3_finalize(q);
    }
    ck_assert_int_eq(q_int(db, "SELECT simtimeRaw FROM vectorData v JOIN"
                               " vector USING (vectorId) WHERE vectorName ="
                               " 'capacity_bps' ORDER BY simtimeRaw DESC"),
                     (long long)(N_VEC - 1) * 1000000000);
    long long want_sum = 0;
    for (int k = 0; k < N_VEC; k++)
        want_sum += (long long)cap_bps(k);
    ck_assert_int_eq(q_int(db, "SELECT SUM(value) FROM vectorData"),
                     want_sum);
    sqlite3_close(db);
    sample_free(&s);
}
END_TEST

/* A run of test_row_counts: sample_init's, named General-i (written to
 * name, 32 chars), with n frames and NULLs in every 7th frame row. */
static void counts_sample(sample *s, char *name, int i, size_t n)
{
    snprintf(name, 32, "General-%d", i);
    sample_init(s, name, "oracle", n, 1);
    for (size_t k = 0; k < n; k += 7) {
        s->frames[k].best_ns = s->frames[k].regret_ns = -1;
        s->frames[k].energy_j = NAN;
    }
}

/* Frame and vector counts around the store's batches and multi-row inserts
 * (whole groups of rows, a tail of single rows, both, neither): every row
 * reads back in the order written, with every column. */
START_TEST(test_row_counts)
{
    static const size_t n_frames[] = {0, 1, 31, 33, 64, EC_STORE_BATCH + 101};
    static const size_t n_points[] = {0, 1, 127, 129, 256, N_VEC};
    const char *path = tpath("n.db");
    ec_diag d = {0};
    ec_store *st = store_at(path);
    for (int i = 0; i < 6; i++) {
        char name[32];
        sample s;
        counts_sample(&s, name, i, n_frames[i]);
        s.vec.ctx = (void *)&n_points[i];
        ck_assert_msg(stream(st, &s, &d) == EC_OK, "%s", d.msg);
        sample_free(&s);
    }
    ec_store_free(st);

    sqlite3 *db = db_open(path);
    sqlite3_stmt *q, *qv;
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT f.* FROM frame f JOIN run USING (runId)"
                                        " WHERE runName = ?1 ORDER BY f.rowid", -1, &q,
                                        NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT simtimeRaw, value FROM vectorData"
                                        " JOIN vector USING (vectorId) JOIN run USING"
                                        " (runId) WHERE runName = ?1 ORDER BY"
                                        " vectorData.rowid", -1, &qv, NULL), SQLITE_OK);
    for (int i = 0; i < 6; i++) {
        char name[32], what[64];
        sample s;
        counts_sample(&s, name, i, n_frames[i]);
        sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
        for (size_t k = 0; k < s.n; k++) {
            snprintf(what, sizeof what, "%s frame row %zu", name, k);
            ck_assert_msg(sqlite3_step(q) == SQLITE_ROW, "%s missing", what);
            check_frame_row(q, &s.frames[k], what);
        }
        ck_assert_int_eq(sqlite3_step(q), SQLITE_DONE);
        sqlite3_reset(q);
        sqlite3_bind_text(qv, 1, name, -1, SQLITE_STATIC);
        for (size_t k = 0; k < n_points[i]; k++) {
            int64_t t;
            double v;
            ck_assert(cap_sample(NULL, k, &t, &v));
            ck_assert_msg(sqlite3_step(qv) == SQLITE_ROW, "%s point %zu missing", name, k);
            ck_assert_int_eq(sqlite3_column_int64(qv, 0), t);
            ck_assert_double_eq(sqlite3_column_double(qv, 1), v);
        }
        ck_assert_int_eq(sqlite3_step(qv), SQLITE_DONE);
        sqlite3_reset(qv);
        sample_free(&s);
    }
    sqlite3_finalize(q);
    sqlite3_finalize(qv);
    sqlite3_close(db);
}
END_TEST

START_TEST(test_rewrite_and_done)
{
    const char *path = tpath("w.db");
    ec_store *st;
    ec_diag d = {0};
    int done = -1;
    sample b, other;
    ck_assert_int_eq(ec_store_open(path, &st, &d), EC_OK);
    ck_assert_int_eq(ec_store_run_done(st, "General-0", &done, &d), EC_OK);
    ck_assert_int_eq(done, 0);

    sample_init(&other, "General-1", "linucb", 30, 1);
    ck_assert_int_eq(stream(st, &other, &d), EC_OK);
    write_sample(path, "General-0", "oracle", 100, 0, 0); /* unfinished */
    ck_assert_int_eq(ec_store_run_done(st, "General-0", &done, &d), EC_OK);
    ck_assert_int_eq(done, 0);
    sample_init(&b, "General-0", "oracle", 50, 0);
    ck_assert_int_eq(stream(st, &b, &d), EC_OK);
    ck_assert_int_eq(ec_store_run_done(st, "General-0", &done, &d), EC_OK);
    ck_assert_int_eq(done, 1);
    ck_assert_int_eq(ec_store_run_done(st, "General-1", &done, &d), EC_OK);
    ck_assert_int_eq(done, 1);
    ec_store_free(st);

    sqlite3 *db = db_open(path);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM run"), 2);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM run WHERE runName ="
                               " 'General-0'"), 1);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM frame WHERE runId ="
                               " (SELECT runId FROM run WHERE runName ="
                               " 'General-0')"), 50);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM frame"), 80);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM runConfig"), 6);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM vector"), 2);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM vectorData"), 2 * N_VEC);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM vectorData WHERE"
                               " vectorId NOT IN (SELECT vectorId FROM"
                               " vector)"), 0);
    sqlite3_close(db);
    sample_free(&b);
    sample_free(&other);
}
END_TEST

/* A write that fails half-way leaves the database as it was. */
/* A run that fails half-way, while its frames are written in batches or
 * at the end, leaves nothing of itself; other runs are untouched. */
START_TEST(test_atomic)
{
    const char *path = tpath("a.db");
    ec_diag d = {0};
    write_sample(path, "General-1", "oracle", 10, 1, 0);
    write_sample(path, "General-0", "oracle", 10, 1, 0); /* replaced below */
    sqlite3 *db = db_open(path);
    ck_assert_int_eq(sqlite3_exec(db, "CREATE TRIGGER boom BEFORE INSERT ON"
                                  " frame WHEN NEW.frame = 5000 BEGIN"
                                  " SELECT RAISE(ABORT, 'boom'); END;"
                                  "CREATE TRIGGER bang BEFORE INSERT ON"
                                  " scalar WHEN NEW.scalarName = 'cumRegret_s'"
                                  " AND (SELECT runName FROM run WHERE runId ="
                                  " NEW.runId) = 'General-2'"
                                  " BEGIN SELECT RAISE(ABORT, 'bang'); END",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    ec_store *st;
    sample s;
    ck_assert_int_eq(ec_store_open(path, &st, &d), EC_OK);
    /* frame 5000 of device 0 is row 10000: in the second batch */
    sample_init(&s, "General-0", "oracle", 20000, 0);
    ec_store_run *r;
    ck_assert_int_eq(ec_store_begin(st, &s.info, &r, &d), EC_OK);
    size_t i = 0;
    while (i < s.n && ec_store_frame(r, &s.frames[i], &d) == EC_OK)
        i++;
    ck_assert_uint_eq(i + 1, 2 * EC_STORE_BATCH);
    ck_assert_ptr_nonnull(strstr(d.msg, "boom"));
    ck_assert_ptr_nonnull(strstr(d.msg, "General-0"));
    db = db_open(path); /* the first batch is in; the run is not done */
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM frame"), 10 + EC_STORE_BATCH);
    ck_assert_str_eq(q_text(db, "SELECT status FROM run WHERE runName = 'General-0'"),
                     "running");
    sqlite3_close(db);
    ck_assert_int_eq(ec_store_abort(r, &d), EC_OK);
    sample_free(&s);
    /* failing at the end: the scalars */
    sample_init(&s, "General-2", "oracle", 9000, 0);
    ck_assert_int_eq(stream(st, &s, &d), EC_EDB);
    ck_assert_ptr_nonnull(strstr(d.msg, "bang"));
    ck_assert_ptr_nonnull(strstr(d.msg, "General-2"));
    /* the store is still usable */
    int done = -1;
    ck_assert_int_eq(ec_store_run_done(st, "General-0", &done, &d), EC_OK);
    ck_assert_int_eq(done, 0);
    ck_assert_int_eq(ec_store_run_done(st, "General-1", &done, &d), EC_OK);
    ck_assert_int_eq(done, 1);
    ec_store_free(st);
    sample_free(&s);

    db = db_open(path);
    ck_assert_str_eq(q_text(db, "SELECT group_concat(runName || ':' || status)"
                                " FROM run"), "General-1:done");
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM frame"), 10);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM scalar"), 3);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM vector"), 1);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM vectorData"), N_VEC);
    sqlite3_close(db);
}
END_TEST

/* A process killed half-way through a run leaves it 'running' with the
 * batches it wrote; no reader sees it (ec_store_run_done, the summary
 * table, the figures, merge), and writing it again replaces it. */
START_TEST(test_killed_run)
{
    const char *path = tpath("k.db"), *out = tpath("ko.db");
    ec_diag d = {0};
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        ec_store *st;
        ec_store_run *r;
        sample s;
        sample_init(&s, "General-0", "oracle", 20000, 1);
        if (ec_store_open(path, &st, &d) || ec_store_begin(st, &s.info, &r, &d))
            _exit(1);
        for (size_t i = 0; i < s.n; i++)
            if (ec_store_frame(r, &s.frames[i], &d))
                _exit(1);
        raise(SIGKILL);
        _exit(2);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    sqlite3 *db = db_open(path);
    ck_assert_str_eq(q_text(db, "SELECT status FROM run"), "running");
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM frame"), 2 * EC_STORE_BATCH);
    sqlite3_close(db);
    ec_store *st;
    int done = -1;
    ck_assert_int_eq(ec_store_open(path, &st, &d), EC_OK);
    ck_assert_int_eq(ec_store_run_done(st, "General-0", &done, &d), EC_OK);
    ck_assert_int_eq(done, 0);
    ec_store_free(st);
    char table[4096];
    const char *names[] = {"General-0"};
    FILE *f = fmemopen(table, sizeof table, "w");
    ec_reader *rd;
    ck_assert_int_eq(ec_reader_open(path, &rd, &d), EC_OK);
    ck_assert_int_eq(ec_summary_print(rd, names, 1, f, &d), EC_OK);
    ec_reader_free(rd);
    fclose(f);
    ck_assert_ptr_null(strstr(table, "General-0")); /* the header only */
    ck_assert_ptr_nonnull(strstr(table, "mean ms"));
    ck_assert_int_eq(plot_db(path, tpath("fig"), "png", NULL, 0, &d), EC_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(d.msg, "no finished run"));
    const char *ins[] = {path};
    ck_assert_int_eq(ec_store_merge(out, ins, 1, &d), EC_OK);
    db = db_open(out);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM run"), 0);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM frame"), 0);
    sqlite3_close(db);

    /* the rerun completes it: one run row, each frame once */
    write_sample(path, "General-0", "oracle", 20000, 1, 1);
    db = db_open(path);
    ck_assert_str_eq(q_text(db, "SELECT group_concat(status) FROM run"), "done");
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM frame"), 20000);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(DISTINCT device || ':' || frame) FROM frame"),
                     20000);
    sqlite3_close(db);
    f = fmemopen(table, sizeof table, "w");
    ck_assert_int_eq(ec_reader_open(path, &rd, &d), EC_OK);
    ck_assert_int_eq(ec_summary_print(rd, names, 1, f, &d), EC_OK);
    ec_reader_free(rd);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(table, "General-0"));
}
END_TEST

START_TEST(test_bad_paths)
{
    ec_store *st = (ec_store *)&st;
    ec_diag d = {0};
    ck_assert_int_eq(ec_store_open("/nonexistent-dir/x/r.db", &st, &d),
                     EC_EDB);
    ck_assert_ptr_null(st);
    ck_assert_ptr_nonnull(strstr(d.msg, "/nonexistent-dir/x/r.db"));
    ck_assert_int_eq(ec_store_open(tmpdir, &st, &d), EC_EDB);
    ck_assert_ptr_null(st);

    const char *txt = tpath("notes.txt");
    FILE *f = fopen(txt, "w");
    ck_assert_ptr_nonnull(f);
    fputs("this is not a database, just some words of text long enough to\n"
          "fill a header page of a file..................................\n",
          f);
    fclose(f);
    ck_assert_int_eq(ec_store_open(txt, &st, &d), EC_ENOTFOUND); /* bad input: exit 2 */
    ck_assert_ptr_nonnull(strstr(d.msg, "notes.txt"));

    if (geteuid() != 0) { /* root writes read-only files anyway */
        const char *ro = tpath("ro.db");
        write_sample(ro, "General-0", "oracle", 10, 1, 0);
        ck_assert_int_eq(chmod(ro, 0444), 0);
        ck_assert_int_eq(ec_store_open(ro, &st, &d), EC_EDB);
        ck_assert_ptr_nonnull(strstr(d.msg, "read-only"));
    }

    /* a run without a name */
    sample s;
    ck_assert_int_eq(ec_store_open(tpath("ok.db"), &st, &d), EC_OK);
    sample_init(&s, NULL, "oracle", 10, 0);
    ec_store_run *r = (ec_store_run *)&s;
    ck_assert_int_eq(ec_store_begin(st, &s.info, &r, &d), EC_EDB);
    ck_assert_ptr_null(r);
    /* one run at a time per store */
    s.info.run_name = "General-0";
    ck_assert_int_eq(ec_store_begin(st, &s.info, &r, &d), EC_OK);
    ec_store_run *r2 = (ec_store_run *)&s;
    ck_assert_int_eq(ec_store_begin(st, &s.info, &r2, &d), EC_EDB);
    ck_assert_ptr_null(r2);
    ck_assert_int_eq(ec_store_abort(r, &d), EC_OK);
    ck_assert_int_eq(ec_store_abort(NULL, &d), EC_OK);
    sample_free(&s);
    ec_store_free(st);
    ec_store_free(NULL);
}
END_TEST

/* Worker processes writing one new database at the same time. */
START_TEST(test_concurrent_writers)
{
    const char *path = tpath("c.db");
    enum { WORKERS = 4, RUNS = 3 };
    pid_t pid[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
        pid[w] = fork();
        ck_assert_int_ge(pid[w], 0);
        if (pid[w] == 0) {
            ec_store *st;
            ec_diag d = {0};
            int bad = ec_store_open(path, &st, &d) != EC_OK;
            for (int r = 0; r < RUNS && !bad; r++) {
                char name[32];
                sample s;
                snprintf(name, sizeof name, "General-%d", w * RUNS + r);
                sample_init(&s, name, "linucb", 20000, 1);
                bad = stream(st, &s, &d) != EC_OK;
                sample_free(&s);
            }
            if (bad)
                fprintf(stderr, "worker %d: %s\n", w, d.msg);
            ec_store_free(st);
            _exit(bad);
        }
    }
    for (int w = 0; w < WORKERS; w++) {
        int status;
        ck_assert_int_eq(waitpid(pid[w], &status, 0), pid[w]);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    sqlite3 *db = db_open(path);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM run"), WORKERS * RUNS);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM frame"),
                     WORKERS * RUNS * 20000);
    /* batches of different runs interleave; each run has all its rows */
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM (SELECT runId FROM frame"
                               " GROUP BY runId HAVING COUNT(*) = 20000"
                               " AND COUNT(DISTINCT device || ':' || frame) = 20000)"),
                     WORKERS * RUNS);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM run WHERE status = 'done'"),
                     WORKERS * RUNS);
    sqlite3_close(db);
}
END_TEST

START_TEST(test_merge)
{
    const char *a = tpath("a.db"), *b = tpath("b.db"), *out = tpath("o.db");
    ec_diag d = {0};
    write_sample(a, "r1", "oracle", 100, 1, 0);
    write_sample(a, "r2", "linucb", 20000, 0, 1);  /* unfinished: not copied */
    write_sample(b, "r3", "mulinucb", 60, 1, 2);
    write_sample(b, "r1", "oracle", 70, 1, 0);     /* duplicate: skipped */
    write_sample(b, "r2", "linucb", 80, 1, 1);     /* the finished r2 */
    write_sample(b, "r4", "linucb", 9000, 0, 1);   /* unfinished: not copied */

    /* give each input vector values that name its run and input */
    sqlite3 *db = db_open(a);
    ck_assert_int_eq(sqlite3_exec(db, "UPDATE vectorData SET value = 1000 +"
                                  " (SELECT runId FROM vector v WHERE"
                                  " v.vectorId = vectorData.vectorId)",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    db = db_open(b);
    ck_assert_int_eq(sqlite3_exec(db, "UPDATE vectorData SET value = 2000 +"
                                  " (SELECT runId FROM vector v WHERE"
                                  " v.vectorId = vectorData.vectorId)",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    const char *const ins[] = {a, b};
    ck_assert_msg(ec_store_merge(out, ins, 2, &d) == EC_OK, "%s", d.msg);
    /* again: idempotent */
    ck_assert_msg(ec_store_merge(out, ins, 2, &d) == EC_OK, "%s", d.msg);

    db = db_open(out);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM run"), 3);
    ck_assert_str_eq(q_text(db, "SELECT group_concat(runName || ':' || status"
                                " || ':' || runId, ' ') FROM (SELECT * FROM"
                                " run ORDER BY runName)"),
                     "r1:done:1 r2:done:3 r3:done:2");
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM frame"), 100 + 80 + 60);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM frame f JOIN run r"
                               " USING (runId) WHERE r.runName = 'r1'"), 100);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM frame f JOIN run r"
                               " USING (runId) WHERE r.runName = 'r2'"), 80);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM runConfig"), 9);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM scalar"), 9);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM runAttr"), 6);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM runItervar"), 3);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM vector"), 3);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM vectorData"), 3 * N_VEC);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(DISTINCT runId) FROM frame"), 3);
    /* every vector's samples came from the same run of the same input:
     * r1 was run 1 of a; r3 was run 1 and r2 run 3 of b.  a's unfinished
     * r2 was not copied, so r3 took id 2 and b's r2 id 3; b's unfinished r4
     * is not there. */
    ck_assert_str_eq(q_text(db, "SELECT group_concat(x, ' ') FROM (SELECT"
                                " r.runName || '=' || MIN(d.value) || '..' ||"
                                " MAX(d.value) || '/' || COUNT(*) AS x FROM"
                                " vectorData d JOIN vector v USING (vectorId)"
                                " JOIN run r USING (runId) GROUP BY r.runName"
                                " ORDER BY r.runName)"),
                     "r1=1001.0..1001.0/400 r2=2003.0..2003.0/400 "
                     "r3=2001.0..2001.0/400");
    ck_assert_str_eq(q_text(db, "SELECT group_concat(configKey, ',') FROM"
                                " (SELECT configKey FROM runConfig c JOIN run"
                                " r USING (runId) WHERE r.runName = 'r3'"
                                " ORDER BY configOrder)"),
                     "seed,learner,frames");
    sqlite3_close(db);
}
END_TEST

START_TEST(test_merge_bad)
{
    const char *out = tpath("o.db"), *txt = tpath("junk.db");
    const char *empty = tpath("empty.db"), *good = tpath("g.db");
    ec_diag d = {0};
    FILE *f = fopen(txt, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 100; i++)
        fputs("definitely not SQLite\n", f);
    fclose(f);
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(empty, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE run (x)", NULL, NULL,
                                  NULL), SQLITE_OK);
    sqlite3_close(db);
    write_sample(good, "r1", "oracle", 10, 1, 0);

    const char *in1[] = {good, txt};
    ck_assert_int_eq(ec_store_merge(out, in1, 2, &d), EC_ENOTFOUND); /* bad input: exit 2 */
    ck_assert_ptr_nonnull(strstr(d.msg, "junk.db"));
    ck_assert_ptr_nonnull(strstr(d.msg, "not an edgecut results database"));
    const char *in2[] = {empty};
    ck_assert_int_eq(ec_store_merge(out, in2, 1, &d), EC_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(d.msg, "empty.db"));
    const char *in3[] = {tpath("missing.db")};
    ck_assert_int_eq(ec_store_merge(out, in3, 1, &d), EC_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(d.msg, "missing.db"));
    const char *in4[] = {out};
    ck_assert_int_eq(ec_store_merge(out, in4, 1, &d), EC_EUSAGE);
    const char *in5[] = {tmpdir};
    ck_assert_int_eq(ec_store_merge(out, in5, 1, &d), EC_ENOTFOUND);

    /* every input is checked before anything is written: no output file
     * was left behind, not even by the good input before the junk */
    ck_assert_int_ne(access(out, F_OK), 0);
    ck_assert_int_ne(access(tpath("o.db-wal"), F_OK), 0);
    /* an output that existed stays, with nothing merged into it */
    write_sample(out, "r0", "oracle", 10, 1, 0);
    ck_assert_int_eq(ec_store_merge(out, in1, 2, &d), EC_ENOTFOUND);
    db = db_open(out);
    ck_assert_int_eq(q_int(db, "SELECT COUNT(*) FROM run"), 1);
    ck_assert_str_eq(q_text(db, "SELECT runName FROM run"), "r0");
    sqlite3_close(db);
    /* the junk is intact */
    struct stat sb;
    ck_assert_int_eq(stat(txt, &sb), 0);
    ck_assert_int_eq(sb.st_size, 100 * 22);
}
END_TEST

/* One label per run, as the summary table (and the figure legends) show it:
 * the sweep values without replicate/seed, just the value of a lone
 * learner itervar, else the config's learner, else the run name. */
START_TEST(test_labels)
{
    const char *path = tpath("l.db");
    ec_diag d = {0};
    ec_store *st = store_at(path);
    sample s;
    sample_init(&s, "sweep-0", "linucb", 10, 1);
    s.itervars[1] = (ec_kv){"replicate", "3"};
    s.sum.n_itervars = 2;
    ck_assert_int_eq(stream(st, &s, &d), EC_OK); /* learner alone: its value */
    s.info.run_name = "sweep-1";
    s.itervars[1] = (ec_kv){"uplink.rate_mbps", "7.5"};
    ck_assert_int_eq(stream(st, &s, &d), EC_OK);
    s.info.run_name = "plain-0";
    s.sum.n_itervars = 0;
    ck_assert_int_eq(stream(st, &s, &d), EC_OK); /* the config's learner */
    s.info.run_name = "bare-0";
    s.sum.n_config = 1; /* seed only */
    ck_assert_int_eq(stream(st, &s, &d), EC_OK);
    ec_store_free(st);
    sample_free(&s);

    static const char *const names[] = {"sweep-0", "sweep-1", "plain-0", "bare-0"};
    static const char *const want[] = {"linucb", "learner=linucb, uplink.rate_mbps=7.5",
                                       "linucb", "bare-0"};
    ec_reader *rd;
    ck_assert_int_eq(ec_reader_open(path, &rd, &d), EC_OK);
    for (int i = 0; i < 4; i++) {
        char *label;
        ec_stored_run run;
        int found;
        ck_assert_int_eq(ec_reader_run(rd, names[i], &run, &found, &d), EC_OK);
        ck_assert_int_eq(found, 1);
        ck_assert_int_eq(run.id, i + 1);
        ck_assert_int_eq(ec_run_label(rd, &run, &label, &d), EC_OK);
        ck_assert_str_eq(label, want[i]);
        free(label);
        ec_stored_run_clear(&run);
    }
    char table[4096], line[256];
    FILE *f = fmemopen(table, sizeof table, "w");
    ck_assert_int_eq(ec_summary_print(rd, names, 4, f, &d), EC_OK);
    ec_reader_free(rd);
    fclose(f);
    for (int i = 0; i < 4; i++) {
        snprintf(line, sizeof line, "\n%-14s %-24s ", names[i], want[i]);
        ck_assert_msg(strstr(table, line), "%s not in\n%s", line, table);
    }
}
END_TEST


/* Curves are sweep points of one config: runs of two configs whose
 * itervars coincide are never averaged together; -c and --where select;
 * the label says what tells a curve apart and how many replicates it
 * averages. */
START_TEST(test_plot_groups)
{
    const char *path = tpath("g.db");
    ec_diag d = {0};
    ec_store *st = store_at(path);
    static const char *const configs[] = {"fcc", "mmwave"};
    static const char *const learners[] = {"oracle", "linucb"};
    char names[8][32];
    int k = 0;
    for (int c = 0; c < 2; c++)
        for (int l = 0; l < 2; l++)
            for (int rep = 0; rep < 2; rep++, k++) {
                snprintf(names[k], sizeof names[k], "%s-%d", configs[c], l * 2 + rep);
                put_run(st, names[k], configs[c], learners[l], rep, l, NAN);
            }
    ec_store_free(st);
    ec_reader *rd;
    ck_assert_int_eq(ec_reader_open(path, &rd, &d), EC_OK);
    ec_plot_groups g;
    ck_assert_int_eq(ec_plot_select(rd, NULL, &g, &d), EC_OK);
    ck_assert_int_eq(g.n, 4);
    static const char *const all[] = {"fcc: oracle (mean of 2)", "fcc: linucb (mean of 2)",
                                      "mmwave: oracle (mean of 2)", "mmwave: linucb (mean of 2)"};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_str_eq(g.g[i].label, all[i]);
        ck_assert_int_eq(g.g[i].n_runs, 2);
        ck_assert_int_eq(g.g[i].runs[0]->id, 2 * (int64_t)i + 1);
    }
    int64_t ids[2];
    ec_plot_group_ids(&g.g[3], ids);
    ck_assert(ids[0] == 7 && ids[1] == 8);
    ec_plot_groups_free(&g);
    char got[1024];
    const char *fcc[] = {"fcc"};
    ec_plot_filter f = {.configs = fcc, .n_configs = 1};
    ck_assert_int_eq(curves(rd, &f, got, sizeof got, &d), EC_OK);
    ck_assert_str_eq(got, "oracle (mean of 2) | linucb (mean of 2)");
    const char *oracle[] = {"learner=oracle"};
    f = (ec_plot_filter){.where = oracle, .n_where = 1};
    ck_assert_int_eq(curves(rd, &f, got, sizeof got, &d), EC_OK);
    ck_assert_str_eq(got, "fcc (mean of 2) | mmwave (mean of 2)");
    /* one curve left: its label says everything */
    const char *both[] = {"learner=linucb", "config=mmwave"};
    f = (ec_plot_filter){.where = both, .n_where = 2};
    ck_assert_int_eq(curves(rd, &f, got, sizeof got, &d), EC_OK);
    ck_assert_str_eq(got, "mmwave: linucb (mean of 2)");
    /* a config key; numbers compare as numbers */
    const char *frames[] = {"frames=2e4"};
    f = (ec_plot_filter){.where = frames, .n_where = 1};
    ck_assert_int_eq(curves(rd, &f, got, sizeof got, &d), EC_OK);
    ck_assert_str_eq(got, "fcc: oracle (mean of 2) | fcc: linucb (mean of 2) | "
                          "mmwave: oracle (mean of 2) | mmwave: linucb (mean of 2)");
    const char *none[] = {"frames=5"};
    f = (ec_plot_filter){.where = none, .n_where = 1};
    ck_assert_int_eq(curves(rd, &f, got, sizeof got, &d), EC_ENOTFOUND);
    ck_assert_msg(strstr(d.msg, "no finished run matches") &&
                  strstr(d.msg, "fcc (4 runs), mmwave (4 runs)") && strstr(d.msg, "learner"),
                  "%s", d.msg);
    const char *bad[] = {"learner"};
    f = (ec_plot_filter){.where = bad, .n_where = 1};
    ck_assert_int_eq(curves(rd, &f, got, sizeof got, &d), EC_EUSAGE);
    ec_reader_free(rd);
}
END_TEST


/* edgecut report: mean ± 95 % CI (Student's t) over the replicates of each
 * config and sweep point, against a hand computation: delays 0.1, 0.2 and
 * 0.4 s: mean 233.33 ms, s = 152.75 ms, t(0.975, 2) = 4.3027, half-width
 * 4.3027 * 152.75 / sqrt(3) = 379.46 ms; 0.05 and 0.07 s: 60 ms, s = 14.142,
 * t(0.975, 1) = 12.706, half-width 127.06 ms. */
/* A group's runs come in replicate order whatever order they were written
 * in (a sweep completed with --rerun): its first run is replicate 0. */
START_TEST(test_plot_groups_by_replicate)
{
    const char *path = tpath("r.db");
    ec_store *st;
    ec_diag d = {0};
    ck_assert_int_eq(ec_store_open(path, &st, &d), EC_OK);
    put_run(st, "General-2", "General", "oracle", 2, 0, NAN);
    put_run(st, "General-0", "General", "oracle", 0, 0, NAN);
    put_run(st, "General-1", "General", "oracle", 1, 0, NAN);
    ec_store_free(st);
    ec_reader *rd;
    ec_plot_groups g;
    ck_assert_int_eq(ec_reader_open(path, &rd, &d), EC_OK);
    ck_assert_int_eq(ec_plot_select(rd, NULL, &g, &d), EC_OK);
    ck_assert_int_eq(g.n, 1);
    ck_assert_int_eq(g.g[0].n_runs, 3);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(g.g[0].runs[i]->replicate, i);
    ck_assert_str_eq(g.g[0].runs[0]->name, "General-0");
    ec_plot_groups_free(&g);
    ec_reader_free(rd);
}
END_TEST

/* Heavy tails are flagged: a run whose mean delay exceeds its p95, or
 * whose longest frame is over 100 times its median (the numbers of a real
 * case: mean 23,057 ms, p95 4,515 ms, one frame of 1,017 s). */
START_TEST(test_heavy_tails)
{
    const char *path = tpath("h.db");
    ec_diag d = {0};
    ec_store *st = store_at(path);
    const ec_scalar_rec tame[] = { {"device[0]", "meanDelay_s", 0.3}, {"device[0]", "p50Delay_s", 0.25},
                                   {"device[0]", "p95Delay_s", 0.6}, {"device[0]", "maxDelay_s", 2} };
    const ec_scalar_rec wild[] = { {"device[0]", "meanDelay_s", 23.057}, {"device[0]", "p50Delay_s", 0.3},
                                   {"device[0]", "p95Delay_s", 4.515}, {"device[0]", "maxDelay_s", 1017} };
    const ec_scalar_rec *sc[2] = { tame, wild };
    for (int i = 0; i < 2; i++) {
        sample s;
        char name[16];
        snprintf(name, sizeof name, "%s-0", i ? "wild" : "tame");
        sample_init(&s, name, "oracle", 10, 0);
        s.info.config_name = i ? "wild" : "tame";
        s.sum.scalars = sc[i];
        s.sum.n_scalars = 4;
        ck_assert_int_eq(stream(st, &s, &d), EC_OK);
        sample_free(&s);
    }
    ec_store_free(st);
    ec_reader *rd;
    ec_plot_groups g;
    ck_assert_int_eq(ec_reader_open(path, &rd, &d), EC_OK);
    ck_assert_int_eq(ec_plot_select(rd, NULL, &g, &d), EC_OK);
    ck_assert_int_eq(g.n, 2);
    char why[512];
    int heavy;
    ck_assert_int_eq(ec_stat_heavy(rd, &g.g[0], &heavy, why, sizeof why, &d), EC_OK);
    ck_assert_int_eq(heavy, 0);
    ck_assert_int_eq(ec_stat_heavy(rd, &g.g[1], &heavy, why, sizeof why, &d), EC_OK);
    ck_assert_int_eq(heavy, 1);
    ck_assert_msg(strstr(why, "run wild-0: mean 23057 ms above its p95 4515 ms;") &&
                  strstr(why, "a frame of 1.02e+03 s, 3390x the median"), "%s", why);
    ec_plot_groups_free(&g);
    ec_reader_free(rd);
}
END_TEST

START_TEST(test_report_ci)
{
    const char *path = tpath("r.db");
    ec_diag d = {0};
    ec_store *st = store_at(path);
    static const double delay[] = {0.1, 0.2, 0.4, 0.05, 0.07};
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "%s-%d", i < 3 ? "a" : "b", i);
        put_run(st, name, i < 3 ? "a" : "b", "oracle", 1, 0, delay[i]);
    }
    ec_store_free(st);
    double mean, ci;
    double x[] = {100, 200, 400};
    ec_report_ci(x, 3, &mean, &ci);
    ck_assert_double_eq_tol(mean, 233.3333333, 1e-6);
    ck_assert_double_eq_tol(ci, 379.4583034, 1e-6);
    ec_report_ci(x, 1, &mean, &ci);
    ck_assert(mean == 100 && isnan(ci));

    char buf[4096];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    ck_assert_int_eq(ec_report(path, NULL, EC_REPORT_CSV, EC_CI_T, f, NULL, &d), EC_OK);
    fclose(f);
    ck_assert_str_eq(buf, "config,point,n,delay_ms,delay_ms_ci95,regret_s,regret_s_ci95\n"
                          "a,learner=oracle,3,233.3333333,379.4583034,1.5,0\n"
                          "b,learner=oracle,2,60,127.0620474,1.5,0\n");
    f = fmemopen(buf, sizeof buf, "w");
    ck_assert_int_eq(ec_report(path, NULL, EC_REPORT_TEXT, EC_CI_T, f, NULL, &d), EC_OK);
    fclose(f);
    ck_assert_str_eq(buf, "config  point           n       delay ms       regret s\n"
                          "a       learner=oracle  3  233.3 ± 379.5  1.500 ± 0.000\n"
                          "b       learner=oracle  2   60.0 ± 127.1  1.500 ± 0.000\n"
                          "mean ± half-width of its 95 % confidence interval over the "
                          "replicates (Student's t, n - 1 degrees of freedom)\n");
    const char *only_b[] = {"b"};
    ec_plot_filter fb = {.configs = only_b, .n_configs = 1};
    f = fmemopen(buf, sizeof buf, "w");
    ck_assert_int_eq(ec_report(path, &fb, EC_REPORT_MARKDOWN, EC_CI_T, f, NULL, &d), EC_OK);
    fclose(f);
    ck_assert_str_eq(buf, "| config | point          |   n |     delay ms |      regret s |\n"
                          "| ------ | -------------- | --: | -----------: | ------------: |\n"
                          "| b      | learner=oracle |   2 | 60.0 ± 127.1 | 1.500 ± 0.000 |\n"
                          "\nmean ± half-width of its 95 % confidence interval over the "
                          "replicates (Student's t, n - 1 degrees of freedom)\n");
    /* the percentile bootstrap: an interval inside the data's range, the
     * same on every call (fixed seed); the t interval of a reaches below
     * zero, and the warnings say so */
    double lo, hi, m2;
    ec_stat_ci(x, 3, EC_CI_BOOTSTRAP, &m2, &lo, &hi);
    ck_assert(fabs(m2 - 700.0 / 3) < 1e-9 && lo >= 100 && hi <= 400 && lo < m2 && m2 < hi);
    double lo2, hi2;
    ec_stat_ci(x, 3, EC_CI_BOOTSTRAP, &m2, &lo2, &hi2);
    ck_assert(lo2 == lo && hi2 == hi);
    f = fmemopen(buf, sizeof buf, "w");
    ck_assert_int_eq(ec_report(path, NULL, EC_REPORT_CSV, EC_CI_BOOTSTRAP, f, NULL, &d), EC_OK);
    fclose(f);
    ck_assert_msg(!strncmp(buf, "config,point,n,delay_ms,delay_ms_lo,delay_ms_hi,regret_s,"
                                "regret_s_lo,regret_s_hi\n", 80), "%s", buf);
    char warn[2048];
    FILE *w = fmemopen(warn, sizeof warn, "w");
    f = fmemopen(buf, sizeof buf, "w");
    ck_assert_int_eq(ec_report(path, NULL, EC_REPORT_TEXT, EC_CI_T, f, w, &d), EC_OK);
    fclose(f);
    fclose(w);
    ck_assert_msg(strstr(warn, "warning: a (learner=oracle): a 95 % interval reaches below zero"),
                  "%s", warn);
}
END_TEST

/* ---- plot tests ------------------------------------------------------------ */


static void assert_nonempty(const char *path)
{
    struct stat sb;
    ck_assert_msg(stat(path, &sb) == 0 && sb.st_size > 1000,
                  "%s missing or tiny", path);
}

START_TEST(test_plot_two_runs)
{
    tu_need_gnuplot();
    const char *db = tpath("p.db");
    ec_diag d = {0};
    write_sample(db, "General-0", "oracle", 4000, 1, 0);
    write_sample(db, "General-1", "mulinucb", 4000, 1, 3);
    const char *fig = tpath("fig/sub");
    ck_assert_msg(plot_db(db, fig, "png", NULL, 0, &d) == EC_OK, "%s", d.msg);
    assert_nonempty(tpath("fig/sub/regret.png"));
    assert_nonempty(tpath("fig/sub/cdf.png"));
    assert_nonempty(tpath("fig/sub/delay.png"));
    assert_nonempty(tpath("fig/sub/cuts.png"));
    assert_nonempty(tpath("fig/sub/cuts.gp"));
    assert_nonempty(tpath("fig/sub/cuts.dat"));
    /* no sweep axis: not drawn when every figure is asked for, an error
     * when it is asked for by name */
    ck_assert_int_eq(access(tpath("fig/sub/sweep-delay.png"), F_OK), -1);
    const char *sweep[] = {"sweep"};
    ck_assert_int_eq(plot_db(db, fig, "png", sweep, 1, &d), EC_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(d.msg, "no sweep axis"));

    const char *one[] = {"cuts"};
    ck_assert_msg(plot_db(db, fig, "pdf", one, 1, &d) == EC_OK, "%s", d.msg);
    assert_nonempty(tpath("fig/sub/cuts.pdf"));
    ck_assert_int_eq(access(tpath("fig/sub/regret.pdf"), F_OK), -1);
    const char *two[] = {"delay", "regret"};
    ck_assert_msg(plot_db(db, fig, "svg", two, 2, &d) == EC_OK, "%s", d.msg);
    assert_nonempty(tpath("fig/sub/delay.svg"));
    assert_nonempty(tpath("fig/sub/regret.svg"));
}
END_TEST

START_TEST(test_plot_many_runs)
{
    tu_need_gnuplot();
    static const char *const learners[] = {"oracle", "mulinucb", "linucb",
        "neurosurgeon", "edgent", "fedlinucb-dw", "sac-d", "random"};
    const char *db = tpath("m.db");
    ec_diag d = {0};
    char name[32];
    for (int i = 0; i < 8; i++) {
        snprintf(name, sizeof name, "ans-compare-%d", i);
        write_sample(db, name, learners[i], 20000, 1, i);
    }
    /* a second replicate of linucb and a failed run that is not drawn */
    write_sample(db, "ans-compare-8", "linucb", 20000, 1, 4);
    write_sample(db, "ans-compare-9", "broken", 20000, 0, 9);
    ck_assert_msg(plot_db(db, tmpdir, "png", NULL, 0, &d) == EC_OK, "%s",
                  d.msg);
    assert_nonempty(tpath("regret.png"));
    assert_nonempty(tpath("delay.png"));
    assert_nonempty(tpath("cuts.png"));
    /* 8 curves fit one panel */
    char text[1 << 16];
    FILE *f = fopen(tpath("regret.gp"), "r");
    ck_assert_ptr_nonnull(f);
    text[fread(text, 1, sizeof text - 1, f)] = '\0';
    fclose(f);
    ck_assert_ptr_null(strstr(text, "multiplot"));
    /* 10 curves of two configs: a panel per config, each with its own key */
    const char *db2 = tpath("m2.db");
    ec_store *st = store_at(db2);
    for (int i = 0; i < 10; i++) {
        snprintf(name, sizeof name, "%s-%d", i < 5 ? "fcc" : "lte", i);
        put_run(st, name, i < 5 ? "fcc" : "lte", learners[i % 5], 0, i % 5, NAN);
    }
    ec_store_free(st);
    const char *fig[] = {"regret"};
    ck_assert_msg(plot_db(db2, tpath("m2"), "png", fig, 1, &d) == EC_OK, "%s", d.msg);
    f = fopen(tpath("m2/regret.gp"), "r");
    ck_assert_ptr_nonnull(f);
    text[fread(text, 1, sizeof text - 1, f)] = '\0';
    fclose(f);
    ck_assert_msg(strstr(text, "set multiplot layout 2,1\nset title 'fcc' noenhanced") &&
                  strstr(text, "set title 'lte' noenhanced") && strstr(text, "unset multiplot"),
                  "%s", text);
    assert_nonempty(tpath("m2/regret.png"));
    const char *keep = getenv("EC_TEST_KEEP_PLOTS"); /* to look at them */
    if (keep && *keep) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "cp %s/*.png '%s'/", tmpdir, keep);
        ck_assert_int_eq(system(cmd), 0);
    }
}
END_TEST

START_TEST(test_plot_errors)
{
    const char *db = tpath("e.db"), *fig = tpath("fig");
    ec_diag d = {0};
    const char *bad[] = {"regret", "latency"};
    ck_assert_int_eq(plot_db(db, fig, "png", bad, 2, &d), EC_EUSAGE);
    ck_assert_ptr_nonnull(strstr(d.msg, "latency"));
    ck_assert_ptr_nonnull(strstr(d.msg, "regret, cdf, delay, cuts, sweep"));
    ck_assert_int_eq(plot_db(db, fig, "jpeg", NULL, 0, &d), EC_EUSAGE);

    const char *const *names = ec_plot_figure_names();
    ck_assert_str_eq(names[0], "regret");
    ck_assert_str_eq(names[1], "cdf");
    ck_assert_str_eq(names[2], "delay");
    ck_assert_str_eq(names[3], "cuts");
    ck_assert_str_eq(names[4], "sweep");
    ck_assert_str_eq(names[5], "reward");
    ck_assert_ptr_null(names[6]);

    const char *old = getenv("PATH");
    char *saved = old ? strdup(old) : NULL;
    setenv("EC_GNUPLOT", "/nonexistent/gnuplot", 1);
    ck_assert_int_eq(plot_db(db, fig, "png", NULL, 0, &d), EC_ERUNTIME);
    ck_assert_ptr_nonnull(strstr(d.msg, "gnuplot not found"));
    unsetenv("EC_GNUPLOT");
    setenv("PATH", tmpdir, 1);
    ck_assert_int_eq(plot_db(db, fig, "png", NULL, 0, &d), EC_ERUNTIME);
    ck_assert_str_eq(d.msg, "gnuplot not found; install gnuplot "
                            "(apt-get install gnuplot-nox)");
    if (saved)
        setenv("PATH", saved, 1);
    free(saved);
    tu_need_gnuplot();

    ck_assert_int_eq(plot_db(db, fig, "png", NULL, 0, &d), EC_ENOTFOUND);
    const char *junk = tpath("junk.db");
    FILE *jf = fopen(junk, "w");
    ck_assert_ptr_nonnull(jf);
    for (int i = 0; i < 100; i++)
        fputs("definitely not SQLite\n", jf);
    fclose(jf);
    ck_assert_int_eq(plot_db(junk, fig, "png", NULL, 0, &d), EC_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(d.msg, "junk.db"));
    ec_store *st;
    ck_assert_int_eq(ec_store_open(db, &st, &d), EC_OK);
    ec_store_free(st);
    ck_assert_int_eq(plot_db(db, fig, "png", NULL, 0, &d), EC_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(d.msg, "no finished run"));
    write_sample(db, "General-0", "oracle", 20000, 0, 0);
    ck_assert_int_eq(plot_db(db, fig, "png", NULL, 0, &d), EC_ENOTFOUND);
    write_sample(db, "General-1", "oracle", 0, 1, 0);
    ck_assert_int_eq(plot_db(db, fig, "png", NULL, 0, &d), EC_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(d.msg, "no frame rows"));
    write_sample(db, "General-1", "oracle", 100, 1, 0);
    ck_assert_msg(plot_db(db, fig, "png", NULL, 0, &d) == EC_OK, "%s", d.msg);

    /* a script error in gnuplot is reported */
    const char *fake = tpath("fakeplot");
    FILE *f = fopen(fake, "w");
    ck_assert_ptr_nonnull(f);
    fputs("#!/bin/sh\necho 'line 3: something broke' >&2\nexit 1\n", f);
    fclose(f);
    chmod(fake, 0755);
    const char *jobs = tpath("jobs"); /* where the gnuplot jobs' files go */
    ck_assert_int_eq(mkdir(jobs, 0700), 0);
    setenv("TMPDIR", jobs, 1);
    setenv("EC_GNUPLOT", fake, 1);
    ck_assert_int_eq(plot_db(db, fig, "png", NULL, 0, &d), EC_ERUNTIME);
    ck_assert_ptr_nonnull(strstr(d.msg, "something broke"));
    /* `edgecut trace plot` drives gnuplot the same way */
    ec_trace *t;
    ck_assert_int_eq(ec_trace_constant(2e6, &t, &d), EC_OK);
    ck_assert_int_eq(ec_trace_plot(t, 1e6, "t", "Mbit/s", tpath("t.png"), &d), EC_ERUNTIME);
    ck_assert_ptr_nonnull(strstr(d.msg, "something broke"));
    ck_assert_ptr_nonnull(strstr(d.msg, "failed (exit 1)"));
    setenv("EC_GNUPLOT", "/nonexistent/gnuplot", 1);
    ck_assert_int_eq(ec_trace_plot(t, 1e6, "t", "Mbit/s", tpath("t.png"), &d), EC_ERUNTIME);
    ck_assert_ptr_nonnull(strstr(d.msg, "gnuplot not found (EC_GNUPLOT=/nonexistent/gnuplot)"));
    unsetenv("EC_GNUPLOT");
    ck_assert_int_eq(ec_trace_plot(t, 1e6, "t", "Mbit/s", tpath("t.png"), &d), EC_OK);
    assert_nonempty(tpath("t.png"));
    ec_trace_free(t);
    unsetenv("TMPDIR");
    /* every job removed its directory */
    DIR *dp = opendir(jobs);
    ck_assert_ptr_nonnull(dp);
    struct dirent *e;
    int left = 0;
    while ((e = readdir(dp)))
        left += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(dp);
    ck_assert_int_eq(left, 0);
}
END_TEST


/* The read API gives back what was written: the run row and itervars,
 * config values, scalars in order, frames by device then frame (a NULL
 * regret as -1, a NULL energy as NaN; a device and a time limit select),
 * the vector's samples, and only finished runs. */
typedef struct frame_log {
    const sample *s;
    size_t n;       /* frames seen */
    int device;     /* the device asked for, -1: all */
    int64_t last;   /* device * 2^32 + frame of the last frame seen */
} frame_log;

static int check_frame(void *ctx, const ec_frame_rec *f)
{
    frame_log *l = ctx;
    int64_t key = ((int64_t)f->device << 32) + f->frame;
    ck_assert_int_gt(key, l->last);  /* by device, then frame */
    l->last = key;
    if (l->device >= 0)
        ck_assert_int_eq(f->device, l->device);
    const ec_frame_rec *w = &l->s->frames[2 * f->frame + f->device];
    ck_assert_int_eq(f->delay_ns, w->delay_ns);
    ck_assert_int_eq(f->cut, w->cut);
    ck_assert_int_eq(f->keyframe, w->keyframe);
    ck_assert_int_eq(f->regret_ns, w->regret_ns);     /* -1 where stored as NULL */
    ck_assert(isnan(w->energy_j) ? isnan(f->energy_j) : f->energy_j == w->energy_j);
    ck_assert(f->accuracy == w->accuracy);
    l->n++;
    return EC_OK;
}

static int count_sample(void *ctx, int64_t t_ns, double v)
{
    (void)t_ns;
    ck_assert(v > 0);
    ++*(size_t *)ctx;
    return EC_OK;
}

START_TEST(test_reader)
{
    const char *path = tpath("r.db");
    ec_diag d = {0};
    ec_store *st;
    sample s;
    sample_init(&s, "General-3", "linucb", 40, 1);
    s.frames[0].regret_ns = s.frames[0].best_ns = -1;  /* device 0, frame 0: no regret */
    s.frames[2].regret_ns = s.frames[2].best_ns = -1;
    s.frames[3].energy_j = NAN;                        /* device 1, frame 1 */
    s.frames[2].energy_j = NAN;                        /* device 0, frame 1 */
    ck_assert_int_eq(ec_store_open(path, &st, &d), EC_OK);
    ck_assert_int_eq(stream(st, &s, &d), EC_OK);
    ec_run_info other = s.info;                        /* a run left unfinished */
    other.run_name = "General-4";
    ec_store_run *open_run;
    ck_assert_int_eq(ec_store_begin(st, &other, &open_run, &d), EC_OK);
    ck_assert_int_eq(ec_store_frame(open_run, &s.frames[0], &d), EC_OK);
    ec_reader *rd;
    ck_assert_int_eq(ec_reader_open(path, &rd, &d), EC_OK);
    ec_stored_run *runs;
    size_t n;
    ck_assert_int_eq(ec_reader_runs(rd, &runs, &n, &d), EC_OK);
    ck_assert_int_eq(n, 1);
    ck_assert_str_eq(runs[0].name, "General-3");
    ck_assert_str_eq(runs[0].config, "General");
    ck_assert_int_eq(runs[0].run_number, 3);
    ck_assert_int_eq(runs[0].replicate, 1);
    ck_assert_uint_eq(runs[0].seed, 42);
    ck_assert_str_eq(runs[0].fingerprint, "fedcba9876543210");
    ck_assert_int_eq(runs[0].n_itervars, 1);
    ck_assert_str_eq(runs[0].itervars[0].value, "linucb");
    int64_t id = runs[0].id;
    ec_stored_runs_free(runs, n);
    int found;
    ec_stored_run one;
    ck_assert_int_eq(ec_reader_run(rd, "General-4", &one, &found, &d), EC_OK);
    ck_assert_int_eq(found, 0);  /* not finished */
    char *v;
    ck_assert_int_eq(ec_reader_config(rd, id, "frames", &v, &d), EC_OK);
    ck_assert_str_eq(v, "20000");
    free(v);
    ck_assert_int_eq(ec_reader_config(rd, id, "nothing", &v, &d), EC_OK);
    ck_assert_ptr_null(v);
    ec_stored_scalar *sc;
    ck_assert_int_eq(ec_reader_scalars(rd, id, &sc, &n, &d), EC_OK);
    ck_assert_int_eq(n, 3);
    ck_assert_str_eq(sc[1].name, "cumRegret_s");
    ck_assert(sc[1].value == 1.5);
    ec_stored_scalars_free(sc, n);
    double x;
    ck_assert_int_eq(ec_reader_scalar(rd, id, "run", "frames", &x, &found, &d), EC_OK);
    ck_assert(found && x == 40);
    ck_assert_int_eq(ec_reader_scalar(rd, id, "device[0]", "frames", &x, &found, &d), EC_OK);
    ck_assert_int_eq(found, 0);
    frame_log all = { &s, 0, -1, -1 };
    ck_assert_int_eq(ec_reader_frames(rd, id, NULL, check_frame, &all, &d), EC_OK);
    ck_assert_int_eq(all.n, 40);
    frame_log dev1 = { &s, 0, 1, -1 };
    ec_frame_query q = { 1, 10 * 33333333 };
    ck_assert_int_eq(ec_reader_frames(rd, id, &q, check_frame, &dev1, &d), EC_OK);
    ck_assert_int_eq(dev1.n, 10);
    int any;
    ck_assert_int_eq(ec_reader_has_frames(rd, &id, 1, 1, &any, &d), EC_OK);
    ck_assert_int_eq(any, 1);
    ck_assert_int_eq(ec_reader_has_frames(rd, &id, 1, 2, &any, &d), EC_OK);
    ck_assert_int_eq(any, 0);
    size_t samples = 0;
    ck_assert_int_eq(ec_reader_vector(rd, id, "uplink", "capacity_bps", count_sample, &samples,
                                      &found, &d), EC_OK);
    ck_assert(found && samples > 1);
    ck_assert_int_eq(ec_reader_vector(rd, id, "cell.uplink", "capacity_bps", count_sample,
                                      &samples, &found, &d), EC_OK);
    ck_assert_int_eq(found, 0);
    ec_reader_free(rd);
    ck_assert_int_eq(ec_store_abort(open_run, &d), EC_OK);
    ec_store_free(st);
    sample_free(&s);
    /* not a database; not there */
    ck_assert_int_eq(ec_reader_open(tpath("nothing.db"), &rd, &d), EC_ENOTFOUND);
    FILE *f = fopen(tpath("text.db"), "w");
    fputs("not a database at all, but long enough to be read as one\n", f);
    fclose(f);
    ck_assert_int_eq(ec_reader_open(tpath("text.db"), &rd, &d), EC_ENOTFOUND);
    ck_assert_msg(strstr(d.msg, "not an edgecut results database"), "%s", d.msg);
}
END_TEST

static Suite *store_suite(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("store");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_write_read);
    tcase_add_test(tc, test_reader);
    tcase_add_test(tc, test_row_counts);
    tcase_add_test(tc, test_rewrite_and_done);
    tcase_add_test(tc, test_atomic);
    tcase_add_test(tc, test_killed_run);
    tcase_add_test(tc, test_labels);
    tcase_add_test(tc, test_plot_groups);
    tcase_add_test(tc, test_plot_groups_by_replicate);
    tcase_add_test(tc, test_report_ci);
    tcase_add_test(tc, test_heavy_tails);
    tcase_add_test(tc, test_bad_paths);
    tcase_add_test(tc, test_concurrent_writers);
    tcase_add_test(tc, test_merge);
    tcase_add_test(tc, test_merge_bad);
    suite_add_tcase(s, tc);
    tc = tcase_create("plot");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_plot_two_runs);
    tcase_add_test(tc, test_plot_many_runs);
    tcase_add_test(tc, test_plot_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run(store_suite());
}
