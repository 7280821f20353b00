// ScoreSet: the packed form of stored scores. The scores of one run under one rule for one task are kept as a
// few blobs (score_sets rows, docs/workspace.md) rather than a row per response: writing them is one insert per
// batch, reading a task's scores one blob decode, whatever the number of responses.
//
// Contract: encode_score_set() packs samples in the order given; decode_score_set() returns them in that order,
// every field as it went in (a bool per flag, the ending and its evidence, the answer bytes as they are: ScoreWriter
// stores the rule's answer also when it found none). The first byte is the format version (1); a blob of another
// version, one cut inside a sample, or one with an unknown flag or ending throws Error(kStore) naming `where` (a
// blob cut between two samples reads as the shorter set). Pure functions; thread-safe.
//
// Layout (version 1), per sample: zigzag varint of the response id minus the previous sample's (the first: minus
// 0), the same for the item id, varint sample index, one flag byte (found 1, correct 2, ran_on 4, truncated 8,
// repetitive 16), one byte with the ending kind in its low 4 bits and the evidence in the high 4, varint answer
// length and the answer's bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/score_table.h"

namespace caploop {

inline constexpr uint8_t kScoreSetFormat = 1;

std::string encode_score_set(const std::vector<SampleScore>& samples);

// Appends the decoded samples to `out`.
void decode_score_set(std::string_view blob, std::vector<SampleScore>& out, std::string_view where);

}  // namespace caploop
