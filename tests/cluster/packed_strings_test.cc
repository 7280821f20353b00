// Packed string lists: any bytes survive a round trip, lists nest, and damaged text is refused.
#include "cluster/packed_strings.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace caploop {
namespace {

TEST(PackedStrings, RoundTripsAnyBytes) {
  const std::vector<std::string> fields = {
      "", "plain", "12:34", std::string("nul\0inside", 10), "line\nbreak", std::string(100000, 'x')};
  const std::string packed = pack_strings(fields);
  EXPECT_EQ(packed.substr(0, 9), "0:5:plain");
  EXPECT_EQ(unpack_strings(packed, "test"), fields);
  EXPECT_TRUE(unpack_strings(pack_strings({}), "test").empty());
}

TEST(PackedStrings, ListsNest) {
  const std::vector<std::string> inner = {"a", "", "c:d"};
  const auto outer = unpack_strings(pack_strings({"x", pack_strings(inner)}), "test");
  ASSERT_EQ(outer.size(), 2u);
  EXPECT_EQ(unpack_strings(outer[1], "test"), inner);
}

TEST(PackedStrings, DamagedTextIsAnInternalErrorNamingWhat) {
  for (const char* bad : {"5:abc", "x:abc", ":abc", "3abc", "2:ab1", "-1:a"}) {
    try {
      unpack_strings(bad, "outcome of rank 3");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInternal) << bad;
      EXPECT_NE(e.message().find("outcome of rank 3"), std::string::npos) << e.message();
    }
  }
}

}  // namespace
}  // namespace caploop
