/* netmon: the offline-profiled learners' network monitor (see netmon.h). */
#include "learners/netmon.h"

#include <math.h>

const char *const ec_netmon_sources[] = { "radio", "uploads", NULL };

int ec_netmon_init(ec_netmon *m, const ec_learner_setup *setup)
{
    int source, rc;
    double bw_mbps;
    if ((rc = ec_learner_param_choice(setup, "bandwidth", &source)) ||
        (rc = ec_learner_param_int(setup, "window", &m->window)) ||
        (rc = ec_learner_param_real(setup, "bw_mbps", &bw_mbps)))
        return rc;
    m->radio = source == 0;
    m->bw0_bps = bw_mbps * 1e6;
    return EC_OK;
}

double ec_netmon_bps(const ec_netmon *m, const ec_observation *obs)
{
    if (m->radio && !isnan(obs->link.up_bps))
        return obs->link.up_bps;
    if (!obs->n_tput)
        return m->bw0_bps;
    size_t k = obs->n_tput < (size_t)m->window ? obs->n_tput : (size_t)m->window;
    double bw = 0;
    for (size_t i = obs->n_tput - k; i < obs->n_tput; i++)
        bw += obs->tput_hist[i] / (double)k;
    return bw;
}

double ec_netmon_transfer_s(double bytes, double bps)
{
    return bytes > 0 ? 8 * bytes / bps : 0;
}

/* x, or 0 when not known. */
static double known(double x)
{
    return isnan(x) ? 0 : x;
}

double ec_netmon_links_s(const ec_observation *obs, const ec_action_info *a)
{
    if (!a->offloads)
        return 0;
    const ec_link_report *l = &obs->link;
    double back = isnan(l->down_bps) ? 0 : ec_netmon_transfer_s(a->result_bytes, l->down_bps);
    return known(l->up_latency_s) + known(l->down_latency_s) + back;
}
