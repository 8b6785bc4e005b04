/* modelfile: the parser of the model file format (models/README.md).
 *
 * Reads the header directives and one layer per line into an ec_model (see
 * model_int.h); model.c derives shapes, costs and cuts afterwards.  Every
 * error names FILE:LINE, what is wrong and what was expected.
 */
#include "models/model_int.h"
#include "sim/base/suggest.h"
#include "sim/base/text.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Largest accepted integer parameter (sides, channels, neurons, bytes). */
#define MAX_PARAM (1 << 20)

#define T(t) (1u << (t))
#define T_POOL (T(EC_LAYER_MAXPOOL) | T(EC_LAYER_AVGPOOL))
#define T_WINDOW (T(EC_LAYER_CONV) | T_POOL)

/* Keys of layer lines. */
enum key_id { K_IN, K_CUT, K_FILTERS, K_OUTPUTS, K_SIZE, K_KW, K_KH, K_STRIDE, K_PAD,
              K_PAD_TOTAL, K_GROUPS, K_CEIL, K_GLOBAL, K_BN, K_BIAS, K_ACT, K_ACC, K_PROB,
              K_N };

static const struct {
    const char *key;   /* as written */
    unsigned types;    /* layer types that accept it */
    const char *want;  /* what a value must be, for messages */
} keys[K_N] = {
    [K_IN] = { "in", ~0u, "comma-separated earlier layer names or 'input'" },
    [K_CUT] = { "cut", ~0u, "yes or no" },
    [K_FILTERS] = { "filters", T(EC_LAYER_CONV), "an integer in 1..1048576" },
    [K_OUTPUTS] = { "outputs", T(EC_LAYER_FC), "an integer in 1..1048576" },
    [K_SIZE] = { "size", T_WINDOW | T(EC_LAYER_LRN), "an integer in 1..1048576" },
    [K_KW] = { "kw", T_WINDOW, "an integer in 1..1048576" },
    [K_KH] = { "kh", T_WINDOW, "an integer in 1..1048576" },
    [K_STRIDE] = { "stride", T_WINDOW | T(EC_LAYER_UPSAMPLE), "an integer in 1..1048576" },
    [K_PAD] = { "pad", T_WINDOW, "an integer in 0..1048576" },
    [K_PAD_TOTAL] = { "pad_total", T_WINDOW, "an integer in 0..1048576" },
    [K_GROUPS] = { "groups", T(EC_LAYER_CONV), "an integer in 1..1048576" },
    [K_CEIL] = { "ceil", T_POOL, "yes or no" },
    [K_GLOBAL] = { "global", T_POOL, "yes or no" },
    [K_BN] = { "bn", T(EC_LAYER_CONV) | T(EC_LAYER_FC), "yes or no" },
    [K_BIAS] = { "bias", T(EC_LAYER_CONV) | T(EC_LAYER_FC), "yes or no" },
    [K_ACT] = { "act", T(EC_LAYER_CONV) | T(EC_LAYER_FC) | T(EC_LAYER_ADD) |
                       T(EC_LAYER_ACTIVATION), "relu, leaky, logistic or linear" },
    [K_ACC] = { "acc", T(EC_LAYER_EXIT), "a number in [0, 1]" },
    [K_PROB] = { "prob", T(EC_LAYER_DROPOUT), "a number in [0, 1]" },
};

static const char *const act_names[] = { "linear", "relu", "leaky", "logistic" };

/* Header directives (reserved words: no layer may take these names). */
static const char *const directives[] = { "name", "description", "source", "input",
                                          "overhead", "accuracy", "quant_loss", NULL };

/* Parser state: the model being filled and where we are. */
typedef struct parser {
    ec_model *m;       /* the model being read */
    const char *file;  /* for messages */
    long line;         /* current line number, from 1 */
    ec_diag *d;        /* diagnostics */
    size_t cap;        /* allocated layers */
    int seen_input;    /* the `input` directive was given */
    int seen_overhead; /* the `overhead` directive was given */
    size_t *index;     /* layer names: open addressing, layer index + 1, 0 = empty */
    size_t index_cap;  /* slots of index, a power of two (0: none yet) */
} parser;

#define FAIL(P, ...) ec_diag_set((P)->d, EC_EMODEL, (P)->file, (P)->line, __VA_ARGS__)

/* Strict integer in [lo, hi]. */
static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < lo || v > hi || *s == '+' || *s == ' ')
        return -1;
    *out = v;
    return 0;
}

/* Strict finite real in [lo, hi]. */
static int parse_real(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi || *s == ' ')
        return -1;
    *out = v;
    return 0;
}

static int parse_bool(const char *s, int *out)
{
    if (!strcmp(s, "yes") || !strcmp(s, "1"))
        *out = 1;
    else if (!strcmp(s, "no") || !strcmp(s, "0"))
        *out = 0;
    else
        return -1;
    return 0;
}

static int valid_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
            return 0;
    return 1;
}

static int is_directive(const char *w)
{
    for (size_t i = 0; directives[i]; i++)
        if (!strcmp(directives[i], w))
            return 1;
    return 0;
}

/* Split s in place on spaces and tabs; at most max tokens. */
static size_t split(char *s, char **tok, size_t max)
{
    size_t n = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t')
            *s++ = '\0';
        if (!*s)
            break;
        if (n == max)
            return max + 1;
        tok[n++] = s;
        while (*s && *s != ' ' && *s != '\t')
            s++;
    }
    return n;
}

/* Append text to a "; "-joined string. */
static int append_source(char **dst, const char *text)
{
    size_t a = *dst ? strlen(*dst) : 0, b = strlen(text);
    char *s = realloc(*dst, a + b + 3);
    if (!s)
        return EC_ENOMEM;
    if (a)
        memcpy(s + a, "; ", 2), a += 2;
    memcpy(s + a, text, b + 1);
    *dst = s;
    return EC_OK;
}

/* "quant_loss BITS LOSS TAG": the accuracy lost when the transferred tensor
 * is quantised to BITS bits per element. */
static int quant_loss(parser *p, char **tok, size_t n)
{
    ec_model *m = p->m;
    long bits;
    double loss;
    static const char *const tags[] = { "measured", "published", "calibrated", "assumption" };
    int tagged = 0;
    for (size_t i = 0; n == 3 && i < 4; i++)
        tagged |= !strcmp(tok[2], tags[i]);
    if (n != 3 || parse_int(tok[0], 1, 32, &bits) || parse_real(tok[1], 0, 1, &loss) || !tagged)
        return FAIL(p, "bad 'quant_loss'; expected 'quant_loss BITS LOSS TAG' with BITS in "
                    "1..32, LOSS in [0, 1] and TAG measured, published, calibrated or assumption");
    for (size_t i = 0; i < m->n_quant; i++)
        if (m->quant_bits[i] == (int)bits)
            return FAIL(p, "second 'quant_loss %ld'; expected one per bit width", bits);
    if (m->n_quant == EC_MODEL_MAX_QUANT)
        return FAIL(p, "too many 'quant_loss' lines; expected at most %d", EC_MODEL_MAX_QUANT);
    m->quant_bits[m->n_quant] = (int)bits;
    m->quant_loss[m->n_quant++] = loss;
    return EC_OK;
}

/* A header directive line; rest is the text after the directive word. */
static int directive(parser *p, char *word, char *rest)
{
    ec_model *m = p->m;
    char *tok[4];
    if (!strcmp(word, "description") || !strcmp(word, "source")) {
        if (!*rest)
            return FAIL(p, "'%s' without text; expected '%s TEXT'", word, word);
        if (*word == 's')
            return append_source(&m->source, rest);
        if (*m->description)
            return FAIL(p, "second 'description'; expected one per file");
        free(m->description);
        return (m->description = ec_strdup(rest)) ? EC_OK : EC_ENOMEM;
    }
    size_t n = split(rest, tok, 3);
    if (!strcmp(word, "quant_loss"))
        return quant_loss(p, tok, n);
    if (!strcmp(word, "name")) {
        if (n != 1 || !valid_name(tok[0]))
            return FAIL(p, "bad 'name'; expected 'name NAME' with letters, digits, '_', '-', '.'");
        if (m->name)
            return FAIL(p, "second 'name'; expected one per file");
        m->header_line = p->line;
        return (m->name = ec_strdup(tok[0])) ? EC_OK : EC_ENOMEM;
    }
    if (!strcmp(word, "input")) {
        long v[3];
        if (n != 3 || parse_int(tok[0], 1, MAX_PARAM, &v[0]) ||
            parse_int(tok[1], 1, MAX_PARAM, &v[1]) || parse_int(tok[2], 1, MAX_PARAM, &v[2]))
            return FAIL(p, "bad 'input'; expected 'input W H C' with integers in 1..%d",
                        MAX_PARAM);
        if (p->seen_input)
            return FAIL(p, "second 'input'; expected one per file");
        p->seen_input = 1;
        m->in_w = (int)v[0], m->in_h = (int)v[1], m->in_c = (int)v[2];
        return EC_OK;
    }
    if (!strcmp(word, "overhead")) {
        long v;
        if (n != 1 || parse_int(tok[0], 0, MAX_PARAM, &v))
            return FAIL(p, "bad 'overhead'; expected 'overhead BYTES' with an integer in 0..%d",
                        MAX_PARAM);
        if (p->seen_overhead)
            return FAIL(p, "second 'overhead'; expected one per file");
        p->seen_overhead = 1;
        m->overhead_bytes = v;
        return EC_OK;
    }
    /* accuracy */
    double a;
    if (n != 1 || parse_real(tok[0], 0, 1, &a))
        return FAIL(p, "bad 'accuracy'; expected 'accuracy A' with A in [0, 1]");
    if (!isnan(m->accuracy))
        return FAIL(p, "second 'accuracy'; expected one per file");
    m->accuracy = a;
    return EC_OK;
}

/* The in= list: names are resolved later (they may be checked against the
 * whole file to tell "defined later" from "unknown"). */
static int parse_inputs(parser *p, ec_lparams *lp, char *v)
{
    size_t n = 1;
    for (const char *c = v; *c; c++)
        n += *c == ',';
    lp->in_names = calloc(n, sizeof *lp->in_names);
    if (!lp->in_names)
        return EC_ENOMEM;
    for (char *tok = v;; ) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        if (!valid_name(tok))
            return FAIL(p, "bad input name '%s' in 'in='; expected %s", tok, keys[K_IN].want);
        if (!(lp->in_names[lp->n_in_names++] = ec_strdup(tok)))
            return EC_ENOMEM;
        if (!comma)
            break;
        tok = comma + 1;
    }
    return EC_OK;
}

/* One key=value of a layer line; seen[] tracks duplicates. */
static int layer_key(parser *p, ec_layer_type t, ec_lparams *lp, char *kv, int *seen)
{
    char *eq = strchr(kv, '=');
    if (!eq)
        return FAIL(p, "'%s' is not key=value; expected KEY=VALUE", kv);
    *eq = '\0';
    const char *v = eq + 1;
    int k = 0;
    while (k < K_N && strcmp(keys[k].key, kv))
        k++;
    if (k == K_N || !(keys[k].types & T(t))) {
        char list[512] = "", hint[128];
        ec_suggest sg = EC_SUGGEST_INIT(kv);
        for (int j = 0; j < K_N; j++)
            if (keys[j].types & T(t)) {
                strcat(list, *list ? ", " : "");
                strcat(list, keys[j].key);
                ec_suggest_add(&sg, keys[j].key);
            }
        return FAIL(p, "unknown key '%s' for a %s layer; expected one of %s%s", kv,
                    ec_layer_type_name(t), list, ec_suggest_hint(&sg, hint, sizeof hint));
    }
    if (seen[k])
        return FAIL(p, "duplicate key '%s'; expected each key once", kv);
    seen[k] = 1;
    long iv = 0;
    double dv = 0;
    int bad = 0;
    switch ((enum key_id)k) {
    case K_IN: return parse_inputs(p, lp, eq + 1);
    case K_CUT: bad = parse_bool(v, &lp->cut); break;
    case K_CEIL: bad = parse_bool(v, &lp->ceil); break;
    case K_GLOBAL: bad = parse_bool(v, &lp->global); break;
    case K_BN: bad = parse_bool(v, &lp->bn); break;
    case K_BIAS: bad = parse_bool(v, &lp->bias); break;
    case K_ACC: bad = parse_real(v, 0, 1, &lp->acc); break;
    case K_PROB: bad = parse_real(v, 0, 1, &dv); break;
    case K_ACT:
        bad = 1;
        for (int a = 0; a < (int)(sizeof act_names / sizeof act_names[0]); a++)
            if (!strcmp(v, act_names[a]))
                lp->act = (ec_act)a, bad = 0;
        break;
    case K_PAD:
    case K_PAD_TOTAL:
        if (!(bad = parse_int(v, 0, MAX_PARAM, &iv))) {
            lp->pad_lo = k == K_PAD ? (int)iv : (int)iv / 2;
            lp->pad_hi = k == K_PAD ? (int)iv : (int)(iv - iv / 2);
        }
        break;
    default:
        if (!(bad = parse_int(v, 1, MAX_PARAM, &iv))) {
            int *dst[] = { [K_FILTERS] = &lp->filters, [K_OUTPUTS] = &lp->outputs,
                           [K_SIZE] = &lp->kw, [K_KW] = &lp->kw, [K_KH] = &lp->kh,
                           [K_STRIDE] = &lp->stride, [K_GROUPS] = &lp->groups };
            *dst[k] = (int)iv;
            if (k == K_SIZE)
                lp->kh = (int)iv;
        }
    }
    if (bad)
        return FAIL(p, "bad value '%s' for '%s'; expected %s", v, kv, keys[k].want);
    return EC_OK;
}

/* Required and conflicting keys of a layer, after all its keys were read. */
static int layer_check(parser *p, ec_layer_type t, const ec_lparams *lp, const int *seen)
{
    int window = seen[K_SIZE] || seen[K_KW] || seen[K_KH];
    if (seen[K_SIZE] && (seen[K_KW] || seen[K_KH]))
        return FAIL(p, "both 'size' and 'kw'/'kh'; expected one of them");
    if (seen[K_PAD] && seen[K_PAD_TOTAL])
        return FAIL(p, "both 'pad' and 'pad_total'; expected one of them");
    if (seen[K_KW] != seen[K_KH])
        return FAIL(p, "'%s' without '%s'; expected both", seen[K_KW] ? "kw" : "kh",
                    seen[K_KW] ? "kh" : "kw");
    switch (t) {
    case EC_LAYER_CONV:
        if (!seen[K_FILTERS])
            return FAIL(p, "conv without 'filters'; expected filters=N");
        if (!window)
            return FAIL(p, "conv without a window; expected size=K or kw=W kh=H");
        break;
    case EC_LAYER_MAXPOOL:
    case EC_LAYER_AVGPOOL:
        if (lp->global && (window || seen[K_STRIDE] || seen[K_PAD] || seen[K_PAD_TOTAL]))
            return FAIL(p, "'global=yes' with a window, stride or pad; expected only one of them");
        if (!lp->global && !window)
            return FAIL(p, "pool without a window; expected size=K, kw=W kh=H or global=yes");
        break;
    case EC_LAYER_FC:
        if (!seen[K_OUTPUTS])
            return FAIL(p, "fc without 'outputs'; expected outputs=N");
        break;
    case EC_LAYER_ACTIVATION:
        if (!seen[K_ACT])
            return FAIL(p, "activation without 'act'; expected act=%s", keys[K_ACT].want);
        break;
    case EC_LAYER_EXIT:
        if (!seen[K_ACC])
            return FAIL(p, "exit without 'acc'; expected acc=A with A in [0, 1]");
        break;
    default:
        break;
    }
    return EC_OK;
}

/* Layer names are looked up through a hash index, so that a file of many
 * layers (or a layer of many inputs) is read in linear time. */
static size_t name_hash(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037); /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return (size_t)h;
}

/* Index of the layer named name, else -1. */
static int index_find(const parser *p, const char *name)
{
    if (!p->index_cap)
        return -1;
    for (size_t k = name_hash(name) & (p->index_cap - 1);; k = (k + 1) & (p->index_cap - 1)) {
        if (!p->index[k])
            return -1;
        if (!strcmp(p->m->layers[p->index[k] - 1].name, name))
            return (int)(p->index[k] - 1);
    }
}

static void index_put(size_t *index, size_t cap, const char *name, size_t i)
{
    size_t k = name_hash(name) & (cap - 1);
    while (index[k])
        k = (k + 1) & (cap - 1);
    index[k] = i + 1;
}

/* Enter layer i (the last one read) into the index, growing it to keep it
 * at most half full.  EC_OK or EC_ENOMEM. */
static int index_add(parser *p, size_t i)
{
    if (2 * (i + 1) > p->index_cap) {
        size_t cap = p->index_cap ? 2 * p->index_cap : 64;
        size_t *index = calloc(cap, sizeof *index);
        if (!index)
            return EC_ENOMEM;
        for (size_t j = 0; j < i; j++)
            index_put(index, cap, p->m->layers[j].name, j);
        free(p->index);
        p->index = index;
        p->index_cap = cap;
    }
    index_put(p->index, p->index_cap, p->m->layers[i].name, i);
    return EC_OK;
}

/* A layer line: NAME TYPE key=value... */
static int layer_line(parser *p, char **tok, size_t n)
{
    ec_model *m = p->m;
    if (!valid_name(tok[0]))
        return FAIL(p, "bad layer name '%s'; expected letters, digits, '_', '-', '.'", tok[0]);
    int dup = index_find(p, tok[0]);
    if (dup >= 0)
        return FAIL(p, "duplicate layer name '%s' (line %ld); expected unique names", tok[0],
                    m->params[dup].line);
    if (n < 2)
        return FAIL(p, "layer '%s' without a type; expected 'NAME TYPE key=value...'", tok[0]);
    int t = ec_layer_type_find(tok[1]);
    if (t < 0 && m->n_layers == 0) { /* a misspelt header directive, not a layer */
        ec_suggest dg = EC_SUGGEST_INIT(tok[0]);
        for (size_t j = 0; directives[j]; j++)
            ec_suggest_add(&dg, directives[j]);
        char hint[128];
        if (dg.best)
            return FAIL(p, "unknown directive '%s' (or a layer '%s' of unknown type '%s'); "
                        "expected a header directive%s", tok[0], tok[0], tok[1],
                        ec_suggest_hint(&dg, hint, sizeof hint));
    }
    if (t < 0) {
        char list[512] = "", hint[128];
        ec_suggest sg = EC_SUGGEST_INIT(tok[1]);
        for (int j = 0; j < EC_LAYER_N_TYPES; j++) {
            strcat(list, j ? ", " : "");
            strcat(list, ec_layer_type_name((ec_layer_type)j));
            ec_suggest_add(&sg, ec_layer_type_name((ec_layer_type)j));
        }
        return FAIL(p, "unknown layer type '%s'; expected one of %s%s", tok[1], list,
                    ec_suggest_hint(&sg, hint, sizeof hint));
    }
    /* layers and params have one length: each grows from p->cap alike */
    size_t cap_layers = p->cap, cap_params = p->cap;
    if (ec_grow(&m->layers, &cap_layers, m->n_layers + 1, sizeof *m->layers) ||
        ec_grow(&m->params, &cap_params, m->n_layers + 1, sizeof *m->params))
        return EC_ENOMEM;
    p->cap = cap_layers;
    ec_layer *l = &m->layers[m->n_layers];
    ec_lparams *lp = &m->params[m->n_layers];
    memset(l, 0, sizeof *l);
    memset(lp, 0, sizeof *lp);
    m->n_layers++;
    if (!(l->name = ec_strdup(tok[0])) || index_add(p, m->n_layers - 1))
        return EC_ENOMEM;
    l->type = (ec_layer_type)t;
    lp->line = p->line;
    lp->stride = t == EC_LAYER_UPSAMPLE ? 2 : 1;
    lp->groups = 1;
    lp->cut = 1;
    lp->bias = -1;
    if (t == EC_LAYER_LRN)
        lp->kw = lp->kh = 5;
    int seen[K_N] = { 0 };
    for (size_t i = 2; i < n; i++) {
        int rc = layer_key(p, (ec_layer_type)t, lp, tok[i], seen);
        if (rc)
            return rc;
    }
    if (lp->bias < 0)
        lp->bias = !lp->bn;
    return layer_check(p, (ec_layer_type)t, lp, seen);
}

/* Turn every layer's input names into indices. */
static int resolve_inputs(parser *p)
{
    ec_model *m = p->m;
    size_t total = 0;
    for (size_t i = 0; i < m->n_layers; i++)
        total += m->params[i].in_names ? m->params[i].n_in_names : 1;
    m->input_store = calloc(total ? total : 1, sizeof *m->input_store);
    /* stamp[j + 1] == i + 1: layer i already reads j (the input: j = -1) */
    size_t *stamp = calloc(m->n_layers + 1, sizeof *stamp);
    if (!m->input_store || !stamp) {
        free(stamp);
        return EC_ENOMEM;
    }
    int rc = EC_OK;
    int *next = m->input_store;
    for (size_t i = 0; i < m->n_layers; i++) {
        ec_layer *l = &m->layers[i];
        ec_lparams *lp = &m->params[i];
        p->line = lp->line;
        l->inputs = next;
        if (!lp->in_names) {
            *next++ = (int)i - 1; /* the previous layer; -1 = EC_MODEL_INPUT */
            l->n_inputs = 1;
            continue;
        }
        for (size_t k = 0; k < lp->n_in_names && !rc; k++) {
            const char *nm = lp->in_names[k];
            int j = EC_MODEL_INPUT;
            if (strcmp(nm, "input")) {
                j = index_find(p, nm);
                if (j >= 0 && (size_t)j >= i) {
                    rc = FAIL(p, "input '%s' is defined %s (line %ld); expected an earlier "
                              "layer", nm, (size_t)j == i ? "here" : "later",
                              m->params[j].line);
                    break;
                }
                if (j < 0) {
                    rc = FAIL(p, "unknown input '%s'; expected an earlier layer's name or "
                              "'input'", nm);
                    break;
                }
            }
            if (stamp[j + 1] == i + 1) {
                rc = FAIL(p, "input '%s' given twice; expected distinct inputs", nm);
                break;
            }
            stamp[j + 1] = i + 1;
            *next++ = j;
            l->n_inputs++;
        }
        if (rc)
            break;
    }
    free(stamp);
    return rc;
}

/* One line (NUL-terminated, comment and newline removed). */
static int one_line(parser *p, char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    if (!n)
        return EC_OK;
    char *rest = s + strcspn(s, " \t");
    if (*rest)
        *rest++ = '\0';
    while (*rest == ' ' || *rest == '\t')
        rest++;
    if (is_directive(s)) {
        if (p->m->n_layers)
            return FAIL(p, "directive '%s' after the first layer; expected header directives "
                        "before the layers ('%s' cannot name a layer)", s, s);
        return directive(p, s, rest);
    }
    char *tok[256];
    tok[0] = s;
    size_t n_tok = split(rest, tok + 1, 254);
    if (n_tok > 254)
        return FAIL(p, "too many fields; expected at most 255");
    return layer_line(p, tok, n_tok + 1);
}

static int parse_text(parser *p, ec_model *m, const char *file, const char *text,
                      size_t len);

int ec_modelfile_parse(ec_model *m, const char *file, const char *text, size_t len,
                       ec_diag *d)
{
    parser p = { .m = m, .file = file, .line = 0, .d = d };
    int rc = parse_text(&p, m, file, text, len);
    free(p.index);
    return rc;
}

static int parse_text(parser *p, ec_model *m, const char *file, const char *text,
                      size_t len)
{
    m->accuracy = NAN;
    if (!(m->file = ec_strdup(file)) || !(m->description = ec_strdup("")))
        return EC_ENOMEM;
    int rc = EC_OK;
    for (size_t pos = 0; pos < len && !rc;) {
        p->line++;
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        char *s = malloc(n + 1);
        if (!s)
            return EC_ENOMEM;
        memcpy(s, text + pos, n);
        s[n] = '\0';
        pos += n + 1;
        if (strlen(s) != n)
            rc = FAIL(p, "NUL byte in the line; expected text");
        else {
            s[strcspn(s, "#\r")] = '\0';
            for (char *c = s; *c && !rc; c++)
                if ((unsigned char)*c < 0x20 && *c != '\t')
                    rc = FAIL(p, "control character 0x%02x; expected text", (unsigned char)*c);
            if (!rc)
                rc = one_line(p, s);
        }
        free(s);
    }
    if (rc)
        return rc;
    /* header errors point at the first layer, before which the header ends */
    p->line = m->n_layers ? m->params[0].line : p->line ? p->line : 1;
    if (!m->name)
        return FAIL(p, "no 'name' directive; expected 'name NAME' in the header");
    if (!p->seen_input)
        return FAIL(p, "no 'input' directive; expected 'input W H C' in the header");
    if (!m->n_layers)
        return FAIL(p, "no layers; expected lines 'NAME TYPE key=value...'");
    if (!m->source && !(m->source = ec_strdup("")))
        return EC_ENOMEM;
    return resolve_inputs(p);
}
