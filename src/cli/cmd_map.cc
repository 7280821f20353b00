// caploop map: which mapping rules fire for the weak slices of a diagnosis or weakness list, which data
// categories they point to, and which slices map to nothing (the gaps).
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/text_table.h"
#include "core/error.h"
#include "core/json_writer.h"
#include "corpus/data_taxonomy.h"
#include "mapping/mapping_rules.h"
#include "mapping/slice_mapping.h"
#include "mapping/slice_mapping_json.h"
#include "mapping/weak_slice.h"
#include "slices/slice_label.h"
#include "taxonomy/eval_taxonomy.h"

namespace caploop::cli {
namespace {

struct Options {
  std::string diagnosis, weaknesses, mapping, eval_taxonomy, data_taxonomy;
  bool json = false;
};

std::string joined(const std::vector<std::string>& values, const std::string& separator) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : separator) + v;
  return out;
}

// Categories of a row's fired rules with their weights, in rule order, each once.
std::string categories_of(const SliceMappingRow& row) {
  std::vector<std::string> parts;
  for (const FiredRule& f : row.fired) {
    if (f.category.empty()) continue;
    std::string part = fmt::format("{} x{}", f.category, f.weight);
    if (std::find(parts.begin(), parts.end(), part) == parts.end()) parts.push_back(part);
  }
  return parts.empty() ? "-" : joined(parts, ", ");
}

// "rule" when a slice tag fired it, "rule (equivalent)" or "rule (operations 62%)" on the other paths.
std::string rules_of(const SliceMappingRow& row) {
  std::vector<std::string> ids;
  for (const FiredRule& f : row.fired) {
    if (f.path == "tags") {
      ids.push_back(f.rule_id);
    } else if (f.path == "operations") {
      ids.push_back(fmt::format("{} (operations {:.0f}%)", f.rule_id, 100 * f.share));
    } else {
      ids.push_back(fmt::format("{} ({})", f.rule_id, f.path));
    }
  }
  return ids.empty() ? "-" : joined(ids, ",");
}

void print_table(const WeakSliceList& slices, const MappingRules& rules, const SliceMapping& mapping) {
  const WeakSliceSource& src = slices.source;
  if (src.kind == "diagnosis") {
    fmt::print("diagnosis {} ({} -> {}): verdict {}{}\n", src.file, src.baseline, src.candidate,
               src.verdict ? verdict_name(*src.verdict) : "",
               src.cause ? fmt::format(" (cause: {})", cause_name(*src.cause)) : "");
  } else {
    fmt::print("weakness list {}\n", src.file);
  }
  fmt::print("mapping {} v{} ({}, {} rules): {} weak slices, {} categories\n", rules.name, rules.version, rules.source,
             rules.rules.size(), slices.slices.size(), mapping.categories.size());
  if (src.kind == "diagnosis" && src.verdict != Verdict::kDataRuledIn) {
    fmt::print("no weak slices to map: the verdict is not data_ruled_in\n");
    return;
  }
  TextTable table({"slice", "tags", "items", "lost%", "status", "rules", "categories"});
  for (const SliceMappingRow& row : mapping.rows) {
    const WeakSlice& s = *row.slice;
    table.add_row({s.id, slice_label(s.tags), std::to_string(s.n), fmt::format("{:.1f}", 100 * s.severity),
                   std::string(slice_status_name(row.status)), rules_of(row), categories_of(row)});
  }
  fmt::print("{}", table.render());
  std::vector<const SliceMappingRow*> gaps;
  for (const SliceMappingRow& row : mapping.rows) {
    if (row.status == SliceStatus::kUnmapped) gaps.push_back(&row);
  }
  if (gaps.empty()) {
    fmt::print("gaps: none\n");
    return;
  }
  fmt::print("gaps: {} slice{} no rule maps to data\n", gaps.size(), gaps.size() == 1 ? "" : "s");
  for (const SliceMappingRow* row : gaps) {
    fmt::print("  {} {} ({} items)\n", row->slice->id, slice_label(row->slice->tags), row->slice->n);
  }
}

void setup(CLI::App& app) {
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "map",
      "show which mapping rules connect the weak slices of a diagnosis or weakness list to data categories, "
      "and which slices map to nothing (gaps); exit 0");
  auto* diagnosis = cmd->add_option("--diagnosis", opt->diagnosis, "diagnosis JSON (caploop diagnose --json)");
  auto* weaknesses = cmd->add_option("--weaknesses", opt->weaknesses, "weakness list JSON (caploop weaknesses --json)");
  diagnosis->excludes(weaknesses);
  cmd->add_option("--mapping", opt->mapping, "mapping rules TOML (default: built-in; format in docs/mapping.md)");
  cmd->add_option("--eval-taxonomy", opt->eval_taxonomy,
                  "evaluation taxonomy TOML the rules are checked against "
                  "(default: built-in)");
  cmd->add_option("--data-taxonomy", opt->data_taxonomy,
                  "data taxonomy TOML the rules are checked against "
                  "(default: built-in)");
  cmd->add_flag("--json", opt->json, "print JSON");
  cmd->callback([opt] {
    if (opt->diagnosis.empty() == opt->weaknesses.empty()) {
      throw_usage_error("give one of --diagnosis FILE or --weaknesses FILE");
    }
    const std::string& file = opt->diagnosis.empty() ? opt->weaknesses : opt->diagnosis;
    MappingRules rules = opt->mapping.empty() ? builtin_mapping_rules() : load_mapping_rules(opt->mapping);
    EvalTaxonomy loaded_eval;
    const EvalTaxonomy* eval = &EvalTaxonomy::builtin();
    if (!opt->eval_taxonomy.empty()) {
      loaded_eval = EvalTaxonomy::load(opt->eval_taxonomy);
      eval = &loaded_eval;
    }
    const corpus::DataTaxonomy data =
        opt->data_taxonomy.empty() ? corpus::builtin_data_taxonomy() : corpus::load_data_taxonomy(opt->data_taxonomy);
    validate_against(rules, *eval, data);
    WeakSliceList slices = read_weak_slices(file);  // either option takes either kind: the file's keys decide
    SliceMapping mapping = map_weak_slices(rules, slices.slices);
    if (opt->json) {
      JsonWriter w(true);
      write_slice_mapping_json(w, slices, rules, mapping);
      fmt::print("{}\n", w.str());
      return;
    }
    print_table(slices, rules, mapping);
  });
}

CommandRegistration reg(120, setup);

}  // namespace
}  // namespace caploop::cli
