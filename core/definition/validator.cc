// PLACEHOLDER: replaced by the full validator.
#include "definition/validator.h"

#include "definition/reader.h"

namespace coral::definition {

Validation Validate(const Node& /*document*/, const ValidationOptions& /*options*/) {
  Validation validation;
  validation.diagnostics.Error({}, {}, "validator not written yet");
  return validation;
}

Validation ValidateText(std::string_view text, const ValidationOptions& options) {
  Validation validation;
  auto node = ReadDocument(text, validation.diagnostics);
  if (!node) return validation;
  return Validate(*node, options);
}

Validation ValidateFile(const std::string& path, const ValidationOptions& options) {
  Validation validation;
  auto node = ReadDocumentFile(path, validation.diagnostics);
  if (!node) return validation;
  return Validate(*node, options);
}

}  // namespace coral::definition
