// An event: one JSON object flowing between actors.
//
// An Event is a cheap, immutable, shareable handle (copying it copies a pointer). It holds the
// original bytes when it came from outside, the parsed value when an actor built it, and derives
// the other lazily and at most once (thread-safe), so an actor that passes an event on unchanged
// never re-serialises it and field order is kept as written.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "event/field_path.h"

namespace coral {

class Event {
 public:
  Event() = default;

  // An event built by an actor. REQUIRES: value is a JSON object.
  static Event FromJson(Json value);
  // Untrusted bytes (one line of input, a request body, a Kafka message). Returns nullopt unless
  // they hold exactly one JSON object; `error` then says why.
  static std::optional<Event> Parse(std::string_view bytes, std::string* error = nullptr);

  bool valid() const { return data_ != nullptr; }
  // The parsed object. Parsed on first use.
  const Json& value() const;
  // Compact JSON text of the object: the original bytes when it was parsed from input.
  std::string_view bytes() const;

  // Fast reads that avoid building the whole value when only the bytes are known.
  // A number at `path`; nullopt when missing, not a number or not finite.
  std::optional<double> NumberAt(const FieldPath& path) const;
  // The value at `path` as text: a string's characters, any other value's compact JSON text as
  // Json::dump writes it (`5`, `2.5`, `true`, `null`, `[1,2]`), the same however the event was
  // made. nullopt when the path does not resolve.
  std::optional<std::string> TextAt(const FieldPath& path) const;
  // The value at `path` as compact JSON text exactly as Json::dump writes it (strings quoted), so
  // "5" and 5 differ: the identity of a `group.by` value. nullopt when the path does not resolve.
  std::optional<std::string> KeyAt(const FieldPath& path) const;
  // The value at `path` (copied); nullopt when it does not resolve.
  std::optional<Json> ValueAt(const FieldPath& path) const;

 private:
  // TextAt read from the original bytes; sets *is_string (when given) for a string value.
  std::optional<std::string> TextFromBytes(const FieldPath& path, bool* is_string) const;

  struct Data;
  std::shared_ptr<const Data> data_;
};

}  // namespace coral
