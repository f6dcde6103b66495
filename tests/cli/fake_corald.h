// A stand-in for corald's REST API (spec: api-and-cli.md), on 127.0.0.1 and a free port, for the
// CLI's unit tests: runtimes kept in memory, every request recorded, answers shaped like the
// real server's ({"success": true, ...} / {"success": false, "reason", "details"}). A test may
// override any route with its own handler.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace coral::testing {

struct RecordedRequest {
  std::string method;
  std::string path;
  std::string body;
  std::string authorization;
};

class FakeCorald {
 public:
  using Json = nlohmann::ordered_json;

  FakeCorald() {
    Install();
    server_.set_keep_alive_timeout(1);  // bounds how long stop() waits for an idle connection
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // The socket listens already; this only makes sure stop() (a no-op before the accept loop
    // runs) will end it.
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~FakeCorald() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  httplib::Server& server() { return server_; }

  std::vector<RecordedRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  void ClearRequests() {
    std::lock_guard lock(mutex_);
    requests_.clear();
  }
  Json runtime(const std::string& name) {
    std::lock_guard lock(mutex_);
    return runtimes_.count(name) ? runtimes_[name] : Json();
  }

  static void Fail(httplib::Response& res, int status, const std::string& reason,
                   const std::string& details) {
    res.status = status;
    res.set_content(Json{{"success", false}, {"reason", reason}, {"details", details}}.dump(),
                    "application/json");
  }
  static void Reply(httplib::Response& res, int status, const Json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
  }

 private:
  void Install() {
    // Recorded before the answer is written (a logger runs after), so a test sees a request as
    // soon as the client has its answer.
    server_.set_post_routing_handler([this](const httplib::Request& req, httplib::Response&) {
      std::lock_guard lock(mutex_);
      requests_.push_back({req.method, req.path, req.body, req.get_header_value("Authorization")});
    });
    server_.Get("/api/health", [](const httplib::Request&, httplib::Response& res) {
      Reply(res, 200, {{"success", true}, {"status", "ok"}});
    });
    server_.Get("/api/runtimes", [this](const httplib::Request&, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      Json list = Json::array();
      for (const auto& [name, runtime] : runtimes_) list.push_back(runtime);
      Reply(res, 200, {{"success", true}, {"runtimes", list}});
    });
    server_.Put(
        R"(/api/runtimes/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
          Json definition = Json::parse(req.body, nullptr, false);
          if (!definition.is_object() || !definition.contains("name")) {
            return Fail(res, 400, "invalid definition", "name: missing");
          }
          std::lock_guard lock(mutex_);
          std::string name = req.matches[1];
          std::string result = "created";
          if (runtimes_.count(name)) {
            result = runtimes_[name]["json"] == definition ? "unchanged" : "replaced";
          }
          if (result != "unchanged") {
            std::string status = result == "replaced" ? runtimes_[name]["status"] : "created";
            runtimes_[name] = {{"id", "uuid-" + name},
                               {"owner", "coral"},
                               {"name", name},
                               {"uniqueName", "coral-" + name},
                               {"status", status},
                               {"json", definition},
                               {"starttime", nullptr},
                               {"copies", Json::array({{{"name", name + ".1"},
                                                        {"machine", "127.0.0.1:2551"},
                                                        {"status", status}}})}};
          }
          Reply(res, result == "created" ? 201 : 200,
                {{"success", true},
                 {"result", result},
                 {"created", result == "created"},
                 {"id", "uuid-" + name},
                 {"status", runtimes_[name]["status"]}});
        });
    server_.Get(R"(/api/runtimes/([^/]+))",
                [this](const httplib::Request& req, httplib::Response& res) {
                  std::lock_guard lock(mutex_);
                  std::string name = req.matches[1];
                  if (!runtimes_.count(name)) return Fail(res, 404, "no such runtime", name);
                  Json body = runtimes_[name];
                  body["success"] = true;
                  Reply(res, 200, body);
                });
    server_.Patch(R"(/api/runtimes/([^/]+))",
                  [this](const httplib::Request& req, httplib::Response& res) {
                    std::lock_guard lock(mutex_);
                    std::string name = req.matches[1];
                    if (!runtimes_.count(name)) return Fail(res, 404, "no such runtime", name);
                    Json patch = Json::parse(req.body, nullptr, false);
                    std::string wanted = patch.value("status", "");
                    if (wanted != "start" && wanted != "stop")
                      return Fail(res, 400, "bad status", wanted);
                    std::string status = wanted == "start" ? "running" : "stopped";
                    if (runtimes_[name]["status"] == status) {
                      return Fail(res, 409, "conflict", fmt_already(name, status));
                    }
                    runtimes_[name]["status"] = status;
                    Reply(res, 200, {{"success", true}, {"status", status}});
                  });
    server_.Delete(R"(/api/runtimes/([^/]+))",
                   [this](const httplib::Request& req, httplib::Response& res) {
                     std::lock_guard lock(mutex_);
                     std::string name = req.matches[1];
                     if (!runtimes_.erase(name)) return Fail(res, 404, "no such runtime", name);
                     Reply(res, 200, {{"success", true}, {"deleted", "coral-" + name}});
                   });
    server_.Post(R"(/api/runtimes/([^/]+)/actors/([^/]+))", [](const httplib::Request& req,
                                                               httplib::Response& res) {
      Json events = Json::parse(req.body, nullptr, false);
      if (events.is_discarded()) return Fail(res, 400, "not JSON", "");
      Reply(res, 200, {{"success", true}, {"injected", events.is_array() ? events.size() : 1}});
    });
    server_.Get(
        R"(/api/runtimes/([^/]+)/stats)", [this](const httplib::Request&, httplib::Response& res) {
          std::lock_guard lock(mutex_);
          stats_calls_ += 1;
          Reply(res, 200,
                {{"success", true},
                 {"totalActors", 2},
                 {"totalMessages", 100 * stats_calls_},
                 {"totalExceptions", 0},
                 {"counters",
                  {{"pulse", {{"received", 0}, {"emitted", 50 * stats_calls_}}},
                   {"out", {{"received", 50 * stats_calls_}, {"emitted", 0}}},
                   {"total", {{"received", 50 * stats_calls_}, {"emitted", 50 * stats_calls_}}}}}});
        });
    server_.Get(R"(/api/runtimes/([^/]+)/actors/([^/]+)/state)",
                [](const httplib::Request&, httplib::Response& res) {
                  Reply(res, 200,
                        {{"success", true},
                         {"actor", "stats"},
                         {"state", {{"count", 3}, {"avg", 71.5}, {"min", nullptr}}}});
                });
    server_.Get(R"(/api/runtimes/([^/]+)/permissions)",
                [](const httplib::Request&, httplib::Response& res) {
                  Reply(res, 200,
                        {{"success", true},
                         {"permissions", Json::array({{{"id", "p-1"},
                                                       {"user", "bob"},
                                                       {"method", "GET"},
                                                       {"url", "/api/runtimes/hello/stats"},
                                                       {"allowed", true}}})}});
                });
    server_.Delete(R"(/api/runtimes/([^/]+)/permissions/([^/]+))",
                   [](const httplib::Request& req, httplib::Response& res) {
                     Reply(res, 200, {{"success", true}, {"deleted", std::string(req.matches[2])}});
                   });
    server_.Post("/api/users", [](const httplib::Request&, httplib::Response& res) {
      Reply(res, 201, {{"success", true}, {"user", {{"name", "ann"}}}});
    });
  }

  static std::string fmt_already(const std::string& name, const std::string& status) {
    return name + " is already " + status;
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::map<std::string, Json> runtimes_;
  int stats_calls_ = 0;
};

}  // namespace coral::testing
