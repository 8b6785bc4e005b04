/* identity: a run's identity from its config (see identity.h). */
#define _GNU_SOURCE /* dladdr */
#include "sim/setup/identity.h"

#include "ec_version.h"

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
    for (size_t i = 0; !st && i < rc->n; i++) {
        const ec_cfgval *v = &rc->vals[i];
        char hex[17], val[sizeof EC_IDENTITY_FILE + 17];
        if (ec_identity_left_out(v->key))
            continue;
        if (v->value[0] && ec_config_path_value(v->kind, v->text) &&
            ec_hash_file(v->value, hex, sizeof hex)) {
            snprintf(val, sizeof val, EC_IDENTITY_FILE "%s", hex);
            st = add(out, v->key, val);
        } else {
            st = add(out, v->key, v->value);
        }
    }
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
