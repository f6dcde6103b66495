// Error statuses, request bodies and the JSON shapes shared by several handlers.
#include <fmt/format.h>

#include "api/api.h"
#include "definition/node.h"
#include "definition/reader.h"
#include "definition/validator.h"
#include "engine/stats.h"

namespace coral::api {

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kInvalidDefinition:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

std::string_view Reason(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid request";
    case ErrorCode::kInvalidDefinition:
      return "invalid definition";
    case ErrorCode::kUnauthenticated:
      return "not authenticated";
    case ErrorCode::kPermissionDenied:
      return "not allowed";
    case ErrorCode::kNotFound:
      return "not found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal error";
  }
  return "internal error";
}

Json ErrorBody(std::string_view reason, std::string_view details) {
  return Json{{"success", false}, {"reason", reason}, {"details", details}};
}

namespace {

bool IsYaml(const httplib::Request& http) {
  std::string type = http.get_header_value("Content-Type");
  type = type.substr(0, type.find(';'));
  return type == "application/yaml" || type == "application/x-yaml" || type == "text/yaml";
}

}  // namespace

Result<Json> ParseBody(const httplib::Request& http) {
  if (http.body.empty()) return Error{ErrorCode::kInvalidArgument, "the request has no body"};
  if (IsYaml(http)) {
    definition::Diagnostics diagnostics;
    auto document = definition::ReadDocument(http.body, diagnostics);
    if (!document) {
      std::string details;
      for (const auto& d : diagnostics.all()) {
        details += (details.empty() ? "" : "\n") + definition::FormatDiagnostic(d, "body");
      }
      return Error{ErrorCode::kInvalidArgument, "malformed YAML: " + details};
    }
    return document->ToJson();
  }
  Json value = Json::parse(http.body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    // Parse again for the position of the problem.
    try {
      Json unused = Json::parse(http.body);
      (void)unused;
    } catch (const Json::parse_error& e) {
      return Error{ErrorCode::kInvalidArgument, fmt::format("malformed JSON: {}", e.what())};
    }
    return Error{ErrorCode::kInvalidArgument, "malformed JSON"};
  }
  return value;
}

Result<std::shared_ptr<const definition::RuntimeDefinition>> ParseDefinition(
    const httplib::Request& http) {
  if (http.body.empty()) {
    return Error{ErrorCode::kInvalidDefinition, "the request has no body: send a definition"};
  }
  definition::Validation validation;
  if (IsYaml(http)) {
    validation = definition::ValidateText(http.body);
  } else {
    auto body = ParseBody(http);  // JSON is strict here: YAML must say so in Content-Type
    if (!body.ok()) return Error{ErrorCode::kInvalidDefinition, body.error().message};
    validation = definition::ValidateText(http.body);
  }
  if (validation.definition) return validation.definition;
  validation.diagnostics.SortByPosition();
  std::string details;
  for (const auto& d : validation.diagnostics.all()) {
    if (d.severity != definition::Severity::kError) continue;
    details += (details.empty() ? "" : "\n") + definition::FormatDiagnostic(d, "definition");
  }
  return Error{ErrorCode::kInvalidDefinition, details};
}

namespace {

// Actor name -> trouble (SetTrouble) of a running runtime, over all copies or copy `copy`.
Json TroublesOf(const node::RuntimeView& view, int copy) {
  Json troubles = Json::object();
  if (!view.copies || !view.running()) return troubles;
  for (std::size_t i = 0; i < view.copies->copies.size(); ++i) {
    if (copy > 0 && static_cast<int>(i) + 1 != copy) continue;
    for (auto& [actor, what] : view.copies->copies[i]->Troubles()) {
      if (!troubles.contains(actor)) troubles[actor] = std::move(what);
    }
  }
  return troubles;
}

// "health": "ok" or, while an actor has a trouble, "degraded" with "troubles": {actor: what}.
void AddHealth(Json& answer, const node::RuntimeView& view, int copy) {
  Json troubles = TroublesOf(view, copy);
  answer["health"] = troubles.empty() ? "ok" : "degraded";
  if (!troubles.empty()) answer["troubles"] = std::move(troubles);
}

}  // namespace

Json RuntimeJson(const node::RuntimeView& view, const std::string& machine) {
  const store::Runtime& r = view.record;
  Json copies = Json::array();
  int count = std::max(1, view.definition->distribution.copies);
  for (int k = 1; k <= count; ++k) {
    copies.push_back({{"name", fmt::format("{}.{}", r.name, k)},
                      {"machine", machine},
                      {"status", store::ToString(r.status)}});
  }
  Json answer{{"id", r.id},
              {"owner", r.owner_name},
              {"name", r.name},
              {"uniqueName", r.unique_name},
              {"status", store::ToString(r.status)},
              {"json", view.definition->source},
              {"starttime", r.start_time ? Json(*r.start_time) : Json()},
              {"copies", copies}};
  AddHealth(answer, view, 0);
  return answer;
}

Json RuntimeStats(const node::RuntimeView& view, int copy) {
  Json stats = Json::object();
  if (view.copies) {
    if (copy > 0) {
      stats = view.copies->copies[static_cast<std::size_t>(copy - 1)]->Stats();
    } else {
      std::vector<Json> parts;
      for (const auto& c : view.copies->copies) parts.push_back(c->Stats());
      stats = engine::SumStats(parts);
    }
  } else {
    stats = {{"totalActors", view.definition->actors.size()},
             {"totalMessages", 0},
             {"totalExceptions", 0},
             {"counters", Json::object()}};
  }
  stats["status"] = store::ToString(view.record.status);
  AddHealth(stats, view, copy);
  return stats;
}

}  // namespace coral::api
