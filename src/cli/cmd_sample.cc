// `caploop sample`: draw a plan (caploop plan) from the tagged corpus: per-stream token quotas, whole extra
// epochs, seeded keys; .jsonl.zst output shards with manifests mirroring the inputs, and composition.json.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/command.h"
#include "cli/shard_option.h"
#include "cli/text_table.h"
#include "cluster/process_group.h"
#include "core/error.h"
#include "mixture/mixture_plan.h"
#include "sampling/sample_arm.h"
#include "sampling/sample_composition.h"
#include "sampling/sample_run.h"

namespace caploop::cli {
namespace {

struct SampleArgs {
  std::string plan;
  uint64_t seed = 0;
  std::string out;
  std::string attributes;
  std::string shard = "1/1";
  int threads = 0;
  std::string id_field = "id";
  std::string text_field = "text";
  std::string tokenizer;
  std::string arm = "targeted";
  bool json = false;
  std::vector<std::string> inputs;
};

void print_composition(const sampling::SampleRunReport& r) {
  const sampling::SampleComposition& c = r.composition;
  fmt::print("shards sampled: {}, resumed: {}; done: {} of {} shards ({}); {} tokens in {} lines\n",
             r.shards_sampled.size(), r.shards_resumed.size(), c.shards_done, c.shards_total,
             c.complete ? "complete" : "incomplete", c.drawn_tokens, c.output_lines);
  TextTable t({"stream", "available", "quota", "drawn", "error%", "draws", "epochs", "share%"});
  for (const sampling::StreamComposition& s : c.streams)
    t.add_row({s.name, std::to_string(s.available_tokens), std::to_string(s.done_quota_tokens),
               std::to_string(s.drawn_tokens), fmt::format("{:+.2f}", 100 * s.relative_error), std::to_string(s.draws),
               fmt::format("{:.2f}", s.epochs), fmt::format("{:.1f}", 100 * s.share)});
  fmt::print("{}", t.render());
  if (!c.complete)
    fmt::print("quota and error cover the {} shards done; {} shard(s) not drawn yet\n", c.shards_done,
               c.missing_shards.size());
}

// Draws this process's share; under mpirun rank 0 prints for the whole group (sample_run.h run_sample).
void run(const SampleArgs& a) {
  const ShardShare share = process_share(a.shard);  // usage errors here are the same on every rank
  ProcessGroup& group = ProcessGroup::current();
  sampling::SampleRunOptions o;
  o.plan = sampling::plan_for_arm(read_plan(a.plan), a.arm, a.plan);
  o.plan_file = a.plan;
  o.seed = a.seed;
  o.out_dir = a.out;
  if (!a.attributes.empty()) o.attributes_dir = a.attributes;
  for (const auto& in : a.inputs) o.inputs.emplace_back(in);
  o.share = share;
  o.threads = a.threads > 0 ? a.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  o.id_field = a.id_field;
  o.text_field = a.text_field;
  o.tokenizer_model = a.tokenizer;
  o.progress = !global_options().quiet && group.is_root();
  const sampling::SampleRunReport r = sampling::run_sample(o, group);
  if (!r.wrote_composition) return;
  if (a.json)
    fmt::print("{}", sampling::composition_to_json(r.composition));
  else
    print_composition(r);
  std::fflush(stdout);
}

void setup(CLI::App& app) {
  auto args = std::make_shared<SampleArgs>();
  auto* cmd = app.add_subcommand(
      "sample",
      "draw a plan from the tagged corpus: documents per stream up to each quota (whole extra epochs, then "
      "seeded draws without replacement); writes .jsonl.zst shards, manifests and composition.json under --out");
  cmd->add_option("--plan", args->plan, "plan file (caploop plan --out)")->required();
  cmd->add_option("--seed", args->seed, "seed of the draw: the same seed gives the same sample")->required();
  cmd->add_option("--out", args->out, "output folder (mirrors the input paths)")->required();
  cmd->add_option("--attributes", args->attributes,
                  "output folder of `corpus tag` holding the attribute files (default: next to each shard's "
                  "statistics file recorded in the plan)");
  cmd->add_option(
      "--shard", args->shard,
      "take share I of N of the sorted inputs (i mod N), e.g. 2/8; under mpirun the ranks divide that share");
  cmd->add_option("--threads", args->threads, "shards drawn at once (0 = all cores)");
  cmd->add_option("--id-field", args->id_field, "document id field, as given to `corpus tag`");
  cmd->add_option("--text-field", args->text_field, "document text field, as given to `corpus tag`");
  cmd->add_option("--tokenizer", args->tokenizer,
                  "sentencepiece model the statistics were counted with (as given to `corpus tag`)");
  cmd->add_option("--arm", args->arm,
                  "targeted (the plan's streams) or control (its control arm: same budget, base proportions); "
                  "draw each arm into its own --out")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "print composition.json instead of the table");
  cmd->add_option("inputs", args->inputs, "the corpus shards (files or folders) given to `corpus tag`")->required();
  cmd->callback([args] { run(*args); });
}

CommandRegistration reg(130, setup);

}  // namespace
}  // namespace caploop::cli
