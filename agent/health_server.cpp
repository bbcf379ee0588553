#include "agent/health_server.h"

#include <httplib.h>

#include <thread>

namespace corral::agent {

struct HealthServer::Impl {
  explicit Impl(const std::atomic<bool>& r) : ready(r) {}
  const std::atomic<bool>& ready;
  httplib::Server server;
  std::thread thread;
};

HealthServer::HealthServer(const std::atomic<bool>& ready) : impl_(std::make_unique<Impl>(ready)) {}

HealthServer::~HealthServer() { stop(); }

Result<int> HealthServer::start(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return invalidArgument("health_listen: expected host:port, got '" + listen + "'");
  }
  std::string host = listen.substr(0, colon);
  int port = std::atoi(listen.c_str() + colon + 1);
  auto& server = impl_->server;
  // Probes are rare; two threads are plenty and keep the agent small.
  server.new_task_queue = [] { return new httplib::ThreadPool(2); };
  server.set_keep_alive_max_count(1);
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"ok"})", "application/json");
  });
  server.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    bool ready = impl_->ready.load();
    res.status = ready ? 200 : 503;
    res.set_content(ready ? R"({"status":"ready"})" : R"({"status":"registering"})",
                    "application/json");
  });
  int bound =
      port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    return unavailable("health_listen: cannot bind " + listen);
  }
  impl_->thread = std::thread([&server] { server.listen_after_bind(); });
  return bound;
}

void HealthServer::stop() {
  if (impl_ && impl_->thread.joinable()) {
    impl_->server.stop();
    impl_->thread.join();
  }
}

}  // namespace corral::agent
