// Stream availability: how many documents and tokens of a corpus a stream can draw from, read off corpus
// statistics. A stream is the set of documents carrying all of one or two tags (attribute names such as
// "math_subfield__counting_probability"); the statistics count single tags exactly and pairs of tags from
// different axes exactly (cooccurrence "a|b", in either order), so both are exact.
//
// Contract: stream_counts() returns zero counts for tags or pairs no document carries; a conjunction of other
// than one or two tags throws caploop::Error (kInput). axis_tags() lists the tags of one axis (attribute names
// beginning "<axis>__") that have tokens, sorted. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "corpus/corpus_stats.h"

namespace caploop {

corpus::TagCounts stream_counts(const corpus::CorpusStats& stats, const std::vector<std::string>& attribute_tags);

std::vector<std::string> axis_tags(const corpus::CorpusStats& stats, const std::string& axis);

// "a&b" -> {"a", "b"} (a category name of mapping/slice_mapping.h into its attribute names).
std::vector<std::string> category_tags(const std::string& category);

}  // namespace caploop
