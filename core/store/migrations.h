// The schema of coral.db as an ordered list of migrations. A database records the migrations
// applied to it (table schema_migrations); opening it applies the missing ones in order, each in
// its own transaction. To change the schema, append a step -- never edit a published one.
#pragma once

#include <span>
#include <string_view>

namespace coral::store {

struct Migration {
  int version;  // 1, 2, 3, ... in order
  std::string_view description;
  std::string_view sql;  // one or more statements, no parameters
};

std::span<const Migration> Migrations();

}  // namespace coral::store
