#include "slices/slice_label.h"

namespace caploop {

std::string slice_label(const std::vector<std::string>& tags) {
  std::string out;
  for (size_t i = 0; i < tags.size(); ++i) {
    if (i > 0) out += " & ";
    out += tags[i];
  }
  return out;
}

}  // namespace caploop
