/* trace: piecewise-constant functions of simulated time (see trace.h). */
#include "traces/trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NS_PER_S 1e9


struct ec_trace {
    size_t n;            /* number of segments, >= 1 */
    int64_t *start_ns;   /* segment starts, [0] == 0, strictly increasing */
    double *value;       /* segment values, finite, >= 0 */
    double *prefix;      /* n+1 entries: prefix[i] = integral over
                            [0, start_ns[i]) in value-seconds;
                            prefix[n] = integral over one period */
    int64_t length_ns;   /* period length, > start_ns[n-1] */
    int64_t max_k;       /* INT64_MAX / length_ns - 1: the last period k whose end,
                            (k + 1)·length_ns, fits in int64 */
    ec_trace_end end;    /* loop or hold after length_ns */
    char *label;         /* where it comes from, for messages; NULL if unset */
};

/* End of segment i (the next start, or the length for the last one). */
static int64_t seg_end(const ec_trace *t, size_t i)
{
    return i + 1 < t->n ? t->start_ns[i + 1] : t->length_ns;
}

/* The largest i in [lo, hi) with start_ns[i] <= r, for start_ns[lo] <= r
 * and hi = n or start_ns[hi] > r: a binary search. */
static size_t seg_search(const ec_trace *t, size_t lo, size_t hi, int64_t r)
{
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->start_ns[mid] <= r)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Index of the segment holding r, 0 <= r < length (largest i with
 * start_ns[i] <= r); r >= length gives the last segment. */
static size_t seg_of(const ec_trace *t, int64_t r)
{
    return seg_search(t, 0, t->n, r);
}

/* seg_of(t, r), found from a hint: *h, a segment index a query left
 * (any value: one out of range reads as 0).  The hint's segment first,
 * then forwards from it by galloping (times move forward in a run), else
 * the binary search; *h becomes the answer.  The answer never depends on
 * the hint. */
static size_t seg_near(const ec_trace *t, size_t *h, int64_t r)
{
    size_t i = *h < t->n ? *h : 0;
    if (t->start_ns[i] <= r) {
        if (i + 1 == t->n || r < t->start_ns[i + 1])
            return i;
        /* gallop forwards from the hint (a run's times move on a few
         * segments between queries), then bisect the bracket */
        size_t lo = i + 1, step = 1;
        for (;;) {
            size_t probe = lo + step;
            if (probe >= t->n || r < t->start_ns[probe])
                return *h = seg_search(t, lo, probe < t->n ? probe : t->n, r);
            lo = probe;
            step *= 2;
        }
    }
    return *h = seg_of(t, r);
}

/* seg_of(t, r) for a r known to lie in segment i or after it. */
static size_t seg_from(const ec_trace *t, size_t i, int64_t r)
{
    if (i + 1 == t->n || r < t->start_ns[i + 1])
        return i;
    if (r >= t->length_ns || r >= t->start_ns[t->n - 1])
        return t->n - 1;
    if (i + 2 == t->n || r < t->start_ns[i + 2])
        return i + 1;
    return seg_search(t, i + 1, t->n, r);
}

/* x >= 0 as k·length + r with 0 <= r < length (x / length and x % length,
 * the one such pair), trying period `hint` and the next first: the integer
 * divisions cost more than the rest of a query. */
static void split(const ec_trace *t, int64_t hint, int64_t x, int64_t *k, int64_t *r)
{
    const int64_t len = t->length_ns;
    if (hint >= 0 && hint <= t->max_k) {   /* then (hint + 1)·len fits */
        int64_t base = hint * len;
        if (x >= base) {
            int64_t d = x - base;
            if (d < len) {
                *k = hint;
                *r = d;
                return;
            }
            if (d - len < len && hint < t->max_k) {
                *k = hint + 1;
                *r = d - len;
                return;
            }
        }
    }
    *k = x / len;
    *r = x % len;
}

static void build_prefix(ec_trace *t)
{
    double acc = 0.0;
    for (size_t i = 0; i < t->n; i++) {
        t->prefix[i] = acc;
        acc += t->value[i] * ((double)(seg_end(t, i) - t->start_ns[i]) / NS_PER_S);
    }
    t->prefix[t->n] = acc;
}

int ec_trace_new(const int64_t *start_ns, const double *value, size_t n,
                 int64_t length_ns, ec_trace_end end, ec_trace **out,
                 ec_diag *d)
{
    *out = NULL;
    if (n == 0 || !start_ns || !value)
        return ec_diag_set(d, EC_ETRACE, NULL, 0,
                           "trace has no segments; expected at least one");
    if (end != EC_TRACE_LOOP && end != EC_TRACE_HOLD)
        return ec_diag_set(d, EC_ETRACE, NULL, 0,
                           "bad end policy %d; expected loop or hold", (int)end);
    if (start_ns[0] != 0)
        return ec_diag_set(d, EC_ETRACE, NULL, 0,
                           "first segment starts at %lld ns; expected 0",
                           (long long)start_ns[0]);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && start_ns[i] <= start_ns[i - 1])
            return ec_diag_set(d, EC_ETRACE, NULL, 0,
                               "segment %zu starts at %lld ns, not after %lld ns; "
                               "expected strictly increasing starts",
                               i, (long long)start_ns[i], (long long)start_ns[i - 1]);
        if (!isfinite(value[i]) || value[i] < 0)
            return ec_diag_set(d, EC_ETRACE, NULL, 0,
                               "segment %zu has value %g; expected a finite value >= 0",
                               i, value[i]);
    }
    if (length_ns <= start_ns[n - 1])
        return ec_diag_set(d, EC_ETRACE, NULL, 0,
                           "length %lld ns not after the last start %lld ns; "
                           "expected a longer trace",
                           (long long)length_ns, (long long)start_ns[n - 1]);
    if (n > SIZE_MAX / sizeof(double) - 1)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "trace too large");

    ec_trace *t = calloc(1, sizeof *t);
    if (!t)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    t->start_ns = malloc(n * sizeof *t->start_ns);
    t->value = malloc(n * sizeof *t->value);
    t->prefix = malloc((n + 1) * sizeof *t->prefix);
    if (!t->start_ns || !t->value || !t->prefix) {
        ec_trace_free(t);
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    }
    memcpy(t->start_ns, start_ns, n * sizeof *t->start_ns);
    memcpy(t->value, value, n * sizeof *t->value);
    t->n = n;
    t->length_ns = length_ns;
    t->max_k = INT64_MAX / length_ns - 1;
    t->end = end;
    build_prefix(t);
    *out = t;
    return EC_OK;
}

int ec_trace_constant(double value, ec_trace **out, ec_diag *d)
{
    const int64_t start = 0;
    return ec_trace_new(&start, &value, 1, EC_TRACE_CONSTANT_LENGTH_NS,
                        EC_TRACE_HOLD, out, d);
}

void ec_trace_free(ec_trace *t)
{
    if (!t)
        return;
    free(t->start_ns);
    free(t->value);
    free(t->prefix);
    free(t->label);
    free(t);
}

int ec_trace_set_label(ec_trace *t, const char *label)
{
    char *l = malloc(strlen(label) + 1);
    if (!l)
        return EC_ENOMEM;
    strcpy(l, label);
    free(t->label);
    t->label = l;
    return EC_OK;
}

const char *ec_trace_label(const ec_trace *t)
{
    return t->label ? t->label : "";
}

double ec_trace_value(const ec_trace *t, int64_t t_ns)
{
    ec_trace_cursor c = EC_TRACE_CURSOR_INIT;
    return ec_trace_value_at(t, &c, t_ns);
}

double ec_trace_value_at(const ec_trace *t, ec_trace_cursor *c, int64_t t_ns)
{
    if (t_ns < 0)
        t_ns = 0;
    if (t_ns >= t->length_ns) {
        if (t->end == EC_TRACE_HOLD)
            return t->value[t->n - 1];
        int64_t k;
        split(t, c->k, t_ns, &k, &t_ns);
        c->k = k;
    }
    return t->value[seg_near(t, &c->seg, t_ns)];
}

/* span(t, h, r0, r) for r0 < r <= length with i the segment of r0 (the
 * segment of r0 already known).  Pieces inside one segment are computed
 * directly (exact for round numbers). */
static double span_from(const ec_trace *t, size_t i, int64_t r0, int64_t r)
{
    size_t j = seg_from(t, i, r - 1); /* segment holding the last ns of [r0, r) */
    if (i == j)
        return t->value[i] * ((double)(r - r0) / NS_PER_S);
    double head = t->value[i] * ((double)(seg_end(t, i) - r0) / NS_PER_S);
    double tail = t->value[j] * ((double)(r - t->start_ns[j]) / NS_PER_S);
    return head + (t->prefix[j] - t->prefix[i + 1]) + tail;
}

/* Integral over [a, b] within one period, 0 <= a <= b <= length. */
static double span(const ec_trace *t, size_t *h, int64_t a, int64_t b)
{
    return a >= b ? 0.0 : span_from(t, seg_near(t, h, a), a, b);
}

/* Integral over [t0, t1] for 0 <= t0 <= t1. */
static double integral_fwd(const ec_trace *t, ec_trace_cursor *c, int64_t t0, int64_t t1)
{
    const int64_t len = t->length_ns;
    if (t->end == EC_TRACE_HOLD) {
        double in = span(t, &c->seg, t0 < len ? t0 : len, t1 < len ? t1 : len);
        if (t1 <= len)
            return in;
        int64_t from = t0 > len ? t0 : len;
        return in + t->value[t->n - 1] * ((double)(t1 - from) / NS_PER_S);
    }
    int64_t k0, r0, k1, r1;
    split(t, c->k, t0, &k0, &r0);
    split(t, k0, t1, &k1, &r1);
    c->k = k0;
    size_t *h = &c->seg;
    if (k0 == k1)
        return span(t, h, r0, r1);
    return span(t, h, r0, len) + (double)(k1 - k0 - 1) * t->prefix[t->n]
           + span(t, h, 0, r1);
}

double ec_trace_integral(const ec_trace *t, int64_t t0_ns, int64_t t1_ns)
{
    ec_trace_cursor c = EC_TRACE_CURSOR_INIT;
    return ec_trace_integral_at(t, &c, t0_ns, t1_ns);
}

double ec_trace_integral_at(const ec_trace *t, ec_trace_cursor *c, int64_t t0_ns,
                            int64_t t1_ns)
{
    if (t0_ns < 0)
        t0_ns = 0;
    if (t1_ns < 0)
        t1_ns = 0;
    if (t1_ns < t0_ns)
        return -integral_fwd(t, c, t1_ns, t0_ns);
    return integral_fwd(t, c, t0_ns, t1_ns);
}

/* Whole ns, rounded up, to deliver `amount` at constant `rate` > 0 (as a
 * double, so callers can range-check before converting). */
static double ns_needed(double amount, double rate)
{
    return ceil(amount / rate * NS_PER_S);
}

/* ns_needed() clamped to [0, width]: used where the finish is known to lie
 * within a segment of that width, so rounding cannot push it past the end. */
static int64_t ns_within(double amount, double rate, int64_t width)
{
    double x = ns_needed(amount, rate);
    if (!(x < (double)width))
        return width;
    return x > 0 ? (int64_t)x : 0;
}

/* Finish offset within one period: smallest r1 in (r, length] with
 * span(r, r1) >= amount, for 0 <= r < length and
 * 0 < amount <= span(r, length) (up to rounding; a slightly too large amount
 * finishes at length). */
static int64_t find_in_period(const ec_trace *t, size_t *h, int64_t r, double amount)
{
    size_t i = seg_near(t, h, r);
    int64_t end_i = seg_end(t, i);
    double in_i = t->value[i] * ((double)(end_i - r) / NS_PER_S);
    if (amount <= in_i && t->value[i] > 0)
        return r + ns_within(amount, t->value[i], end_i - r);

    /* Target on the prefix scale; smallest j > i with prefix[j+1] >= target. */
    double target = t->prefix[i + 1] + (amount - in_i);
    if (i + 1 >= t->n || target > t->prefix[t->n])
        return t->length_ns;
    size_t lo = i + 1, hi = t->n - 1; /* answer in [lo, hi] */
    /* the prefix is non-decreasing: gallop from i + 1 (a transfer mostly
     * ends a few segments on) to bracket the answer, then bisect; the same
     * smallest j as bisecting [i + 1, n − 1] */
    for (size_t step = 1; lo < hi; step *= 2) {
        size_t probe = hi - lo > step ? lo + step : hi;
        if (t->prefix[probe + 1] >= target) {
            hi = probe;
            break;
        }
        lo = probe + 1;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->prefix[mid + 1] >= target)
            hi = mid;
        else
            lo = mid + 1;
    }
    double rem = target - t->prefix[lo];
    if (t->value[lo] <= 0 || rem <= 0)
        return t->start_ns[lo]; /* reached exactly at its start */
    return t->start_ns[lo]
           + ns_within(rem, t->value[lo], seg_end(t, lo) - t->start_ns[lo]);
}

/* Raw finish time before the ns fix-up; EC_OK or EC_ERANGE. */
static int deliver_raw(const ec_trace *t, ec_trace_cursor *c, int64_t t0, double amount,
                       int64_t *t1)
{
    const int64_t len = t->length_ns;
    const double period = t->prefix[t->n];
    size_t *h = &c->seg;

    if (t->end == EC_TRACE_HOLD) {
        int64_t from = t0;
        if (t0 < len) {
            double in = span(t, h, t0, len);
            if (amount <= in) {
                *t1 = find_in_period(t, h, t0, amount);
                return EC_OK;
            }
            amount -= in;
            from = len;
        }
        double last = t->value[t->n - 1];
        if (last <= 0)
            return EC_ERANGE;
        double dt = ns_needed(amount, last);
        if (!(dt < (double)(INT64_MAX - from)))
            return EC_ERANGE;
        *t1 = from + (int64_t)dt;
        return EC_OK;
    }

    if (period <= 0)
        return EC_ERANGE;
    int64_t k0, r0;
    split(t, c->k, t0, &k0, &r0);
    c->k = k0;
    int64_t max_k = t->max_k; /* (k+1)*len must fit */
    double in = span(t, h, r0, len);
    if (amount <= in) {
        if (k0 > max_k)
            return EC_ERANGE;
        *t1 = k0 * len + find_in_period(t, h, r0, amount);
        return EC_OK;
    }
    amount -= in;
    /* Skip m whole periods so that 0 < rest <= period remains. */
    double m = floor(amount / period);
    double rest = amount - m * period;
    if (rest <= 0 && m >= 1) {
        m -= 1;
        rest += period;
    } else if (rest > period) {
        m += 1;
        rest -= period;
    }
    /* The finish lies in period k = k0 + 1 + m. */
    if (!(m < (double)max_k) || (int64_t)m > max_k - k0 - 1)
        return EC_ERANGE;
    int64_t k = k0 + 1 + (int64_t)m;
    *t1 = k * len + find_in_period(t, h, 0, rest);
    return EC_OK;
}

int ec_trace_stretch_at(const ec_trace *t, ec_trace_cursor *c, int64_t t_ns,
                        ec_trace_stretch *s)
{
    const int64_t len = t->length_ns;
    if (t_ns < 0)
        return EC_ERANGE;
    if (t_ns >= len && t->end == EC_TRACE_HOLD) {
        *s = (ec_trace_stretch){ len, INT64_MAX, t->n == 1 ? 0 : len, INT64_MAX,
                                 t->value[t->n - 1], 1 };
        return EC_OK;
    }
    int64_t k0 = 0, r0 = t_ns;
    if (t_ns >= len) {            /* a loop (a hold is above) */
        split(t, c->k, t_ns, &k0, &r0);
        c->k = k0;
        if (k0 > t->max_k)        /* (k0 + 1)·len must fit */
            return EC_ERANGE;
    }
    size_t i = seg_near(t, &c->seg, r0);
    int64_t base = k0 * len;
    int64_t a = base + t->start_ns[i], b = base + seg_end(t, i);
    *s = (ec_trace_stretch){ a, b, t->n == 1 ? 0 : a, t->n == 1 ? INT64_MAX : b,
                             t->value[i], 0 };
    return EC_OK;
}

/* deliver_fast's answer when the general path must decide. */
#define EC_NOT_FAST (-1000)

/* ec_trace_deliver_at for t0 >= 0 and a finite amount > 0 when the
 * transfer ends in the stretch of constant value v > 0 that holds t0: the
 * segment of t0 (when the amount fits in what is left of it) or a held
 * trace's tail.  Then deliver_raw's finish is t0 + ceil(amount / v s) and
 * every integral its fix-up reads, over [t0, t1] inside the stretch, is
 * span()'s one-segment expression v·((t1 − t0)/1e9) (integral_fwd adds
 * only exact zeros to it at a period's end): the same operations on the
 * same numbers, so the same result to the bit.  ec_trace_stretch_deliver
 * does that arithmetic; EC_NOT_FAST otherwise (EC_ERANGE then comes from
 * the general path). */
static int deliver_fast(const ec_trace *t, ec_trace_cursor *c, int64_t t0, double amount,
                        int64_t *t1_out)
{
    ec_trace_stretch s;
    return ec_trace_stretch_at(t, c, t0, &s) == EC_OK &&
                   ec_trace_stretch_deliver(&s, t0, amount, t1_out)
               ? EC_OK : EC_NOT_FAST;
}

/* ec_trace_deliver_at's general path (deliver_raw and the fix-up) for a
 * transfer that ends in the period it starts in (a held trace: before its
 * tail), with the period and t0's segment i found once.  Every integral
 * the fix-up reads, integral_fwd(t0, k0·len + r) for r0 < r <= len, is
 * span(r0, r) (at r = len a loop adds 0·period and an empty span: exact
 * zeros), which span_from computes the same way; the value the fix-up
 * reads at t1 is segment j's for r1 < len.  EC_NOT_FAST where it would
 * decide otherwise (a finish at the period's end that the fix-up moves, a
 * transfer past the period): the general path then decides, from scratch. */
static int deliver_in_period(const ec_trace *t, ec_trace_cursor *c, int64_t t0, double amount,
                             int64_t *t1_out)
{
    const int64_t len = t->length_ns;
    int64_t k0 = 0, r0 = t0;
    if (t->end == EC_TRACE_HOLD) {
        if (t0 >= len)
            return EC_NOT_FAST;
    } else {
        if (!(t->prefix[t->n] > 0))
            return EC_NOT_FAST;
        split(t, c->k, t0, &k0, &r0);
        c->k = k0;
        if (k0 > t->max_k)
            return EC_NOT_FAST;
    }
    size_t i = seg_near(t, &c->seg, r0);
    if (!(amount <= span_from(t, i, r0, len)))
        return EC_NOT_FAST;
    int64_t r1 = find_in_period(t, &c->seg, r0, amount);
    if (r1 <= r0)
        return EC_NOT_FAST;
    /* deliver_at's fix-up, on offsets within the period */
    for (int s = 0; s < EC_TRACE_FIXUP_STEPS && span_from(t, i, r0, r1) < amount; s++) {
        if (r1 >= len)
            return EC_NOT_FAST;
        if (!(t->value[seg_from(t, i, r1)] > 0))
            break;
        r1++;
    }
    for (int s = 0; s < EC_TRACE_FIXUP_STEPS && r1 - 1 > r0 &&
                    span_from(t, i, r0, r1 - 1) >= amount; s++)
        r1--;
    *t1_out = k0 * len + r1;
    return EC_OK;
}

int ec_trace_deliver(const ec_trace *t, int64_t t0_ns, double amount,
                     int64_t *t1_ns)
{
    ec_trace_cursor c = EC_TRACE_CURSOR_INIT;
    return ec_trace_deliver_at(t, &c, t0_ns, amount, t1_ns);
}

/* The general path: deliver_raw and the fix-up, for t0 >= 0 and a finite
 * amount > 0.  The definition the short paths above answer as. */
static int deliver_general(const ec_trace *t, ec_trace_cursor *c, int64_t t0_ns,
                           double amount, int64_t *t1_ns)
{
    int64_t t1;
    int rc = deliver_raw(t, c, t0_ns, amount, &t1);
    if (rc != EC_OK)
        return rc;
    /* Agree with ec_trace_integral() to the ns despite rounding: never
     * report a time at which the integral is still short, and take the
     * earliest nearby ns that already reaches the amount. */
    for (int s = 0; s < EC_TRACE_FIXUP_STEPS && t1 < INT64_MAX
                    && integral_fwd(t, c, t0_ns, t1) < amount
                    && ec_trace_value_at(t, c, t1) > 0; s++)
        t1++;
    for (int s = 0; s < EC_TRACE_FIXUP_STEPS && t1 - 1 > t0_ns
                    && integral_fwd(t, c, t0_ns, t1 - 1) >= amount; s++)
        t1--;
    *t1_ns = t1;
    return EC_OK;
}

/* The answers every delivery shares: EC_ERANGE for t0 < 0 or an amount
 * not finite, t0 itself for an amount <= 0 (both: *decided = 1). */
static int trivial(int64_t t0_ns, double amount, int64_t *t1_ns, int *decided)
{
    *decided = 1;
    if (t0_ns < 0 || !isfinite(amount))
        return EC_ERANGE;
    if (amount <= 0) {
        *t1_ns = t0_ns;
        return EC_OK;
    }
    *decided = 0;
    return EC_OK;
}

/* After the stretch's short path: the period's, else the general path. */
static int deliver_rest(const ec_trace *t, ec_trace_cursor *c, int64_t t0_ns, double amount,
                        int64_t *t1_ns)
{
    if (deliver_in_period(t, c, t0_ns, amount, t1_ns) == EC_OK)   /* sets *t1_ns then only */
        return EC_OK;
    return deliver_general(t, c, t0_ns, amount, t1_ns);
}

int ec_trace_deliver_at(const ec_trace *t, ec_trace_cursor *c, int64_t t0_ns, double amount,
                        int64_t *t1_ns)
{
    int decided, rc = trivial(t0_ns, amount, t1_ns, &decided);
    if (decided)
        return rc;
    if (deliver_fast(t, c, t0_ns, amount, t1_ns) == EC_OK)   /* sets *t1_ns then only */
        return EC_OK;
    return deliver_rest(t, c, t0_ns, amount, t1_ns);
}

int ec_trace_deliver_past(const ec_trace *t, ec_trace_cursor *c, int64_t t0_ns, double amount,
                          int64_t *t1_ns)
{
    int decided, rc = trivial(t0_ns, amount, t1_ns, &decided);
    return decided ? rc : deliver_rest(t, c, t0_ns, amount, t1_ns);
}

int ec_trace_deliver_ref(const ec_trace *t, int64_t t0_ns, double amount, int64_t *t1_ns)
{
    int decided, rc = trivial(t0_ns, amount, t1_ns, &decided);
    if (decided)
        return rc;
    ec_trace_cursor c = EC_TRACE_CURSOR_INIT;
    return deliver_general(t, &c, t0_ns, amount, t1_ns);
}

int64_t ec_trace_next_boundary_ns(const ec_trace *t, int64_t t_ns)
{
    const int64_t len = t->length_ns;
    if (t_ns < 0)
        t_ns = 0;
    if (t->end == EC_TRACE_HOLD) {
        if (t_ns >= len)
            return INT64_MAX;
        size_t i = seg_of(t, t_ns);
        return i + 1 < t->n ? t->start_ns[i + 1] : INT64_MAX;
    }
    int64_t k = t_ns / len, r = t_ns % len;
    int64_t next = seg_end(t, seg_of(t, r));
    if (k > (INT64_MAX - next) / len)
        return INT64_MAX;
    return k * len + next;
}

double ec_trace_mean(const ec_trace *t)
{
    return t->prefix[t->n] / ((double)t->length_ns / NS_PER_S);
}

double ec_trace_min(const ec_trace *t)
{
    double m = t->value[0];
    for (size_t i = 1; i < t->n; i++)
        if (t->value[i] < m)
            m = t->value[i];
    return m;
}

double ec_trace_max(const ec_trace *t)
{
    double m = t->value[0];
    for (size_t i = 1; i < t->n; i++)
        if (t->value[i] > m)
            m = t->value[i];
    return m;
}

double ec_trace_zero_share(const ec_trace *t)
{
    int64_t zero = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->value[i] == 0)
            zero += seg_end(t, i) - t->start_ns[i];
    return (double)zero / (double)t->length_ns;
}

int64_t ec_trace_length_ns(const ec_trace *t)
{
    return t->length_ns;
}

size_t ec_trace_segments(const ec_trace *t)
{
    return t->n;
}

ec_trace_end ec_trace_end_policy(const ec_trace *t)
{
    return t->end;
}

int ec_trace_segment(const ec_trace *t, size_t i, int64_t *start_ns,
                     int64_t *end_ns, double *value)
{
    if (i >= t->n)
        return EC_ERANGE;
    if (start_ns)
        *start_ns = t->start_ns[i];
    if (end_ns)
        *end_ns = seg_end(t, i);
    if (value)
        *value = t->value[i];
    return EC_OK;
}

int ec_trace_scale(ec_trace *t, double factor)
{
    if (!isfinite(factor) || factor < 0)
        return EC_ERANGE;
    for (size_t i = 0; i < t->n; i++)
        t->value[i] *= factor;
    build_prefix(t);
    return EC_OK;
}
