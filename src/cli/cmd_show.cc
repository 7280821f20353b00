// caploop show: one item across every run that evaluated it: question, reference, responses and scores.
#include <fmt/format.h>

#include "cli/command.h"
#include "core/error.h"
#include "eval/rule_registry.h"
#include "store/item_lookup.h"
#include "store/workspace_db.h"
#include "workspace/item_json.h"

namespace caploop::cli {
namespace {

struct Options {
  std::string item;  // [benchmark/]task:id or id
  std::string rule;
  bool json = false;
  bool full = false;
};

std::string clip(const std::string& s, bool full, size_t limit = 600) {
  if (full || s.size() <= limit) return s;
  return s.substr(0, limit / 3) + fmt::format("\n  [... {} bytes ...]\n", s.size() - limit) +
         s.substr(s.size() - 2 * limit / 3);
}

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("show", "show one item across runs: question, reference, responses, scores");
  cmd->add_option("item", opt->item, "item as TASK:ID, BENCHMARK/TASK:ID or ID (as the source numbered it)")
      ->required();
  cmd->add_option("--rule", opt->rule, "scoring rule whose stored scores to show (default: benchmark default)");
  cmd->add_flag("--full", opt->full, "print whole prompts and responses");
  cmd->add_flag("--json", opt->json, "print JSON");
  cmd->callback([opt] {
    WorkspaceDb ws(global_options().db_path, WorkspaceAccess::kRead);
    std::optional<std::string> benchmark, task;
    std::string id = opt->item;
    if (auto colon = id.rfind(':'); colon != std::string::npos) {
      std::string prefix = id.substr(0, colon);
      id = id.substr(colon + 1);
      if (auto slash = prefix.find('/'); slash != std::string::npos) {
        benchmark = prefix.substr(0, slash);
        task = prefix.substr(slash + 1);
      } else {
        task = prefix;
      }
    }
    auto items = find_items(ws, id, task, benchmark);
    if (items.empty()) throw Error(ErrorKind::kNotFound, fmt::format("no item '{}' in the workspace", opt->item));
    if (items.size() > 1) {
      std::string names;
      for (const auto& it : items) names += fmt::format(" {}/{}:{}", it.benchmark, it.task, it.source_id);
      throw Error(ErrorKind::kUsage,
                  fmt::format("'{}' matches {} items; name one of:{}", opt->item, items.size(), names));
    }
    const ItemRow& item = items[0];
    std::string rule = opt->rule.empty() ? std::string(default_rule_name_for(item.benchmark)) : opt->rule;
    auto runs = responses_for_item(ws, item.id, rule);
    if (opt->json) {
      fmt::print("{}\n", item_across_runs_to_json(item, rule, runs));
      return;
    }
    fmt::print("{}/{}:{}\nquestion:\n  {}\nmetadata: {}\n", item.benchmark, item.task, item.source_id,
               clip(item.question, opt->full), item.metadata_json);
    for (const auto& r : runs) {
      fmt::print("\n== run {}  reference: {}\n", r.run, r.reference);
      for (const auto& s : r.responses) {
        std::string verdict = s.correct ? (*s.correct ? "correct" : "wrong") : "not scored";
        fmt::print("-- sample {}: {} (rule {}, answer '{}', ending {}{})\n{}\n", s.sample_index, verdict, rule,
                   s.answer.value_or(""), s.ending.value_or("-"),
                   s.finish_reason ? ", finish_reason " + *s.finish_reason : "", clip(s.text, opt->full));
      }
    }
    if (runs.empty()) fmt::print("(no run evaluated this item)\n");
  });
}

CommandRegistration reg(70, setup);

}  // namespace
}  // namespace caploop::cli
