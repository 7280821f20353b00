#include "workspace/response_markup.h"

#include <fmt/format.h>

#include "report/html_page.h"

namespace caploop {

std::string response_markup(const RunOfItem& run) {
  std::string out = fmt::format("<p><b>{}</b> (reference {})</p>", html_escape(run.run), html_escape(run.reference));
  for (const auto& r : run.responses) {
    out += fmt::format("<p class=\"muted\">sample {}: {}, answer '{}', ending {}</p><pre>{}</pre>", r.sample_index,
                       r.correct ? (*r.correct ? "correct" : "wrong") : "not scored",
                       html_escape(r.answer.value_or("")), html_escape(r.ending.value_or("-")), html_escape(r.text));
  }
  return out;
}

}  // namespace caploop
