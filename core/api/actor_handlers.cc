// /api/runtimes/<rid>/actors/<aid>: an actor's definition, injecting events, shunting one
// synchronously, its counters and its state.
#include <fmt/format.h>

#include "api/api.h"
#include "engine/stats.h"

namespace coral::api::handlers {
namespace {

// The actor named in the path, or kNotFound naming the runtime's actors.
Result<const definition::ActorDefinition*> FindActor(const Request& request) {
  const auto& definition = *request.runtime->definition;
  const std::string& name = request.captures[1];
  if (const auto* actor = definition.FindActor(name)) return actor;
  std::string names;
  for (const auto& actor : definition.actors) names += (names.empty() ? "" : ", ") + actor.name;
  return Error{ErrorCode::kNotFound, fmt::format("runtime `{}` has no actor `{}` (its actors: {})",
                                                 request.runtime->record.unique_name, name, names)};
}

Status RequireRunning(const Request& request) {
  if (request.runtime->running() && request.runtime->copies) return {};
  return Error{ErrorCode::kConflict,
               fmt::format("runtime `{}` is not running; start it first (PATCH with "
                           "{{\"status\": \"start\"}}, or coral start {})",
                           request.runtime->record.unique_name, request.runtime->record.name)};
}

// The copies a read concerns: copy k alone, or all.
std::vector<const engine::RuntimeCopy*> CopiesOf(const Request& request) {
  std::vector<const engine::RuntimeCopy*> out;
  if (!request.runtime->copies) return out;
  const auto& copies = request.runtime->copies->copies;
  if (request.copy > 0) {
    out.push_back(copies[static_cast<std::size_t>(request.copy - 1)].get());
  } else {
    for (const auto& copy : copies) out.push_back(copy.get());
  }
  return out;
}

}  // namespace

Result<Reply> GetActor(Services&, Request& request) {
  auto actor = FindActor(request);
  if (!actor.ok()) return actor.error();
  const Json& source = request.runtime->definition->source;
  for (const Json& entry : source["actors"]) {
    if (entry.value("name", "") == actor.value()->name) {
      return Reply{200, Json{{"success", true}, {"actor", entry}}};
    }
  }
  return Reply{200, Json{{"success", true}, {"actor", Json{{"name", actor.value()->name}}}}};
}

Result<Reply> InjectEvents(Services&, Request& request) {
  auto actor = FindActor(request);
  if (!actor.ok()) return actor.error();
  Status running = RequireRunning(request);
  if (!running.ok()) return running.error();
  std::vector<Event> events;
  std::string why;
  if (auto one = Event::Parse(request.http.body, &why)) {
    events.push_back(std::move(*one));  // the common case keeps the body's bytes as they are
  } else {
    auto body = ParseBody(request.http);
    if (!body.ok()) return body.error();
    if (body.value().is_object()) {
      events.push_back(Event::FromJson(std::move(body).value()));
    } else if (body.value().is_array()) {
      std::size_t index = 0;
      for (Json& item : body.value()) {
        if (!item.is_object()) {
          return Error{ErrorCode::kInvalidArgument,
                       fmt::format("event [{}] is a {}, not a JSON object; every event must be "
                                   "an object",
                                   index, item.type_name())};
        }
        events.push_back(Event::FromJson(std::move(item)));
        ++index;
      }
    } else {
      return Error{ErrorCode::kInvalidArgument,
                   fmt::format("the body is a {}; send a JSON object or an array of objects",
                               body.value().type_name())};
    }
  }
  std::size_t count = events.size();
  Status injected = request.runtime->copies->Next().Inject(actor.value()->name, std::move(events));
  if (!injected.ok()) return injected.error();
  return Reply{200, Json{{"success", true}, {"injected", count}}};
}

Result<Reply> Shunt(Services&, Request& request) {
  auto actor = FindActor(request);
  if (!actor.ok()) return actor.error();
  Status running = RequireRunning(request);
  if (!running.ok()) return running.error();
  auto body = ParseBody(request.http);
  if (!body.ok()) return body.error();
  if (!body.value().is_object()) {
    return Error{
        ErrorCode::kInvalidArgument,
        fmt::format("the body is a {}; shunt takes one JSON object", body.value().type_name())};
  }
  auto emitted = request.runtime->copies->Next().Shunt(actor.value()->name,
                                                       Event::FromJson(std::move(body).value()));
  if (!emitted.ok()) return emitted.error();
  Json out = Json::array();
  for (const Event& event : emitted.value()) out.push_back(event.value());
  return Reply{200, std::move(out)};
}

Result<Reply> GetActorStats(Services&, Request& request) {
  auto actor = FindActor(request);
  if (!actor.ok()) return actor.error();
  std::vector<Json> parts;
  for (const engine::RuntimeCopy* copy : CopiesOf(request)) {
    auto part = copy->ActorStats(actor.value()->name);
    if (!part.ok()) return part.error();
    parts.push_back(std::move(part).value());
  }
  Json stats = parts.empty() ? engine::ZeroActorStats() : engine::SumStats(parts);
  return Reply{200, Json{{"success", true}, {"actor", actor.value()->name}, {"stats", stats}}};
}

Result<Reply> GetActorState(Services&, Request& request) {
  auto actor = FindActor(request);
  if (!actor.ok()) return actor.error();
  auto copies = CopiesOf(request);
  if (copies.empty()) {
    return Error{ErrorCode::kConflict,
                 fmt::format("runtime `{}` has not run since corald started; its actors' state "
                             "is in the store until it starts",
                             request.runtime->record.unique_name)};
  }
  Json state;
  if (copies.size() == 1) {
    auto one = copies[0]->ActorState(actor.value()->name);
    if (!one.ok()) return one.error();
    state = std::move(one).value();
  } else {
    state = Json::object();
    for (std::size_t i = 0; i < copies.size(); ++i) {
      auto one = copies[i]->ActorState(actor.value()->name);
      if (!one.ok()) return one.error();
      state[fmt::format("{}.{}", request.runtime->record.name, i + 1)] = std::move(one).value();
    }
  }
  return Reply{200, Json{{"success", true}, {"actor", actor.value()->name}, {"state", state}}};
}

}  // namespace coral::api::handlers
