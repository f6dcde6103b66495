// A tiny leveled logger for corald: one line per message on standard error,
// "2024-05-01T12:00:00.123Z warn message". Thread-safe (one write(2) per line). Never pass it a
// secret: passwords, password hashes, Authorization headers.
#pragma once

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace coral::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

inline std::atomic<Level>& ThresholdRef() {
  static std::atomic<Level> level{Level::kInfo};
  return level;
}
inline void SetLevel(Level level) {
  ThresholdRef().store(level);
}
// "debug", "info", "warn", "error"; false (level unchanged) for anything else.
inline bool SetLevel(std::string_view name) {
  if (name == "debug")
    SetLevel(Level::kDebug);
  else if (name == "info")
    SetLevel(Level::kInfo);
  else if (name == "warn")
    SetLevel(Level::kWarn);
  else if (name == "error")
    SetLevel(Level::kError);
  else
    return false;
  return true;
}
inline bool Enabled(Level level) {
  return level >= ThresholdRef().load(std::memory_order_relaxed);
}

inline void Write(Level level, std::string_view message) {
  static constexpr std::string_view kNames[] = {"debug", "info", "warn", "error"};
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
  std::string line = fmt::format("{}.{:03d}Z {} {}\n", stamp, static_cast<int>(millis.count()),
                                 kNames[static_cast<int>(level)], message);
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

template <typename... Args>
void Log(Level level, fmt::format_string<Args...> format, Args&&... args) {
  if (!Enabled(level)) return;
  Write(level, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
void Debug(fmt::format_string<Args...> format, Args&&... args) {
  Log(Level::kDebug, format, std::forward<Args>(args)...);
}
template <typename... Args>
void Info(fmt::format_string<Args...> format, Args&&... args) {
  Log(Level::kInfo, format, std::forward<Args>(args)...);
}
template <typename... Args>
void Warn(fmt::format_string<Args...> format, Args&&... args) {
  Log(Level::kWarn, format, std::forward<Args>(args)...);
}
template <typename... Args>
void Error(fmt::format_string<Args...> format, Args&&... args) {
  Log(Level::kError, format, std::forward<Args>(args)...);
}

}  // namespace coral::log
