#include "engine/copy_router.h"

#include <cstring>

#include "engine/runtime_copy.h"

namespace coral::engine {

Status LocalCopyEndpoint::Deliver(std::string_view actor, std::vector<Event> events) {
  return copy_.Inject(actor, std::move(events));
}

CopyRouter::CopyRouter(std::vector<std::shared_ptr<CopyEndpoint>> copies,
                       std::optional<FieldPath> partition_key)
    : copies_(std::move(copies)), partition_key_(std::move(partition_key)) {}

Status CopyRouter::Deliver(std::string_view actor, std::vector<Event> events) {
  if (copies_.size() == 1) return copies_[0]->Deliver(actor, std::move(events));
  std::vector<std::vector<Event>> per_copy(copies_.size());
  std::uint64_t next = next_.fetch_add(events.size(), std::memory_order_relaxed);
  for (Event& event : events) {
    std::size_t index = next++ % copies_.size();
    if (partition_key_) {
      // TextAt reads only the key from the bytes: a string's characters, other values' JSON.
      if (auto text = event.TextAt(*partition_key_)) {
        index = static_cast<std::uint64_t>(Murmur3Token(*text)) % copies_.size();
      }
    }
    per_copy[index].push_back(std::move(event));
  }
  for (std::size_t i = 0; i < copies_.size(); ++i) {
    if (per_copy[i].empty()) continue;
    Status status = copies_[i]->Deliver(actor, std::move(per_copy[i]));
    if (!status.ok()) return status;
  }
  return {};
}

namespace {

std::uint64_t Rotl(std::uint64_t x, int r) {
  return (x << r) | (x >> (64 - r));
}

std::uint64_t Fmix(std::uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

}  // namespace

std::int64_t Murmur3Token(std::string_view bytes) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t length = bytes.size();
  const std::size_t blocks = length / 16;
  std::uint64_t h1 = 0, h2 = 0;
  const std::uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
  for (std::size_t i = 0; i < blocks; ++i) {
    std::uint64_t k1, k2;
    std::memcpy(&k1, data + i * 16, 8);  // little-endian hosts, as the reference
    std::memcpy(&k2, data + i * 16 + 8, 8);
    k1 *= c1;
    k1 = Rotl(k1, 31);
    k1 *= c2;
    h1 ^= k1;
    h1 = Rotl(h1, 27);
    h1 += h2;
    h1 = h1 * 5 + 0x52dce729;
    k2 *= c2;
    k2 = Rotl(k2, 33);
    k2 *= c1;
    h2 ^= k2;
    h2 = Rotl(h2, 31);
    h2 += h1;
    h2 = h2 * 5 + 0x38495ab5;
  }
  const unsigned char* tail = data + blocks * 16;
  std::uint64_t k1 = 0, k2 = 0;
  switch (length & 15) {
    case 15:
      k2 ^= std::uint64_t(tail[14]) << 48;
      [[fallthrough]];
    case 14:
      k2 ^= std::uint64_t(tail[13]) << 40;
      [[fallthrough]];
    case 13:
      k2 ^= std::uint64_t(tail[12]) << 32;
      [[fallthrough]];
    case 12:
      k2 ^= std::uint64_t(tail[11]) << 24;
      [[fallthrough]];
    case 11:
      k2 ^= std::uint64_t(tail[10]) << 16;
      [[fallthrough]];
    case 10:
      k2 ^= std::uint64_t(tail[9]) << 8;
      [[fallthrough]];
    case 9:
      k2 ^= std::uint64_t(tail[8]);
      k2 *= c2;
      k2 = Rotl(k2, 33);
      k2 *= c1;
      h2 ^= k2;
      [[fallthrough]];
    case 8:
      k1 ^= std::uint64_t(tail[7]) << 56;
      [[fallthrough]];
    case 7:
      k1 ^= std::uint64_t(tail[6]) << 48;
      [[fallthrough]];
    case 6:
      k1 ^= std::uint64_t(tail[5]) << 40;
      [[fallthrough]];
    case 5:
      k1 ^= std::uint64_t(tail[4]) << 32;
      [[fallthrough]];
    case 4:
      k1 ^= std::uint64_t(tail[3]) << 24;
      [[fallthrough]];
    case 3:
      k1 ^= std::uint64_t(tail[2]) << 16;
      [[fallthrough]];
    case 2:
      k1 ^= std::uint64_t(tail[1]) << 8;
      [[fallthrough]];
    case 1:
      k1 ^= std::uint64_t(tail[0]);
      k1 *= c1;
      k1 = Rotl(k1, 31);
      k1 *= c2;
      h1 ^= k1;
  }
  h1 ^= length;
  h2 ^= length;
  h1 += h2;
  h2 += h1;
  h1 = Fmix(h1);
  h2 = Fmix(h2);
  h1 += h2;
  return static_cast<std::int64_t>(h1);
}

}  // namespace coral::engine
