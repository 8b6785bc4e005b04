/* Every registered learner runs as a user writes it: with its own defaults
 * (no parameter, no `features` key: each takes the context it declares) on
 * every shipped model and every shipped device, a short run each (24
 * frames over a 20 Mbit/s uplink).  Each failure is printed on stderr and
 * the first few are in the message. */
#include "learners/learner.h"
#include "models/device.h"
#include "models/model.h"

#include "testutil.h"
#include "testworld.h"

#include <check.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

START_TEST(every_learner_runs_with_its_defaults)
{
    char fails[2048] = "";
    size_t n_fail = 0, n_runs = 0;
    for (size_t l = 0; ec_learner_types[l]; l++)
        /* python's decisions come from the Python package (python/tests/) */
        for (size_t m = 0; strcmp(ec_learner_types[l]->name, "python") && ec_model_builtin(m); m++)
            for (size_t v = 0; ec_device_builtin(v); v++) {
                const char *ln = ec_learner_types[l]->name, *mn = ec_model_builtin(m),
                           *dn = ec_device_builtin(v);
                char ini[512];
                snprintf(ini, sizeof ini, "[General]\nframes = 24\nregret = off\n"
                         "uplink.rate_mbps = 20\ndownlink.rate_mbps = 50\nlearner = %s\n"
                         "model = %s\ndevice = %s\n", ln, mn, dn);
                world w;
                int rc = tw_sim(&w, ini);
                n_runs++;
                if (rc) {
                    fprintf(stderr, "every_learner_runs_with_its_defaults: %s on %s/%s: %s\n",
                            ln, dn, mn, w.d.msg);
                    size_t len = strlen(fails);
                    if (n_fail++ < 4)
                        snprintf(fails + len, sizeof fails - len, "\n  %s on %s/%s: %.300s", ln,
                                 dn, mn, w.d.msg);
                }
                tw_release(&w);
            }
    ck_assert_msg(n_fail == 0, "%zu of %zu runs failed (each on stderr):%s", n_fail, n_runs,
                  fails);
}
END_TEST

int main(void)
{
    gsl_set_error_handler_off();
    Suite *s = suite_create("defaults");
    TCase *tc = tcase_create("learners");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, every_learner_runs_with_its_defaults);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
