#include "api/server.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "api/routes.h"
#include "common/log.h"

namespace coral::api {
namespace {

// Splits the (percent-decoded) path; nullopt for "." or ".." segments.
std::optional<std::vector<std::string>> Segments(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part == "." || part == "..") return std::nullopt;
    if (!part.empty()) segments.push_back(std::move(part));
    start = end + 1;
  }
  return segments;
}

void Send(httplib::Response& response, const Reply& reply) {
  response.status = reply.status;
  if (!reply.text.empty() || reply.body.is_null()) {
    response.set_content(reply.text, reply.content_type);
  } else {
    response.set_content(reply.body.dump(), "application/json");
  }
}

void SendError(httplib::Response& response, int status, std::string_view reason,
               std::string_view details) {
  response.status = status;
  response.set_content(ErrorBody(reason, details).dump(), "application/json");
}

void SendError(httplib::Response& response, const Error& error) {
  SendError(response, HttpStatus(error.code), Reason(error.code), error.message);
  if (error.code == ErrorCode::kUnauthenticated) {
    response.set_header("WWW-Authenticate", "Basic realm=\"coral\", charset=\"UTF-8\"");
  }
}

}  // namespace

ApiServer::ApiServer(Services& services) : services_(services) {
  server_.new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  server_.set_tcp_nodelay(true);  // headers and body go out in two writes: no Nagle delay
  server_.set_keep_alive_max_count(10000);
  server_.set_keep_alive_timeout(5);
  server_.set_read_timeout(10, 0);
  server_.set_write_timeout(10, 0);
  server_.set_payload_max_length(services_.config.max_body_bytes);
  // Remember the listening socket to widen its backlog in Start (see there). SO_REUSEADDR only:
  // httplib's default adds SO_REUSEPORT, with which a second corald on the same port would
  // share it silently instead of failing to start.
  server_.set_socket_options([this](socket_t socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_socket_ = socket;
  });
  auto dispatch = [this](const httplib::Request& http, httplib::Response& response) {
    Dispatch(http, response);
  };
  server_.Get(".*", dispatch);
  server_.Post(".*", dispatch);
  server_.Put(".*", dispatch);
  server_.Patch(".*", dispatch);
  server_.Delete(".*", dispatch);
  server_.Options(".*", dispatch);
  // Answers httplib produced itself (413 body too large, 400 unreadable request) get a JSON body.
  server_.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request&, httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (response.status == 413) {
          SendError(response, 413, "request too large",
                    fmt::format("the body is larger than max-body-bytes ({} bytes)",
                                services_.config.max_body_bytes));
        } else {
          SendError(response, response.status, "invalid request",
                    "the request could not be read as HTTP");
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  server_.set_exception_handler(
      [](const httplib::Request& http, httplib::Response& response, std::exception_ptr error) {
        std::string what = "unknown exception";
        try {
          if (error) std::rethrow_exception(error);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        log::Error("{} {}: {}", http.method, http.path, what);
        SendError(response, 500, "internal error", what);
      });
}

ApiServer::~ApiServer() {
  Stop();
}

Status ApiServer::Start() {
  const auto& config = services_.config;
  if (!server_.bind_to_port(config.api_interface, config.api_port)) {
    return Error{ErrorCode::kUnavailable,
                 fmt::format("cannot listen on {}:{} (in use, or not an address of this machine)",
                             config.api_interface, config.api_port)};
  }
  port_ = config.api_port;
  // The packaged cpp-httplib listens with a backlog of 5: 64 clients connecting at once would
  // see dropped SYNs and one-second retransmits. listen() again on the bound socket widens it.
  if (listen_socket_ >= 0 && ::listen(listen_socket_, kListenBacklog) != 0) {
    log::Warn("cannot widen the API's listen backlog: {}", std::strerror(errno));
  }
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  return {};
}

void ApiServer::Stop() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

Result<security::Principal> ApiServer::Authenticate(const std::string& authorization,
                                                    const std::string& address) {
  // accept-all: every request is the same implicit user; ask the store once, not per request.
  bool accept_all = services_.authenticator.mode() == security::AuthMode::kAcceptAll;
  if (accept_all) {
    // Lock-free once known: every request reads it.
    if (const auto* known = accept_all_principal_.load(std::memory_order_acquire)) return *known;
  }
  auto principal =
      services_.authenticator.Authenticate(security::AuthRequest{authorization, address});
  if (accept_all && principal.ok()) {
    std::lock_guard lock(accept_all_mutex_);
    if (!accept_all_storage_) {
      accept_all_storage_ = std::make_unique<const security::Principal>(principal.value());
      accept_all_principal_.store(accept_all_storage_.get(), std::memory_order_release);
    }
  }
  return principal;
}

void ApiServer::Dispatch(const httplib::Request& http, httplib::Response& response) {
  auto segments = Segments(http.path);
  if (!segments) {
    SendError(response, 404, "not found", "a path may not contain \".\" or \"..\" segments");
    return;
  }
  std::string path;
  for (const auto& s : *segments) path += "/" + s;
  if (path.empty()) path = "/";
  std::string method = http.method == "HEAD" ? "GET" : http.method;

  const Route* route = nullptr;
  std::vector<std::string> captures;
  std::string allowed;
  for (const Route& candidate : Routes()) {
    if (!MatchRoute(candidate.pattern, *segments, captures)) continue;
    if (candidate.method == method) {
      route = &candidate;
      break;
    }
    allowed += (allowed.empty() ? "" : ", ") + std::string(candidate.method);
  }
  if (!route) {
    if (allowed.empty()) {
      SendError(response, 404, "not found", fmt::format("no such path: {}", path));
    } else {
      // 405 is about the transport, not an ErrorCode of ours.
      response.set_header("Allow", allowed);
      SendError(response, 405, "method not allowed",
                fmt::format("{} does not take {}; it takes {}", path, http.method, allowed));
    }
    return;
  }

  Request request{http, path, captures, {}, std::nullopt, 0};
  if (route->authenticate) {
    std::string authorization = http.get_header_value("Authorization");
    auto principal = Authenticate(authorization, http.remote_addr);
    if (!principal.ok()) {
      log::Debug("{} {} from {}: {}", http.method, path, http.remote_addr,
                 principal.error().message);
      SendError(response, principal.error());
      return;
    }
    request.principal = std::move(principal).value();
  }
  std::optional<Error> missing;
  if (route->runtime) {
    auto found = services_.manager.Find(captures[0], request.principal.name,
                                        route->copy ? &request.copy : nullptr);
    if (found.ok())
      request.runtime = std::move(found).value();
    else
      missing = found.error();
  }
  if (route->authenticate) {
    std::vector<store::Permission> permissions;
    if (services_.authenticator.mode() == security::AuthMode::kCoral ||
        services_.authenticator.mode() == security::AuthMode::kLdap) {
      auto listed = services_.store.ListPermissions({.user_id = request.principal.user_id});
      if (!listed.ok()) {
        SendError(response, listed.error());
        return;
      }
      permissions = std::move(listed).value();
    }
    security::AccessRequest access{http.method, path,
                                   request.runtime ? &request.runtime->record : nullptr};
    security::AccessDecision decision =
        services_.policy.Check(request.principal, permissions, access);
    if (!decision.allowed) {
      SendError(response, Error{ErrorCode::kPermissionDenied, decision.reason});
      return;
    }
  }
  if (missing && route->must_exist) {
    SendError(response, *missing);
    return;
  }
  Result<Reply> reply = route->handler(services_, request);
  if (!reply.ok()) {
    if (reply.error().code == ErrorCode::kInternal) {
      log::Error("{} {}: {}", http.method, path, reply.error().message);
    }
    SendError(response, reply.error());
    return;
  }
  Send(response, reply.value());
}

}  // namespace coral::api
