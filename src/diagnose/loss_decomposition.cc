#include "diagnose/loss_decomposition.h"

#include <algorithm>

namespace caploop {

namespace {

double ratio(double num, double den) { return den > 0.0 ? num / den : 0.0; }

}  // namespace

LossDecomposition decompose_loss(const DiagnosisInput& input) {
  LossDecomposition out;
  out.items = static_cast<int64_t>(input.items.size());
  double loss = 0.0;
  double loss_abnormal = 0.0;
  double recovered_lenient = 0.0;
  double recovered_first = 0.0;
  double recovered_either = 0.0;
  double lenient_sum = 0.0;
  double first_sum = 0.0;
  int64_t base_samples = 0, cand_samples = 0;
  int64_t base_abnormal = 0, cand_abnormal = 0, base_termination = 0, cand_termination = 0;
  for (const PairedItem& item : input.items) {
    const double a = item.base_accuracy();
    const double c = item.cand_accuracy();
    const double cs = static_cast<double>(item.cand_samples);
    const double l = static_cast<double>(item.cand_correct_lenient) / cs;
    const double f = static_cast<double>(item.cand_correct_first) / cs;
    lenient_sum += l;
    first_sum += f;
    base_samples += item.base_samples;
    cand_samples += item.cand_samples;
    base_abnormal += item.base_abnormal;
    cand_abnormal += item.cand_abnormal;
    base_termination += item.base_abnormal - item.base_no_answer;
    cand_termination += item.cand_abnormal - item.cand_no_answer;
    if (c > a) ++out.items_gained;
    if (c >= a) continue;
    ++out.items_lost;
    const double item_loss = a - c;
    loss += item_loss;
    if (item.cand_abnormal - item.cand_no_answer > 0) {
      ++out.lost_termination;
      loss_abnormal += item_loss;
    } else if (item.cand_no_answer > 0) {
      ++out.lost_no_answer;
      loss_abnormal += item_loss;
    } else {
      ++out.lost_normal;
    }
    recovered_lenient += std::min(item_loss, std::max(0.0, l - c));
    recovered_first += std::min(item_loss, std::max(0.0, f - c));
    recovered_either += std::min(item_loss, std::max(0.0, std::max(l, f) - c));
  }
  const double n = static_cast<double>(out.items);
  const double lost = static_cast<double>(out.items_lost);
  out.lost_abnormal = out.lost_termination + out.lost_no_answer;
  out.abnormal_lost_share = ratio(static_cast<double>(out.lost_abnormal), lost);
  out.termination_lost_share = ratio(static_cast<double>(out.lost_termination), lost);
  out.no_answer_lost_share = ratio(static_cast<double>(out.lost_no_answer), lost);
  out.accuracy_lost = ratio(loss, n);
  out.accuracy_lost_abnormal = ratio(loss_abnormal, n);
  out.accuracy_lost_normal = ratio(loss - loss_abnormal, n);
  out.base_abnormal_rate = ratio(static_cast<double>(base_abnormal), static_cast<double>(base_samples));
  out.cand_abnormal_rate = ratio(static_cast<double>(cand_abnormal), static_cast<double>(cand_samples));
  out.base_termination_rate = ratio(static_cast<double>(base_termination), static_cast<double>(base_samples));
  out.cand_termination_rate = ratio(static_cast<double>(cand_termination), static_cast<double>(cand_samples));
  out.cand_accuracy_lenient = ratio(lenient_sum, n);
  out.cand_accuracy_first = ratio(first_sum, n);
  out.recovered_share_lenient = ratio(recovered_lenient, loss);
  out.recovered_share_first = ratio(recovered_first, loss);
  out.recovered_share_either = ratio(recovered_either, loss);
  return out;
}

}  // namespace caploop
