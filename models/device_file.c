/* device_file: the parser of NAME.device files (format:
 * models/devices/README.md).  Every error is EC_EMODEL "FILE:LINE: what;
 * expected what". */
#include "models/device_impl.h"
#include "sim/base/suggest.h"
#include "sim/base/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOK 16

enum section { SEC_HEAD, SEC_ROOFLINE, SEC_REGRESSION, SEC_LAYERS, SEC_CUTS, SEC_POWER,
               SEC_QUANT };

/* Parser state. */
typedef struct parser {
    ec_device *dev;
    const char *file;
    long line;                   /* current line */
    enum section sec;            /* current section */
    long sec_line;               /* line of the current section header */
    ec_dev_table table;          /* [layers] or [cuts] being read */
    long roof_line, reg_line, power_line, quant_line; /* lines of those headers, 0 if absent */
    double eff[EC_LAYER_N_TYPES + 1];     /* per type, [N] = default; NAN = unset */
    double over[EC_LAYER_N_TYPES + 1];    /* likewise for overhead_ms */
    double peak, mem;                     /* NAN = unset */
    double power[4];                      /* compute, idle, slope, base; NAN = unset */
    int has_reg_default;                  /* [regression] had a default line */
    double reg_default[EC_REG_N_TERMS];   /* its coefficients */
} parser;

static const char *const power_keys[4] = { "compute_w", "idle_w", "tx_w_per_mbps",
                                           "tx_base_w" };
static const char *const reg_terms[EC_REG_N_TERMS] = { "ms", "gmac", "gflop", "in_mb",
                                                       "out_mb", "weight_mb" };
#define TAGS "measured, published, calibrated or assumption"

#define ERR(ps, ...) ec_diag_set(d, EC_EMODEL, (ps)->file, (ps)->line, __VA_ARGS__)

static const char *const tags[] = { "measured", "published", "calibrated", "assumption", NULL };

static int is_tag(const char *s)
{
    for (size_t i = 0; tags[i]; i++)
        if (!strcmp(s, tags[i]))
            return 1;
    return 0;
}

/* "; did you mean 'X'?" for the name of cands (NULL-terminated) closest to
 * bad, into buf (n bytes); "" if none is close. */
static const char *hint(const char *bad, const char *const *cands, char *buf, size_t n)
{
    ec_suggest sg = EC_SUGGEST_INIT(bad);
    for (size_t i = 0; cands[i]; i++)
        ec_suggest_add(&sg, cands[i]);
    return ec_suggest_hint(&sg, buf, n);
}

/* The provenance tag of a line: its last token. */
static int check_tag(parser *ps, char **tok, size_t n, ec_diag *d)
{
    char h[96];
    if (n >= 2 && !is_tag(tok[n - 1]) && *hint(tok[n - 1], tags, h, sizeof h))
        return ERR(ps, "'%s': unknown provenance '%s'; expected " TAGS "%s", tok[0],
                   tok[n - 1], h);  /* a misspelt tag, not a missing one */
    if (n < 2 || !is_tag(tok[n - 1]))
        return ERR(ps, "'%s' has no provenance; expected the line to end in " TAGS, tok[0]);
    return EC_OK;
}

/* tok as a number in [lo, hi] (lo excluded if open). */
static int number(parser *ps, const char *what, const char *tok, double lo, int open, double hi,
                  double *v, ec_diag *d)
{
    int parsed = ec_text_number(tok, v) == 0;
    if (parsed && *v >= lo && !(open && *v == lo) && *v <= hi)
        return EC_OK;
    parsed = parsed || ec_text_overflows(tok);
    char range[64];
    if (hi < INFINITY)
        snprintf(range, sizeof range, "%s %g and <= %g", open ? ">" : ">=", lo, hi);
    else
        snprintf(range, sizeof range, "%s %g", open ? ">" : ">=", lo);
    return ERR(ps, "%s: '%s' is %s; expected a number %s", what, tok,
               parsed ? "out of range" : "not a number", range);
}

/* A layer type name or "default" (-> EC_LAYER_N_TYPES). */
static int layer_type(parser *ps, const char *tok, int *t, ec_diag *d)
{
    if (!strcmp(tok, "default")) {
        *t = EC_LAYER_N_TYPES;
        return EC_OK;
    }
    if ((*t = ec_layer_type_find(tok)) >= 0)
        return EC_OK;
    char list[256] = "";
    for (int i = 0; i < EC_LAYER_N_TYPES; i++) {
        strcat(list, ec_layer_type_name((ec_layer_type)i));
        strcat(list, ", ");
    }
    return ERR(ps, "unknown layer type '%s'; expected default or one of %.*s", tok,
               (int)strlen(list) - 2, list);
}

/* A "name V TAG" or "name [TYPE] V TAG" line of [roofline]. */
static int roofline_line(parser *ps, char **tok, size_t n, ec_diag *d)
{
    int rc = check_tag(ps, tok, n, d);
    if (rc)
        return rc;
    double *slot = NULL, lo = 0, hi = INFINITY;
    int open = 1, t = EC_LAYER_N_TYPES;
    if (!strcmp(tok[0], "peak_gflops") || !strcmp(tok[0], "mem_gbps")) {
        if (n != 3)
            return ERR(ps, "%s takes one value; expected '%s V TAG'", tok[0], tok[0]);
        slot = tok[0][0] == 'p' ? &ps->peak : &ps->mem;
    } else if (!strcmp(tok[0], "efficiency") || !strcmp(tok[0], "overhead_ms")) {
        if (n != 3 && n != 4)
            return ERR(ps, "bad %s line; expected '%s [TYPE] V TAG'", tok[0], tok[0]);
        if (n == 4 && (rc = layer_type(ps, tok[1], &t, d)))
            return rc;
        int eff = tok[0][0] == 'e';
        slot = eff ? &ps->eff[t] : &ps->over[t];
        hi = eff ? 1 : INFINITY;
        open = eff;
    } else {
        static const char *const keys[] = { "peak_gflops", "mem_gbps", "efficiency",
                                            "overhead_ms", NULL };
        char h[96];
        return ERR(ps, "unknown roofline key '%s'; expected peak_gflops, mem_gbps, efficiency "
                   "or overhead_ms%s", tok[0], hint(tok[0], keys, h, sizeof h));
    }
    if (!isnan(*slot))
        return ERR(ps, "%s%s%s given twice; expected it once", tok[0], n == 4 ? " " : "",
                   n == 4 ? tok[1] : "");
    return number(ps, tok[0], tok[n - 2], lo, open, hi, slot, d);
}

/* "TYPE TERM=COEF... TAG" of [regression]. */
static int regression_line(parser *ps, char **tok, size_t n, ec_diag *d)
{
    int rc, t;
    if ((rc = check_tag(ps, tok, n, d)) || (rc = layer_type(ps, tok[0], &t, d)))
        return rc;
    if (n < 3)
        return ERR(ps, "regression for '%s' has no terms; expected TERM=COEF with TERM one "
                   "of ms, gmac, gflop, in_mb, out_mb, weight_mb", tok[0]);
    double coef[EC_REG_N_TERMS] = { 0 };
    for (size_t i = 1; i + 1 < n; i++) {
        char *eq = strchr(tok[i], '=');
        int k = -1;
        if (eq) {
            *eq = '\0';
            for (int j = 0; j < EC_REG_N_TERMS; j++)
                if (!strcmp(tok[i], reg_terms[j]))
                    k = j;
        }
        if (k < 0)
            return ERR(ps, "bad regression term '%s'; expected TERM=COEF with TERM one of ms, "
                       "gmac, gflop, in_mb, out_mb, weight_mb", tok[i]);
        if (ec_text_number(eq + 1, &coef[k]))
            return ERR(ps, "term %s: '%s' is not a number; expected a finite number", tok[i],
                       eq + 1);
    }
    ec_regression *r = &ps->dev->reg;
    int dflt = t == EC_LAYER_N_TYPES;
    if (dflt ? ps->has_reg_default : r->has[t])
        return ERR(ps, "regression for '%s' given twice; expected one line per type", tok[0]);
    if (dflt) { /* applied to the types without a line of their own at the end */
        ps->has_reg_default = 1;
        memcpy(ps->reg_default, coef, sizeof coef);
        return EC_OK;
    }
    r->has[t] = 1;
    memcpy(r->coef[t], coef, sizeof coef);
    return EC_OK;
}

/* "INDEX MS [NAME]" of [layers] or "CUT MS" of [cuts]. */
static int table_line(parser *ps, char **tok, size_t n, ec_diag *d)
{
    int layers = ps->sec == SEC_LAYERS;
    size_t have = ps->table.prof->n_layers;
    double idx, ms;
    if (n < 2 || n > (layers ? 3u : 2u))
        return ERR(ps, layers ? "bad layer row; expected 'INDEX MS [NAME]'"
                              : "bad cut row; expected 'CUT MS'");
    if (ec_text_number(tok[0], &idx) || idx != (double)have)
        return ERR(ps, "%s '%s' out of order; expected %zu", layers ? "layer" : "cut", tok[0],
                   have);
    int rc = number(ps, "ms", tok[1], 0, 0, EC_MAX_MS, &ms, d);
    if (rc)
        return rc;
    return ec_layer_profile_push(ps->table.prof, ms, n == 3 ? tok[2] : NULL, ps->line);
}

static int power_line(parser *ps, char **tok, size_t n, ec_diag *d)
{
    int rc = check_tag(ps, tok, n, d);
    if (rc)
        return rc;
    for (int k = 0; k < 4; k++) {
        if (strcmp(tok[0], power_keys[k]))
            continue;
        if (n != 3)
            return ERR(ps, "%s takes one value; expected '%s V TAG'", tok[0], tok[0]);
        if (!isnan(ps->power[k]))
            return ERR(ps, "%s given twice; expected it once", tok[0]);
        return number(ps, tok[0], tok[1], 0, 0, INFINITY, &ps->power[k], d);
    }
    static const char *const keys[] = { "compute_w", "idle_w", "tx_w_per_mbps", "tx_base_w",
                                        NULL };
    char h[96];
    return ERR(ps, "unknown power key '%s'; expected compute_w, idle_w, tx_w_per_mbps or "
               "tx_base_w%s", tok[0], hint(tok[0], keys, h, sizeof h));
}

/* A [quant] line: "ns_per_elem V TAG". */
static int quant_line(parser *ps, char **tok, size_t n, ec_diag *d)
{
    int rc = check_tag(ps, tok, n, d);
    if (rc)
        return rc;
    if (strcmp(tok[0], "ns_per_elem"))
        return ERR(ps, "unknown quant key '%s'; expected ns_per_elem", tok[0]);
    if (n != 3)
        return ERR(ps, "ns_per_elem takes one value; expected 'ns_per_elem V TAG'");
    if (ps->dev->has_quant)
        return ERR(ps, "ns_per_elem given twice; expected it once");
    ps->dev->has_quant = 1;
    return number(ps, tok[0], tok[1], 0, 0, 1e6, &ps->dev->quant_ns_per_elem, d);
}

/* Store the table or cut table that ends here. */
static int close_section(parser *ps, ec_diag *d)
{
    int rc = EC_OK;
    if (ps->sec == SEC_LAYERS || ps->sec == SEC_CUTS) {
        int layers = ps->sec == SEC_LAYERS;
        if (ps->table.prof->n_layers == 0)
            return ec_diag_set(d, EC_EMODEL, ps->file, ps->sec_line,
                               "empty table; expected one row per %s", layers ? "layer" : "cut");
        rc = ec_dev_table_put(layers ? &ps->dev->tables : &ps->dev->cuts, &ps->table);
    }
    ps->sec = SEC_HEAD;
    return rc;
}

static int open_table(parser *ps, char **tok, ec_diag *d)
{
    const char *model = tok[1];
    int layers = ps->sec == SEC_LAYERS;
    if (ec_dev_table_find(layers ? &ps->dev->tables : &ps->dev->cuts, model))
        return ERR(ps, "second [%s %s] table; expected one per model", tok[0], model);
    ec_dev_table *t = &ps->table;
    t->source = EC_LATENCY_MEASURED;
    t->model = ec_strdup(model);
    t->where = ec_text_where(ps->file, ps->line);
    if ((t->prof = calloc(1, sizeof *t->prof))) {
        t->prof->file = ec_strdup(ps->file);
        t->prof->line = ps->line;
    }
    return t->model && t->where && t->prof && t->prof->file ? EC_OK : EC_ENOMEM;
}

/* A "[...]" line. */
static int section_line(parser *ps, char *line, ec_diag *d)
{
    int rc = close_section(ps, d);
    if (rc)
        return rc;
    size_t len = strlen(line);
    char *tok[MAX_TOK];
    size_t n = 0;
    if (line[len - 1] == ']') {
        line[len - 1] = '\0';
        n = ec_text_split_ws(line + 1, tok, MAX_TOK);
    }
    static const char *const one[] = { "roofline", "regression", "power", "quant" };
    static const enum section one_sec[] = { SEC_ROOFLINE, SEC_REGRESSION, SEC_POWER,
                                            SEC_QUANT };
    ps->sec_line = ps->line;
    for (int i = 0; i < 4 && n == 1; i++) {
        if (strcmp(tok[0], one[i]))
            continue;
        long *seen = i == 0 ? &ps->roof_line : i == 1 ? &ps->reg_line
                     : i == 2 ? &ps->power_line : &ps->quant_line;
        if (*seen)
            return ERR(ps, "second [%s] section; expected one", one[i]);
        if (i < 2 && (ps->roof_line || ps->reg_line))
            return ERR(ps, "[%s] after another estimator section; expected one of [roofline] "
                       "and [regression] per device", one[i]);
        *seen = ps->line;
        ps->sec = one_sec[i];
        return EC_OK;
    }
    if (n == 3 && (!strcmp(tok[0], "layers") || !strcmp(tok[0], "cuts"))) {
        if (!is_tag(tok[2]))
            return ERR(ps, "[%s %s %s]: bad provenance; expected " TAGS, tok[0], tok[1], tok[2]);
        ps->sec = tok[0][0] == 'l' ? SEC_LAYERS : SEC_CUTS;
        return open_table(ps, tok, d);
    }
    static const char *const names[] = { "roofline", "regression", "power", "quant", "layers",
                                         "cuts", NULL };
    char h[96] = "";
    if (n >= 1)
        hint(tok[0], names, h, sizeof h);
    return ERR(ps, "bad section header; expected [roofline], [regression], [power], "
               "[quant], [layers MODEL TAG] or [cuts MODEL TAG]%s", h);
}

/* "description TEXT" or "source TEXT" before the first section. */
static int head_line(parser *ps, char *line, ec_diag *d)
{
    size_t k = strcspn(line, " \t");
    char *rest = line + k + strspn(line + k, " \t");
    int desc = k == 11 && !strncmp(line, "description", 11);
    if (!desc && !(k == 6 && !strncmp(line, "source", 6))) {
        static const char *const names[] = { "description", "source", NULL };
        char word[64], h[96];
        snprintf(word, sizeof word, "%.*s", (int)(k < 63 ? k : 63), line);
        return ERR(ps, "unknown directive '%.*s'; expected description, source or a "
                   "[section]%s", (int)k, line, hint(word, names, h, sizeof h));
    }
    if (!*rest)
        return ERR(ps, "%.*s without text; expected '%.*s TEXT'", (int)k, line, (int)k, line);
    if (desc) {
        if (ps->dev->description)
            return ERR(ps, "second description; expected one");
        return (ps->dev->description = ec_strdup(rest)) ? EC_OK : EC_ENOMEM;
    }
    ec_device *dev = ps->dev;
    if (ec_grow(&dev->sources, &dev->cap_sources, dev->n_sources + 1, sizeof *dev->sources))
        return EC_ENOMEM;
    return (dev->sources[dev->n_sources++] = ec_strdup(rest)) ? EC_OK : EC_ENOMEM;
}

static int content_line(parser *ps, char *line, ec_diag *d)
{
    if (line[0] == '[')
        return section_line(ps, line, d);
    if (ps->sec == SEC_HEAD)
        return head_line(ps, line, d);
    char *tok[MAX_TOK];
    size_t n = ec_text_split_ws(line, tok, MAX_TOK);
    if (n > MAX_TOK)
        return ERR(ps, "too many fields; expected at most %d", MAX_TOK);
    switch (ps->sec) {
    case SEC_ROOFLINE: return roofline_line(ps, tok, n, d);
    case SEC_REGRESSION: return regression_line(ps, tok, n, d);
    case SEC_POWER: return power_line(ps, tok, n, d);
    case SEC_QUANT: return quant_line(ps, tok, n, d);
    default: return table_line(ps, tok, n, d);
    }
}

/* Whole-file checks and defaults once every line is read. */
static int finish(parser *ps, ec_diag *d)
{
    ec_device *dev = ps->dev;
    if (!dev->description || !dev->n_sources)
        return ec_diag_set(d, EC_EMODEL, ps->file, 1, "no %s; expected a line '%s TEXT' "
                           "before the first section", dev->description ? "source" : "description",
                           dev->description ? "source" : "description");
    if (ps->roof_line) {
        ps->line = ps->roof_line;
        if (isnan(ps->peak) || isnan(ps->mem) || isnan(ps->eff[EC_LAYER_N_TYPES]))
            return ERR(ps, "[roofline] lacks %s; expected peak_gflops, mem_gbps and a default "
                       "efficiency", isnan(ps->peak) ? "peak_gflops" : isnan(ps->mem) ?
                       "mem_gbps" : "the default efficiency");
        dev->estimator = EC_LATENCY_ROOFLINE;
        dev->roof.peak_gflops = ps->peak;
        dev->roof.mem_gbps = ps->mem;
        double o = isnan(ps->over[EC_LAYER_N_TYPES]) ? 0 : ps->over[EC_LAYER_N_TYPES];
        for (int t = 0; t < EC_LAYER_N_TYPES; t++) {
            dev->roof.efficiency[t] = isnan(ps->eff[t]) ? ps->eff[EC_LAYER_N_TYPES] : ps->eff[t];
            dev->roof.overhead_ms[t] = isnan(ps->over[t]) ? o : ps->over[t];
        }
    }
    if (ps->reg_line) {
        int any = ps->has_reg_default;
        for (int t = 0; t < EC_LAYER_N_TYPES; t++) {
            if (!dev->reg.has[t] && ps->has_reg_default) {
                dev->reg.has[t] = 1;
                memcpy(dev->reg.coef[t], ps->reg_default, sizeof ps->reg_default);
            }
            any |= dev->reg.has[t];
        }
        if (!any)
            return ec_diag_set(d, EC_EMODEL, ps->file, ps->reg_line, "empty [regression]; "
                               "expected lines 'TYPE TERM=COEF... TAG'");
        dev->estimator = EC_LATENCY_REGRESSION;
    }
    if (ps->power_line) {
        for (int k = 0; k < 4; k++)
            if (isnan(ps->power[k]))
                return ec_diag_set(d, EC_EMODEL, ps->file, ps->power_line, "[power] lacks %s; "
                                   "expected compute_w, idle_w, tx_w_per_mbps and tx_base_w",
                                   power_keys[k]);
        dev->has_power = 1;
        dev->power = (ec_power){ ps->power[0], ps->power[1], ps->power[2], ps->power[3] };
    }
    if (dev->estimator == EC_LATENCY_NONE && dev->tables.n == 0 && dev->cuts.n == 0)
        return ec_diag_set(d, EC_EMODEL, ps->file, ps->line, "no latency model; expected "
                           "[roofline], [regression], [layers MODEL TAG] or [cuts MODEL TAG]");
    return EC_OK;
}

int ec_device_parse(ec_device *dev, char *text, ec_diag *d)
{
    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.dev = dev;
    ps.file = dev->file;
    ps.peak = ps.mem = NAN;
    for (int t = 0; t <= EC_LAYER_N_TYPES; t++)
        ps.eff[t] = ps.over[t] = NAN;
    for (int k = 0; k < 4; k++)
        ps.power[k] = NAN;
    ec_text_lines it = { text, 0 };
    char *raw;
    int rc = EC_OK;
    while (!rc && (raw = ec_text_next(&it))) {
        ps.line = it.line;
        char *line = ec_text_strip(raw);
        if (*line)
            rc = content_line(&ps, line, d);
    }
    if (!rc)
        rc = close_section(&ps, d);
    if (!rc)
        rc = finish(&ps, d);
    ec_dev_table_clear(&ps.table);
    return rc;
}
