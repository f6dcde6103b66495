#include "definition/param_reader.h"

#include <fmt/format.h>

#include "common/text.h"

namespace coral::definition {

ParamReader::ParamReader(const Node* node, std::string path, Position fallback,
                         Diagnostics& diagnostics)
    : node_(node),
      path_(std::move(path)),
      fallback_(fallback),
      diagnostics_(diagnostics),
      errors_at_start_(diagnostics.errors()) {
  if (node_ && node_->IsNull()) node_ = nullptr;
  if (node_ && node_->IsSequence()) {
    list_ = node_;  // reported on first use unless the type takes it
    node_ = nullptr;
  }
  if (node_ && !node_->IsMap()) {
    diagnostics_.Error(path_, node_->position(),
                       fmt::format("expected a mapping of parameters, found {}", node_->Describe()));
    node_ = nullptr;
  }
}

const Node* ParamReader::TakeList() {
  const Node* list = list_;
  list_ = nullptr;
  return list;
}

void ParamReader::RejectUntakenList() {
  if (!list_) return;
  diagnostics_.Error(path_, list_->position(),
                     fmt::format("expected a mapping of parameters, found {}", list_->Describe()));
  list_ = nullptr;
}

bool ParamReader::Has(std::string_view key) const {
  return node_ && node_->Find(key) && !node_->Find(key)->IsNull();
}

const Node* ParamReader::Get(std::string_view key) {
  RejectUntakenList();
  read_.emplace(key);
  if (!node_) return nullptr;
  const Node* found = node_->Find(key);
  return (found && !found->IsNull()) ? found : nullptr;
}

std::string ParamReader::PathOf(std::string_view key) const {
  return key.empty() ? path_ : JoinPath(path_, std::string(key));
}

Position ParamReader::PositionOf(std::string_view key) const {
  if (node_) {
    if (const Node* found = node_->Find(key)) return found->position();
    return node_->position();
  }
  return fallback_;
}

void ParamReader::Error(std::string_view key, std::string message) {
  diagnostics_.Error(PathOf(key), PositionOf(key), std::move(message));
}

void ParamReader::ErrorAt(const Node& node, std::string path, std::string message) {
  Position position = node.position().line > 0 ? node.position() : fallback_;
  diagnostics_.Error(std::move(path), position, std::move(message));
}

void ParamReader::Warning(std::string_view key, std::string message) {
  diagnostics_.Warning(PathOf(key), PositionOf(key), std::move(message));
}

const Node* ParamReader::Required(std::string_view key, std::string_view what) {
  const Node* found = Get(key);
  if (!found) {
    diagnostics_.Error(PathOf(key), node_ ? node_->position() : fallback_,
                       fmt::format("missing; add `{}:` with {}", key, what));
  }
  return found;
}

void ParamReader::WrongType(std::string_view key, const Node& found, std::string_view expected) {
  Error(key, fmt::format("expected {}, found {}", expected, found.Describe()));
}

std::string ParamReader::String(std::string_view key) {
  const Node* found = Required(key, "a string");
  if (!found) return {};
  if (auto text = found->AsString()) return std::string(*text);
  if (found->IsScalar()) return found->text();  // a number or boolean written where text is fine
  WrongType(key, *found, "a string");
  return {};
}

std::optional<std::string> ParamReader::OptionalString(std::string_view key) {
  const Node* found = Get(key);
  if (!found) return std::nullopt;
  if (found->IsScalar()) return found->text();
  WrongType(key, *found, "a string");
  return std::nullopt;
}

double ParamReader::Number(std::string_view key) {
  const Node* found = Required(key, "a number");
  if (!found) return 0;
  if (auto number = found->AsNumber()) return *number;
  WrongType(key, *found, "a number");
  return 0;
}

std::optional<double> ParamReader::OptionalNumber(std::string_view key) {
  const Node* found = Get(key);
  if (!found) return std::nullopt;
  if (auto number = found->AsNumber()) return number;
  WrongType(key, *found, "a number");
  return std::nullopt;
}

std::int64_t ParamReader::Integer(std::string_view key, std::int64_t min, std::int64_t max) {
  const Node* found = Required(key, fmt::format("a whole number from {} to {}", min, max));
  if (!found) return min;
  auto integer = found->AsInteger();
  if (!integer) {
    WrongType(key, *found, fmt::format("a whole number from {} to {}", min, max));
    return min;
  }
  if (*integer < min || *integer > max) {
    Error(key, fmt::format("must be from {} to {}, found {}", min, max, *integer));
    return min;
  }
  return *integer;
}

void ParamReader::CheckRange(std::string_view key, double value, double min, double max) {
  if (value < min || value > max) {
    Error(key, fmt::format("must be from {} to {}, found {}", min, max, value));
  }
}

bool ParamReader::Bool(std::string_view key, bool fallback) {
  const Node* found = Get(key);
  if (!found) return fallback;
  if (auto flag = found->AsBool()) return *flag;
  WrongType(key, *found, "true or false");
  return fallback;
}

FieldPath ParamReader::Path(std::string_view key) {
  const Node* found = Required(key, "a field name such as `amount` or `a.b[0]`");
  if (!found) return {};
  if (!found->IsScalar()) {
    WrongType(key, *found, "a field name");
    return {};
  }
  std::string error;
  auto path = FieldPath::Parse(found->text(), &error);
  if (!path) {
    Error(key, fmt::format("{} is not a valid field path: {}", QuoteForMessage(found->text()), error));
    return {};
  }
  return *path;
}

std::optional<FieldPath> ParamReader::OptionalPath(std::string_view key) {
  if (!Has(key)) {
    read_.emplace(key);
    return std::nullopt;
  }
  FieldPath path = Path(key);
  return path;
}

std::string ParamReader::Enum(std::string_view key, std::initializer_list<std::string_view> allowed) {
  const Node* found = Required(key, JoinAlternatives(allowed));
  if (!found) return {};
  std::string value = found->IsScalar() ? found->text() : std::string();
  for (std::string_view candidate : allowed) {
    if (candidate == value) return value;
  }
  std::string message = fmt::format("expected {}, found {}", JoinAlternatives(allowed),
                                    found->Describe());
  std::string_view nearest = NearestWord(value, std::span(allowed.begin(), allowed.size()));
  if (!nearest.empty()) message += fmt::format("; did you mean \"{}\"?", nearest);
  Error(key, std::move(message));
  return {};
}

std::string ParamReader::Enum(std::string_view key, std::initializer_list<std::string_view> allowed,
                              std::string_view fallback) {
  if (!Has(key)) {
    read_.emplace(key);
    return std::string(fallback);
  }
  return Enum(key, allowed);
}

const Node* ParamReader::Object(std::string_view key) {
  const Node* found = Required(key, "a mapping");
  if (found && !found->IsMap()) {
    WrongType(key, *found, "a mapping");
    return nullptr;
  }
  return found;
}

const Node* ParamReader::OptionalObject(std::string_view key) {
  const Node* found = Get(key);
  if (found && !found->IsMap()) {
    WrongType(key, *found, "a mapping");
    return nullptr;
  }
  return found;
}

const Node* ParamReader::List(std::string_view key) {
  const Node* found = Required(key, "a list");
  if (found && !found->IsSequence()) {
    WrongType(key, *found, "a list");
    return nullptr;
  }
  return found;
}

ParamReader ParamReader::Nested(std::string_view key, bool required) {
  const Node* found = required ? Object(key) : OptionalObject(key);
  return ParamReader(found, PathOf(key), PositionOf(key), diagnostics_);
}

bool ParamReader::Finish() {
  RejectUntakenList();
  if (node_) {
    std::vector<std::string_view> known(read_.begin(), read_.end());
    for (const Node::Entry& entry : node_->entries()) {
      if (read_.contains(entry.key)) continue;
      std::string message = "unknown parameter; it is ignored";
      std::string_view nearest = NearestWord(entry.key, known);
      if (!nearest.empty()) message += fmt::format(" -- did you mean `{}`?", nearest);
      if (!known.empty()) {
        message += fmt::format(" (known: {})", JoinAlternatives(known, "and"));
      }
      diagnostics_.Warning(PathOf(entry.key), entry.key_position, std::move(message));
    }
  }
  return ok();
}

}  // namespace coral::definition
