/* device: opening devices, their latency tables and power (see device.h).
 * The file format is parsed in device_file.c, the estimators are in
 * roofline.c, users' CSVs are read by profile_csv.c. */
#include "models/device_impl.h"

#include "models/embedded.h"
#include "sim/base/suggest.h"
#include "sim/base/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BUILTIN_DIR "models/devices/"
#define SUFFIX ".device"

void ec_dev_table_clear(ec_dev_table *t)
{
    free(t->model);
    free(t->where);
    ec_layer_profile_free(t->prof);
    memset(t, 0, sizeof *t);
}

int ec_dev_table_put(ec_dev_tables *list, ec_dev_table *t)
{
    size_t i = 0;
    while (i < list->n && strcmp(list->t[i].model, t->model))
        i++;
    if (i == list->n) {
        if (ec_grow(&list->t, &list->cap, list->n + 1, sizeof *list->t))
            return EC_ENOMEM;
        list->n++;
    } else {
        ec_dev_table_clear(&list->t[i]);
    }
    list->t[i] = *t;
    memset(t, 0, sizeof *t);
    return EC_OK;
}

const ec_dev_table *ec_dev_table_find(const ec_dev_tables *list, const char *model)
{
    for (size_t i = 0; i < list->n; i++)
        if (!strcmp(list->t[i].model, model))
            return &list->t[i];
    return NULL;
}

const char *ec_device_builtin(size_t i)
{
    static char names[64][64]; /* the stems, filled once (built-ins are few) */
    size_t n = 0;
    while (ec_embedded_devices[n].path)
        n++;
    if (i >= n || i >= 64)
        return NULL;
    const char *p = ec_embedded_devices[i].path + strlen(BUILTIN_DIR);
    size_t len = strlen(p) - strlen(SUFFIX);
    if (!names[i][0] && len < sizeof names[i]) {
        memcpy(names[i], p, len);
        names[i][len] = '\0';
    }
    return names[i];
}

/* The stem of path: no directory, no ".device". */
static char *stem(const char *path)
{
    const char *b = strrchr(path, '/');
    char *s = ec_strdup(b ? b + 1 : path);
    size_t n = s ? strlen(s) : 0;
    if (n > strlen(SUFFIX) && !strcmp(s + n - strlen(SUFFIX), SUFFIX))
        s[n - strlen(SUFFIX)] = '\0';
    return s;
}

/* The text of a built-in (copied) or a file on disk. */
static int device_text(const char *name_or_path, int *on_disk, char **text, char **file,
                       ec_diag *d)
{
    size_t n = strlen(name_or_path);
    *on_disk = strchr(name_or_path, '/') ||
               (n >= strlen(SUFFIX) && !strcmp(name_or_path + n - strlen(SUFFIX), SUFFIX));
    if (*on_disk) {
        *file = ec_strdup(name_or_path);
        return *file ? ec_text_read(name_or_path, "a device file", text, d) : EC_ENOMEM;
    }
    for (const ec_embedded *e = ec_embedded_devices; e->path; e++) {
        const char *p = e->path + strlen(BUILTIN_DIR);
        if (strncmp(p, name_or_path, n) || strcmp(p + n, SUFFIX))
            continue;
        *file = ec_strdup(e->path);
        *text = ec_strdup(e->text);
        return *file && *text ? EC_OK : EC_ENOMEM;
    }
    char list[1024] = "", hint[128];
    ec_suggest sg = EC_SUGGEST_INIT(name_or_path);
    for (size_t i = 0; ec_device_builtin(i); i++)
        ec_suggest_add(&sg, ec_device_builtin(i));
    for (size_t i = 0; ec_device_builtin(i); i++) {
        if (strlen(list) + strlen(ec_device_builtin(i)) + 3 >= sizeof list)
            break;
        strcat(strcat(list, i ? ", " : ""), ec_device_builtin(i));
    }
    return ec_diag_set(d, EC_ENOTFOUND, NULL, 0, "unknown device '%s'; built-in devices: %s "
                       "(or give a path to a .device file)%s", name_or_path, list,
                       ec_suggest_hint(&sg, hint, sizeof hint));
}

int ec_device_open(const char *name_or_path, ec_device **out, ec_diag *d)
{
    *out = NULL;
    ec_device *dev = calloc(1, sizeof *dev);
    if (!dev)
        return EC_ENOMEM;
    char *text = NULL;
    int on_disk;
    int rc = device_text(name_or_path, &on_disk, &text, &dev->file, d);
    if (!rc && !(dev->name = stem(name_or_path)))
        rc = EC_ENOMEM;
    if (!rc)
        rc = ec_device_parse(dev, text, d);
    free(text);
    if (rc) {
        ec_device_free(dev);
        return rc;
    }
    *out = dev;
    return EC_OK;
}

void ec_device_free(ec_device *dev)
{
    if (!dev)
        return;
    for (size_t i = 0; i < dev->tables.n; i++)
        ec_dev_table_clear(&dev->tables.t[i]);
    for (size_t i = 0; i < dev->cuts.n; i++)
        ec_dev_table_clear(&dev->cuts.t[i]);
    for (size_t i = 0; i < dev->n_sources; i++)
        free(dev->sources[i]);
    free(dev->tables.t);
    free(dev->cuts.t);
    free(dev->sources);
    free(dev->name);
    free(dev->file);
    free(dev->description);
    free(dev);
}

const char *ec_device_name(const ec_device *dev) { return dev->name; }
const char *ec_device_description(const ec_device *dev) { return dev->description; }
const char *ec_device_file(const ec_device *dev) { return dev->file; }
size_t ec_device_n_sources(const ec_device *dev) { return dev->n_sources; }
ec_latency_source ec_device_estimator(const ec_device *dev) { return dev->estimator; }

const char *ec_device_source(const ec_device *dev, size_t i)
{
    return i < dev->n_sources ? dev->sources[i] : NULL;
}

const char *ec_device_layer_model(const ec_device *dev, size_t i)
{
    return i < dev->tables.n ? dev->tables.t[i].model : NULL;
}

const char *ec_device_cut_model(const ec_device *dev, size_t i)
{
    return i < dev->cuts.n ? dev->cuts.t[i].model : NULL;
}

const char *ec_latency_source_name(ec_latency_source s)
{
    switch (s) {
    case EC_LATENCY_MEASURED: return "measured";
    case EC_LATENCY_USER: return "user";
    case EC_LATENCY_ROOFLINE: return "roofline";
    case EC_LATENCY_REGRESSION: return "regression";
    default: return "none";
    }
}

ec_latency_source ec_device_latency_source(const ec_device *dev, const char *model_name,
                                           const char **where)
{
    const ec_dev_table *t = ec_dev_table_find(&dev->tables, model_name);
    if (where)
        *where = t ? t->where : dev->estimator ? dev->file : "";
    return t ? t->source : dev->estimator;
}

/* ms_out from table t, checked against the model's n layers. */
static int from_table(const ec_device *dev, const ec_dev_table *t, const ec_layer_cost *layers,
                      size_t n, double *ms_out, ec_diag *d)
{
    const ec_layer_profile *p = t->prof;
    if (p->n_layers != n)
        return ec_diag_set(d, EC_EMODEL, p->file, p->line, "device '%s': the %s table of "
                           "model '%s' has %zu layers; expected %zu, the model's layer count",
                           dev->name, ec_latency_source_name(t->source), t->model,
                           p->n_layers, n);
    for (size_t i = 0; i < n; i++) {
        const char *want = layers && layers[i].name ? layers[i].name : NULL;
        if (p->names[i] && want && strcmp(p->names[i], want))
            return ec_diag_set(d, EC_EMODEL, p->file, p->lines[i], "layer %zu is named '%s' "
                               "here; expected '%s', model '%s''s layer %zu", i, p->names[i],
                               want, t->model, i);
        ms_out[i] = p->ms[i];
    }
    return EC_OK;
}

int ec_device_layer_ms(const ec_device *dev, const char *model_name,
                       const ec_layer_cost *layers, size_t n, double *ms_out, ec_diag *d)
{
    const ec_dev_table *t = ec_dev_table_find(&dev->tables, model_name);
    if (t)
        return from_table(dev, t, layers, n, ms_out, d);
    if (dev->estimator == EC_LATENCY_NONE)
        return ec_diag_set(d, EC_ENOTFOUND, NULL, 0, "device '%s' has no latency table for "
                           "model '%s' and no estimator ([roofline] or [regression]) in %s",
                           dev->name, model_name, dev->file);
    if (!layers)
        return ec_diag_set(d, EC_EMODEL, NULL, 0, "device '%s' needs the layer costs of model "
                           "'%s' to estimate its latency", dev->name, model_name);
    for (size_t i = 0; i < n; i++) {
        int rc = ec_device_estimate(dev, &layers[i], &ms_out[i], d);
        if (rc)
            return rc;
    }
    return EC_OK;
}

int ec_device_cut_front_ms(const ec_device *dev, const char *model_name, size_t n_cuts,
                           double *front_ms, ec_diag *d)
{
    const ec_dev_table *t = ec_dev_table_find(&dev->cuts, model_name);
    if (!t)
        return ec_diag_set(d, EC_ENOTFOUND, NULL, 0, "device '%s' has no per-cut front-end "
                           "table for model '%s'", dev->name, model_name);
    if (t->prof->n_layers != n_cuts)
        return ec_diag_set(d, EC_EMODEL, t->prof->file, t->prof->line, "device '%s': the cut "
                           "table of model '%s' has %zu cuts; expected %zu, the model's cut "
                           "count", dev->name, model_name, t->prof->n_layers, n_cuts);
    memcpy(front_ms, t->prof->ms, n_cuts * sizeof *front_ms);
    return EC_OK;
}

/* A user table for model_name from prof (taken over, even on failure). */
static int put_user(ec_dev_tables *list, const char *model_name, ec_layer_profile *prof)
{
    ec_dev_table t = { .source = EC_LATENCY_USER, .prof = prof };
    int rc = EC_OK;
    if (!(t.model = ec_strdup(model_name)) || !(t.where = ec_text_where(prof->file, prof->line)))
        rc = EC_ENOMEM;
    if (!rc)
        rc = ec_dev_table_put(list, &t);
    ec_dev_table_clear(&t);
    return rc;
}

int ec_device_set_layer_profile(ec_device *dev, const char *model_name, const char *path,
                                ec_diag *d)
{
    ec_layer_profile *p;
    int rc = ec_layer_profile_load(path, &p, d);
    return rc ? rc : put_user(&dev->tables, model_name, p);
}

int ec_device_set_cut_profile(ec_device *dev, const char *model_name, const char *path,
                              ec_diag *d)
{
    ec_cut_table *ct;
    int rc = ec_cut_table_load(path, &ct, d);
    if (rc)
        return rc;
    ec_layer_profile *p = calloc(1, sizeof *p);
    if (!p || !(p->file = ec_strdup(path)))
        rc = EC_ENOMEM;
    else
        p->line = ct->line;
    for (size_t i = 0; !rc && i < ct->n_cuts; i++)
        rc = ec_layer_profile_push(p, ct->cuts[i].front_s * 1e3, NULL, ct->lines[i]);
    ec_cut_table_free(ct);
    if (rc) {
        ec_layer_profile_free(p);
        return rc;
    }
    return put_user(&dev->cuts, model_name, p);
}

const ec_power *ec_device_power(const ec_device *dev)
{
    return dev->has_power ? &dev->power : NULL;
}

double ec_device_tx_w(const ec_device *dev, double rate_bps)
{
    if (!dev->has_power)
        return NAN;
    return dev->power.tx_w_per_mbps * fmax(rate_bps, 0) / 1e6 + dev->power.tx_base_w;
}

double ec_device_frame_energy_j(const ec_device *dev, double front_s, double up_s,
                                double up_bits, double wait_s)
{
    if (!dev->has_power)
        return NAN;
    double rate = up_s > 0 ? up_bits / up_s : 0;
    double tx = up_s > 0 ? ec_device_tx_w(dev, rate) * up_s : 0;
    return dev->power.compute_w * front_s + tx + dev->power.idle_w * wait_s;
}

double ec_device_quant_ns_per_elem(const ec_device *dev)
{
    return dev->has_quant ? dev->quant_ns_per_elem : 0;
}
