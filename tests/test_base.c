/* sim/base/text.h: copies, trimmed copies, comma lists and growing arrays,
 * at their edges (empty text, white space only, empty items, a size that
 * overflows). */
#include "sim/base/diag.h"
#include "sim/base/text.h"

#include "testutil.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The items ec_list_next gives for text, joined as "[a][b]..." into buf;
 * also checks that ec_list_count agrees and that the list ends with a NULL
 * cursor. */
static const char *items(const char *text, char *buf, size_t size)
{
    const char *p = text, *item;
    size_t len, n = 0, used = 0;
    buf[0] = '\0';
    while (ec_list_next(&p, &item, &len)) {
        used += (size_t)snprintf(buf + used, size - used, "[%.*s]", (int)len, item);
        n++;
    }
    ck_assert_ptr_null(p);
    ck_assert_int_eq(ec_list_next(&p, &item, &len), 0);
    ck_assert_uint_eq(ec_list_count(text), n);
    return buf;
}

START_TEST(strndup_copies_and_terminates)
{
    char *s = ec_strndup("abcdef", 3);
    ck_assert_str_eq(s, "abc");
    free(s);
    s = ec_strndup("abc", 0);
    ck_assert_str_eq(s, "");
    free(s);
    s = ec_strndup("a\0b", 3); /* a NUL inside is copied, not a stop */
    ck_assert_int_eq(memcmp(s, "a\0b", 4), 0);
    free(s);
    s = ec_strdup("xyz");
    ck_assert_str_eq(s, "xyz");
    free(s);
    ck_assert_ptr_null(ec_strdup(NULL));
}
END_TEST

START_TEST(strndup_trim_cuts_white_space)
{
    static const struct { const char *in, *out; } cases[] = {
        { "  a b \t", "a b" }, { "", "" }, { " \t\n ", "" }, { "x", "x" },
        { "\va\f", "a" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *s = ec_strndup_trim(cases[i].in, strlen(cases[i].in));
        ck_assert_msg(strcmp(s, cases[i].out) == 0, "'%s' -> '%s'", cases[i].in, s);
        free(s);
    }
    char *s = ec_strndup_trim(" ab  cd", 4); /* only the first len bytes */
    ck_assert_str_eq(s, "ab");
    free(s);
}
END_TEST

/* Items are trimmed; empty ones (an empty or blank text, ",,", a comma at
 * either end, a blank between commas) are kept, with len 0. */
START_TEST(list_items_trimmed_and_empty_kept)
{
    static const struct { const char *text, *items; } cases[] = {
        { "a", "[a]" }, { " a , b\t,c ", "[a][b][c]" }, { "a b, c", "[a b][c]" },
        { "", "[]" }, { "   ", "[]" }, { "a,", "[a][]" }, { ",a", "[][a]" },
        { ",,", "[][][]" }, { "a, ,b", "[a][][b]" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[256];
        ck_assert_msg(strcmp(items(cases[i].text, buf, sizeof buf), cases[i].items) == 0,
                      "'%s' -> %s", cases[i].text, buf);
    }
}
END_TEST

START_TEST(list_items_point_into_the_text)
{
    const char *text = "ab, cd", *p = text, *item;
    size_t len;
    ck_assert_int_eq(ec_list_next(&p, &item, &len), 1);
    ck_assert_ptr_eq(item, text);
    ck_assert_uint_eq(len, 2);
    ck_assert_int_eq(ec_list_next(&p, &item, &len), 1);
    ck_assert_ptr_eq(item, text + 4);
    ck_assert_uint_eq(len, 2);
}
END_TEST

START_TEST(grow_doubles_and_keeps_contents)
{
    int *a = NULL;
    size_t cap = 0;
    ck_assert_int_eq(ec_grow(&a, &cap, 0, sizeof *a), EC_OK); /* nothing needed */
    ck_assert_ptr_null(a);
    ck_assert_uint_eq(cap, 0);
    for (int i = 0; i < 1000; i++) {
        ck_assert_int_eq(ec_grow(&a, &cap, (size_t)i + 1, sizeof *a), EC_OK);
        ck_assert_uint_ge(cap, (size_t)i + 1);
        ck_assert_uint_le(cap, 2 * ((size_t)i + 1) > 4 ? 2 * ((size_t)i + 1) : 4);
        a[i] = i;
    }
    for (int i = 0; i < 1000; i++)
        ck_assert_int_eq(a[i], i);
    int *same = a;
    size_t old = cap;
    ck_assert_int_eq(ec_grow(&a, &cap, 10, sizeof *a), EC_OK); /* already room */
    ck_assert_ptr_eq(a, same);
    ck_assert_uint_eq(cap, old);
    ck_assert_int_eq(ec_grow(&a, &cap, cap + 1, sizeof *a), EC_OK);
    ck_assert_uint_eq(cap, 2 * old);
    free(a);
}
END_TEST

START_TEST(grow_refuses_sizes_that_overflow)
{
    double *a = NULL;
    size_t cap = 0;
    ck_assert_int_eq(ec_grow(&a, &cap, 3, sizeof *a), EC_OK);
    double *before = a;
    size_t old = cap;
    /* need * size past SIZE_MAX: refused, the array left as it was */
    ck_assert_int_eq(ec_grow(&a, &cap, SIZE_MAX / sizeof *a + 1, sizeof *a), EC_ENOMEM);
    ck_assert_int_eq(ec_grow(&a, &cap, SIZE_MAX, sizeof *a), EC_ENOMEM);
    ck_assert_ptr_eq(a, before);
    ck_assert_uint_eq(cap, old);
    free(a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("base");
    TCase *tc = tcase_create("text");
    tcase_add_test(tc, strndup_copies_and_terminates);
    tcase_add_test(tc, strndup_trim_cuts_white_space);
    tcase_add_test(tc, list_items_trimmed_and_empty_kept);
    tcase_add_test(tc, list_items_point_into_the_text);
    tcase_add_test(tc, grow_doubles_and_keeps_contents);
    tcase_add_test(tc, grow_refuses_sizes_that_overflow);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
