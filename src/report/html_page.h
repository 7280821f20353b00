// HtmlPage: a self-contained HTML document (inline CSS and SVG, no scripts from anywhere, no network) built
// section by section, with every piece of model or data text escaped.
//
// Contract: text() and heading() escape their argument (&, <, >, ", '), so model output such as "<script>"
// shows as text; raw() inserts trusted markup produced by this layer only (SVG charts, tables built here).
// The page carries no JavaScript at all: drill-downs use <details>. render() returns the complete document, valid
// UTF-8 whatever the bytes given: html_escape() and render() replace invalid UTF-8 by U+FFFD (as JsonWriter does).
// Its style keeps every table and chart within the page width (wide tables scroll inside themselves, charts
// shrink through their viewBox).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caploop {

std::string html_escape(std::string_view text);

class HtmlPage {
 public:
  explicit HtmlPage(std::string title);
  void heading(int level, std::string_view text, std::string_view id = "");
  void paragraph(std::string_view text, std::string_view css_class = "");
  void preformatted(std::string_view text);
  // A table of escaped cells; the first row is the header.
  void table(const std::vector<std::vector<std::string>>& rows, std::string_view css_class = "");
  // <details><summary>summary</summary> ... </details>; the body is trusted markup (use html_escape inside).
  void details(std::string_view summary, std::string_view body_markup);
  void raw(std::string_view markup);
  std::string render() const;

 private:
  std::string title_;
  std::string body_;
};

}  // namespace caploop
