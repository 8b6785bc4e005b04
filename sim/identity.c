/* identity: a run's identity from its config (see identity.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/identity.h"

#include "ec_version.h"

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

int ec_kv_append(ec_kv **kv, size_t *n, const char *key, const char *value)
{
    ec_kv *grown = realloc(*kv, (*n + 1) * sizeof *grown);
    if (!grown)
        return EC_ENOMEM;
    *kv = grown;
    char *k = strdup(key), *v = strdup(value);
    if (!k || !v) {
        free(k);
        free(v);
        return EC_ENOMEM;
    }
    grown[(*n)++] = (ec_kv){ k, v };
    return EC_OK;
}

void ec_kv_free(ec_kv *kv, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free((char *)kv[i].key);
        free((char *)kv[i].value);
    }
    free(kv);
}

void ec_identity_free(ec_identity *id)
{
    ec_kv_free(id->kv, id->n);
    id->kv = NULL;
    id->n = 0;
}

/* Append (key, value), both copied. */
static int add(ec_identity *id, const char *key, const char *value)
{
    return ec_kv_append(&id->kv, &id->n, key, value);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const ec_kv *)a)->key, ((const ec_kv *)b)->key);
}

/* Sort the entries and hash them. */
static void seal(ec_identity *id)
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

/* Whether key is left out of the identity ('seed' enters as the run seed). */
static int left_out(const char *key)
{
    return strcmp(key, "seed") == 0 || strcmp(key, "repeat") == 0;
}

int ec_identity_of_run(const ec_runcfg *rc, ec_identity *out, ec_diag *d)
{
    *out = (ec_identity){ 0 };
    char seed[32];
    snprintf(seed, sizeof seed, "%" PRIu64, rc->seed);
    int st = add(out, "version", EC_VERSION);
    if (!st)
        st = add(out, "seed", seed);
    for (size_t i = 0; !st && i < rc->n; i++) {
        const ec_cfgval *v = &rc->vals[i];
        char hex[17], val[sizeof EC_IDENTITY_FILE + 17];
        if (left_out(v->key))
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
    seal(out);
    return EC_OK;
}

/* ---- a stored run ------------------------------------------------------ */

/* Add the rows of sql (?1 = run_id) to id: two columns (name, value),
 * without the keys left out when they are config keys (config = 1), or
 * with name_suffix set, the attributes named NAME + name_suffix as
 * (NAME, "xxh64:" value) pairs replacing the value of NAME. */
static int add_rows(sqlite3 *db, const char *sql, sqlite3_int64 run_id, ec_identity *id,
                    int config, const char *name_suffix, int *oom)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_int64(st, 1, run_id);
    while (!*oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (!k || (config && left_out(k)))
            continue;
        if (!name_suffix) {
            *oom = add(id, k, v ? v : "") != EC_OK;
            continue;
        }
        size_t kl = strlen(k) - strlen(name_suffix);
        for (size_t i = 0; i < id->n; i++)
            if (strncmp(id->kv[i].key, k, kl) == 0 && id->kv[i].key[kl] == '\0') {
                char *val = malloc(sizeof EC_IDENTITY_FILE + strlen(v ? v : ""));
                *oom = !val;
                if (val) {
                    sprintf(val, EC_IDENTITY_FILE "%s", v ? v : "");
                    free((char *)id->kv[i].value);
                    id->kv[i].value = val;
                }
            }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int ec_identity_of_stored(sqlite3 *db, const char *schema, sqlite3_int64 run_id,
                          const char *db_path, ec_identity *out, ec_diag *d)
{
    *out = (ec_identity){ 0 };
    char sql[4][300];
    snprintf(sql[0], sizeof sql[0], "SELECT 'version', attrValue FROM %s.runAttr"
             " WHERE runId = ?1 AND attrName = 'version'", schema);
    snprintf(sql[1], sizeof sql[1], "SELECT 'seed', CAST(seed AS TEXT) FROM %s.run"
             " WHERE runId = ?1", schema);
    snprintf(sql[2], sizeof sql[2], "SELECT configKey, configValue FROM %s.runConfig"
             " WHERE runId = ?1 ORDER BY configOrder", schema);
    snprintf(sql[3], sizeof sql[3], "SELECT attrName, attrValue FROM %s.runAttr"
             " WHERE runId = ?1 AND attrName LIKE '%%.hash'", schema);
    int oom = 0, rc = SQLITE_OK;
    for (int q = 0; q < 4 && rc == SQLITE_OK && !oom; q++)
        rc = add_rows(db, sql[q], run_id, out, q == 2, q == 3 ? ".hash" : NULL, &oom);
    /* the seed column is signed: seeds of 2^63 and more read back negative */
    for (size_t i = 0; !oom && rc == SQLITE_OK && i < out->n; i++)
        if (strcmp(out->kv[i].key, "seed") == 0 && out->kv[i].value[0] == '-') {
            char buf[32];
            snprintf(buf, sizeof buf, "%" PRIu64, (uint64_t)strtoll(out->kv[i].value, NULL, 10));
            char *v = strdup(buf);
            oom = !v;
            if (v) {
                free((char *)out->kv[i].value);
                out->kv[i].value = v;
            }
        }
    if (oom || rc != SQLITE_OK) {
        ec_identity_free(out);
        return oom ? ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory")
                   : ec_diag_set(d, EC_EDB, db_path, 0, "cannot read a run's identity: %s",
                                 sqlite3_errmsg(db));
    }
    seal(out);
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
