// The [diagnose] table of a TOML configuration: overrides, defaults, and errors naming file, line and key.
#include "diagnose/diagnosis_options.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "test_support.h"

namespace caploop {
namespace {

TEST(DiagnosisOptions, TableOverridesOnlyTheKeysItNames) {
  const DiagnosisOptions o = parse_diagnosis_options(
      "[other]\nx = 1\n[diagnose]\nalpha = 0.01\nfdr_method = \"by\"\nmax_order = 2\nmin_recovered_share = 0.7\n"
      "partition_key = \"benchmark\"\nmin_abnormal_rate_ratio = 3\n",
      "diag.toml");
  EXPECT_DOUBLE_EQ(o.alpha, 0.01);
  EXPECT_EQ(o.fdr_method, FdrMethod::kBenjaminiYekutieli);
  EXPECT_EQ(o.max_order, 2);
  EXPECT_DOUBLE_EQ(o.min_recovered_share, 0.7);
  EXPECT_EQ(o.partition_key, "benchmark");
  EXPECT_DOUBLE_EQ(o.min_abnormal_rate_ratio, 3.0);  // an integer is accepted for a real threshold
  EXPECT_DOUBLE_EQ(o.fdr, DiagnosisOptions{}.fdr);
  EXPECT_EQ(o.min_support, DiagnosisOptions{}.min_support);
}

TEST(DiagnosisOptions, NoTableGivesTheDefaults) {
  const DiagnosisOptions o = parse_diagnosis_options("[report]\ntitle = \"x\"\n", "c.toml");
  EXPECT_DOUBLE_EQ(o.alpha, 0.05);
  EXPECT_DOUBLE_EQ(o.max_detectable_effect, 0.03);
}

void expect_error(const std::string& text, int64_t line, const std::string& key) {
  try {
    parse_diagnosis_options(text, "cfg.toml");
    FAIL() << "expected an error for: " << text;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where().file, "cfg.toml");
    EXPECT_EQ(e.where().line, line) << e.message();
    EXPECT_EQ(e.where().field, key) << e.message();
  }
}

TEST(DiagnosisOptions, BadKeysTypesAndRangesNameFileLineAndKey) {
  expect_error("[diagnose]\nalpha = 0.05\nalpah = 0.1\n", 3, "diagnose.alpah");
  expect_error("[diagnose]\nfdr = \"low\"\n", 2, "diagnose.fdr");
  expect_error("[diagnose]\n\nmax_order = 1.5\n", 3, "diagnose.max_order");
  expect_error("[diagnose]\nalpha = 1.5\n", 2, "diagnose.alpha");
  expect_error("[diagnose]\nfdr_method = \"holm\"\n", 2, "diagnose.fdr_method");
  expect_error("[diagnose]\nmin_support = 0\n", 2, "diagnose.min_support");
  expect_error("diagnose = 3\n", 1, "diagnose");
  expect_error("[diagnose\nalpha = 0.1\n", 1, "");
}

TEST(DiagnosisOptions, LoadReadsAFileAndAMissingFileIsAnIoError) {
  testing::TempDir dir;
  testing::write_file(dir / "d.toml", "[diagnose]\nfdr = 0.1\n");
  EXPECT_DOUBLE_EQ(load_diagnosis_options(dir / "d.toml").fdr, 0.1);
  try {
    load_diagnosis_options(dir / "missing.toml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
  }
}

}  // namespace
}  // namespace caploop
