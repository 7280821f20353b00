// Fuzzes classify_ending: the generation text is the front of the input; the finish reason, token counts,
// run length and a synthetic extraction come from the input's last bytes (FuzzedDataProvider), so plain
// model outputs make good seeds. Checks that the kind agrees with the flags and the documented priority.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "eval/ending.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caploop;
  FuzzedDataProvider fdp(data, size);
  static constexpr const char* kReasons[] = {"length", "stop", "eos", "max_tokens", "end_turn", "weird", ""};
  uint8_t options = fdp.ConsumeIntegral<uint8_t>();
  size_t reason = fdp.ConsumeIntegralInRange<size_t>(0, std::size(kReasons) - 1);
  int64_t n_tokens = fdp.ConsumeIntegralInRange<int64_t>(-5, 5000);
  int64_t max_new = fdp.ConsumeIntegralInRange<int64_t>(-5, 5000);
  size_t run_max = fdp.ConsumeIntegral<uint16_t>();
  size_t begin = fdp.ConsumeIntegral<uint16_t>();
  size_t end = fdp.ConsumeIntegral<uint32_t>();  // may point past the text: must be tolerated
  int n_statements = fdp.ConsumeIntegralInRange<int>(0, 4);
  std::string text = fdp.ConsumeRemainingBytesAsString();

  EndingInput in;
  in.text = text;
  if (options & 1) in.finish_reason = kReasons[reason];
  if (options & 2) in.n_tokens = n_tokens;
  if (options & 4) in.max_new_tokens = max_new;
  if (options & 8) in.run_max_bytes = run_max;
  Extraction x;
  if (options & 16) {
    x.found = true;
    x.statement_begin = begin;
    x.statement_end = end;
    x.n_statements = n_statements;
  }

  Ending e = classify_ending(in, x);
  if (e.truncated != (e.kind == EndingKind::kTruncated)) std::abort();
  if (e.kind == EndingKind::kRanOn && !e.ran_on) std::abort();
  if (e.kind == EndingKind::kDegenerateRepetition && (!e.repetitive || e.ran_on)) std::abort();
  if (e.kind == EndingKind::kNoAnswer && (x.found || e.repetitive)) std::abort();
  if (e.kind == EndingKind::kStopped && (!x.found || e.ran_on || e.repetitive)) std::abort();
  if (!x.found && e.ran_on) std::abort();
  if (ending_name(e.kind).empty() || evidence_name(e.evidence).empty()) std::abort();
  // Pure function: the same input gives the same answer.
  Ending again = classify_ending(in, x);
  if (again.kind != e.kind || again.evidence != e.evidence || again.ran_on != e.ran_on) std::abort();
  return 0;
}
