/* The papers' claims that need training runs (minutes of CPU): suite
 * `slow`.  Each test runs a shipped config, as its comment block says,
 * with fewer replicates, and checks the claim as a bound with its reason. */
#include "testdb.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

static char tmpdir[256];

/* On-time accuracy of the run of eval whose itervar learner is `learner`
 * and whose replicate is rep. */
static double on_time(const char *db, const char *learner, int rep)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT s.scalarValue FROM scalar s JOIN run r USING (runId) "
             "JOIN runItervar i USING (runId) WHERE r.configName = 'eval' "
             "AND i.itervarName = 'learner' AND i.itervarValue = '%s' AND r.replicate = %d "
             "AND s.moduleName = 'device[0]' AND s.scalarName = 'onTimeAccuracy'",
             learner, rep);
    return tdb_num(db, sql);
}

/* SAC-d (configs/sacd/deadline.ini), trained on seeds 1-3 at the 20 ms
 * deadline and replayed greedily on seeds 101-103, which it never saw,
 * beats Edgent on on-time accuracy (accuracy x deadline met) on each seed,
 * and by at least 0.10 on their mean.  Why it holds: Edgent profiled the
 * Raspberry Pi before frame 0 and never sees its load, so it plays exit 2
 * on the device (7 ms unloaded), which misses 20 ms whenever the load is
 * 4 (28 ms): about a third of the time, whatever the link; SAC-d sees the
 * load and the recent throughputs and offloads then, as the oracle does.
 * Measured: SAC-d 0.713, 0.773, 0.768, Edgent 0.560, 0.569, 0.550 (the
 * oracle 0.760, 0.781, 0.773): a margin of 0.19 on the mean, nearly twice
 * the bound.  A SAC-d that had not learned (random play: 0.21 on seed 1) would fail
 * it, and so would device only (0.55) or edge only (0.44). */
START_TEST(sacd_beats_edgent_on_unseen_seeds)
{
    char out[16384], db[512], ck[512];
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ec_claims_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(db, sizeof db, "%s/sacd.db", tmpdir);
    snprintf(ck, sizeof ck, "%s/ck-{replicate}.bin", tmpdir);
    static const char *const common = "--set repeat=3 --set deadline_ms=20 -q -j 2";
    ck_assert_msg(tu_cli(out, sizeof out, "run configs/sacd/deadline.ini %s "
                         "--set sacd.checkpoint=%s --db %s", common, ck, db) == 0, "%s", out);
    ck_assert_msg(tu_cli(out, sizeof out, "run configs/sacd/deadline.ini -c eval %s "
                         "--set 'learner=${sacd, edgent}' --set sacd.checkpoint=%s --db %s",
                         common, ck, db) == 0, "%s", out);
    double sum_sacd = 0, sum_edgent = 0;
    for (int rep = 0; rep < 3; rep++) {
        double s = on_time(db, "sacd", rep), e = on_time(db, "edgent", rep);
        printf("sacd claim: seed %d: on-time accuracy SAC-d %.4f, Edgent %.4f\n", 101 + rep,
               s, e);
        ck_assert_msg(s > e, "seed %d: SAC-d %.4f, Edgent %.4f", 101 + rep, s, e);
        sum_sacd += s;
        sum_edgent += e;
    }
    ck_assert_msg(sum_sacd / 3 >= sum_edgent / 3 + 0.10, "mean: SAC-d %.4f, Edgent %.4f",
                  sum_sacd / 3, sum_edgent / 3);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("claims");
    TCase *tc = tcase_create("sacd");
    tcase_set_timeout(tc, 3600);
    tcase_add_test(tc, sacd_beats_edgent_on_unseen_seeds);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
