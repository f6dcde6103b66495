#include "event/event.h"

#include <cmath>
#include <mutex>

#include <simdjson.h>

namespace coral {

struct Event::Data {
  // Exactly one of `bytes`/`value` is set at construction; the other is derived once.
  mutable std::string bytes;  // with SIMDJSON_PADDING spare capacity when parsed from input
  mutable Json value;
  mutable std::once_flag bytes_once;
  mutable std::once_flag value_once;
  bool from_bytes = false;
};

namespace {

// One on-demand parser per thread: simdjson parsers are not thread-safe and costly to create.
simdjson::ondemand::parser& ThreadParser() {
  thread_local simdjson::ondemand::parser parser;
  return parser;
}

simdjson::dom::parser& ThreadDomParser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

}  // namespace

Event Event::FromJson(Json value) {
  auto data = std::make_shared<Data>();
  data->value = std::move(value);
  Event event;
  event.data_ = std::move(data);
  return event;
}

std::optional<Event> Event::Parse(std::string_view bytes, std::string* error) {
  auto data = std::make_shared<Data>();
  data->bytes.reserve(bytes.size() + simdjson::SIMDJSON_PADDING);
  data->bytes.assign(bytes);
  // Strip surrounding whitespace so bytes() is exactly the object's text.
  while (!data->bytes.empty() && std::isspace(static_cast<unsigned char>(data->bytes.back()))) {
    data->bytes.pop_back();
  }
  std::size_t start = data->bytes.find_first_not_of(" \t\r\n");
  if (start != std::string::npos && start > 0) data->bytes.erase(0, start);
  // Full validation: simdjson's DOM parser checks syntax and UTF-8 of the whole document.
  simdjson::dom::element root;
  auto code = ThreadDomParser()
                  .parse(data->bytes.data(), data->bytes.size(), /*realloc_if_needed=*/false)
                  .get(root);
  if (code != simdjson::SUCCESS) {
    if (error) *error = std::string("not valid JSON: ") + simdjson::error_message(code);
    return std::nullopt;
  }
  if (!root.is_object()) {
    if (error) *error = "not a JSON object; every event is an object such as {\"field\": 1}";
    return std::nullopt;
  }
  data->from_bytes = true;
  Event event;
  event.data_ = std::move(data);
  return event;
}

const Json& Event::value() const {
  std::call_once(data_->value_once, [this] {
    if (data_->from_bytes) data_->value = Json::parse(data_->bytes);
  });
  return data_->value;
}

std::string_view Event::bytes() const {
  // Parsed events hold their bytes from construction on: skip call_once, whose first call costs a
  // futex system call per event (glibc), measurable on the per-event path.
  if (data_->from_bytes) return data_->bytes;
  std::call_once(data_->bytes_once, [this] { data_->bytes = data_->value.dump(); });
  return data_->bytes;
}

namespace {

// Walks `path` on demand in `bytes` (padded: see Event::Parse), touching only the keys on the way.
// `document` must outlive `current`.
bool WalkOnDemand(const std::string& bytes, const FieldPath& path,
                  simdjson::ondemand::document& document, simdjson::ondemand::value& current) {
  simdjson::padded_string_view input(bytes.data(), bytes.size(), bytes.capacity());
  if (ThreadParser().iterate(input).get(document) != simdjson::SUCCESS) return false;
  if (document.get_value().get(current) != simdjson::SUCCESS) return false;
  for (const FieldPath::Step& step : path.steps()) {
    if (const auto* key = std::get_if<std::string>(&step)) {
      simdjson::ondemand::object object;
      if (current.get_object().get(object) != simdjson::SUCCESS) return false;
      if (object.find_field_unordered(*key).get(current) != simdjson::SUCCESS) return false;
    } else {
      simdjson::ondemand::array array;
      if (current.get_array().get(array) != simdjson::SUCCESS) return false;
      if (array.at(std::get<std::size_t>(step)).get(current) != simdjson::SUCCESS) return false;
    }
  }
  return true;
}

// JSON text in the form Json::dump writes it, so that TextAt does not depend on how the event
// was made.
std::string DumpJsonText(std::string_view text) {
  return Json::parse(text.begin(), text.end()).dump();
}

}  // namespace

std::optional<double> Event::NumberAt(const FieldPath& path) const {
  if (!data_->from_bytes || path.IsWholeEvent()) {
    const Json* found = path.Resolve(value());
    if (!found || !found->is_number()) return std::nullopt;
    double number = found->get<double>();
    return std::isfinite(number) ? std::optional<double>(number) : std::nullopt;
  }
  // On-demand: walk only the keys on the path, straight from the original bytes.
  simdjson::ondemand::document document;
  simdjson::ondemand::value current;
  if (!WalkOnDemand(data_->bytes, path, document, current)) return std::nullopt;
  double number = 0;
  if (current.get_double().get(number) != simdjson::SUCCESS) return std::nullopt;
  return std::isfinite(number) ? std::optional<double>(number) : std::nullopt;
}

std::optional<std::string> Event::TextAt(const FieldPath& path) const {
  if (!data_->from_bytes || path.IsWholeEvent()) {
    const Json* found = path.Resolve(value());
    if (!found) return std::nullopt;
    if (found->is_string()) return found->get<std::string>();
    return found->dump();
  }
  return TextFromBytes(path, nullptr);
}

std::optional<std::string> Event::KeyAt(const FieldPath& path) const {
  if (!data_->from_bytes || path.IsWholeEvent()) {
    const Json* found = path.Resolve(value());
    if (!found) return std::nullopt;
    return found->dump();
  }
  bool is_string = false;
  auto text = TextFromBytes(path, &is_string);
  if (!text || !is_string) return text;
  return Json(std::move(*text)).dump();  // quoted and escaped as Json::dump does
}

std::optional<std::string> Event::TextFromBytes(const FieldPath& path, bool* is_string) const {
  simdjson::ondemand::document document;
  simdjson::ondemand::value current;
  if (!WalkOnDemand(data_->bytes, path, document, current)) return std::nullopt;
  simdjson::ondemand::json_type type;
  if (current.type().get(type) != simdjson::SUCCESS) return std::nullopt;
  std::string_view text;
  switch (type) {
    case simdjson::ondemand::json_type::string:
      if (current.get_string().get(text) != simdjson::SUCCESS) return std::nullopt;
      if (is_string) *is_string = true;
      return std::string(text);
    case simdjson::ondemand::json_type::boolean: {
      bool flag = false;
      if (current.get_bool().get(flag) != simdjson::SUCCESS) return std::nullopt;
      return std::string(flag ? "true" : "false");
    }
    case simdjson::ondemand::json_type::null:
      return std::string("null");
    case simdjson::ondemand::json_type::number: {
      simdjson::ondemand::number number;
      if (current.get_number().get(number) == simdjson::SUCCESS) {
        if (number.is_int64()) return Json(number.get_int64()).dump();
        if (number.is_uint64()) return Json(number.get_uint64()).dump();
        return Json(number.get_double()).dump();
      }
      // Integers beyond 64 bits: as Json::parse reads them.
      text = current.raw_json_token();
      return DumpJsonText(text);
    }
    case simdjson::ondemand::json_type::object: {
      simdjson::ondemand::object object;
      if (current.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
      if (object.raw_json().get(text) != simdjson::SUCCESS) return std::nullopt;
      return DumpJsonText(text);
    }
    case simdjson::ondemand::json_type::array: {
      simdjson::ondemand::array array;
      if (current.get_array().get(array) != simdjson::SUCCESS) return std::nullopt;
      if (array.raw_json().get(text) != simdjson::SUCCESS) return std::nullopt;
      return DumpJsonText(text);
    }
  }
  return std::nullopt;
}

std::optional<Json> Event::ValueAt(const FieldPath& path) const {
  const Json* found = path.Resolve(value());
  if (!found) return std::nullopt;
  return *found;
}

}  // namespace coral
