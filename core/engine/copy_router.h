// The seam between "an event for runtime copy k" and where copy k runs. Today every copy is a
// RuntimeCopy in this process (LocalCopyEndpoint); a node-to-node endpoint can implement the
// same interface later without the callers changing.
//
// Thread-safety: Deliver may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "event/event.h"

namespace coral::engine {

class RuntimeCopy;

class CopyEndpoint {
 public:
  virtual ~CopyEndpoint() = default;
  // Queues `events` as triggers of `actor` in this copy, waiting while the copy is over its
  // queue budget (back-pressure reaches the caller).
  virtual Status Deliver(std::string_view actor, std::vector<Event> events) = 0;
};

class LocalCopyEndpoint final : public CopyEndpoint {
 public:
  // REQUIRES: `copy` outlives this endpoint.
  explicit LocalCopyEndpoint(RuntimeCopy& copy) : copy_(copy) {}
  Status Deliver(std::string_view actor, std::vector<Event> events) override;

 private:
  RuntimeCopy& copy_;
};

// Picks the copy of each event: by the Murmur3 hash of the value at `partition_key` when there is
// one (the same value always goes to the same copy), round-robin otherwise and for events
// without that field. REQUIRES: at least one endpoint.
class CopyRouter {
 public:
  CopyRouter(std::vector<std::shared_ptr<CopyEndpoint>> copies,
             std::optional<FieldPath> partition_key);
  // Stops at the first copy that fails and returns its error.
  Status Deliver(std::string_view actor, std::vector<Event> events);
  std::size_t size() const { return copies_.size(); }

 private:
  std::vector<std::shared_ptr<CopyEndpoint>> copies_;
  std::optional<FieldPath> partition_key_;
  std::atomic<std::uint64_t> next_{0};
};

// The first 64 bits of MurmurHash3 x64 128 (the reference C version), seed 0.
std::int64_t Murmur3Token(std::string_view bytes);

}  // namespace coral::engine
