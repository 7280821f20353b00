#include "corpus/document_tagger.h"

#include <algorithm>

namespace caploop::corpus {

namespace {

bool holds(const MetricCondition& c, const TextMetrics& m) {
  double v = m[c.metric];
  switch (c.op) {
    case CompareOp::kLess:
      return v < c.value;
    case CompareOp::kLessEqual:
      return v <= c.value;
    case CompareOp::kGreater:
      return v > c.value;
    case CompareOp::kGreaterEqual:
      return v >= c.value;
    case CompareOp::kEqual:
      return v == c.value;
  }
  return false;
}

bool contains_ignoring_case(std::string_view haystack, std::string_view lower_needle) {
  if (lower_needle.size() > haystack.size()) return false;
  for (size_t i = 0; i + lower_needle.size() <= haystack.size(); ++i) {
    size_t j = 0;
    for (; j < lower_needle.size(); ++j) {
      char c = haystack[i + j];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      if (c != lower_needle[j]) break;
    }
    if (j == lower_needle.size()) return true;
  }
  return false;
}

using Candidate = TagCandidate;

}  // namespace

DocumentTagger::DocumentTagger(std::shared_ptr<const DataTaxonomy> taxonomy)
    : taxonomy_(std::move(taxonomy)), scanner_(*taxonomy_) {
  const DataTaxonomy& tax = *taxonomy_;
  for (const auto& f : tax.fasttext) classifiers_.push_back(std::make_unique<FastTextClassifier>(f.model));
  for (const auto& m : tax.metadata) {
    if (m.field == "path") {
      metadata_field_.push_back(-1);
      continue;
    }
    auto it = std::find(fields_.begin(), fields_.end(), m.field);
    if (it == fields_.end()) it = fields_.insert(fields_.end(), m.field);
    metadata_field_.push_back(static_cast<int>(it - fields_.begin()));
  }
  plans_.resize(tax.axes.size());
  for (size_t i = 0; i < tax.metadata.size(); ++i)
    plans_[tax.metadata[i].tag.axis].metadata.push_back(static_cast<int>(i));
  for (size_t i = 0; i < tax.rules.size(); ++i) plans_[tax.rules[i].tag.axis].rules.push_back(static_cast<int>(i));
  for (size_t i = 0; i < tax.heuristics.size(); ++i)
    plans_[tax.heuristics[i].tag.axis].heuristics.push_back(static_cast<int>(i));
  needed_metrics_ = (1u << kWords) | (1u << kCodePoints);
  for (const auto& h : tax.heuristics) {
    for (const auto& c : h.all) needed_metrics_ |= 1u << c.metric;
    for (const auto& c : h.any) needed_metrics_ |= 1u << c.metric;
  }
  for (size_t a = 0; a < tax.axes.size(); ++a) {
    axis_offset_.push_back(tag_count_);
    tag_count_ += static_cast<int>(tax.axes[a].tags.size());
  }
}

DocumentTagger::~DocumentTagger() = default;

std::vector<TagHit> DocumentTagger::tag(const DocumentView& doc, TagScratch& scratch) const {
  std::vector<TagHit> hits;
  tag(doc, scratch, hits);
  return hits;
}

void DocumentTagger::tag(const DocumentView& doc, TagScratch& scratch, std::vector<TagHit>& hits) const {
  const DataTaxonomy& tax = *taxonomy_;
  scratch.bytes.scan(doc.text);
  const TextMetrics& metrics = scratch.metrics_values =
      compute_text_metrics(scratch.bytes, scratch.metrics, needed_metrics_);
  scanner_.scan(scratch.bytes, scratch.scan, scratch.counts, scratch.weighted);
  double words = std::max(metrics[kWords], 1.0);
  scratch.assigned.assign(tag_count_, 0);
  if (scratch.path_matches.size() != tax.metadata.size() || scratch.matched_path != doc.path) {
    scratch.matched_path.assign(doc.path);
    scratch.path_matches.assign(tax.metadata.size(), -1);
  }

  // fastText predictions, once per classifier, as candidates per axis.
  std::vector<Candidate>& fasttext_candidates = scratch.fasttext_candidates;
  fasttext_candidates.clear();
  for (size_t i = 0; i < classifiers_.size(); ++i) {
    const FastTextTagger& f = tax.fasttext[i];
    for (auto& [label, p] : classifiers_[i]->predict(doc.text, f.top_k, f.min_score)) {
      auto it = f.labels.find(label);
      if (it != f.labels.end()) fasttext_candidates.push_back({2, p, static_cast<int>(i), it->second});
    }
  }

  hits.clear();
  std::vector<Candidate>& candidates = scratch.candidates;
  for (size_t a = 0; a < tax.axes.size(); ++a) {
    const Axis& axis = tax.axes[a];
    const AxisPlan& plan = plans_[a];
    candidates.clear();
    int order = 0;
    auto fire = [&](int priority, double score, TagRef t) {
      candidates.push_back({priority, score, order, t});
      if (!axis.exclusive) scratch.assigned[flat_index(t)] = 1;
    };
    for (int i : plan.metadata) {
      ++order;
      const MetadataTagger& m = tax.metadata[i];
      std::string_view value;
      int field = metadata_field_[i];
      if (field < 0) {
        // The path: the same for every document of a shard, so each tagger's answer is kept per path.
        int8_t& known = scratch.path_matches[i];
        if (known < 0) {
          bool match = std::find(m.equals.begin(), m.equals.end(), doc.path) != m.equals.end();
          for (size_t k = 0; !match && k < m.contains.size(); ++k)
            match = contains_ignoring_case(doc.path, m.contains[k]);
          known = match ? 1 : 0;
        }
        if (known) fire(3, 1.0, m.tag);
        continue;
      } else {
        if (!doc.fields || !(*doc.fields)[field]) continue;
        value = *(*doc.fields)[field];
      }
      bool match = std::find(m.equals.begin(), m.equals.end(), value) != m.equals.end();
      for (size_t k = 0; !match && k < m.contains.size(); ++k) match = contains_ignoring_case(value, m.contains[k]);
      if (match) fire(3, 1.0, m.tag);
    }
    for (const Candidate& c : fasttext_candidates) {
      if (c.tag.axis != static_cast<int>(a)) continue;
      ++order;
      fire(2, c.score, c.tag);
    }
    for (int i : plan.rules) {
      ++order;
      const RuleTagger& r = tax.rules[i];
      if (r.requires_tag && !scratch.assigned[flat_index(*r.requires_tag)]) continue;
      uint32_t n = scratch.counts[r.pattern_group];
      if (n < r.min_matches) continue;
      double density = 1000.0 * scratch.weighted[r.pattern_group] * r.weight / words;
      if (density < r.min_per_1000_words) continue;
      if (r.max_per_1000_words && density >= *r.max_per_1000_words) continue;
      fire(1, density, r.tag);
    }
    for (int i : plan.heuristics) {
      ++order;
      const HeuristicTagger& h = tax.heuristics[i];
      bool ok = std::all_of(h.all.begin(), h.all.end(), [&](const auto& c) { return holds(c, metrics); });
      if (ok && !h.any.empty())
        ok = std::any_of(h.any.begin(), h.any.end(), [&](const auto& c) { return holds(c, metrics); });
      if (ok) fire(0, 1.0, h.tag);
    }
    if (axis.exclusive) {
      if (!candidates.empty()) {
        const Candidate* best = &candidates[0];
        for (const Candidate& c : candidates) {
          if (c.priority != best->priority ? c.priority > best->priority
              : c.score != best->score     ? c.score > best->score
                                           : c.order < best->order)
            best = &c;
        }
        scratch.assigned[flat_index(best->tag)] = 1;
        hits.push_back({best->tag, best->score});
      } else if (axis.default_tag) {
        TagRef t{static_cast<int>(a), *axis.default_tag};
        scratch.assigned[flat_index(t)] = 1;
        hits.push_back({t, 0.0});
      }
    } else {
      // Keep each tag once, with its best score.
      for (const Candidate& c : candidates) {
        auto it = std::find_if(hits.begin(), hits.end(), [&](const TagHit& h) { return h.tag == c.tag; });
        if (it == hits.end())
          hits.push_back({c.tag, c.score});
        else
          it->score = std::max(it->score, c.score);
      }
    }
  }
  std::sort(hits.begin(), hits.end(), [](const TagHit& x, const TagHit& y) { return x.tag < y.tag; });
}

}  // namespace caploop::corpus
