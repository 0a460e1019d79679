/* stmt.h — statements, for the stores of core/db/ only: preparing, mapping
 * sqlite's result codes to db_rc. Nothing outside core/db/ includes this
 * file or <sqlite3.h> (make lint checks). */
#ifndef ITAKU_CORE_DB_STMT_H
#define ITAKU_CORE_DB_STMT_H

#include "core/db/db.h"

#include <jansson.h>
#include <sqlite3.h>

/* Maps a sqlite result code to db_rc, logging unexpected errors. */
db_rc db_result(db_conn *db, int rc);

/* A prepared statement (the caller sqlite3_finalize()s), NULL on error
 * (logged). */
sqlite3_stmt *db_prepare(db_conn *db, const char *sql);

/* Steps a prepared statement to the end and collects row(st) of every row
 * into a new JSON array, *out (the caller's). Always finalizes st. A row
 * function returning NULL (out of memory) fails the whole list.
 * Transitional: stores return data, the API builds its JSON. */
db_rc db_rows_json(db_conn *db, sqlite3_stmt *st, json_t *(*row)(sqlite3_stmt *st), json_t **out);

#endif
