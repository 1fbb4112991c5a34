#pragma once
#include <sqlite3.h>

/* sqlite3_bind_text/blob with SQLITE_TRANSIENT (a macro Swift cannot import). */
int csqlite_bind_text(sqlite3_stmt *statement, int index, const char *text, int length);
int csqlite_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int length);
