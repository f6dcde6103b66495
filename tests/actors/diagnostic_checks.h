// Assertions on the diagnostics of a Configure() call, shared by the actor tests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "support/actor_harness.h"

namespace coral::testing {

// Lines joined with newlines: doctest prints strings but not vectors, so compare these.
inline std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

inline bool HasDiagnostic(const Configured& configured, definition::Severity severity,
                          std::string_view path, std::string_view text) {
  for (const definition::Diagnostic& d : configured.diagnostics.all()) {
    if (d.severity == severity && d.path == path && d.message.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// An error at exactly `path` whose message contains `text`.
#define CHECK_PARAM_ERROR(configured, path, text)                                                  \
  CHECK_MESSAGE(::coral::testing::HasDiagnostic(configured, ::coral::definition::Severity::kError, \
                                                path, text),                                       \
                "expected an error at ", path, " containing \"", text, "\"; got:\n",               \
                (configured).Messages())

#define CHECK_PARAM_WARNING(configured, path, text)                                   \
  CHECK_MESSAGE(::coral::testing::HasDiagnostic(                                      \
                    configured, ::coral::definition::Severity::kWarning, path, text), \
                "expected a warning at ", path, " containing \"", text, "\"; got:\n", \
                (configured).Messages())

}  // namespace coral::testing
