// Cluster snapshots: the agent's upload, and the operator routes that read the latest ones.

#include "master/api/page_answer.h"
#include "master/api/routes.h"
#include "master/api/views.h"
#include "master/snapshots/snapshot_service.h"

namespace corral::master {
namespace {

void upload(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  respond(res, [&]() -> Status {
    auto principal = authorizeAgent(ctx, req);
    if (!principal.isOk()) {
      return principal.status();
    }
    CORRAL_RETURN_IF_ERROR(checkJsonContentType(req));
    // The gate checked a declared length; a chunked body is measured once read.
    if (req.body.size() > ctx.options.snapshot_max_compressed_bytes) {
      return {ErrorCode::kPayloadTooLarge,
              "the request body is over the limit of " +
                  std::to_string(ctx.options.snapshot_max_compressed_bytes) +
                  " bytes (snapshots.max_compressed_bytes)"};
    }
    // The gate lets only gzip through and names it here; cpp-httplib has left the bytes as sent.
    BodyEncoding encoding = req.get_header_value(kBodyEncodingHeader) == "gzip"
                                ? BodyEncoding::kGzip
                                : BodyEncoding::kIdentity;
    auto receipt = ctx.deps.snapshots.ingest(principal->agent_id, req.body, encoding);
    if (!receipt.isOk()) {
      return receipt.status();
    }
    sendJson(res, receipt->created ? 201 : 200,
             {{"cluster_id", receipt->cluster_id}, {"version", receipt->version}});
    return Status::ok();
  });
}

Status listClusters(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                    const Principal&) {
  auto page = queryPage(req);
  if (!page.isOk()) {
    return page.status();
  }
  auto clusters = ctx.deps.snapshots.listClusters(*page);
  if (!clusters.isOk()) {
    return clusters.status();
  }
  sendPage(res, *page, *clusters, [](const ClusterStatus& c) { return c.snapshot.cluster_id; });
  return Status::ok();
}

Status latestSnapshot(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                      const Principal&) {
  auto json = ctx.deps.snapshots.latestJson(req.matches[1]);
  if (!json.isOk()) {
    return json.status();
  }
  // Up to snapshots.max_bytes: moved into the answer rather than copied by set_content().
  res.status = 200;
  res.body = std::move(*json);
  res.set_header("Content-Type", "application/json");
  return Status::ok();
}

}  // namespace

void addSnapshotRoutes(httplib::Server& server, ApiContext& ctx) {
  server.Post(kSnapshotPath, [&ctx](const httplib::Request& req, httplib::Response& res) {
    upload(ctx, req, res);
  });
  server.Get("/api/v1/clusters", operatorRoute(ctx, Role::kViewer, listClusters));
  server.Get(R"(/api/v1/clusters/([^/]+)/snapshot)",
             operatorRoute(ctx, Role::kViewer, latestSnapshot));
}

}  // namespace corral::master
