// Reads a definition document (YAML or JSON text) into a positioned Node tree.
//
// The text is untrusted: size, encoding, nesting depth and duplicate keys are checked here, and
// every problem comes back as a Diagnostic with its position -- the reader never throws.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "definition/diagnostics.h"
#include "definition/node.h"

namespace coral::definition {

inline constexpr std::size_t kMaxDefinitionBytes = 4 * 1024 * 1024;
inline constexpr int kMaxNestingDepth = 64;

// Parses `text`; on failure returns nullopt and adds the reason to `diagnostics`.
std::optional<Node> ReadDocument(std::string_view text, Diagnostics& diagnostics);

// Reads and parses a file ("-" is standard input). Missing files, directories and unreadable
// files are reported as diagnostics without a position.
std::optional<Node> ReadDocumentFile(const std::string& path, Diagnostics& diagnostics);

}  // namespace coral::definition
