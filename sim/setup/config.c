/* config: parsing INI experiment configs with inih (see config.h).
 *
 * inih is used through ini_parse_stream with our own line reader.  The
 * reader counts lines (so every key knows its line), strips leading white
 * space (which turns off inih's continuation lines), strips ';' and '#'
 * comments, and reads section headers itself (inih does not report empty
 * sections and truncates long section names).  The handler only stores
 * keys.  inih's line buffer is 200 bytes; a longer key line is handed to
 * inih as "k=v" and the handler takes the real text from the reader.  The
 * first error by line wins, whether the reader, the handler or inih
 * (syntax) found it.  ec_config_expand works out inheritance, key
 * checks and configOrder, then hands the keys to ec_sweep_expand. */
#include "sim/setup/config.h"

#include "sim/base/suggest.h"
#include "sim/base/text.h"
#include "sim/base/textfile.h"
#include "sim/setup/sweep.h"

#include <ctype.h>
#include <ini.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* One key = value line (or one --set). */
typedef struct cfg_entry {
    char *key;        /* the key as written */
    char *value;      /* the value, trimmed, comments removed */
    ec_sweep *sweep;  /* value parsed for a sweep axis */
    int line;         /* 1-based line; 0 for --set */
} cfg_entry;

/* One [General] or [Config NAME] section. */
typedef struct cfg_section {
    char *name;          /* "General" or NAME */
    int line;            /* line of the header; 0 for an implicit General */
    int extends_line;    /* line of its 'extends' key, 0 if none */
    cfg_entry *e;        /* keys in file order */
    size_t n, cap;       /* used and allocated entries */
    size_t *parents;     /* explicit parents (section indices), General dropped */
    size_t n_parents, cap_parents;
} cfg_section;

struct ec_config {
    char *path;          /* file name used in messages */
    char *dir;           /* directory PATH values resolve against; "" = as is */
    cfg_section *s;      /* sections in file order; s[0] is General */
    size_t n, cap;
    cfg_entry *set;      /* --set overrides in the order given */
    size_t n_set, cap_set;
    const char **names;  /* section names, for ec_config_sections */
    size_t *slot;        /* hash index of section names: section index + 1, */
    size_t n_slot;       /* 0 = empty; open addressing, a power of two > 2n */
    size_t n_links;      /* extends links (parents) over all sections */
    void (*key_names)(ec_suggest *sg); /* known keys for hints, NULL if none */
};

/* ---- small helpers ----------------------------------------------------- */

static const cfg_entry *find_entry(const cfg_entry *e, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].key, key) == 0)
            return &e[i];
    return NULL;
}

/* ---- the section-name index -------------------------------------------- */

/* The slot of name[0..len) in c's index: the one holding it, or the empty
 * slot where it would go.  c->n_slot > c->n, so an empty slot exists. */
static size_t slot_of(const ec_config *c, const char *name, size_t len)
{
    size_t mask = c->n_slot - 1, k = (size_t)XXH3_64bits(name, len) & mask;
    for (;; k = (k + 1) & mask) {
        size_t j = c->slot[k];
        if (j == 0 || (strncmp(c->s[j - 1].name, name, len) == 0 &&
                       c->s[j - 1].name[len] == '\0'))
            return k;
    }
}

/* Index of section name[0..len), or -1.  Expected O(1). */
static long find_section(const ec_config *c, const char *name, size_t len)
{
    size_t j = c->n_slot ? c->slot[slot_of(c, name, len)] : 0;
    return (long)j - 1;
}

/* Put section c->n - 1 (a new name) into the index, growing it to keep the
 * load under one half. */
static int index_last(ec_config *c)
{
    if (2 * c->n >= c->n_slot) {
        size_t n = c->n_slot ? 2 * c->n_slot : 16;
        size_t *old = c->slot;
        c->slot = calloc(n, sizeof *c->slot);
        if (!c->slot) {
            c->slot = old;
            return EC_ENOMEM;
        }
        free(old);
        c->n_slot = n;
        for (size_t i = 0; i + 1 < c->n; i++)
            c->slot[slot_of(c, c->s[i].name, strlen(c->s[i].name))] = i + 1;
    }
    const char *nm = c->s[c->n - 1].name;
    c->slot[slot_of(c, nm, strlen(nm))] = c->n;
    return EC_OK;
}

/* Index of the section called name ("NAME", "Config NAME" or "General"). */
static long section_index(const ec_config *c, const char *name)
{
    if (strncmp(name, "Config ", 7) == 0)
        name += 7;
    return find_section(c, name, strlen(name));
}

static void entry_clear(cfg_entry *e)
{
    free(e->key);
    free(e->value);
    ec_sweep_free(e->sweep);
}

/* ---- the parser -------------------------------------------------------- */

typedef struct parser {
    ec_config *c;       /* the config being filled */
    const char *p;      /* unread part of the text */
    const char *end;    /* end of the text */
    int line;           /* number of the line last handed to inih */
    long cur;           /* current section index, -1 if none */
    int seen_header;    /* 1 once any section header line was read */
    int err_line;       /* line of the first error, 0 if none */
    ec_diag err;        /* the first error */
    int oom;            /* 1 if an allocation failed */
    const char *long_line; /* a key line longer than inih's line buffer, */
    size_t long_len;       /* which inih gets as "k=v"; NULL if none */
} parser;

static void perr(parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Record an EC_ECONFIG error at the current line unless one exists. */
static void perr(parser *ps, const char *fmt, ...)
{
    if (ps->err_line)
        return;
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ps->err_line = ps->line;
    ec_diag_set(&ps->err, EC_ECONFIG, ps->c->path, ps->line, "%s", msg);
}

/* Record e, an error at the current line, unless one exists. */
static void perr_diag(parser *ps, const ec_diag *e)
{
    if (ps->err_line)
        return;
    ps->err_line = ps->line;
    ps->err = *e;
}

static const char *title_prefix(const ec_config *c, const cfg_section *s)
{
    return s == &c->s[0] ? "" : "Config ";
}

static int add_section(ec_config *c, const char *name, size_t len, int line)
{
    if (ec_grow(&c->s, &c->cap, c->n + 1, sizeof *c->s))
        return EC_ENOMEM;
    cfg_section *s = &c->s[c->n];
    memset(s, 0, sizeof *s);
    s->name = ec_strndup(name, len);
    if (!s->name)
        return EC_ENOMEM;
    s->line = line;
    c->n++;
    return index_last(c);
}

/* A config NAME: non-empty, no white space, no ',', '[', ']', '$', '{', '}'. */
static int valid_name(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (isspace((unsigned char)s[i]) || strchr(",[]${}", s[i]))
            return 0;
    return 1;
}

/* Handle a line starting with '[' (comments and outer space removed). */
static void section_line(parser *ps, const char *a, size_t len)
{
    ps->cur = -1;
    ps->seen_header = 1;
    const char *close = memchr(a, ']', len);
    if (!close) {
        perr(ps, "missing ']' in section header");
        return;
    }
    if (close != a + len - 1) {
        perr(ps, "unexpected text after ']' in section header");
        return;
    }
    const char *h = a + 1, *he = close;
    while (h < he && isspace((unsigned char)*h))
        h++;
    while (he > h && isspace((unsigned char)he[-1]))
        he--;
    size_t hl = (size_t)(he - h);
    ec_config *c = ps->c;
    if (hl == 7 && memcmp(h, "General", 7) == 0) {
        if (c->s[0].line) {
            perr(ps, "duplicate section '[General]' (first at line %d)",
                 c->s[0].line);
            return;
        }
        c->s[0].line = ps->line;
        ps->cur = 0;
        return;
    }
    if (hl < 7 || memcmp(h, "Config", 6) != 0 || !isspace((unsigned char)h[6])) {
        perr(ps, "unknown section '[%.*s]'; expected '[General]' or "
             "'[Config NAME]'", (int)hl, h);
        return;
    }
    const char *nm = h + 7;
    while (isspace((unsigned char)*nm))
        nm++;
    size_t nl = (size_t)(he - nm);
    if (!valid_name(nm, nl) || (nl == 7 && memcmp(nm, "General", 7) == 0)) {
        perr(ps, "bad config name '%.*s'; expected a name without spaces, "
             "',', '[', ']', '$', '{', '}', other than 'General'", (int)nl, nm);
        return;
    }
    if (nl > EC_CONFIG_MAX_NAME) {
        perr(ps, "config name '%.20s...' is %zu bytes long; expected at most %d (run "
             "names NAME-RUNNUMBER are kept whole)", nm, nl, EC_CONFIG_MAX_NAME);
        return;
    }
    long dup = find_section(c, nm, nl);
    if (dup > 0) {
        perr(ps, "duplicate section '[Config %s]' (first at line %d)", c->s[dup].name,
             c->s[dup].line);
        return;
    }
    if (add_section(c, nm, nl, ps->line))
        ps->oom = 1;
    else
        ps->cur = (long)c->n - 1;
}

/* inih reader: hand over one physical line, cleaned up (see top). */
static char *reader(char *str, int num, void *stream)
{
    parser *ps = stream;
    if (ps->p >= ps->end || num < 3)
        return NULL;
    const char *a = ps->p;
    const char *eol = memchr(a, '\n', (size_t)(ps->end - a));
    const char *b = eol ? eol : ps->end;
    ps->p = eol ? eol + 1 : ps->end;
    ps->line++;

    while (a < b && isspace((unsigned char)*a))
        a++;
    if (a < b && (*a == ';' || *a == '#'))
        b = a;
    for (const char *q = a + 1; q < b; q++)
        if ((*q == ';' || *q == '#') && isspace((unsigned char)q[-1])) {
            b = q;
            break;
        }
    while (b > a && isspace((unsigned char)b[-1]))
        b--;
    size_t len = (size_t)(b - a);
    if (len > 0 && *a == '[') {
        section_line(ps, a, len);
        if (len + 2 > (size_t)num)
            len = 0; /* inih's section name is not used */
    } else if (len > 0) {
        size_t k = 0;
        while (k < len && a[k] != '=' && a[k] != ':')
            k++;
        if (k == len || a[k] != '=') {
            perr(ps, "expected 'key = value' or '[section]'");
            len = 0;
        } else if (len + 2 > (size_t)num) {
            ps->long_line = a; /* too long for inih: the handler reads it */
            ps->long_len = len;
            a = "k=v";
            len = 3;
        }
    }
    memcpy(str, a, len);
    str[len] = '\n';
    str[len + 1] = '\0';
    return str;
}

/* Store one key of the current section. */
static void store_key(parser *ps, const char *name, const char *value)
{
    ec_config *c = ps->c;
    if (ps->cur < 0) {
        if (!ps->seen_header)
            perr(ps, "key '%s' before any section header; expected "
                 "'[General]' or '[Config NAME]' first", name);
        return;
    }
    cfg_section *s = &c->s[ps->cur];
    if (name[0] == '\0') {
        perr(ps, "missing key before '='");
        return;
    }
    const cfg_entry *old = find_entry(s->e, s->n, name);
    if (old) {
        perr(ps, "duplicate key '%s' in section '%s%s' (first set at line %d)",
             name, title_prefix(c, s), s->name, old->line);
        return;
    }
    if (ps->cur == 0 && strcmp(name, "extends") == 0) {
        perr(ps, "section 'General' cannot extend other configs");
        return;
    }
    ec_diag why;
    ec_sweep *sw;
    int rc = ec_sweep_parse(value, c->path, ps->line, name, &sw, &why);
    if (rc == EC_ECONFIG) {
        perr_diag(ps, &why);
        return;
    }
    char *k = ec_strndup(name, strlen(name));
    char *v = ec_strndup(value, strlen(value));
    if (rc || !k || !v || ec_grow(&s->e, &s->cap, s->n + 1, sizeof *s->e)) {
        ec_sweep_free(sw);
        free(k);
        free(v);
        ps->oom = 1;
        return;
    }
    s->e[s->n++] = (cfg_entry){ .key = k, .value = v, .sweep = sw,
                                .line = ps->line };
}

/* inih handler: store a key, taking long lines from the reader. */
static int handler(void *user, const char *section, const char *name,
                   const char *value)
{
    (void)section; /* the reader tracks sections */
    parser *ps = user;
    if (!ps->long_line) {
        store_key(ps, name, value);
        return 1;
    }
    const char *a = ps->long_line, *eq = memchr(a, '=', ps->long_len);
    char *lname = ec_strndup_trim(a, (size_t)(eq - a));
    char *lvalue = ec_strndup_trim(eq + 1, ps->long_len - (size_t)(eq + 1 - a));
    ps->long_line = NULL;
    if (lname && lvalue)
        store_key(ps, lname, lvalue);
    else
        ps->oom = 1;
    free(lname);
    free(lvalue);
    return 1;
}

/* ---- inheritance ------------------------------------------------------- */

/* Parse the 'extends' list of section i into its parents. */
static int read_extends(ec_config *c, size_t i, ec_diag *d)
{
    cfg_section *s = &c->s[i];
    const cfg_entry *e = find_entry(s->e, s->n, "extends");
    if (!e)
        return EC_OK;
    s->extends_line = e->line;
    if (ec_sweep_count(e->sweep) > 0)
        return ec_diag_set(d, EC_ECONFIG, c->path, e->line,
                           "key 'extends': cannot be a sweep axis");
    const char *p = e->value, *item;
    size_t len;
    int rc = EC_OK;
    while (!rc && ec_list_next(&p, &item, &len)) {
        char *name = ec_strndup(item, len);
        if (!name)
            return EC_ENOMEM;
        long j = len ? section_index(c, name) : -1;
        if (len == 0)
            rc = ec_diag_set(d, EC_ECONFIG, c->path, e->line, "key 'extends': "
                             "expected a comma-separated list of config "
                             "names, got '%s'", e->value);
        else if (j < 0) {
            ec_suggest sg = EC_SUGGEST_INIT(name);
            for (size_t k = 0; k < c->n; k++)
                ec_suggest_add(&sg, c->s[k].name);
            char hint[128];
            rc = ec_diag_set(d, EC_ECONFIG, c->path, e->line,
                             "section 'Config %s' extends unknown config '%s'%s",
                             s->name, name, ec_suggest_hint(&sg, hint, sizeof hint));
        }
        else if (j > 0 && ec_grow(&s->parents, &s->cap_parents,
                                  s->n_parents + 1, sizeof *s->parents))
            rc = EC_ENOMEM;
        else if (j > 0) {
            s->parents[s->n_parents++] = (size_t)j;
            c->n_links++;
        }
        free(name);
    }
    return rc;
}

/* The message for an extends cycle: stack[from..depth] are the sections on
 * the search path, the last of which extends stack[from]. */
static int cycle_error(const ec_config *c, const size_t *stack, size_t from, size_t depth,
                       ec_diag *d)
{
    char path[700] = "";
    size_t used = 0, m = from;
    for (; m < depth && used < 400; m++) /* names are at most 200 bytes */
        used += (size_t)snprintf(path + used, sizeof path - used, "%s -> ",
                                 c->s[stack[m]].name);
    if (m < depth)
        used += (size_t)snprintf(path + used, sizeof path - used, "(%zu more) -> ",
                                 depth - m);
    used += (size_t)snprintf(path + used, sizeof path - used, "%s -> ",
                             c->s[stack[depth]].name);
    snprintf(path + used, sizeof path - used, "%s", c->s[stack[from]].name);
    const cfg_section *s = &c->s[stack[depth]];
    return ec_diag_set(d, EC_ECONFIG, c->path, s->extends_line,
                       "section 'Config %s' extends itself: %s", s->name, path);
}

/* Depth-first search for an extends cycle through section root, without
 * recursion (an extends chain may be as long as the file): stack[0..depth]
 * is the search path, next[m] the parent of stack[m] to try next, pos[i]
 * the depth of section i while it is on the path.  color: 0 unseen, 1 on
 * the path, 2 done.  O(sections + extends links) over all roots. */
static int find_cycle(const ec_config *c, size_t root, unsigned char *color, size_t *stack,
                      size_t *next, size_t *pos, ec_diag *d)
{
    size_t depth = 0;
    stack[0] = root;
    next[0] = 0;
    pos[root] = 0;
    color[root] = 1;
    for (;;) {
        const cfg_section *s = &c->s[stack[depth]];
        if (next[depth] == s->n_parents) {
            color[stack[depth]] = 2;
            if (depth == 0)
                return EC_OK;
            depth--;
            continue;
        }
        size_t p = s->parents[next[depth]++];
        if (color[p] == 1)
            return cycle_error(c, stack, pos[p], depth, d);
        if (color[p] == 0) {
            depth++;
            stack[depth] = p;
            next[depth] = 0;
            pos[p] = depth;
            color[p] = 1;
        }
    }
}

static int link_sections(ec_config *c, ec_diag *d)
{
    for (size_t i = 1; i < c->n; i++) {
        int rc = read_extends(c, i, d);
        if (rc)
            return rc;
    }
    unsigned char *color = calloc(c->n, 1);
    size_t *stack = calloc(3 * c->n, sizeof *stack);
    int rc = color && stack ? EC_OK : EC_ENOMEM;
    for (size_t i = 1; i < c->n && !rc; i++)
        if (color[i] == 0)
            rc = find_cycle(c, i, color, stack, stack + c->n, stack + 2 * c->n, d);
    free(color);
    free(stack);
    if (rc)
        return rc;
    c->names = malloc(c->n * sizeof *c->names);
    if (!c->names)
        return EC_ENOMEM;
    for (size_t i = 0; i < c->n; i++)
        c->names[i] = c->s[i].name;
    return EC_OK;
}

/* ---- loading ----------------------------------------------------------- */

static ec_config *config_new(const char *name, const char *dir, size_t dirlen)
{
    ec_config *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->path = ec_strndup(name, strlen(name));
    c->dir = ec_strndup(dir, dirlen);
    if (!c->path || !c->dir || add_section(c, "General", 7, 0)) {
        ec_config_free(c);
        return NULL;
    }
    return c;
}

/* Parse len bytes of text (no NUL bytes inside) into c. */
static int parse_text(ec_config *c, const char *text, size_t len, ec_diag *d)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3; /* UTF-8 byte order mark */
        len -= 3;
    }
    parser ps = { .c = c, .p = text, .end = text + len, .cur = -1 };
    ec_diag_clear(&ps.err);
    int r = ini_parse_stream(reader, &ps, handler, &ps);
    if (ps.oom || r < 0)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    if (r > 0 && (ps.err_line == 0 || r < ps.err_line))
        return ec_diag_set(d, EC_ECONFIG, c->path, r,
                           "expected 'key = value' or '[section]'");
    if (ps.err_line) {
        if (d)
            *d = ps.err;
        return EC_ECONFIG;
    }
    return link_sections(c, d);
}

static int load(const char *text, size_t len, const char *name,
                const char *dir, size_t dirlen, ec_config **out, ec_diag *d)
{
    *out = NULL;
    ec_config *c = config_new(name, dir, dirlen);
    if (!c)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    int rc = parse_text(c, text, len, d);
    if (rc) {
        ec_config_free(c);
        return rc;
    }
    *out = c;
    return EC_OK;
}

int ec_config_load(const char *path, ec_config **out, ec_diag *d)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = ec_textfile_read(path, "a config file", EC_ECONFIG, &text, &len, d);
    if (rc)
        return rc;
    long line = ec_textfile_nul_line(text, len);
    if (line) {
        free(text);
        return ec_diag_set(d, EC_ECONFIG, path, line,
                           "NUL byte in the file; expected a text file");
    }
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (slash == path ? 1 : (size_t)(slash - path)) : 0;
    rc = load(text, len, path, path, dirlen, out, d);
    free(text);
    return rc;
}

int ec_config_load_string(const char *text, const char *name,
                          ec_config **out, ec_diag *d)
{
    return load(text, strlen(text), name ? name : "<string>", "", 0, out, d);
}

int ec_config_set(ec_config *c, const char *assignment, ec_diag *d)
{
    const char *eq = strchr(assignment, '=');
    if (!eq)
        return ec_diag_set(d, EC_EUSAGE, NULL, 0,
                           "--set '%s': expected KEY=VALUE", assignment);
    char *key = ec_strndup_trim(assignment, (size_t)(eq - assignment));
    char *value = ec_strndup_trim(eq + 1, strlen(eq + 1));
    ec_sweep *sw = NULL;
    int rc = key && value ? EC_OK : EC_ENOMEM;
    if (!rc && key[0] == '\0')
        rc = ec_diag_set(d, EC_EUSAGE, NULL, 0,
                         "--set '%s': empty key; expected KEY=VALUE", assignment);
    else if (!rc && strcmp(key, "extends") == 0)
        rc = ec_diag_set(d, EC_EUSAGE, NULL, 0, "--set extends: 'extends' "
                         "cannot be set from the command line");
    if (!rc)
        rc = ec_sweep_parse(value, NULL, 0, key, &sw, d);
    cfg_entry *e = NULL;
    if (!rc) {
        e = (cfg_entry *)find_entry(c->set, c->n_set, key);
        if (e)
            entry_clear(e);
        else if (ec_grow(&c->set, &c->cap_set, c->n_set + 1, sizeof *c->set))
            rc = EC_ENOMEM;
        else
            e = &c->set[c->n_set++];
    }
    if (rc) {
        if (rc == EC_ENOMEM)
            ec_diag_set(d, rc, NULL, 0, "out of memory");
        free(key);
        free(value);
        ec_sweep_free(sw);
        return rc;
    }
    *e = (cfg_entry){ .key = key, .value = value, .sweep = sw, .line = 0 };
    return EC_OK;
}

void ec_config_set_key_names(ec_config *c, void (*names)(ec_suggest *sg))
{
    c->key_names = names;
}

void ec_config_free(ec_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        cfg_section *s = &c->s[i];
        for (size_t k = 0; k < s->n; k++)
            entry_clear(&s->e[k]);
        free(s->e);
        free(s->parents);
        free(s->name);
    }
    for (size_t k = 0; k < c->n_set; k++)
        entry_clear(&c->set[k]);
    free(c->set);
    free(c->s);
    free(c->names);
    free(c->slot);
    free(c->path);
    free(c->dir);
    free(c);
}

const char *ec_config_path(const ec_config *c)
{
    return c->path;
}

size_t ec_config_sections(const ec_config *c, const char ***names)
{
    if (names)
        *names = c->names;
    return c->n;
}

/* ---- expansion --------------------------------------------------------- */

/* Append section i and then its parents depth-first, in the order listed
 * (each section once): a pre-order walk on an explicit stack, which holds
 * at most 1 + c->n_links entries since a section pushes its parents only
 * the one time it is appended. */
static void linearize(const ec_config *c, size_t i, unsigned char *seen, size_t *stack,
                      size_t *order, size_t *n)
{
    size_t top = 0;
    stack[top++] = i;
    while (top > 0) {
        size_t j = stack[--top];
        if (seen[j])
            continue;
        seen[j] = 1;
        order[(*n)++] = j;
        for (size_t k = c->s[j].n_parents; k-- > 0;)
            stack[top++] = c->s[j].parents[k];
    }
}

static int is_builtin(const char *key)
{
    return strcmp(key, "extends") == 0 || strcmp(key, "seed") == 0 ||
           strcmp(key, "repeat") == 0;
}

/* What check says about key, normalised; built-in keys are PLAIN. */
static int key_kind(ec_config_key_check check, void *ctx, const char *key)
{
    if (is_builtin(key) || !check)
        return EC_CONFIG_KEY_PLAIN;
    int k = check(key, ctx);
    if (k == EC_CONFIG_KEY_UNKNOWN || k == EC_CONFIG_KEY_PATH || k == EC_CONFIG_KEY_NAME_OR_PATH)
        return k;
    return EC_CONFIG_KEY_PLAIN;
}

/* Consider the key cand as a suggestion for an unknown key. */
static void suggest(ec_suggest *sg, const char *cand, ec_config_key_check check, void *ctx)
{
    if (key_kind(check, ctx, cand) != EC_CONFIG_KEY_UNKNOWN)
        ec_suggest_add(sg, cand);
}

/* Report the unknown key bad, with a known key of the config as a hint. */
static int unknown_key(const ec_config *c, const cfg_entry *bad,
                       ec_config_key_check check, void *ctx, ec_diag *d)
{
    ec_suggest sg = EC_SUGGEST_INIT(bad->key);
    static const char *const builtins[] = { "extends", "seed", "repeat" };
    for (size_t i = 0; i < 3; i++)
        suggest(&sg, builtins[i], check, ctx);
    for (size_t i = 0; i < c->n; i++)
        for (size_t k = 0; k < c->s[i].n; k++)
            suggest(&sg, c->s[i].e[k].key, check, ctx);
    for (size_t k = 0; k < c->n_set; k++)
        suggest(&sg, c->set[k].key, check, ctx);
    if (c->key_names)
        c->key_names(&sg);
    char hint[128];
    ec_suggest_hint(&sg, hint, sizeof hint);
    if (bad->line == 0)
        return ec_diag_set(d, EC_ECONFIG, NULL, 0, "--set %s: unknown key "
                           "'%s'%s", bad->key, bad->key, hint);
    return ec_diag_set(d, EC_ECONFIG, c->path, bad->line,
                       "unknown key '%s'%s", bad->key, hint);
}

/* Check every key of the sections in order[] and every --set key. */
static int check_keys(const ec_config *c, const size_t *order, size_t n_order,
                      ec_config_key_check check, void *ctx, ec_diag *d)
{
    const cfg_entry *bad = NULL;
    for (size_t i = 0; i < n_order; i++) {
        const cfg_section *s = &c->s[order[i]];
        for (size_t k = 0; k < s->n; k++) {
            const cfg_entry *e = &s->e[k];
            if ((!bad || e->line < bad->line) &&
                key_kind(check, ctx, e->key) == EC_CONFIG_KEY_UNKNOWN)
                bad = e;
        }
    }
    for (size_t k = 0; k < c->n_set && !bad; k++)
        if (key_kind(check, ctx, c->set[k].key) == EC_CONFIG_KEY_UNKNOWN)
            bad = &c->set[k];
    return bad ? unknown_key(c, bad, check, ctx, d) : EC_OK;
}

static int has_key(const ec_sweep_key *keys, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(keys[i].key, key) == 0)
            return 1;
    return 0;
}

/* Append e's key to keys unless present (other fields are set later). */
static int add_key(ec_sweep_key **keys, size_t *n, size_t *cap,
                   const cfg_entry *e)
{
    if (strcmp(e->key, "extends") == 0 || has_key(*keys, *n, e->key))
        return EC_OK;
    if (ec_grow(keys, cap, *n + 1, sizeof **keys))
        return EC_ENOMEM;
    (*keys)[(*n)++] = (ec_sweep_key){ .key = e->key };
    return EC_OK;
}

/* Build the keys in configOrder with their winning entries. */
static int order_keys(const ec_config *c, const size_t *order, size_t n_order,
                      ec_config_key_check check, void *ctx,
                      ec_sweep_key **keys, size_t *n)
{
    size_t cap = 0;
    *keys = NULL;
    *n = 0;
    for (size_t i = n_order; i-- > 0;) {
        const cfg_section *s = &c->s[order[i]];
        for (size_t k = 0; k < s->n; k++)
            if (add_key(keys, n, &cap, &s->e[k]))
                return EC_ENOMEM;
    }
    for (size_t k = 0; k < c->n_set; k++)
        if (add_key(keys, n, &cap, &c->set[k]))
            return EC_ENOMEM;
    for (size_t k = 0; k < *n; k++) {
        ec_sweep_key *key = &(*keys)[k];
        const cfg_entry *e = find_entry(c->set, c->n_set, key->key);
        int from_set = e != NULL;
        for (size_t i = 0; !e && i < n_order; i++)
            e = find_entry(c->s[order[i]].e, c->s[order[i]].n, key->key);
        key->value = e->sweep;
        key->file = from_set ? EC_CONFIG_CMDLINE : c->path;
        key->line = e->line;
        key->dir = from_set ? "" : c->dir;
        key->kind = key_kind(check, ctx, key->key);
    }
    return EC_OK;
}

static int unknown_section(const ec_config *c, const char *section, ec_diag *d)
{
    char list[700], hint[128];
    size_t used = 0;
    list[0] = '\0';
    ec_suggest sg = EC_SUGGEST_INIT(section);
    for (size_t i = 0; i < c->n; i++) {
        ec_suggest_add(&sg, c->s[i].name);
        if (used < 400)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                     c->s[i].name);
        else if (i + 1 == c->n)
            snprintf(list + used, sizeof list - used, ", ... (%zu in all)", c->n);
    }
    return ec_diag_set(d, EC_ENOTFOUND, c->path, 0, "unknown config '%s'; available: %s%s",
                       section, list, ec_suggest_hint(&sg, hint, sizeof hint));
}

int ec_config_expand(const ec_config *c, const char *section,
                     ec_config_key_check check, void *ctx,
                     ec_runlist **out, ec_diag *d)
{
    *out = NULL;
    long idx = section_index(c, section ? section : "General");
    if (idx < 0)
        return unknown_section(c, section, d);
    size_t *order = malloc((c->n + 1 + c->n_links) * sizeof *order), n_order = 0;
    unsigned char *seen = calloc(c->n, 1);
    ec_sweep_key *keys = NULL;
    size_t n_keys = 0;
    int rc = order && seen ? EC_OK : EC_ENOMEM;
    if (!rc) {
        linearize(c, (size_t)idx, seen, order + c->n, order, &n_order);
        if (!seen[0])
            order[n_order++] = 0;
        rc = check_keys(c, order, n_order, check, ctx, d);
    }
    if (!rc)
        rc = order_keys(c, order, n_order, check, ctx, &keys, &n_keys);
    if (rc == EC_ENOMEM)
        ec_diag_set(d, rc, NULL, 0, "out of memory");
    if (!rc)
        rc = ec_sweep_expand(c->s[idx].name, c->path, keys, n_keys, out, d);
    free(keys);
    free(order);
    free(seen);
    return rc;
}
