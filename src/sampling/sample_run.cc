#include "sampling/sample_run.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <memory>

#include "cluster/collective_run.h"
#include "cluster/packed_strings.h"
#include "cluster/process_group.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/fnv1a.h"
#include "core/parallel_for.h"
#include "core/progress.h"
#include "corpus/tag_run.h"
#include "corpus/token_counter.h"
#include "io/line_reader.h"
#include "sampling/plan_checksum.h"
#include "sampling/sample_paths.h"
#include "sampling/shard_quota.h"
#include "sampling/shard_sample_record.h"
#include "sampling/shard_sampler.h"

namespace caploop::sampling {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kStatsSuffix = ".stats.json";

struct InputShard {
  fs::path input;
  size_t plan_shard = 0;
};

// The plan records checksums as hex digits, possibly after a "name:" prefix.
std::optional<uint64_t> parse_hex_checksum(const std::string& recorded) {
  std::string hex =
      recorded.substr(recorded.find_last_of(':') == std::string::npos ? 0 : recorded.find_last_of(':') + 1);
  if (hex.empty() || hex.size() > 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : hex) {
    int d = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : -1;
    if (d < 0) return std::nullopt;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  return v;
}

void check_statistics_unchanged(const MixturePlan& plan, size_t shard_index, const std::string& plan_file) {
  const PlanShard& shard = plan.corpus.shards[shard_index];
  std::optional<uint64_t> recorded = parse_hex_checksum(shard.checksum);
  if (!recorded)
    throw_input_error(fmt::format("shard '{}' has checksum '{}', not FNV-1a 64 hex digits", shard.path, shard.checksum),
                      {plan_file, 0, fmt::format("/corpus/shards/{}/checksum", shard_index)});
  std::error_code ec;
  if (!fs::exists(shard.stats_file, ec))
    throw Error(ErrorKind::kNotFound,
                fmt::format("statistics file of shard '{}' recorded in the plan is missing", shard.path),
                {shard.stats_file, 0, ""});
  const std::string bytes = read_whole_file(shard.stats_file, size_t{1} << 30);
  if (fnv1a64(bytes) != *recorded)
    throw Error(ErrorKind::kConflict,
                fmt::format("corpus statistics changed since the plan: {} (checksum {:016x}, the plan recorded {}); "
                            "re-plan from the current statistics",
                            shard.stats_file, fnv1a64(bytes), shard.checksum),
                {shard.stats_file, 0, ""});
}

fs::path attribute_file(const SampleRunOptions& o, const PlanShard& shard) {
  if (o.attributes_dir) return *o.attributes_dir / shard.path;
  if (shard.stats_file.ends_with(kStatsSuffix) && shard.stats_file.size() > kStatsSuffix.size())
    return shard.stats_file.substr(0, shard.stats_file.size() - kStatsSuffix.size());
  if (!o.plan.corpus.stats_dirs.empty()) return fs::path(o.plan.corpus.stats_dirs.front()) / shard.path;
  throw Error(ErrorKind::kNotFound,
              fmt::format("cannot tell where the attribute file of shard '{}' is; pass --attributes", shard.path));
}

// Maps every input to its plan shard; throws for inputs the plan does not know or that would share an output.
std::vector<InputShard> match_inputs(const SampleRunOptions& o) {
  std::map<std::string, size_t> by_path;
  for (size_t i = 0; i < o.plan.corpus.shards.size(); ++i) by_path.emplace(o.plan.corpus.shards[i].path, i);
  std::vector<InputShard> out;
  std::map<std::string, std::string> outputs;  // output name -> shard
  for (const fs::path& input : corpus::list_corpus_inputs(o.inputs)) {
    const std::string mirrored = corpus::mirrored_path(input).string();
    auto it = by_path.find(mirrored);
    if (it == by_path.end())
      throw Error(ErrorKind::kConflict,
                  fmt::format("shard not in plan: the plan's statistics do not count '{}' (give the inputs that were "
                              "tagged and planned)",
                              mirrored),
                  {input.string(), 0, ""});
    auto [prev, added] = outputs.emplace(sample_output_name(mirrored), mirrored);
    if (!added)
      throw_input_error(fmt::format("shards '{}' and '{}' would both be sampled into '{}'; rename one", prev->second,
                                    mirrored, prev->first),
                        {input.string(), 0, ""});
    out.push_back({input, it->second});
  }
  return out;
}

bool already_done(const SamplePaths& paths, const std::string& checksum, uint64_t seed, const std::string& shard) {
  std::error_code ec;
  if (!fs::exists(paths.done_mark, ec) || !fs::exists(paths.output, ec) || !fs::exists(paths.manifest, ec))
    return false;
  try {
    ShardSampleRecord r =
        parse_shard_record(read_whole_file(paths.done_mark, size_t{1} << 26), paths.done_mark.string());
    return r.plan_checksum == checksum && r.seed == seed && r.shard == shard;
  } catch (const Error&) {
    return false;  // an unreadable done mark does not mark the shard done; it is drawn again
  }
}

// What one process's share came to, as it travels to rank 0 (cluster/collective_run.h).
std::string pack_report(const SampleRunReport& r) {
  return pack_strings({pack_strings(r.shards_sampled), pack_strings(r.shards_resumed)});
}

SampleRunReport unpack_report(const std::string& packed, size_t rank) {
  const std::string what = fmt::format("sample report of rank {}", rank);
  const std::vector<std::string> f = unpack_strings(packed, what);
  if (f.size() != 2) throw Error(ErrorKind::kInternal, fmt::format("{}: {} fields, expected 2", what, f.size()));
  SampleRunReport r;
  r.shards_sampled = unpack_strings(f[0], what);
  r.shards_resumed = unpack_strings(f[1], what);
  return r;
}

// The counter the plan's statistics were counted with; a sentencepiece plan needs its model.
std::unique_ptr<corpus::TokenCounter> plan_token_counter(const SampleRunOptions& o) {
  const std::string planned =
      o.plan.corpus.tokenizer.empty() ? std::string(corpus::kEstimateTokenizer) : o.plan.corpus.tokenizer;
  auto counter = o.tokenizer_model.empty() ? std::make_unique<corpus::TokenCounter>()
                                           : std::make_unique<corpus::TokenCounter>(o.tokenizer_model);
  if (counter->id() == planned) return counter;
  if (o.tokenizer_model.empty())
    throw Error(ErrorKind::kConflict,
                fmt::format("the plan's statistics counted tokens with {}; pass --tokenizer with that model", planned),
                {o.plan_file, 0, "/corpus/tokenizer"});
  throw Error(
      ErrorKind::kConflict,
      fmt::format("tokenizer {} is not the one the plan's statistics counted with ({})", counter->id(), planned),
      {o.tokenizer_model.string(), 0, ""});
}

}  // namespace

SampleRunReport sample_shards(const SampleRunOptions& o) {
  if (o.share.count < 1 || o.share.index < 0 || o.share.index >= o.share.count)
    throw_usage_error(
        fmt::format("--shard must be I/N with 1 <= I <= N (got index {} of {})", o.share.index + 1, o.share.count));
  check_plan_for_sampling(o.plan, o.plan_file);
  SampleRunReport report;
  report.plan_checksum = sampling_plan_checksum(o.plan);
  const std::vector<std::vector<int64_t>> quotas = shard_remainder_quotas(o.plan);
  const std::unique_ptr<corpus::TokenCounter> tokens = plan_token_counter(o);

  const std::vector<InputShard> inputs = match_inputs(o);
  for (const InputShard& in : inputs) check_statistics_unchanged(o.plan, in.plan_shard, o.plan_file);

  std::vector<ShardSampleJob> pending;
  uint64_t pending_bytes = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!share_takes(o.share, i)) continue;
    const PlanShard& shard = o.plan.corpus.shards[inputs[i].plan_shard];
    if (already_done(sample_paths(o.out_dir, shard.path), report.plan_checksum, o.seed, shard.path)) {
      report.shards_resumed.push_back(shard.path);
      continue;
    }
    ShardSampleJob job;
    job.plan = &o.plan;
    job.shard = inputs[i].plan_shard;
    job.documents = inputs[i].input;
    job.attributes = attribute_file(o, shard);
    job.remainder_quotas = quotas[inputs[i].plan_shard];
    job.seed = o.seed;
    job.plan_checksum = report.plan_checksum;
    job.out_dir = o.out_dir;
    job.id_field = o.id_field;
    job.text_field = o.text_field;
    job.tokens = tokens.get();
    std::error_code ec;
    pending_bytes += 2 * fs::file_size(job.documents, ec);
    pending.push_back(std::move(job));
  }

  // Shards are independent: workers take the next one in order; outputs never depend on timing.
  Progress progress("sample", pending_bytes, o.progress);
  std::vector<char> sampled(pending.size(), 0);
  try {
    parallel_for(pending.size(), static_cast<unsigned>(std::max(1, o.threads)), [&](size_t j) {
      sample_shard(pending[j], &progress);
      sampled[j] = 1;
    });
  } catch (...) {
    progress.finish();
    throw;
  }
  progress.finish();
  for (size_t j = 0; j < pending.size(); ++j)
    if (sampled[j]) report.shards_sampled.push_back(o.plan.corpus.shards[pending[j].shard].path);
  return report;
}

SampleComposition write_sample_composition(const SampleRunOptions& o) {
  SampleComposition c = compose_sample(o.plan, sampling_plan_checksum(o.plan), o.seed, o.out_dir);
  write_file_atomically(o.out_dir / "composition.json", composition_to_json(c));
  return c;
}

SampleRunReport run_sample(const SampleRunOptions& o, ProcessGroup& group) {
  SampleRunReport mine;
  const auto gathered = run_on_every_rank(group, [&] {
    mine = sample_shards(o);
    return pack_report(mine);
  });
  if (!gathered) return mine;

  SampleRunReport all;
  all.plan_checksum = sampling_plan_checksum(o.plan);
  for (size_t rank = 0; rank < gathered->size(); ++rank) {
    const SampleRunReport r = unpack_report((*gathered)[rank], rank);
    all.shards_sampled.insert(all.shards_sampled.end(), r.shards_sampled.begin(), r.shards_sampled.end());
    all.shards_resumed.insert(all.shards_resumed.end(), r.shards_resumed.begin(), r.shards_resumed.end());
  }
  std::sort(all.shards_sampled.begin(), all.shards_sampled.end());
  std::sort(all.shards_resumed.begin(), all.shards_resumed.end());
  all.composition = write_sample_composition(o);
  all.wrote_composition = true;
  return all;
}

}  // namespace caploop::sampling
