#include "loop/loop_config.h"

#include <fmt/format.h>
#include <fnmatch.h>
#include <toml++/toml.h>

#include <algorithm>
#include <set>

#include "core/error.h"
#include "io/toml_file.h"
#include "io/toml_table_reader.h"
#include "mixture/plan_builder.h"

namespace caploop {
namespace fs = std::filesystem;

namespace {

const toml::table& table_or_throw(const std::string& file, const toml::node& n, const std::string& name) {
  if (!n.is_table()) fail_at(file, n, name, fmt::format("'{}' must be a table, got {}", name, type_name_of(n)));
  return *n.as_table();
}

// Tables of an array of tables ([[runs]]).
std::vector<const toml::table*> array_of_tables(const std::string& file, const toml::node* n, const std::string& name) {
  std::vector<const toml::table*> out;
  if (!n) return out;
  if (!n->is_array_of_tables())
    fail_at(file, *n, name, fmt::format("'{}' must be an array of tables ([[{}]])", name, name));
  for (const toml::node& e : *n->as_array()) out.push_back(e.as_table());
  return out;
}

class PathResolver {
 public:
  PathResolver(const std::string& file, fs::path base) : file_(file), base_(std::move(base)) {}

  fs::path resolve(const std::string& rel) const {
    fs::path p(rel);
    if (p.is_absolute() || base_.empty()) return p.lexically_normal();
    return (base_ / p).lexically_normal();
  }

  // Existing files or folders; a '*' or '?' in the last component is a file-name pattern (sorted matches).
  std::vector<fs::path> existing(const std::string& rel, int64_t line, const std::string& key) const {
    const fs::path p = resolve(rel);
    const std::string name = p.filename().string();
    std::error_code ec;
    if (name.find_first_of("*?[") == std::string::npos) {
      if (!fs::exists(p, ec))
        throw Error(ErrorKind::kNotFound, fmt::format("'{}' does not exist (resolved to {})", rel, p.string()),
                    SourceLocation{file_, line, key});
      return {p};
    }
    std::vector<fs::path> out;
    const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    if (fs::is_directory(dir, ec)) {
      for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (fnmatch(name.c_str(), e.path().filename().string().c_str(), 0) == 0)
          out.push_back(p.parent_path() / e.path().filename());
      }
    }
    if (out.empty())
      throw Error(ErrorKind::kNotFound, fmt::format("no file matches '{}' (resolved to {})", rel, p.string()),
                  SourceLocation{file_, line, key});
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  const std::string& file_;
  fs::path base_;
};

// The names the loop writes directly in its output folder: a comparison folder must not take one of them.
bool is_loop_output_name(const std::string& name, const LoopConfig& c) {
  std::string workspace = c.workspace.parent_path() == c.out ? c.workspace.filename().string() : "caploop.db";
  for (const std::string& taken :
       {std::string("report.html"), std::string("ingested.json"), std::string("loop-outputs.txt"),
        std::string("corpus"), std::string("caploop.db"), workspace})
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      if (name == taken + suffix) return true;
  return false;
}

bool plain_folder_name(const std::string& name) {
  if (name.empty() || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  });
}

LoopRun read_run(const std::string& file, const toml::table& t, size_t index, const PathResolver& paths) {
  const std::string prefix = fmt::format("runs[{}]", index + 1);
  TomlTableReader r(file, t, prefix);
  LoopRun run;
  run.line = line_of(t);
  run.name = r.nonempty_string("name");
  run.format = r.string("format").value_or("generic");
  try {
    parse_ingest_format(run.format);
  } catch (const Error& e) {
    fail_at(file, *t.get("format"), r.key_name("format"), e.message());
  }
  std::optional<std::vector<std::string>> listed = r.string_or_strings("paths");
  if (!listed || listed->empty()) r.missing("paths");
  for (const std::string& p : *listed) {
    for (fs::path& f : paths.existing(p, r.line_of_key("paths"), r.key_name("paths")))
      run.paths.push_back(std::move(f));
  }
  run.model = r.string("model").value_or("");
  run.checkpoint = r.string("checkpoint").value_or("");
  run.rule = r.string("rule");
  for (const std::string& choice : r.string_or_strings("rules").value_or(std::vector<std::string>{})) {
    try {
      run.task_rules.push_back(parse_task_rule(choice));
    } catch (const Error& e) {
      fail_at(file, *t.get("rules"), r.key_name("rules"), e.message());
    }
  }
  GenericMapping& m = run.mapping;
  m.benchmark = r.string("benchmark").value_or("");
  m.records_pointer = r.string("records").value_or("");
  m.id_pointer = r.string("id");
  m.input_pointer = r.string("input").value_or("");
  m.response_pointer = r.string("response");
  m.responses_pointer = r.string("responses");
  m.response_text_pointer = r.string("response_text").value_or("");
  m.target_pointer = r.string("target").value_or("");
  m.finish_reason_pointer = r.string("finish_reason");
  m.n_tokens_pointer = r.string("n_tokens");
  m.task_pointer = r.string("task_field");
  m.task_file_regex = r.string("task_from_filename");
  m.task = r.string("task");
  m.metadata_pointers = r.string_or_strings("metadata").value_or(std::vector<std::string>{});
  if (run.format == "generic") {
    try {
      validate_generic_mapping(m);
    } catch (const Error& e) {
      throw Error(ErrorKind::kInput, e.message(), SourceLocation{file, run.line, prefix});
    }
  }
  r.reject_unknown();
  return run;
}

}  // namespace

const LoopRun* LoopConfig::find_run(std::string_view name) const {
  for (const LoopRun& r : runs) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

LoopConfig parse_loop_config(std::string_view toml_text, const fs::path& file) {
  const std::string name = file.string();
  const toml::table root = parse_toml_or_throw(toml_text, name);
  const PathResolver paths(name, file.parent_path());
  LoopConfig c;
  c.file = file;
  TomlTableReader top(name, root, "");

  // [loop]
  if (const toml::node* n = top.node("loop")) {
    TomlTableReader r(name, table_or_throw(name, *n, "loop"), "loop");
    if (auto out = r.string("out")) c.out = paths.resolve(*out);
    if (auto seed = r.integer("seed")) {
      if (*seed < 0) fail_at(name, *n->as_table()->get("seed"), "loop.seed", "must be >= 0");
      c.seed = static_cast<uint64_t>(*seed);
    }
    if (auto threads = r.integer("threads")) {
      if (*threads < 1 || *threads > 1024)
        fail_at(name, *n->as_table()->get("threads"), "loop.threads", "must be between 1 and 1024");
      c.threads = static_cast<unsigned>(*threads);
    }
    if (auto ws = r.string("workspace")) c.workspace = *ws;
    r.reject_unknown();
  }
  if (c.out.empty()) c.out = paths.resolve("out/loop");
  c.workspace =
      c.workspace.empty() ? c.out / "caploop.db" : (c.workspace.is_absolute() ? c.workspace : c.out / c.workspace);

  // [[runs]]
  std::vector<const toml::table*> runs = array_of_tables(name, top.node("runs"), "runs");
  std::set<std::string> run_names;
  for (size_t i = 0; i < runs.size(); ++i) {
    LoopRun run = read_run(name, *runs[i], i, paths);
    if (!run_names.insert(run.name).second)
      fail_at(name, *runs[i]->get("name"), fmt::format("runs[{}].name", i + 1),
              fmt::format("run '{}' is declared twice", run.name));
    c.runs.push_back(std::move(run));
  }

  // [[comparisons]]
  std::vector<const toml::table*> comparisons = array_of_tables(name, top.node("comparisons"), "comparisons");
  if (comparisons.empty())
    throw Error(ErrorKind::kInput, "no [[comparisons]]: the loop needs at least one baseline/candidate pair",
                SourceLocation{name, 0, "comparisons"});
  std::set<std::string> comparison_names;
  for (size_t i = 0; i < comparisons.size(); ++i) {
    const std::string prefix = fmt::format("comparisons[{}]", i + 1);
    TomlTableReader r(name, *comparisons[i], prefix);
    LoopComparison cmp;
    cmp.line = line_of(*comparisons[i]);
    cmp.name = r.nonempty_string("name");
    if (!plain_folder_name(cmp.name))
      fail_at(name, *comparisons[i]->get("name"), prefix + ".name",
              "must be a plain folder name (letters, digits, '-', '_', '.')");
    if (is_loop_output_name(cmp.name, c))
      fail_at(name, *comparisons[i]->get("name"), prefix + ".name",
              fmt::format("'{}' is a file or folder the loop itself writes in its output folder; choose another "
                          "name",
                          cmp.name));
    if (!comparison_names.insert(cmp.name).second)
      fail_at(name, *comparisons[i]->get("name"), prefix + ".name",
              fmt::format("comparison '{}' is declared twice", cmp.name));
    cmp.baseline = r.nonempty_string("baseline");
    cmp.candidate = r.nonempty_string("candidate");
    cmp.after = r.string("after");
    // control arm (issue 13): the run trained as long on the plan's control mixture
    cmp.control = r.string("control");
    if (cmp.control && !cmp.after)
      fail_at(name, *comparisons[i]->get("control"), prefix + ".control",
              "needs `after` (the targeted run the control is compared with)");
    for (const char* key : {"baseline", "candidate", "after", "control"}) {
      const toml::node* n = comparisons[i]->get(key);
      if (n && !run_names.contains(n->as_string()->get()))
        fail_at(name, *n, prefix + "." + key, fmt::format("no [[runs]] entry is named '{}'", n->as_string()->get()));
    }
    r.reject_unknown();
    c.comparisons.push_back(std::move(cmp));
  }

  // [corpus]
  if (const toml::node* n = top.node("corpus")) {
    TomlTableReader r(name, table_or_throw(name, *n, "corpus"), "corpus");
    LoopCorpus corpus;
    std::optional<std::vector<std::string>> inputs = r.string_or_strings("inputs");
    if (!inputs || inputs->empty()) r.missing("inputs");
    for (const std::string& p : *inputs) {
      for (fs::path& f : paths.existing(p, r.line_of_key("inputs"), "corpus.inputs"))
        corpus.inputs.push_back(std::move(f));
    }
    if (auto t = r.string("taxonomy"))
      corpus.taxonomy = paths.existing(*t, r.line_of_key("taxonomy"), "corpus.taxonomy")[0];
    corpus.text_field = r.string("text_field").value_or("text");
    corpus.id_field = r.string("id_field").value_or("id");
    r.reject_unknown();
    c.corpus = std::move(corpus);
  }

  // [plan]
  if (const toml::node* n = top.node("plan")) {
    const toml::table& t = table_or_throw(name, *n, "plan");
    TomlTableReader r(name, t, "plan");
    if (auto v = r.integer("budget_tokens")) {
      if (*v <= 0) fail_at(name, *t.get("budget_tokens"), "plan.budget_tokens", "must be > 0");
      c.plan.budget_tokens = *v;
    }
    if (auto v = r.string("mapping")) c.mapping = paths.existing(*v, r.line_of_key("mapping"), "plan.mapping")[0];
    auto set = [&](const char* key, double& dst) {
      if (auto v = r.number(key)) dst = *v;
    };
    set("max_epochs", c.plan.max_epochs);
    set("max_category_share", c.plan.max_category_share);
    set("min_base_share", c.plan.min_base_share);
    set("alpha", c.plan.alpha);
    set("power", c.plan.power);
    set("guard_margin", c.plan.guard_margin);
    if (auto v = r.string("base_axis")) c.plan.base_axis = *v;
    r.reject_unknown();
    if (c.plan.budget_tokens > 0) {
      try {
        validate_plan_options(c.plan);
      } catch (const Error& e) {
        throw Error(ErrorKind::kInput, e.message(), SourceLocation{name, line_of(t), "plan"});
      }
    }
  }

  // [verify]
  if (const toml::node* n = top.node("verify")) {
    const toml::table& t = table_or_throw(name, *n, "verify");
    TomlTableReader r(name, t, "verify");
    if (auto v = r.number("fdr")) {
      if (!(*v > 0.0 && *v < 1.0)) fail_at(name, *t.get("fdr"), "verify.fdr", "must be in (0, 1)");
      c.verify.fdr = *v;
    }
    r.reject_unknown();
  }

  // [diagnose]: the same table and checks as `caploop diagnose --config`.
  top.node("diagnose");
  c.diagnose = parse_diagnosis_options(toml_text, name);
  top.reject_unknown();
  return c;
}

LoopConfig load_loop_config(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec))
    throw Error(ErrorKind::kNotFound, "loop configuration file does not exist", SourceLocation{file.string(), 0, ""});
  return parse_loop_config(read_text_file(file), file);
}

}  // namespace caploop
