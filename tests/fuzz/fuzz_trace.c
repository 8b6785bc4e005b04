/* fuzz_trace: libFuzzer harness for the trace file formats (traces/format*.c):
 * auto-detection (ec_trace_format_detect on the raw bytes, then
 * ec_trace_load_opts with format "auto") and every registered format read
 * explicitly (cooked, mahimahi, simgrid, csv), as a looping rate trace, as a
 * held plain number, and csv also with a fixed sample interval and with a
 * value column chosen by index and by name in another unit. */
#define _DEFAULT_SOURCE
#include "tests/fuzz/fuzz_util.h"
#include "traces/format.h"
#include "traces/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Query a loaded trace the way the simulator does, then free it. */
static void use(ec_trace *t)
{
    if (!t)
        return;
    int64_t len = ec_trace_length_ns(t);
    (void)ec_trace_mean(t);
    (void)ec_trace_min(t);
    (void)ec_trace_max(t);
    (void)ec_trace_zero_share(t);
    (void)ec_trace_value(t, len / 2);
    (void)ec_trace_integral(t, 0, len);
    (void)ec_trace_next_boundary_ns(t, 0);
    int64_t t1;
    (void)ec_trace_deliver(t, 0, 1e6, &t1);
    ec_trace_free(t);
}

static void load(const char *path, const char *format, ec_trace_quantity q, ec_trace_end end,
                 double interval_s, const char *column, const char *unit)
{
    ec_trace_opts o;
    ec_trace_opts_init(&o);
    o.format = format;
    o.column = column;
    o.unit = unit;
    o.quantity = q;
    o.end = end;
    o.interval_s = interval_s;
    ec_trace *t = NULL;
    ec_diag d;
    ec_diag_clear(&d);
    int rc = ec_trace_load_opts(path, &o, &t, &d);
    ec_fuzz_note(format, rc, d.msg);
    if (rc == EC_OK)
        use(t);
    else if (t)
        abort(); /* a failed load must leave *out NULL */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t head = size < EC_TRACE_SNIFF_BYTES ? size : EC_TRACE_SNIFF_BYTES;
    (void)ec_trace_format_detect((const char *)data, head);
    const char *path = ec_fuzz_write(NULL, ".trace", data, size);
    load(path, "auto", EC_TRACE_RATE, EC_TRACE_LOOP, 0, NULL, NULL);
    for (size_t i = 0; ec_trace_formats[i]; i++) {
        const char *name = ec_trace_formats[i]->name;
        load(path, name, EC_TRACE_RATE, EC_TRACE_LOOP, 0, NULL, NULL);
        load(path, name, EC_TRACE_NUMBER, EC_TRACE_HOLD, 0, NULL, NULL);
    }
    load(path, "csv", EC_TRACE_NUMBER, EC_TRACE_LOOP, 0.5, NULL, NULL);
    load(path, "csv", EC_TRACE_RATE, EC_TRACE_LOOP, 0, "2", "kB/s");
    load(path, "csv", EC_TRACE_RATE, EC_TRACE_HOLD, 1, "bw", "Gbps");
    return 0;
}
