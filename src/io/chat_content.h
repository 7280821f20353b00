// Chat message content as text, for the harnesses that log Inspect-style chat messages (Inspect AI, EvalScope 1.x):
// a message's `content` is a string or a list of content parts ({"type": "text", "text": ...}, reasoning, images).
//
// Contract: chat_content_text() returns the string, or the text parts joined by "\n" as Inspect's
// ChatMessage.text does (other parts are left out); each piece of text passes through `resolve` (Inspect replaces
// long texts by "attachment://<hash>" references). A content of another type, or a text part without a string
// "text", throws caploop::Error kInput at `where` with `pointer` (the content's JSON pointer) as the field.
// Stateless and thread-safe.
#pragma once

#include <simdjson.h>

#include <functional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace caploop {

using TextResolver = std::function<std::string(std::string_view)>;

std::string chat_content_text(simdjson::dom::element content, std::string_view pointer, const SourceLocation& where,
                              const TextResolver& resolve = nullptr);

}  // namespace caploop
