// TextMetrics: the document measurements heuristic taggers test (lengths, ratios, repetition), computed in one
// pass over the text, following the Gopher (Rae et al. 2021) and C4 (Raffel et al. 2020) quality rules.
//
// Contract: compute_text_metrics() is a pure function of the text (UTF-8 bytes; it never fails, whatever the
// bytes). Words are runs of non-white-space (ASCII white space); lines are the non-blank lines split on "\n";
// lengths count code points. The metrics are read off a ByteClassScan of the text (the masks the keyword lookups
// use too); the overload taking a scan computes only the metrics in `needed` (bit i = metric i; the others are 0,
// except the cheap counts read off the masks, which are always filled in). Metric names (for taxonomy files) are listed
// by text_metric_names() in index order and documented in docs/corpus.md. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/byte_class_scan.h"

namespace caploop::corpus {

enum TextMetric : int {
  kChars = 0,                  // bytes of text
  kWords,                      // white-space separated words
  kLines,                      // non-blank lines
  kMeanWordLength,             // code points per word
  kSymbolWordRatio,            // ('#' + "..." + "…") per word
  kBulletLineFraction,         // lines starting with - * or •
  kEllipsisLineFraction,       // lines ending with ... or …
  kAlphaWordFraction,          // words containing a letter
  kStopwords,                  // occurrences of the Gopher stop words (the, be, to, of, and, that, have, with)
  kDuplicateLineFraction,      // lines equal to an earlier line
  kTerminalPunctLineFraction,  // lines ending in . ! ? " '
  kCurlyBraces,                // count of { and }
  kDigitFraction,              // digits per code point
  kEndsWithTerminalPunct,      // 1 when the text (trimmed) ends in . ! ? " ', else 0
  kCodePoints,                 // Unicode code points (the end offset of a whole-document span)
  kMetricCount
};

using TextMetrics = std::array<double, kMetricCount>;

const std::vector<std::string>& text_metric_names();
std::optional<int> find_text_metric(std::string_view name);

// Scratch memory reused between documents by one thread (the lines for the repetition measure, the scan).
struct TextMetricsScratch {
  struct Line {
    uint64_t hash;  // of the line's bytes (equal lines, equal hashes; lines are compared when hashes are equal)
    size_t start, length;
  };
  std::vector<Line> lines;
  ByteClassScan scan;  // used by the overload taking only the text
};

constexpr uint32_t kAllTextMetrics = (1u << kMetricCount) - 1;

TextMetrics compute_text_metrics(std::string_view text, TextMetricsScratch& scratch);
TextMetrics compute_text_metrics(const ByteClassScan& scan, TextMetricsScratch& scratch, uint32_t needed);

}  // namespace caploop::corpus
