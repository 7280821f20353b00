#include "mixture/stream_availability.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.h"

namespace caploop {

corpus::TagCounts stream_counts(const corpus::CorpusStats& stats, const std::vector<std::string>& attribute_tags) {
  if (attribute_tags.size() == 1) {
    auto it = stats.tags.find(attribute_tags[0]);
    return it == stats.tags.end() ? corpus::TagCounts{} : it->second;
  }
  if (attribute_tags.size() == 2) {
    for (const std::string& key :
         {attribute_tags[0] + "|" + attribute_tags[1], attribute_tags[1] + "|" + attribute_tags[0]}) {
      auto it = stats.cooccurrence.find(key);
      if (it != stats.cooccurrence.end()) return it->second;
    }
    return {};
  }
  throw_input_error(fmt::format("a stream is a conjunction of one or two data tags, not {} ({})", attribute_tags.size(),
                                fmt::join(attribute_tags, " & ")),
                    {});
}

std::vector<std::string> axis_tags(const corpus::CorpusStats& stats, const std::string& axis) {
  std::vector<std::string> out;
  const std::string prefix = axis + "__";
  for (const auto& [name, counts] : stats.tags)  // std::map: sorted
    if (name.starts_with(prefix) && counts.tokens > 0) out.push_back(name);
  return out;
}

std::vector<std::string> category_tags(const std::string& category) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= category.size()) {
    size_t end = category.find('&', start);
    if (end == std::string::npos) end = category.size();
    out.push_back(category.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace caploop
