#include "cluster/packed_strings.h"

#include <fmt/format.h>

#include "core/error.h"

namespace caploop {

std::string pack_strings(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) {
    out += std::to_string(f.size());
    out += ':';
    out += f;
  }
  return out;
}

std::vector<std::string> unpack_strings(std::string_view packed, std::string_view what) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < packed.size()) {
    const size_t colon = packed.find(':', pos);
    if (colon == std::string_view::npos || colon == pos || colon - pos > 19)
      throw Error(ErrorKind::kInternal, fmt::format("{}: not a packed list (no length at byte {})", what, pos));
    size_t len = 0;
    for (size_t i = pos; i < colon; ++i) {
      const char c = packed[i];
      if (c < '0' || c > '9')
        throw Error(ErrorKind::kInternal, fmt::format("{}: not a packed list (bad length at byte {})", what, pos));
      len = len * 10 + static_cast<size_t>(c - '0');
    }
    if (len > packed.size() - colon - 1)
      throw Error(ErrorKind::kInternal,
                  fmt::format("{}: packed field at byte {} runs past the end ({} bytes)", what, pos, len));
    out.emplace_back(packed.substr(colon + 1, len));
    pos = colon + 1 + len;
  }
  return out;
}

}  // namespace caploop
