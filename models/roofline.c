/* roofline: the latency estimators of a device from a layer's cost.
 *
 * Roofline: t = overhead_ms[type] + max(flops / (peak * efficiency[type]),
 *                                      bytes moved / bandwidth)
 * with bytes moved = input + output + weight bytes.
 * Regression (Edgent style, one linear model per layer type):
 *   t = ms + gmac * MACs/1e9 + gflop * FLOPs/1e9 + in_mb * in_bytes/1e6
 *       + out_mb * out_bytes/1e6 + weight_mb * weight_bytes/1e6,
 * clipped at 0 (a fitted line may go negative for tiny layers). */
#include "models/device_impl.h"

#include <math.h>

static double roofline_ms(const ec_roofline *r, const ec_layer_cost *l)
{
    double compute_s = l->flops / (r->peak_gflops * 1e9 * r->efficiency[l->type]);
    double memory_s = (l->in_bytes + l->out_bytes + l->weight_bytes) / (r->mem_gbps * 1e9);
    return r->overhead_ms[l->type] + 1e3 * fmax(compute_s, memory_s);
}

static double regression_ms(const double *c, const ec_layer_cost *l)
{
    double t = c[EC_REG_MS] + c[EC_REG_GMAC] * l->macs / 1e9 + c[EC_REG_GFLOP] * l->flops / 1e9 +
               c[EC_REG_IN_MB] * l->in_bytes / 1e6 + c[EC_REG_OUT_MB] * l->out_bytes / 1e6 +
               c[EC_REG_WEIGHT_MB] * l->weight_bytes / 1e6;
    return fmax(t, 0);
}

int ec_device_estimate(const ec_device *dev, const ec_layer_cost *l, double *ms, ec_diag *d)
{
    if ((int)l->type < 0 || l->type >= EC_LAYER_N_TYPES)
        return ec_diag_set(d, EC_EMODEL, NULL, 0, "layer '%s': bad layer type %d",
                           l->name ? l->name : "?", (int)l->type);
    if (dev->estimator == EC_LATENCY_ROOFLINE) {
        *ms = roofline_ms(&dev->roof, l);
        return EC_OK;
    }
    if (dev->estimator == EC_LATENCY_REGRESSION && dev->reg.has[l->type]) {
        *ms = regression_ms(dev->reg.coef[l->type], l);
        return EC_OK;
    }
    return ec_diag_set(d, EC_EMODEL, dev->file, 0, "device '%s': no %s coefficients for layer "
                       "'%s' of type %s; expected a line for it or a default line", dev->name,
                       ec_latency_source_name(dev->estimator), l->name ? l->name : "?",
                       ec_layer_type_name(l->type));
}
