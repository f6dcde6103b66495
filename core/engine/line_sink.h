// A LineSink over a file descriptor (standard output for `coral run`): lines are gathered in a
// buffer and written in large blocks, so that many log actors on many workers cost one write(2)
// per block, not per line.
//
// Thread-safety: WriteLines and Flush may be called from any thread.
#pragma once

#include <mutex>
#include <string>

#include "actors/actor.h"

namespace coral::engine {

class FdLineSink final : public actors::LineSink {
 public:
  // Does not own `fd`. `buffer_bytes`: write out once this much is gathered. Default: 1 MiB.
  explicit FdLineSink(int fd, std::size_t buffer_bytes = 1 << 20);
  ~FdLineSink() override;  // flushes
  void WriteLines(std::string_view lines) override;
  void Flush() override;
  // False once a write failed (e.g. a closed pipe); later lines are discarded.
  bool ok() const;

 private:
  void WriteOutLocked(std::string_view bytes);

  const int fd_;
  const std::size_t buffer_bytes_;
  mutable std::mutex mutex_;
  std::string buffer_;  // guarded by mutex_
  bool ok_ = true;      // guarded by mutex_
};

}  // namespace coral::engine
