#include "eval/ending.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "test_support.h"

namespace caploop {
namespace {

namespace fs = std::filesystem;

struct BbhOutput {
  std::string question;    // the item's own "Q: ... A: Let's think step by step." (last of the prompt)
  std::string prediction;  // code-davinci-002's chain of thought
};

struct BbhTask {
  std::string name;
  std::vector<BbhOutput> outputs;
  size_t max_prediction_bytes = 0;
};

std::vector<BbhTask> load_bbh_cot() {
  std::vector<BbhTask> tasks;
  fs::path dir = caploop::testing::shared_data_dir() / "bbh/code-davinci-002-outputs/code-davinci-002-cot";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  simdjson::ondemand::parser parser;
  for (const fs::path& f : files) {
    BbhTask task;
    task.name = f.filename().string();
    simdjson::padded_string json = simdjson::padded_string::load(f.string()).value();
    simdjson::ondemand::document doc = parser.iterate(json).value();
    // Named, not iterated as a temporary: value() on a temporary result returns a reference into it.
    simdjson::ondemand::array outputs = doc["outputs"].get_array().value();
    for (auto out : outputs) {
      simdjson::ondemand::object o = out.get_object().value();
      std::string input(o["input"].get_string().value());
      BbhOutput b;
      b.prediction = std::string(o["prediction"].get_string().value());
      size_t q = input.rfind("\n\nQ: ");
      b.question = q == std::string::npos ? input : input.substr(q + 2);
      task.max_prediction_bytes = std::max(task.max_prediction_bytes, b.prediction.size());
      task.outputs.push_back(std::move(b));
    }
    tasks.push_back(std::move(task));
  }
  return tasks;
}

const std::vector<BbhTask>& bbh_cot() {
  static const std::vector<BbhTask> tasks = load_bbh_cot();
  return tasks;
}

// A minimal stand-in for the BBH scoring rule: the first "So the answer is ... ." is the statement used.
Extraction find_answer(std::string_view text) {
  constexpr std::string_view kCue = "So the answer is";
  Extraction x;
  size_t first = text.find(kCue);
  if (first == std::string_view::npos) return x;
  x.found = true;
  size_t stop = text.find_first_of(".\n", first + kCue.size());
  x.statement_begin = first;
  x.statement_end = stop == std::string_view::npos ? text.size() : stop + 1;
  x.answer = std::string(text.substr(first + kCue.size(), x.statement_end - first - kCue.size()));
  for (size_t p = first; p != std::string_view::npos; p = text.find(kCue, p + 1)) ++x.n_statements;
  return x;
}

Ending classify(std::string_view text, std::optional<size_t> run_max = std::nullopt) {
  EndingInput in;
  in.text = text;
  in.run_max_bytes = run_max;
  return classify_ending(in, find_answer(text));
}

// The runaway continuation of item i: the model goes on to ask and answer the next item of its task.
std::string runaway(const BbhTask& task, size_t i) {
  const BbhOutput& next = task.outputs[(i + 1) % task.outputs.size()];
  return task.outputs[i].prediction + "\n\n" + next.question + "\n" + next.prediction;
}

TEST(EndingTest, NamesAreStable) {
  EXPECT_EQ(ending_name(EndingKind::kStopped), "stopped");
  EXPECT_EQ(ending_name(EndingKind::kTruncated), "truncated");
  EXPECT_EQ(ending_name(EndingKind::kRanOn), "ran_on");
  EXPECT_EQ(ending_name(EndingKind::kDegenerateRepetition), "degenerate_repetition");
  EXPECT_EQ(ending_name(EndingKind::kNoAnswer), "no_answer");
  EXPECT_EQ(evidence_name(EndingEvidence::kFinishReason), "finish_reason");
  EXPECT_EQ(evidence_name(EndingEvidence::kTokenCount), "token_count");
  EXPECT_EQ(evidence_name(EndingEvidence::kInferred), "inferred");
}

TEST(EndingTest, FinishReasonIsTrustedFirst) {
  std::string text = "Two plus two is four. So the answer is 4.";
  Extraction x = find_answer(text);
  for (std::string_view reason : {"length", "max_tokens", "max_length"}) {
    EndingInput in{text, reason, 10, 1000, std::nullopt};  // the token count would say "not truncated"
    Ending e = classify_ending(in, x);
    EXPECT_EQ(e.kind, EndingKind::kTruncated) << reason;
    EXPECT_EQ(e.evidence, EndingEvidence::kFinishReason);
  }
  for (std::string_view reason : {"stop", "eos", "stop_sequence", "end_turn"}) {
    EndingInput in{text, reason, 1000, 1000, std::nullopt};  // the token count would say "truncated"
    Ending e = classify_ending(in, x);
    EXPECT_EQ(e.kind, EndingKind::kStopped) << reason;
    EXPECT_FALSE(e.truncated);
    EXPECT_EQ(e.evidence, EndingEvidence::kFinishReason);
  }
  // An unknown reason falls through to the token count.
  EndingInput in{text, "weird", 256, 256, std::nullopt};
  Ending e = classify_ending(in, x);
  EXPECT_EQ(e.kind, EndingKind::kTruncated);
  EXPECT_EQ(e.evidence, EndingEvidence::kTokenCount);
}

TEST(EndingTest, TokenCountDecidesWhenNoFinishReason) {
  std::string text = "Thinking about the first step of";
  Extraction none;
  Ending at_limit = classify_ending({text, std::nullopt, 512, 512, std::nullopt}, none);
  EXPECT_EQ(at_limit.kind, EndingKind::kTruncated);
  EXPECT_EQ(at_limit.evidence, EndingEvidence::kTokenCount);
  Ending below = classify_ending({text, std::nullopt, 100, 512, std::nullopt}, none);
  EXPECT_EQ(below.kind, EndingKind::kNoAnswer);
  EXPECT_FALSE(below.truncated);
  EXPECT_EQ(below.evidence, EndingEvidence::kTokenCount);
}

TEST(EndingTest, TurnMarkersAfterTheAnswerMeanRanOn) {
  for (std::string_view tail : {"\n\nQ: What is 3+3?", "\nQuestion: next", "\nProblem: Find x.", "\n\nHuman: thanks",
                                "\nUser: hi", "<|im_start|>user\nmore"}) {
    std::string text = "It is 4. So the answer is 4." + std::string(tail);
    Ending e = classify(text);
    EXPECT_EQ(e.kind, EndingKind::kRanOn) << tail;
    EXPECT_TRUE(e.ran_on);
  }
  // Plain text after the answer is not a new turn; a marker before the answer does not count.
  EXPECT_EQ(classify("Q: the question restated. So the answer is 4.\nThat is all.").kind, EndingKind::kStopped);
  // Two answer statements: ran on even without a marker.
  EXPECT_EQ(classify("So the answer is 4. Then again, so the answer is 5. So the answer is 6.").kind,
            EndingKind::kRanOn);
}

TEST(EndingTest, PeriodicAndNearPeriodicTailsAreRepetition) {
  std::string loop = "Let me check again.";
  std::string text = "First we add the numbers. ";
  for (int i = 0; i < 8; ++i) text += loop + " ";
  Ending e = classify(text);
  EXPECT_EQ(e.kind, EndingKind::kDegenerateRepetition);
  EXPECT_TRUE(e.repetitive);

  // Not periodic (the step number changes) but nearly every word 5-gram recurs.
  std::string near_loop = "We list the cases.\n";
  for (int i = 1; i <= 40; ++i) {
    near_loop += "Step " + std::to_string(i) +
                 ": we recheck the sum of all the numbers above and it is still exactly the same as before.\n";
  }
  EXPECT_TRUE(classify(near_loop).repetitive);

  // Five repeats of a short unit, or a short run of one character, are not loops.
  EXPECT_FALSE(classify("Answer: ha ha ha ha ha").repetitive);
  EXPECT_FALSE(classify("So the answer is 4!!!!!!!!").repetitive);
}

TEST(EndingTest, InferredTruncationNeedsNearMaxLengthAndMidSentence) {
  std::string cut(900, 'x');
  cut += " and then we";
  EXPECT_EQ(classify(cut, 1000).kind, EndingKind::kTruncated);
  EXPECT_EQ(classify(cut, 1000).evidence, EndingEvidence::kInferred);
  EXPECT_EQ(classify(cut, 2000).kind, EndingKind::kNoAnswer);        // far shorter than the run's longest
  EXPECT_EQ(classify(cut + ".", 1000).kind, EndingKind::kNoAnswer);  // ends a sentence
  EXPECT_EQ(classify(cut).kind, EndingKind::kNoAnswer);              // nothing to compare with
}

// --- Real data: code-davinci-002 chain-of-thought outputs on BIG-Bench Hard ----------------------------

TEST(EndingRealDataTest, OriginalBbhOutputsStop) {
  REQUIRE_SHARED_DATA();
  size_t with_answer = 0, stopped = 0, without_answer = 0, inferred_truncated = 0, repetitive = 0, total = 0;
  for (const BbhTask& task : bbh_cot()) {
    for (const BbhOutput& o : task.outputs) {
      Ending e = classify(o.prediction, task.max_prediction_bytes);
      ++total;
      repetitive += e.repetitive;
      if (find_answer(o.prediction).found) {
        ++with_answer;
        stopped += e.kind == EndingKind::kStopped;
      } else {
        ++without_answer;
        inferred_truncated += e.kind == EndingKind::kTruncated;
      }
    }
  }
  std::cout << "[ figures  ] BBH CoT originals: " << stopped << "/" << with_answer
            << " with an answer classify stopped; " << inferred_truncated << "/" << without_answer
            << " without one inferred truncated; " << repetitive << "/" << total << " flagged repetitive\n";
  EXPECT_EQ(total, 6511u);
  EXPECT_GE(stopped, with_answer * 99 / 100);
  // The outputs without an answer were cut by the 256-token limit mid-reasoning.
  EXPECT_GE(inferred_truncated, without_answer * 90 / 100);
  EXPECT_LE(repetitive, total / 100);
}

TEST(EndingRealDataTest, RunawayBbhOutputsRanOnOrTruncated) {
  REQUIRE_SHARED_DATA();
  size_t variants = 0, ran_on_or_truncated = 0, ran_on_flag = 0;
  for (const BbhTask& task : bbh_cot()) {
    for (size_t i = 0; i < task.outputs.size(); ++i) {
      const std::string& original = task.outputs[i].prediction;
      if (!find_answer(original).found) continue;
      std::string full = runaway(task, i);
      // Cut somewhere in the continuation, never before its "\n\nQ:", at a deterministic spread of points.
      size_t extra = full.size() - original.size() - 4;
      size_t cut = original.size() + 4 + extra * ((i * 37) % 101) / 100;
      std::string text = full.substr(0, cut);
      Ending e = classify(text, task.max_prediction_bytes);
      ++variants;
      ran_on_or_truncated += e.kind == EndingKind::kRanOn || e.kind == EndingKind::kTruncated;
      ran_on_flag += e.ran_on;
    }
  }
  std::cout << "[ figures  ] BBH CoT runaway variants: " << ran_on_or_truncated << "/" << variants
            << " classify ran_on or truncated; ran_on flag on " << ran_on_flag << "\n";
  EXPECT_GT(variants, 6000u);
  EXPECT_EQ(ran_on_or_truncated, variants);
  EXPECT_EQ(ran_on_flag, variants);
}

TEST(EndingRealDataTest, RecordedEvidenceOverridesTheText) {
  REQUIRE_SHARED_DATA();
  const BbhTask& task = bbh_cot().front();
  for (size_t i = 0; i < 50; ++i) {
    const std::string& original = task.outputs[i].prediction;
    if (!find_answer(original).found) continue;
    std::string text = runaway(task, i);
    Extraction x = find_answer(text);
    Ending hit_limit = classify_ending({text, "length", std::nullopt, std::nullopt, std::nullopt}, x);
    EXPECT_EQ(hit_limit.kind, EndingKind::kTruncated);
    EXPECT_TRUE(hit_limit.ran_on);
    Ending stopped_by_sequence = classify_ending({text, "stop", std::nullopt, std::nullopt, std::nullopt}, x);
    EXPECT_EQ(stopped_by_sequence.kind, EndingKind::kRanOn);
    Ending original_ending = classify_ending({original, "stop", 80, 256, std::nullopt}, find_answer(original));
    EXPECT_EQ(original_ending.kind, EndingKind::kStopped);
  }
}

TEST(EndingRealDataTest, LoopsBuiltFromRealSentencesAreRepetition) {
  REQUIRE_SHARED_DATA();
  size_t variants = 0, flagged = 0, kind_repetition = 0;
  for (const BbhTask& task : bbh_cot()) {
    for (size_t i = 0; i < task.outputs.size(); i += 5) {
      const std::string& original = task.outputs[i].prediction;
      // The loop unit: the first sentence of the output, up to 100 bytes, as a model repeating itself would.
      size_t stop = original.find_first_of(".\n");
      if (stop == std::string::npos || stop < 10) continue;
      std::string unit = original.substr(0, std::min<size_t>(stop + 1, 100)) + " ";
      std::string text = original.substr(0, original.size() / 2);
      while (text.size() < original.size() / 2 + 1500) text += unit;
      Ending e = classify(text);
      ++variants;
      flagged += e.repetitive;
      kind_repetition += e.kind == EndingKind::kDegenerateRepetition;
    }
  }
  std::cout << "[ figures  ] BBH CoT loop variants: " << flagged << "/" << variants << " flagged repetitive, "
            << kind_repetition << " classify degenerate_repetition\n";
  EXPECT_GT(variants, 1000u);
  EXPECT_GE(flagged, variants * 99 / 100);
}

TEST(EndingRealDataTest, QwenMathResponsesAreNotRepetitive) {
  REQUIRE_SHARED_DATA();
  fs::path p = caploop::testing::shared_data_dir() / "model_outputs/qwen25math_math_cot_100/math_cot_100.jsonl";
  simdjson::ondemand::parser parser;
  simdjson::padded_string json = simdjson::padded_string::load(p.string()).value();
  simdjson::ondemand::document_stream docs = parser.iterate_many(json).value();
  size_t responses = 0, repetitive = 0;
  for (auto doc : docs) {
    simdjson::ondemand::array code = doc["code"].get_array().value();
    for (auto r : code) {
      std::string_view text = r.get_string().value();
      EndingInput in;
      in.text = text;
      Extraction x;
      size_t boxed = text.rfind("\\boxed{");
      x.found = boxed != std::string_view::npos;
      x.statement_begin = x.found ? boxed : 0;
      x.statement_end = x.found ? text.size() : 0;
      x.n_statements = x.found ? 1 : 0;
      repetitive += classify_ending(in, x).repetitive;
      ++responses;
    }
  }
  std::cout << "[ figures  ] Qwen2.5-Math MATH responses: " << repetitive << "/" << responses
            << " flagged repetitive\n";
  EXPECT_EQ(responses, 800u);
  EXPECT_LE(repetitive, responses / 100);
}

// --- Streaming: the ending before the run's longest generation is known, completed afterwards ----------------

bool same_ending(const Ending& a, const Ending& b) {
  return a.kind == b.kind && a.evidence == b.evidence && a.ran_on == b.ran_on && a.truncated == b.truncated &&
         a.repetitive == b.repetitive;
}

// What a streaming scorer computes: classified without run_max_bytes, completed once it is known.
Ending classify_streamed(const EndingInput& in, const Extraction& x, size_t run_max) {
  EndingInput first = in;
  first.run_max_bytes = std::nullopt;
  Ending e = classify_ending(first, x);
  return awaits_run_max_bytes(first, x, e) ? with_run_max_bytes(e, in.text.size(), run_max) : e;
}

TEST(EndingStreamingTest, CompletedEndingEqualsTheOneClassifiedWithRunMax) {
  REQUIRE_SHARED_DATA();
  size_t awaited = 0, became_truncated = 0, checked = 0;
  for (const BbhTask& task : bbh_cot()) {
    for (size_t i = 0; i < task.outputs.size(); ++i) {
      const std::string& p = task.outputs[i].prediction;
      // the output, a cut of it (mid-sentence), and its runaway continuation; each against several longest lengths
      for (std::string text : {p, p.substr(0, p.size() * 2 / 3), runaway(task, i)}) {
        Extraction x = find_answer(text);
        for (size_t run_max :
             {task.max_prediction_bytes, text.size(), text.size() * 5 / 4, text.size() * 2, size_t{0}}) {
          EndingInput in;
          in.text = text;
          in.run_max_bytes = run_max;
          Ending direct = classify_ending(in, x);
          Ending streamed = classify_streamed(in, x, run_max);
          ASSERT_TRUE(same_ending(direct, streamed)) << task.name << " #" << i << " run_max " << run_max;
          EndingInput first = in;
          first.run_max_bytes = std::nullopt;
          bool awaits = awaits_run_max_bytes(first, x, classify_ending(first, x));
          awaited += awaits;
          became_truncated += awaits && direct.truncated;
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 6511u * 15);
  EXPECT_GT(became_truncated, 1000u);  // the completion matters on real data, not only in principle
  EXPECT_GT(awaited, became_truncated);
  // Recorded evidence never waits: a finish reason or token count decides alone.
  const std::string cut = bbh_cot().front().outputs.front().prediction.substr(0, 40);
  EndingInput recorded{cut, "length", std::nullopt, std::nullopt, std::nullopt};
  EXPECT_FALSE(awaits_run_max_bytes(recorded, find_answer(recorded.text), classify_ending(recorded, {})));
}

// A text classified under several rules is tested for repetition once: the known result is taken as given, and
// giving the true one changes nothing.
TEST(EndingTest, AKnownRepetitionResultIsTakenAsGiven) {
  std::string loop = "First we add the numbers. ";
  for (int i = 0; i < 8; ++i) loop += "Let me check again. ";
  for (const std::string& text : {loop, std::string("So the answer is 4.")}) {
    EndingInput in;
    in.text = text;
    Ending tested = classify_ending(in, Extraction{});
    Ending given = classify_ending(in, Extraction{}, tested.repetitive);
    EXPECT_EQ(given.kind, tested.kind);
    EXPECT_EQ(given.repetitive, tested.repetitive);
    EXPECT_EQ(classify_ending(in, Extraction{}, !tested.repetitive).repetitive, !tested.repetitive);
  }
}

}  // namespace
}  // namespace caploop
