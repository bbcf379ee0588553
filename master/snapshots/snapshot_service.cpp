#include "master/snapshots/snapshot_service.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "common/gzip.h"
#include "common/json.h"
#include "common/time_format.h"
#include "master/inventory/cluster_inventory.h"
#include "master/inventory/snapshot_parser.h"
#include "proto-json/messages.h"
#include "spdlog/spdlog.h"

namespace corral::master {
namespace {

Status tooLarge(size_t max_bytes) {
  return {ErrorCode::kPayloadTooLarge, "the snapshot is larger than " + std::to_string(max_bytes) +
                                           " bytes uncompressed (snapshots.max_bytes)"};
}

// The checked upload: the row to store (without the agent and the time it arrived) and the index
// of its objects, built on the way.
struct Upload {
  ClusterSnapshot record;
  std::shared_ptr<ClusterIndex> index;
};

// Parses the envelope `json` without a DOM (the inventory's parser: a DOM of a large snapshot
// costs several times its size and most of the ingest time) and checks its fields.
Result<Upload> readEnvelope(std::string json) {
  auto parsed = parseSnapshot(std::move(json));
  if (!parsed.isOk()) {
    return parsed.status();
  }
  auto envelope = proto::decode<proto::SnapshotEnvelope>(parsed->head);
  if (!envelope.isOk()) {
    return envelope.status();
  }
  auto fetched = parseRfc3339(envelope->fetched_at);
  if (!fetched.isOk()) {
    return invalidArgument(
        "field 'fetched_at': expected an RFC 3339 time such as 2026-03-14T09:30:00Z");
  }
  Upload upload;
  ClusterSnapshot& s = upload.record;
  s.cluster_id = envelope->cluster_id;
  s.version = envelope->version;
  s.kind = envelope->kind;
  s.fetched_at = toUnixMillis(*fetched);
  s.summary = envelope->summary.is_object() ? envelope->summary : Json::object();
  s.errors = envelope->errors.is_object() ? envelope->errors : Json::object();
  upload.index = std::move(parsed->index);
  return upload;
}

Result<Upload> readUpload(std::string_view body, BodyEncoding encoding, size_t max_bytes) {
  if (encoding == BodyEncoding::kGzip) {
    auto inflated = gzipDecompress(body, max_bytes);
    if (!inflated.isOk()) {
      if (inflated.status().code() == ErrorCode::kPayloadTooLarge) {
        return tooLarge(max_bytes);
      }
      return inflated.status();  // kBadRequest for corrupt data, naming what is wrong
    }
    int64_t size = static_cast<int64_t>(inflated->size());
    auto upload = readEnvelope(std::move(*inflated));
    if (!upload.isOk()) {
      return upload.status();
    }
    upload->record.size_bytes = size;
    // Already compressed and just proven to inflate within the bound: keep it as it came.
    upload->record.body = std::string(body);
    upload->record.stored_bytes = static_cast<int64_t>(body.size());
    return upload;
  }
  if (body.size() > max_bytes) {
    return tooLarge(max_bytes);
  }
  // Compressed before parsing, which may compact the text the index keeps: the stored body is
  // what the agent sent.
  auto compressed = gzipCompress(body);
  if (!compressed.isOk()) {
    return compressed.status();
  }
  auto upload = readEnvelope(std::string(body));
  if (!upload.isOk()) {
    return upload.status();
  }
  upload->record.size_bytes = static_cast<int64_t>(body.size());
  upload->record.body = std::move(*compressed);
  upload->record.stored_bytes = static_cast<int64_t>(upload->record.body.size());
  return upload;
}

// The index's description of the snapshot: the stored row without its body.
SnapshotInfo infoOf(const ClusterSnapshot& s) {
  SnapshotInfo info;
  info.cluster_id = s.cluster_id;
  info.agent_id = s.agent_id;
  info.version = s.version;
  info.kind = s.kind;
  info.fetched_at = s.fetched_at;
  info.received_at = s.received_at;
  info.summary = s.summary;
  info.errors = s.errors;
  info.size_bytes = s.size_bytes;
  info.stored_bytes = s.stored_bytes;
  return info;
}

// An agent registered for a cluster speaks only for that cluster; an agent registered without
// one may not speak for a cluster that agents are registered to serve.
Status checkCluster(StoreTx& tx, const Agent& agent, const std::string& cluster_id) {
  if (!agent.cluster_id.empty()) {
    if (agent.cluster_id != cluster_id) {
      return permissionDenied("agent '" + agent.id + "' is registered for cluster '" +
                              agent.cluster_id + "' and may not send snapshots of cluster '" +
                              cluster_id + "'");
    }
    return Status::ok();
  }
  AgentFilter filter;
  filter.cluster_id = cluster_id;
  auto serving = tx.agents().list(filter, Page{"", 1});
  if (!serving.isOk()) {
    return serving.status();
  }
  if (!serving->empty()) {
    return permissionDenied("cluster '" + cluster_id + "' is served by agents registered for it; " +
                            "agent '" + agent.id + "' is not one of them");
  }
  return Status::ok();
}

}  // namespace

SnapshotService::SnapshotService(Store& store, Clock& clock, SnapshotOptions options,
                                 SnapshotIngestObserver* observer, SnapshotObserver* stored,
                                 AgentObserver* agents, ClusterInventory* inventory)
    : store_(store),
      clock_(clock),
      options_(options),
      observer_(observer),
      stored_(stored),
      agents_(agents),
      inventory_(inventory) {}

Result<SnapshotReceipt> SnapshotService::ingest(const std::string& agent_id, std::string_view body,
                                                BodyEncoding encoding) {
  SteadyTime start = clock_.now();
  SnapshotIngest report;
  auto receipt = storeUpload(agent_id, body, encoding, report);
  if (observer_ != nullptr) {
    report.stored = receipt.isOk();
    report.duration = clock_.now() - start;
    observer_->snapshotIngested(report);
  }
  return receipt;
}

Result<SnapshotReceipt> SnapshotService::storeUpload(const std::string& agent_id,
                                                     std::string_view body, BodyEncoding encoding,
                                                     SnapshotIngest& report) {
  // Inflating, parsing and compressing happen here, on the caller's thread: the store's single
  // writer only checks the version and writes the row.
  auto upload = readUpload(body, encoding, options_.max_bytes);
  if (!upload.isOk()) {
    return upload.status();
  }
  ClusterSnapshot& record = upload->record;
  int64_t now = nowMs();
  record.agent_id = agent_id;
  record.received_at = now;
  upload->index->setInfo(infoOf(record));
  SnapshotHistoryEntry history;
  history.cluster_id = record.cluster_id;
  history.version = record.version;
  history.fetched_at = record.fetched_at;
  history.received_at = now;
  history.summary = record.summary;
  history.counts = objectCounts(*upload->index);
  int64_t history_cutoff = now - options_.history_retention.count();

  SnapshotReceipt receipt{record.cluster_id, record.version, false};
  std::optional<Agent> came_back;  // the agent, when this upload brings it back from offline
  // Snapshots come every few seconds from every cluster, so they are not audited: the table
  // itself records who sent the latest one and when.
  Status stored = store_.write([&](StoreTx& tx) -> Status {
    came_back.reset();
    auto agent = tx.agents().get(agent_id);
    if (!agent.isOk()) {
      return agent.status().code() == ErrorCode::kNotFound
                 ? unauthenticated("the agent no longer exists")
                 : agent.status();
    }
    if (agent->status == "offline") {
      came_back = *agent;
      came_back->status = "online";  // what touch() below stores
    }
    CORRAL_RETURN_IF_ERROR(checkCluster(tx, *agent, record.cluster_id));
    auto existing = tx.snapshots().find(record.cluster_id);
    if (!existing.isOk()) {
      return existing.status();
    }
    if (*existing && record.version <= (*existing)->version) {
      return conflict("snapshot version " + std::to_string(record.version) + " of cluster '" +
                      record.cluster_id + "' is not newer than the stored version " +
                      std::to_string((*existing)->version));
    }
    receipt.created = !existing->has_value();
    CORRAL_RETURN_IF_ERROR(tx.snapshots().put(record));
    CORRAL_RETURN_IF_ERROR(tx.snapshotHistory().append(history));
    auto pruned = tx.snapshotHistory().pruneBefore(record.cluster_id, history_cutoff);
    if (!pruned.isOk()) {
      return pruned.status();
    }
    return tx.agents().touch(agent_id, now);
  });
  if (!stored.isOk()) {
    return stored;
  }
  // After the commit, so a query never sees a snapshot the store might still refuse.
  if (inventory_ != nullptr) {
    inventory_->publish(std::move(upload->index));
  }
  if (came_back && agents_ != nullptr) {
    agents_->agentChanged(AgentChange{std::move(*came_back), "offline"});
  }
  if (stored_ != nullptr) {
    stored_->snapshotStored(record);
  }
  report.json_bytes = record.size_bytes;
  report.stored_bytes = record.stored_bytes;
  return receipt;
}

Result<std::vector<ClusterStatus>> SnapshotService::listClusters(const Page& page) {
  auto rows = readValue<std::vector<ClusterSnapshot>>(
      store_, [&](StoreTx& tx) { return tx.snapshots().list(page); });
  if (!rows.isOk()) {
    return rows.status();
  }
  int64_t now = nowMs();
  std::vector<ClusterStatus> out;
  out.reserve(rows->size());
  for (auto& row : *rows) {
    int64_t staleness_s = std::max<int64_t>(0, now - row.received_at) / 1000;
    out.push_back(ClusterStatus{std::move(row), staleness_s});
  }
  return out;
}

Result<ClusterStatus> SnapshotService::getCluster(const std::string& cluster_id) {
  auto row = readValue<std::optional<ClusterSnapshot>>(
      store_, [&](StoreTx& tx) { return tx.snapshots().find(cluster_id); });
  if (!row.isOk()) {
    return row.status();
  }
  if (!*row) {
    return notFound("cluster '" + cluster_id + "' has no snapshot");
  }
  int64_t staleness_s = std::max<int64_t>(0, nowMs() - (*row)->received_at) / 1000;
  return ClusterStatus{std::move(**row), staleness_s};
}

Result<std::vector<SnapshotHistoryEntry>> SnapshotService::history(const std::string& cluster_id,
                                                                   const HistoryRange& range) {
  return readValue<std::vector<SnapshotHistoryEntry>>(store_, [&](StoreTx& tx) {
    return tx.snapshotHistory().list(cluster_id, range.since, range.until, range.after_version,
                                     range.limit);
  });
}

Result<int> SnapshotService::loadInventory() {
  if (inventory_ == nullptr) {
    return 0;
  }
  int loaded = 0;
  Page page;
  page.limit = 100;
  while (true) {
    auto clusters = readValue<std::vector<ClusterSnapshot>>(
        store_, [&](StoreTx& tx) { return tx.snapshots().list(page); });
    if (!clusters.isOk()) {
      return clusters.status();
    }
    for (const ClusterSnapshot& cluster : *clusters) {
      // One at a time, so only one inflated snapshot is in memory beyond the indexes.
      auto row = readValue<ClusterSnapshot>(
          store_, [&](StoreTx& tx) { return tx.snapshots().getWithBody(cluster.cluster_id); });
      if (!row.isOk()) {
        return row.status();
      }
      auto json = gzipDecompress(row->body, static_cast<size_t>(row->size_bytes));
      auto parsed =
          json.isOk() ? parseSnapshot(std::move(*json)) : Result<ParsedSnapshot>(json.status());
      if (!parsed.isOk()) {
        // One unreadable row must not keep the master from serving every other cluster.
        spdlog::error("the stored snapshot of cluster '{}' cannot be indexed: {}",
                      cluster.cluster_id, parsed.status().message());
        continue;
      }
      row->body.clear();
      parsed->index->setInfo(infoOf(*row));
      inventory_->publish(std::move(parsed->index));
      ++loaded;
    }
    if (static_cast<int>(clusters->size()) < page.limit) {
      return loaded;
    }
    page.after = clusters->back().cluster_id;
  }
}

Result<std::string> SnapshotService::latestJson(const std::string& cluster_id) {
  auto snapshot = readValue<ClusterSnapshot>(
      store_, [&](StoreTx& tx) { return tx.snapshots().getWithBody(cluster_id); });
  if (!snapshot.isOk()) {
    return snapshot.status();
  }
  // The stored size is exact, so it is also the bound.
  auto json = gzipDecompress(snapshot->body, static_cast<size_t>(snapshot->size_bytes));
  if (!json.isOk()) {
    return internalError("the stored snapshot of cluster '" + cluster_id +
                         "' cannot be read: " + json.status().message());
  }
  return json;
}

}  // namespace corral::master
