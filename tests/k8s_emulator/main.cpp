// corral-k8s-emulator: the Kubernetes API emulator as a process, for the agent's end-to-end test
// and benchmarks. Prints one line when it answers, stops on SIGTERM or SIGINT.

#include <pthread.h>
#include <signal.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/k8s_emulator/k8s_emulator.h"

namespace {

using corral::testing::K8sEmulator;

constexpr const char* kUsage =
    "usage: corral-k8s-emulator [--listen HOST:PORT] [--fixtures DIR] [--token T | --token-file "
    "F]\n"
    "                           [--tls-cert F --tls-key F [--tls-ca F]] [--pods N]\n"
    "                           [--kubeconfig-out FILE]\n"
    "\n"
    "  --listen HOST:PORT     address to answer on (default 127.0.0.1:0, any free port)\n"
    "  --fixtures DIR         recorded API data (default: the source tree's tests/fixtures/k8s)\n"
    "  --token T              bearer token every request must carry (default: none)\n"
    "  --token-file F         the token, read from a file\n"
    "  --tls-cert F, --tls-key F  serve HTTPS with this certificate and key\n"
    "  --tls-ca F             CA named in the kubeconfig (without it: insecure-skip-tls-verify)\n"
    "  --pods N               multiply the recorded pods to N, with other kinds in proportion\n"
    "  --kubeconfig-out FILE  write a kubeconfig for this server before it reports ready\n";

struct Args {
  K8sEmulator::Options options;
  std::string tls_ca;
  std::string kubeconfig_out;
};

int usageError(const std::string& message) {
  std::cerr << "corral-k8s-emulator: " << message << "\n" << kUsage;
  return 2;
}

bool parseInt(const std::string& text, int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Returns an exit code when the arguments are not usable, or -1.
int parseArgs(int argc, char** argv, Args& args) {
  std::vector<std::string> list(argv + 1, argv + argc);
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string& flag = list[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (i + 1 >= list.size()) {
      return usageError("unknown flag or missing value: " + flag);
    }
    const std::string& value = list[++i];
    if (flag == "--listen") {
      auto colon = value.rfind(':');
      if (colon == std::string::npos || !parseInt(value.substr(colon + 1), args.options.port) ||
          args.options.port < 0) {
        return usageError("--listen wants HOST:PORT, got '" + value + "'");
      }
      args.options.host = value.substr(0, colon);
    } else if (flag == "--fixtures") {
      args.options.fixtures_dir = value;
    } else if (flag == "--token") {
      args.options.token = value;
    } else if (flag == "--token-file") {
      std::ifstream in(value);
      std::stringstream text;
      text << in.rdbuf();
      if (!in) {
        return usageError("cannot read the token file " + value);
      }
      std::string token = text.str();
      while (!token.empty() &&
             (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
        token.pop_back();
      }
      args.options.token = token;
    } else if (flag == "--tls-cert") {
      args.options.tls_cert_file = value;
    } else if (flag == "--tls-key") {
      args.options.tls_key_file = value;
    } else if (flag == "--tls-ca") {
      args.tls_ca = value;
    } else if (flag == "--pods") {
      if (!parseInt(value, args.options.pods) || args.options.pods < 0) {
        return usageError("--pods wants a count, got '" + value + "'");
      }
    } else if (flag == "--kubeconfig-out") {
      args.kubeconfig_out = value;
    } else {
      return usageError("unknown flag " + flag);
    }
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  int code = parseArgs(argc, argv, args);
  if (code >= 0) {
    return code;
  }
  // Signals are taken by this thread with sigwait; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  K8sEmulator emulator(args.options);
  if (emulator.start() < 0) {
    std::cerr << "corral-k8s-emulator: " << emulator.lastError().message() << "\n";
    return 1;
  }
  if (!args.kubeconfig_out.empty()) {
    auto written = corral::testing::writeKubeconfig(args.kubeconfig_out, emulator.baseUrl(),
                                                    args.options.token, args.tls_ca);
    if (!written.isOk()) {
      std::cerr << "corral-k8s-emulator: " << written.message() << "\n";
      return 1;
    }
  }
  std::cout << "k8s-emulator listening on " << emulator.baseUrl() << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  emulator.stop();
  return 0;
}
