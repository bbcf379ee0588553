// corral-agent: wires configuration -> SDK -> gateway -> repositories -> services -> schedulers,
// then waits for SIGTERM or SIGINT and stops gracefully.
//
//   corral-agent [--config FILE]     (default /etc/corral/agent.yaml when it exists)

#include <malloc.h>
#include <pthread.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>

#include "agent/config/agent_config.h"
#include "agent/gateway/http_master_gateway.h"
#include "agent/health_server.h"
#include "agent/repository/resource_repository.h"
#include "agent/scheduler/command_scheduler.h"
#include "agent/scheduler/periodic.h"
#include "agent/scheduler/session.h"
#include "agent/sdk/k8s_client_factory.h"
#include "agent/service/execute_service.h"
#include "agent/service/snapshot_service.h"
#include "common/log.h"
#include "common/system_clock.h"
#include "spdlog/spdlog.h"

namespace {

using namespace corral;
using namespace corral::agent;

constexpr const char* kDefaultConfig = "/etc/corral/agent.yaml";
constexpr int kMallocThresholdBytes = 256 * 1024;

int fail(const Status& status) {
  std::fprintf(stderr, "corral-agent: %s\n", status.message().c_str());
  return 2;
}

std::function<uint64_t()> randomSource() {
  auto rng = std::make_shared<std::mt19937_64>(std::random_device{}());
  auto mutex = std::make_shared<std::mutex>();
  return [rng, mutex] {
    std::lock_guard lock(*mutex);
    return (*rng)();
  };
}

int run(const std::string& config_path) {
  auto config = loadAgentConfig(config_path, processEnvironment());
  if (!config.isOk()) {
    return fail(config.status());
  }
  Status logging = initLogging(config->log_level, config->log_file);
  if (!logging.isOk()) {
    return fail(logging);
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  SystemClock clock;
  // SDK: the Kubernetes API.
  auto connection = config->kubernetes.in_cluster
                        ? loadInCluster()
                        : loadKubeconfig(config->kubernetes.kubeconfig, config->kubernetes.context);
  if (!connection.isOk()) {
    return fail(connection.status());
  }
  auto k8s = makeK8sClient(*connection, clock);
  if (!k8s.isOk()) {
    return fail(k8s.status());
  }
  // Gateway: the master, on fresh connections that never linger.
  TransportOptions master_transport;
  master_transport.tls.ca_file = config->ca_file;
  master_transport.reuse_connections = false;
  auto transport = makeCurlTransport(master_transport);
  if (!transport.isOk()) {
    return fail(transport.status());
  }
  GatewayOptions gateway_options;
  gateway_options.server_url = config->server_url;
  HttpMasterGateway gateway(
      **transport, clock,
      Backoff(std::chrono::seconds(1), std::chrono::seconds(60), randomSource()), gateway_options);

  proto::RegisterRequest identity;
  identity.name = config->name;
  identity.type = config->type;
  identity.protocol_version = proto::kProtocolVersion;
  identity.version = CORRAL_VERSION;
  identity.hostname = config->name;
  identity.cluster_id = config->cluster_id;
  identity.labels = config->labels;
  identity.capabilities = config->capabilities;
  identity.capabilities["actions"] = ExecuteService::actions();
  identity.slots = config->slots;
  Session session(gateway, identity, config->enrollment_token, config->state_dir);

  std::atomic<bool> ready{false};
  HealthServer health(ready);
  if (!config->health_listen.empty()) {
    auto port = health.start(config->health_listen);
    if (!port.isOk()) {
      return fail(port.status());
    }
  }
  // Registration retries inside the gateway; a refusal (bad token, name taken) is final.
  Status started = session.start();
  if (!started.isOk()) {
    return fail(started);
  }
  ready = true;
  auto answer = session.intervals();

  // Repositories and services.
  Repositories repositories = makeK8sRepositories(**k8s);
  SnapshotOptions snapshot_options;
  snapshot_options.cluster_id = config->cluster_id;
  snapshot_options.scope.include_namespaces = config->kubernetes.namespaces_include;
  snapshot_options.scope.exclude_namespaces = config->kubernetes.namespaces_exclude;
  snapshot_options.max_in_flight = config->kubernetes.max_in_flight;
  if (!config->kubernetes.kinds.empty()) {
    snapshot_options.kinds.clear();
    for (const auto& name : config->kubernetes.kinds) {
      auto kind = model::parseResourceKind(name);
      if (!kind) {
        return fail(invalidArgument("kubernetes.kinds: unknown kind '" + name + "'"));
      }
      snapshot_options.kinds.push_back(*kind);
    }
  }
  auto snapshots = makeSnapshotService(
      repositories, clock,
      [&] {
        int64_t now_ms = toUnixMillis(clock.wallNow());
        auto version = session.nextSnapshotVersion(now_ms);
        if (!version.isOk()) {
          // Versions stay above the wall clock anyway; only the guard against a clock step back
          // is lost until the state directory is writable again.
          spdlog::warn("snapshot version not kept: {}", version.status().message());
          return now_ms;
        }
        return *version;
      },
      snapshot_options);
  ExecuteService executor(**k8s, clock, config->kubernetes.dynamic_allow);

  // Schedulers.
  Periodic push("snapshot", config->snapshot_interval, [&] {
    if (config->cluster_id.empty()) {
      return;  // a runner host has no cluster to report
    }
    {
      auto snapshot = snapshots->collect();
      auto body = model::gzipEnvelope(snapshot);
      Status pushed = body.isOk() ? gateway.pushSnapshot(std::move(*body)) : body.status();
      if (!pushed.isOk()) {
        spdlog::warn("snapshot {} not delivered: {}", snapshot.version, pushed.message());
      }
    }
    // A large cluster's snapshot passed through tens of megabytes that are all free again; give
    // them back to the system so that the agent stays small until the next snapshot.
    malloc_trim(0);
  });
  int heartbeat_s = answer.heartbeat_interval_s > 0
                        ? answer.heartbeat_interval_s
                        : static_cast<int>(config->heartbeat_interval.count() / 1000);
  int poll_wait_s = static_cast<int>(config->poll_wait.count() / 1000);
  // Set when the credential is lost for good: the agent shuts down as on SIGTERM, then exits 3.
  std::atomic<bool> credential_lost{false};
  auto lose_credential = [&](const Status& why) {
    spdlog::critical("stopping: {}", why.message());
    credential_lost = true;
    ::kill(::getpid(), SIGTERM);  // wakes the sigwait below
  };
  CommandScheduler commands(
      gateway, session, executor, clock,
      Backoff(std::chrono::seconds(1), std::chrono::seconds(30), randomSource()),
      CommandSchedulerOptions{config->slots, poll_wait_s},
      CommandSchedulerHooks{[&] { push.poke(); }, lose_credential});
  Periodic heartbeat("heartbeat", std::chrono::seconds(heartbeat_s), [&] {
    proto::HeartbeatRequest beat;
    beat.slots_total = config->slots;
    beat.running = commands.running();
    beat.slots_used = static_cast<int>(beat.running.size());
    auto response = gateway.heartbeat(beat);
    if (response.isOk()) {
      commands.cancel(response->cancel);
    } else if (response.status().code() == ErrorCode::kUnauthenticated) {
      Status recovered = session.recover();
      if (recovered.code() == ErrorCode::kUnauthenticated && !credential_lost.exchange(true)) {
        lose_credential(recovered);
      }
    }
  });
  push.start();
  heartbeat.start();
  commands.start();
  spdlog::info("corral-agent {} running as {} ({} slots)", CORRAL_VERSION, session.agentId(),
               config->slots);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("signal {}: stopping; running commands get {} ms to finish", signal_number,
               config->shutdown_grace.count());
  commands.stop();
  int left = commands.drain(config->shutdown_grace);
  if (left > 0) {
    spdlog::warn("{} command(s) still running at the end of the grace period", left);
  }
  push.stop();
  heartbeat.stop();
  gateway.stop();  // ends a poll retry in progress
  health.stop();
  int exit_code = credential_lost ? 3 : 0;
  spdlog::info("stopped");
  if (left > 0) {
    // Their threads are still inside a Kubernetes call; there is nothing left to wait for.
    spdlog::default_logger()->flush();
    std::_Exit(exit_code);
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  // A snapshot of a large cluster passes through tens of megabytes in a burst. Left to itself,
  // glibc raises its thresholds after the first large block it frees, and keeps small freed
  // blocks in fast bins that never let a thread's arena shrink, so an idle agent would hold on
  // to the burst. Fixed thresholds and no fast bins give the memory back.
  mallopt(M_MMAP_THRESHOLD, kMallocThresholdBytes);
  mallopt(M_TRIM_THRESHOLD, kMallocThresholdBytes);
  mallopt(M_MXFAST, 0);
  std::string config;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) {
      config = argv[++i];
    } else if (a == "--help" || a == "-h") {
      std::cout << "usage: corral-agent [--config FILE]\n";
      return 0;
    } else if (a == "--version") {
      std::cout << "corral-agent " << CORRAL_VERSION << "\n";
      return 0;
    } else {
      std::fprintf(stderr,
                   "corral-agent: unknown argument %s\nusage: corral-agent [--config FILE]\n",
                   a.c_str());
      return 2;
    }
  }
  if (config.empty() && std::filesystem::exists(kDefaultConfig)) {
    config = kDefaultConfig;
  }
  return run(config);
}
