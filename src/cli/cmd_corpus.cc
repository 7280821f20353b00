// `caploop corpus`: tag pre-training corpora with the data taxonomy (`tag`) and merge their statistics (`stats`).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/command.h"
#include "cli/shard_option.h"
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
  double batch_mb = 1.0;
  std::vector<std::string> inputs;
};

struct CorpusStatsArgs {
  std::vector<std::string> dirs;
  bool json = false;
};

void run_tag(const CorpusTagArgs& a) {
  using namespace caploop::corpus;
  TagRunOptions o;
  o.taxonomy = std::make_shared<const DataTaxonomy>(a.taxonomy.empty() ? builtin_data_taxonomy()
                                                                       : load_data_taxonomy(a.taxonomy));
  o.out_dir = a.out;
  for (const auto& in : a.inputs) o.inputs.emplace_back(in);
  o.threads = a.threads > 0 ? a.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const ShardShare share = effective_share(parse_shard_flag(a.shard), ProcessGroup::current());
  o.shard_index = share.index;
  o.shard_count = share.count;
  if (a.on_error == "skip") o.on_error = OnError::kSkip;
  else if (a.on_error == "fail") o.on_error = OnError::kFail;
  else throw_usage_error(fmt::format("--on-error must be skip or fail (got '{}')", a.on_error));
  o.id_field = a.id_field;
  o.text_field = a.text_field;
  if (a.batch_mb <= 0) throw_usage_error("--batch-mb must be positive");
  o.batch_bytes = static_cast<size_t>(a.batch_mb * (1 << 20));
  o.progress = !global_options().quiet;
  TagRunReport r = run_corpus_tag(o);
  for (const auto& s : r.skipped_lines) fmt::print(stderr, "skipped: {}\n", s);
  if (r.skipped_line_count > r.skipped_lines.size())
    fmt::print(stderr, "skipped: ... {} more (see the .stats.json files)\n", r.skipped_line_count - r.skipped_lines.size());
  for (const auto& s : r.failed_shards) fmt::print(stderr, "failed shard: {}\n", s);
  fmt::print("shards tagged: {}, resumed: {}, failed: {}; documents: {}, bytes: {}, tokens (est.): {}, skipped lines: {}\n",
             r.shards_tagged.size(), r.shards_resumed.size(), r.failed_shards.size(), r.stats.total.docs,
             r.stats.total.bytes, r.stats.total.tokens, r.skipped_line_count);
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
      "tag", "tag JSONL shards (.jsonl, .jsonl.gz, .jsonl.zst or folders of them); writes Dolma attribute files "
             "and per-shard statistics under --out, mirroring the input paths");
  tag->add_option("--taxonomy", tag_args->taxonomy, "data taxonomy TOML file (default: the built-in one)");
  tag->add_option("--out", tag_args->out, "output folder")->required();
  tag->add_option("--threads", tag_args->threads, "worker threads (0 = all cores)");
  tag->add_option("--shard", tag_args->shard, "take share I of N of the sorted inputs (i mod N), e.g. 2/8");
  tag->add_option("--on-error", tag_args->on_error, "on a malformed line: skip (count, report) or fail");
  tag->add_option("--id-field", tag_args->id_field, "document id field (dotted path)");
  tag->add_option("--text-field", tag_args->text_field, "document text field (dotted path)");
  tag->add_option("--batch-mb", tag_args->batch_mb, "megabytes of input per work batch");
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
