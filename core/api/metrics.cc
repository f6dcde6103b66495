// GET /metrics: Prometheus text format (version 0.0.4). Per runtime, actor and copy: events
// received, emitted, ignored, errors, and queue depth; plus node totals.
#include <fmt/format.h>

#include "api/api.h"

namespace coral::api::handlers {
namespace {

// A label value: backslash, double quote and line feed escaped.
std::string Escape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

struct Family {
  const char* name;
  const char* type;
  const char* help;
  const char* field;  // in ActorStats
};

constexpr Family kActorFamilies[] = {
    {"coral_actor_received_total", "counter", "Events an actor received.", "received"},
    {"coral_actor_emitted_total", "counter", "Events an actor emitted.", "emitted"},
    {"coral_actor_ignored_total", "counter", "Events an actor could not act on.", "ignored"},
    {"coral_actor_errors_total", "counter", "Errors while an actor handled events.", "errors"},
    {"coral_actor_queue_depth", "gauge", "Events waiting in an actor's mailboxes.", "queued"},
};

}  // namespace

Result<Reply> Metrics(Services& services, Request&) {
  std::string node = Escape(services.node_address);
  std::vector<node::RuntimeView> views = services.manager.List();
  // One sample list per family, filled in one pass over the actors.
  std::vector<std::string> samples(std::size(kActorFamilies));
  std::string copy_queue;
  for (const node::RuntimeView& view : views) {
    if (!view.running() || !view.copies) continue;
    std::string runtime = Escape(view.record.unique_name);
    for (std::size_t k = 0; k < view.copies->copies.size(); ++k) {
      const auto& copy = *view.copies->copies[k];
      std::string copy_name = Escape(fmt::format("{}.{}", view.record.name, k + 1));
      copy_queue +=
          fmt::format("coral_copy_queue_depth{{runtime=\"{}\",copy=\"{}\",node=\"{}\"}} {}\n",
                      runtime, copy_name, node, copy.queued());
      for (const auto& actor : view.definition->actors) {
        auto stats = copy.ActorStats(actor.name);
        if (!stats.ok()) continue;
        std::string labels = fmt::format("runtime=\"{}\",actor=\"{}\",copy=\"{}\",node=\"{}\"",
                                         runtime, Escape(actor.name), copy_name, node);
        for (std::size_t f = 0; f < std::size(kActorFamilies); ++f) {
          samples[f] += fmt::format("{}{{{}}} {}\n", kActorFamilies[f].name, labels,
                                    stats.value().value(kActorFamilies[f].field, std::int64_t{0}));
        }
      }
    }
  }
  auto totals = services.manager.totals();
  std::string text;
  text += "# HELP coral_runtimes Runtimes known to this node.\n# TYPE coral_runtimes gauge\n";
  text += fmt::format("coral_runtimes{{node=\"{}\"}} {}\n", node, totals.runtimes);
  text +=
      "# HELP coral_runtimes_running Runtimes running on this node.\n"
      "# TYPE coral_runtimes_running gauge\n";
  text += fmt::format("coral_runtimes_running{{node=\"{}\"}} {}\n", node, totals.running);
  text +=
      "# HELP coral_copy_queue_depth Events admitted to a runtime copy and not yet "
      "processed.\n# TYPE coral_copy_queue_depth gauge\n";
  text += copy_queue;
  for (std::size_t f = 0; f < std::size(kActorFamilies); ++f) {
    text += fmt::format("# HELP {} {}\n# TYPE {} {}\n", kActorFamilies[f].name,
                        kActorFamilies[f].help, kActorFamilies[f].name, kActorFamilies[f].type);
    text += samples[f];
  }
  Reply reply;
  reply.text = std::move(text);
  reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return reply;
}

}  // namespace coral::api::handlers
