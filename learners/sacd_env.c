/* sacd_env: SAC-d's state and reward (see sacd_env.h). */
#include "learners/sacd_env.h"

#include <math.h>

/* ln(1 + Mbit/s) / ln(101) of a throughput in bit/s; 0 when unknown. */
static double tput_feature(double bps)
{
    return isfinite(bps) && bps > 0 ? log1p(bps / 1e6) / log(101.0) : 0;
}

void ec_sacd_state(const ec_observation *obs, double smooth, double *s)
{
    double e = NAN;
    for (size_t i = 0; i < obs->n_tput; i++)
        e = i == 0 ? obs->tput_hist[0] : (1 - smooth) * e + smooth * obs->tput_hist[i];
    s[0] = tput_feature(obs->tput_bps);
    s[1] = tput_feature(e);
    s[2] = obs->load > 0 && isfinite(obs->load) ? log(obs->load) : 0;
    double d = isfinite(obs->last_delay_s) ? obs->last_delay_s : 0;
    s[3] = obs->deadline_s > 0 ? d / obs->deadline_s : d;
    s[4] = obs->deadline_s > 0 ? obs->deadline_s : 0;
}

double ec_sacd_reward(double accuracy, double delay_s, double deadline_s, double lambda,
                      double beta)
{
    if (deadline_s > 0)
        return accuracy - lambda * delay_s / deadline_s - (delay_s > deadline_s ? beta : 0);
    return accuracy - lambda * delay_s;
}
