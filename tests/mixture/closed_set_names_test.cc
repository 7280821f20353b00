// The closed sets a plan carries (verdict, cause, slice status, stream kind, capped_by): every value's name
// parses back to it, the names are the ones plan files spell, and anything else (case, typos) is refused.
#include <gtest/gtest.h>

#include "diagnose/diagnosis_verdict.h"
#include "mapping/slice_mapping.h"
#include "mixture/mixture_plan.h"
#include "mixture/quota_allocation.h"

namespace caploop {
namespace {

template <typename Enum, typename Name, typename Parse>
void expect_round_trip(std::initializer_list<Enum> values, Name name, Parse parse) {
  for (Enum v : values) {
    EXPECT_EQ(parse(name(v)), v) << name(v);
    EXPECT_NE(name(v), "?");
  }
}

TEST(ClosedSetNames, EveryValueParsesBackFromItsName) {
  expect_round_trip({Verdict::kDataRuledOut, Verdict::kDataRuledIn, Verdict::kImproved, Verdict::kNoSignificantChange,
                     Verdict::kInconclusive},
                    verdict_name, parse_verdict);
  expect_round_trip({Cause::kTermination, Cause::kFormat, Cause::kScoring, Cause::kEvalConfig}, cause_name,
                    parse_cause);
  expect_round_trip({SliceStatus::kMapped, SliceStatus::kNotData, SliceStatus::kUnmapped, SliceStatus::kNoDocuments},
                    slice_status_name, parse_slice_status);
  expect_round_trip({StreamKind::kBase, StreamKind::kTarget}, stream_kind_name, parse_stream_kind);
  expect_round_trip({QuotaCap::kNone, QuotaCap::kMaxEpochs, QuotaCap::kMaxCategoryShare}, quota_cap_name,
                    parse_quota_cap);
}

TEST(ClosedSetNames, NamesAreThoseOfTheFilesAndOthersAreRefused) {
  EXPECT_EQ(verdict_name(Verdict::kDataRuledIn), "data_ruled_in");
  EXPECT_EQ(cause_name(Cause::kEvalConfig), "eval_config");
  EXPECT_EQ(slice_status_name(SliceStatus::kNoDocuments), "no_documents");
  EXPECT_EQ(stream_kind_name(StreamKind::kTarget), "target");
  EXPECT_EQ(quota_cap_name(QuotaCap::kNone), "");
  EXPECT_EQ(quota_cap_name(QuotaCap::kMaxCategoryShare), "max_category_share");
  EXPECT_FALSE(parse_verdict("Data_Ruled_In"));
  EXPECT_FALSE(parse_verdict(""));
  EXPECT_FALSE(parse_cause("none"));
  EXPECT_FALSE(parse_slice_status("mapped "));
  EXPECT_FALSE(parse_stream_kind("control"));
  EXPECT_FALSE(parse_quota_cap("max_epoch"));
}

}  // namespace
}  // namespace caploop
