// corral-master: wires configuration, store, services and the HTTP API, then waits for a signal.
//
//   corral-master [serve] [--config FILE] [--data-dir DIR] [--listen HOST:PORT]
//   corral-master token create --role admin|operator|viewer [--name NAME] [--data-dir DIR]
//                              [--config FILE] [--expires-in SECONDS]

#include <csignal>

#include <cstdio>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"
#include "common/system_clock.h"
#include "master/api/api_server.h"
#include "master/auth/token_service.h"
#include "master/bootstrap.h"
#include "master/config/master_config.h"
#include "master/fleet/fleet_service.h"
#include "master/monitor/liveness_monitor.h"
#include "master/queue/durable_command_queue.h"
#include "master/queue/wait_set.h"
#include "master/scheduling/agent_selector.h"
#include "master/snapshots/snapshot_service.h"
#include "master/store/sqlite_store.h"
#include "spdlog/spdlog.h"

namespace {

using namespace corral;
using namespace corral::master;

constexpr const char* kUsage =
    "usage: corral-master [serve] [--config FILE] [--data-dir DIR] [--listen HOST:PORT]\n"
    "       corral-master token create --role admin|operator|viewer [--name NAME]\n"
    "                     [--expires-in SECONDS] [--data-dir DIR] [--config FILE]\n";

struct Args {
  std::vector<std::string> words;
  std::map<std::string, std::string> flags;
};

Result<Args> parseArgs(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h" || a == "--version") {
      args.flags[a] = "";
      continue;
    }
    if (a.rfind("--", 0) == 0) {
      auto eq = a.find('=');
      if (eq != std::string::npos) {
        args.flags[a.substr(0, eq)] = a.substr(eq + 1);
      } else if (i + 1 < argc) {
        args.flags[a] = argv[++i];
      } else {
        return invalidArgument("flag " + a + " needs a value");
      }
    } else {
      args.words.push_back(a);
    }
  }
  static const std::vector<std::string> kKnown = {"--config", "--data-dir", "--listen",
                                                  "--role",   "--name",     "--expires-in",
                                                  "--help",   "-h",         "--version"};
  for (const auto& [flag, value] : args.flags) {
    if (std::find(kKnown.begin(), kKnown.end(), flag) == kKnown.end()) {
      return invalidArgument("unknown flag " + flag);
    }
  }
  return args;
}

Result<MasterConfig> configFrom(const Args& args) {
  auto it = args.flags.find("--config");
  auto config = loadMasterConfig(it == args.flags.end() ? "" : it->second);
  if (!config.isOk()) {
    return config;
  }
  if (auto d = args.flags.find("--data-dir"); d != args.flags.end()) {
    config->data_dir = d->second;
  }
  if (auto l = args.flags.find("--listen"); l != args.flags.end()) {
    std::string host;
    int port = 0;
    CORRAL_RETURN_IF_ERROR(splitHostPort(l->second, "flag --listen", host, port));
    config->listen = l->second;
  }
  return config;
}

Result<std::unique_ptr<SqliteStore>> openStore(const MasterConfig& config) {
  CORRAL_RETURN_IF_ERROR(ensureDataDir(config.data_dir));
  SqliteOptions options;
  options.path = config.data_dir + "/corral.db";
  options.synchronous = config.synchronous;
  return SqliteStore::open(options);
}

int fail(const Status& status) {
  std::fprintf(stderr, "corral-master: %s\n", status.message().c_str());
  return 2;
}

int createToken(const Args& args) {
  auto config = configFrom(args);
  if (!config.isOk()) {
    return fail(config.status());
  }
  auto role_flag = args.flags.find("--role");
  auto role = role_flag == args.flags.end() ? std::nullopt : parseRole(role_flag->second);
  if (!role) {
    return fail(invalidArgument("token create needs --role admin, operator or viewer"));
  }
  auto store = openStore(*config);
  if (!store.isOk()) {
    return fail(store.status());
  }
  SystemClock clock;
  TokenService tokens(**store, clock);
  TokenSpec spec;
  spec.role = *role;
  if (auto n = args.flags.find("--name"); n != args.flags.end()) {
    spec.name = n->second;
  }
  if (auto e = args.flags.find("--expires-in"); e != args.flags.end()) {
    char* end = nullptr;
    long long seconds = std::strtoll(e->second.c_str(), &end, 10);
    if (end == e->second.c_str() || *end != '\0' || seconds <= 0) {
      return fail(invalidArgument("--expires-in expects a positive number of seconds"));
    }
    spec.expires_at = toUnixMillis(clock.wallNow()) + seconds * 1000;
  }
  auto issued = tokens.create(TokenKind::kOperator, spec, Actor{"cli", ""});
  if (!issued.isOk()) {
    return fail(issued.status());
  }
  std::cout << issued->secret << std::endl;
  std::cerr << "corral-master: created " << roleName(*role) << " token " << issued->token.id
            << "; the secret above is shown only once\n";
  return 0;
}

int serve(const Args& args) {
  auto config = configFrom(args);
  if (!config.isOk()) {
    return fail(config.status());
  }
  Status logging = initLogging(config->log_level, config->log_file);
  if (!logging.isOk()) {
    return fail(logging);
  }
  // Signals are taken synchronously by this thread; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto store = openStore(*config);
  if (!store.isOk()) {
    return fail(store.status());
  }
  spdlog::info("store {}/corral.db at schema version {}", config->data_dir,
               (*store)->schemaVersion());

  SystemClock clock;
  WaitSet waits;
  std::mt19937_64 rng{std::random_device{}()};
  std::mutex rng_mutex;
  AgentSelector selector([&] {
    std::lock_guard lock(rng_mutex);
    return rng();
  });
  QueueOptions queue_options;
  queue_options.lease_grace = config->lease_grace;
  queue_options.default_deadline = config->default_deadline;
  queue_options.default_timeout_s = static_cast<int>(config->default_timeout.count() / 1000);
  queue_options.default_max_attempts = config->max_attempts;
  DurableCommandQueue queue(**store, clock, waits, selector, queue_options);
  TokenService tokens(**store, clock);
  FleetOptions fleet_options;
  fleet_options.heartbeat_interval_s = static_cast<int>(config->heartbeat_interval.count() / 1000);
  fleet_options.poll_wait_s = static_cast<int>(config->poll_wait.count() / 1000);
  fleet_options.snapshot_interval_s = static_cast<int>(config->snapshot_interval.count() / 1000);
  fleet_options.offline_after = config->offline_after;
  FleetService fleet(**store, clock, queue, waits, fleet_options);
  SnapshotOptions snapshot_options;
  snapshot_options.max_bytes = static_cast<size_t>(config->snapshot_max_bytes);
  SnapshotService snapshots(**store, clock, snapshot_options);

  auto admin = bootstrapAdminToken(**store, tokens, config->data_dir);
  if (!admin.isOk()) {
    return fail(admin.status());
  }
  if (!admin->empty()) {
    std::cout << "corral-master: first start; admin token (also in " << config->data_dir
              << "/admin.token, shown once):\n"
              << *admin << std::endl;
  }

  ApiOptions api_options;
  Status listen = splitHostPort(config->listen, "listen", api_options.host, api_options.port);
  if (!listen.isOk()) {
    return fail(listen);
  }
  api_options.tls_cert_file = config->tls_cert_file;
  api_options.tls_key_file = config->tls_key_file;
  api_options.max_body_bytes = static_cast<size_t>(config->max_body_bytes);
  api_options.snapshot_max_compressed_bytes =
      static_cast<size_t>(config->snapshot_max_compressed_bytes);
  api_options.max_connections = config->max_connections;
  api_options.listen_backlog = config->listen_backlog;
  api_options.read_timeout = std::chrono::duration_cast<std::chrono::seconds>(config->read_timeout);
  api_options.max_poll_wait_s = static_cast<int>(config->max_poll_wait.count() / 1000);
  api_options.default_poll_wait_s = fleet_options.poll_wait_s;
  ApiServer api(api_options,
                ApiDependencies{fleet, queue, tokens, **store, waits, clock, snapshots});
  auto port = api.start();
  if (!port.isOk()) {
    return fail(port.status());
  }
  bool tls = !config->tls_cert_file.empty();
  std::cout << "corral-master: listening on " << (tls ? "https" : "http") << "://"
            << api_options.host << ":" << *port << std::endl;

  LivenessMonitor monitor(fleet, queue, clock, config->monitor_interval);
  std::thread monitor_thread([&] { monitor.run(); });

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("signal {}: shutting down", signal_number);
  clock.interrupt();
  monitor_thread.join();
  api.stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto args = parseArgs(argc, argv);
  if (!args.isOk()) {
    std::fprintf(stderr, "corral-master: %s\n%s", args.status().message().c_str(), kUsage);
    return 2;
  }
  if (args->flags.count("--help") || args->flags.count("-h")) {
    std::cout << kUsage;
    return 0;
  }
  if (args->flags.count("--version")) {
    std::cout << "corral-master " << CORRAL_VERSION << "\n";
    return 0;
  }
  const auto& words = args->words;
  if (words.empty() || (words.size() == 1 && words[0] == "serve")) {
    return serve(*args);
  }
  if (words.size() == 2 && words[0] == "token" && words[1] == "create") {
    return createToken(*args);
  }
  std::fprintf(stderr, "corral-master: unknown command\n%s", kUsage);
  return 2;
}
