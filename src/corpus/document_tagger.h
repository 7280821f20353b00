// DocumentTagger: assigns a document its tags under a DataTaxonomy, running every tagger the taxonomy
// configures (metadata, fastText, rules, heuristics) with one byte-class scan per document feeding both the
// metrics and the keyword lookups, then one pattern scan.
//
// Contract: built once per run from a taxonomy (loading any fastText models; errors throw caploop::Error);
// then tag() is const and thread-safe, each thread passing its own TagScratch. Axes are decided in
// declaration order. On an exclusive axis the winner is the fired tag from the highest-priority tagger kind
// (metadata > fastText > rules > heuristics), then the highest score, then the earliest declared; when none
// fired, the axis's default tag (score 0). On other axes every fired tag is kept. A rule with `requires`
// runs only when that tag was already assigned. Results are sorted by (axis, tag), so output is deterministic.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/data_taxonomy.h"
#include "corpus/fasttext_classifier.h"
#include "corpus/pattern_scanner.h"
#include "corpus/text_metrics.h"

namespace caploop::corpus {

struct TagHit {
  TagRef tag;
  double score = 0.0;  // rules: (weighted) matches per 1000 words x weight; fastText: probability; others: 1
};

// What a tagger may look at: the text, the input path, and the values of the metadata fields the taxonomy
// names (in the order of DocumentTagger::metadata_fields(); nullopt when the document lacks the field).
struct DocumentView {
  std::string_view text;
  std::string_view path;
  const std::vector<std::optional<std::string>>* fields = nullptr;
};

// A tag some tagger fired for an axis, before the axis is decided.
struct TagCandidate {
  int priority;  // metadata 3, fastText 2, rules 1, heuristics 0
  double score;
  int order;
  TagRef tag;
};

struct TagScratch {
  ByteClassScan bytes;  // the text's byte classes, shared by the metrics and the keyword lookups
  ScanScratch scan;
  TextMetricsScratch metrics;
  TextMetrics metrics_values{};  // the metrics of the document last tagged with this scratch
  std::vector<uint32_t> counts;
  std::vector<double> weighted;  // per pattern group: sum of match weights
  std::vector<uint8_t> assigned;
  std::vector<TagCandidate> candidates, fasttext_candidates;
  // Which metadata taggers on the input path matched, for the path last seen (a shard's documents share it).
  std::string matched_path;
  std::vector<int8_t> path_matches;  // per metadata tagger: -1 unknown, 0 no, 1 yes
};

class DocumentTagger {
 public:
  explicit DocumentTagger(std::shared_ptr<const DataTaxonomy> taxonomy);
  ~DocumentTagger();

  const DataTaxonomy& taxonomy() const { return *taxonomy_; }
  // Document fields (dotted paths) the metadata taggers read, without duplicates; "path" is not among them.
  const std::vector<std::string>& metadata_fields() const { return fields_; }
  // Flat index of a tag across all axes (for per-tag arrays), and the number of tags.
  int flat_index(TagRef t) const { return axis_offset_[t.axis] + t.tag; }
  int tag_count() const { return tag_count_; }

  std::vector<TagHit> tag(const DocumentView& doc, TagScratch& scratch) const;
  // The same into `hits` (cleared first), allocating nothing once the scratch and `hits` have grown. Only the
  // metrics some heuristic tests are computed (words and code points always are): see TextMetrics.
  void tag(const DocumentView& doc, TagScratch& scratch, std::vector<TagHit>& hits) const;

 private:
  struct AxisPlan {
    std::vector<int> metadata, fasttext, rules, heuristics;  // indices into the taxonomy's tagger lists
  };
  std::shared_ptr<const DataTaxonomy> taxonomy_;
  PatternScanner scanner_;
  std::vector<std::unique_ptr<FastTextClassifier>> classifiers_;
  std::vector<std::string> fields_;
  std::vector<int> metadata_field_;  // metadata tagger -> index into fields_, -1 for "path"
  std::vector<AxisPlan> plans_;
  std::vector<int> axis_offset_;
  int tag_count_ = 0;
  uint32_t needed_metrics_ = 0;  // bit i: some heuristic tests metric i
};

}  // namespace caploop::corpus
