// Reads a byte stream as lines, in large blocks, without a copy per line. A line longer than
// `max_line` is reported once and skipped without being kept, so memory stays bounded whatever
// the input. A `wake_fd` that becomes readable (a signal thread writes to it) ends a blocking read.
//
// Thread-safety: one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace coral::engine {

class LineReader {
 public:
  struct Options {
    std::size_t block_bytes = 1 << 20;  // Default: 1 MiB per read(2)
    std::size_t max_line = 16 << 20;    // Default: 16 MiB
    int wake_fd = -1;                   // Default: none
  };
  enum class Result {
    kLine,     // *line holds the line, without "\n" or "\r\n"; valid until the next call
    kTooLong,  // the line numbered *line_number was longer than max_line and is skipped
    kEnd,      // end of input
    kWoken,    // wake_fd became readable
    kError,    // read failed; error() says why
  };

  // Does not own `fd`.
  LineReader(int fd, Options options);
  LineReader(int fd) : LineReader(fd, Options{}) {}  // NOLINT(google-explicit-constructor)

  // The next line; *line_number is its 1-based number.
  Result Next(std::string_view* line, std::int64_t* line_number);
  const std::string& error() const { return error_; }

 private:
  // Reads more bytes after the unread ones; false at end of input, wake-up or error.
  bool Fill(Result* stop);

  const int fd_;
  const Options options_;
  std::string buffer_;
  std::size_t begin_ = 0, end_ = 0;  // unread bytes: [begin_, end_)
  std::int64_t line_number_ = 0;
  bool skipping_ = false;  // inside a line that was too long
  bool eof_ = false;
  std::string error_;
};

}  // namespace coral::engine
