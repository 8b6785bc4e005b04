/* test_config: Check suite for sim/config (INI parsing, inheritance, sweeps,
 * --set, paths, errors and run getters).  Fixtures live in
 * $EC_SRCDIR/tests/fixtures/config (EC_SRCDIR defaults to "."). */
#include "sim/setup/config.h"
#include "sim/setup/identity.h"
#include "sim/setup/keys.h"

#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- helpers ----------------------------------------------------------- */

/* Path of fixture name into buf. */
static const char *fx(char *buf, size_t size, const char *name)
{
    const char *root = getenv("EC_SRCDIR");
    snprintf(buf, size, "%s/tests/fixtures/config/%s", root && *root ? root : ".",
             name);
    return buf;
}

/* The test key table: PATH keys end in ".trace" or ".file". */
static int check_key(const char *key, void *ctx)
{
    static const char *const plain[] = {
        "frames", "model", "device", "edge", "learner", "mulinucb.mu",
        "uplink.scale", "note", NULL,
    };
    int *calls = ctx;
    if (calls)
        (*calls)++;
    if (strcmp(key, "uplink.trace") == 0 || strcmp(key, "downlink.trace") == 0 ||
        strcmp(key, "model.file") == 0)
        return EC_CONFIG_KEY_PATH;
    for (size_t i = 0; plain[i]; i++)
        if (strcmp(key, plain[i]) == 0)
            return EC_CONFIG_KEY_PLAIN;
    return EC_CONFIG_KEY_UNKNOWN;
}

static ec_config *load_fx(const char *name)
{
    char path[1024];
    ec_diag d;
    ec_config *c = NULL;
    int rc = ec_config_load(fx(path, sizeof path, name), &c, &d);
    ck_assert_msg(rc == EC_OK, "loading %s: %s", name, d.msg);
    return c;
}

static ec_config *load_str(const char *text)
{
    ec_diag d;
    ec_config *c = NULL;
    int rc = ec_config_load_string(text, "t.ini", &c, &d);
    ck_assert_msg(rc == EC_OK, "loading text: %s", d.msg);
    return c;
}

static ec_runlist *expand(const ec_config *c, const char *section)
{
    ec_diag d;
    ec_runlist *l = NULL;
    int rc = ec_config_expand(c, section, check_key, NULL, &l, &d);
    ck_assert_msg(rc == EC_OK, "expanding %s: %s",
                  section ? section : "General", d.msg);
    return l;
}

/* Apply --set assignment to c; it must be accepted. */
static void set_ok(ec_config *c, const char *assignment)
{
    ec_diag d;
    ck_assert_msg(ec_config_set(c, assignment, &d) == EC_OK, "%s: %s", assignment, d.msg);
}

static const char *val(const ec_runcfg *r, const char *key)
{
    const ec_cfgval *v = ec_runcfg_find(r, key);
    return v ? v->value : NULL;
}

/* Load fixture name and expect failure code with message msg ("%s" in msg
 * stands for the fixture path). */
static void expect_load_error(const char *name, int code, const char *msg)
{
    char path[1024], want[2048];
    ec_diag d;
    ec_diag_clear(&d);
    ec_config *c = (ec_config *)&d; /* must be reset to NULL */
    fx(path, sizeof path, name);
    int rc = ec_config_load(path, &c, &d);
    snprintf(want, sizeof want, msg, path);
    ck_assert_int_eq(rc, code);
    ck_assert_ptr_null(c);
    ck_assert_str_eq(d.msg, want);
}

/* Load text and expand section; expect failure code with message msg. */
static void expect_expand_error(const char *text, const char *section,
                                const char *set, int code, const char *msg)
{
    ec_config *c = load_str(text);
    ec_diag d;
    if (set)
        set_ok(c, set);
    ec_runlist *l = NULL;
    int rc = ec_config_expand(c, section, check_key, NULL, &l, &d);
    ck_assert_int_eq(rc, code);
    ck_assert_ptr_null(l);
    ck_assert_str_eq(d.msg, msg);
    ec_config_free(c);
}

/* ---- parsing and inheritance ------------------------------------------- */

START_TEST(test_sections)
{
    ec_config *c = load_fx("basic.ini");
    const char **names;
    size_t n = ec_config_sections(c, &names);
    ck_assert_uint_eq(n, 6);
    const char *want[] = { "General", "base", "mid", "other", "child", "empty" };
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(names[i], want[i]);
    ck_assert_uint_eq(ec_config_sections(c, NULL), 6);
    ck_assert_str_eq(ec_config_path(c) + strlen(ec_config_path(c)) - 9,
                     "basic.ini");
    ec_config_free(c);
    ec_config_free(NULL);
    ec_runlist_free(NULL);
}
END_TEST

START_TEST(test_extends_chain)
{
    ec_config *c = load_fx("basic.ini");
    ec_runlist *l = expand(c, "child");
    ck_assert_uint_eq(ec_runlist_count(l), 1);
    const ec_runcfg *r = ec_runlist_get(l, 0);
    ck_assert_ptr_null(ec_runlist_get(l, 1));
    ck_assert_str_eq(r->config_name, "child");
    ck_assert_int_eq(r->run_number, 0);
    ck_assert_int_eq(r->replicate, 0);
    ck_assert_uint_eq(r->seed, 7);
    ck_assert_uint_eq(r->n_itervars, 0);
    /* configOrder: General's keys, then other, base, mid, child */
    const char *keys[] = { "seed", "frames", "model", "learner", "mulinucb.mu",
                           "edge", "device", "note" };
    const char *vals[] = { "7", "200", "vgg16", "linucb", "0.25", "edge-gpu",
                           "pi4", "a;b#c" };
    const int lines[] = { 3, 11, 16, 20, 7, 17, 25, 26 };
    ck_assert_uint_eq(r->n, 8);
    for (size_t i = 0; i < r->n; i++) {
        ck_assert_str_eq(r->vals[i].key, keys[i]);
        ck_assert_str_eq(r->vals[i].value, vals[i]);
        ck_assert_str_eq(r->vals[i].text, vals[i]);
        ck_assert_int_eq(r->vals[i].line, lines[i]);
        ck_assert_int_eq(r->vals[i].kind, EC_CONFIG_KEY_PLAIN);
        ck_assert_str_eq(r->vals[i].file, ec_config_path(c));
    }
    ec_runlist_free(l);

    l = expand(c, "Config base"); /* the header form works too */
    r = ec_runlist_get(l, 0);
    ck_assert_str_eq(val(r, "frames"), "200");
    ck_assert_str_eq(val(r, "learner"), "mulinucb");
    ck_assert_ptr_null(ec_runcfg_find(r, "edge"));
    ck_assert_ptr_null(ec_runcfg_find(r, "extends"));
    ec_runlist_free(l);

    l = expand(c, NULL); /* General */
    r = ec_runlist_get(l, 0);
    ck_assert_str_eq(r->config_name, "General");
    ck_assert_str_eq(val(r, "frames"), "100");
    ck_assert_uint_eq(r->n, 5);
    ec_runlist_free(l);

    l = expand(c, "empty"); /* a section with no keys still exists */
    r = ec_runlist_get(l, 0);
    ck_assert_str_eq(val(r, "model"), "alexnet");
    ec_runlist_free(l);
    ec_config_free(c);
}
END_TEST

START_TEST(test_comments)
{
    ec_config *c = load_str("# hash comment\n"
                            "  ; indented comment\n"
                            "[ General ]   ; header comment\n"
                            "frames = 10   ; semicolon comment\n"
                            "model = a#b\t# tab then hash\n"
                            "learner = x ;\n"
                            "note =\n"
                            "edge = e\r\n");
    ec_runlist *l = expand(c, "General");
    const ec_runcfg *r = ec_runlist_get(l, 0);
    ck_assert_str_eq(val(r, "frames"), "10");
    ck_assert_str_eq(val(r, "model"), "a#b");
    ck_assert_str_eq(val(r, "learner"), "x");
    ck_assert_str_eq(val(r, "note"), "");
    ck_assert_str_eq(val(r, "edge"), "e");
    ck_assert_int_eq(ec_runcfg_find(r, "edge")->line, 8);
    ck_assert_str_eq(ec_runcfg_find(r, "edge")->file, "t.ini");
    ec_runlist_free(l);
    ec_config_free(c);
}
END_TEST

START_TEST(test_diamond_and_general_implicit)
{
    /* d extends b, c; both extend a: lookup d, b, a, c, General. */
    ec_config *c = load_str("[Config a]\nmodel = A\nlearner = A\n"
                            "[Config b]\nextends = a\n"
                            "[Config c]\nextends = a\nmodel = C\nedge = C\n"
                            "[Config d]\nextends = b, c\n");
    ec_runlist *l = expand(c, "d");
    const ec_runcfg *r = ec_runlist_get(l, 0);
    ck_assert_str_eq(val(r, "model"), "A");
    ck_assert_str_eq(val(r, "edge"), "C");
    /* configOrder: c's keys first (reverse lookup order General, c, a, b, d) */
    ck_assert_str_eq(r->vals[0].key, "model");
    ck_assert_str_eq(r->vals[1].key, "edge");
    ck_assert_str_eq(r->vals[2].key, "learner");
    ec_runlist_free(l);
    const char **names;
    ck_assert_uint_eq(ec_config_sections(c, &names), 5);
    ck_assert_str_eq(names[0], "General");
    ec_config_free(c);
}
END_TEST

/* ---- sweeps ------------------------------------------------------------ */

/* Each run of l as "NUMBER NAME rep=R seed=S ITERVAR=VALUE...", one line. */
static void render(const ec_runlist *l, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ec_runlist_count(l) && len < n; i++) {
        const ec_runcfg *r = ec_runlist_get(l, i);
        len += (size_t)snprintf(buf + len, n - len, "%d %s-%d rep=%d seed=%llu", r->run_number,
                                r->config_name, r->run_number, r->replicate,
                                (unsigned long long)r->seed);
        for (size_t k = 0; k < r->n_itervars && len < n; k++)
            len += (size_t)snprintf(buf + len, n - len, " %s=%s", r->itervars[k].key,
                                    r->itervars[k].value);
        if (len < n)
            len += (size_t)snprintf(buf + len, n - len, "\n");
    }
}

/* l, rendered, is want. */
static void expect_runs(const ec_runlist *l, const char *want)
{
    char got[8192];
    render(l, got, sizeof got);
    ck_assert_str_eq(got, want);
}

START_TEST(test_product_and_repeat)
{
    ec_config *c = load_fx("sweep.ini");
    ec_runlist *l = expand(c, "General");
    expect_runs(l,
        "0 General-0 rep=0 seed=10 learner=mulinucb uplink.scale=0.5\n"
        "1 General-1 rep=1 seed=11 learner=mulinucb uplink.scale=0.5\n"
        "2 General-2 rep=0 seed=10 learner=mulinucb uplink.scale=1\n"
        "3 General-3 rep=1 seed=11 learner=mulinucb uplink.scale=1\n"
        "4 General-4 rep=0 seed=10 learner=linucb uplink.scale=0.5\n"
        "5 General-5 rep=1 seed=11 learner=linucb uplink.scale=0.5\n"
        "6 General-6 rep=0 seed=10 learner=linucb uplink.scale=1\n"
        "7 General-7 rep=1 seed=11 learner=linucb uplink.scale=1\n"
        "8 General-8 rep=0 seed=10 learner=oracle uplink.scale=0.5\n"
        "9 General-9 rep=1 seed=11 learner=oracle uplink.scale=0.5\n"
        "10 General-10 rep=0 seed=10 learner=oracle uplink.scale=1\n"
        "11 General-11 rep=1 seed=11 learner=oracle uplink.scale=1\n");
    for (size_t i = 0; i < ec_runlist_count(l); i += 11) { /* the first and the last */
        const ec_runcfg *r = ec_runlist_get(l, i);
        ck_assert_str_eq(val(r, "frames"), "50");
        ck_assert_str_eq(val(r, "repeat"), "2");
        ck_assert_str_eq(val(r, "seed"), "10");
        ck_assert_int_eq(ec_runcfg_find(r, "learner")->line, 5);
    }
    ec_runlist_free(l);
    ec_config_free(c);
}
END_TEST

/* OMNeT++'s named axes (${NAME=a, b}: the itervar is NAME) and parallel
 * iteration (${a, b ! NAME}: no axis of its own, the value index of NAME),
 * through nested extends and with replicates, against the list by hand. */
START_TEST(test_named_and_parallel_axes)
{
    static const char text[] =
        "[General]\n"
        "seed = 5\n"
        "frames = 10\n"
        "learner = ${algo=oracle, linucb}\n"
        "[Config base]\n"
        "uplink.scale = ${bw=0.5, 1, 2}\n"
        "model = ${m1, m2, m3 ! bw}\n"
        "[Config child]\n"
        "extends = base\n"
        "repeat = 2\n"
        "note = ${x, y ! algo}\n"
        "device = ${0..2 ! uplink.scale}\n";
    ec_config *c = load_str(text);
    ec_runlist *l = expand(c, "child");
    expect_runs(l,
        "0 child-0 rep=0 seed=5 algo=oracle bw=0.5 model=m1 note=x device=0\n"
        "1 child-1 rep=1 seed=6 algo=oracle bw=0.5 model=m1 note=x device=0\n"
        "2 child-2 rep=0 seed=5 algo=oracle bw=1 model=m2 note=x device=1\n"
        "3 child-3 rep=1 seed=6 algo=oracle bw=1 model=m2 note=x device=1\n"
        "4 child-4 rep=0 seed=5 algo=oracle bw=2 model=m3 note=x device=2\n"
        "5 child-5 rep=1 seed=6 algo=oracle bw=2 model=m3 note=x device=2\n"
        "6 child-6 rep=0 seed=5 algo=linucb bw=0.5 model=m1 note=y device=0\n"
        "7 child-7 rep=1 seed=6 algo=linucb bw=0.5 model=m1 note=y device=0\n"
        "8 child-8 rep=0 seed=5 algo=linucb bw=1 model=m2 note=y device=1\n"
        "9 child-9 rep=1 seed=6 algo=linucb bw=1 model=m2 note=y device=1\n"
        "10 child-10 rep=0 seed=5 algo=linucb bw=2 model=m3 note=y device=2\n"
        "11 child-11 rep=1 seed=6 algo=linucb bw=2 model=m3 note=y device=2\n");
    const ec_runcfg *r = ec_runlist_get(l, 9);
    ck_assert_str_eq(val(r, "learner"), "linucb");
    ck_assert_str_eq(val(r, "uplink.scale"), "1");
    ck_assert_str_eq(val(r, "model"), "m2");
    ck_assert_str_eq(val(r, "note"), "y");
    ec_runlist_free(l);
    ec_config_free(c);
}
END_TEST

START_TEST(test_named_and_parallel_errors)
{
    static const char base[] = "[General]\nlearner = ${algo=a, b, c}\n";
    char text[512];
    snprintf(text, sizeof text, "%smodel = ${m1, m2 ! algo}\n", base);
    expect_expand_error(text, NULL, NULL, EC_ECONFIG, "t.ini:3: key 'model': axis 'model' has 2 "
                        "values but iterates in parallel with axis 'algo', which has 3");
    snprintf(text, sizeof text, "%smodel = ${m1, m2, m3 ! nope}\n", base);
    expect_expand_error(text, NULL, NULL, EC_ECONFIG, "t.ini:3: key 'model': '! nope': no axis "
                        "named 'nope' and no axis of key 'nope' in this section");
    snprintf(text, sizeof text, "%smodel = ${algo=m1, m2}\n", base);
    expect_expand_error(text, NULL, NULL, EC_ECONFIG, "t.ini:3: key 'model': axis name 'algo' is "
                        "taken by the axis of key 'learner'");
    snprintf(text, sizeof text, "%smodel = ${p=1, 2 ! q}\nnote = ${q=1, 2 ! p}\n", base);
    expect_expand_error(text, NULL, NULL, EC_ECONFIG, "t.ini:3: key 'model': parallel axes form "
                        "a cycle through 'p'");
    /* --set: named and parallel, and the error's origin */
    expect_expand_error(base, NULL, "model=${m1, m2 ! algo}", EC_ECONFIG, "--set model: axis "
                        "'model' has 2 values but iterates in parallel with axis 'algo', which "
                        "has 3");
    ec_config *c = load_str(base);
    ec_diag d;
    ck_assert_int_eq(ec_config_set(c, "model=${m1, m2 !}", &d), EC_EUSAGE);
    ck_assert_str_eq(d.msg, "--set model: bad parallel axis '! ' in '${m1, m2 !}'; expected "
                            "'! NAME', NAME an axis name or the key of an axis");
    ec_config_free(c);
}
END_TEST

START_TEST(test_ranges)
{
    ec_config *c = load_fx("sweep.ini");
    ec_runlist *l = expand(c, "range");
    expect_runs(l,
        "0 range-0 rep=0 seed=10 uplink.scale=0 frames=1\n"
        "1 range-1 rep=0 seed=10 uplink.scale=0 frames=2\n"
        "2 range-2 rep=0 seed=10 uplink.scale=0 frames=3\n"
        "3 range-3 rep=0 seed=10 uplink.scale=0.25 frames=1\n"
        "4 range-4 rep=0 seed=10 uplink.scale=0.25 frames=2\n"
        "5 range-5 rep=0 seed=10 uplink.scale=0.25 frames=3\n"
        "6 range-6 rep=0 seed=10 uplink.scale=0.5 frames=1\n"
        "7 range-7 rep=0 seed=10 uplink.scale=0.5 frames=2\n"
        "8 range-8 rep=0 seed=10 uplink.scale=0.5 frames=3\n"
        "9 range-9 rep=0 seed=10 uplink.scale=0.75 frames=1\n"
        "10 range-10 rep=0 seed=10 uplink.scale=0.75 frames=2\n"
        "11 range-11 rep=0 seed=10 uplink.scale=0.75 frames=3\n"
        "12 range-12 rep=0 seed=10 uplink.scale=1 frames=1\n"
        "13 range-13 rep=0 seed=10 uplink.scale=1 frames=2\n"
        "14 range-14 rep=0 seed=10 uplink.scale=1 frames=3\n");
    ck_assert_str_eq(val(ec_runlist_get(l, 7), "frames"), "2"); /* the itervars are the values */
    ec_runlist_free(l);

    l = expand(c, "fine"); /* the last value is snapped to the written end */
    const char *fine[] = { "0", "0.1", "0.2", "0.3" };
    ck_assert_uint_eq(ec_runlist_count(l), 4);
    for (size_t i = 0; i < 4; i++)
        ck_assert_str_eq(val(ec_runlist_get(l, i), "uplink.scale"), fine[i]);
    ec_runlist_free(l);
    ec_config_free(c);

    c = load_str("[General]\nuplink.scale = ${0..0.3 step 0.1}\n"
                 "frames = ${5..1 step -2}\nmodel = ${1.5}\nedge = ${2..2}\n");
    l = expand(c, NULL);
    expect_runs(l,
        "0 General-0 rep=0 seed=1 uplink.scale=0 frames=5 model=1.5 edge=2\n"
        "1 General-1 rep=0 seed=1 uplink.scale=0 frames=3 model=1.5 edge=2\n"
        "2 General-2 rep=0 seed=1 uplink.scale=0 frames=1 model=1.5 edge=2\n"
        "3 General-3 rep=0 seed=1 uplink.scale=0.1 frames=5 model=1.5 edge=2\n"
        "4 General-4 rep=0 seed=1 uplink.scale=0.1 frames=3 model=1.5 edge=2\n"
        "5 General-5 rep=0 seed=1 uplink.scale=0.1 frames=1 model=1.5 edge=2\n"
        "6 General-6 rep=0 seed=1 uplink.scale=0.2 frames=5 model=1.5 edge=2\n"
        "7 General-7 rep=0 seed=1 uplink.scale=0.2 frames=3 model=1.5 edge=2\n"
        "8 General-8 rep=0 seed=1 uplink.scale=0.2 frames=1 model=1.5 edge=2\n"
        "9 General-9 rep=0 seed=1 uplink.scale=0.3 frames=5 model=1.5 edge=2\n"
        "10 General-10 rep=0 seed=1 uplink.scale=0.3 frames=3 model=1.5 edge=2\n"
        "11 General-11 rep=0 seed=1 uplink.scale=0.3 frames=1 model=1.5 edge=2\n");
    ec_runlist_free(l);
    ec_config_free(c);

    /* start + i*step, printed exactly when it is not the end */
    c = load_str("[General]\nuplink.scale = ${0..0.35 step 0.1}\n");
    l = expand(c, NULL);
    ck_assert_uint_eq(ec_runlist_count(l), 4);
    ck_assert_str_eq(val(ec_runlist_get(l, 3), "uplink.scale"),
                     "0.30000000000000004");
    ec_runlist_free(l);
    ec_config_free(c);
}
END_TEST

START_TEST(test_embedded_axis_and_paths)
{
    char dir[1024], want[1200];
    ec_config *c = load_fx("sweep.ini");
    ec_runlist *l = expand(c, "trace");
    ck_assert_uint_eq(ec_runlist_count(l), 2);
    fx(dir, sizeof dir, "");
    const char *names[] = { "bus", "car" };
    for (size_t i = 0; i < 2; i++) {
        const ec_runcfg *r = ec_runlist_get(l, i);
        const ec_cfgval *v = ec_runcfg_find(r, "uplink.trace");
        snprintf(want, sizeof want, "traces/%s.trace", names[i]);
        ck_assert_str_eq(v->text, want);
        snprintf(want, sizeof want, "%straces/%s.trace", dir, names[i]);
        ck_assert_str_eq(v->value, want);
        ck_assert_int_eq(v->kind, EC_CONFIG_KEY_PATH);
        ck_assert_int_eq(v->line, 17);
        ck_assert_uint_eq(r->n_itervars, 1);
        ck_assert_str_eq(r->itervars[0].key, "uplink.trace");
        ck_assert_str_eq(r->itervars[0].value, names[i]);
        ck_assert_str_eq(val(r, "learner"), "oracle");
        ck_assert_str_eq(val(r, "frames"), "5");
        ck_assert_str_eq(r->vals[r->n - 1].key, "uplink.trace");
    }
    ec_runlist_free(l);
    ec_config_free(c);

    c = load_fx("sub/paths.ini");
    l = expand(c, NULL);
    ck_assert_uint_eq(ec_runlist_count(l), 2);
    const ec_runcfg *r = ec_runlist_get(l, 1);
    snprintf(want, sizeof want, "%ssub/../traces/lte.trace", dir);
    ck_assert_str_eq(val(r, "uplink.trace"), want);
    ck_assert_str_eq(ec_runcfg_find(r, "uplink.trace")->text,
                     "../traces/lte.trace");
    ck_assert_str_eq(val(r, "downlink.trace"), "/abs/down.trace");
    snprintf(want, sizeof want, "%ssub/b/m.json", dir);
    ck_assert_str_eq(val(r, "model.file"), want);
    ck_assert_str_eq(r->itervars[0].value, "b");
    ck_assert_str_eq(val(r, "learner"), "oracle");
    ec_runlist_free(l);

    /* --set paths stay relative to the current directory */
    set_ok(c, "uplink.trace = mine.trace");
    l = expand(c, NULL);
    const ec_cfgval *v = ec_runcfg_find(ec_runlist_get(l, 0), "uplink.trace");
    ck_assert_str_eq(v->value, "mine.trace");
    ck_assert_str_eq(v->file, EC_CONFIG_CMDLINE);
    ck_assert_int_eq(v->line, 0);
    ec_runlist_free(l);
    ec_config_free(c);

    /* load_string: paths are left relative to the current directory */
    c = load_str("[General]\nuplink.trace = a/b.trace\n");
    l = expand(c, NULL);
    ck_assert_str_eq(val(ec_runlist_get(l, 0), "uplink.trace"), "a/b.trace");
    ec_runlist_free(l);
    ec_config_free(c);
}
END_TEST

/* ---- --set ------------------------------------------------------------- */

START_TEST(test_set)
{
    ec_config *c = load_fx("basic.ini");
    set_ok(c, "  frames =  42 ");
    set_ok(c, "uplink.scale=${1, 2}");
    set_ok(c, "model=x");
    set_ok(c, "model=resnet"); /* last wins */
    const char **names;
    size_t n = ec_config_sections(c, &names);
    for (size_t s = 0; s < n; s++) {
        ec_runlist *l = expand(c, names[s]);
        ck_assert_uint_eq(ec_runlist_count(l), 2);
        for (size_t i = 0; i < 2; i++) {
            const ec_runcfg *r = ec_runlist_get(l, i);
            ck_assert_str_eq(val(r, "frames"), "42");
            ck_assert_str_eq(val(r, "model"), "resnet");
            ck_assert_str_eq(val(r, "uplink.scale"), i ? "2" : "1");
            ck_assert_uint_eq(r->n_itervars, 1);
            ck_assert_str_eq(r->itervars[0].key, "uplink.scale");
            /* frames keeps its file position; uplink.scale comes last */
            ck_assert_str_eq(r->vals[1].key, "frames");
            ck_assert_str_eq(r->vals[1].file, EC_CONFIG_CMDLINE);
            ck_assert_int_eq(r->vals[1].line, 0);
            ck_assert_str_eq(r->vals[r->n - 1].key, "uplink.scale");
        }
        ec_runlist_free(l);
    }
    ec_config_free(c);
}
END_TEST

START_TEST(test_set_errors)
{
    ec_config *c = load_str("[General]\nframes = 1\n");
    ec_diag d;
    ck_assert_int_eq(ec_config_set(c, "frames", &d), EC_EUSAGE);
    ck_assert_str_eq(d.msg, "--set 'frames': expected KEY=VALUE");
    ck_assert_int_eq(ec_config_set(c, " = 3", &d), EC_EUSAGE);
    ck_assert_str_eq(d.msg, "--set ' = 3': empty key; expected KEY=VALUE");
    ck_assert_int_eq(ec_config_set(c, "extends=a", &d), EC_EUSAGE);
    ck_assert_int_eq(ec_config_set(c, "model=${a, b", &d), EC_EUSAGE);
    ck_assert_str_eq(d.msg, "--set model: unbalanced '${' (missing '}')");
    set_ok(c, "frames=x");
    ec_runlist *l = expand(c, NULL);
    long v;
    ck_assert_int_eq(ec_runcfg_int(ec_runlist_get(l, 0), "frames", 1, 1,
                                   100000000, &v, &d), EC_ECONFIG);
    ck_assert_str_eq(d.msg, "--set frames: expected an integer in "
                            "[1, 100000000], got 'x'");
    ec_runlist_free(l);
    ec_config_free(c);

    expect_expand_error("[General]\nlearner = a\n", NULL, "lerner=b",
                        EC_ECONFIG, "--set lerner: unknown key 'lerner'; "
                        "did you mean 'learner'?");
    expect_expand_error("[General]\nmodel = a\n", NULL, "seed=-1", EC_ECONFIG,
                        "--set seed: expected an unsigned 64-bit integer, "
                        "got '-1'");
}
END_TEST

/* ---- errors ------------------------------------------------------------ */

START_TEST(test_file_errors)
{
    expect_load_error("nope.ini", EC_ENOTFOUND,
                      "%s: cannot open: No such file or directory");
    expect_load_error("errors/duplicate.ini", EC_ECONFIG, "%s:5: duplicate key "
                      "'frames' in section 'General' (first set at line 2)");
    expect_load_error("errors/unknown_parent.ini", EC_ECONFIG, "%s:3: section "
                      "'Config b' extends unknown config 'zz'");
    expect_load_error("errors/cycle.ini", EC_ECONFIG, "%s:8: section 'Config c' "
                      "extends itself: a -> b -> c -> a");
    expect_load_error("errors/unbalanced.ini", EC_ECONFIG, "%s:3: key "
                      "'learner': unbalanced '${' (missing '}')");
    expect_load_error("errors/before_section.ini", EC_ECONFIG, "%s:2: key "
                      "'frames' before any section header; expected "
                      "'[General]' or '[Config NAME]' first");
    expect_load_error("errors/syntax.ini", EC_ECONFIG,
                      "%s:3: expected 'key = value' or '[section]'");
    expect_load_error("errors/bracket.ini", EC_ECONFIG,
                      "%s:3: missing ']' in section header");
    /* found while reviewing what the fuzz harnesses cannot reach: an endless
     * file was read until memory ran out; now at most 64 MiB are read */
    ec_config *c = NULL;
    ec_diag d;
    ck_assert_int_eq(ec_config_load("/dev/zero", &c, &d), EC_ECONFIG);
    ck_assert_ptr_null(c);
    ck_assert_str_eq(d.msg, "/dev/zero: file larger than 64 MiB; expected a config file");
}
END_TEST

START_TEST(test_unknown_key)
{
    ec_config *c = load_fx("errors/unknown_key.ini");
    char path[1024], want[1200];
    ec_diag d;
    ec_runlist *l = (ec_runlist *)&d;
    ck_assert_int_eq(ec_config_expand(c, "a", check_key, NULL, &l, &d),
                     EC_ECONFIG);
    ck_assert_ptr_null(l);
    snprintf(want, sizeof want, "%s:6: unknown key 'lerner'; did you mean "
             "'learner'?", fx(path, sizeof path, "errors/unknown_key.ini"));
    ck_assert_str_eq(d.msg, want);
    /* General alone does not contain the bad key */
    int calls = 0;
    ck_assert_int_eq(ec_config_expand(c, NULL, check_key, &calls, &l, &d), EC_OK);
    ck_assert_int_gt(calls, 0);
    ec_runlist_free(l);
    /* without a checker every key is accepted */
    ck_assert_int_eq(ec_config_expand(c, "a", NULL, NULL, &l, &d), EC_OK);
    ck_assert_str_eq(val(ec_runlist_get(l, 0), "lerner"), "linucb");
    ec_runlist_free(l);
    /* unknown section */
    ck_assert_int_eq(ec_config_expand(c, "zz", check_key, NULL, &l, &d),
                     EC_ENOTFOUND);
    snprintf(want, sizeof want, "%s: unknown config 'zz'; available: "
             "General, a", path);
    ck_assert_str_eq(d.msg, want);
    ec_config_free(c);

    /* the lowest line is reported first, no hint without a near key */
    expect_expand_error("[General]\nzzz = 1\n[Config a]\nqqq = 2\n", "a", NULL,
                        EC_ECONFIG, "t.ini:2: unknown key 'zzz'");
}
END_TEST

START_TEST(test_text_errors)
{
    static const struct {
        const char *text, *msg;
    } cases[] = {
        { "[General]\nx = ${a,,b}\n",
          "t.ini:2: key 'x': empty item in axis '${a,,b}'" },
        { "[General]\nx = ${}\n", "t.ini:2: key 'x': empty item in axis '${}'" },
        { "[General]\nx = ${a}${b}\n",
          "t.ini:2: key 'x': more than one '${...}' axis in one value" },
        { "[General]\nx = ${a ${b}}\n",
          "t.ini:2: key 'x': nested '${' inside axis '${a ${b}}'" },
        { "[General]\nx = ${a {b}\n", "t.ini:2: key 'x': unbalanced '${' (missing '}')" },
        { "[General]\nx = ${1..3 stp 1}\n",
          "t.ini:2: key 'x': bad range '${1..3 stp 1}'; expected "
          "'${START..END}' or '${START..END step STEP}'" },
        { "[General]\nx = ${3..1}\n", "t.ini:2: key 'x': range '${3..1}' is "
          "empty (step has the wrong sign)" },
        { "[General]\nx = ${0..1 step 0}\n",
          "t.ini:2: key 'x': range '${0..1 step 0}' has step 0" },
        { "[General]\nx = ${0..1e9}\n",
          "t.ini:2: key 'x': range '${0..1e9}' has more than 1000000 values" },
        { "[General]\n[Foo]\n", "t.ini:2: unknown section '[Foo]'; expected "
          "'[General]' or '[Config NAME]'" },
        { "[Config a b]\n", "t.ini:1: bad config name 'a b'; expected a name "
          "without spaces, ',', '[', ']', '$', '{', '}', other than 'General'" },
        { "[General]\n[General]\n",
          "t.ini:2: duplicate section '[General]' (first at line 1)" },
        { "[Config a]\n[Config a]\n",
          "t.ini:2: duplicate section '[Config a]' (first at line 1)" },
        { "[General] x\n",
          "t.ini:1: unexpected text after ']' in section header" },
        { "[General]\nextends = a\n",
          "t.ini:2: section 'General' cannot extend other configs" },
        { "[Config a]\nextends = a\n",
          "t.ini:2: section 'Config a' extends itself: a -> a" },
        { "[Config a]\nextends = ${b, c}\n",
          "t.ini:2: key 'extends': cannot be a sweep axis" },
        { "[Config a]\nextends = General,\n", "t.ini:2: key 'extends': "
          "expected a comma-separated list of config names, got 'General,'" },
        { "[General]\n= 3\n", "t.ini:2: missing key before '='" },
        { "[General]\nkey: value\n",
          "t.ini:2: expected 'key = value' or '[section]'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ec_diag d;
        ec_config *c = (ec_config *)&d;
        ck_assert_int_eq(ec_config_load_string(cases[i].text, "t.ini", &c, &d),
                         EC_ECONFIG);
        ck_assert_ptr_null(c);
        ck_assert_str_eq(d.msg, cases[i].msg);
        ck_assert_int_eq(d.code, EC_ECONFIG);
    }

}
END_TEST

START_TEST(test_long_lines)
{
    /* lines longer than inih's 200-byte buffer are read whole */
    char text[1200] = "[Config ", *p;
    p = text + strlen(text);
    memset(p, 'n', EC_CONFIG_MAX_NAME); /* the longest name allowed */
    strcpy(p + EC_CONFIG_MAX_NAME, "]\nnote = ");
    p += strlen(p);
    memset(p, 'x', 400);
    strcpy(p + 400, "y   ; comment\nmodel = ${a, b}\n");
    ec_config *c = load_str(text);
    const char **names;
    ck_assert_uint_eq(ec_config_sections(c, &names), 2);
    ck_assert_uint_eq(strlen(names[1]), EC_CONFIG_MAX_NAME);
    ec_runlist *l = expand(c, names[1]);
    ck_assert_uint_eq(ec_runlist_count(l), 2);
    const ec_cfgval *v = ec_runcfg_find(ec_runlist_get(l, 1), "note");
    ck_assert_uint_eq(strlen(v->value), 401);
    ck_assert_int_eq(v->line, 2);
    ck_assert_int_eq(ec_runcfg_find(ec_runlist_get(l, 1), "model")->line, 3);
    ec_runlist_free(l);
    ec_config_free(c);

    /* one byte more is an error: run names NAME-N are never truncated, so
     * two long names cannot collide in the results */
    ec_diag d;
    strcpy(text, "[Config ");
    memset(text + 8, 'n', EC_CONFIG_MAX_NAME + 1);
    strcpy(text + 8 + EC_CONFIG_MAX_NAME + 1, "]\n");
    ck_assert_int_eq(ec_config_load_string(text, "t.ini", &c, &d), EC_ECONFIG);
    ck_assert_str_eq(d.msg, "t.ini:1: config name 'nnnnnnnnnnnnnnnnnnnn...' is 201 bytes "
                            "long; expected at most 200 (run names NAME-RUNNUMBER are kept "
                            "whole)");

    memset(text, 'k', 300);
    strcpy(text + 300, " 1\n");
    ck_assert_int_eq(ec_config_load_string(text, NULL, &c, &d), EC_ECONFIG);
    ck_assert_str_eq(d.msg, "<string>:1: expected 'key = value' or "
                            "'[section]'");
}
END_TEST

START_TEST(test_seed_repeat_errors)
{
    expect_expand_error("[General]\nrepeat = 0\n", NULL, NULL, EC_ECONFIG,
                        "t.ini:2: key 'repeat': expected an integer in "
                        "[1, 1000000], got '0'");
    expect_expand_error("[General]\nseed = 1.5\n", NULL, NULL, EC_ECONFIG,
                        "t.ini:2: key 'seed': expected an unsigned 64-bit "
                        "integer, got '1.5'");
    expect_expand_error("[General]\nseed = ${1, x}\n", NULL, NULL, EC_ECONFIG,
                        "t.ini:2: key 'seed': expected an unsigned 64-bit "
                        "integer, got 'x'");
    expect_expand_error("[General]\nframes = ${1..1000}\n", NULL,
                        "model=${1..1001}",
                        EC_ERANGE, "config 'General' expands to more than "
                        "1000000 runs");

    /* seed and repeat may be axes; the seed wraps modulo 2^64 */
    ec_config *c = load_str("[General]\nseed = ${18446744073709551615, 5}\n"
                            "repeat = ${2, 1}\n");
    ec_runlist *l = expand(c, NULL);
    ck_assert_uint_eq(ec_runlist_count(l), 6);
    ck_assert_uint_eq(ec_runlist_get(l, 0)->seed, UINT64_MAX);
    ck_assert_uint_eq(ec_runlist_get(l, 1)->seed, 0);
    ck_assert_uint_eq(ec_runlist_get(l, 2)->seed, UINT64_MAX);
    ck_assert_uint_eq(ec_runlist_get(l, 3)->seed, 5);
    ck_assert_uint_eq(ec_runlist_get(l, 4)->seed, 6);
    ck_assert_int_eq(ec_runlist_get(l, 4)->replicate, 1);
    ck_assert_uint_eq(ec_runlist_get(l, 5)->seed, 5);
    ck_assert_int_eq(ec_runlist_get(l, 5)->run_number, 5);
    ec_runlist_free(l);
    ec_config_free(c);
}
END_TEST

/* ---- getters ----------------------------------------------------------- */

START_TEST(test_getters)
{
    char path[1024], want[1200];
    ec_config *c = load_fx("errors/bad_values.ini");
    fx(path, sizeof path, "errors/bad_values.ini");
    ec_runlist *l = expand(c, NULL);
    const ec_runcfg *r = ec_runlist_get(l, 0);
    ec_diag d;
    long n;
    double x;
    const char *s;
    int idx;

    ck_assert_int_eq(ec_runcfg_int(r, "frames", 1, 1, 100000000, &n, &d),
                     EC_ECONFIG);
    snprintf(want, sizeof want, "%s:3: key 'frames': expected an integer in "
             "[1, 100000000], got 'ten'", path);
    ck_assert_str_eq(d.msg, want);
    ck_assert_int_eq(ec_runcfg_double(r, "mulinucb.mu", 0.1, 0, 1, &x, &d),
                     EC_ECONFIG);
    snprintf(want, sizeof want, "%s:4: key 'mulinucb.mu': expected a number "
             "in [0, 1], got '0.5x'", path);
    ck_assert_str_eq(d.msg, want);
    ck_assert_int_eq(ec_runcfg_double(r, "uplink.scale", 1, 0, 2, &x, &d),
                     EC_ECONFIG);
    snprintf(want, sizeof want, "%s:5: key 'uplink.scale': expected a number "
             "in [0, 2], got '3'", path);
    ck_assert_str_eq(d.msg, want);
    ck_assert_int_eq(ec_runcfg_double(r, "uplink.scale", 1, 0, 5, &x, &d), EC_OK);
    ck_assert(x == 3.0);
    ck_assert_int_eq(ec_runcfg_int(r, "uplink.scale", 1, 0, 5, &n, &d), EC_OK);
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(ec_runcfg_int(r, "missing", 77, 0, 5, &n, &d), EC_OK);
    ck_assert_int_eq(n, 77);
    ck_assert_int_eq(ec_runcfg_double(r, "missing", 0.5, 0, 1, &x, &d), EC_OK);
    ck_assert(x == 0.5);
    ck_assert_int_eq(ec_runcfg_str(r, "learner", "d", &s), EC_OK);
    ck_assert_str_eq(s, "oracle");
    ck_assert_int_eq(ec_runcfg_str(r, "missing", "d", &s), EC_OK);
    ck_assert_str_eq(s, "d");

    const char *const learners[] = { "mulinucb", "oracle", NULL };
    ck_assert_int_eq(ec_runcfg_enum(r, "learner", "mulinucb", learners, &idx,
                                    &d), EC_OK);
    ck_assert_int_eq(idx, 1);
    ck_assert_int_eq(ec_runcfg_enum(r, "missing", "oracle", learners, &idx,
                                    &d), EC_OK);
    ck_assert_int_eq(idx, 1);
    ck_assert_int_eq(ec_runcfg_enum(r, "missing", NULL, learners, &idx, &d),
                     EC_ENOTFOUND);
    ck_assert_str_eq(d.msg, "missing key 'missing'; expected one of "
                            "'mulinucb', 'oracle'");
    const char *const small[] = { "a", "b", NULL };
    ck_assert_int_eq(ec_runcfg_enum(r, "learner", "a", small, &idx, &d),
                     EC_ECONFIG);
    snprintf(want, sizeof want, "%s:2: key 'learner': expected one of 'a', "
             "'b', got 'oracle'", path);
    ck_assert_str_eq(d.msg, want);

    ck_assert_int_eq(ec_cfgval_error(ec_runcfg_find(r, "learner"), &d,
                                     "no learner called '%s'", "oracle"),
                     EC_ECONFIG);
    snprintf(want, sizeof want, "%s:2: key 'learner': no learner called "
             "'oracle'", path);
    ck_assert_str_eq(d.msg, want);
    ck_assert_int_eq(d.code, EC_ECONFIG);
    ec_runlist_free(l);
    ec_config_free(c);

    /* the list outlives its config */
    c = load_str("[General]\nframes = ${-5, 1e3, 12}\nmulinucb.mu = -inf\n");
    l = expand(c, NULL);
    ec_config_free(c);
    ck_assert_int_eq(ec_runcfg_int(ec_runlist_get(l, 0), "frames", 1, -10, 10,
                                   &n, &d), EC_OK);
    ck_assert_int_eq(n, -5);
    ck_assert_int_eq(ec_runcfg_int(ec_runlist_get(l, 1), "frames", 1, -10,
                                   10000, &n, &d), EC_ECONFIG);
    ck_assert_int_eq(ec_runcfg_double(ec_runlist_get(l, 1), "frames", 1, 0,
                                      1e4, &x, &d), EC_OK);
    ck_assert(x == 1000.0);
    ck_assert_int_eq(ec_runcfg_int(ec_runlist_get(l, 2), "frames", 1, -10, 10,
                                   &n, &d), EC_ECONFIG);
    ck_assert_str_eq(d.msg, "t.ini:2: key 'frames': expected an integer in "
                            "[-10, 10], got '12'");
    ck_assert_int_eq(ec_runcfg_double(ec_runlist_get(l, 0), "mulinucb.mu", 1,
                                      -1e300, 1e300, &x, &d), EC_ECONFIG);
    ec_runlist_free(l);
}
END_TEST

/* A key check that knows every key. */
static int any_key(const char *key, void *ctx)
{
    (void)key;
    (void)ctx;
    return EC_CONFIG_KEY_PLAIN;
}

/* Text of N sections c0..c(N-1) where c(i) extends c(i-1); with cycle,
 * c0 extends the last.  Section c(i) sets note = i; c0 also sets frames = 7,
 * which the last inherits through the whole chain.  Caller frees. */
static char *chain_text(size_t n, int cycle)
{
    size_t cap = n * 48 + 64, used = 0;
    char *t = malloc(cap);
    if (!t)
        abort();
    used += (size_t)snprintf(t, cap, "[General]\n");
    for (size_t i = 0; i < n; i++) {
        used += (size_t)snprintf(t + used, cap - used, "[Config c%zu]\nnote = %zu\n%s", i, i,
                                 i ? "" : "frames = 7\n");
        if (i > 0 || cycle)
            used += (size_t)snprintf(t + used, cap - used, "extends = c%zu\n",
                                     i > 0 ? i - 1 : n - 1);
    }
    return t;
}

/* Long extends chains and many sections are read without recursion (a
 * 100,000-link chain once overflowed the stack in the cycle check, and
 * under ASan in the expansion) and with a hash index of section names (the
 * lookups were linear: listing one section of a 100,000-link chain took 60 s,
 * now 0.15 s).  The bound checked: the whole chain is
 * inherited (c0's key reaches the last section, whose own value wins), and
 * a 100,000-long cycle is found
 * and reported from its first section. */
START_TEST(test_long_extends_chain)
{
    enum { N = 100000 };
    char *t = chain_text(N, 0);
    ec_config *c = load_str(t);
    free(t);
    const char **names;
    ck_assert_uint_eq(ec_config_sections(c, &names), N + 1);
    char last[32];
    snprintf(last, sizeof last, "c%d", N - 1);
    ec_runlist *l;
    ec_diag d;
    ck_assert_int_eq(ec_config_expand(c, last, any_key, NULL, &l, &d), EC_OK);
    const ec_runcfg *r = ec_runlist_get(l, 0);
    ck_assert_str_eq(val(r, "frames"), "7");
    ck_assert_str_eq(val(r, "note"), "99999");
    ec_runlist_free(l);
    ec_config_free(c);

    t = chain_text(N, 1);
    ck_assert_int_eq(ec_config_load_string(t, "t.ini", &c, &d), EC_ECONFIG);
    free(t);
    ck_assert_ptr_null(c);
    ck_assert_msg(strncmp(d.msg, "t.ini:8: section 'Config c1' extends itself: "
                                 "c0 -> c99999 -> c99998 -> ", 69) == 0, "%s", d.msg);
    ck_assert_msg(strstr(d.msg, "c99960 -> (99958 more) -> c1 -> c0"), "%s", d.msg);

    /* a duplicate among many sections is found by the index */
    t = chain_text(50000, 0);
    strcat(t, "[Config c123]\n");
    ck_assert_int_eq(ec_config_load_string(t, "t.ini", &c, &d), EC_ECONFIG);
    free(t);
    ck_assert_msg(strstr(d.msg, "duplicate section '[Config c123]' (first at line 371)"),
                  "%s", d.msg);
}
END_TEST

/* Found with the fuzz_config harness: a value of 25 bytes,
 * "${1..1000000}", took minutes under ASan, as the axis grew its item array
 * one entry at a time (a copy of the whole array per value).  The largest
 * axis allowed and its million runs now take about a second under ASan. */
START_TEST(test_largest_axis_is_linear)
{
    clock_t t0 = clock();
    ec_config *c = load_str("[General]\nframes = ${1..1000000}\n");
    ec_runlist *l = expand(c, NULL);
    ck_assert_uint_eq(ec_runlist_count(l), EC_CONFIG_MAX_RUNS);
    ck_assert_str_eq(val(ec_runlist_get(l, 0), "frames"), "1");
    ck_assert_str_eq(val(ec_runlist_get(l, EC_CONFIG_MAX_RUNS - 1), "frames"), "1000000");
    ec_runlist_free(l);
    ec_config_free(c);
    double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ck_assert_msg(s < 15, "a million-value axis took %.1f s of CPU", s);
}
END_TEST

/* Found with the fuzz_config harness: a million-value axis and twenty keys,
 * 372 bytes of config, made a run list of a million copies of every key's
 * value (1.2 GB at once; a few more keys, many more).  The values of a run
 * list are now bounded: a million combinations of 17 keys are refused before
 * anything is allocated. */
START_TEST(test_values_bounded)
{
    char text[1024] = "[General]\nframes = ${1..1000000}\n";
    for (int k = 1; k <= 16; k++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "key%d = %d\n", k, k);
    ec_config *c = load_str(text);
    ec_runlist *l = NULL;
    ec_diag d;
    ck_assert_int_eq(ec_config_expand(c, NULL, NULL, NULL, &l, &d), EC_ERANGE);
    ck_assert_ptr_null(l);
    ck_assert_msg(strstr(d.msg, "config 'General' expands to 1000000 axis combinations of 17 "
                         "keys: more than 16777216 values"), "%s", d.msg);
    ec_config_free(c);
}
END_TEST

/* ---- learner path parameters -------------------------------------------- */

/* Write text to dir/name. */
static void put(const char *dir, const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* A learner's path parameter (sacd.checkpoint, EC_PARAM_PATH) is a path
 * key like the traces: resolved against the folder of the config file that
 * set it, for a group too, and the bytes of the file it names enter the
 * run's identity (another file, another run); --set values stay as
 * written. */
START_TEST(test_learner_path_params)
{
    ck_assert_int_eq(ec_keys_check("sacd.checkpoint", NULL), EC_CONFIG_KEY_PATH);
    ck_assert_int_eq(ec_keys_check("group.g.sacd.checkpoint", NULL), EC_CONFIG_KEY_PATH);
    ck_assert_int_eq(ec_keys_check("sacd.lr", NULL), EC_CONFIG_KEY_PLAIN);
    ck_assert_int_eq(ec_keys_check("group.g.sacd.nope", NULL), EC_CONFIG_KEY_UNKNOWN);
    char dir[] = "/tmp/ec_cfgpath_XXXXXX", ini[600], want[700], cmd[700];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    put(dir, "c.ini", "[General]\nlearner = sacd\ngroups = g, h\ngroup.g.sacd.checkpoint = "
                      "ck-g.txt\nsacd.checkpoint = sub/ck.txt\n");
    snprintf(ini, sizeof ini, "%s/c.ini", dir);
    ec_config *c = NULL;
    ec_runlist *l = NULL;
    ec_diag d;
    ck_assert_int_eq(ec_config_load(ini, &c, &d), EC_OK);
    ck_assert_msg(ec_config_expand(c, NULL, ec_keys_check, NULL, &l, &d) == EC_OK, "%s", d.msg);
    const ec_runcfg *r = ec_runlist_get(l, 0);
    const ec_cfgval *v = ec_runcfg_find(r, "sacd.checkpoint");
    snprintf(want, sizeof want, "%s/sub/ck.txt", dir);
    ck_assert_str_eq(v->value, want);
    ck_assert_int_eq(v->kind, EC_CONFIG_KEY_PATH);
    snprintf(want, sizeof want, "%s/ck-g.txt", dir);
    ck_assert_str_eq(ec_runcfg_find(r, "group.g.sacd.checkpoint")->value, want);
    /* identity: the path while there is no file, then the file's bytes */
    ec_identity a, b, e;
    ck_assert_int_eq(ec_identity_of_run(r, &a, &d), EC_OK);
    put(dir, "ck-g.txt", "one");
    ck_assert_int_eq(ec_identity_of_run(r, &b, &d), EC_OK);
    put(dir, "ck-g.txt", "other bytes");
    ck_assert_int_eq(ec_identity_of_run(r, &e, &d), EC_OK);
    ck_assert_str_ne(a.hex, b.hex);
    ck_assert_str_ne(b.hex, e.hex);
    char diff[512];
    ck_assert_uint_eq(ec_identity_diff(&b, &e, 4, diff, sizeof diff), 1);
    ck_assert_msg(strncmp(diff, "group.g.sacd.checkpoint: xxh64:", 31) == 0, "%s", diff);
    ec_identity_free(&a);
    ec_identity_free(&b);
    ec_identity_free(&e);
    ec_runlist_free(l);
    /* placeholders inside an axis's items: the axis ends at its own '}' */
    ck_assert_int_eq(ec_config_set(c, "sacd.checkpoint=${a-{device}.bin, b-{group}.bin}", &d),
                     EC_OK);
    ck_assert_int_eq(ec_config_expand(c, NULL, ec_keys_check, NULL, &l, &d), EC_OK);
    ck_assert_uint_eq(ec_runlist_count(l), 2);
    ck_assert_str_eq(ec_runcfg_find(ec_runlist_get(l, 0), "sacd.checkpoint")->value,
                     "a-{device}.bin");
    ck_assert_str_eq(ec_runcfg_find(ec_runlist_get(l, 1), "sacd.checkpoint")->value,
                     "b-{group}.bin");
    ec_runlist_free(l);
    /* --set: as written, relative to the current folder */
    ck_assert_int_eq(ec_config_set(c, "sacd.checkpoint=rel/ck.txt", &d), EC_OK);
    ck_assert_int_eq(ec_config_expand(c, NULL, ec_keys_check, NULL, &l, &d), EC_OK);
    ck_assert_str_eq(ec_runcfg_find(ec_runlist_get(l, 0), "sacd.checkpoint")->value,
                     "rel/ck.txt");
    ec_runlist_free(l);
    ec_config_free(c);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, test_sections);
    tcase_add_test(tc, test_extends_chain);
    tcase_add_test(tc, test_comments);
    tcase_add_test(tc, test_diamond_and_general_implicit);
    tcase_add_test(tc, test_long_lines);
    suite_add_tcase(s, tc);
    tc = tcase_create("sweep");
    tcase_add_test(tc, test_product_and_repeat);
    tcase_add_test(tc, test_named_and_parallel_axes);
    tcase_add_test(tc, test_named_and_parallel_errors);
    tcase_add_test(tc, test_ranges);
    tcase_add_test(tc, test_embedded_axis_and_paths);
    tcase_add_test(tc, test_set);
    suite_add_tcase(s, tc);
    tc = tcase_create("large");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_largest_axis_is_linear);
    tcase_add_test(tc, test_values_bounded);
    tcase_add_test(tc, test_long_extends_chain);  /* 10^5 sections: 30 s, not 4, under ASan */
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_test(tc, test_set_errors);
    tcase_add_test(tc, test_file_errors);
    tcase_add_test(tc, test_unknown_key);
    tcase_add_test(tc, test_text_errors);
    tcase_add_test(tc, test_seed_repeat_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("getters");
    tcase_add_test(tc, test_getters);
    tcase_add_test(tc, test_learner_path_params);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run(config_suite());
}
