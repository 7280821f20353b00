#include "workspace/ingest_job.h"

#include <fmt/format.h>

#include <optional>

#include "core/error.h"
#include "core/fault_point.h"
#include "io/evalscope_importer.h"
#include "io/helm_importer.h"
#include "io/importer_files.h"
#include "io/inspect_importer.h"
#include "io/lm_eval_importer.h"
#include "io/opencompass_importer.h"
#include "store/background_checkpoint.h"
#include "store/run_writer.h"
#include "store/sqlite.h"
#include "workspace/pipelined_sink.h"
#include "workspace/streamed_scoring.h"

namespace caploop {

IngestFormat parse_ingest_format(std::string_view name) {
  if (name == "lm-eval" || name == "lm_eval" || name == "lm-evaluation-harness") return IngestFormat::kLmEval;
  if (name == "opencompass") return IngestFormat::kOpenCompass;
  if (name == "generic") return IngestFormat::kGeneric;
  if (name == "inspect" || name == "inspect-ai") return IngestFormat::kInspect;
  if (name == "evalscope") return IngestFormat::kEvalScope;
  if (name == "helm") return IngestFormat::kHelm;
  throw Error(
      ErrorKind::kUsage,
      fmt::format("unknown format '{}' (expected lm-eval, opencompass, inspect, evalscope, helm or generic)", name));
}

namespace {

// For the generic format, a folder stands for the JSON and JSON Lines files below it (sorted, so the order of
// items does not depend on the file system). The harness importers search their own folders.
std::vector<std::filesystem::path> expand_generic_paths(const std::vector<std::filesystem::path>& paths) {
  std::vector<std::filesystem::path> out;
  for (const auto& p : paths) {
    if (!std::filesystem::is_directory(p)) {
      out.push_back(p);
      continue;
    }
    auto found = find_files(p, [](const std::string& name) {
      std::string base = name_without_compression(name);
      auto ends = [&](std::string_view suffix) {
        return base.size() >= suffix.size() && base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0;
      };
      return ends(".json") || ends(".jsonl") || ends(".ndjson");
    });
    if (found.empty()) {
      throw Error(ErrorKind::kNotFound, fmt::format("no .json or .jsonl files in folder {}", p.string()));
    }
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

}  // namespace

namespace {
constexpr int64_t kIngestCacheKib = 8192;
}  // namespace

IngestResult ingest_run(WorkspaceDb& ws, const IngestRequest& request, Progress* progress) {
  if (request.paths.empty()) throw Error(ErrorKind::kUsage, "no input paths given");
  for (const auto& p : request.paths) {
    if (!std::filesystem::exists(p)) {
      throw Error(ErrorKind::kNotFound, fmt::format("no such file or folder: {}", p.string()));
    }
  }
  if (request.format == IngestFormat::kGeneric) validate_generic_mapping(request.mapping);
  IngestResult result;
  result.run = request.run.name;
  KnownTaskSamples streamed;                  // the scores ingest computed, summarised without reading them back
  FirstSampleMetricLog first_sample_metrics;  // and the harness metrics it wrote
  std::optional<BackgroundCheckpoint> checkpoint;
  {
    AutoCheckpointOff no_checkpoint_in_commit(ws.db());
    // A small page cache: SQLite writes the import's pages to the log as the cache fills, on this thread while
    // the importer's thread parses, rather than all of them at the commit (nearly every page is written once:
    // tables grow at their end).
    ScopedCacheSize cache(ws.db(), kIngestCacheKib);
    Transaction tx(ws.db());
    RunWriter writer(ws, request.replace);
    if (request.score_after) writer.keep_written_responses();
    // Parsing (and, unless --no-score, scoring) runs on a thread of its own while this one stores what it produced.
    ScoringSink scoring;
    StreamedScoreRows early_rows(ws, writer, scoring);  // scores written on this thread while the import streams
    run_pipelined_import(
        [&](PipelineSink& queue) {
          scoring.forward_to(queue);
          if (request.score_after) {
            scoring.write_batches_through(
                queue, [&](const std::vector<ScoringSink::Scored>& batch) { early_rows.write(batch); });
          }
          IngestSink& sink = request.score_after ? static_cast<IngestSink&>(scoring) : queue;
          switch (request.format) {
            case IngestFormat::kLmEval:
              import_lm_eval(request.paths, request.run, sink, progress, &result.notes);
              break;
            case IngestFormat::kOpenCompass:
              import_opencompass(request.paths, request.run, sink, progress);
              break;
            case IngestFormat::kGeneric:
              import_generic(expand_generic_paths(request.paths), request.mapping, request.run, sink, progress);
              break;
            case IngestFormat::kInspect:
              import_inspect(request.paths, request.run, sink, progress);
              break;
            case IngestFormat::kEvalScope:
              import_evalscope(request.paths, request.run, sink, progress);
              break;
            case IngestFormat::kHelm:
              import_helm(request.paths, request.run, sink, progress);
              break;
          }
        },
        writer);
    if (writer.items_written() == 0) {
      throw Error(ErrorKind::kInput, fmt::format("no items found in {}", request.paths.front().string()));
    }
    result.items = writer.items_written();
    result.responses = writer.responses_written();
    fault_point("ingest:imported");
    // Scoring joins the import's transaction: a killed or failed command leaves nothing, never an unscored run.
    if (request.score_after) {
      RunRow run = ws.run_or_throw(request.run.name);
      result.scoring =
          store_streamed_scores(ws, run, scoring, request.threads, writer, nullptr, &streamed, &early_rows);
      if (early_rows.written_prefix() > 0) result.score_rows_while_streaming = early_rows.rows_written();
      first_sample_metrics = writer.written_first_sample_metrics();
    }
    tx.commit();
  }
  // The log of this transaction is copied into the file while the summary reads.
  checkpoint.emplace(ws.path());
  if (request.score_after) {
    result.summary =
        summarize_run_with(ws, request.run.name, std::move(streamed), request.threads, nullptr, &first_sample_metrics);
  }
  return result;
}

}  // namespace caploop
