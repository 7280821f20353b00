// FastTextClassifier: a fastText supervised model (libfasttext, Debian package libfasttext-dev) used as a
// document tagger.
//
// Contract: the constructor loads the model file and throws caploop::Error (kNotFound / kInput) naming the
// file when it is missing or not a fastText model. predict() returns up to k (label, probability) pairs with
// probability >= min_score, best first; new lines in the text are read as spaces (fastText treats a new line
// as the end of the input). Immutable after loading; predict() is thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace caploop::corpus {

class FastTextClassifier {
 public:
  explicit FastTextClassifier(const std::filesystem::path& model);
  ~FastTextClassifier();
  FastTextClassifier(const FastTextClassifier&) = delete;
  FastTextClassifier& operator=(const FastTextClassifier&) = delete;

  std::vector<std::pair<std::string, double>> predict(std::string_view text, int k, double min_score) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace caploop::corpus
