// The libcurl transport against a cpp-httplib server on a loopback port chosen by the kernel.

#include <httplib.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/http_transport.h"
#include "tests/support/temp_dir.h"

extern char** environ;  // NOLINT(readability-identifier-naming): POSIX's name

namespace corral {

namespace {

using testing::TempDir;

// Counts the connections the server accepts: httplib hands each one to its task queue.
class CountingTaskQueue final : public httplib::TaskQueue {
 public:
  explicit CountingTaskQueue(std::atomic<int>& accepted) : pool_(8), accepted_(accepted) {}
  void enqueue(std::function<void()> fn) override {
    ++accepted_;
    pool_.enqueue(std::move(fn));
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
  std::atomic<int>& accepted_;
};

class TestServer {
 public:
  explicit TestServer(std::unique_ptr<httplib::Server> server = std::make_unique<httplib::Server>())
      : server_(std::move(server)) {
    server_->new_task_queue = [this] { return new CountingTaskQueue(accepted_); };
    server_->set_keep_alive_timeout(1);
  }
  ~TestServer() { stop(); }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  httplib::Server& http() { return *server_; }

  void start() {
    port_ = server_->bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_->listen_after_bind(); });
  }

  void stop() {
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
  }

  std::string url(const std::string& path, const std::string& scheme = "http") const {
    return scheme + "://127.0.0.1:" + std::to_string(port_) + path;
  }
  int accepted() const { return accepted_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::atomic<int> accepted_{0};
  std::thread thread_;
  int port_ = 0;
};

// Holds a handler until the test lets it go, without sleeping.
class Gate {
 public:
  void wait() {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, std::chrono::seconds(30), [this] { return open_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

std::unique_ptr<HttpTransport> makeTransport(const TransportOptions& options = {}) {
  Result<std::unique_ptr<HttpTransport>> transport = makeCurlTransport(options);
  REQUIRE(transport.isOk());
  return std::move(*transport);
}

std::string readAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs the openssl command (found on PATH) with its output thrown away.
void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> raw;
  raw.reserve(argv.size() + 1);
  for (std::string& a : argv) {
    raw.push_back(a.data());
  }
  raw.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "openssl", &actions, nullptr, raw.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
}

// A CA, a server certificate for 127.0.0.1, a client certificate, and an unrelated CA: P-256
// keys, made once per test run.
class Certificates {
 public:
  Certificates() {
    makeCa("ca");
    makeCa("stranger-ca");
    makeLeaf("server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    makeLeaf("client", "extendedKeyUsage=clientAuth\n");
  }

  std::string file(const std::string& name) const { return dir_.file(name); }

 private:
  void makeCa(const std::string& name) {
    openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", file(name + ".key"), "-out", file(name + ".crt"), "-days", "2", "-subj",
             "/CN=corral " + name, "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
             "keyUsage=critical,keyCertSign,cRLSign"});
  }

  void makeLeaf(const std::string& name, const std::string& extensions) {
    std::ofstream(file(name + ".ext"))
        << "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        << extensions;
    openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", file(name + ".key"), "-out", file(name + ".csr"), "-subj",
             "/CN=corral " + name});
    openssl({"x509", "-req", "-in", file(name + ".csr"), "-CA", file("ca.crt"), "-CAkey",
             file("ca.key"), "-set_serial", std::to_string(++serial_), "-days", "2", "-extfile",
             file(name + ".ext"), "-out", file(name + ".crt")});
  }

  TempDir dir_;
  int serial_ = 1;
};

const Certificates& certificates() {
  static const Certificates certs;
  return certs;
}

// A port that refuses connections: bound, so nobody else gets it, but not listening.
class ClosedPort {
 public:
  ClosedPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
  }
  ~ClosedPort() { ::close(fd_); }
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

void addEchoRoutes(httplib::Server& server) {
  auto echo = [](const httplib::Request& req, httplib::Response& res) {
    res.status = 201;
    res.set_header("X-Method", req.method);
    res.set_header("X-Content-Type", req.get_header_value("Content-Type"));
    res.set_header("X-Custom", req.get_header_value("X-Custom"));
    res.set_content(req.body, "text/plain");
  };
  server.Get("/echo", echo);
  server.Post("/echo", echo);
  server.Put("/echo", echo);
  server.Patch("/echo", echo);
  server.Delete("/echo", echo);
  server.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Mixed-Case-Name", "value");
    res.set_content("hello", "text/plain");
  });
}

}  // namespace

TEST_CASE("curl transport returns the status, lower-cased headers and body", "[curl]") {
  TestServer server;
  addEchoRoutes(server.http());
  server.start();
  auto transport = makeTransport();

  HttpRequest request;
  request.url = server.url("/hello");
  Result<HttpResponse> r = transport->send(request);
  REQUIRE(r.isOk());
  CHECK(r->status == 200);
  CHECK(r->body == "hello");
  CHECK(r->headers.count("x-mixed-case-name") == 1);
  CHECK(r->header("x-mixed-case-name") == "value");
  CHECK(r->header("content-type") == "text/plain");
  CHECK(r->header("x-absent").empty());

  request.url = server.url("/nowhere");
  Result<HttpResponse> missing = transport->send(request);
  REQUIRE(missing.isOk());  // any HTTP status is an answer, not an error
  CHECK(missing->status == 404);
}

TEST_CASE("curl transport sends the method, headers and body", "[curl]") {
  TestServer server;
  addEchoRoutes(server.http());
  server.start();
  auto transport = makeTransport();

  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    INFO(method);
    HttpRequest request;
    request.method = method;
    request.url = server.url("/echo");
    request.headers = {{"Content-Type", "application/json"}, {"X-Custom", "abc"}};
    request.body = R"({"method":")" + std::string(method) + R"("})";
    Result<HttpResponse> r = transport->send(request);
    REQUIRE(r.isOk());
    CHECK(r->status == 201);
    CHECK(r->header("x-method") == method);
    CHECK(r->header("x-content-type") == "application/json");
    CHECK(r->header("x-custom") == "abc");
    CHECK(r->body == request.body);
  }

  // A body past curl's 100-continue threshold goes out at once and whole, with no Content-Type
  // the caller did not set.
  HttpRequest big;
  big.method = "POST";
  big.url = server.url("/echo");
  big.body = std::string(2 << 20, 'b');
  Result<HttpResponse> r = transport->send(big);
  REQUIRE(r.isOk());
  CHECK(r->status == 201);
  CHECK(r->body.size() == big.body.size());
  CHECK(r->header("x-content-type").empty());  // not labelled as a form behind the caller's back
}

TEST_CASE("curl transport gives up after the request timeout with kUnavailable", "[curl]") {
  TestServer server;
  Gate gate;
  server.http().Get("/slow", [&gate](const httplib::Request&, httplib::Response& res) {
    gate.wait();
    res.set_content("late", "text/plain");
  });
  server.start();
  auto transport = makeTransport();

  HttpRequest request;
  request.url = server.url("/slow");
  request.timeout = std::chrono::milliseconds(200);
  Result<HttpResponse> r = transport->send(request);
  gate.open();
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().code() == ErrorCode::kUnavailable);
  CHECK_THAT(r.status().message(), Catch::Contains("/slow") && Catch::Contains("timed out"));
}

TEST_CASE("curl transport reports a refused connection as kUnavailable with curl's reason",
          "[curl]") {
  ClosedPort closed;
  auto transport = makeTransport();
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(closed.port()) + "/";
  Result<HttpResponse> r = transport->send(request);
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().code() == ErrorCode::kUnavailable);
  CHECK_THAT(r.status().message(), Catch::Contains("onnect"));
}

TEST_CASE("curl transport opens a connection per request unless reuse is asked for", "[curl]") {
  TestServer server;
  addEchoRoutes(server.http());
  server.start();
  HttpRequest request;
  request.url = server.url("/hello");

  SECTION("reuse_connections = false") {
    auto transport = makeTransport();
    for (int i = 0; i < 3; ++i) {
      REQUIRE(transport->send(request).isOk());
    }
    CHECK(server.accepted() == 3);
  }
  SECTION("reuse_connections = true") {
    TransportOptions options;
    options.reuse_connections = true;
    auto transport = makeTransport(options);
    for (int i = 0; i < 3; ++i) {
      REQUIRE(transport->send(request).isOk());
    }
    CHECK(server.accepted() == 1);
  }
}

TEST_CASE("curl transport may be used from several threads at once", "[curl]") {
  TestServer server;
  addEchoRoutes(server.http());
  server.start();
  TransportOptions options;
  options.reuse_connections = true;
  auto transport = makeTransport(options);

  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        HttpRequest request;
        request.method = "POST";
        request.url = server.url("/echo");
        request.body = std::to_string(t) + "-" + std::to_string(i);
        Result<HttpResponse> r = transport->send(request);
        if (r.isOk() && r->body == request.body) {
          ++ok;
        }
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  CHECK(ok == 40);
}

TEST_CASE("curl transport verifies the server against the configured CA", "[curl][tls]") {
  const Certificates& certs = certificates();
  TestServer server(std::make_unique<httplib::SSLServer>(certs.file("server.crt").c_str(),
                                                         certs.file("server.key").c_str()));
  addEchoRoutes(server.http());
  server.start();
  HttpRequest request;
  request.url = server.url("/hello", "https");

  SECTION("CA file") {
    TransportOptions options;
    options.tls.ca_file = certs.file("ca.crt");
    Result<HttpResponse> r = makeTransport(options)->send(request);
    REQUIRE(r.isOk());
    CHECK(r->body == "hello");
  }
  SECTION("CA given as PEM text") {
    TransportOptions options;
    options.tls.ca_pem = readAll(certs.file("ca.crt"));
    Result<HttpResponse> r = makeTransport(options)->send(request);
    REQUIRE(r.isOk());
    CHECK(r->body == "hello");
  }
  SECTION("a CA that did not sign the server's certificate is refused") {
    TransportOptions options;
    options.tls.ca_file = certs.file("stranger-ca.crt");
    Result<HttpResponse> r = makeTransport(options)->send(request);
    REQUIRE_FALSE(r.isOk());
    CHECK(r.status().code() == ErrorCode::kUnavailable);
    CHECK_THAT(r.status().message(), Catch::Contains("certificate"));
  }
  SECTION("the system's CAs do not know the test CA") {
    Result<HttpResponse> r = makeTransport()->send(request);
    REQUIRE_FALSE(r.isOk());
    CHECK(r.status().code() == ErrorCode::kUnavailable);
  }
  SECTION("insecure_skip_verify accepts any certificate") {
    TransportOptions options;
    options.tls.ca_file = certs.file("stranger-ca.crt");
    options.tls.insecure_skip_verify = true;
    Result<HttpResponse> r = makeTransport(options)->send(request);
    REQUIRE(r.isOk());
    CHECK(r->body == "hello");
  }
}

TEST_CASE("curl transport presents a client certificate from files or PEM text", "[curl][tls]") {
  const Certificates& certs = certificates();
  std::string ca = certs.file("ca.crt");
  TestServer server(std::make_unique<httplib::SSLServer>(
      certs.file("server.crt").c_str(), certs.file("server.key").c_str(), ca.c_str()));
  addEchoRoutes(server.http());
  server.start();
  HttpRequest request;
  request.url = server.url("/hello", "https");
  TransportOptions options;
  options.tls.ca_file = ca;

  SECTION("files") {
    options.tls.client_cert_file = certs.file("client.crt");
    options.tls.client_key_file = certs.file("client.key");
    Result<HttpResponse> r = makeTransport(options)->send(request);
    REQUIRE(r.isOk());
    CHECK(r->status == 200);
  }
  SECTION("PEM text") {
    options.tls.client_cert_pem = readAll(certs.file("client.crt"));
    options.tls.client_key_pem = readAll(certs.file("client.key"));
    Result<HttpResponse> r = makeTransport(options)->send(request);
    REQUIRE(r.isOk());
    CHECK(r->status == 200);
  }
  SECTION("none: the server refuses the handshake") {
    Result<HttpResponse> r = makeTransport(options)->send(request);
    REQUIRE_FALSE(r.isOk());
    CHECK(r.status().code() == ErrorCode::kUnavailable);
  }
}

TEST_CASE("makeCurlTransport fails when a TLS file cannot be read", "[curl][tls]") {
  TempDir dir;
  TransportOptions options;
  options.tls.ca_file = dir.file("missing.crt");
  Result<std::unique_ptr<HttpTransport>> t = makeCurlTransport(options);
  REQUIRE_FALSE(t.isOk());
  CHECK(t.status().code() == ErrorCode::kInvalidArgument);
  CHECK_THAT(t.status().message(), Catch::Contains("missing.crt"));
}

}  // namespace corral
