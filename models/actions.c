/* actions: the (exit, cut, bits) space of a device (see actions.h). */
#include "models/actions.h"

#include <math.h>
#include <stdlib.h>

void ec_actions_free(ec_actions *a)
{
    if (!a)
        return;
    for (size_t e = 0; a->plans && e < a->n_exits; e++)
        ec_cutplan_free(a->plans[e]);
    free(a->plans);
    free(a->a);
    free(a);
}

const ec_cut *ec_actions_cut(const ec_actions *a, const ec_model *m, size_t i)
{
    return &ec_model_exit(m, (size_t)a->a[i].exit)->cuts[a->a[i].cut];
}

/* Append the actions of one exit's cut k. */
static int add_cut(ec_actions *as, const ec_actions_spec *s, size_t e, size_t k,
                   double exit_acc, ec_diag *d)
{
    const ec_cutplan *p = as->plans[e];
    int offloads = k + 1 < p->n_cuts;
    size_t widths = offloads ? s->n_bits : 1;
    double elems = (double)(p->bytes[k] - ec_model_overhead_bytes(s->model)) / 4;
    double qd = ec_device_quant_ns_per_elem(s->device), qe = ec_device_quant_ns_per_elem(s->edge);
    for (size_t b = 0; b < widths; b++) {
        int bits = offloads ? s->bits[b] : as->widest;
        double loss = 0;
        if (offloads) {
            int rc = ec_model_quant_loss(s->model, bits, &loss, d);
            if (rc)
                return rc;
        }
        ec_action_cost *c = &as->a[as->n++];
        *c = (ec_action_cost){
            .exit = (int)e, .cut = (int)k, .bits = bits, .offloads = offloads,
            .front_ns = p->front_ns[k], .back_ns = p->back_ns[k], .bytes = p->bytes[k],
            .result_bytes = offloads ? p->result_bytes : 0,
            .accuracy = fmax(0, exit_acc - loss),
        };
        if (offloads && bits != 32 && elems > 0) {
            c->bytes = (int64_t)ceil(elems * bits / 8) + ec_model_overhead_bytes(s->model);
            c->front_ns += llround(elems * qd);
            c->back_ns += llround(elems * qe);
        }
    }
    return EC_OK;
}

int ec_actions_new(const ec_actions_spec *s, ec_actions **out, ec_diag *d)
{
    *out = NULL;
    if (s->n_bits < 1 || s->n_bits > EC_MAX_BITS)
        return ec_diag_set(d, EC_ERANGE, NULL, 0, "%zu bit widths; expected 1 to %d",
                           s->n_bits, EC_MAX_BITS);
    ec_actions *as = calloc(1, sizeof *as);
    if (!as)
        return EC_ENOMEM;
    size_t exits = ec_model_exits(s->model), first = s->final_only ? exits - 1 : 0;
    as->n_exits = exits;
    as->plans = calloc(exits, sizeof *as->plans);
    int rc = as->plans ? EC_OK : EC_ENOMEM;
    as->widest = 0;
    for (size_t b = 0; b < s->n_bits; b++)
        if (s->bits[b] > as->widest)
            as->widest = s->bits[b];
    size_t total = 0;
    for (size_t e = first; !rc && e < exits; e++) {
        rc = ec_cutplan_new(s->model, e, s->device, s->edge, e + 1 == exits ? s->user_cuts : NULL,
                            &as->plans[e], d);
        if (!rc)
            total += (as->plans[e]->n_cuts - 1) * s->n_bits + 1;
    }
    if (!rc && !(as->a = calloc(total, sizeof *as->a)))
        rc = EC_ENOMEM;
    for (size_t e = first; !rc && e < exits; e++) {
        double acc = ec_model_exit(s->model, e)->accuracy;
        for (size_t k = 0; !rc && k < as->plans[e]->n_cuts; k++)
            rc = add_cut(as, s, e, k, isnan(acc) ? 1.0 : acc, d);
    }
    if (rc) {
        ec_actions_free(as);
        return rc;
    }
    as->final = as->plans[exits - 1];
    *out = as;
    return EC_OK;
}
