#include "diagnose/diagnosis_options.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <functional>
#include <map>

#include "core/error.h"
#include "io/toml_file.h"

namespace caploop {

namespace {

// Range checks are about the whole file (line 0); parse_diagnosis_options() moves them to the key's line.
void check_range(bool ok, const std::string& file, const std::string& key, const std::string& what) {
  if (!ok) throw Error(ErrorKind::kInput, fmt::format("must be {}", what), SourceLocation{file, 0, key});
}

}  // namespace

std::string_view fdr_method_name(FdrMethod method) { return method == FdrMethod::kBenjaminiYekutieli ? "by" : "bh"; }

void DiagnosisOptions::validate(const std::string& file) const {
  auto prob = [&](double v, const char* key) {
    check_range(v > 0.0 && v < 1.0, file, fmt::format("diagnose.{}", key), "strictly between 0 and 1");
  };
  auto share = [&](double v, const char* key) {
    check_range(v >= 0.0 && v <= 1.0, file, fmt::format("diagnose.{}", key), "between 0 and 1");
  };
  prob(alpha, "alpha");
  prob(fdr, "fdr");
  prob(confidence, "confidence");
  check_range(power >= 0.5 && power < 1.0, file, "diagnose.power", "in [0.5, 1)");
  check_range(max_order >= 1 && max_order <= 5, file, "diagnose.max_order", "between 1 and 5");
  check_range(min_support >= 1, file, "diagnose.min_support", ">= 1");
  check_range(max_reported_slices >= 1, file, "diagnose.max_reported_slices", ">= 1");
  check_range(!partition_key.empty(), file, "diagnose.partition_key", "a non-empty dimension name");
  share(max_unpaired_share, "max_unpaired_share");
  share(max_prompt_mismatch_share, "max_prompt_mismatch_share");
  share(max_set_aside_prompt_share, "max_set_aside_prompt_share");
  share(min_concentrated_change_share, "min_concentrated_change_share");
  share(min_shape_shift, "min_shape_shift");
  share(min_off_shape_lost_share, "min_off_shape_lost_share");
  share(max_broken_accuracy, "max_broken_accuracy");
  share(min_broken_no_answer_share, "min_broken_no_answer_share");
  share(min_abnormal_lost_share, "min_abnormal_lost_share");
  check_range(min_abnormal_rate_ratio >= 1.0, file, "diagnose.min_abnormal_rate_ratio", ">= 1");
  share(min_abnormal_rate_increase, "min_abnormal_rate_increase");
  share(min_recovered_share, "min_recovered_share");
  share(min_loss_breadth, "min_loss_breadth");
  share(min_no_answer_lost_share, "min_no_answer_lost_share");
  prob(max_detectable_effect, "max_detectable_effect");
  prob(min_planning_discordance, "min_planning_discordance");
}

DiagnosisOptions parse_diagnosis_options(std::string_view toml_text, const std::string& file_name) {
  const toml::table root = parse_toml_or_throw(toml_text, file_name, "");
  DiagnosisOptions options;
  const toml::node* section = root.get("diagnose");
  if (section == nullptr) return options;
  const toml::table* table = section->as_table();
  if (table == nullptr) fail_at(file_name, *section, "diagnose", "must be a table");

  auto real = [&](double& target) {
    return [&target, &file_name](const toml::node& node, const std::string& key) {
      if (auto v = node.value<double>(); v && (node.is_floating_point() || node.is_integer())) {
        target = *v;
      } else {
        fail_at(file_name, node, key, "must be a number");
      }
    };
  };
  auto integer = [&](auto& target) {
    return [&target, &file_name](const toml::node& node, const std::string& key) {
      if (!node.is_integer()) fail_at(file_name, node, key, "must be an integer");
      target = static_cast<std::remove_reference_t<decltype(target)>>(*node.value<int64_t>());
    };
  };
  using Setter = std::function<void(const toml::node&, const std::string&)>;
  const std::map<std::string, Setter, std::less<>> setters = {
      {"alpha", real(options.alpha)},
      {"fdr", real(options.fdr)},
      {"fdr_method",
       [&](const toml::node& node, const std::string& key) {
         auto v = node.value<std::string>();
         if (!node.is_string() || (*v != "bh" && *v != "by")) {
           fail_at(file_name, node, key, "must be \"bh\" (Benjamini-Hochberg) or \"by\" (Benjamini-Yekutieli)");
         }
         options.fdr_method = *v == "by" ? FdrMethod::kBenjaminiYekutieli : FdrMethod::kBenjaminiHochberg;
       }},
      {"confidence", real(options.confidence)},
      {"max_order", integer(options.max_order)},
      {"min_support", integer(options.min_support)},
      {"max_reported_slices", integer(options.max_reported_slices)},
      {"partition_key",
       [&](const toml::node& node, const std::string& key) {
         if (!node.is_string()) fail_at(file_name, node, key, "must be a string");
         options.partition_key = *node.value<std::string>();
       }},
      {"max_unpaired_share", real(options.max_unpaired_share)},
      {"max_prompt_mismatch_share", real(options.max_prompt_mismatch_share)},
      {"max_set_aside_prompt_share", real(options.max_set_aside_prompt_share)},
      {"min_concentrated_change_share", real(options.min_concentrated_change_share)},
      {"min_shape_shift", real(options.min_shape_shift)},
      {"min_off_shape_lost_share", real(options.min_off_shape_lost_share)},
      {"max_broken_accuracy", real(options.max_broken_accuracy)},
      {"min_broken_no_answer_share", real(options.min_broken_no_answer_share)},
      {"min_abnormal_lost_share", real(options.min_abnormal_lost_share)},
      {"min_abnormal_rate_ratio", real(options.min_abnormal_rate_ratio)},
      {"min_abnormal_rate_increase", real(options.min_abnormal_rate_increase)},
      {"min_recovered_share", real(options.min_recovered_share)},
      {"min_loss_breadth", real(options.min_loss_breadth)},
      {"min_no_answer_lost_share", real(options.min_no_answer_lost_share)},
      {"power", real(options.power)},
      {"max_detectable_effect", real(options.max_detectable_effect)},
      {"min_planning_discordance", real(options.min_planning_discordance)},
  };
  for (const auto& [raw_key, node] : *table) {
    const std::string key = fmt::format("diagnose.{}", raw_key.str());
    auto it = setters.find(raw_key.str());
    if (it == setters.end()) fail_at(file_name, node, key, "unknown key");
    it->second(node, key);
    // Range checks report the line of the key that broke them.
    try {
      options.validate(file_name);
    } catch (const Error& e) {
      if (e.where().field == key) fail_at(file_name, node, key, e.message());
      throw;
    }
  }
  return options;
}

DiagnosisOptions load_diagnosis_options(const std::filesystem::path& path) {
  return parse_diagnosis_options(read_text_file(path), path.string());
}

}  // namespace caploop
