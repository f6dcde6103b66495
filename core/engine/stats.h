// Runtime statistics beyond one copy: summing the Stats() of several copies (the API's
// `GET /api/runtimes/<id>/stats` adds up all copies) and a table for people (`coral run`).
#pragma once

#include <string>
#include <vector>

#include "event/field_path.h"

namespace coral::engine {

// An actor's counters before it has seen anything: the shape of RuntimeCopy::ActorStats with
// every count 0 ({instances, received, emitted, ignored, ignoredBy: {}, errors, queued}).
Json ZeroActorStats();

// Adds up RuntimeCopy::Stats() documents: numbers are summed at every level, objects merged
// key by key, other values kept from the first document that has them.
Json SumStats(const std::vector<Json>& stats);

// One line per actor and a total: received, emitted, ignored, errors, queued, then the ignore
// reasons and last errors, if any. Ends with a newline.
std::string FormatStatsTable(const Json& stats);

}  // namespace coral::engine
