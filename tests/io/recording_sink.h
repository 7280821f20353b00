// Test helpers for the importers: a sink that records what it is given, and a check that a call fails
// with a caploop::Error of kind kInput at an expected file, line and field.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "io/ingest_records.h"

namespace caploop::testing {

class RecordingSink : public IngestSink {
 public:
  struct Item {
    ItemRecord item;
    std::vector<ResponseRecord> responses;
  };

  void begin_run(const RunInfo& run) override {
    ++runs_begun;
    run_info = run;
  }
  void add_item(const ItemRecord& item, std::vector<ResponseRecord> responses) override {
    EXPECT_EQ(runs_begun, 1) << "add_item before begin_run";
    items.push_back({item, std::move(responses)});
  }

  // The item with this task and source id; fails the test when there is none.
  const Item& find(const std::string& task, const std::string& source_id) const {
    for (const Item& i : items) {
      if (i.item.task == task && i.item.source_id == source_id) return i;
    }
    ADD_FAILURE() << "no item " << task << "/" << source_id;
    static const Item kNone;
    return kNone;
  }

  int runs_begun = 0;
  RunInfo run_info;
  std::vector<Item> items;
};

// Runs `call` and checks it throws a kInput error whose location has a file ending in `file_suffix`, the
// given line, and the given field; the message must mention `message_part` when that is non-empty.
inline void expect_input_error(const std::function<void()>& call, const std::string& file_suffix, int64_t line,
                               const std::string& field, const std::string& message_part = "") {
  try {
    call();
    ADD_FAILURE() << "expected an input error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput) << e.what();
    EXPECT_TRUE(e.where().file.ends_with(file_suffix)) << e.where().file << " vs " << file_suffix;
    EXPECT_EQ(e.where().line, line) << e.what();
    EXPECT_EQ(e.where().field, field) << e.what();
    if (!message_part.empty()) {
      EXPECT_NE(e.message().find(message_part), std::string::npos) << e.what();
    }
    // what() is what the user sees: it must name the file, and the field when there is one.
    EXPECT_NE(std::string(e.what()).find(e.where().file), std::string::npos);
    if (!field.empty()) {
      EXPECT_NE(std::string(e.what()).find("'" + field + "'"), std::string::npos) << e.what();
    }
  }
}

}  // namespace caploop::testing
