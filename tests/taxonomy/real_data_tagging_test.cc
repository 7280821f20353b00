// The built-in rules on real benchmark items from ../shared/data: every item gets a value on every axis, and
// the tags agree with what the data itself says (the targets' form, MATH's subject and level).
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "real_items.h"
#include "taxonomy/item_tagger.h"
#include "taxonomy/tag_coverage.h"
#include "test_support.h"

namespace caploop {
namespace {

std::vector<TaggedItem> tag_all(const std::vector<TaggableItem>& items) {
  std::vector<TaggedItem> out;
  out.reserve(items.size());
  for (const TaggableItem& item : items) {
    out.push_back(TaggedItem{item.benchmark, item.task, item.source_id, TagRuleSet::builtin().apply(item)});
  }
  return out;
}

bool is_plain_integer(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool mentions(const std::string& text, const std::string& lower_word) {
  std::string lower = text;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find(lower_word) != std::string::npos;
}

TEST(RealDataTagging, AllBbhItemsGetAValueOnEveryAxis) {
  REQUIRE_SHARED_DATA();
  std::vector<TaggableItem> items = testing::load_bbh_items();
  ASSERT_EQ(items.size(), 6511u);
  std::vector<TaggedItem> tagged = tag_all(items);
  TagCoverage coverage = TagCoverage::compute(EvalTaxonomy::builtin(), tagged);
  std::set<std::string> tasks;
  for (Axis axis : kAllAxes) {
    EXPECT_EQ(coverage.axis(axis).tagged_items, 6511) << axis_name(axis);
    EXPECT_TRUE(coverage.axis(axis).untagged_items.empty()) << axis_name(axis);
  }
  EXPECT_TRUE(coverage.unknown_values.empty());
  std::map<std::string, std::set<std::string>> task_operations;
  for (size_t i = 0; i < items.size(); ++i) {
    const ItemTags& tags = tagged[i].tags;
    const std::string& target = items[i].reference;
    tasks.insert(items[i].task);
    for (const std::string& op : tags.values(Axis::kOperation)) task_operations[items[i].task].insert(op);
    // The output form follows from the target itself.
    bool letter = target.size() == 3 && target[0] == '(' && std::isupper(static_cast<unsigned char>(target[1])) &&
                  target[2] == ')';
    if (letter) {
      EXPECT_EQ(tags.values(Axis::kOutput), std::vector<std::string>{"option_letter"}) << items[i].task;
      EXPECT_TRUE(tags.has_under(Axis::kTask, "select_option")) << items[i].task;
    } else if (target == "True" || target == "False" || target == "Yes" || target == "No" || target == "yes" ||
               target == "no" || target == "valid" || target == "invalid") {
      EXPECT_TRUE(tags.has_under(Axis::kOutput, "binary_label")) << items[i].task << " " << target;
      EXPECT_TRUE(tags.has_under(Axis::kTask, "judge_binary")) << items[i].task;
    } else if (is_plain_integer(target)) {
      EXPECT_EQ(tags.values(Axis::kOutput), std::vector<std::string>{"integer"}) << items[i].task;
    } else {
      EXPECT_TRUE(tags.has_under(Axis::kOutput, "word_sequence") || tags.has_under(Axis::kOutput, "short_free_text"))
          << items[i].task << " " << target;
    }
    EXPECT_EQ(tags.dims.at("task"), items[i].task);
  }
  EXPECT_EQ(tasks.size(), 27u);
  // Spot checks of the solving operation per task family, from the task definitions in the BBH paper.
  EXPECT_TRUE(task_operations["boolean_expressions"].count("logic.boolean_evaluation"));
  EXPECT_TRUE(task_operations["multistep_arithmetic_two"].count("arithmetic.multi_step"));
  EXPECT_TRUE(task_operations["dyck_languages"].count("bracket_matching"));
  EXPECT_TRUE(task_operations["word_sorting"].count("sorting.alphabetical"));
  EXPECT_TRUE(task_operations["tracking_shuffled_objects_seven_objects"].count("state_tracking.object_swaps"));
  EXPECT_TRUE(task_operations["date_understanding"].count("temporal.date_arithmetic"));
  EXPECT_TRUE(task_operations["penguins_in_a_table"].count("table_lookup"));
  EXPECT_TRUE(task_operations["causal_judgement"].count("causal_judgement"));
  EXPECT_TRUE(task_operations["logical_deduction_five_objects"].count("logic.deduction"));
  // The number of objects is kept as the difficulty level.
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].task == "logical_deduction_seven_objects") {
      EXPECT_EQ(tagged[i].tags.dims.at("level"), "7_objects");
    }
    if (items[i].task == "word_sorting") {
      EXPECT_EQ(tagged[i].tags.dims.count("level"), 0u);
    }
  }
}

TEST(RealDataTagging, AllMathItemsGetSubjectSpecificOperations) {
  REQUIRE_SHARED_DATA();
  std::vector<TaggableItem> items = testing::load_math_test_items();
  ASSERT_EQ(items.size(), 5000u);
  std::vector<TaggedItem> tagged = tag_all(items);
  // Which operation families count as the subject's own (the MATH paper's subject descriptions).
  const std::map<std::string, std::vector<std::string>> subject_families = {
      {"Algebra", {"algebra"}},
      {"Intermediate Algebra", {"algebra"}},
      {"Counting & Probability", {"counting", "probability"}},
      {"Number Theory", {"number_theory"}},
      {"Geometry", {"geometry"}},
      {"Prealgebra", {"arithmetic"}},
      {"Precalculus", {"trigonometry", "linear_algebra", "algebra", "geometry", "calculus"}},
  };
  std::map<std::string, int> per_subject;
  int integer_answers = 0, latex_answers = 0, probability_items = 0, remainder_items = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    const ItemTags& tags = tagged[i].tags;
    for (Axis axis : kAllAxes) ASSERT_FALSE(tags.values(axis).empty()) << axis_name(axis) << " item " << i;
    EXPECT_TRUE(tags.has_under(Axis::kBackground, "formal_symbolic"));
    EXPECT_EQ(tags.values(Axis::kTask), std::vector<std::string>{"compute_value"});

    std::smatch m;
    static const std::regex type_re(R"re("type":"([^"]+)","level":"Level (\d)")re");
    ASSERT_TRUE(std::regex_search(items[i].metadata_json, m, type_re));
    std::string subject = m[1];
    ++per_subject[subject];
    EXPECT_EQ(tags.dims.at("level"), m[2].str()) << i;
    bool own = false;
    for (const std::string& family : subject_families.at(subject))
      own = own || tags.has_under(Axis::kOperation, family);
    EXPECT_TRUE(own) << subject << " item " << i << ": " << items[i].text.substr(0, 80);

    if (is_plain_integer(items[i].reference)) {
      ++integer_answers;
      EXPECT_EQ(tags.values(Axis::kOutput), std::vector<std::string>{"integer"}) << items[i].reference;
    } else if (items[i].reference.find('\\') != std::string::npos) {
      ++latex_answers;
      EXPECT_EQ(tags.values(Axis::kOutput), std::vector<std::string>{"latex_expression"}) << items[i].reference;
    }
    if (mentions(items[i].text, "probability")) {
      ++probability_items;
      EXPECT_TRUE(tags.has_under(Axis::kOperation, "probability")) << i;
    }
    if (mentions(items[i].text, "remainder")) {
      ++remainder_items;
      EXPECT_TRUE(tags.has_under(Axis::kOperation, "number_theory.modular_arithmetic")) << i;
    }
  }
  EXPECT_EQ(per_subject.size(), 7u);
  EXPECT_EQ(per_subject["Counting & Probability"], 474);
  EXPECT_GT(integer_answers, 2500);
  EXPECT_GT(latex_answers, 1000);
  EXPECT_GT(probability_items, 100);
  EXPECT_GT(remainder_items, 50);
}

TEST(RealDataTagging, Gsm8kTestItemsGetArithmetic) {
  REQUIRE_SHARED_DATA();
  std::vector<TaggableItem> items = testing::load_gsm8k_test_items();
  ASSERT_EQ(items.size(), 1319u);
  std::vector<TaggedItem> tagged = tag_all(items);
  int percent_items = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    const ItemTags& tags = tagged[i].tags;
    EXPECT_TRUE(tags.has_under(Axis::kOperation, "arithmetic.multi_step")) << i;
    EXPECT_TRUE(tags.has_under(Axis::kBackground, "everyday_scenario"));
    EXPECT_EQ(tags.values(Axis::kTask), std::vector<std::string>{"compute_value"});
    // GSM8K's final answers are integers (some written with thousands separators).
    std::string answer = items[i].reference;
    answer.erase(std::remove(answer.begin(), answer.end(), ','), answer.end());
    EXPECT_TRUE(is_plain_integer(answer)) << answer;
    EXPECT_EQ(tags.values(Axis::kOutput), std::vector<std::string>{"integer"});
    if (items[i].text.find('%') != std::string::npos) {
      ++percent_items;
      EXPECT_TRUE(tags.has_under(Axis::kOperation, "arithmetic.percentages"));
    }
  }
  EXPECT_GT(percent_items, 50);
}

TEST(RealDataTagging, AimeAndAmcItemsGetEveryAxis) {
  REQUIRE_SHARED_DATA();
  for (const auto& [folder, benchmark] : std::vector<std::pair<std::string, std::string>>{
           {"aime24", "aime24"}, {"aime25", "aime25"}, {"amc23", "amc23"}}) {
    std::vector<TaggableItem> items = testing::load_competition_items(folder, benchmark);
    ASSERT_FALSE(items.empty());
    for (const TaggedItem& t : tag_all(items)) {
      for (Axis axis : kAllAxes) EXPECT_FALSE(t.tags.values(axis).empty()) << benchmark << " " << t.source_id;
      EXPECT_EQ(t.tags.values(Axis::kOutput), std::vector<std::string>{"integer"}) << benchmark << " " << t.source_id;
    }
  }
}

TEST(RealDataTagging, MmluStyleItemsBySubjectName) {
  TaggableItem item;
  item.benchmark = "mmlu";
  item.task = "mmlu_high_school_physics";
  item.text = "A ball is thrown upward...\nA. 1 m\nB. 2 m\nC. 3 m\nD. 4 m\nAnswer:";
  item.reference = "B";
  ItemTags tags = TagRuleSet::builtin().apply(item);
  EXPECT_EQ(tags.values(Axis::kBackground), std::vector<std::string>{"scientific.physics"});
  EXPECT_EQ(tags.values(Axis::kTask), std::vector<std::string>{"select_option"});
  EXPECT_EQ(tags.values(Axis::kOperation), std::vector<std::string>{"knowledge_recall"});
  EXPECT_EQ(tags.values(Axis::kOutput), std::vector<std::string>{"option_letter"});
  item.task = "hendrycksTest-elementary_mathematics";
  item.benchmark = "hendrycksTest";
  EXPECT_EQ(TagRuleSet::builtin().apply(item).values(Axis::kOperation),
            std::vector<std::string>{"arithmetic.multi_step"});
  // An unknown benchmark with lettered options and a letter answer is still recognised as multiple choice.
  item.benchmark = "arc_challenge";
  item.task = "arc_challenge";
  ItemTags generic = TagRuleSet::builtin().apply(item);
  EXPECT_EQ(generic.values(Axis::kTask), std::vector<std::string>{"select_option"});
  EXPECT_EQ(generic.values(Axis::kOutput), std::vector<std::string>{"option_letter"});
  EXPECT_TRUE(generic.values(Axis::kOperation).empty());
}

TEST(RealDataTagging, EveryMmluSubjectGetsABackground) {
  // The 57 subjects of MMLU (Hendrycks et al., 2021), as lm-eval names its tasks.
  const char* subjects[] = {"abstract_algebra",
                            "anatomy",
                            "astronomy",
                            "business_ethics",
                            "clinical_knowledge",
                            "college_biology",
                            "college_chemistry",
                            "college_computer_science",
                            "college_mathematics",
                            "college_medicine",
                            "college_physics",
                            "computer_security",
                            "conceptual_physics",
                            "econometrics",
                            "electrical_engineering",
                            "elementary_mathematics",
                            "formal_logic",
                            "global_facts",
                            "high_school_biology",
                            "high_school_chemistry",
                            "high_school_computer_science",
                            "high_school_european_history",
                            "high_school_geography",
                            "high_school_government_and_politics",
                            "high_school_macroeconomics",
                            "high_school_mathematics",
                            "high_school_microeconomics",
                            "high_school_physics",
                            "high_school_psychology",
                            "high_school_statistics",
                            "high_school_us_history",
                            "high_school_world_history",
                            "human_aging",
                            "human_sexuality",
                            "international_law",
                            "jurisprudence",
                            "logical_fallacies",
                            "machine_learning",
                            "management",
                            "marketing",
                            "medical_genetics",
                            "miscellaneous",
                            "moral_disputes",
                            "moral_scenarios",
                            "nutrition",
                            "philosophy",
                            "prehistory",
                            "professional_accounting",
                            "professional_law",
                            "professional_medicine",
                            "professional_psychology",
                            "public_relations",
                            "security_studies",
                            "sociology",
                            "us_foreign_policy",
                            "virology",
                            "world_religions"};
  ASSERT_EQ(std::size(subjects), 57u);
  for (const char* subject : subjects) {
    TaggableItem item;
    item.benchmark = "mmlu";
    item.task = std::string("mmlu_") + subject;
    item.reference = "A";
    ItemTags tags = TagRuleSet::builtin().apply(item);
    for (Axis axis : kAllAxes) EXPECT_FALSE(tags.values(axis).empty()) << subject << " " << axis_name(axis);
    EXPECT_EQ(tags.values(Axis::kBackground).size(), 1u) << subject;
  }
}

}  // namespace
}  // namespace caploop
