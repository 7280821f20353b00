// LossDecomposition: where a candidate's accuracy loss comes from — items lost with an abnormal ending versus
// items lost while the generation ended normally — and how much of it re-scoring recovers.
//
// Per item, a_i and c_i are the baseline and candidate accuracies (diagnose/paired_difference.h); an item is
// lost when c_i < a_i, with loss_i = a_i - c_i. A lost item is classed by the candidate's endings on it:
//   termination  some candidate sample was truncated, ran on or looped (cand_abnormal - cand_no_answer > 0)
//   no_answer    otherwise, some candidate sample had no extractable answer (cand_no_answer > 0)
//   normal       every candidate sample ended normally with an answer
// Abnormal = termination + no_answer. Rates are over samples: abnormal samples / samples, per run.
// Recovery: with l_i and f_i the candidate accuracies under the lenient and the first-answer rule, the share
// of the loss a rule recovers is sum_lost min(loss_i, max(0, r_i - c_i)) / sum_lost loss_i (0 when nothing
// was lost); "either" uses max(l_i, f_i) per item. Pure function; thread-safe.
#pragma once

#include <cstdint>

#include "diagnose/diagnosis_input.h"

namespace caploop {

struct LossDecomposition {
  int64_t items = 0;
  int64_t items_lost = 0;
  int64_t items_gained = 0;
  int64_t lost_abnormal = 0;  // lost_termination + lost_no_answer
  int64_t lost_termination = 0;
  int64_t lost_no_answer = 0;
  int64_t lost_normal = 0;
  double abnormal_lost_share = 0.0;  // lost_abnormal / items_lost (0 when none lost)
  double termination_lost_share = 0.0;
  double no_answer_lost_share = 0.0;
  double accuracy_lost = 0.0;           // sum_lost loss_i / items (points lost on lost items)
  double accuracy_lost_abnormal = 0.0;  // the part of it on items lost with an abnormal ending
  double accuracy_lost_normal = 0.0;
  double base_abnormal_rate = 0.0;  // abnormal samples / samples
  double cand_abnormal_rate = 0.0;
  double base_termination_rate = 0.0;  // (abnormal - no_answer) samples / samples
  double cand_termination_rate = 0.0;
  double cand_accuracy_lenient = 0.0;  // mean l_i
  double cand_accuracy_first = 0.0;    // mean f_i
  double recovered_share_lenient = 0.0;
  double recovered_share_first = 0.0;
  double recovered_share_either = 0.0;
};

LossDecomposition decompose_loss(const DiagnosisInput& input);

}  // namespace caploop
