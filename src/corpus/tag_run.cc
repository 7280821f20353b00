#include "corpus/tag_run.h"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <future>
#include <iterator>

#include "core/error.h"
#include "core/fault_point.h"
#include "core/folder_lock.h"
#include "core/json_writer.h"
#include "core/progress.h"
#include "core/task_pool.h"
#include "corpus/compressed_writer.h"
#include "corpus/document_tagger.h"
#include "corpus/output_paths.h"
#include "corpus/score_text.h"
#include "io/json_fields.h"
#include "io/line_reader.h"

namespace caploop::corpus {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxErrorsPerShard = 100;

// Lines of one shard, stored back to back with simdjson's padding after each, so they parse in place.
struct Batch {
  std::string buf;
  std::vector<std::pair<size_t, size_t>> lines;  // offset, length
  int64_t first_line = 1;
};

struct BatchResult {
  std::string out;  // attribute rows
  uint64_t lines = 0;
  TagCounts total;
  std::vector<TagCounts> tags;                          // by flat tag index
  std::vector<TagCounts> cooccurrence;                  // flat index a * T + b, a < b, different axes
  std::vector<std::pair<int64_t, std::string>> errors;  // line, reason
};

struct WorkerState {
  simdjson::dom::parser parser;
  TagScratch scratch;
  std::vector<std::optional<std::string>> fields;
  std::vector<TagHit> hits;
};

class ShardTagger {
 public:
  ShardTagger(const TagRunOptions& options, const DocumentTagger& tagger, const TokenCounter& tokens,
              const std::vector<std::string>& names)
      : options_(options), tagger_(tagger), tokens_(tokens) {
    for (const auto& n : names) span_prefixes_.push_back(json_string_literal(n) + ":[[0,");
  }

  BatchResult run(const Batch& batch, const std::string& path) const {
    thread_local WorkerState state;
    const int T = tagger_.tag_count();
    BatchResult r;
    r.tags.assign(T, TagCounts{});
    r.cooccurrence.assign(static_cast<size_t>(T) * T, TagCounts{});
    r.out.reserve(std::max(batch.lines.size() * 160, batch.buf.size()));  // attributes run to ~3/4 of the input
    state.fields.resize(tagger_.metadata_fields().size());
    for (size_t i = 0; i < batch.lines.size(); ++i) {
      int64_t line_no = batch.first_line + static_cast<int64_t>(i);
      auto [off, len] = batch.lines[i];
      ++r.lines;
      std::string reason;
      simdjson::dom::element doc;
      std::string_view text;
      if (len == 0) {
        reason = "empty line";
      } else if (auto err = state.parser.parse(batch.buf.data() + off, len, false).get(doc)) {
        reason = err == simdjson::UTF8_ERROR ? "invalid UTF-8"
                                             : fmt::format("not valid JSON: {}", simdjson::error_message(err));
      } else if (!doc.is_object()) {
        reason = "not a JSON object";
      } else {
        auto t = json_find_dotted(doc, options_.text_field);
        if (!t)
          reason = fmt::format("missing text field '{}'", options_.text_field);
        else if (t->get(text))
          reason = fmt::format("field '{}' is not a string", options_.text_field);
      }
      if (!reason.empty()) {
        r.errors.emplace_back(line_no, reason);
        r.out += fmt::format("{{\"id\":null,\"attributes\":{{}},\"error\":{}}}\n", json_string_literal(reason));
        continue;
      }
      // Metadata fields.
      const auto& names = tagger_.metadata_fields();
      for (size_t f = 0; f < names.size(); ++f) {
        auto el = json_find_dotted(doc, names[f]);
        std::string_view sv;
        if (!el)
          state.fields[f].reset();
        else if (!el->get(sv))
          state.fields[f] = std::string(sv);
        else
          state.fields[f] = simdjson::minify(*el);
      }
      DocumentView view{text, path, &state.fields};
      std::vector<TagHit>& hits = state.hits;
      tagger_.tag(view, state.scratch, hits);
      const auto code_points = static_cast<uint64_t>(state.scratch.metrics_values[kCodePoints]);
      r.out += "{\"id\":";
      // The id: a string as itself (escaped), a number as written, else the line number as a string.
      auto id_el = json_find_dotted(doc, options_.id_field);
      std::string_view id_str;
      if (id_el && !id_el->get(id_str)) {
        append_json_string(r.out, id_str);
      } else if (id_el && (id_el->is_int64() || id_el->is_uint64() || id_el->is_double())) {
        r.out += simdjson::minify(*id_el);
      } else {
        fmt::format_to(std::back_inserter(r.out), FMT_COMPILE("\"{}\""), line_no);
      }
      r.out += ",\"attributes\":{";
      // Every span covers the whole document: "name":[[0,<code points>,<score>]].
      char end_offset[24];
      const auto end_length = static_cast<size_t>(fmt::format_to(end_offset, "{}", code_points) - end_offset);
      for (size_t h = 0; h < hits.size(); ++h) {
        if (h) r.out += ',';
        r.out += span_prefixes_[tagger_.flat_index(hits[h].tag)];
        r.out.append(end_offset, end_length);
        r.out += ',';
        append_score(r.out, hits[h].score);
        r.out += "]]";
      }
      r.out += "}}\n";
      TagCounts c{1, text.size(), tokens_.count(text)};
      r.total.add(c);
      for (size_t h = 0; h < hits.size(); ++h) {
        int a = tagger_.flat_index(hits[h].tag);
        r.tags[a].add(c);
        for (size_t g = h + 1; g < hits.size(); ++g) {
          if (hits[g].tag.axis == hits[h].tag.axis) continue;
          int b = tagger_.flat_index(hits[g].tag);
          r.cooccurrence[static_cast<size_t>(std::min(a, b)) * T + std::max(a, b)].add(c);
        }
      }
    }
    return r;
  }

 private:
  const TagRunOptions& options_;
  const DocumentTagger& tagger_;
  const TokenCounter& tokens_;
  std::vector<std::string> span_prefixes_;  // "name":[[0, by flat tag index, the name JSON-escaped

  // A score as {:.6g} writes it; 1 and 0 (metadata, heuristics, defaults) without formatting.
  static void append_score(std::string& out, double score) {
    if (score == 1.0)
      out += '1';
    else if (score == 0.0 && !std::signbit(score))
      out += '0';
    else
      append_score_text(out, score);
  }
};

std::vector<std::string> flat_tag_names(const DocumentTagger& tagger) {
  std::vector<std::string> names(tagger.tag_count());
  const DataTaxonomy& tax = tagger.taxonomy();
  for (size_t a = 0; a < tax.axes.size(); ++a)
    for (size_t t = 0; t < tax.axes[a].tags.size(); ++t) {
      TagRef ref{static_cast<int>(a), static_cast<int>(t)};
      names[tagger.flat_index(ref)] = tax.attribute_name(ref);
    }
  return names;
}

bool is_corpus_file(const fs::path& p) {
  std::string name = p.filename().string();
  for (const char* ext : {".jsonl", ".json", ".jsonl.gz", ".json.gz", ".jsonl.zst", ".json.zst"})
    if (name.ends_with(ext)) return true;
  return false;
}

void rename_into_place(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) throw Error(ErrorKind::kIo, fmt::format("cannot rename into place: {}", ec.message()), {to.string(), 0, ""});
}

std::string taxonomy_id(const DataTaxonomy& tax) { return tax.name + "@" + tax.fingerprint; }

}  // namespace

std::vector<fs::path> list_corpus_inputs(const std::vector<fs::path>& inputs) {
  std::vector<fs::path> out;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (fs::is_directory(in, ec)) {
      // Folders reached through symbolic links are searched too.
      size_t before = out.size();
      for (auto it = fs::recursive_directory_iterator(in, fs::directory_options::follow_directory_symlink, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file() && is_corpus_file(it->path())) out.push_back(it->path());
      if (ec) throw Error(ErrorKind::kIo, fmt::format("cannot list: {}", ec.message()), {in.string(), 0, ""});
      if (out.size() == before) {
        throw Error(ErrorKind::kNotFound, "no shards in this folder (.jsonl or .json, optionally .gz or .zst)",
                    {in.string(), 0, ""});
      }
    } else if (fs::exists(in, ec)) {
      out.push_back(in);
    } else {
      throw Error(ErrorKind::kNotFound, "input not found", {in.string(), 0, ""});
    }
  }
  std::sort(out.begin(), out.end(), [](const fs::path& a, const fs::path& b) { return a.string() < b.string(); });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

fs::path mirrored_path(const fs::path& input) {
  fs::path out;
  for (const auto& part : input.lexically_normal().relative_path()) {
    if (part == "." || part.empty()) continue;
    out /= (part == ".." ? fs::path("__") : part);
  }
  return out;
}

TagRunReport run_corpus_tag(const TagRunOptions& options) {
  if (!options.taxonomy) throw Error(ErrorKind::kInternal, "no taxonomy given");
  if (options.shard_count < 1 || options.shard_index < 0 || options.shard_index >= options.shard_count)
    throw_usage_error(fmt::format("--shard must be I/N with 1 <= I <= N (got index {} of {})", options.shard_index + 1,
                                  options.shard_count));
  const int threads = std::max(1, options.threads);
  DocumentTagger tagger(options.taxonomy);
  const std::vector<std::string> names = flat_tag_names(tagger);
  const TokenCounter tokens = options.tokenizer_model.empty() ? TokenCounter() : TokenCounter(options.tokenizer_model);
  ShardTagger shard_tagger(options, tagger, tokens, names);
  const int T = tagger.tag_count();
  const std::string tax_id = taxonomy_id(*options.taxonomy);

  // Every path is settled before any work: two inputs to one place, or an output that a symbolic link already
  // under --out would send elsewhere, stop the run here; then one process per share of --out.
  std::vector<MirroredInput> all = mirror_inputs(list_corpus_inputs(options.inputs));
  std::vector<fs::path> mine;
  for (size_t i = 0; i < all.size(); ++i)
    if (static_cast<int>(i % options.shard_count) == options.shard_index) mine.push_back(all[i].input);
  {
    std::error_code ec;
    fs::create_directories(options.out_dir, ec);
    if (ec)
      throw Error(ErrorKind::kIo, fmt::format("cannot create folder: {}", ec.message()),
                  {options.out_dir.string(), 0, ""});
  }
  for (const fs::path& input : mine) {
    const fs::path attr_path = options.out_dir / mirrored_path(input);
    for (const char* suffix : {"", ".tmp", ".stats.json", ".stats.json.tmp"})
      check_inside_output(options.out_dir, fs::path(attr_path.string() + suffix));
  }
  const FolderLock lock(
      options.out_dir / fmt::format(".caploop-corpus-tag-{}-of-{}.lock", options.shard_index + 1, options.shard_count),
      fmt::format("`caploop corpus tag` into {}", options.out_dir.string()));

  uint64_t total_bytes = 0;
  for (const auto& p : mine) {
    std::error_code ec;
    total_bytes += fs::file_size(p, ec);
  }
  Progress progress("corpus tag", total_bytes, options.progress);
  TaskPool pool(threads);
  TagRunReport report;

  for (const fs::path& input : mine) {
    const fs::path rel = mirrored_path(input);
    const fs::path attr_path = options.out_dir / rel;
    const fs::path stats_path = fs::path(attr_path.string() + ".stats.json");
    const fs::path attr_tmp = fs::path(attr_path.string() + ".tmp");
    const fs::path stats_tmp = fs::path(stats_path.string() + ".tmp");
    std::error_code ec;
    if (fs::exists(stats_path, ec)) {
      try {
        CorpusStats done = parse_corpus_stats(read_whole_file(stats_path, size_t{1} << 30), stats_path.string());
        if (done.taxonomy == tax_id && done.tokenizer == tokens.id() && fs::exists(attr_path, ec)) {
          report.shards_resumed.push_back(rel.string());
          report.stats.merge(done);
          progress.advance(fs::file_size(input, ec));
          continue;
        }
      } catch (const Error&) {
        // An unreadable statistics file does not mark the shard done; it is tagged again.
      }
    }
    fs::create_directories(attr_path.parent_path(), ec);
    if (ec)
      throw Error(ErrorKind::kIo, fmt::format("cannot create folder: {}", ec.message()),
                  {attr_path.parent_path().string(), 0, ""});

    CorpusStats stats;
    stats.taxonomy = tax_id;
    stats.tokenizer = tokens.id();
    stats.shards = 1;
    stats.inputs.push_back(rel.string());
    std::vector<TagCounts> tag_counts(T);
    std::vector<TagCounts> co(static_cast<size_t>(T) * T);
    std::vector<std::pair<int64_t, std::string>> shard_errors;
    uint64_t shard_skipped = 0;
    const std::string path_str = input.string();

    try {
      LineReader reader(input);
      CompressedWriter writer(attr_tmp, attr_path);
      std::deque<std::future<BatchResult>> window;
      auto collect = [&]() {
        BatchResult r = window.front().get();
        window.pop_front();
        if (!r.errors.empty() && options.on_error == OnError::kFail) {
          const auto& [line, reason] = r.errors.front();
          throw_input_error(reason, {path_str, line, ""});
        }
        writer.write(r.out);
        fault_point("corpus-tag:batch-written");
        stats.lines += r.lines;
        stats.total.add(r.total);
        for (int t = 0; t < T; ++t) tag_counts[t].add(r.tags[t]);
        for (size_t k = 0; k < co.size(); ++k) co[k].add(r.cooccurrence[k]);
        shard_skipped += r.errors.size();
        for (auto& e : r.errors)
          if (shard_errors.size() < kMaxErrorsPerShard) shard_errors.push_back(std::move(e));
      };
      auto submit = [&](Batch&& batch) {
        auto task = std::make_shared<std::packaged_task<BatchResult()>>(
            [&shard_tagger, p = path_str, b = std::move(batch)]() { return shard_tagger.run(b, p); });
        window.push_back(task->get_future());
        pool.submit([task] { (*task)(); });
        if (window.size() > static_cast<size_t>(2 * threads)) collect();
      };
      Batch batch;
      std::string_view line;
      uint64_t last_bytes = 0;
      while (reader.next(line)) {
        if (batch.lines.empty()) {
          batch.first_line = reader.line_number();
          batch.buf.reserve(options.batch_bytes + line.size() + simdjson::SIMDJSON_PADDING);  // one allocation
        }
        batch.lines.emplace_back(batch.buf.size(), line.size());
        batch.buf.append(line);
        batch.buf.append(simdjson::SIMDJSON_PADDING, ' ');
        if (batch.buf.size() >= options.batch_bytes) {
          submit(std::move(batch));
          batch = Batch{};
          progress.advance(reader.bytes_read() - last_bytes);
          last_bytes = reader.bytes_read();
        }
      }
      if (!batch.lines.empty()) submit(std::move(batch));
      while (!window.empty()) collect();
      progress.advance(reader.bytes_read() - last_bytes);
      writer.close();
    } catch (const Error& e) {
      fs::remove(attr_tmp, ec);
      if (options.on_error == OnError::kFail || e.kind() != ErrorKind::kInput) throw;
      report.failed_shards.push_back(e.what());
      continue;
    }
    for (int t = 0; t < T; ++t)
      if (tag_counts[t].docs) stats.tags[names[t]] = tag_counts[t];
    for (int a = 0; a < T; ++a)
      for (int b = a + 1; b < T; ++b)
        if (const TagCounts& n = co[static_cast<size_t>(a) * T + b]; n.docs)
          stats.cooccurrence[names[a] + "|" + names[b]] = n;
    stats.skipped = shard_skipped;
    for (const auto& [line, reason] : shard_errors) {
      std::string item = fmt::format("{}:{}: {}", path_str, line, reason);
      stats.errors.push_back(item);
      report.skipped_lines.push_back(item);
    }
    std::sort(stats.errors.begin(), stats.errors.end());
    report.skipped_line_count += shard_skipped;
    try {
      {
        CompressedWriter sw(stats_tmp, stats_path);
        sw.write(stats.to_json());
        sw.close();
      }
      rename_into_place(attr_tmp, attr_path);
      rename_into_place(stats_tmp, stats_path);
    } catch (const Error&) {
      fs::remove(attr_tmp, ec);  // a full disk here too leaves no temporaries behind
      fs::remove(stats_tmp, ec);
      throw;
    }
    report.shards_tagged.push_back(rel.string());
    report.stats.merge(stats);
  }
  progress.finish();
  return report;
}

}  // namespace caploop::corpus
