#include "tests/k8s_emulator/connection_control.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <charconv>
#include <filesystem>
#include <string>
#include <thread>

namespace corral::testing::k8s {

namespace {

int portOf(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  }
  return -1;
}

// The accepted socket whose ends are the request's local and remote ports. The library does not
// hand the socket to handlers, but the process's descriptor table has it.
int findSocket(const httplib::Request& request) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", error)) {
    std::string name = entry.path().filename().string();
    int fd = -1;
    std::from_chars(name.data(), name.data() + name.size(), fd);
    if (fd < 0) {
      continue;
    }
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t local_size = sizeof local;
    socklen_t peer_size = sizeof peer;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0 ||
        getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0) {
      continue;
    }
    if (portOf(local) == request.local_port && portOf(peer) == request.remote_port) {
      return fd;
    }
  }
  return -1;
}

}  // namespace

ThreadPerConnection::~ThreadPerConnection() { shutdown(); }

void ThreadPerConnection::enqueue(std::function<void()> fn) {
  {
    std::lock_guard lock(mutex_);
    ++active_;
  }
  std::thread([this, fn = std::move(fn)] {
    fn();
    std::lock_guard lock(mutex_);
    --active_;
    idle_.notify_all();
  }).detach();
}

void ThreadPerConnection::shutdown() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return active_ == 0; });
}

bool dropConnection(const httplib::Request& request) {
  int fd = -1;
  if (request.ssl != nullptr) {
    fd = SSL_get_fd(request.ssl);
  } else {
    fd = findSocket(request);
  }
  if (fd < 0) {
    return false;
  }
  // The library still closes the descriptor; shutting the socket down makes its answer fail.
  return ::shutdown(fd, SHUT_RDWR) == 0;
}

}  // namespace corral::testing::k8s
