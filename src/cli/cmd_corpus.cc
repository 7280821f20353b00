// `caploop corpus`: tag pre-training corpora with the data taxonomy (`tag`) and merge their statistics (`stats`).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cli/command.h"
#include "cli/shard_option.h"
#include "cluster/collective_run.h"
#include "cluster/packed_strings.h"
#include "cluster/process_group.h"
#include "core/error.h"
#include "corpus/corpus_stats.h"
#include "corpus/data_taxonomy.h"
#include "corpus/tag_run.h"

namespace caploop::cli {
namespace {

struct CorpusTagArgs {
  std::string taxonomy;
  std::string out;
  int threads = 0;
  std::string shard = "1/1";
  std::string on_error = "fail";
  std::string id_field = "id";
  std::string text_field = "text";
  std::string tokenizer;  // sentencepiece model; empty = bytes/4 estimate
  double batch_mb = 1.0;
  std::vector<std::string> inputs;
};

struct CorpusStatsArgs {
  std::vector<std::string> dirs;
  bool json = false;
};

// What one process's share of `corpus tag` came to, as it travels to rank 0 (cluster/collective_run.h).
std::string pack_report(const corpus::TagRunReport& r) {
  return pack_strings({r.stats.to_json(), pack_strings(r.shards_tagged), pack_strings(r.shards_resumed),
                       pack_strings(r.failed_shards), pack_strings(r.skipped_lines),
                       std::to_string(r.skipped_line_count)});
}

corpus::TagRunReport unpack_report(const std::string& packed, size_t rank) {
  const std::string what = fmt::format("corpus tag report of rank {}", rank);
  const std::vector<std::string> f = unpack_strings(packed, what);
  if (f.size() != 6) throw Error(ErrorKind::kInternal, fmt::format("{}: {} fields, expected 6", what, f.size()));
  corpus::TagRunReport r;
  r.stats = corpus::parse_corpus_stats(f[0], what);
  r.shards_tagged = unpack_strings(f[1], what);
  r.shards_resumed = unpack_strings(f[2], what);
  r.failed_shards = unpack_strings(f[3], what);
  r.skipped_lines = unpack_strings(f[4], what);
  r.skipped_line_count = std::stoull(f[5]);
  return r;
}

corpus::TagRunOptions tag_run_options(const CorpusTagArgs& a, const ShardShare& share, bool progress) {
  using namespace caploop::corpus;
  TagRunOptions o;
  o.taxonomy = std::make_shared<const DataTaxonomy>(a.taxonomy.empty() ? builtin_data_taxonomy()
                                                                       : load_data_taxonomy(a.taxonomy));
  o.out_dir = a.out;
  for (const auto& in : a.inputs) o.inputs.emplace_back(in);
  o.threads = a.threads > 0 ? a.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  o.shard_index = share.index;
  o.shard_count = share.count;
  if (a.on_error == "skip")
    o.on_error = OnError::kSkip;
  else if (a.on_error == "fail")
    o.on_error = OnError::kFail;
  else
    throw_usage_error(fmt::format("--on-error must be skip or fail (got '{}')", a.on_error));
  o.id_field = a.id_field;
  o.text_field = a.text_field;
  o.tokenizer_model = a.tokenizer;
  if (a.batch_mb <= 0) throw_usage_error("--batch-mb must be positive");
  o.batch_bytes = static_cast<size_t>(a.batch_mb * (1 << 20));
  o.progress = progress;
  return o;
}

// Tags this process's share. Every rank reaches the gather whatever happens to its share, so one failing
// rank cannot leave the others waiting. Rank 0 prints for the whole group, errors of other ranks included, and
// exits non-zero when any rank failed; the other ranks print nothing and exit 0.
void run_tag(const CorpusTagArgs& a) {
  const ShardShare share = process_share(a.shard);  // usage errors here are the same on every rank
  ProcessGroup& group = ProcessGroup::current();
  const auto gathered = run_on_every_rank(group, [&] {
    return pack_report(corpus::run_corpus_tag(tag_run_options(a, share, !global_options().quiet && group.is_root())));
  });
  if (!gathered) return;

  // Rank 0: merge in rank order and print for the whole group.
  corpus::TagRunReport all;
  for (size_t rank = 0; rank < gathered->size(); ++rank) {
    corpus::TagRunReport r = unpack_report((*gathered)[rank], rank);
    all.shards_tagged.insert(all.shards_tagged.end(), r.shards_tagged.begin(), r.shards_tagged.end());
    all.shards_resumed.insert(all.shards_resumed.end(), r.shards_resumed.begin(), r.shards_resumed.end());
    all.failed_shards.insert(all.failed_shards.end(), r.failed_shards.begin(), r.failed_shards.end());
    all.skipped_lines.insert(all.skipped_lines.end(), r.skipped_lines.begin(), r.skipped_lines.end());
    all.skipped_line_count += r.skipped_line_count;
    all.stats.merge(r.stats);
  }
  const auto& r = all;
  for (const auto& s : r.skipped_lines) fmt::print(stderr, "skipped: {}\n", s);
  if (r.skipped_line_count > r.skipped_lines.size())
    fmt::print(stderr, "skipped: ... {} more (see the .stats.json files)\n",
               r.skipped_line_count - r.skipped_lines.size());
  for (const auto& s : r.failed_shards) fmt::print(stderr, "failed shard: {}\n", s);
  fmt::print(
      "shards tagged: {}, resumed: {}, failed: {}; documents: {}, bytes: {}, tokens (est.): {}, skipped lines: {}\n",
      r.shards_tagged.size(), r.shards_resumed.size(), r.failed_shards.size(), r.stats.total.docs, r.stats.total.bytes,
      r.stats.total.tokens, r.skipped_line_count);
  std::fflush(stdout);
  if (!r.failed_shards.empty())
    throw Error(ErrorKind::kInput, fmt::format("{} shard(s) failed and were not marked done; rerun to retry them",
                                               r.failed_shards.size()));
}

void run_stats(const CorpusStatsArgs& a) {
  using namespace caploop::corpus;
  CorpusStats s = merge_stats_files(a.dirs, nullptr);
  if (a.json) {
    fmt::print("{}", s.to_json());
    return;
  }
  fmt::print("taxonomy {}; {} shards, {} documents, {} bytes, {} tokens (est.), {} skipped lines\n", s.taxonomy,
             s.shards, s.total.docs, s.total.bytes, s.total.tokens, s.skipped);
  fmt::print("{:<44} {:>10} {:>7} {:>14} {:>12}\n", "tag", "docs", "docs%", "bytes", "tokens");
  for (const auto& [tag, c] : s.tags) {
    double pct = s.total.docs ? 100.0 * static_cast<double>(c.docs) / static_cast<double>(s.total.docs) : 0.0;
    fmt::print("{:<44} {:>10} {:>6.1f}% {:>14} {:>12}\n", tag, c.docs, pct, c.bytes, c.tokens);
  }
}

void setup(CLI::App& app) {
  auto* corpus = app.add_subcommand("corpus", "tag pre-training corpora with the data taxonomy; merge tag statistics");
  corpus->require_subcommand(1);

  auto tag_args = std::make_shared<CorpusTagArgs>();
  auto* tag = corpus->add_subcommand(
      "tag",
      "tag JSONL shards (.jsonl, .jsonl.gz, .jsonl.zst or folders of them); writes Dolma attribute files "
      "and per-shard statistics under --out, mirroring the input paths");
  tag->add_option("--taxonomy", tag_args->taxonomy, "data taxonomy TOML file (default: the built-in one)");
  tag->add_option("--out", tag_args->out, "output folder")->required();
  tag->add_option("--threads", tag_args->threads, "worker threads (0 = all cores)");
  tag->add_option(
      "--shard", tag_args->shard,
      "take share I of N of the sorted inputs (i mod N), e.g. 2/8; under mpirun the ranks divide that share");
  tag->add_option("--on-error", tag_args->on_error, "on a malformed line: skip (count, report) or fail");
  tag->add_option("--id-field", tag_args->id_field, "document id field (dotted path)");
  tag->add_option("--text-field", tag_args->text_field, "document text field (dotted path)");
  tag->add_option("--batch-mb", tag_args->batch_mb, "megabytes of input per work batch");
  tag->add_option("--tokenizer", tag_args->tokenizer,
                  "sentencepiece model (.model) counting tokens (default: estimate bytes/4)");
  tag->add_option("inputs", tag_args->inputs, "input files or folders")->required();
  tag->callback([tag_args] { run_tag(*tag_args); });

  auto stats_args = std::make_shared<CorpusStatsArgs>();
  auto* stats = corpus->add_subcommand("stats", "merge the statistics of tag runs (folders of *.stats.json)");
  stats->add_option("dirs", stats_args->dirs, "output folders of `corpus tag` runs, or .stats.json files")->required();
  stats->add_flag("--json", stats_args->json, "print the merged statistics as JSON");
  stats->callback([stats_args] { run_stats(*stats_args); });
}

static CommandRegistration reg(50, setup);

}  // namespace
}  // namespace caploop::cli
