#include "engine/line_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace coral::engine {
namespace {

// A file holding `text`, read back through a LineReader with small blocks.
struct TempInput {
  explicit TempInput(const std::string& text) {
    char name[] = "/tmp/coral-line-reader-XXXXXX";
    fd = mkstemp(name);
    REQUIRE(fd >= 0);
    unlink(name);
    REQUIRE(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    lseek(fd, 0, SEEK_SET);
  }
  ~TempInput() { close(fd); }
  int fd;
};

std::vector<std::string> ReadAll(const std::string& text, LineReader::Options options) {
  TempInput input(text);
  LineReader reader(input.fd, options);
  std::vector<std::string> out;
  std::string_view line;
  std::int64_t number = 0;
  while (true) {
    auto result = reader.Next(&line, &number);
    if (result == LineReader::Result::kEnd) break;
    REQUIRE(result != LineReader::Result::kError);
    out.push_back(std::to_string(number) + ":" +
                  (result == LineReader::Result::kTooLong ? "<too long>" : std::string(line)));
  }
  return out;
}

TEST_CASE("LineReaderSplitsLinesAcrossBlocksAndKeepsTheLastLineWithoutNewline") {
  LineReader::Options options{.block_bytes = 4, .max_line = 100};
  CHECK(ReadAll("ab\r\ncdefghij\n\nxyz", options) ==
        std::vector<std::string>{"1:ab", "2:cdefghij", "3:", "4:xyz"});
  CHECK(ReadAll("", options).empty());
  CHECK(ReadAll("one\n", options) == std::vector<std::string>{"1:one"});
}

TEST_CASE("LineReaderReportsAndSkipsLinesLongerThanTheLimitWithoutKeepingThem") {
  LineReader::Options options{.block_bytes = 4, .max_line = 10};
  std::string text = "short\n" + std::string(1000, 'x') + "\nafter\n" + std::string(11, 'y') +
                     "\n" + std::string(30, 'z');
  CHECK(ReadAll(text, options) == std::vector<std::string>{"1:short", "2:<too long>", "3:after",
                                                           "4:<too long>", "5:<too long>"});
}

TEST_CASE("LineReaderStopsWhenTheWakeDescriptorBecomesReadable") {
  int input[2], wake[2];
  REQUIRE(pipe(input) == 0);
  REQUIRE(pipe(wake) == 0);
  REQUIRE(write(input[1], "a\nb", 3) == 3);
  REQUIRE(write(wake[1], "x", 1) == 1);
  LineReader reader(input[0], {.wake_fd = wake[0]});
  std::string_view line;
  std::int64_t number;
  CHECK(reader.Next(&line, &number) == LineReader::Result::kWoken);
  for (int fd : {input[0], input[1], wake[0], wake[1]}) close(fd);
}

}  // namespace
}  // namespace coral::engine
