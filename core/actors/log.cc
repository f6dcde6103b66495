// The `log` actor type: writes each event as one line of JSON to a file or to standard output.
//
// Lines are the event's own bytes (never re-serialised), except for an event whose original text
// spans several lines (a pretty-printed HTTP body), which is written compactly so that every
// event stays one line. Lines are buffered during a batch and written at the end of the turn, or
// whenever the buffer passes kFlushBytes; OnStop flushes. Write failures are counted with Fail.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "actors/actor_type.h"

namespace coral::actors {
namespace {

using definition::ParamReader;

constexpr std::size_t kFlushBytes = 64 * 1024;

struct LogConfig {
  std::optional<std::string> file;  // standard output when absent
  bool append = false;
  // Without `append` the file is emptied once per definition load, by the first instance that
  // opens it: copies, runtime copies and grouped instances created later must not wipe the
  // lines the others already wrote.
  mutable std::once_flag truncate_once;
};

// Standard output of this process, for a `log` actor created without an engine-provided sink.
class ProcessStdout : public LineSink {
 public:
  void WriteLines(std::string_view lines) override {
    if (std::fwrite(lines.data(), 1, lines.size(), stdout) != lines.size()) {
      throw std::runtime_error(
          fmt::format("cannot write to standard output: {}", std::strerror(errno)));
    }
  }
  void Flush() override { std::fflush(stdout); }
};

class LogActor : public Actor {
 public:
  LogActor(std::shared_ptr<const LogConfig> config, const ActorEnv& env)
      : config_(std::move(config)), env_(env) {}

  ~LogActor() override {
    if (file_) std::fclose(file_);
  }

  void OnStart(ActorContext& context) override {
    if (!config_->file) {
      sink_ = env_.standard_output ? env_.standard_output : std::make_shared<ProcessStdout>();
      return;
    }
    std::filesystem::path path = *config_->file;
    if (env_.resolve_log_file) {
      Result<std::filesystem::path> resolved = env_.resolve_log_file(*config_->file);
      if (!resolved.ok()) {
        open_error_ = resolved.error().message;
        context.Fail(open_error_);
        return;
      }
      path = resolved.value();
    }
    // Truncate once (see LogConfig), then append: every write lands at the end of the file, so
    // instances writing the same file never overwrite each other's lines.
    if (!config_->append) {
      std::call_once(config_->truncate_once, [&path] {
        if (std::FILE* truncate = std::fopen(path.c_str(), "wb")) std::fclose(truncate);
      });
    }
    file_ = std::fopen(path.c_str(), "ab");
    if (!file_) {
      open_error_ = fmt::format("cannot open log file {}: {}", path.string(), std::strerror(errno));
      context.Fail(open_error_);
      return;
    }
    std::setvbuf(file_, nullptr, _IONBF, 0);  // buffer_ batches; one write() per batch
  }

  void OnEvent(const Event& event, ActorContext& context) override {
    if (!file_ && !sink_) {
      context.Fail(open_error_.empty() ? std::string("log output is not open") : open_error_);
      return;
    }
    std::string_view bytes = event.bytes();
    if (bytes.find_first_of("\r\n") != std::string_view::npos) {
      buffer_ += event.value().dump();  // only whitespace can hold a line break in JSON text
    } else {
      buffer_ += bytes;
    }
    buffer_ += '\n';
    if (buffer_.size() >= kFlushBytes) Write(context, /*flush=*/false);
  }

  void OnTurnEnd(ActorContext& context) override { Write(context, /*flush=*/true); }
  void OnStop(ActorContext& context) override { Write(context, /*flush=*/true); }

 private:
  void Write(ActorContext& context, bool flush) {
    if (buffer_.empty() && !flush) return;
    try {
      if (file_) {
        if (!buffer_.empty() &&
            std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
          context.Fail(
              fmt::format("cannot write to log file {}: {}", *config_->file, std::strerror(errno)));
          std::clearerr(file_);
        }
        if (flush && std::fflush(file_) != 0) {
          context.Fail(
              fmt::format("cannot write to log file {}: {}", *config_->file, std::strerror(errno)));
          std::clearerr(file_);
        }
      } else if (sink_) {
        if (!buffer_.empty()) sink_->WriteLines(buffer_);
        if (flush) sink_->Flush();
      }
    } catch (const std::exception& error) {
      context.Fail(error.what());
    }
    buffer_.clear();
  }

  std::shared_ptr<const LogConfig> config_;
  ActorEnv env_;
  std::FILE* file_ = nullptr;
  std::shared_ptr<LineSink> sink_;
  std::string open_error_;
  std::string buffer_;
};

ActorCreator Configure(ParamReader& params) {
  auto config = std::make_shared<LogConfig>();
  if (const definition::Node* found = params.Get("file")) {
    std::string file = params.String("file");
    if (found->IsScalar() && file.empty()) {
      params.Error("file",
                   "the file name is empty; write a path such as `events.log`, or leave "
                   "`file` out to write to standard output");
    } else if (!file.empty()) {
      config->file = std::move(file);
    }
  }
  config->append = params.Bool("append", false);
  if (!params.Finish()) return nullptr;
  return [config = std::shared_ptr<const LogConfig>(std::move(config))](const ActorEnv& env) {
    return std::make_unique<LogActor>(config, env);
  };
}

}  // namespace

extern const ActorType kLogType;
const ActorType kLogType{
    .name = "log",
    .summary = "writes each event as one line of JSON to `file` or standard output; emits nothing",
    .configure = Configure,
};

}  // namespace coral::actors
