// The API's table of routes: one row per method and path pattern (`*` matches one segment).
#pragma once

#include <span>
#include <string_view>

#include "api/api.h"

namespace coral::api {

struct Route {
  std::string_view method;
  std::string_view pattern;  // "/api/runtimes/*/actors/*"
  Handler handler;
  bool runtime = false;      // the first `*` names a runtime (found before authorization)
  bool copy = false;         // ... which may be a copy `<name>.<k>`
  bool must_exist = true;    // 404 when that runtime does not exist (false: PUT creates)
  bool authenticate = true;  // false: liveness probes
};

std::span<const Route> Routes();

// Splits a normalised path; true when it matches `pattern`, with the `*` segments in captures.
bool MatchRoute(std::string_view pattern, std::span<const std::string> segments,
                std::vector<std::string>& captures);

}  // namespace coral::api
