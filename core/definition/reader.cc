#include "definition/reader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <unordered_map>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "common/text.h"

namespace coral::definition {
namespace {

// Aliases let a small YAML file denote a huge tree ("billion laughs"); cap what we expand.
constexpr std::size_t kMaxNodes = 2'000'000;

Position PositionOf(const YAML::Mark& mark) {
  if (mark.is_null()) return {};
  return {mark.line + 1, mark.column + 1};
}

Position PositionOfOffset(std::string_view text, std::size_t offset) {
  Position position{1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

class Converter {
 public:
  explicit Converter(Diagnostics& diagnostics) : diagnostics_(diagnostics) {}

  std::optional<Node> Convert(const YAML::Node& yaml, const std::string& path, int depth) {
    Position position = PositionOf(yaml.Mark());
    if (depth > kMaxNestingDepth) {
      diagnostics_.Error(path, position,
                         fmt::format("nested deeper than {} levels; a definition never needs that "
                                     "much nesting -- flatten this value",
                                     kMaxNestingDepth));
      return std::nullopt;
    }
    if (++nodes_ > kMaxNodes) {
      if (nodes_ == kMaxNodes + 1) {
        diagnostics_.Error(path, position,
                           "the document expands to more than 2,000,000 values (YAML aliases?); "
                           "write the values out or make the definition smaller");
      }
      return std::nullopt;
    }
    switch (yaml.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return Node::Null(position);
      case YAML::NodeType::Scalar:
        // yaml-cpp tags plain scalars "?" and quoted ones "!".
        return Node::Scalar(yaml.Scalar(), yaml.Tag() == "!", position);
      case YAML::NodeType::Sequence: {
        std::vector<Node> items;
        items.reserve(yaml.size());
        std::size_t index = 0;
        for (const YAML::Node& item : yaml) {
          auto converted = Convert(item, IndexPath(path, index++), depth + 1);
          if (!converted) return std::nullopt;
          items.push_back(std::move(*converted));
        }
        return Node::Sequence(std::move(items), position);
      }
      case YAML::NodeType::Map: {
        std::vector<Node::Entry> entries;
        std::unordered_map<std::string, Position> seen;
        bool ok = true;
        for (auto it = yaml.begin(); it != yaml.end(); ++it) {
          Position key_position = PositionOf(it->first.Mark());
          if (!it->first.IsScalar()) {
            diagnostics_.Error(path, key_position,
                               "a key must be a plain name, not a list or mapping");
            ok = false;
            continue;
          }
          std::string key = it->first.Scalar();
          std::string child_path = JoinPath(path, key);
          auto [previous, inserted] = seen.emplace(key, key_position);
          if (!inserted) {
            diagnostics_.Error(child_path, key_position,
                               fmt::format("duplicate key {} (first written at line {}); keep "
                                           "only one of them",
                                           QuoteForMessage(key), previous->second.line));
            ok = false;
            continue;
          }
          auto value = Convert(it->second, child_path, depth + 1);
          if (!value) return std::nullopt;
          entries.push_back({std::move(key), key_position, std::move(*value)});
        }
        if (!ok) return std::nullopt;
        return Node::Map(std::move(entries), position);
      }
    }
    return Node::Null(position);
  }

 private:
  Diagnostics& diagnostics_;
  std::size_t nodes_ = 0;
};

std::string ExplainParseError(std::string_view text, const YAML::Mark& mark, std::string msg) {
  // Point at the usual culprits in plain words.
  std::size_t line_start = 0;
  for (int line = 0; line < mark.line && line_start != std::string_view::npos; ++line) {
    line_start = text.find('\n', line_start);
    if (line_start != std::string_view::npos) ++line_start;
  }
  if (line_start != std::string_view::npos && line_start < text.size() &&
      text.substr(line_start, text.find('\n', line_start) - line_start).find('\t') !=
          std::string_view::npos) {
    msg += "; YAML does not allow tabs for indentation -- indent with spaces";
  } else if (msg.find("end of map") != std::string::npos ||
             msg.find("end of sequence") != std::string::npos) {
    msg += "; the file may be truncated or a bracket is missing";
  }
  return "cannot parse the document: " + msg;
}

}  // namespace

std::optional<Node> ReadDocument(std::string_view text, Diagnostics& diagnostics) {
  if (text.size() > kMaxDefinitionBytes) {
    diagnostics.Error({}, {},
                      fmt::format("the document is {:.1f} MB; definitions are limited to {} MiB -- "
                                  "move large lookup tables out of the definition",
                                  text.size() / 1e6, kMaxDefinitionBytes >> 20));
    return std::nullopt;
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark
  if (std::size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    diagnostics.Error({}, PositionOfOffset(text, bad),
                      "the document is not valid UTF-8 (save it as UTF-8 text)");
    return std::nullopt;
  }
  if (text.find('\0') != std::string_view::npos) {
    diagnostics.Error({}, PositionOfOffset(text, text.find('\0')),
                      "the document contains a NUL byte; is this a binary file?");
    return std::nullopt;
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    diagnostics.Error({}, {},
                      "the document is empty; a definition is a mapping with name, actors and "
                      "links (see `man 5 coral-runtime`)");
    return std::nullopt;
  }
  try {
    YAML::Node yaml = YAML::Load(std::string(text));
    return Converter(diagnostics).Convert(yaml, "", 0);
  } catch (const YAML::DeepRecursion& error) {
    diagnostics.Error({}, PositionOf(error.mark),
                      fmt::format("nested deeper than {} levels; a definition never needs that "
                                  "much nesting -- flatten this value",
                                  kMaxNestingDepth));
  } catch (const YAML::ParserException& error) {
    diagnostics.Error({}, PositionOf(error.mark), ExplainParseError(text, error.mark, error.msg));
  } catch (const YAML::Exception& error) {
    diagnostics.Error({}, PositionOf(error.mark), "cannot parse the document: " + error.msg);
  }
  return std::nullopt;
}

std::optional<Node> ReadDocumentFile(const std::string& path, Diagnostics& diagnostics) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::error_code error;
    auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::exists(status)) {
      diagnostics.Error({}, {}, "no such file; check the path");
      return std::nullopt;
    }
    if (std::filesystem::is_directory(status)) {
      diagnostics.Error({}, {}, "this is a directory; name the definition files inside it");
      return std::nullopt;
    }
    auto size = std::filesystem::file_size(path, error);
    if (!error && size > kMaxDefinitionBytes) {
      diagnostics.Error({}, {},
                        fmt::format("the file is {:.1f} MB; definitions are limited to {} MiB -- "
                                    "move large lookup tables out of the definition",
                                    size / 1e6, kMaxDefinitionBytes >> 20));
      return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      diagnostics.Error({}, {}, fmt::format("cannot read the file: {}", std::strerror(errno)));
      return std::nullopt;
    }
    // Read at most one byte past the limit so a growing or special file cannot exhaust memory.
    text.resize(kMaxDefinitionBytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
  }
  return ReadDocument(text, diagnostics);
}

}  // namespace coral::definition
