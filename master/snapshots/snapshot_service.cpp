#include "master/snapshots/snapshot_service.h"

#include <algorithm>
#include <utility>

#include "common/gzip.h"
#include "common/json.h"
#include "common/time_format.h"
#include "proto-json/messages.h"

namespace corral::master {
namespace {

Status tooLarge(size_t max_bytes) {
  return {ErrorCode::kPayloadTooLarge, "the snapshot is larger than " + std::to_string(max_bytes) +
                                           " bytes uncompressed (snapshots.max_bytes)"};
}

// The checked upload as the row to store, without the agent and the time it arrived.
Result<ClusterSnapshot> readUpload(std::string_view body, BodyEncoding encoding, size_t max_bytes) {
  std::string inflated;
  std::string_view json = body;
  if (encoding == BodyEncoding::kGzip) {
    auto out = gzipDecompress(body, max_bytes);
    if (!out.isOk()) {
      if (out.status().code() == ErrorCode::kPayloadTooLarge) {
        return tooLarge(max_bytes);
      }
      return out.status();  // kBadRequest for corrupt data, naming what is wrong
    }
    inflated = std::move(*out);
    json = inflated;
  } else if (body.size() > max_bytes) {
    return tooLarge(max_bytes);
  }
  auto parsed = parseJson(json);
  if (!parsed.isOk()) {
    return parsed.status();
  }
  if (!parsed->is_object()) {
    return invalidArgument("field '(body)': expected a JSON object");
  }
  // decode() would copy the resources, most of the snapshot; only their type matters here.
  if (auto it = parsed->find("resources"); it != parsed->end() && it->is_object()) {
    *it = Json::object();
  }
  auto envelope = proto::decode<proto::SnapshotEnvelope>(*parsed);
  if (!envelope.isOk()) {
    return envelope.status();
  }
  auto fetched = parseRfc3339(envelope->fetched_at);
  if (!fetched.isOk()) {
    return invalidArgument(
        "field 'fetched_at': expected an RFC 3339 time such as 2026-03-14T09:30:00Z");
  }
  ClusterSnapshot s;
  s.cluster_id = envelope->cluster_id;
  s.version = envelope->version;
  s.kind = envelope->kind;
  s.fetched_at = toUnixMillis(*fetched);
  s.summary = envelope->summary.is_object() ? envelope->summary : Json::object();
  s.errors = envelope->errors.is_object() ? envelope->errors : Json::object();
  s.size_bytes = static_cast<int64_t>(json.size());
  if (encoding == BodyEncoding::kGzip) {
    // Already compressed and just proven to inflate within the bound: keep it as it came.
    s.body = std::string(body);
  } else {
    auto compressed = gzipCompress(json);
    if (!compressed.isOk()) {
      return compressed.status();
    }
    s.body = std::move(*compressed);
  }
  s.stored_bytes = static_cast<int64_t>(s.body.size());
  return s;
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

SnapshotService::SnapshotService(Store& store, Clock& clock, SnapshotOptions options)
    : store_(store), clock_(clock), options_(options) {}

Result<SnapshotReceipt> SnapshotService::ingest(const std::string& agent_id, std::string_view body,
                                                BodyEncoding encoding) {
  // Inflating, parsing and compressing happen here, on the caller's thread: the store's single
  // writer only checks the version and writes the row.
  auto upload = readUpload(body, encoding, options_.max_bytes);
  if (!upload.isOk()) {
    return upload.status();
  }
  ClusterSnapshot& record = *upload;
  int64_t now = nowMs();
  record.agent_id = agent_id;
  record.received_at = now;

  SnapshotReceipt receipt{record.cluster_id, record.version, false};
  // Snapshots come every few seconds from every cluster, so they are not audited: the table
  // itself records who sent the latest one and when.
  Status stored = store_.write([&](StoreTx& tx) -> Status {
    auto agent = tx.agents().get(agent_id);
    if (!agent.isOk()) {
      return agent.status().code() == ErrorCode::kNotFound
                 ? unauthenticated("the agent no longer exists")
                 : agent.status();
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
    return tx.agents().touch(agent_id, now);
  });
  if (!stored.isOk()) {
    return stored;
  }
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
