#include "loop/loop_job.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/fnv1a.h"
#include "core/json_writer.h"
#include "corpus/data_taxonomy.h"
#include "corpus/tag_run.h"
#include "diagnose/diagnosis_json.h"
#include "diagnose/diagnosis_markdown.h"
#include "loop/loop_outputs.h"
#include "loop/loop_report.h"
#include "mapping/mapping_rules.h"
#include "mapping/slice_mapping.h"
#include "mapping/slice_mapping_json.h"
#include "mapping/weak_slice.h"
#include "mixture/control_arm.h"
#include "mixture/mixture_plan.h"
#include "mixture/plan_builder.h"
#include "mixture/plan_markdown.h"
#include "sampling/sample_paths.h"
#include "sampling/sample_run.h"
#include "slices/slice_label.h"
#include "store/workspace_db.h"
#include "taxonomy/eval_taxonomy.h"
#include "verify/verification_json.h"
#include "verify/verification_markdown.h"
#include "workspace/diagnosis_job.h"
#include "workspace/ingest_job.h"
#include "workspace/item_tagging.h"
#include "workspace/run_scoring.h"
#include "workspace/verify_job.h"

namespace caploop {
namespace fs = std::filesystem;

namespace {

constexpr const char* kIngestRecord = "ingested.json";

std::string hex64(uint64_t h) { return fmt::format("{:016x}", h); }

uint64_t hash_file(const fs::path& path, uint64_t h) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, "cannot read file", SourceLocation{path.string(), 0, ""});
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    h = fnv1a64(std::string_view(buffer, static_cast<size_t>(in.gcount())), h);
  }
  return h;
}

void add_field(std::string& key, std::string_view name, const std::optional<std::string>& v) {
  key += fmt::format("{}={}\x1f", name, v ? "1" + *v : "0");
}

// What a run is ingested from: its files' bytes and every option that changes the import.
std::string run_fingerprint(const LoopRun& run) {
  std::string key =
      "format=" + run.format + "\x1fmodel=" + run.model + "\x1f" + "checkpoint=" + run.checkpoint + "\x1f";
  const GenericMapping& m = run.mapping;
  key += "benchmark=" + m.benchmark + "\x1frecords=" + m.records_pointer + "\x1finput=" + m.input_pointer +
         "\x1fresponse_text=" + m.response_text_pointer + "\x1ftarget=" + m.target_pointer + "\x1f";
  add_field(key, "id", m.id_pointer);
  add_field(key, "response", m.response_pointer);
  add_field(key, "responses", m.responses_pointer);
  add_field(key, "finish_reason", m.finish_reason_pointer);
  add_field(key, "n_tokens", m.n_tokens_pointer);
  add_field(key, "task_field", m.task_pointer);
  add_field(key, "task_from_filename", m.task_file_regex);
  add_field(key, "task", m.task);
  for (const std::string& p : m.metadata_pointers) key += "metadata=" + p + "\x1f";
  uint64_t h = fnv1a64(key);
  for (const fs::path& p : run.paths) {
    std::vector<fs::path> files;
    if (fs::is_directory(p)) {
      for (const auto& e : fs::recursive_directory_iterator(p))
        if (e.is_regular_file()) files.push_back(e.path());
      std::sort(files.begin(), files.end());
    } else {
      files.push_back(p);
    }
    for (const fs::path& f : files) h = hash_file(f, fnv1a64(f.generic_string() + "\x1e", h));
  }
  return hex64(h);
}

std::map<std::string, std::string> read_ingest_record(const fs::path& path) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  if (!fs::exists(path, ec)) return out;
  try {
    simdjson::dom::parser parser;
    simdjson::padded_string text = simdjson::padded_string::load(path.string());
    simdjson::dom::object runs = parser.parse(text)["runs"].get_object();
    for (auto [k, v] : runs) out[std::string(k)] = std::string(v.get_string().value());
  } catch (const simdjson::simdjson_error&) {
    out.clear();  // unreadable: every run is ingested again, and the record rewritten
  }
  return out;
}

void write_ingest_record(const fs::path& path, const std::map<std::string, std::string>& record) {
  JsonWriter w(true);
  w.begin_object().key("runs").begin_object();
  for (const auto& [name, fp] : record) w.field(name, fp);
  w.end_object().end_object();
  write_file_atomically(path, w.str() + "\n");
}

LoopRunOutcome ingest_or_reuse(WorkspaceDb& ws, const LoopRun& run, unsigned threads,
                               std::map<std::string, std::string>& record, const fs::path& record_path) {
  LoopRunOutcome outcome;
  outcome.name = run.name;
  const std::string fp = run_fingerprint(run);
  std::optional<RunRow> existing = ws.find_run(run.name);
  auto known = record.find(run.name);
  if (existing && known != record.end() && known->second == fp) {
    outcome.items = existing->n_items;
    outcome.responses = existing->n_responses;
    ensure_scored(ws, *existing, run.rule, threads, nullptr);
    if (!run.task_rules.empty()) score_run_by_task(ws, *existing, run.rule, run.task_rules, threads, nullptr);
    return outcome;
  }
  IngestRequest req;
  req.format = parse_ingest_format(run.format);
  req.paths = run.paths;
  req.run.name = run.name;
  req.run.model = run.model;
  req.run.checkpoint = run.checkpoint;
  req.mapping = run.mapping;
  req.replace = existing.has_value();
  req.score_after = true;
  req.threads = threads;
  IngestResult r = ingest_run(ws, req, nullptr);
  if (run.rule) ensure_scored(ws, ws.run_or_throw(run.name), run.rule, threads, nullptr);
  if (!run.task_rules.empty())
    score_run_by_task(ws, ws.run_or_throw(run.name), run.rule, run.task_rules, threads, nullptr);
  record[run.name] = fp;
  write_ingest_record(record_path, record);
  outcome.ingested = true;
  outcome.items = r.items;
  outcome.responses = r.responses;
  return outcome;
}

std::shared_ptr<const corpus::DataTaxonomy> data_taxonomy_of(const LoopConfig& config) {
  if (config.corpus && config.corpus->taxonomy)
    return std::make_shared<const corpus::DataTaxonomy>(corpus::load_data_taxonomy(*config.corpus->taxonomy));
  return std::make_shared<const corpus::DataTaxonomy>(corpus::builtin_data_taxonomy());
}

LoopCorpusOutcome tag_corpus(const LoopConfig& config, std::shared_ptr<const corpus::DataTaxonomy> taxonomy) {
  corpus::TagRunOptions o;
  o.taxonomy = std::move(taxonomy);
  o.out_dir = config.out / "corpus";
  o.inputs = config.corpus->inputs;
  o.threads = static_cast<int>(config.threads);
  o.id_field = config.corpus->id_field;
  o.text_field = config.corpus->text_field;
  o.on_error = corpus::OnError::kFail;
  corpus::TagRunReport r = corpus::run_corpus_tag(o);
  if (!r.failed_shards.empty())
    throw Error(ErrorKind::kInput, fmt::format("corpus shard failed: {}", r.failed_shards.front()));
  LoopCorpusOutcome outcome;
  outcome.shards_tagged = static_cast<int64_t>(r.shards_tagged.size());
  outcome.shards_resumed = static_cast<int64_t>(r.shards_resumed.size());
  outcome.stats = std::move(r.stats);
  return outcome;
}

// Every file `sample` may write for this plan (the temporary names too), recorded before it runs.
std::vector<fs::path> sample_outputs(const MixturePlan& plan, const fs::path& sample_dir) {
  std::vector<fs::path> files = {sample_dir / "composition.json"};
  for (const PlanShard& shard : plan.corpus.shards) {
    const sampling::SamplePaths p = sampling::sample_paths(sample_dir, shard.path);
    for (const fs::path& f : {p.output, p.manifest, p.done_mark}) {
      files.push_back(f);
      files.push_back(sampling::temp_path(f));
    }
  }
  return files;
}

void plan_sample_verify(WorkspaceDb& ws, const LoopConfig& config, const corpus::DataTaxonomy& data_taxonomy,
                        LoopComparisonOutcome& c, const LoopProgress& progress, LoopOutputs& outputs) {
  const fs::path diagnosis_file = c.dir / "diagnosis.json";
  const MappingRules rules = config.mapping ? load_mapping_rules(config.mapping->string()) : builtin_mapping_rules();
  validate_against(rules, EvalTaxonomy::builtin(), data_taxonomy);
  const WeakSliceList weak = read_weak_slices(diagnosis_file.string());
  const SliceMapping mapping = map_weak_slices(rules, weak.slices);
  for (const SliceMappingRow& row : mapping.rows)
    if (row.status == SliceStatus::kUnmapped) c.mapping_gaps.push_back(slice_label(row.slice->tags));
  outputs.record({c.dir / "mapping.json"});
  {
    JsonWriter w(true);
    write_slice_mapping_json(w, weak, rules, mapping);
    write_file_atomically(c.dir / "mapping.json", w.str() + "\n");
  }
  if (!config.corpus || config.plan.budget_tokens <= 0) {
    c.plan_refused = !config.corpus ? "no [corpus] in the configuration: nothing to plan from"
                                    : "no [plan] budget_tokens in the configuration";
    return;
  }
  if (progress) progress(c.comparison.name + ": plan");
  PlanRequest req;
  req.weakness_file = diagnosis_file.string();
  // The statistics of this config's shards only (the folder may hold shards of an earlier configuration).
  for (const fs::path& input : corpus::list_corpus_inputs(config.corpus->inputs))
    req.stats_dirs.push_back((config.out / "corpus" / corpus::mirrored_path(input)).string() + ".stats.json");
  req.mapping_file = config.mapping ? config.mapping->string() : "";
  req.taxonomy_file = config.corpus->taxonomy ? config.corpus->taxonomy->string() : "";
  req.options = config.plan;
  try {
    c.plan = make_plan(req);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kConflict) throw;
    c.plan_refused = e.message();
    outputs.remove_recorded_under(c.dir, {"mapping.json"});
    return;
  }
  c.plan->control = plan_control_arm(*c.plan, nullptr);  // the control arm (issue 13), natural mixture
  const fs::path plan_file = c.dir / "plan.json";
  outputs.record({plan_file, c.dir / "plan.md"});
  write_file_atomically(plan_file, plan_to_json(*c.plan));
  write_file_atomically(c.dir / "plan.md", plan_markdown(*c.plan));

  if (progress) progress(c.comparison.name + ": sample");
  sampling::SampleRunOptions s;
  s.plan = *c.plan;
  s.plan_file = plan_file.string();
  s.seed = config.seed;
  s.out_dir = c.dir / "sample";
  outputs.record(sample_outputs(*c.plan, s.out_dir));
  s.inputs = config.corpus->inputs;
  s.threads = static_cast<int>(config.threads);
  s.id_field = config.corpus->id_field;
  s.text_field = config.corpus->text_field;
  sampling::sample_shards(s);
  c.sample = sampling::write_sample_composition(s);

  if (!c.comparison.after) return;
  if (progress) progress(c.comparison.name + ": verify");
  VerifyRequest v;
  v.plan_path = plan_file.string();
  v.baseline = c.comparison.candidate;
  v.candidate = *c.comparison.after;
  v.control = c.comparison.control;
  if (const LoopRun* base = config.find_run(c.comparison.baseline)) v.rule = base->rule;
  v.options = config.verify;
  v.threads = config.threads;
  c.verification = verify_runs_with_plan(ws, *c.plan, v);
  outputs.record({c.dir / "verify.json", c.dir / "verify.md"});
  write_file_atomically(c.dir / "verify.json", verification_to_json(*c.verification));
  write_file_atomically(c.dir / "verify.md", render_verification_markdown(*c.verification));
}

}  // namespace

LoopOutcome run_loop(const LoopConfig& config, const LoopProgress& progress) {
  LoopOutcome outcome;
  outcome.out = config.out;
  std::error_code ec;
  fs::create_directories(config.out, ec);
  if (ec) throw Error(ErrorKind::kIo, "cannot create the output folder: " + ec.message(), {config.out.string(), 0, ""});
  if (!config.workspace.parent_path().empty()) fs::create_directories(config.workspace.parent_path(), ec);
  WorkspaceDb ws(config.workspace.string(), /*create=*/true);

  const fs::path record_path = config.out / kIngestRecord;
  std::map<std::string, std::string> record = read_ingest_record(record_path);
  for (const LoopRun& run : config.runs) {
    if (progress) progress("ingest " + run.name);
    outcome.runs.push_back(ingest_or_reuse(ws, run, config.threads, record, record_path));
  }
  if (!fs::exists(record_path, ec)) write_ingest_record(record_path, record);

  std::shared_ptr<const corpus::DataTaxonomy> data_taxonomy = data_taxonomy_of(config);
  if (config.corpus) {
    if (progress) progress("corpus tag");
    outcome.corpus = tag_corpus(config, data_taxonomy);
  }

  LoopOutputs outputs(config.out);
  std::unique_ptr<TaggingSetup> tagging = TaggingSetup::load(TaggingFiles{});
  for (const LoopComparison& cmp : config.comparisons) {
    if (progress) progress(cmp.name + ": diagnose " + cmp.baseline + " -> " + cmp.candidate);
    LoopComparisonOutcome c;
    c.comparison = cmp;
    c.dir = config.out / cmp.name;
    fs::create_directories(c.dir, ec);
    DiagnosisRequest req;
    req.baseline = cmp.baseline;
    req.candidate = cmp.candidate;
    if (const LoopRun* base = config.find_run(cmp.baseline)) req.rule = base->rule;
    req.options = config.diagnose;
    req.threads = config.threads;
    c.diagnosis = diagnose_runs(ws, req, tagging->tagger());
    JsonWriter w(true);
    write_diagnosis_json(w, c.diagnosis);
    write_file_atomically(c.dir / "diagnosis.json", w.str() + "\n");
    write_file_atomically(c.dir / "diagnosis.md", render_diagnosis_markdown(c.diagnosis));
    if (c.diagnosis.verdict == Verdict::kDataRuledIn) {
      if (progress) progress(cmp.name + ": map");
      plan_sample_verify(ws, config, *data_taxonomy, c, progress, outputs);
    } else {
      outputs.remove_recorded_under(c.dir);  // the plan steps' files of an earlier loop, and only those
    }
    outcome.comparisons.push_back(std::move(c));
  }

  outcome.report = config.out / "report.html";
  write_file_atomically(outcome.report, build_loop_report(config, outcome));
  return outcome;
}

}  // namespace caploop
