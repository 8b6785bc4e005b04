/* text: strings, comma lists and growing arrays (see text.h). */
#include "sim/base/text.h"

#include "sim/base/diag.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

char *ec_strndup(const char *s, size_t len)
{
    char *r = malloc(len + 1);
    if (r) {
        memcpy(r, s, len);
        r[len] = '\0';
    }
    return r;
}

char *ec_strdup(const char *s)
{
    return s ? ec_strndup(s, strlen(s)) : NULL;
}

/* s[0..*len) without surrounding white space: its new start, *len updated. */
static const char *trim(const char *s, size_t *len)
{
    while (*len > 0 && isspace((unsigned char)*s)) {
        s++;
        --*len;
    }
    while (*len > 0 && isspace((unsigned char)s[*len - 1]))
        --*len;
    return s;
}

char *ec_strndup_trim(const char *s, size_t len)
{
    s = trim(s, &len);
    return ec_strndup(s, len);
}

int ec_list_next(const char **p, const char **item, size_t *len)
{
    const char *s = *p;
    if (!s)
        return 0;
    const char *comma = strchr(s, ',');
    size_t n = comma ? (size_t)(comma - s) : strlen(s);
    *item = trim(s, &n);
    *len = n;
    *p = comma ? comma + 1 : NULL;
    return 1;
}

size_t ec_list_count(const char *text)
{
    const char *p = text, *item;
    size_t len, n = 0;
    while (ec_list_next(&p, &item, &len))
        n++;
    return n;
}

int ec_grow(void *arrp, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return EC_OK;
    size_t n = *cap ? *cap : 4;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : 2 * n;
    if (n > SIZE_MAX / size)
        n = need; /* doubling overshoots what a size_t can count: just need */
    if (n > SIZE_MAX / size)
        return EC_ENOMEM;
    /* arrp points to a T *: read and write it as bytes, not through a void ** */
    void *arr;
    memcpy(&arr, arrp, sizeof arr);
    void *grown = realloc(arr, n * size);
    if (!grown)
        return EC_ENOMEM;
    memcpy(arrp, &grown, sizeof grown);
    *cap = n;
    return EC_OK;
}
