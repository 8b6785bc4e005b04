/* netmon: the network monitor of the offline-profiled learners
 * (Neurosurgeon, Edgent), one piece for both.  Their runtimes measure the
 * current wireless bandwidth; on a device that is the rate its radio
 * reports (ec_observation.link, filled for a type with uses_probe), which
 * it knows whether or not it uploads.  The bandwidth estimate B̂:
 *   bandwidth = radio    the radio's last reported uplink rate;
 *   bandwidth = uploads  the mean throughput of its own last `window`
 *                        uploads (a runtime without a network monitor: it
 *                        keeps its last estimate once it stops uploading);
 * with radio, the uploads stand in until the first report; with either,
 * `bw_mbps` until anything is known.  The links' latencies and the
 * downlink's rate always come from the radio's report (0 s while not
 * reported).  A learner lists EC_NETMON_PARAMS among its parameters and
 * reads them with ec_netmon_init. */
#ifndef EC_NETMON_H
#define EC_NETMON_H

#include "learners/learner.h"

/* A learner's monitor settings (plain data, from its parameters). */
typedef struct ec_netmon {
    int radio;          /* 1: B̂ from the radio's reports first; 0: from uploads only */
    long window;        /* uploads averaged for B̂, 1..EC_TPUT_HISTORY */
    double bw0_bps;     /* B̂ while nothing is known, bit/s */
} ec_netmon;

/* The choices of parameter "bandwidth" (index 0: radio, 1: uploads). */
extern const char *const ec_netmon_sources[];

/* The monitor's parameter specs, to put in a learner type's list. */
#define EC_NETMON_PARAMS                                                                 \
    { .key = "bandwidth", .type = EC_PARAM_CHOICE, .def = "radio",                        \
      .choices = ec_netmon_sources, .help = "where the bandwidth estimate comes from: the " \
      "radio's reports of the link's rate (radio; recent uploads until the first) or the " \
      "learner's own recent uploads only (uploads)" },                                   \
    { .key = "window", .type = EC_PARAM_INT, .def = "5", .lo = 1, .hi = EC_TPUT_HISTORY,  \
      .unit = "uploads", .help = "recent uploads whose throughput is averaged for the "   \
      "bandwidth estimate (with bandwidth = radio: until the radio's first report)" },   \
    { .key = "bw_mbps", .type = EC_PARAM_REAL, .def = "10", .lo = 1e-9, .hi = 1e12,       \
      .unit = "Mbit/s", .help = "bandwidth assumed while neither a report nor an upload " \
      "is known" }

/* Read the monitor's parameters of setup's learner into *m.  EC_OK or the
 * getters' status with setup->diag set. */
int ec_netmon_init(ec_netmon *m, const ec_learner_setup *setup);

/* B̂ for the frame observed as obs, bit/s (>= 0; 0: the radio reports an
 * outage). */
double ec_netmon_bps(const ec_netmon *m, const ec_observation *obs);

/* Seconds to send bytes at bps: 0 when nothing is sent (whatever bps),
 * +inf when something is and bps is 0. */
double ec_netmon_transfer_s(double bytes, double bps);

/* Predicted seconds an offloading action a spends on the links besides its
 * upload, from the radio's report in obs: the uplink's and the downlink's
 * latency and the result's return (result_bytes at the reported downlink
 * rate); a figure not reported yet counts 0.  0 for a device-only action. */
double ec_netmon_links_s(const ec_observation *obs, const ec_action_info *a);

#endif
