#include "store/thread_codecs.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "store/sqlite.h"

namespace caploop {

ThreadCodecs::ThreadCodecs(WorkspaceDb& ws, unsigned threads) : ws_(ws) {
  for (unsigned i = 0; i < std::max(1u, threads); ++i) codecs_.push_back(std::make_unique<TextCodec>());
}

ThreadCodecs::~ThreadCodecs() = default;

void ThreadCodecs::load(int64_t dictionary) {
  if (dictionary == 0 || codecs_.front()->has_dictionary(dictionary)) return;
  Statement d(ws_.db(), "SELECT body FROM main.dictionaries WHERE id = ?");
  d.bind(1, dictionary);
  if (!d.step()) throw Error(ErrorKind::kStore, fmt::format("dictionaries: no dictionary {}", dictionary));
  for (auto& codec : codecs_) codec->add_dictionary(dictionary, d.blob(0));
}

std::string ThreadCodecs::decode(std::string_view body, int64_t dictionary, unsigned worker) {
  return codecs_.at(worker)->decode(body, false, dictionary);
}

}  // namespace caploop
