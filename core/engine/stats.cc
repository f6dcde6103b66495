#include "engine/stats.h"

#include <fmt/format.h>

#include <algorithm>

namespace coral::engine {

namespace {

void AddInto(Json& sum, const Json& value) {
  if (value.is_object()) {
    if (!sum.is_object()) sum = Json::object();
    for (const auto& [key, item] : value.items()) AddInto(sum[key], item);
  } else if (value.is_number_integer() && (sum.is_number_integer() || sum.is_null())) {
    sum = (sum.is_null() ? std::int64_t{0} : sum.get<std::int64_t>()) + value.get<std::int64_t>();
  } else if (value.is_number() && (sum.is_number() || sum.is_null())) {
    sum = (sum.is_null() ? 0.0 : sum.get<double>()) + value.get<double>();
  } else if (sum.is_null()) {
    sum = value;
  }
}

std::int64_t Count(const Json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_number() ? found->get<std::int64_t>() : 0;
}

}  // namespace

Json ZeroActorStats() {
  return {{"instances", 0},
          {"received", 0},
          {"emitted", 0},
          {"ignored", 0},
          {"ignoredBy", Json::object()},
          {"errors", 0},
          {"queued", 0}};
}

Json SumStats(const std::vector<Json>& stats) {
  Json sum = Json::object();
  for (const Json& one : stats) AddInto(sum, one);
  return sum;
}

std::string FormatStatsTable(const Json& stats) {
  const Json& counters = stats.contains("counters") ? stats["counters"] : Json::object();
  std::size_t width = 5;  // "actor"
  for (const auto& [name, value] : counters.items()) width = std::max(width, name.size());
  const char* columns[] = {"received", "emitted", "ignored", "errors", "queued"};
  std::string out = fmt::format("{:<{}}", "actor", width);
  for (const char* column : columns) out += fmt::format(" {:>10}", column);
  out += "\n";
  std::string notes;
  auto row = [&](const std::string& name, const Json& actor) {
    out += fmt::format("{:<{}}", name, width);
    for (const char* column : columns) out += fmt::format(" {:>10}", Count(actor, column));
    out += "\n";
    if (name == "total") return;
    if (auto by = actor.find("ignoredBy"); by != actor.end() && by->is_object()) {
      for (const auto& [reason, count] : by->items()) {
        notes += fmt::format("  {}: {} ignored ({})\n", name, count.dump(), reason);
      }
    }
    if (auto error = actor.find("lastError"); error != actor.end() && error->is_string()) {
      notes += fmt::format("  {}: last error: {}\n", name, error->get<std::string>());
    }
  };
  for (const auto& [name, value] : counters.items()) {
    if (name != "total") row(name, value);
  }
  if (counters.contains("total")) row("total", counters["total"]);
  return out + notes;
}

}  // namespace coral::engine
