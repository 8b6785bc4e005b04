/* Event queue: ordering by time, ties by insertion order, clock rules. */
#include "sim/base/diag.h"
#include "sim/engine/event.h"

#include "testutil.h"

#include <check.h>
#include <stdlib.h>

typedef struct log {
    int ids[64];
    int64_t times[64];
    int n;
} log_t;

typedef struct tagged {
    log_t *log;
    int id;
} tagged;

static int record(ec_eventq *q, int64_t t, void *payload)
{
    (void)q;
    tagged *tg = payload;
    tg->log->ids[tg->log->n] = tg->id;
    tg->log->times[tg->log->n++] = t;
    return EC_OK;
}

/* The next of a xorshift sequence of pseudo-random times in [0, below). */
static int64_t xorshift(uint64_t *x, uint64_t below)
{
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    return (int64_t)(*x % below);
}

/* Run q's events one step at a time (each logs into lg): their times never
 * go back.  Returns the number of steps. */
static int drain_in_order(ec_eventq *q, log_t *lg)
{
    int64_t last = -1;
    int steps = 0;
    int ran = -1;
    while (ec_eventq_pending(q) > 0) {
        lg->n = 0;
        ck_assert_int_eq(ec_eventq_step(q, &ran), EC_OK);
        ck_assert_int_eq(ran, 1);
        ck_assert_int_ge(lg->times[0], last);
        last = lg->times[0];
        steps++;
    }
    return steps;
}

/* lg holds exactly the n events ids ran, in that order, at times at (NULL:
 * any times). */
static void expect_log(const log_t *lg, const int *ids, const int64_t *at, int n)
{
    ck_assert_int_eq(lg->n, n);
    for (int i = 0; i < n; i++) {
        ck_assert_int_eq(lg->ids[i], ids[i]);
        if (at)
            ck_assert_int_eq(lg->times[i], at[i]);
    }
}

START_TEST(orders_by_time_then_sequence)
{
    ec_eventq *q = ec_eventq_new();
    log_t lg = { .n = 0 };
    /* times with many ties, pushed in a scrambled order */
    int64_t times[] = { 50, 10, 30, 10, 50, 0, 30, 10, 99, 0 };
    tagged tg[10];
    for (int i = 0; i < 10; i++) {
        tg[i] = (tagged){ &lg, i };
        ck_assert_int_eq(ec_eventq_push(q, times[i], record, &tg[i]), EC_OK);
    }
    ck_assert_uint_eq(ec_eventq_pending(q), 10);
    ck_assert_int_eq(ec_eventq_run(q, INT64_MAX), EC_OK);
    expect_log(&lg, (const int[]){ 5, 9, 1, 3, 7, 2, 6, 0, 4, 8 }, NULL, 10);
    ck_assert_int_eq(ec_eventq_now(q), 99);
    ec_eventq_free(q);
}
END_TEST

static int push_same_time(ec_eventq *q, int64_t t, void *payload)
{
    tagged *tg = payload;
    record(q, t, payload);
    if (tg->id < 3) {
        tg[1].log = tg->log;
        return ec_eventq_push(q, t, push_same_time, &tg[1]);
    }
    return EC_OK;
}

START_TEST(handler_may_schedule_at_now)
{
    ec_eventq *q = ec_eventq_new();
    log_t lg = { .n = 0 };
    tagged tg[4] = { { &lg, 0 }, { &lg, 1 }, { &lg, 2 }, { &lg, 3 } };
    tagged other = { &lg, 42 };
    ec_eventq_push(q, 5, push_same_time, &tg[0]);
    ec_eventq_push(q, 5, record, &other);
    ec_eventq_run(q, INT64_MAX);
    /* the event pushed during the run at the same time comes after the
     * one pushed earlier */
    expect_log(&lg, (const int[]){ 0, 42, 1, 2, 3 }, NULL, 5);
    ck_assert_int_eq(ec_eventq_push(q, 4, record, &other), EC_ERANGE);
    ec_eventq_free(q);
}
END_TEST

START_TEST(run_until_and_many_events)
{
    ec_eventq *q = ec_eventq_new();
    log_t lg = { .n = 0 };
    tagged tg = { &lg, 1 };
    int ran = -1;
    /* a large heap stays ordered: push 10000 pseudo-random times */
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 10000; i++) {
        ec_eventq_push(q, xorshift(&x, 1000000), record, &tg);
        lg.n = 0;
    }
    ck_assert_int_eq(drain_in_order(q, &lg), 10000);
    ck_assert_int_eq(ec_eventq_step(q, &ran), EC_OK);   /* empty: nothing ran */
    ck_assert_int_eq(ran, 0);
    lg.n = 0;
    ec_eventq_push(q, 2000000, record, &tg);
    ec_eventq_push(q, 3000000, record, &tg);
    ec_eventq_run(q, 2500000);
    ck_assert_int_eq(lg.n, 1);
    ck_assert_uint_eq(ec_eventq_pending(q), 1);
    ec_eventq_free(q);
    ec_eventq_free(NULL);
}
END_TEST

/* Cancel and reschedule: a cancelled event never runs, its id goes stale;
 * a rescheduled one runs at its new time and, at a tie, after the events
 * already scheduled for that time (a fresh sequence number). */
START_TEST(cancel_and_reschedule)
{
    ec_eventq *q = ec_eventq_new();
    log_t lg = { .n = 0 };
    tagged tg[5];
    ec_event_id id[5];
    int64_t times[] = { 10, 20, 30, 40, 50 };
    for (int i = 0; i < 5; i++) {
        tg[i] = (tagged){ &lg, i };
        ck_assert_int_eq(ec_eventq_schedule(q, times[i], record, &tg[i], &id[i]), EC_OK);
        ck_assert(id[i] != 0);
    }
    ck_assert_int_eq(ec_eventq_cancel(q, id[1]), EC_OK);
    ck_assert_int_eq(ec_eventq_cancel(q, id[1]), EC_ENOTFOUND);   /* stale */
    ck_assert_int_eq(ec_eventq_is_pending(q, id[1]), 0);
    ck_assert_int_eq(ec_eventq_reschedule(q, id[4], 5), EC_OK);    /* 50 -> 5: first */
    ck_assert_int_eq(ec_eventq_reschedule(q, id[0], 30), EC_OK);   /* 10 -> 30: after 2 */
    ck_assert_int_eq(ec_eventq_next_ns(q), 5);
    ck_assert_uint_eq(ec_eventq_pending(q), 4);
    ck_assert_int_eq(ec_eventq_run(q, INT64_MAX), EC_OK);
    expect_log(&lg, (const int[]){ 4, 2, 0, 3 }, (const int64_t[]){ 5, 30, 30, 40 }, 4);
    ck_assert_int_eq(ec_eventq_reschedule(q, id[3], 60), EC_ENOTFOUND); /* it ran */
    ck_assert_int_eq(ec_eventq_next_ns(q), INT64_MAX);
    ec_eventq_free(q);
}
END_TEST

/* Many cancels and reschedules keep the heap ordered (a processor-sharing
 * link moves its next completion at every join and leave). */
START_TEST(heap_survives_churn)
{
    ec_eventq *q = ec_eventq_new();
    log_t lg = { .n = 0 };
    tagged tg = { &lg, 0 };
    ec_event_id id[500];
    uint64_t x = 2463534242ull;
    for (int i = 0; i < 500; i++)
        ck_assert_int_eq(ec_eventq_schedule(q, xorshift(&x, 100000), record, &tg, &id[i]), EC_OK);
    for (int i = 0; i < 500; i += 3)
        ck_assert_int_eq(ec_eventq_cancel(q, id[i]), EC_OK);
    for (int i = 1; i < 500; i += 3)
        ck_assert_int_eq(ec_eventq_reschedule(q, id[i], xorshift(&x, 100000)), EC_OK);
    ck_assert_int_eq(drain_in_order(q, &lg), 500 - 167);
    ec_eventq_free(q);
}
END_TEST

/* A copy has the same pending events, ids valid, and runs on its own. */
START_TEST(copy_is_independent)
{
    ec_eventq *a = ec_eventq_new(), *b = ec_eventq_new();
    log_t la = { .n = 0 }, lb = { .n = 0 };
    tagged ta[3] = { { &la, 0 }, { &la, 1 }, { &la, 2 } };
    ec_event_id id[3];
    for (int i = 0; i < 3; i++)
        ec_eventq_schedule(a, 10 * (i + 1), record, &ta[i], &id[i]);
    ck_assert_int_eq(ec_eventq_copy(b, a), EC_OK);
    ck_assert_int_eq(ec_eventq_cancel(b, id[0]), EC_OK);   /* the id works in the copy */
    ck_assert_int_eq(ec_eventq_run(b, INT64_MAX), EC_OK);
    ck_assert_int_eq(la.n, 2);                              /* payloads are shared: 1, 2 */
    la.n = 0;
    ck_assert_int_eq(ec_eventq_is_pending(a, id[0]), 1);   /* the original is untouched */
    ck_assert_int_eq(ec_eventq_run(a, INT64_MAX), EC_OK);
    ck_assert_int_eq(la.n, 3);
    ck_assert_int_eq(lb.n, 0);
    ec_eventq_free(a);
    ec_eventq_free(b);
}
END_TEST

static int fail_range(ec_eventq *q, int64_t t, void *payload)
{
    (void)q, (void)t;
    ++*(int *)payload;
    return EC_ERANGE;
}

/* A handler's failure comes back as its status, the event having run;
 * ec_eventq_run stops there and leaves the later events pending. */
START_TEST(handler_failure_is_its_status)
{
    ec_eventq *q = ec_eventq_new();
    int calls = 0, ran = -1;
    ck_assert_int_eq(ec_eventq_push(q, 5, fail_range, &calls), EC_OK);
    ck_assert_int_eq(ec_eventq_step(q, &ran), EC_ERANGE);
    ck_assert_int_eq(ran, 1);
    ck_assert_int_eq(calls, 1);
    ck_assert_int_eq(ec_eventq_now(q), 5);
    ck_assert_int_eq(ec_eventq_push(q, 6, fail_range, &calls), EC_OK);
    ck_assert_int_eq(ec_eventq_push(q, 7, fail_range, &calls), EC_OK);
    ck_assert_int_eq(ec_eventq_run(q, INT64_MAX), EC_ERANGE);
    ck_assert_int_eq(calls, 2);
    ck_assert_uint_eq(ec_eventq_pending(q), 1);
    ck_assert_int_eq(ec_eventq_step(q, NULL), EC_ERANGE);  /* ran may be NULL */
    ck_assert_int_eq(ec_eventq_step(q, NULL), EC_OK);      /* empty */
    ec_eventq_free(q);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("event");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, orders_by_time_then_sequence);
    tcase_add_test(tc, handler_may_schedule_at_now);
    tcase_add_test(tc, run_until_and_many_events);
    tcase_add_test(tc, cancel_and_reschedule);
    tcase_add_test(tc, heap_survives_churn);
    tcase_add_test(tc, copy_is_independent);
    tcase_add_test(tc, handler_failure_is_its_status);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
