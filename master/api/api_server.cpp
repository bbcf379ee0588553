#include "master/api/api_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "master/api/request_observation.h"
#include "master/api/routes.h"
#include "master/api/thread_per_connection.h"
#include "master/events/event_bus.h"
#include "master/queue/wait_set.h"
#include "spdlog/spdlog.h"

namespace corral::master {

struct ApiServer::Impl {
  Impl(ApiOptions options, ApiDependencies deps) : ctx{std::move(options), deps} {}

  ApiContext ctx;
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  std::atomic<int> listen_fd{-1};
};

ApiServer::ApiServer(ApiOptions options, ApiDependencies deps)
    : impl_(std::make_unique<Impl>(std::move(options), deps)) {}

ApiServer::~ApiServer() { stop(); }

Result<int> ApiServer::start() {
  const ApiOptions& o = impl_->ctx.options;
  bool tls = !o.tls_cert_file.empty() || !o.tls_key_file.empty();
  if (tls) {
    if (o.tls_cert_file.empty() || o.tls_key_file.empty()) {
      return invalidArgument("TLS needs both a certificate file and a key file");
    }
    auto server =
        std::make_unique<httplib::SSLServer>(o.tls_cert_file.c_str(), o.tls_key_file.c_str());
    if (!server->is_valid()) {
      return invalidArgument("cannot load the TLS certificate '" + o.tls_cert_file + "' or key '" +
                             o.tls_key_file + "'");
    }
    impl_->server = std::move(server);
  } else {
    impl_->server = std::make_unique<httplib::Server>();
  }
  httplib::Server& server = *impl_->server;

  int max_connections = o.max_connections;
  size_t stack = o.thread_stack_bytes;
  server.new_task_queue = [max_connections, stack] {
    return new ThreadPerConnection(max_connections, stack);
  };
  // One request per connection: agents re-issue a long-poll at once, and nothing lingers idle.
  server.set_keep_alive_max_count(1);
  server.set_read_timeout(o.read_timeout);
  server.set_write_timeout(o.read_timeout);
  // The library has one body limit; the request gate holds each route to its own.
  server.set_payload_max_length(std::max(o.max_body_bytes, o.snapshot_max_compressed_bytes));
  installRequestGate(server, impl_->ctx);
  if (impl_->ctx.deps.http_observer != nullptr) {
    // Every request passes here once, after its answer is written, whatever answered it.
    server.set_logger(
        [&ctx = impl_->ctx](const httplib::Request& req, const httplib::Response& res) {
          reportExchange(*ctx.deps.http_observer, req, res, ctx.deps.clock);
        });
  }
  // The library listens with a backlog of 5; remember the socket to raise it after bind.
  server.set_socket_options([impl = impl_.get()](int fd) {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    impl->listen_fd = fd;
  });
  server.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, const std::exception_ptr& ep) {
        std::string what = "unknown";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("{} {}: unhandled error: {}", req.method, req.path, what);
        sendError(res, internalError("internal error; see the master's log"));
      });
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) {
      return;
    }
    if (res.status == 404) {
      sendError(res, notFound("no route for " + req.method + " " + req.path));
    } else if (res.status == 413) {
      sendError(res, Status(ErrorCode::kPayloadTooLarge, "the request body is over the limit"));
    } else if (res.status == 400) {
      sendError(res, badRequest("the request could not be parsed"));
    } else {
      int code = res.status;
      sendError(res, Status(ErrorCode::kBadRequest, "request refused"));
      res.status = code;
    }
  });

  addAgentRoutes(server, impl_->ctx);
  addPoolRoutes(server, impl_->ctx);
  addAgentAdminRoutes(server, impl_->ctx);
  addCommandRoutes(server, impl_->ctx);
  addTokenAndAuditRoutes(server, impl_->ctx);
  addHealthRoutes(server, impl_->ctx);
  addSnapshotRoutes(server, impl_->ctx);
  addClusterQueryRoutes(server, impl_->ctx);
  addOverviewRoutes(server, impl_->ctx);
  addMetricsRoutes(server, impl_->ctx);
  addStreamRoutes(server, impl_->ctx);
  addAlertRoutes(server, impl_->ctx);
  addDashboardRoutes(server, impl_->ctx);

  int port = o.port;
  if (port == 0) {
    port = server.bind_to_any_port(o.host);
    if (port <= 0) {
      return unavailable("cannot bind to " + o.host + " on any port");
    }
  } else if (!server.bind_to_port(o.host, port)) {
    return unavailable("cannot bind to " + o.host + ":" + std::to_string(port) +
                       " (in use, or not an address of this host)");
  }
  if (impl_->listen_fd >= 0) {
    ::listen(impl_->listen_fd, o.listen_backlog);
  }
  impl_->thread = std::thread([&server] { server.listen_after_bind(); });
  spdlog::info("listening on {}://{}:{}", tls ? "https" : "http", o.host, port);
  return port;
}

void ApiServer::stop() {
  if (!impl_ || !impl_->server) {
    return;
  }
  // Parked long-polls answer 204 now; then the listener stops and in-flight handlers finish.
  impl_->ctx.deps.waits.shutdown();
  if (impl_->ctx.deps.events != nullptr) {
    impl_->ctx.deps.events->close();  // open event streams end
  }
  impl_->server->stop();
  if (impl_->thread.joinable()) {
    impl_->thread.join();
  }
  impl_->server.reset();
}

}  // namespace corral::master
