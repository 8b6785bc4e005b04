/* trace: a piecewise-constant function of simulated time.
 *
 * A trace has n >= 1 segments.  Segment i holds value[i] over
 * [start_ns[i], start_ns[i+1]); start_ns[0] == 0 and the last segment lasts
 * until length_ns.  Past length_ns the trace either loops
 * (f(t) = f(t mod length_ns)) or holds its last value.
 *
 * Values are generic doubles >= 0: bits per second for link capacity,
 * slowdown factors for load traces.  Time is always int64 nanoseconds;
 * integrals use seconds as the time unit (so a bps trace integrates to bits).
 *
 * Queries are O(log n) (binary search over a prefix-integral table); whole
 * loop periods are accounted for in O(1).  A trace is immutable except for
 * ec_trace_scale(), so it can be shared read-only by many links.  The *_at
 * forms take a cursor that their caller keeps (one per link): they look
 * next to the segment the last query landed in first, so a run whose times
 * move forward pays O(1) a query; their results are those of the forms
 * without a cursor, to the bit, whatever the cursor holds.
 */
#ifndef EC_TRACES_TRACE_H
#define EC_TRACES_TRACE_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/base/diag.h"

/* What the trace does after length_ns. */
typedef enum ec_trace_end {
    EC_TRACE_LOOP = 0, /* repeat from time 0: f(t) = f(t mod length_ns) */
    EC_TRACE_HOLD = 1  /* keep the last segment's value forever */
} ec_trace_end;

/* Opaque trace; create with ec_trace_new()/ec_trace_constant() or a loader
 * (traces/format.h), release with ec_trace_free(). */
typedef struct ec_trace ec_trace;

/* Length of the period of ec_trace_constant() traces: 1 s (the value holds
 * forever, so this only matters for ec_trace_length_ns()). */
#define EC_TRACE_CONSTANT_LENGTH_NS INT64_C(1000000000)

/* Most segments a generator (traces/gen.h) or a resampling
 * (traces/transform.h) makes: 2^24, about 400 MB as a trace (24 bytes a
 * segment) plus the arrays it is built from.  A few bytes of config must
 * not ask for many gigabytes. */
#define EC_TRACE_MAX_MADE_SEGMENTS ((int64_t)1 << 24)

/* How many single-ns corrections a delivery may apply to agree with
 * ec_trace_integral() after floating-point rounding. */
#define EC_TRACE_FIXUP_STEPS 4

/* Where the last query on a trace landed: a hint, never part of a result.
 * Zero it before first use (EC_TRACE_CURSOR_INIT); one cursor may serve
 * several traces (a stale index is only a worse hint). */
typedef struct ec_trace_cursor {
    size_t seg;   /* index of a segment within a period, a hint; any value is valid */
    int64_t k;    /* index of a loop period, a hint; any value is valid */
} ec_trace_cursor;

#define EC_TRACE_CURSOR_INIT { 0, 0 }

/* Build a trace from n segments (arrays are copied).  Requires n >= 1,
 * start_ns[0] == 0, strictly increasing starts, length_ns > start_ns[n-1],
 * finite values >= 0 and a valid end policy; otherwise returns EC_ETRACE
 * with a message in d.  EC_ENOMEM if out of memory.  On failure *out = NULL. */
int ec_trace_new(const int64_t *start_ns, const double *value, size_t n,
                 int64_t length_ns, ec_trace_end end, ec_trace **out,
                 ec_diag *d);

/* A one-segment trace with the given value (finite, >= 0; else EC_ETRACE)
 * that holds forever; its length is EC_TRACE_CONSTANT_LENGTH_NS. */
int ec_trace_constant(double value, ec_trace **out, ec_diag *d);

/* Release t.  ec_trace_free(NULL) is a no-op. */
void ec_trace_free(ec_trace *t);

/* Value at time t_ns (ns; negative times read as 0). */
double ec_trace_value(const ec_trace *t, int64_t t_ns);

/* ec_trace_value() from cursor c (updated), the same result. */
double ec_trace_value_at(const ec_trace *t, ec_trace_cursor *c, int64_t t_ns);

/* Integral of the value over [t0_ns, t1_ns] with dt in seconds (bits for a
 * bps trace).  Negative times are clamped to 0; t1_ns < t0_ns gives the
 * negated integral over [t1_ns, t0_ns]. */
double ec_trace_integral(const ec_trace *t, int64_t t0_ns, int64_t t1_ns);

/* ec_trace_integral() from cursor c (updated), the same result. */
double ec_trace_integral_at(const ec_trace *t, ec_trace_cursor *c, int64_t t0_ns,
                            int64_t t1_ns);

/* Smallest t1 (ns, rounded up to the next whole ns) with
 * ec_trace_integral(t, t0_ns, t1) >= amount (amount in value-seconds, e.g.
 * bits); zero-valued stretches are waited out.  amount <= 0 gives
 * t1 = t0_ns.  Returns EC_OK, or EC_ERANGE (with *t1_ns untouched) when the
 * amount can never be delivered (the rest of the trace is zero forever: a
 * held zero or a loop whose whole period is zero), when t0_ns < 0, amount
 * is not finite, or t1 would not fit in int64.  Never loops forever. */
int ec_trace_deliver(const ec_trace *t, int64_t t0_ns, double amount,
                     int64_t *t1_ns);

/* ec_trace_deliver() by its general path alone, without the short paths
 * ec_trace_deliver_at takes where a transfer ends in the stretch or the
 * period it starts in: the definition they must answer as, to the ns (the
 * tests compare them). */
int ec_trace_deliver_ref(const ec_trace *t, int64_t t0_ns, double amount, int64_t *t1_ns);

/* ec_trace_deliver_at's answer, for every input, without trying the
 * stretch's short path: for a caller that has just tried it on t0's
 * stretch (ec_trace_stretch_deliver returned 0), so that the stretch is not
 * looked up and tried again. */
int ec_trace_deliver_past(const ec_trace *t, ec_trace_cursor *c, int64_t t0_ns, double amount,
                          int64_t *t1_ns);

/* ec_trace_deliver() from cursor c (updated), the same result. */
int ec_trace_deliver_at(const ec_trace *t, ec_trace_cursor *c, int64_t t0_ns, double amount,
                        int64_t *t1_ns);

/* A stretch of simulated time over which a trace keeps one value: a
 * segment within one period (absolute times), or a held trace's tail.
 * Walking a stretch costs no look-up: ec_trace_value_at is v everywhere in
 * it, and ec_trace_stretch_deliver gives ec_trace_deliver_at's answer for a
 * transfer that starts and ends in it.  A cache, never part of a result. */
typedef struct ec_trace_stretch {
    int64_t a_ns, b_ns;   /* the stretch [a_ns, b_ns), ns; a held tail ends at INT64_MAX */
    int64_t va_ns, vb_ns; /* [va_ns, vb_ns) ⊇ [a_ns, b_ns): where the value is v (a
                             one-segment trace: all time, [0, INT64_MAX)) */
    double v;             /* the value throughout */
    int held;             /* 1: a held trace's tail [length, forever) */
} ec_trace_stretch;

/* An empty stretch (holds no time), to start a cache with: all zero, so
 * zeroed storage holds empty stretches too. */
#define EC_TRACE_STRETCH_EMPTY { 0, 0, 0, 0, 0.0, 0 }

/* The stretch holding t_ns into *s, from cursor c (updated): for a value,
 * ec_trace_value_at is s->v on [s->va_ns, s->vb_ns); for a delivery, the
 * stretch is [s->a_ns, s->b_ns).  EC_OK; or
 * EC_ERANGE (s untouched) when t_ns < 0 or t_ns lies in a loop's period
 * whose end does not fit int64: ask the ec_trace_*_at functions there. */
int ec_trace_stretch_at(const ec_trace *t, ec_trace_cursor *c, int64_t t_ns,
                        ec_trace_stretch *s);

/* ec_trace_deliver_at(t, c, t0_ns, amount, t1_ns) for a t0_ns in stretch s
 * of t (s->a_ns <= t0_ns < s->b_ns) and a finite amount > 0, when the
 * transfer ends in the stretch: then returns 1 with *t1_ns, the same
 * whole ns by the same arithmetic (ec_trace_deliver_at itself decides
 * such transfers here).  Otherwise returns 0 and sets nothing: ask
 * ec_trace_deliver_at.
 *
 * The answer is x = ceil(xr), xr = amount / v · 1e9, moved by the checks
 * below to the least n near it at which reached(n), fl(v · fl(n / 1e9)) >=
 * amount, holds; reached is monotone in n, and the stretch holds the
 * transfer when reached(lim) for the ns it has left, lim.  So when
 * reached(x) holds, reached(x − 1) does not (or x = 1) and x < lim, the
 * checks change nothing and the answer is x.  The first two need no
 * division where x lies clear of xr, by m = 2^-50·xr (the differences are
 * exact, by Sterbenz, for 1 <= xr < 2^52): with u = 2^-53, xr is within
 * (1 ± u)² of the exact amount/v·1e9 and fl(v · fl(n / 1e9)) within
 * (1 ± u)² of v·n/1e9, so x − xr >= m gives reached(x) ((1 − u)⁴(1 + 8u) >
 * 1) and xr − (x − 1) >= m gives not reached(x − 1) ((1 + u)⁴(1 − 8u) <
 * 1); where x is not clear (xr whole, as a round rate and size give) the
 * check runs.  Likewise lim <= fl(xr − m) means reached(lim) fails
 * ((1 + u)⁴(1 − 7u) < 1): the transfer leaves the stretch.  So a delivery
 * takes one division, where the checks take three more. */
static inline int ec_trace_stretch_deliver(const ec_trace_stretch *s, int64_t t0_ns,
                                           double amount, int64_t *t1_ns)
{
    const double v = s->v;
    int64_t t1;
    if (!(v > 0))
        return 0;
    const double xr = amount / v * 1e9;         /* ns at rate v */
    if (xr >= 1 && xr < 0x1p52) {
        double x = (double)(int64_t)xr;         /* ceil(xr), exact in this range */
        x += x < xr;
        const double m = xr * 0x1p-50;
        const double lim = (double)((s->held ? INT64_MAX : s->b_ns) - t0_ns);
        if (x < lim && (x - xr >= m || v * (x / 1e9) >= amount) &&
            (x == 1 || xr - (x - 1) >= m || v * ((x - 1) / 1e9) < amount)) {
            *t1_ns = t0_ns + (int64_t)x;        /* the checks' answer */
            return 1;
        }
        if (!s->held && lim <= xr - m)
            return 0;                           /* clearly past the stretch */
    }
    double x = ceil(xr);                        /* whole ns */
    if (s->held) {
        if (!(x < (double)(INT64_MAX - t0_ns)))
            return 0;                           /* ec_trace_deliver_at: EC_ERANGE */
        t1 = t0_ns + (int64_t)x;
    } else {
        int64_t lim = s->b_ns - t0_ns;          /* ns left in the stretch */
        if (!(amount <= v * ((double)lim / 1e9)))
            return 0;
        t1 = t0_ns + (!(x < (double)lim) ? lim : x > 0 ? (int64_t)x : 0);
    }
    /* the integral over [t0, t1] is v·(t1 − t0)/1e9 in the stretch: never
     * short, and the earliest nearby ns that reaches the amount */
    for (int k = 0; k < EC_TRACE_FIXUP_STEPS && t1 < INT64_MAX
                    && v * ((double)(t1 - t0_ns) / 1e9) < amount; k++)
        t1++;
    for (int k = 0; k < EC_TRACE_FIXUP_STEPS && t1 - 1 > t0_ns
                    && v * ((double)(t1 - 1 - t0_ns) / 1e9) >= amount; k++)
        t1--;
    *t1_ns = t1;
    return 1;
}

/* Start of the next segment boundary strictly after t_ns (ns), counting
 * loop points; INT64_MAX if the value never changes again (a held last
 * segment).  Lets shared links schedule an event where the capacity may
 * change.  Negative t_ns reads as 0. */
int64_t ec_trace_next_boundary_ns(const ec_trace *t, int64_t t_ns);

/* Time-weighted mean of the value over [0, length). */
double ec_trace_mean(const ec_trace *t);

/* Smallest segment value. */
double ec_trace_min(const ec_trace *t);

/* Largest segment value. */
double ec_trace_max(const ec_trace *t);

/* Label t with where it comes from (copied), e.g. "run.ini:4: uplink.trace
 * = x.cooked", for messages about it.  Returns EC_OK or EC_ENOMEM. */
int ec_trace_set_label(ec_trace *t, const char *label);

/* t's label; "" if none was set.  Valid until t is freed or relabelled. */
const char *ec_trace_label(const ec_trace *t);

/* Share (0..1) of [0, length) over which the value is exactly 0. */
double ec_trace_zero_share(const ec_trace *t);

/* Length of one period (ns), > 0. */
int64_t ec_trace_length_ns(const ec_trace *t);

/* Number of segments, >= 1. */
size_t ec_trace_segments(const ec_trace *t);

/* The end policy given at creation. */
ec_trace_end ec_trace_end_policy(const ec_trace *t);

/* Segment i (0 <= i < ec_trace_segments(t)): its start and end (ns, end is
 * the next start or length_ns) and value.  Any output pointer may be NULL.
 * Returns EC_OK, or EC_ERANGE if i is out of range. */
int ec_trace_segment(const ec_trace *t, size_t i, int64_t *start_ns,
                     int64_t *end_ns, double *value);

/* Multiply every value by factor (finite, >= 0; else EC_ERANGE and t is
 * unchanged). */
int ec_trace_scale(ec_trace *t, double factor);

#endif
