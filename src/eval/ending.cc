#include "eval/ending.h"

#include <algorithm>
#include <array>
#include <bit>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/fnv1a.h"

namespace caploop {

namespace {

// --- Truncation -----------------------------------------------------------------------------------------

// Finish reasons recorded by harnesses and APIs (OpenAI, Anthropic, vLLM, HF generate, lm-eval).
constexpr std::array<std::string_view, 5> kLengthFinishReasons = {"length", "max_tokens", "max_length",
                                                                  "max_new_tokens", "model_length"};
constexpr std::array<std::string_view, 7> kStopFinishReasons = {"stop",     "eos",        "eos_token", "stop_sequence",
                                                                "end_turn", "stop_token", "tool_calls"};

// Inferred truncation: a generation that did not stop at an answer and whose length is at least this
// fraction of the longest generation of its run and task. Token limits cut at a fixed token count, whose
// byte length varies with the text (on code-davinci-002's 256-token BBH CoT outputs the cut lands at 77% to
// 100% of a task's longest output on most tasks; 223 of the 237 outputs without an answer meet this rule),
// hence the wide margin.
constexpr double kNearRunMaxFraction = 0.75;

// A finished sentence ends in one of kSentenceEndChars, possibly followed by closing characters
// (`done."`, `(B).)`, `**42.**`). A closing character alone does not finish one: token limits often cut
// right after a quoted word or a bracket (`< "foo"`, `["bar" ? "baz"]`).
constexpr std::string_view kSentenceEndChars = ".!?";
constexpr std::string_view kClosingChars = ")]}\"'`*";
// End-of-turn tokens that show the model stopped by itself even if the text before them does not.
constexpr std::array<std::string_view, 5> kEndOfTurnTokens = {"<|im_end|>", "</s>", "<|endoftext|>", "<|eot_id|>",
                                                              "<end_of_turn>"};

// --- Running on -----------------------------------------------------------------------------------------

// Text that opens a new turn when it starts a line (after optional spaces).
constexpr std::array<std::string_view, 11> kLineStartTurnMarkers = {
    "Q:",     "Question:",       "Problem:",     "Human:",      "User:",     "USER:",
    "Input:", "### Instruction", "### Question", "### Problem", "Assistant:"};
// Text that opens a new turn wherever it appears.
constexpr std::array<std::string_view, 5> kAnywhereTurnMarkers = {"<|im_start|>", "<|user|>", "<|start_header_id|>",
                                                                  "[INST]", "<start_of_turn>"};

// --- Degenerate repetition ------------------------------------------------------------------------------

// Only the tail of a generation is examined: loops show at the end.
constexpr size_t kRepetitionWindowBytes = 2000;
// Periodic tail: one unit of 1..kMaxRepeatUnitBytes bytes repeated at least kMinRepeats times, covering
// at least kMinRepeatedBytes bytes (so "!!!!!!" or a short rule line is not a loop).
constexpr size_t kMaxRepeatUnitBytes = 100;
constexpr size_t kMinRepeats = 6;
constexpr size_t kMinRepeatedBytes = 60;
// Loops with small variations (a long sentence repeated with one word changing) are caught by word n-grams:
// among the tail's word 5-grams, fewer than this fraction distinct, given at least kMinNgrams of them.
// Measured on real outputs: word trigrams, or counting digit runs as one symbol, flag legitimate structured
// work (BBH Dyck-language stack traces, Qwen2.5-Math divisor enumerations); 5-grams of exact words do not.
constexpr size_t kNgramWords = 5;
constexpr size_t kMinNgrams = 60;
constexpr double kMaxDistinctNgramRatio = 0.3;

// White space: blank, tab, line feed, vertical tab, form feed, carriage return.
constexpr std::array<bool, 256> kSpaceByte = [] {
  std::array<bool, 256> t{};
  for (char c : std::string_view(" \n\r\t\f\v")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

bool is_space(char c) { return kSpaceByte[static_cast<unsigned char>(c)]; }

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

template <size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

bool ends_cleanly(std::string_view text) {
  std::string_view t = trim_right(text);
  if (t.empty()) return true;
  for (std::string_view token : kEndOfTurnTokens) {
    if (t.ends_with(token)) return true;
  }
  while (!t.empty() && kClosingChars.find(t.back()) != std::string_view::npos) t.remove_suffix(1);
  return !t.empty() && kSentenceEndChars.find(t.back()) != std::string_view::npos;
}

bool starts_new_turn(std::string_view after_answer) {
  for (std::string_view m : kAnywhereTurnMarkers) {
    if (after_answer.find(m) != std::string_view::npos) return true;
  }
  // Each line start: the beginning of the remaining text and every position after a "\n".
  size_t pos = 0;
  while (pos <= after_answer.size()) {
    size_t start = pos;
    while (start < after_answer.size() && (after_answer[start] == ' ' || after_answer[start] == '\t')) ++start;
    std::string_view line = after_answer.substr(start);
    for (std::string_view m : kLineStartTurnMarkers) {
      if (line.starts_with(m)) return true;
    }
    size_t nl = after_answer.find('\n', pos);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return false;
}

// Several answer statements that are all the same text ("... \boxed{7}. To verify, ... \boxed{7}") restate
// one answer: the model checked its work, it did not run on. True when the statement the rule used occurs,
// verbatim, as often as the rule counted statements.
bool repeats_one_statement(std::string_view text, const Extraction& x) {
  const size_t begin = std::min(x.statement_begin, text.size());
  const size_t end = std::min(x.statement_end, text.size());
  if (end <= begin) return false;
  const std::string_view statement = text.substr(begin, end - begin);
  int occurrences = 0;
  for (size_t p = text.find(statement); p != std::string_view::npos; p = text.find(statement, p + 1)) {
    if (++occurrences > x.n_statements) return false;
  }
  return occurrences == x.n_statements;
}

bool has_periodic_tail(std::string_view tail) {
  size_t n = tail.size();
  for (size_t unit = 1; unit <= kMaxRepeatUnitBytes && unit * kMinRepeats <= n; ++unit) {
    // Length of the stretch ending at the tail's end where every byte equals the one `unit` before it.
    size_t i = n;
    while (i > unit && tail[i - 1] == tail[i - 1 - unit]) --i;
    size_t span = n - i + unit;
    if (span >= kMinRepeatedBytes && span >= kMinRepeats * unit) return true;
  }
  return false;
}

// The number of words (runs of non-space bytes) in `text`, 16 bytes at a time where SSE2 is there: a word
// starts at each non-space byte whose previous byte is a space (or the text's start).
size_t count_words(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t words = 0;
  size_t i = 0;
  bool previous_is_word = false;
#if defined(__SSE2__)
  const __m128i blank = _mm_set1_epi8(' ');
  const __m128i tab = _mm_set1_epi8('\t');  // \t \n \v \f \r are 9..13
  const __m128i four = _mm_set1_epi8(4);
  for (; i + 16 <= size; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
    const __m128i from_tab = _mm_sub_epi8(v, tab);
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(from_tab, four), from_tab);  // 9 <= byte <= 13
    const __m128i space = _mm_or_si128(_mm_cmpeq_epi8(v, blank), control);
    const uint32_t word = ~static_cast<uint32_t>(_mm_movemask_epi8(space)) & 0xFFFFu;
    const uint32_t starts = word & ~((word << 1) | (previous_is_word ? 1u : 0u));
    words += static_cast<size_t>(std::popcount(starts));
    previous_is_word = (word >> 15) & 1u;
  }
#endif
  for (; i < size; ++i) {
    const bool is_word = !kSpaceByte[bytes[i]];
    if (is_word && !previous_is_word) ++words;
    previous_is_word = is_word;
  }
  return words;
}

bool has_low_ngram_diversity(std::string_view tail) {
  // Words are runs of non-space bytes, compared by a 64-bit hash. They are counted first (the count fixes the
  // limit), then delimited and hashed one at a time as the n-grams reach them, and the scan stops as soon as the
  // outcome is known, so a diverse tail (the common case) reads about the first third of its words.
  const size_t n_words = count_words(tail);
  if (n_words < kNgramWords + kMinNgrams - 1) return false;
  const size_t n_ngrams = n_words - kNgramWords + 1;
  const double limit = kMaxDistinctNgramRatio * static_cast<double>(n_ngrams);
  // Distinct n-gram hashes counted in an open-addressing set (exact on the 64-bit values, as sorting them
  // was); the count only grows, so once it reaches the limit the tail is diverse and the scan stops. The set
  // never holds more than limit + 1 values, so twice that keeps it at most half full. Slots are marked with the
  // call's generation instead of being cleared; the buffers are reused per thread (this runs once per scored
  // response).
  const size_t most = static_cast<size_t>(limit) + 2;
  size_t capacity = 64;
  while (capacity < 2 * most) capacity *= 2;
  thread_local std::vector<uint64_t> slots;
  thread_local std::vector<uint32_t> stamp;
  thread_local uint32_t generation = 0;
  if (stamp.size() < capacity) {
    slots.assign(capacity, 0);
    stamp.assign(capacity, 0);
    generation = 0;
  }
  if (++generation == 0) {
    std::fill(stamp.begin(), stamp.end(), 0);
    generation = 1;
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(tail.data());
  size_t at_byte = 0;
  const auto next_word = [&] {
    while (kSpaceByte[bytes[at_byte]]) ++at_byte;  // a word follows: n_words counted it
    const size_t start = at_byte;
    while (at_byte < tail.size() && !kSpaceByte[bytes[at_byte]]) ++at_byte;
    return fnv1a64(tail.substr(start, at_byte - start));
  };
  std::array<uint64_t, kNgramWords> window;  // the current n-gram's words, oldest first at window[first]
  for (uint64_t& w : window) w = next_word();
  size_t first = 0;
  size_t distinct = 0;
  for (size_t w = 0; w < n_ngrams; ++w) {
    uint64_t h = kFnv1aOffset;
    for (size_t k = 0; k < kNgramWords; ++k) h = (h ^ window[(first + k) % kNgramWords]) * kFnv1aPrime;
    size_t at = static_cast<size_t>(h ^ (h >> 29)) & (capacity - 1);
    while (stamp[at] == generation && slots[at] != h) at = (at + 1) & (capacity - 1);
    if (stamp[at] != generation) {
      stamp[at] = generation;
      slots[at] = h;
      if (!(static_cast<double>(++distinct) < limit)) return false;
    }
    if (w + 1 < n_ngrams) {
      window[first] = next_word();
      first = (first + 1) % kNgramWords;
    }
  }
  return static_cast<double>(distinct) < limit;
}

bool is_repetitive(std::string_view text) {
  std::string_view t = trim_right(text);
  std::string_view tail = t.size() > kRepetitionWindowBytes ? t.substr(t.size() - kRepetitionWindowBytes) : t;
  return has_periodic_tail(tail) || has_low_ngram_diversity(tail);
}

}  // namespace

std::string_view ending_name(EndingKind k) {
  switch (k) {
    case EndingKind::kStopped:
      return "stopped";
    case EndingKind::kTruncated:
      return "truncated";
    case EndingKind::kRanOn:
      return "ran_on";
    case EndingKind::kDegenerateRepetition:
      return "degenerate_repetition";
    case EndingKind::kNoAnswer:
      return "no_answer";
  }
  return "unknown";
}

std::string_view evidence_name(EndingEvidence e) {
  switch (e) {
    case EndingEvidence::kFinishReason:
      return "finish_reason";
    case EndingEvidence::kTokenCount:
      return "token_count";
    case EndingEvidence::kInferred:
      return "inferred";
  }
  return "unknown";
}

namespace {

// The inferred-truncation length test (kNearRunMaxFraction of the run's longest generation of the task).
bool near_run_max(size_t text_bytes, size_t run_max_bytes) {
  return run_max_bytes > 0 &&
         static_cast<double>(text_bytes) >= kNearRunMaxFraction * static_cast<double>(run_max_bytes);
}

// The kind from the flags: truncated, then ran on, then repetition, then no answer, else stopped.
Ending with_kind(Ending e, const Extraction& extraction) {
  if (e.truncated) {
    e.kind = EndingKind::kTruncated;
  } else if (e.ran_on) {
    e.kind = EndingKind::kRanOn;
  } else if (e.repetitive) {
    e.kind = EndingKind::kDegenerateRepetition;
  } else if (!extraction.found) {
    e.kind = EndingKind::kNoAnswer;
  } else {
    e.kind = EndingKind::kStopped;
  }
  return e;
}

}  // namespace

Ending classify_ending(const EndingInput& in, const Extraction& extraction) {
  return classify_ending(in, extraction, is_repetitive(in.text));
}

Ending classify_ending(const EndingInput& in, const Extraction& extraction, bool repetitive) {
  Ending e;
  if (extraction.found) {
    size_t after = std::min(extraction.statement_end, in.text.size());
    e.ran_on = (extraction.n_statements > 1 && !repeats_one_statement(in.text, extraction)) ||
               starts_new_turn(in.text.substr(after));
  }
  e.repetitive = repetitive;

  bool decided = false;
  if (in.finish_reason) {
    if (contains(kLengthFinishReasons, *in.finish_reason)) {
      e.truncated = true;
      decided = true;
    } else if (contains(kStopFinishReasons, *in.finish_reason)) {
      decided = true;
    }
    if (decided) e.evidence = EndingEvidence::kFinishReason;
  }
  if (!decided && in.n_tokens && in.max_new_tokens && *in.max_new_tokens > 0) {
    e.truncated = *in.n_tokens >= *in.max_new_tokens;
    e.evidence = EndingEvidence::kTokenCount;
    decided = true;
  }
  if (!decided) {
    e.evidence = EndingEvidence::kInferred;
    bool did_not_stop_at_answer = !extraction.found || e.ran_on || e.repetitive;
    e.truncated = did_not_stop_at_answer && in.run_max_bytes && near_run_max(in.text.size(), *in.run_max_bytes) &&
                  !ends_cleanly(in.text);
  }
  return with_kind(e, extraction);
}

bool awaits_run_max_bytes(const EndingInput& in, const Extraction& extraction, const Ending& ending) {
  return !in.run_max_bytes && ending.evidence == EndingEvidence::kInferred && !ending.truncated &&
         (!extraction.found || ending.ran_on || ending.repetitive) && !ends_cleanly(in.text);
}

Ending with_run_max_bytes(Ending ending, size_t text_bytes, size_t run_max_bytes) {
  if (near_run_max(text_bytes, run_max_bytes)) {
    ending.truncated = true;
    ending.kind = EndingKind::kTruncated;
  }
  return ending;
}

}  // namespace caploop
