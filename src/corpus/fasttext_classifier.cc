#include "corpus/fasttext_classifier.h"

#include <fasttext/fasttext.h>
#include <fmt/format.h>

#include <sstream>

#include "core/error.h"

namespace caploop::corpus {

struct FastTextClassifier::Impl {
  fasttext::FastText model;
};

FastTextClassifier::FastTextClassifier(const std::filesystem::path& model) : impl_(std::make_unique<Impl>()) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(model, ec))
    throw Error(ErrorKind::kNotFound, "fastText model file not found", {model.string(), 0, "model"});
  try {
    impl_->model.loadModel(model.string());
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kInput, fmt::format("not a fastText model: {}", e.what()), {model.string(), 0, "model"});
  }
}

FastTextClassifier::~FastTextClassifier() = default;

std::vector<std::pair<std::string, double>> FastTextClassifier::predict(std::string_view text, int k,
                                                                        double min_score) const {
  std::string flat(text);
  for (char& c : flat)
    if (c == '\n' || c == '\r') c = ' ';
  flat += '\n';
  std::istringstream in(flat);
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  impl_->model.predictLine(in, predictions, k, static_cast<fasttext::real>(min_score));
  std::vector<std::pair<std::string, double>> out;
  out.reserve(predictions.size());
  for (auto& [p, label] : predictions) out.emplace_back(std::move(label), static_cast<double>(p));
  return out;
}

}  // namespace caploop::corpus
