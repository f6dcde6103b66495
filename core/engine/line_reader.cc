#include "engine/line_reader.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace coral::engine {

LineReader::LineReader(int fd, Options options) : fd_(fd), options_(options) {
  buffer_.resize(options_.block_bytes * 2);
}

LineReader::Result LineReader::Next(std::string_view* line, std::int64_t* line_number) {
  while (true) {
    const char* start = buffer_.data() + begin_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
    if (newline) {
      std::size_t length = static_cast<std::size_t>(newline - start);
      begin_ += length + 1;
      if (skipping_) {  // the end of a line that was too long
        skipping_ = false;
        continue;
      }
      *line_number = ++line_number_;
      if (length > options_.max_line) return Result::kTooLong;
      if (length > 0 && start[length - 1] == '\r') --length;
      *line = std::string_view(start, length);
      return Result::kLine;
    }
    if (eof_) {
      if (begin_ == end_ || skipping_) return Result::kEnd;
      *line = std::string_view(start, end_ - begin_);
      if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
      begin_ = end_;
      *line_number = ++line_number_;
      return Result::kLine;
    }
    if (skipping_) {
      begin_ = end_ = 0;  // drop what we have of the long line
    } else if (end_ - begin_ > options_.max_line) {
      skipping_ = true;
      begin_ = end_ = 0;
      *line_number = ++line_number_;
      return Result::kTooLong;
    }
    Result stop;
    if (!Fill(&stop)) {
      if (stop != Result::kEnd) return stop;
    }
  }
}

bool LineReader::Fill(Result* stop) {
  // Move the unread partial line to the front, grow when a block does not fit after it.
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buffer_.size() - end_ < options_.block_bytes) buffer_.resize(end_ + options_.block_bytes);
  if (options_.wake_fd >= 0) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {options_.wake_fd, POLLIN, 0}};
    while (true) {
      int ready = ::poll(fds, 2, -1);
      if (ready >= 0) break;
      if (errno != EINTR) {
        error_ = std::strerror(errno);
        *stop = Result::kError;
        return false;
      }
    }
    if (fds[1].revents != 0) {
      *stop = Result::kWoken;
      return false;
    }
  }
  while (true) {
    ssize_t got = ::read(fd_, buffer_.data() + end_, options_.block_bytes);
    if (got > 0) {
      end_ += static_cast<std::size_t>(got);
      return true;
    }
    if (got == 0) {
      eof_ = true;
      *stop = Result::kEnd;
      return false;
    }
    if (errno == EINTR) continue;
    error_ = std::strerror(errno);
    *stop = Result::kError;
    return false;
  }
}

}  // namespace coral::engine
