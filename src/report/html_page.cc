#include "report/html_page.h"

#include <fmt/format.h>

#include "core/utf8.h"

namespace caploop {

std::string html_escape(std::string_view raw_text) {
  const std::string text = repair_utf8(raw_text);
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

HtmlPage::HtmlPage(std::string title) : title_(std::move(title)) {}

void HtmlPage::heading(int level, std::string_view text, std::string_view id) {
  body_ += fmt::format("<h{0}{1}>{2}</h{0}>\n", level, id.empty() ? "" : fmt::format(" id=\"{}\"", html_escape(id)),
                       html_escape(text));
}

void HtmlPage::paragraph(std::string_view text, std::string_view css_class) {
  body_ += fmt::format("<p{}>{}</p>\n", css_class.empty() ? "" : fmt::format(" class=\"{}\"", html_escape(css_class)),
                       html_escape(text));
}

void HtmlPage::preformatted(std::string_view text) { body_ += "<pre>" + html_escape(text) + "</pre>\n"; }

void HtmlPage::table(const std::vector<std::vector<std::string>>& rows, std::string_view css_class) {
  if (rows.empty()) return;
  body_ += fmt::format("<table{}>\n<thead><tr>",
                       css_class.empty() ? "" : fmt::format(" class=\"{}\"", html_escape(css_class)));
  for (const auto& h : rows[0]) body_ += "<th>" + html_escape(h) + "</th>";
  body_ += "</tr></thead>\n<tbody>\n";
  for (size_t i = 1; i < rows.size(); ++i) {
    body_ += "<tr>";
    for (const auto& c : rows[i]) body_ += "<td>" + html_escape(c) + "</td>";
    body_ += "</tr>\n";
  }
  body_ += "</tbody></table>\n";
}

void HtmlPage::details(std::string_view summary, std::string_view body_markup) {
  body_ += "<details><summary>" + html_escape(summary) + "</summary>\n";
  body_ += body_markup;
  body_ += "</details>\n";
}

void HtmlPage::raw(std::string_view markup) { body_ += markup; }

std::string HtmlPage::render() const {
  static const char* kStyle = R"CSS(
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1150px;color:#222;line-height:1.4}
h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:1em 0;font-size:.85em;display:block;max-width:100%;overflow-x:auto}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;overflow-wrap:anywhere}
svg{max-width:100%;height:auto}.headline{font-size:1.1em}
th{background:#f4f4f4}td{font-variant-numeric:tabular-nums}
pre{background:#f8f8f8;border:1px solid #e4e4e4;padding:.6em;white-space:pre-wrap;word-break:break-word;max-height:30em;overflow:auto}
details{margin:.3em 0}summary{cursor:pointer}.verdict{font-size:1.3em;font-weight:bold}
.ok{color:#1a7f37}.bad{color:#b42318}.muted{color:#666}svg text{font-family:inherit}
)CSS";
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src "
      "data:\">\n"
      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
      html_escape(title_), kStyle, repair_utf8(body_));  // raw markup may carry bytes from the data too
}

}  // namespace caploop
