#include "store/item_encoder.h"

#include <algorithm>
#include <cstring>

namespace caploop {

ItemEncoder::ItemEncoder(WorkspaceDb& ws)
    : codec_([this](int64_t id) -> std::optional<std::string> {
        auto it = dictionary_bytes_.find(id);
        if (it == dictionary_bytes_.end()) return std::nullopt;
        return it->second;
      }) {
  Statement st(ws.db(), "SELECT id, benchmark, task, body FROM main.dictionaries ORDER BY id");
  while (st.step()) {
    int64_t id = st.int64(0);
    dictionaries_[{st.str(1), st.str(2)}] = id;
    dictionary_bytes_[id] = std::string(st.blob(3));
    next_dictionary_id_ = std::max(next_dictionary_id_, id + 1);
  }
}

size_t ItemEncoder::BodyKeyHash::operator()(const BodyKey& k) const {
  size_t h;
  std::memcpy(&h, k.digest.data(), sizeof h);  // a digest's bytes are uniformly random
  return h ^ static_cast<size_t>(k.dictionary);
}

EncodedItem ItemEncoder::encode(ItemRecord item, std::vector<ResponseRecord> responses) {
  EncodedItem out;
  if (item.benchmark != current_task_.first || item.task != current_task_.second || current_dictionary_ == 0) {
    current_task_ = {item.benchmark, item.task};
    auto it = dictionaries_.find(current_task_);
    if (it != dictionaries_.end()) {
      current_dictionary_ = it->second;
    } else {
      std::vector<std::string_view> texts;
      for (const auto& r : responses) texts.push_back(r.text);
      current_dictionary_ = next_dictionary_id_++;
      dictionaries_.emplace(current_task_, current_dictionary_);
      out.new_dictionary = task_dictionary_bytes(item.prompt, texts);
      dictionary_bytes_[current_dictionary_] = out.new_dictionary;
    }
  }
  out.dictionary = current_dictionary_;
  out.item = std::move(item);
  out.content_digest = out.item.question.empty() ? text_digest(out.item.prompt) : text_digest(out.item.question);
  out.metadata_digest = text_digest(out.metadata());
  out.prompt_digest = out.item.question.empty() ? out.content_digest : text_digest(out.item.prompt);
  out.reference_digest = text_digest(out.item.reference);
  out.bodies.reserve(responses.size());
  for (ResponseRecord& r : responses) {
    BodyKey key{out.dictionary, text_digest(r.text)};
    if (auto it = bodies_.find(key); it != bodies_.end()) {
      out.bodies.push_back({false, it->second});
    } else {
      TextCodec::Encoded e = codec_.encode(r.text, out.dictionary);
      if (e.raw) {
        out.bodies.push_back({true, std::move(r.text)});
      } else {
        out.bodies.push_back({false, std::string(e.body)});
        if (body_bytes_ + e.body.size() <= kMaxReusedBodyBytes) {
          body_bytes_ += e.body.size();
          bodies_.emplace(key, out.bodies.back().body);
        }
      }
    }
    r.text = std::string();
  }
  out.responses = std::move(responses);
  return out;
}

}  // namespace caploop
