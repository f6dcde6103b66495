#include "engine/line_sink.h"

#include <unistd.h>

#include <cerrno>

namespace coral::engine {

FdLineSink::FdLineSink(int fd, std::size_t buffer_bytes) : fd_(fd), buffer_bytes_(buffer_bytes) {
  buffer_.reserve(buffer_bytes_);
}

FdLineSink::~FdLineSink() {
  Flush();
}

void FdLineSink::WriteLines(std::string_view lines) {
  std::lock_guard lock(mutex_);
  if (buffer_.size() + lines.size() > buffer_bytes_) {
    WriteOutLocked(buffer_);
    buffer_.clear();
    if (lines.size() >= buffer_bytes_) {
      WriteOutLocked(lines);
      return;
    }
  }
  buffer_.append(lines);
}

void FdLineSink::Flush() {
  std::lock_guard lock(mutex_);
  WriteOutLocked(buffer_);
  buffer_.clear();
}

bool FdLineSink::ok() const {
  std::lock_guard lock(mutex_);
  return ok_;
}

void FdLineSink::WriteOutLocked(std::string_view bytes) {
  while (ok_ && !bytes.empty()) {
    ssize_t written = ::write(fd_, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      ok_ = false;
      return;
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

}  // namespace coral::engine
