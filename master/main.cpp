// corral-master: wires configuration, store, services and the HTTP API, then waits for a signal.
//
//   corral-master [serve] [--config FILE] [--data-dir DIR] [--listen HOST:PORT]
//   corral-master token create --role admin|operator|viewer [--name NAME] [--data-dir DIR]
//                              [--config FILE] [--expires-in SECONDS]

#include <malloc.h>

#include <csignal>

#include <cstdio>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/http_transport.h"
#include "common/log.h"
#include "common/system_clock.h"
#include "master/alerts/alert_service.h"
#include "master/alerts/event_stream_notifier.h"
#include "master/alerts/rule_set.h"
#include "master/alerts/snapshot_feed.h"
#include "master/alerts/webhook_notifier.h"
#include "master/api/api_server.h"
#include "master/auth/token_service.h"
#include "master/bootstrap.h"
#include "master/config/master_config.h"
#include "master/dashboard/embedded_asset_catalog.h"
#include "master/events/alert_events.h"
#include "master/events/event_sources.h"
#include "master/events/ring_event_bus.h"
#include "master/fleet/fleet_service.h"
#include "master/inventory/cluster_inventory.h"
#include "master/metrics/master_metrics.h"
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

// Allocations from this size up get a mapping of their own (see serve()).
constexpr int kLargeAllocationBytes = 1 << 20;

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
  // Snapshots come and go as buffers of megabytes. glibc would raise its mmap threshold to the
  // size of the first such buffer freed and serve the next ones from its heaps, which keep freed
  // memory: resident memory would grow by a snapshot's size per upload thread. A fixed threshold
  // keeps large buffers in their own mappings, returned to the system when freed.
  mallopt(M_MMAP_THRESHOLD, kLargeAllocationBytes);
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
  MasterMetrics metrics(**store, waits, clock, CORRAL_VERSION);
  RingOptions ring_options;
  ring_options.retain = static_cast<size_t>(config->events_retain);
  ring_options.retain_for = config->events_retain_for;
  // Event ids continue from the wall clock (a thousand per millisecond), so that they also grow
  // across restarts and a dashboard resuming from an earlier run is told to reload.
  ring_options.start_after = toUnixMillis(clock.wallNow()) * 1000;
  RingEventBus events(clock, ring_options);
  EventSources event_sources(events, clock);
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
  DurableCommandQueue queue(**store, clock, waits, selector, queue_options, &metrics.dispatch(),
                            &event_sources, &event_sources);
  TokenService tokens(**store, clock);
  FleetOptions fleet_options;
  fleet_options.heartbeat_interval_s = static_cast<int>(config->heartbeat_interval.count() / 1000);
  fleet_options.poll_wait_s = static_cast<int>(config->poll_wait.count() / 1000);
  fleet_options.snapshot_interval_s = static_cast<int>(config->snapshot_interval.count() / 1000);
  fleet_options.offline_after = config->offline_after;
  FleetService fleet(**store, clock, queue, waits, fleet_options, &event_sources, &event_sources);
  SnapshotOptions snapshot_options;
  snapshot_options.max_bytes = static_cast<size_t>(config->snapshot_max_bytes);
  snapshot_options.history_retention = config->snapshot_history_retention;
  ClusterInventory inventory;

  // Alerts: snapshot rules fed by the inventory (off the upload threads), liveness rules by the
  // monitor's tick; changes go to the event stream and, when configured, the webhook.
  BusAlertPublisher alert_events(events);
  EventStreamNotifier alert_stream(alert_events);
  std::vector<AlertNotifier*> alert_notifiers{&alert_stream};
  std::unique_ptr<HttpTransport> webhook_transport;
  std::unique_ptr<WebhookNotifier> webhook;
  if (!config->alerts.webhook.url.empty()) {
    TransportOptions transport_options;
    transport_options.tls.ca_file = config->alerts.webhook.ca_file;
    auto transport = makeCurlTransport(transport_options);
    if (!transport.isOk()) {
      return fail(invalidArgument("key 'alerts.webhook.ca_file': " + transport.status().message()));
    }
    webhook_transport = std::move(*transport);
    webhook =
        std::make_unique<WebhookNotifier>(config->alerts.webhook, *webhook_transport, clock, [&] {
          std::lock_guard lock(rng_mutex);
          return rng();
        });
    alert_notifiers.push_back(webhook.get());
  }
  AlertServiceOptions alert_options;
  alert_options.retention = config->alerts.retention;
  AlertService alerts(**store, clock, makeAlertRules(config->alerts), alert_options,
                      alert_notifiers);
  Status alerts_started = alerts.start();
  if (!alerts_started.isOk()) {
    return fail(alerts_started);
  }
  metrics.alerts().setSource([&alerts]() -> Result<std::vector<FiringAlerts>> {
    std::vector<FiringAlerts> out;
    for (const FiringCount& c : alerts.firingCounts()) {
      out.push_back({c.rule, c.severity, c.count});
    }
    return out;
  });
  SnapshotAlertFeed alert_feed(alerts);
  int alert_listener = inventory.subscribe(
      [&alert_feed](const std::shared_ptr<const ClusterIndex>& now,
                    const std::shared_ptr<const ClusterIndex>&) { alert_feed.push(now); });
  alert_feed.start();
  if (webhook) {
    webhook->start();
  }
  SnapshotService snapshots(**store, clock, snapshot_options, &metrics.snapshots(), &event_sources,
                            &event_sources, &inventory);
  // Before serving: a restarted master answers cluster queries from its first request.
  auto loaded = snapshots.loadInventory();
  if (!loaded.isOk()) {
    return fail(loaded.status());
  }
  spdlog::info("indexed the latest snapshot of {} cluster(s)", *loaded);

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
  api_options.metrics_require_token = config->metrics_require_token;
  api_options.max_streams = config->max_streams;
  api_options.stream_keepalive = config->events_keepalive;
  ApiDependencies api_deps{
      fleet, queue, tokens, **store, waits, clock, snapshots, &metrics.registry(), &metrics.http()};
  api_deps.events = &events;
  api_deps.inventory = &inventory;
  api_deps.alerts = &alerts;
  EmbeddedAssetCatalog dashboard;
  api_deps.dashboard = &dashboard;
  ApiServer api(api_options, api_deps);
  auto port = api.start();
  if (!port.isOk()) {
    return fail(port.status());
  }
  bool tls = !config->tls_cert_file.empty();
  std::cout << "corral-master: listening on " << (tls ? "https" : "http") << "://"
            << api_options.host << ":" << *port << std::endl;

  LivenessMonitor monitor(fleet, queue, clock, config->monitor_interval, [&alerts] {
    auto evaluated = alerts.evaluateLiveness();
    if (!evaluated.isOk()) {
      spdlog::warn("alerts: liveness not evaluated: {}", evaluated.status().message());
    }
  });
  std::thread monitor_thread([&] { monitor.run(); });

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("signal {}: shutting down", signal_number);
  clock.interrupt();
  monitor_thread.join();
  api.stop();
  // The clock is interrupted, so a webhook waiting out a backoff stops at once.
  inventory.unsubscribe(alert_listener);
  alert_feed.stop();
  if (webhook) {
    webhook->stop();
  }
  metrics.alerts().setSource({});
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
