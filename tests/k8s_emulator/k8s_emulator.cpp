#include "tests/k8s_emulator/k8s_emulator.h"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>

#include "common/crypto.h"
#include "tests/k8s_emulator/api_router.h"
#include "tests/k8s_emulator/cluster_builder.h"
#include "tests/k8s_emulator/connection_control.h"
#include "tests/k8s_emulator/discovery.h"
#include "tests/k8s_emulator/fault_table.h"
#include "tests/k8s_emulator/object_util.h"
#include "tests/k8s_emulator/recorded_errors.h"

namespace corral::testing {

namespace {

constexpr std::string_view kAdminPrefix = "/__emulator/";
constexpr int kListenBacklog = 1024;

void send(httplib::Response& res, const k8s::Answer& answer) {
  res.status = answer.status;
  res.set_content(answer.body, answer.content_type.c_str());
  if (answer.retry_after_s > 0) {
    res.set_header("Retry-After", std::to_string(answer.retry_after_s));
  }
  if (answer.content_type.rfind("text/plain", 0) == 0 && answer.status >= 400) {
    // http.Error's header, which the priority-and-fairness 429 goes out with.
    res.set_header("X-Content-Type-Options", "nosniff");
  }
}

void sendJson(httplib::Response& res, int status, const Json& body) {
  send(res, k8s::Answer(status, "application/json", body.dump() + "\n"));
}

}  // namespace

struct K8sEmulator::Impl {
  explicit Impl(Options o)
      : options(std::move(o)),
        forbidden(options.forbidden_resources.begin(), options.forbidden_resources.end()) {}

  bool pause(int ms);
  httplib::Server::HandlerResponse beforeRouting(const httplib::Request& req,
                                                 httplib::Response& res);
  void handleAdmin(const httplib::Request& req, httplib::Response& res);
  void handleApi(const httplib::Request& req, httplib::Response& res);
  k8s::Answer faultAnswer(const Fault& fault) const;
  bool authorized(const httplib::Request& req) const;

  Options options;
  std::set<std::string> forbidden;
  std::string fixtures_dir;
  k8s::ObjectStore store;
  k8s::RecordedErrors errors;
  k8s::FaultTable faults;
  bool built = false;
  Status last_error;

  mutable std::mutex log_mutex;
  std::vector<std::string> log;  // guarded by log_mutex

  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  std::atomic<int> listen_fd{-1};
  int port = -1;
  bool tls = false;
  std::atomic<uint64_t> audit_ids{0};

  std::mutex stop_mutex;
  std::condition_variable stop_cv;
  bool stopping = false;  // guarded by stop_mutex
};

bool K8sEmulator::Impl::pause(int ms) {
  std::unique_lock lock(stop_mutex);
  return !stop_cv.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping; });
}

bool K8sEmulator::Impl::authorized(const httplib::Request& req) const {
  if (options.token.empty()) {
    return true;
  }
  std::string header = req.get_header_value("Authorization");
  if (header.empty()) {
    return k8s::isPublicPath(req.path);
  }
  constexpr std::string_view kBearer = "Bearer ";
  return header.rfind(kBearer, 0) == 0 &&
         constantTimeEquals(std::string_view(header).substr(kBearer.size()), options.token);
}

k8s::Answer K8sEmulator::Impl::faultAnswer(const Fault& fault) const {
  k8s::ApiError error;
  if (fault.status == 429 && fault.plain_text_429) {
    error = errors.too_many_plain;
  } else if (fault.status == 500) {
    error = errors.internal;
  } else if (fault.status == 401) {
    error = errors.unauthorized;
  } else {
    error = k8s::faultStatus(fault.status, fault.retry_after_s);
  }
  error.retry_after_s = fault.retry_after_s;
  return k8s::Answer(error);
}

httplib::Server::HandlerResponse K8sEmulator::Impl::beforeRouting(const httplib::Request& req,
                                                                  httplib::Response& res) {
  using HandlerResponse = httplib::Server::HandlerResponse;
  // Admin routes have their own handlers (this one runs before request bodies are read), and no
  // faults, log or token.
  if (req.path.rfind(kAdminPrefix, 0) == 0) {
    return HandlerResponse::Unhandled;
  }
  {
    std::lock_guard lock(log_mutex);
    log.push_back(req.method + " " + req.target);
  }
  if (auto fault = faults.take(req.method, req.path)) {
    if (fault->delay_ms > 0) {
      pause(fault->delay_ms);
    }
    if (fault->drop_connection) {
      k8s::dropConnection(req);
      res.status = 503;  // never arrives: the socket is shut
      return HandlerResponse::Handled;
    }
    if (fault->status != 0) {
      send(res, faultAnswer(*fault));
      return HandlerResponse::Handled;
    }
  }
  if (!authorized(req)) {
    send(res, k8s::Answer(errors.unauthorized));
    return HandlerResponse::Handled;
  }
  return HandlerResponse::Unhandled;
}

void K8sEmulator::Impl::handleAdmin(const httplib::Request& req, httplib::Response& res) {
  std::string what = req.path.substr(kAdminPrefix.size());
  if (what == "faults" && req.method == "POST") {
    auto body = parseJson(req.body);
    if (!body.isOk()) {
      sendJson(res, 400, Json{{"error", body.status().message()}});
      return;
    }
    std::vector<Fault> added;
    for (const Json& one : body->is_array() ? *body : Json::array({*body})) {
      auto fault = k8s::faultFromJson(one);
      if (!fault.isOk()) {
        sendJson(res, 400, Json{{"error", fault.status().message()}});
        return;
      }
      added.push_back(*fault);
    }
    for (Fault& fault : added) {
      faults.add(std::move(fault));
    }
    sendJson(res, 200, Json{{"added", added.size()}});
  } else if (what == "faults" && req.method == "DELETE") {
    faults.clear();
    sendJson(res, 200, Json::object());
  } else if (what == "expire-continue" && req.method == "POST") {
    store.compact();
    sendJson(res, 200, Json{{"resourceVersion", std::to_string(store.resourceVersion())}});
  } else if (what == "requests" && req.method == "GET") {
    std::lock_guard lock(log_mutex);
    sendJson(res, 200, Json(log));
  } else if (what == "requests" && req.method == "DELETE") {
    std::lock_guard lock(log_mutex);
    log.clear();
    sendJson(res, 200, Json::object());
  } else {
    sendJson(res, 404, Json{{"error", "no admin route " + req.method + " " + req.path}});
  }
}

void K8sEmulator::Impl::handleApi(const httplib::Request& req, httplib::Response& res) {
  k8s::ApiRequest request;
  // HEAD is a GET whose body the library leaves out.
  request.method = req.method == "HEAD" ? "GET" : req.method;
  request.path = req.path;
  request.params = req.params;
  request.content_type = req.get_header_value("Content-Type");
  request.body = req.body;
  k8s::RouterContext context{store, errors, fixtures_dir, options.host + ":" + std::to_string(port),
                             forbidden};
  send(res, k8s::routeApiRequest(context, request));
}

K8sEmulator::K8sEmulator(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}

K8sEmulator::~K8sEmulator() { stop(); }

int K8sEmulator::start() {
  Impl& s = *impl_;
  if (s.server) {
    return s.port;
  }
  auto fail = [&s](Status status) {
    s.last_error = std::move(status);
    s.server.reset();
    return -1;
  };
  // A dropped or abandoned connection makes the next write raise SIGPIPE, which would end the
  // whole test process.
  std::signal(SIGPIPE, SIG_IGN);
  s.fixtures_dir = s.options.fixtures_dir.empty() ? std::string(CORRAL_K8S_FIXTURES_DIR)
                                                  : s.options.fixtures_dir;
  if (!s.built) {
    auto errors = k8s::loadRecordedErrors(s.fixtures_dir);
    if (!errors.isOk()) {
      return fail(errors.status());
    }
    s.errors = *errors;
    Status built = k8s::buildCluster(s.fixtures_dir, s.options.pods, s.store);
    if (!built.isOk()) {
      return fail(built);
    }
    s.built = true;
  }

  s.tls = !s.options.tls_cert_file.empty() || !s.options.tls_key_file.empty();
  if (s.tls) {
    if (s.options.tls_cert_file.empty() || s.options.tls_key_file.empty()) {
      return fail(invalidArgument("TLS needs both a certificate file and a key file"));
    }
    auto server = std::make_unique<httplib::SSLServer>(s.options.tls_cert_file.c_str(),
                                                       s.options.tls_key_file.c_str());
    if (!server->is_valid()) {
      return fail(invalidArgument("cannot load the TLS certificate '" + s.options.tls_cert_file +
                                  "' or key '" + s.options.tls_key_file + "'"));
    }
    s.server = std::move(server);
  } else {
    s.server = std::make_unique<httplib::Server>();
  }
  httplib::Server& server = *s.server;
  server.new_task_queue = [] { return new k8s::ThreadPerConnection(); };
  // Idle kept-alive connections hold stop() for at most this long.
  server.set_keep_alive_timeout(2);
  server.set_keep_alive_max_count(1000);
  server.set_payload_max_length(64 * 1024 * 1024);
  server.set_socket_options([&s](int fd) {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    s.listen_fd = fd;
  });
  server.set_pre_routing_handler([&s](const httplib::Request& req, httplib::Response& res) {
    return s.beforeRouting(req, res);
  });
  auto admin = [&s](const httplib::Request& req, httplib::Response& res) {
    s.handleAdmin(req, res);
  };
  const std::string admin_paths = std::string(kAdminPrefix) + ".*";
  server.Get(admin_paths, admin);
  server.Post(admin_paths, admin);
  server.Delete(admin_paths, admin);
  auto api = [&s](const httplib::Request& req, httplib::Response& res) { s.handleApi(req, res); };
  server.Get(".*", api);
  server.Post(".*", api);
  server.Put(".*", api);
  server.Patch(".*", api);
  server.Delete(".*", api);
  server.set_post_routing_handler([&s](const httplib::Request&, httplib::Response& res) {
    // The headers every answer of a real API server carries.
    res.set_header("Audit-Id", k8s::uidFor(std::to_string(s.audit_ids++)));
    res.set_header("Cache-Control", "no-cache, private");
  });
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) -> httplib::Server::HandlerResponse {
        if (!res.body.empty()) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        int code = res.status;
        send(res, k8s::Answer(k8s::faultStatus(code, 0)));
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, const std::exception_ptr& ep) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        send(res, k8s::Answer(k8s::statusError(500, "InternalError",
                                               "the Kubernetes API emulator failed: " + what)));
      });

  if (s.options.port == 0) {
    s.port = server.bind_to_any_port(s.options.host);
    if (s.port <= 0) {
      return fail(unavailable("cannot bind to " + s.options.host + " on any port"));
    }
  } else {
    if (!server.bind_to_port(s.options.host, s.options.port)) {
      return fail(
          unavailable("cannot bind to " + s.options.host + ":" + std::to_string(s.options.port)));
    }
    s.port = s.options.port;
  }
  // The library listens with a backlog of 5; a benchmark's burst of connections needs more.
  if (s.listen_fd >= 0) {
    ::listen(s.listen_fd, kListenBacklog);
  }
  {
    std::lock_guard lock(s.stop_mutex);
    s.stopping = false;
  }
  s.thread = std::thread([&server] { server.listen_after_bind(); });
  s.last_error = Status::ok();
  return s.port;
}

void K8sEmulator::stop() {
  Impl& s = *impl_;
  if (!s.server) {
    return;
  }
  {
    std::lock_guard lock(s.stop_mutex);
    s.stopping = true;
  }
  s.stop_cv.notify_all();
  s.server->stop();
  if (s.thread.joinable()) {
    s.thread.join();
  }
  s.server.reset();
}

const Status& K8sEmulator::lastError() const { return impl_->last_error; }

int K8sEmulator::port() const { return impl_->port; }

std::string K8sEmulator::baseUrl() const {
  return std::string(impl_->tls ? "https://" : "http://") + impl_->options.host + ":" +
         std::to_string(impl_->port);
}

void K8sEmulator::injectFault(Fault fault) { impl_->faults.add(std::move(fault)); }

void K8sEmulator::clearFaults() { impl_->faults.clear(); }

void K8sEmulator::expireContinueTokens() { impl_->store.compact(); }

std::vector<std::string> K8sEmulator::requestLog() const {
  std::lock_guard lock(impl_->log_mutex);
  return impl_->log;
}

void K8sEmulator::clearRequestLog() {
  std::lock_guard lock(impl_->log_mutex);
  impl_->log.clear();
}

std::optional<Json> K8sEmulator::object(const std::string& resource, const std::string& ns,
                                        const std::string& name) const {
  const k8s::ResourceType* type = k8s::findResourceType(resource);
  if (type == nullptr) {
    return std::nullopt;
  }
  auto stored = impl_->store.get(*type, ns, name);
  if (!stored) {
    return std::nullopt;
  }
  Json result(*stored);
  result["kind"] = type->kind;
  result["apiVersion"] = type->apiVersion();
  return result;
}

std::optional<int64_t> K8sEmulator::replicas(const std::string& resource, const std::string& ns,
                                             const std::string& name) const {
  auto found = object(resource, ns, name);
  if (!found || !found->contains("spec") || !(*found)["spec"].contains("replicas") ||
      !(*found)["spec"]["replicas"].is_number_integer()) {
    return std::nullopt;
  }
  return (*found)["spec"]["replicas"].get<int64_t>();
}

size_t K8sEmulator::count(const std::string& resource, const std::string& ns) const {
  const k8s::ResourceType* type = k8s::findResourceType(resource);
  return type == nullptr ? 0 : impl_->store.count(*type, ns);
}

Status K8sEmulator::putObject(const std::string& resource, const Json& object) {
  const k8s::ResourceType* type = k8s::findResourceType(resource);
  if (type == nullptr) {
    return invalidArgument("the emulator serves no resource '" + resource + "'");
  }
  k8s::Object stored(object);
  if (!stored.is_object() || k8s::stringField(stored, {"metadata", "name"}).empty()) {
    return invalidArgument("an object needs metadata.name");
  }
  if (type->namespaced && k8s::stringField(stored, {"metadata", "namespace"}).empty()) {
    return invalidArgument("a " + std::string(type->kind) + " needs metadata.namespace");
  }
  stored.erase("kind");
  stored.erase("apiVersion");
  impl_->store.put(*type, std::move(stored));
  return Status::ok();
}

int64_t K8sEmulator::resourceVersion() const { return impl_->store.resourceVersion(); }

}  // namespace corral::testing
