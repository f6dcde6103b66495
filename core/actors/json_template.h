// A `json` actor template compiled for fast rendering.
//
// The template (a mapping from the definition) is compiled once into literal JSON text with holes:
// a string that is exactly "${path}" is a *value hole* (the value at `path`, as JSON; null when the
// path does not resolve), and "${path}" inside other text is a *text hole* (strings as their
// text, other values as compact JSON; nothing when the path does not resolve). Keys are literal.
//
// Rendering parses the event's bytes with simdjson (DOM, run-time CPU dispatch) and writes the
// output text directly: no Json value is built. Numbers are written in their shortest exact form
// (`2.50` becomes `2.5`). Thread-safe: Render may run on several threads at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "definition/param_reader.h"
#include "event/event.h"

namespace coral::actors {

class JsonTemplate {
 public:
  // Compiles `node` (reported as `path`). Every malformed "${...}" is reported through `params`
  // with its own path; returns nullopt when there was any.
  static std::optional<JsonTemplate> Compile(const definition::Node& node, const std::string& path,
                                             definition::ParamReader& params);

  // Appends the rendered JSON text to `out`. Returns false only when the event's bytes could not
  // be read (they were validated on the way in, so this means a broken invariant).
  bool Render(const Event& event, std::string& out) const;

  // Distinct paths the template reads, in first-use order (for tests and diagnostics).
  const std::vector<FieldPath>& paths() const { return paths_; }

 private:
  struct Segment {
    enum class Kind { kLiteral, kValue, kText };
    Kind kind;
    std::string literal;   // kLiteral: JSON text copied as is
    std::size_t slot = 0;  // kValue, kText: index into paths_
  };
  class Compiler;

  std::vector<Segment> segments_;
  std::vector<FieldPath> paths_;
  std::size_t literal_size_ = 0;  // sum of literal lengths: the output's minimum size
};

}  // namespace coral::actors
