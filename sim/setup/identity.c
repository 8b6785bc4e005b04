/* identity: a run's identity from its config (see identity.h). */
#define _GNU_SOURCE /* dladdr */
#include "sim/setup/identity.h"

#include "ec_version.h"
#include "learners/learner.h"
#include "sim/base/text.h"
#include "sim/setup/keys.h"

#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

/* Files hashed before in this process (not thread-safe: edgecut runs
 * one thread per process). */
#define CACHE_SLOTS 32
static struct cached {
    char *path;             /* as given; NULL: free slot */
    struct stat st;         /* size, mtime and inode when it was hashed */
    char hex[17];           /* its hash */
} cache[CACHE_SLOTS];
static size_t cache_next;   /* slot to fill next (round robin) */

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Hash the open file f into hex. */
static int hash_stream(FILE *f, char *hex, size_t n)
{
    XXH64_state_t *st = XXH64_createState();
    if (!st)
        return 0;
    XXH64_reset(st, 0);
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        XXH64_update(st, buf, got);
    int ok = !ferror(f);
    if (ok)
        snprintf(hex, n, "%016" PRIx64, (uint64_t)XXH64_digest(st));
    XXH64_freeState(st);
    return ok;
}

int ec_hash_file(const char *path, char *hex, size_t n)
{
    hex[0] = '\0';
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        if (cache[i].path && strcmp(cache[i].path, path) == 0 && same_file(&cache[i].st, &st)) {
            snprintf(hex, n, "%s", cache[i].hex);
            return 1;
        }
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    int ok = hash_stream(f, hex, n);
    fclose(f);
    if (!ok) {
        hex[0] = '\0';
        return 0;
    }
    char *copy = strdup(path);
    if (copy) {
        struct cached *c = &cache[cache_next];
        cache_next = (cache_next + 1) % CACHE_SLOTS;
        free(c->path);
        c->path = copy;
        c->st = st;
        snprintf(c->hex, sizeof c->hex, "%s", hex);
    }
    return 1;
}

void ec_identity_free(ec_identity *id)
{
    ec_kv_free(id->kv, id->n);
    id->kv = NULL;
    id->n = 0;
}

int ec_identity_add(ec_identity *id, const char *key, const char *value)
{
    return ec_kv_append(&id->kv, &id->n, key, value);
}

/* ec_identity_add, in this file. */
static int add(ec_identity *id, const char *key, const char *value)
{
    return ec_identity_add(id, key, value);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const ec_kv *)a)->key, ((const ec_kv *)b)->key);
}

void ec_identity_seal(ec_identity *id)
{
    if (id->n)
        qsort(id->kv, id->n, sizeof *id->kv, by_key);
    XXH64_state_t *st = XXH64_createState();
    uint64_t h = 0;
    if (st) {
        XXH64_reset(st, 0);
        for (size_t i = 0; i < id->n; i++) {
            XXH64_update(st, id->kv[i].key, strlen(id->kv[i].key));
            XXH64_update(st, "=", 1);
            XXH64_update(st, id->kv[i].value, strlen(id->kv[i].value));
            XXH64_update(st, "\n", 1);
        }
        h = XXH64_digest(st);
        XXH64_freeState(st);
    }
    snprintf(id->hex, sizeof id->hex, "%016" PRIx64, h);
}

int ec_identity_left_out(const char *key)
{
    return strcmp(key, "seed") == 0 || strcmp(key, "repeat") == 0;
}

const char *ec_build_id(void)
{
    static char id[17];
    if (!id[0]) {
        Dl_info info;
        if (!dladdr(id, &info) || !info.dli_fname ||   /* the library holding id */
            !ec_hash_file(info.dli_fname, id, sizeof id))
            snprintf(id, sizeof id, "unknown");
    }
    return id;
}

/* ---- a learner's path parameter ----------------------------------------- */

/* The files a learner's path value reads in run rc, hashed into one entry. */
typedef struct learner_files {
    XXH64_state_t *h;   /* over "DEVICE=HEX\n" (or "DEVICE=-\n": no file) per device */
    size_t readers;     /* devices whose learner reads the value */
    size_t found;       /* of them, those whose file could be read */
} learner_files;

/* The learner (name) of group g in run rc: group.G.learner, else learner,
 * else the default. */
static const char *group_learner(const ec_runcfg *rc, const char *g, size_t glen, int explicit)
{
    char k[160];
    snprintf(k, sizeof k, "group.%.*s.learner", (int)glen, g);
    const ec_cfgval *v = explicit ? ec_runcfg_find(rc, k) : NULL;
    if (!v)
        v = ec_runcfg_find(rc, "learner");
    return v ? v->value : ec_key_find("learner")->def;
}

/* Hash into f the file value v names for device k of group g (its
 * placeholders replaced by k's values).  EC_OK or EC_ENOMEM. */
static int hash_device_file(const ec_runcfg *rc, const ec_cfgval *v, const char *g, size_t k,
                            learner_files *f)
{
    char line[64], hex[17];
    ec_param_vars vars = { g, (long)k, rc->replicate, (unsigned long long)rc->seed };
    size_t n = strlen(v->value) + 64;
    char *path = NULL;
    int rc_expand = EC_ERANGE;
    while (rc_expand == EC_ERANGE) {   /* room enough: grow until it fits */
        n += strlen(g) + 64;
        free(path);
        if (!(path = malloc(n)))
            return EC_ENOMEM;
        rc_expand = ec_param_expand(v->value, &vars, path, n, NULL);
    }
    /* an unknown placeholder is refused before any run: no file then */
    int ok = rc_expand == EC_OK && ec_hash_file(path, hex, sizeof hex);
    free(path);
    snprintf(line, sizeof line, "%zu=%s\n", k, ok ? hex : "-");
    XXH64_update(f->h, line, strlen(line));
    f->readers++;
    f->found += (size_t)ok;
    return EC_OK;
}

/* For v, a learner's path parameter (LEARNER.KEY, or group.G.LEARNER.KEY
 * for group G), the devices of run rc whose learner reads it: those of the
 * groups (every group for the plain key but those that set their own) whose
 * learner is LEARNER.  Each one's file goes into f. */
static int learner_path_files(const ec_runcfg *rc, const ec_cfgval *v, learner_files *f)
{
    const char *key = v->key, *only = NULL;
    size_t only_len = 0;
    if (!strncmp(key, "group.", 6)) {
        only = key + 6;
        only_len = strcspn(only, ".");
        key = only + only_len + 1;
    }
    size_t learner_len = strcspn(key, ".");
    const ec_cfgval *gv = ec_runcfg_find(rc, "groups");
    const char *list = gv && gv->value[0] ? gv->value : "device", *p = list, *g;
    int explicit = gv && gv->value[0];
    size_t glen, first = 0;
    while (ec_list_next(&p, &g, &glen)) {
        char k[256];
        long count = 1;
        snprintf(k, sizeof k, "group.%.*s.count", (int)glen, g);
        const ec_cfgval *cv = explicit ? ec_runcfg_find(rc, k) : NULL;
        if (cv)
            count = strtol(cv->value, NULL, 10);
        count = count < 1 ? 1 : count;
        snprintf(k, sizeof k, "group.%.*s.%s", (int)glen, g, key);
        const char *learner = group_learner(rc, g, glen, explicit);
        int reads = strlen(learner) == learner_len && !strncmp(learner, key, learner_len) &&
                    (only ? only_len == glen && !strncmp(only, g, glen)
                          : !explicit || !ec_runcfg_find(rc, k));
        char name[96];
        snprintf(name, sizeof name, "%.*s", (int)glen, g);
        /* a value without placeholders names one file for all: counted once */
        long devices = ec_param_has_placeholder(v->value) ? count : !f->readers;
        for (long i = 0; reads && i < devices; i++) {
            int st = hash_device_file(rc, v, name, first + (size_t)i, f);
            if (st)
                return st;
        }
        first += (size_t)count;
    }
    return EC_OK;
}

/* The identity entry of config value v of run rc: a file's hash for a
 * value naming a readable file, else the value.  A learner's path
 * parameter counts only where a device's learner reads it, and with
 * placeholders it names a file per device: the entry is then the hash of
 * their hashes, by device (the value as written while none is there). */
static int entry_of(const ec_runcfg *rc, const ec_cfgval *v, ec_identity *out)
{
    char hex[17], val[sizeof EC_IDENTITY_FILE + 17];
    const ec_param_spec *sp = NULL;
    if (v->value[0] && ec_config_path_value(v->kind, v->text)) {
        const char *key = v->key;
        if (!strncmp(key, "group.", 6))
            key += 6 + strcspn(key + 6, ".") + 1;
        sp = ec_learner_param_spec(key);
    }
    if (!sp || sp->type != EC_PARAM_PATH) {
        if (v->value[0] && ec_config_path_value(v->kind, v->text) &&
            ec_hash_file(v->value, hex, sizeof hex)) {
            snprintf(val, sizeof val, EC_IDENTITY_FILE "%s", hex);
            return add(out, v->key, val);
        }
        return add(out, v->key, v->value);
    }
    learner_files f = { .h = XXH64_createState() };
    if (!f.h)
        return EC_ENOMEM;
    XXH64_reset(f.h, 0);
    int st = learner_path_files(rc, v, &f);
    uint64_t h = XXH64_digest(f.h);
    XXH64_freeState(f.h);
    if (st)
        return st;
    if (!f.found)
        return add(out, v->key, v->value);
    if (!ec_param_has_placeholder(v->value) && ec_hash_file(v->value, hex, sizeof hex))
        snprintf(val, sizeof val, EC_IDENTITY_FILE "%s", hex);   /* one file: its own hash */
    else
        snprintf(val, sizeof val, EC_IDENTITY_FILE "%016" PRIx64, h);
    return add(out, v->key, val);
}

int ec_identity_of_run(const ec_runcfg *rc, ec_identity *out, ec_diag *d)
{
    *out = (ec_identity){ 0 };
    char seed[32];
    snprintf(seed, sizeof seed, "%" PRIu64, rc->seed);
    int st = add(out, "version", EC_VERSION);
    if (!st)
        st = add(out, "build", ec_build_id());
    if (!st)
        st = add(out, "seed", seed);
    for (size_t i = 0; !st && i < rc->n; i++)
        if (!ec_identity_left_out(rc->vals[i].key))
            st = entry_of(rc, &rc->vals[i], out);
    if (st) {
        ec_identity_free(out);
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    }
    ec_identity_seal(out);
    return EC_OK;
}

/* ---- differences -------------------------------------------------------- */

/* Append "KEY: A -> B" to buf at *len. */
static void say(char *buf, size_t n, size_t *len, const char *key, const char *a, const char *b)
{
    if (*len >= n)
        return;
    int k = snprintf(buf + *len, n - *len, "%s%s: %s -> %s", *len ? "; " : "", key,
                     a ? a : "(unset)", b ? b : "(unset)");
    *len += k > 0 ? (size_t)k : 0;
    if (*len >= n)
        *len = n - 1;
}

size_t ec_identity_diff(const ec_identity *a, const ec_identity *b, size_t most, char *buf,
                        size_t n)
{
    size_t i = 0, j = 0, diff = 0, len = 0;
    buf[0] = '\0';
    while (i < a->n || j < b->n) {
        int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->kv[i].key, b->kv[j].key);
        const char *key = c <= 0 ? a->kv[i].key : b->kv[j].key;
        const char *va = c <= 0 ? a->kv[i].value : NULL, *vb = c >= 0 ? b->kv[j].value : NULL;
        i += c <= 0;
        j += c >= 0;
        if (va && vb && strcmp(va, vb) == 0)
            continue;
        if (diff++ < most)
            say(buf, n, &len, key, va, vb);
    }
    if (diff > most && len < n)
        snprintf(buf + len, n - len, "; and %zu more", diff - most);
    return diff;
}
