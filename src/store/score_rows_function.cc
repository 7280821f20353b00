#include "store/score_rows_function.h"

#include <exception>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "eval/ending.h"
#include "store/score_set.h"

namespace caploop {

namespace {

enum Column {
  kResponseId,
  kFound,
  kAnswer,
  kCorrect,
  kEnding,
  kEvidence,
  kRanOn,
  kTruncated,
  kRepetitive,
  kItemId,
  kSampleIndex,
  kBody
};

struct Cursor {
  sqlite3_vtab_cursor base;  // first: SQLite sees a sqlite3_vtab_cursor*
  std::vector<SampleScore> rows;
  size_t at = 0;
};

int connect(sqlite3* db, void*, int, const char* const*, sqlite3_vtab** out, char**) {
  int rc = sqlite3_declare_vtab(db,
                                "CREATE TABLE x(response_id, found, answer, correct, ending, ending_evidence, ran_on, "
                                "truncated, repetitive, item_id, sample_index, body HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  auto* table = static_cast<sqlite3_vtab*>(sqlite3_malloc(sizeof(sqlite3_vtab)));
  if (table == nullptr) return SQLITE_NOMEM;
  *table = sqlite3_vtab{};
  *out = table;
  sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  return SQLITE_OK;
}

int disconnect(sqlite3_vtab* table) {
  sqlite3_free(table);
  return SQLITE_OK;
}

// The body argument is an equality constraint on the hidden column: usable, it is the only plan.
int best_index(sqlite3_vtab*, sqlite3_index_info* info) {
  bool unusable = false;
  for (int i = 0; i < info->nConstraint; ++i) {
    const auto& c = info->aConstraint[i];
    if (c.iColumn != kBody || c.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!c.usable) {
      unusable = true;
      continue;
    }
    info->aConstraintUsage[i].argvIndex = 1;
    info->aConstraintUsage[i].omit = 1;
    info->idxNum = 1;
    info->estimatedCost = 1000;
    info->estimatedRows = 1000;
    return SQLITE_OK;
  }
  if (unusable) return SQLITE_CONSTRAINT;
  info->idxNum = 0;  // no body given: no rows
  info->estimatedCost = 1e12;
  return SQLITE_OK;
}

int open(sqlite3_vtab*, sqlite3_vtab_cursor** out) {
  auto* cursor = new (std::nothrow) Cursor{};
  if (cursor == nullptr) return SQLITE_NOMEM;
  *out = &cursor->base;
  return SQLITE_OK;
}

int close(sqlite3_vtab_cursor* base) {
  delete reinterpret_cast<Cursor*>(base);
  return SQLITE_OK;
}

int filter(sqlite3_vtab_cursor* base, int idx_num, const char*, int argc, sqlite3_value** argv) {
  auto* cursor = reinterpret_cast<Cursor*>(base);
  cursor->rows.clear();
  cursor->at = 0;
  if (idx_num != 1 || argc != 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) return SQLITE_OK;
  std::string_view blob(static_cast<const char*>(sqlite3_value_blob(argv[0])),
                        static_cast<size_t>(sqlite3_value_bytes(argv[0])));
  try {
    decode_score_set(blob, cursor->rows, "score_sets.body");
  } catch (const std::exception& e) {
    sqlite3_free(base->pVtab->zErrMsg);
    base->pVtab->zErrMsg = sqlite3_mprintf("%s", e.what());
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

int next(sqlite3_vtab_cursor* base) {
  ++reinterpret_cast<Cursor*>(base)->at;
  return SQLITE_OK;
}

int eof(sqlite3_vtab_cursor* base) {
  auto* cursor = reinterpret_cast<Cursor*>(base);
  return cursor->at >= cursor->rows.size();
}

void text_result(sqlite3_context* ctx, std::string_view text) {
  sqlite3_result_text64(ctx, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

int column(sqlite3_vtab_cursor* base, sqlite3_context* ctx, int column) {
  const SampleScore& s = reinterpret_cast<Cursor*>(base)->rows[reinterpret_cast<Cursor*>(base)->at];
  switch (column) {
    case kResponseId:
      sqlite3_result_int64(ctx, s.response_id);
      break;
    case kFound:
      sqlite3_result_int(ctx, s.found);
      break;
    case kAnswer:
      text_result(ctx, s.answer);
      break;
    case kCorrect:
      sqlite3_result_int(ctx, s.correct);
      break;
    case kEnding:
      text_result(ctx, ending_name(s.ending));
      break;
    case kEvidence:
      text_result(ctx, evidence_name(s.evidence));
      break;
    case kRanOn:
      sqlite3_result_int(ctx, s.ran_on);
      break;
    case kTruncated:
      sqlite3_result_int(ctx, s.truncated);
      break;
    case kRepetitive:
      sqlite3_result_int(ctx, s.repetitive);
      break;
    case kItemId:
      sqlite3_result_int64(ctx, s.item_id);
      break;
    case kSampleIndex:
      sqlite3_result_int64(ctx, s.sample_index);
      break;
    default:
      sqlite3_result_null(ctx);
  }
  return SQLITE_OK;
}

int rowid(sqlite3_vtab_cursor* base, sqlite3_int64* out) {
  *out = static_cast<sqlite3_int64>(reinterpret_cast<Cursor*>(base)->at);
  return SQLITE_OK;
}

sqlite3_module make_module() {
  sqlite3_module m{};
  m.iVersion = 0;
  m.xCreate = nullptr;  // eponymous-only: usable as caploop_score_rows(...) without CREATE VIRTUAL TABLE
  m.xConnect = connect;
  m.xBestIndex = best_index;
  m.xDisconnect = disconnect;
  m.xDestroy = disconnect;
  m.xOpen = open;
  m.xClose = close;
  m.xFilter = filter;
  m.xNext = next;
  m.xEof = eof;
  m.xColumn = column;
  m.xRowid = rowid;
  return m;
}

const sqlite3_module kModule = make_module();

}  // namespace

void register_score_rows_function(sqlite3* db) {
  if (sqlite3_create_module_v2(db, "caploop_score_rows", &kModule, nullptr, nullptr) != SQLITE_OK) {
    throw Error(ErrorKind::kStore, std::string("cannot register caploop_score_rows: ") + sqlite3_errmsg(db));
  }
}

}  // namespace caploop
