#include "cli/output.h"

#include <algorithm>
#include <regex>

#include <yaml-cpp/yaml.h>

namespace coral::cli {
namespace {

std::size_t DisplayWidth(std::string_view text) {
  std::size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80 ? 1 : 0;
  return width;
}

bool LooksNumeric(std::string_view text) {
  static const std::regex kNumber(R"([-+]?[0-9][0-9_,]*(\.[0-9]+)?([eE][-+]?[0-9]+)?%?)");
  return !text.empty() && std::regex_match(text.begin(), text.end(), kNumber);
}

// Strings YAML 1.1 or 1.2 would read as a bool, null or number.
bool NeedsQuotes(const std::string& text) {
  if (text.empty()) return true;
  static const std::regex kSpecial(
      R"((?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|)"
      R"(null|Null|NULL|~|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|)"
      R"([-+]?(?:[0-9][0-9_]*)?\.?[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+\.|0x[0-9a-fA-F]+|0o?[0-7]+))");
  return std::regex_match(text, kSpecial);
}

void Emit(YAML::Emitter& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      if (value.empty()) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& [key, item] : value.items()) {
        out << YAML::Key;
        if (NeedsQuotes(key)) out << YAML::DoubleQuoted;
        out << key << YAML::Value;
        Emit(out, item);
      }
      out << YAML::EndMap;
      break;
    case Json::value_t::array:
      if (value.empty()) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const Json& item : value) Emit(out, item);
      out << YAML::EndSeq;
      break;
    case Json::value_t::string: {
      const std::string& text = value.get_ref<const std::string&>();
      if (NeedsQuotes(text)) out << YAML::DoubleQuoted;
      out << text;
      break;
    }
    case Json::value_t::null:
      out << YAML::Null;
      break;
    default:  // numbers and booleans: JSON's shortest round-trip spelling is valid YAML
      out << value.dump();
      break;
  }
}

void Flatten(const Json& value, const std::string& path,
             std::vector<std::pair<std::string, std::string>>& lines) {
  if (value.is_object() && !value.empty()) {
    for (const auto& [key, item] : value.items()) {
      Flatten(item, path.empty() ? key : path + "." + key, lines);
    }
  } else if (value.is_array() && !value.empty() &&
             std::any_of(value.begin(), value.end(),
                         [](const Json& item) { return item.is_structured(); })) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      Flatten(value[i], path + "[" + std::to_string(i) + "]", lines);
    }
  } else {
    lines.emplace_back(path, CellText(value));
  }
}

}  // namespace

void PrintTable(const Table& table, std::ostream& out) {
  std::size_t columns = table.headers.size();
  for (const auto& row : table.rows) columns = std::max(columns, row.size());
  std::vector<std::size_t> widths(columns, 0);
  std::vector<bool> numeric(columns, true);
  for (std::size_t c = 0; c < table.headers.size(); ++c) {
    widths[c] = DisplayWidth(table.headers[c]);
  }
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
      if (!LooksNumeric(row[c]) && row[c] != "-") numeric[c] = false;
    }
  }
  auto print_row = [&](const std::vector<std::string>& row, bool header) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      std::string cell = row[c];
      if (header) std::transform(cell.begin(), cell.end(), cell.begin(), ::toupper);
      std::string padding(widths[c] - DisplayWidth(cell), ' ');
      bool last = c + 1 == row.size();
      if (numeric[c] && !table.rows.empty()) {
        line += padding + cell;
      } else {
        line += cell + (last ? "" : padding);
      }
      if (!last) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  if (!table.headers.empty()) print_row(table.headers, true);
  for (const auto& row : table.rows) print_row(row, false);
}

std::string CellText(const Json& value) {
  if (value.is_structured() && value.empty()) return "-";
  switch (value.type()) {
    case Json::value_t::null:
      return "-";
    case Json::value_t::string:
      return value.get<std::string>();
    case Json::value_t::array: {
      if (std::any_of(value.begin(), value.end(),
                      [](const Json& v) { return v.is_structured(); })) {
        return value.dump();
      }
      std::string out;
      for (const Json& item : value) out += (out.empty() ? "" : ", ") + CellText(item);
      return out;
    }
    default:
      return value.dump();
  }
}

void PrintKeyValues(const Json& value, std::ostream& out) {
  std::vector<std::pair<std::string, std::string>> lines;
  Flatten(value, "", lines);
  std::size_t width = 0;
  for (const auto& [key, text] : lines) width = std::max(width, DisplayWidth(key));
  for (const auto& [key, text] : lines) {
    if (key.empty()) {
      out << text << "\n";
    } else {
      out << key << ":" << std::string(width - DisplayWidth(key) + 1, ' ') << text << "\n";
    }
  }
}

std::string ToYaml(const Json& value) {
  YAML::Emitter out;
  Emit(out, value);
  return std::string(out.c_str()) + "\n";
}

void PrintDocument(const Json& value, const GlobalOptions& global, std::ostream& out) {
  if (global.yaml()) {
    out << ToYaml(value);
  } else {
    out << value.dump(2) << "\n";
  }
}

Json Payload(const Json& answer, const char* key) {
  if (!answer.is_object()) return answer;
  if (key != nullptr && answer.contains(key)) return answer[key];
  Json out = answer;
  out.erase("success");
  return out;
}

Json ListItems(const Json& value, std::initializer_list<const char*> keys) {
  if (value.is_array()) return value;
  if (value.is_object()) {
    for (const char* key : keys) {
      if (value.contains(key) && value[key].is_array()) return value[key];
    }
  }
  return Json::array();
}

}  // namespace coral::cli
