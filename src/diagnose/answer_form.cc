#include "diagnose/answer_form.h"

#include <algorithm>
#include <map>

namespace caploop {

namespace {

double ratio(double num, double den) { return den > 0.0 ? num / den : 0.0; }

double share(int64_t part, int64_t whole) { return ratio(static_cast<double>(part), static_cast<double>(whole)); }

std::string task_of(const std::string& key) { return key.substr(0, key.find(':')); }

}  // namespace

std::string example_answer(std::string_view answer) {
  if (answer.size() <= kExampleAnswerBytes) return std::string(answer);
  size_t start = answer.size() - kExampleAnswerBytes;
  while (start < answer.size() && (static_cast<unsigned char>(answer[start]) & 0xC0) == 0x80) ++start;
  return "\xe2\x80\xa6" + std::string(answer.substr(start));
}

AnswerFormChange measure_answer_form(const DiagnosisInput& input) {
  AnswerFormChange out;
  std::map<std::string, TaskShapeProfile> tasks;
  std::map<std::string, int> examples_per_task;
  int64_t base_answered = 0, base_shaped = 0, cand_answered = 0, cand_shaped = 0;
  int64_t lost = 0, lost_off_shape = 0;
  double loss = 0.0, recovered = 0.0, tolerant_sum = 0.0;
  for (const PairedItem& item : input.items) {
    const std::string task = task_of(item.key);
    TaskShapeProfile& t = tasks[task];
    t.task = task;
    t.base_answered += item.base_answered;
    t.base_shaped += item.base_shaped;
    t.cand_answered += item.cand_answered;
    t.cand_shaped += item.cand_shaped;
    base_answered += item.base_answered;
    base_shaped += item.base_shaped;
    cand_answered += item.cand_answered;
    cand_shaped += item.cand_shaped;
    const double a = item.base_accuracy();
    const double c = item.cand_accuracy();
    const double tolerant = share(item.cand_correct_tolerant, item.cand_samples);
    tolerant_sum += tolerant;
    if (c >= a) continue;
    ++lost;
    loss += a - c;
    const double rescued = std::min(a - c, std::max(0.0, tolerant - c));
    recovered += rescued;
    const bool off_shape = item.base_answered > 0 && item.cand_answered > 0 &&
                           share(item.cand_shaped, item.cand_answered) < share(item.base_shaped, item.base_answered);
    lost_off_shape += off_shape ? 1 : 0;
    if ((off_shape || rescued > 0.0) && out.examples.size() < kMaxAnswerFormExamples && examples_per_task[task] < 2) {
      ++examples_per_task[task];
      out.examples.push_back(
          AnswerFormExample{item.key, item.reference, item.base_answer, item.cand_answer, rescued > 0.0});
    }
  }
  out.measured = base_answered > 0 && cand_answered > 0;
  out.cand_accuracy_tolerant = ratio(tolerant_sum, static_cast<double>(input.items.size()));
  out.recovered_share_tolerant = ratio(recovered, loss);
  if (!out.measured) return out;
  out.base_shape_share = share(base_shaped, base_answered);
  out.cand_shape_share = share(cand_shaped, cand_answered);
  out.shape_share_drop = out.base_shape_share - out.cand_shape_share;
  out.off_shape_lost_share = share(lost_off_shape, lost);
  for (auto& [task, t] : tasks) {
    t.base_share = share(t.base_shaped, t.base_answered);
    t.cand_share = share(t.cand_shaped, t.cand_answered);
    out.tasks.push_back(t);
  }
  return out;
}

}  // namespace caploop
