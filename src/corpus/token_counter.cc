#include "corpus/token_counter.h"

#include <fmt/format.h>
#include <sentencepiece_processor.h>

#include <vector>

#include "core/error.h"
#include "core/fnv1a.h"
#include "corpus/corpus_stats.h"
#include "io/line_reader.h"

namespace caploop::corpus {

TokenCounter::TokenCounter() : id_(kEstimateTokenizer) {}

TokenCounter::TokenCounter(const std::filesystem::path& sentencepiece_model) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(sentencepiece_model, ec))
    throw Error(ErrorKind::kNotFound, "tokenizer model not found", {sentencepiece_model.string(), 0, ""});
  std::string bytes = read_whole_file(sentencepiece_model, size_t{1} << 30);
  processor_ = std::make_unique<sentencepiece::SentencePieceProcessor>();
  auto status = processor_->LoadFromSerializedProto(bytes);
  if (!status.ok())
    throw_input_error(fmt::format("not a sentencepiece model: {}", status.ToString()),
                      {sentencepiece_model.string(), 0, ""});
  id_ = fmt::format("sentencepiece:{}@{:016x}", sentencepiece_model.filename().string(), fnv1a64(bytes));
}

TokenCounter::~TokenCounter() = default;

uint64_t TokenCounter::count(std::string_view text) const {
  if (!processor_) return estimate_tokens(text.size());
  thread_local std::vector<int> ids;
  ids.clear();
  auto status = processor_->Encode(text, &ids);
  if (!status.ok())
    throw Error(ErrorKind::kInput, fmt::format("sentencepiece cannot encode a document: {}", status.ToString()));
  return ids.size();
}

}  // namespace caploop::corpus
