#include "actors/pending_outputs.h"

#include <algorithm>

namespace coral::actors {

void PendingOutputs::Add(AsyncOutput* output) {
  std::lock_guard lock(mutex_);
  outputs_.push_back(output);
}

void PendingOutputs::Remove(AsyncOutput* output) {
  std::lock_guard lock(mutex_);
  std::erase(outputs_, output);
}

PendingOutputs::Marks PendingOutputs::MarkAll() {
  std::lock_guard lock(mutex_);
  Marks marks;
  marks.reserve(outputs_.size());
  for (AsyncOutput* output : outputs_) marks.emplace_back(output, output->Mark());
  return marks;
}

bool PendingOutputs::AllReached(const Marks& marks) {
  std::lock_guard lock(mutex_);
  for (const auto& [output, mark] : marks) {
    if (std::find(outputs_.begin(), outputs_.end(), output) == outputs_.end()) continue;
    if (!output->Reached(mark)) return false;
  }
  return true;
}

bool PendingOutputs::FlushAll(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::lock_guard lock(mutex_);
  bool all = true;
  for (AsyncOutput* output : outputs_) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    all = output->Flush(std::max(left, std::chrono::milliseconds(0))) && all;
  }
  return all;
}

}  // namespace coral::actors
