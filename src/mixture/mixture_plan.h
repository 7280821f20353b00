// MixturePlan: a weakness-targeted sampling plan, the file `caploop plan` writes and `caploop sample`,
// `caploop verify` and `caploop loop` read. It records the whole chain: weak slice -> mapping rule -> data
// category -> tokens, the available and chosen tokens and epochs per category, the caps in force, checksums of
// the corpus statistics it was computed from, and the pre-registered hypotheses that `verify` tests.
//
// Streams. The sample is drawn as independent streams; every document belongs to at most one base stream and
// to any number of target streams:
//   base   "base:source__web", one per tag of the `base_axis` (an exclusive axis with a default tag, so every
//          document is in exactly one): keeps the corpus's own mixture; quota = base budget x the tag's share.
//   target "target:<category>" (category as in mapping/slice_mapping.h): documents carrying all the category's
//          tags; extra tokens for the weak slices mapped there. A document drawn in two streams appears twice:
//          that is what raising a category means.
// Per stream: full_epochs = floor(quota / available) whole passes, then the remainder drawn without
// replacement. Both are decided per stream from the totals recorded here; the sampler apportions each stream's
// quota to shards in proportion to the shard's available tokens (recorded per shard in `corpus.shards`).
//
// Contract: write_plan_json() is deterministic (fixed key order, numbers printed exactly as integers or with
// %.17g-round-trip doubles) and ends with "\n"; parse_plan() reads what write_plan_json() wrote and throws
// caploop::Error (kInput) naming the file and JSON pointer of a missing or mistyped field, or a format/version
// it does not know. A MixturePlan is a plain value.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_writer.h"
#include "diagnose/diagnosis_verdict.h"
#include "mapping/slice_mapping.h"
#include "mixture/quota_allocation.h"

namespace caploop {

struct PlanOptions {
  int64_t budget_tokens = 0;
  double max_epochs = 4.0;           // most epochs of any stream (base + target draws of the same documents)
  double max_category_share = 0.25;  // largest share of the budget one target stream may take
  double min_base_share = 0.5;       // smallest share of the budget kept for the base mixture
  std::string base_axis = "source";  // exclusive data axis with a default tag; its tags are the base streams
  double alpha = 0.05;               // for hypotheses: one-sided level of the target tests
  double power = 0.8;                // for hypotheses: power the minimum effect is computed at
  double guard_margin = 0.02;        // for hypotheses: largest accuracy loss a guard tolerates (0..1)
  double plausible_gain = 0.10;      // for hypotheses: the largest gain a data change plausibly buys (0..1);
                                     // a target that cannot detect it gets a note (plan_hypotheses.h)
};

// A shard of the corpus as the statistics counted it.
struct PlanShard {
  std::string path;        // mirrored input path, as in the tag run's output folder ("a/b/x.jsonl.zst")
  std::string stats_file;  // the *.stats.json file read
  std::string checksum;    // FNV-1a 64 hex of that file's bytes
  int64_t lines = 0;
  int64_t docs = 0;
  int64_t tokens = 0;
  std::map<std::string, int64_t>
      stream_tokens;  // available tokens of each stream in this shard (streams with 0 omitted)
};

struct PlanCorpus {
  std::vector<std::string> stats_dirs;  // as given
  std::string taxonomy;                 // "<name>@<fingerprint>" from the statistics
  std::string tokenizer;                // what counted tokens in the statistics ("estimate:bytes/4", ...)
  int64_t docs = 0;
  int64_t tokens = 0;
  std::vector<PlanShard> shards;  // sorted by path
};

// One link of the chain: slice -> rule -> stream, with the demand it put on the stream.
struct PlanLink {
  std::string slice_id;  // "S1"
  std::string rule_id;
  std::string matched_tag;
  double weight = 1.0;
  double demand = 0.0;  // weight x n x severity
};

struct PlanSlice {
  std::string id;
  std::vector<std::string> tags;
  int64_t n = 0;
  double severity = 0.0;
  double baseline_accuracy = 0.0;
  double q_value = 1.0;
  SliceStatus status = SliceStatus::kUnmapped;  // kNoDocuments: mapped, but its categories are empty
  std::vector<std::string> rules;               // fired rule ids
  std::vector<std::string> items;               // "<task>:<id>"
};

// A stream draws either the corpus's own mixture (base) or a category a weak slice raised (target).
enum class StreamKind { kBase, kTarget };

// "base", "target" (as plans, samples and outputs spell them); parse gives std::nullopt for any other name.
std::string_view stream_kind_name(StreamKind kind);
std::optional<StreamKind> parse_stream_kind(std::string_view name);
std::ostream& operator<<(std::ostream& out, StreamKind kind);

struct PlanStream {
  std::string name;  // "base:source__web" or "target:<category>"
  StreamKind kind = StreamKind::kBase;
  std::vector<std::string> tags;  // attribute names a document must all carry
  int64_t available_tokens = 0;
  int64_t available_docs = 0;
  double demand = 0.0;           // target streams: sum of their links' demand
  int64_t quota_tokens = 0;      // tokens to draw
  int64_t full_epochs = 0;       // floor(quota / available)
  int64_t remainder_tokens = 0;  // quota - full_epochs x available
  double epochs = 0.0;           // (quota + base draw of the same documents) / available
  double share = 0.0;            // quota / budget
  QuotaCap capped_by = QuotaCap::kNone;
  std::vector<PlanLink> links;  // target streams: the chain that raised it
};

struct PlanHypothesis {
  std::string id;    // "H1", ...
  std::string kind;  // "target" (should improve) or "guard" (must not regress)
  std::string description;
  std::vector<std::string> slice_tags;  // the slice (target) or what it guards ("rest of <benchmark>")
  std::vector<std::string> items;       // "<task>:<id>" the test runs on
  int64_t n = 0;
  double baseline_accuracy = 0.0;
  double min_effect = 0.0;  // target: smallest improvement (accuracy, 0..1) the plan expects and can detect
  double margin = 0.0;      // guard: largest tolerated loss (accuracy, 0..1)
  double alpha = 0.05;
  std::vector<std::string> streams;  // target: the streams that should cause the improvement
  std::string metric = "accuracy";   // "accuracy" or "pass@k" (mixture/hypothesis_metric.h); written when not accuracy
};

// The control arm (issue 13): a mixture of the same token budget with the base proportions — the corpus's own
// mixture ("natural") or the user's current mixture (a file of shares per base-axis tag) — trained as long as
// the targeted arm, so that verify can tell what the targeting bought from what more training of any kind
// bought (mixture/control_arm.h). Its streams are named as the plan's base streams and carry the same tags, so
// `sample --arm control` orders each stream's documents by the same seeded keys as the targeted arm.
struct PlanControl {
  std::string mixture = "natural";           // "natural" or the mixture file as given
  std::string mixture_checksum;              // FNV-1a 64 hex of the mixture file; "" for natural
  int64_t budget_tokens = 0;                 // = the plan's budget
  std::vector<PlanStream> streams;           // kind "base", one per base stream (same names and tags)
  std::vector<PlanHypothesis> expectations;  // pre-registered for the control run against the baseline
  std::vector<std::string> notes;
};

struct MixturePlan {
  std::string format = "caploop-plan";
  int64_t version = 1;
  // Where the weaknesses came from.
  std::string weakness_file;
  std::string weakness_kind;  // "diagnosis" or "weaknesses"
  std::string weakness_checksum;
  std::optional<Verdict> verdict;  // the diagnosis's (none for a weakness list; "" in the file)
  std::string baseline;
  std::string candidate;
  // Mapping rules used.
  std::string mapping_name;
  std::string mapping_source;
  std::string mapping_fingerprint;
  PlanOptions options;
  PlanCorpus corpus;
  std::vector<PlanSlice> slices;
  std::vector<PlanStream> streams;  // base streams first (sorted), then target streams (sorted)
  std::vector<PlanHypothesis> hypotheses;
  int64_t base_tokens = 0;             // sum of base quotas
  int64_t target_tokens = 0;           // sum of target quotas
  std::vector<std::string> notes;      // decisions a reader should know (budget returned to base, gaps, ...)
  std::optional<PlanControl> control;  // the control arm; written as "control" when present (older plans: none)
};

void write_plan_json(JsonWriter& out, const MixturePlan& plan);
std::string plan_to_json(const MixturePlan& plan);  // write_plan_json into a string, ending with "\n"
MixturePlan parse_plan(const std::string& json_text, const std::string& file_name);
MixturePlan read_plan(const std::string& path);

}  // namespace caploop
