/* testdb: reading results databases in tests (SQLite, read-only). */
#ifndef EC_TESTDB_H
#define EC_TESTDB_H

#include <check.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>

/* The first column of the first row of sql on the database at db: as a
 * number (NaN when there is no row) and, when text is not NULL, as text
 * ("" when there is no row).  A database or query error fails the test. */
static inline double tdb_row(const char *db, const char *sql, char *text, size_t n)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(h));
    int row = sqlite3_step(st) == SQLITE_ROW;
    /* the text first: asking for a double converts a text value in place */
    if (text) {
        const unsigned char *t = row ? sqlite3_column_text(st, 0) : NULL;
        snprintf(text, n, "%s", t ? (const char *)t : "");
    }
    double v = row ? sqlite3_column_double(st, 0) : NAN;
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

/* tdb_row as a number. */
static inline double tdb_num(const char *db, const char *sql)
{
    return tdb_row(db, sql, NULL, 0);
}

/* The number sql gives on the database at db while another process may be
 * writing it: NaN when the database is not there yet, cannot be read or
 * the query has no row (never fails the test). */
static inline double tdb_poll(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    double v = NAN;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_double(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return v;
}

/* tdb_row as text. */
static inline void tdb_text(const char *db, const char *sql, char *text, size_t n)
{
    tdb_row(db, sql, text, n);
}

#endif
