// Small helpers shared by the actors that read numbers from events and write fields back:
// linearregression, minmax, function, httpclient.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "actors/actor.h"
#include "event/event.h"
#include "event/field_path.h"

namespace coral::actors {

// A number as JSON: a whole number within +-2^53 becomes a JSON integer (`3`, not `3.0`), anything
// else a double. REQUIRES: std::isfinite(value).
Json NumberJson(double value);

// The number as text for string concatenation: `3`, `2.5`, `1e+300` (shortest exact form).
std::string NumberText(double value);

// The value at `path` inside `root`, for writing; nullptr when it does not resolve (the same rules
// as FieldPath::Resolve). For `*`, `root` itself.
Json* MutableAt(Json& root, const FieldPath& path);

// The finite number at `path` in `value`, or why there is none: kMissingField (does not resolve),
// kWrongType (a string, boolean, null, object or list), kNotFinite (infinity or NaN).
std::variant<double, IgnoreReason> NumberIn(const Json& value, const FieldPath& path);

// `event` with top-level `key` set to `value` (replaced in place when present, else appended).
Event WithField(const Event& event, const std::string& key, Json value);

// Valid UTF-8 for text from outside (an HTTP body): invalid bytes become U+FFFD, so that the text
// can be stored in a Json and serialised without throwing.
std::string ValidUtf8(std::string_view text);

}  // namespace coral::actors
