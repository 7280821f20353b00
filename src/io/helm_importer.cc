#include "io/helm_importer.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "io/json_fields.h"
#include "io/json_parser.h"
#include "io/line_reader.h"

namespace caploop {

namespace fs = std::filesystem;
using simdjson::dom::element;

namespace {

bool exists_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

std::vector<fs::path> run_folders(const std::vector<fs::path>& paths) {
  std::vector<fs::path> runs;
  for (const fs::path& path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error(ErrorKind::kNotFound, "file not found", {path.string(), 0, ""});
    if (!fs::is_directory(path, ec)) {
      runs.push_back(path.parent_path());  // a scenario_state.json
      continue;
    }
    if (exists_file(path / "scenario_state.json")) {
      runs.push_back(path);
      continue;
    }
    std::vector<fs::path> here;
    for (const auto& e : fs::directory_iterator(path, ec)) {
      if (e.is_directory() && exists_file(e.path() / "scenario_state.json")) here.push_back(e.path());
    }
    if (here.empty()) {
      throw Error(ErrorKind::kNotFound, "no HELM run folders (with scenario_state.json) in folder",
                  {path.string(), 0, ""});
    }
    std::sort(here.begin(), here.end());
    runs.insert(runs.end(), here.begin(), here.end());
  }
  return runs;
}

// "math:subject=algebra,level=1,model=x" → ("math", {subject: algebra, ...}).
std::pair<std::string, std::map<std::string, std::string>> parse_run_name(const std::string& name) {
  size_t colon = name.find(':');
  std::map<std::string, std::string> args;
  if (colon == std::string::npos) return {name, args};
  std::string rest = name.substr(colon + 1);
  size_t start = 0;
  while (start <= rest.size()) {
    size_t comma = rest.find(',', start);
    std::string part = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t eq = part.find('=');
    if (eq != std::string::npos) args[part.substr(0, eq)] = part.substr(eq + 1);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return {name.substr(0, colon), args};
}

std::pair<std::string, std::string> benchmark_task(const std::string& run_name) {
  auto [scenario, args] = parse_run_name(run_name);
  std::string subject = args.count("subject") ? args["subject"] : "";
  if (scenario == "gsm") return {"gsm8k", "gsm8k"};
  if (scenario == "math") return {"math", subject.empty() ? "math" : subject};
  if (scenario == "mmlu" || scenario == "mmlu_pro") return {scenario, subject.empty() ? scenario : subject};
  return {scenario, subject.empty() ? scenario : subject};
}

struct InstanceRead {
  ItemRecord item;
  std::vector<std::pair<int64_t, ResponseRecord>> responses;  // (train trial, response)
};

// (instance id, train trial) → the stats of that instance: (name, mean) in file order; also the stat names.
using InstanceStats = std::map<std::pair<std::string, int64_t>, std::vector<std::pair<std::string, double>>>;

bool unperturbed(element value, const SourceLocation& where) {
  std::optional<element> p = json_find(value, "/perturbation", where);
  return !p || p->is_null();
}

double stat_mean(element stat, const SourceLocation& where) {
  if (std::optional<element> mean = json_find(stat, "/mean", where); mean && json_double(*mean))
    return *json_double(*mean);
  double sum = as_number(json_require(stat, "/sum", where), "/sum", where);
  double count = as_number(json_require(stat, "/count", where), "/count", where);
  return count > 0 ? sum / count : 0;
}

InstanceStats read_per_instance_stats(const fs::path& path, JsonParser& parser, std::set<std::string>& names) {
  InstanceStats out;
  std::string text = read_whole_file(path);
  SourceLocation file{path.string(), 0, ""};
  element root = parser.parse(text, file);
  int64_t i = 0;
  for (element entry : as_array(root, "", file)) {
    SourceLocation at = at_field(file, fmt::format("/{}", i++));
    if (!unperturbed(entry, at)) continue;
    std::string id(json_string(entry, "/instance_id", at));
    int64_t trial = 0;
    if (std::optional<element> t = json_find(entry, "/train_trial_index", at); t && !t->is_null()) {
      trial = json_int64(entry, "/train_trial_index", at);
    }
    auto& stats = out[{id, trial}];
    int64_t s = 0;
    for (element stat : json_array(entry, "/stats", at)) {
      SourceLocation stat_at = at_field(at, fmt::format("/stats/{}", s++));
      element name = json_require(stat, "/name", stat_at);
      if (!unperturbed(name, stat_at)) continue;
      std::string metric(json_string(name, "/name", at_field(stat_at, "/name")));
      stats.emplace_back(metric, stat_mean(stat, stat_at));
      names.insert(metric);
    }
  }
  return out;
}

void read_aggregates(const fs::path& path, const std::string& split, const std::set<std::string>& names,
                     const std::pair<std::string, std::string>& task, JsonParser& parser, RunInfo& run) {
  std::string text = read_whole_file(path);
  SourceLocation file{path.string(), 0, ""};
  element root = parser.parse(text, file);
  int64_t i = 0;
  for (element stat : as_array(root, "", file)) {
    SourceLocation at = at_field(file, fmt::format("/{}", i++));
    element name = json_require(stat, "/name", at);
    if (!unperturbed(name, at)) continue;
    std::optional<element> stat_split = json_find(name, "/split", at);
    if (!stat_split || !stat_split->is_string() || stat_split->get_string().value_unsafe() != split) continue;
    std::optional<element> sub_split = json_find(name, "/sub_split", at);
    if (sub_split && !sub_split->is_null()) continue;
    std::string metric(json_string(name, "/name", at_field(at, "/name")));
    if (!names.count(metric)) continue;
    HarnessAggregate a;
    a.benchmark = task.first;
    a.task = task.second;
    a.metric = metric + ",none";
    a.value = stat_mean(stat, at);
    run.harness_aggregates.push_back(std::move(a));
  }
}

std::string reference_of(element instance, const SourceLocation& where) {
  std::optional<element> references = json_find(instance, "/references", where);
  if (!references || !references->is_array()) return "";
  for (element r : as_array(*references, "/instance/references", where)) {
    std::optional<element> tags = json_find(r, "/tags", where);
    if (!tags || !tags->is_array()) continue;
    for (element tag : as_array(*tags, "/instance/references/tags", where)) {
      if (tag.is_string() && tag.get_string().value_unsafe() == "correct") {
        std::optional<element> out = json_find(r, "/output/text", where);
        return out ? json_text(*out) : "";
      }
    }
  }
  return "";
}

struct TaskRead {
  fs::path folder;
  std::pair<std::string, std::string> task;
  std::vector<InstanceRead> instances;
};

}  // namespace

void import_helm(const std::vector<fs::path>& paths, RunInfo run, IngestSink& sink, Progress* progress) {
  std::vector<fs::path> folders = run_folders(paths);
  JsonParser parser;
  std::vector<TaskRead> tasks;
  std::map<std::pair<std::string, std::string>, fs::path> seen;
  std::string model;
  for (const fs::path& folder : folders) {
    TaskRead t;
    t.folder = folder;
    t.task = benchmark_task(folder.filename().string());
    if (auto [it, fresh] = seen.emplace(t.task, folder); !fresh) {
      throw_usage_error(fmt::format("two HELM runs of {}/{} ({} and {}); pass one", t.task.first, t.task.second,
                                    it->second.string(), folder.string()));
    }
    const fs::path state_path = folder / "scenario_state.json";
    std::string text = read_whole_file(state_path);
    if (progress != nullptr) progress->advance(text.size());
    SourceLocation file{state_path.string(), 0, ""};
    element root = parser.parse(text, file);
    if (std::optional<element> adapter = json_find(root, "/adapter_spec", file); adapter && tasks.empty()) {
      SourceLocation at = at_field(file, "/adapter_spec");
      GenerationSettings& g = run.generation;
      if (auto v = json_find(*adapter, "/max_tokens", at); v && !v->is_null())
        g.max_new_tokens = json_int64(*adapter, "/max_tokens", at);
      if (auto v = json_find(*adapter, "/temperature", at); v && !v->is_null())
        g.temperature = as_number(*v, "/temperature", at);
      if (auto v = json_find(*adapter, "/num_outputs", at); v && !v->is_null())
        g.repeats = json_int64(*adapter, "/num_outputs", at);
      if (auto v = json_find(*adapter, "/stop_sequences", at); v && v->is_array()) {
        for (element s : as_array(*v, "/stop_sequences", at)) g.stop_sequences.push_back(json_text(s));
      }
      if (auto v = json_find(*adapter, "/model", at); v && v->is_string())
        model = std::string(v->get_string().value_unsafe());
      g.extra_json = json_minified(*adapter);
    }
    std::map<std::string, size_t> index_of;
    std::string split = "test";
    int64_t i = 0;
    for (element state : json_array(root, "/request_states", file)) {
      SourceLocation where = at_field(file, fmt::format("/request_states/{}", i++));
      if (std::optional<element> ri = json_find(state, "/reference_index", where); ri && !ri->is_null()) continue;
      element instance = json_require(state, "/instance", where);
      if (!unperturbed(instance, at_field(where, "/instance"))) continue;
      std::string id(json_string(instance, "/id", at_field(where, "/instance")));
      if (std::optional<element> s = json_find(instance, "/split", where); s && s->is_string()) {
        split = std::string(s->get_string().value_unsafe());
      }
      auto [it, fresh] = index_of.emplace(id, t.instances.size());
      if (fresh) {
        InstanceRead r;
        r.item.benchmark = t.task.first;
        r.item.task = t.task.second;
        r.item.source_id = id;
        r.item.question = std::string(json_string(instance, "/input/text", at_field(where, "/instance")));
        r.item.reference = reference_of(instance, where);
        r.item.origin = where;
        if (std::optional<element> prompt = json_find(state, "/request/prompt", where); prompt && prompt->is_string()) {
          r.item.prompt = std::string(prompt->get_string().value_unsafe());
        }
        if (std::optional<element> messages = json_find(state, "/request/messages", where);
            messages && messages->is_array()) {
          r.item.prompt = json_minified(*messages);
        }
        t.instances.push_back(std::move(r));
      }
      int64_t trial = 0;
      if (std::optional<element> tt = json_find(state, "/train_trial_index", where); tt && !tt->is_null()) {
        trial = json_int64(state, "/train_trial_index", where);
      }
      InstanceRead& inst = t.instances[it->second];
      std::optional<element> completions = json_find(state, "/result/completions", where);
      if (!completions || !completions->is_array()) continue;  // a failed request
      int64_t c = 0;
      for (element completion : as_array(*completions, "/result/completions", where)) {
        SourceLocation at = at_field(where, fmt::format("/result/completions/{}", c++));
        ResponseRecord r;
        r.text = std::string(json_string(completion, "/text", at));
        if (std::optional<element> reason = json_find(completion, "/finish_reason/reason", at);
            reason && reason->is_string()) {
          r.finish_reason = std::string(reason->get_string().value_unsafe());
        }
        if (std::optional<element> tokens = json_find(completion, "/tokens", at); tokens && tokens->is_array()) {
          r.n_tokens = static_cast<int64_t>(as_array(*tokens, "/tokens", at).size());
        }
        inst.responses.emplace_back(trial, std::move(r));
      }
    }
    std::set<std::string> names;
    InstanceStats stats;
    if (exists_file(folder / "per_instance_stats.json")) {
      stats = read_per_instance_stats(folder / "per_instance_stats.json", parser, names);
    }
    for (InstanceRead& inst : t.instances) {
      std::stable_sort(inst.responses.begin(), inst.responses.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (size_t k = 0; k < inst.responses.size(); ++k) {
        if (k > 0 && inst.responses[k].first == inst.responses[k - 1].first) continue;  // first completion of a trial
        auto s = stats.find({inst.item.source_id, inst.responses[k].first});
        if (s == stats.end()) continue;
        for (const auto& [name, value] : s->second)
          inst.responses[k].second.harness_metrics.emplace_back(name + ",none", value);
      }
    }
    if (exists_file(folder / "stats.json")) read_aggregates(folder / "stats.json", split, names, t.task, parser, run);
    tasks.push_back(std::move(t));
  }
  run.harness = "helm";
  if (run.model.empty()) run.model = model;
  sink.begin_run(run);
  for (TaskRead& t : tasks) {
    for (InstanceRead& inst : t.instances) {
      std::vector<ResponseRecord> responses;
      for (auto& [trial, r] : inst.responses) {
        r.sample_index = static_cast<int64_t>(responses.size());
        responses.push_back(std::move(r));
      }
      sink.add_item(inst.item, std::move(responses));
    }
  }
}

}  // namespace caploop
