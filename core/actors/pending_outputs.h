// Outputs that finish after the turn that wrote them: a kafka-producer's messages are
// acknowledged by the broker later. One PendingOutputs per runtime copy is shared by its actors,
// so that a source that must not let go of its input before what it caused has left the runtime
// (a kafka-consumer commits offsets) can wait for those outputs.
//
// Thread-safety: every method may be called from any thread; AsyncOutput implementations must
// allow Mark/Reached/Flush from other actors' turns.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

namespace coral::actors {

class AsyncOutput {
 public:
  virtual ~AsyncOutput() = default;
  // A mark after everything written so far.
  virtual std::uint64_t Mark() = 0;
  // Everything written before `mark` is finished: acknowledged, or failed for good and counted.
  virtual bool Reached(std::uint64_t mark) = 0;
  // Sends what is buffered and waits at most `timeout` until everything written is finished.
  // Returns whether it is.
  virtual bool Flush(std::chrono::milliseconds timeout) = 0;
};

class PendingOutputs {
 public:
  using Marks = std::vector<std::pair<AsyncOutput*, std::uint64_t>>;

  // REQUIRES: `output` stays valid until Remove(output).
  void Add(AsyncOutput* output);
  void Remove(AsyncOutput* output);
  // A mark of every registered output.
  Marks MarkAll();
  // Every output in `marks` reached its mark (an output removed since counts as done: it
  // flushed when it stopped).
  bool AllReached(const Marks& marks);
  // Flush of every output, all within `timeout`. Returns whether all finished.
  bool FlushAll(std::chrono::milliseconds timeout);

 private:
  std::mutex mutex_;
  std::vector<AsyncOutput*> outputs_;  // guarded by mutex_
};

}  // namespace coral::actors
