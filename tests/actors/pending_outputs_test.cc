#include <doctest/doctest.h>

#include "actors/pending_outputs.h"

namespace coral::testing {
namespace {

// An output whose writes finish when the test says so.
class ManualOutput : public actors::AsyncOutput {
 public:
  std::uint64_t written = 0;
  std::uint64_t finished = 0;
  std::uint64_t Mark() override { return written; }
  bool Reached(std::uint64_t mark) override { return finished >= mark; }
  bool Flush(std::chrono::milliseconds /*timeout*/) override {
    finished = written;
    return true;
  }
};

}  // namespace

TEST_SUITE("pending outputs") {
  TEST_CASE("a mark is reached once what was written before it has finished") {
    actors::PendingOutputs pending;
    ManualOutput a, b;
    pending.Add(&a);
    pending.Add(&b);
    a.written = 3;
    b.written = 1;
    actors::PendingOutputs::Marks marks = pending.MarkAll();
    a.written = 10;  // written after the mark: not waited for
    CHECK_FALSE(pending.AllReached(marks));
    a.finished = 3;
    CHECK_FALSE(pending.AllReached(marks));
    b.finished = 1;
    CHECK(pending.AllReached(marks));
  }

  TEST_CASE("an output removed since the mark counts as done; FlushAll flushes every output") {
    actors::PendingOutputs pending;
    ManualOutput a, b;
    pending.Add(&a);
    pending.Add(&b);
    a.written = b.written = 2;
    actors::PendingOutputs::Marks marks = pending.MarkAll();
    pending.Remove(&b);
    CHECK_FALSE(pending.AllReached(marks));
    CHECK(pending.FlushAll(std::chrono::milliseconds(10)));
    CHECK(a.finished == 2);
    CHECK(pending.AllReached(marks));
  }
}

}  // namespace coral::testing
