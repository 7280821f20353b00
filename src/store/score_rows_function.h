// caploop_score_rows(body): an SQL table-valued function that unpacks one packed score set (store/score_set.h) into
// a row per response, so that the `scores` view (docs/workspace.md) reads the packed sets as the table of one row
// per response and rule that SQL users and older queries know.
//
// Contract: register_score_rows_function() adds the function to one connection (an eponymous-only virtual table,
// read-only). Its columns: response_id, found, answer, correct, ending, ending_evidence (by name), ran_on,
// truncated, repetitive (0/1), item_id, sample_index, in the order packed. A NULL body gives no rows; a damaged
// one fails the query with the decoder's message.
#pragma once

#include <sqlite3.h>

namespace caploop {

void register_score_rows_function(sqlite3* db);  // throws Error(kStore) if SQLite refuses it

}  // namespace caploop
