/* test_trace_formats: the SimGrid and CSV formats, units and quantities,
 * auto-detection over every fixture, and the error corpus of the new
 * formats (tests/fixtures/traces/bad/sg_*, csv_*). */
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "traces/format.h"
#include "traces/trace.h"

#define S_NS INT64_C(1000000000)

static const char *fx(const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/tests/fixtures/traces/%s", tu_srcdir(), name);
    return buf;
}

/* Load fixture name with these options into *t; returns the status. */
static int load_with(const char *name, const char *format, const char *column,
                     const char *unit, double interval_s, ec_trace_quantity q, ec_trace **t,
                     ec_diag *d)
{
    ec_trace_opts o;
    ec_trace_opts_init(&o);
    o.format = format;
    o.column = column;
    o.unit = unit;
    o.interval_s = interval_s;
    o.quantity = q;
    ec_diag_clear(d);
    return ec_trace_load_opts(fx(name), &o, t, d);
}

/* Load fixture name with options; fail the test on error. */
static ec_trace *load_ok(const char *name, const char *format, const char *column,
                         const char *unit, double interval_s, ec_trace_quantity q)
{
    ec_trace *t = NULL;
    ec_diag d;
    int rc = load_with(name, format, column, unit, interval_s, q, &t, &d);
    ck_assert_msg(rc == EC_OK, "%s: %s", name, d.msg);
    return t;
}

/* Loading name must fail with code and a message containing name + want. */
static void load_bad(const char *name, const char *format, const char *column,
                     const char *unit, double interval_s, ec_trace_quantity q, int code,
                     const char *want)
{
    ec_trace *t = (ec_trace *)&code;
    ec_diag d;
    int rc = load_with(name, format, column, unit, interval_s, q, &t, &d);
    ck_assert_msg(rc == code, "%s: got %d want %d: %s", name, rc, code, d.msg);
    ck_assert_ptr_null(t);
    char full[512];
    snprintf(full, sizeof full, "%s%s", name, want);
    ck_assert_msg(strstr(d.msg, full), "%s: message '%s' lacks '%s'", name, d.msg, full);
}

START_TEST(test_simgrid)
{
    ec_trace *t = load_ok("small.simgrid", "auto", NULL, NULL, 0, EC_TRACE_RATE);
    ck_assert_uint_eq(ec_trace_segments(t), 3);
    ck_assert_int_eq(ec_trace_length_ns(t), 4 * S_NS);
    ck_assert_double_eq(ec_trace_value(t, 0), 2e6); /* 250000 B/s */
    ck_assert_double_eq(ec_trace_value(t, 2 * S_NS), 0);
    ck_assert_double_eq(ec_trace_value(t, 3 * S_NS + 1), 4e6);
    ck_assert_double_eq(ec_trace_value(t, 4 * S_NS), 2e6); /* loops */
    ck_assert_double_eq(ec_trace_mean(t), 2e6);
    /* deliver across the outage and the loop point: from 3.5 s, 2 Mbit at
     * 4 Mbit/s takes 0.5 s to the loop, the next 0 s... */
    int64_t t1;
    ck_assert_int_eq(ec_trace_deliver(t, 3 * S_NS + S_NS / 2, 4e6, &t1), EC_OK);
    ck_assert_int_eq(t1, 4 * S_NS + S_NS); /* 2 Mbit to 4 s, 2 Mbit in 1 s */
    ck_assert_int_eq(ec_trace_deliver(t, S_NS, 3e6, &t1), EC_OK);
    ck_assert_int_eq(t1, 3 * S_NS + S_NS / 4); /* 2 Mbit, waits out [2,3), 1 Mbit */
    ec_trace_free(t);

    t = load_ok("noloop.simgrid", "simgrid", NULL, "Mbps", 0, EC_TRACE_RATE);
    ck_assert_int_eq(ec_trace_length_ns(t), 7 * S_NS); /* last gap 3 s repeated */
    ck_assert_double_eq(ec_trace_value(t, 5 * S_NS), 2e6);
    ec_trace_free(t);
    /* a speed profile as a plain factor */
    t = load_ok("noloop.simgrid", "simgrid", NULL, NULL, 0, EC_TRACE_NUMBER);
    ck_assert_double_eq(ec_trace_value(t, 0), 1.5);
    ck_assert_double_eq_tol(ec_trace_mean(t), (1.5 + 3 * 3 + 2 * 3) / 7.0, 1e-12);
    ec_trace_free(t);
}
END_TEST

START_TEST(test_csv)
{
    /* time column, value column by name (quoted, with a comma) in kbps */
    ec_trace *t = load_ok("small.csv", "auto", "down, kbps", "kbps", 0, EC_TRACE_RATE);
    ck_assert_uint_eq(ec_trace_segments(t), 3);
    ck_assert_int_eq(ec_trace_length_ns(t), 2 * S_NS + S_NS / 2);
    ck_assert_double_eq(ec_trace_value(t, 0), 1e6);
    ck_assert_double_eq(ec_trace_value(t, S_NS + S_NS / 2), 2e6);
    ck_assert_double_eq(ec_trace_value(t, 2 * S_NS), 3e6);
    ck_assert_double_eq_tol(ec_trace_mean(t), (1.5 * 1e6 + 0.5 * 2e6 + 0.5 * 3e6) / 2.5, 1e-6);
    ec_trace_free(t);
    /* by index, a zero stretch */
    t = load_ok("small.csv", "csv", "4", "kB/s", 0, EC_TRACE_RATE);
    ck_assert_double_eq(ec_trace_value(t, 0), 4e6);
    ck_assert_double_eq_tol(ec_trace_zero_share(t), 0.5 / 2.5, 1e-12);
    ec_trace_free(t);
    /* fixed interval, ';' delimiter, quoted numbers, many columns */
    t = load_ok("interval.csv", "auto", "DL_bitrate", NULL, 1, EC_TRACE_RATE);
    ck_assert_int_eq(ec_trace_length_ns(t), 3 * S_NS);
    ck_assert_double_eq(ec_trace_value(t, 0), 8.5e6);
    ck_assert_double_eq(ec_trace_value(t, 2 * S_NS), 10e6);
    ec_trace_free(t);
    t = load_ok("interval.csv", "csv", "ul_bitrate", "Mbps", 0.5, EC_TRACE_RATE);
    ck_assert_int_eq(ec_trace_length_ns(t), 3 * S_NS / 2);
    ck_assert_double_eq(ec_trace_value(t, S_NS / 2), 0);
    ec_trace_free(t);
    /* a spreadsheet export: byte-order mark before the header, CRLF */
    t = load_ok("bom.csv", "auto", "rate_mbps", NULL, 0, EC_TRACE_RATE);
    ck_assert_int_eq(ec_trace_length_ns(t), 2 * S_NS); /* the last row lasts one spacing */
    ck_assert_double_eq(ec_trace_value(t, 0), 2e6);
    ck_assert_double_eq(ec_trace_value(t, S_NS), 4e6);
    ec_trace_free(t);
    /* tab-delimited load factor, CRLF, the only non-time column */
    t = load_ok("load.csv", "auto", NULL, NULL, 0, EC_TRACE_NUMBER);
    ck_assert_int_eq(ec_trace_length_ns(t), 30 * S_NS);
    ck_assert_double_eq(ec_trace_value(t, 15 * S_NS), 2.5);
    ck_assert_double_eq(ec_trace_mean(t), 1.5);
    ec_trace_free(t);
}
END_TEST

START_TEST(test_units_and_quantities)
{
    /* cooked: Mbps by default, any rate unit, a plain number for factors */
    ec_trace *t = load_ok("small.cooked", "auto", NULL, NULL, 0, EC_TRACE_RATE);
    ck_assert_double_eq(ec_trace_value(t, 0), 2e6);
    ec_trace_free(t);
    t = load_ok("small.cooked", "auto", NULL, "MB/s", 0, EC_TRACE_RATE);
    ck_assert_double_eq(ec_trace_value(t, 0), 16e6);
    ec_trace_free(t);
    t = load_ok("small.cooked", "auto", NULL, NULL, 0, EC_TRACE_NUMBER);
    ck_assert_double_eq(ec_trace_value(t, 0), 2); /* exactly, not 2e6 * 1e-6 */
    ec_trace_free(t);
    ck_assert_ptr_nonnull(ec_trace_unit_find("Gbps"));
    ck_assert_double_eq(ec_trace_unit_find("kB/s")->scale, 8e3);
    ck_assert_ptr_null(ec_trace_unit_find("mbps"));
    ck_assert_ptr_null(ec_trace_unit_find(NULL));
    load_bad("small.cooked", "auto", NULL, "furlongs", 0, EC_TRACE_RATE, EC_ETRACE,
             ": unknown unit 'furlongs'; expected bps, kbps");
    load_bad("small.cooked", "auto", NULL, "1", 0, EC_TRACE_RATE, EC_ETRACE,
             ": unit '1' does not fit a rate trace");
    load_bad("small.cooked", "auto", NULL, "Mbps", 0, EC_TRACE_NUMBER, EC_ETRACE,
             ": unit 'Mbps' does not fit a plain-number trace; expected 1");
    load_bad("small.mahimahi", "auto", NULL, NULL, 0, EC_TRACE_NUMBER, EC_ETRACE,
             ": a mahimahi trace is a link capacity");
    load_bad("small.mahimahi", "auto", NULL, "kbps", 0, EC_TRACE_RATE, EC_ETRACE,
             ": a mahimahi trace takes no unit");
}
END_TEST

/* Auto-detection classifies every good fixture as what it is. */
START_TEST(test_detect_fixtures)
{
    static const char *const cases[][2] = {
        {"small.cooked", "cooked"},     {"crlf.cooked", "cooked"},
        {"small.mahimahi", "mahimahi"}, {"merge.mahimahi", "mahimahi"},
        {"small.simgrid", "simgrid"},   {"noloop.simgrid", "cooked"},
        {"small.csv", "csv"},           {"interval.csv", "csv"}, {"bom.csv", "csv"},
        {"load.csv", "csv"},            {"../../../traces/lte-uplink.trace", "cooked"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const ec_trace_format *f = NULL;
        ec_diag d;
        int rc = ec_trace_format_of(fx(cases[i][0]), "auto", &f, &d);
        ck_assert_msg(rc == EC_OK, "%s: %s", cases[i][0], d.msg);
        ck_assert_msg(strcmp(f->name, cases[i][1]) == 0, "%s detected as %s, not %s",
                      cases[i][0], f->name, cases[i][1]);
    }
    ck_assert_ptr_eq(ec_trace_format_find("simgrid"), &ec_trace_format_simgrid);
    ck_assert_ptr_eq(ec_trace_format_find("csv"), &ec_trace_format_csv);
    const char *hdr = "t,rate\n0,1\n", *nums = "0,1\n1,2\n", *ragged = "a,b\n1,2,3\n";
    ck_assert_int_eq(ec_trace_format_csv.sniff(hdr, strlen(hdr)), 95);
    ck_assert_int_eq(ec_trace_format_csv.sniff(nums, strlen(nums)), 0);
    ck_assert_int_eq(ec_trace_format_csv.sniff(ragged, strlen(ragged)), 0);
}
END_TEST

START_TEST(test_format_errors)
{
#define SG(file, want) load_bad("bad/" file, "simgrid", NULL, NULL, 0, EC_TRACE_RATE, EC_ETRACE, want)
#define CSV(file, col, want) load_bad("bad/" file, "csv", col, NULL, 0, EC_TRACE_RATE, EC_ETRACE, want)
    SG("sg_badnum.trace", ":3: rate 'abc' is not a number; expected a rate in B/s");
    SG("sg_nonincreasing.trace", ":4: time 2 not after previous time 3; expected strictly");
    SG("sg_negrate.trace", ":3: rate -5 is negative; expected a rate >= 0 in B/s");
    SG("sg_nan.trace", ":2: rate 'nan' is not finite");
    SG("sg_badloop.trace", ":1: bad LOOPAFTER line; expected 'LOOPAFTER SECONDS'");
    SG("sg_twoloops.trace", ":3: second LOOPAFTER line; expected at most one");
    SG("sg_fields.trace", ":2: found 3 fields; expected 'time_s rate'");
    SG("sg_empty.trace", ": empty trace; expected at least one 'time_s rate' line");
    load_bad("bad/sg_badnum.trace", "auto", NULL, NULL, 0, EC_TRACE_RATE, EC_ETRACE,
             ":3: rate 'abc' is not a number"); /* detected by LOOPAFTER */
    load_bad("bad/empty.trace", "simgrid", NULL, NULL, 0, EC_TRACE_RATE, EC_ETRACE,
             ": empty trace");
    CSV("csv_badnum.csv", NULL, ":3: rate 'x2' is not a number; expected a rate in Mbps");
    CSV("csv_emptycell.csv", NULL, ":3: rate '' is not a number");
    CSV("csv_nonincreasing.csv", NULL, ":4: time 1 not after previous time 2");
    CSV("csv_negrate.csv", NULL, ":3: rate -3 is negative");
    CSV("csv_nan.csv", NULL, ":2: rate 'NaN' is not finite");
    CSV("csv_notime.csv", "b", ":1: no time column (time_s, time, t, timestamp or seconds)");
    CSV("csv_header_only.csv", NULL, ":1: no rows after the header; expected at least one");
    CSV("csv_quote.csv", NULL, ":3: unterminated quoted field");
    CSV("csv_short.csv", "up", ":3: found 1 fields; expected at least 3");
    CSV("csv_twocols.csv", NULL, ":1: 2 candidate value columns ('time_s', 'rate', 'up')");
    CSV("csv_twocols.csv", "nope", ":1: column 'nope' does not exist; expected one of");
    CSV("csv_twocols.csv", "4", ":1: column 4 does not exist; expected 1..3");
    CSV("csv_twocols.csv", "0", ":1: column 0 does not exist");
    CSV("empty.trace", NULL, ": empty trace; expected a header line and rows");
    load_bad("bad/csv_notime.csv", "auto", "b", NULL, 0, EC_TRACE_RATE, EC_ETRACE,
             ":1: no time column");
#undef SG
#undef CSV
}
END_TEST

/* Every file in bad/ fails to load with EC_ETRACE and a FILE:LINE or FILE:
 * message, whatever format it is read as: never a crash. */
START_TEST(test_bad_corpus_all_formats)
{
    static const char *const files[] = {
        "sg_badnum.trace", "sg_nonincreasing.trace", "sg_negrate.trace", "sg_nan.trace",
        "sg_badloop.trace", "sg_twoloops.trace", "sg_fields.trace", "sg_empty.trace",
        "csv_badnum.csv", "csv_emptycell.csv", "csv_nonincreasing.csv", "csv_negrate.csv",
        "csv_nan.csv", "csv_header_only.csv", "csv_quote.csv", "empty.trace",
        "cooked_badnum.trace", "mm_badtoken.trace", "undetectable.trace",
    };
    static const char *const formats[] = {"auto", "cooked", "mahimahi", "simgrid", "csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        for (size_t k = 0; k < 5; k++) {
            char name[256];
            snprintf(name, sizeof name, "bad/%s", files[i]);
            ec_trace_opts o;
            ec_trace_opts_init(&o);
            o.format = formats[k];
            o.column = "rate";
            ec_trace *t = NULL;
            ec_diag d;
            ec_diag_clear(&d);
            int rc = ec_trace_load_opts(fx(name), &o, &t, &d);
            if (rc == EC_OK) { /* a few files are fine in another format */
                ec_trace_free(t);
                continue;
            }
            ck_assert_msg(rc == EC_ETRACE, "%s as %s: %d %s", name, formats[k], rc, d.msg);
            ck_assert_msg(strstr(d.msg, files[i]) && strstr(d.msg, "expected"),
                          "%s as %s: '%s'", name, formats[k], d.msg);
        }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trace-formats");
    TCase *tc = tcase_create("formats");
    tcase_add_test(tc, test_simgrid);
    tcase_add_test(tc, test_csv);
    tcase_add_test(tc, test_units_and_quantities);
    tcase_add_test(tc, test_detect_fixtures);
    tcase_add_test(tc, test_format_errors);
    tcase_add_test(tc, test_bad_corpus_all_formats);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
