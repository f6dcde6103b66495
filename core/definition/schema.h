// The JSON Schema (2020-12) of the runtime language, schemas/runtime.schema.json, compiled in.
#pragma once

#include <string_view>

namespace coral::definition {

std::string_view RuntimeSchemaText();

}  // namespace coral::definition
