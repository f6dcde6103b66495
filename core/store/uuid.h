// Random (version 4) UUIDs from libsodium's CSPRNG, in the canonical lower-case 8-4-4-4-12 form.
// Thread-safety: both functions may be called from any thread.
#pragma once

#include <string>
#include <string_view>

namespace coral::store {

std::string NewUuid();

// True when `text` is a UUID in canonical form (any version, either case).
bool IsUuid(std::string_view text);

}  // namespace coral::store
