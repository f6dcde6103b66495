// Starting and stopping a runtime, shared by `coral start`, `coral stop` and `coral apply`:
// GET /api/runtimes/<id> (already in that state: nothing more), then PATCH /api/runtimes/<id>
// {"status": "start"|"stop"}. A 409 answer is accepted when the runtime turns out to be in the
// wanted state after all, so both commands are idempotent whatever the server does for a runtime
// already running or stopped.
#pragma once

#include <string>

#include "cli/commands.h"
#include "cli/http_client.h"

namespace coral::cli {

enum class Lifecycle { kStart, kStop };

// true when the request changed something, false when the runtime was already in that state.
Result<bool> SetRuntimeStatus(HttpClient& client, const std::string& id, Lifecycle action);

// "running" / "stopped": the status a runtime has after `action`.
const char* StatusAfter(Lifecycle action);

// `coral start NAME...` and `coral stop NAME...`: options, help and action of both commands.
CommandAction DefineLifecycleCommand(CLI::App& command, const GlobalOptions& global,
                                     Lifecycle action);

}  // namespace coral::cli
