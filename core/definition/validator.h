// Checks a definition document against every rule of the runtime language and builds the typed
// model. All problems are reported at once; the model is returned only when there is no error.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "definition/diagnostics.h"
#include "definition/model.h"
#include "definition/node.h"

namespace coral::definition {

struct ValidationOptions {
  bool strict = false;  // unknown fields are errors instead of warnings
};

struct Validation {
  std::shared_ptr<const RuntimeDefinition> definition;  // nullptr when there are errors
  Diagnostics diagnostics;
};

Validation Validate(const Node& document, const ValidationOptions& options = {});
// Reads then validates; reading problems are diagnostics too.
Validation ValidateText(std::string_view text, const ValidationOptions& options = {});
Validation ValidateFile(const std::string& path, const ValidationOptions& options = {});

}  // namespace coral::definition
