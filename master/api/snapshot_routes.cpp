// Cluster snapshots: the agent's upload, and the operator routes that read the latest ones.

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

void listClusters(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  respond(res, [&]() -> Status {
    auto principal = authorizeOperator(ctx, req, Role::kViewer);
    if (!principal.isOk()) {
      return principal.status();
    }
    auto page = queryPage(req);
    if (!page.isOk()) {
      return page.status();
    }
    auto clusters = ctx.deps.snapshots.listClusters(*page);
    if (!clusters.isOk()) {
      return clusters.status();
    }
    Json items = Json::array();
    for (const auto& c : *clusters) {
      Json item = toJson(c.snapshot);
      item["staleness_s"] = c.staleness_s;
      items.push_back(std::move(item));
    }
    std::string next = static_cast<int>(clusters->size()) == page->limit
                           ? clusters->back().snapshot.cluster_id
                           : std::string();
    sendJson(res, 200, pageJson(std::move(items), next));
    return Status::ok();
  });
}

void latestSnapshot(ApiContext& ctx, const httplib::Request& req, httplib::Response& res) {
  respond(res, [&]() -> Status {
    auto principal = authorizeOperator(ctx, req, Role::kViewer);
    if (!principal.isOk()) {
      return principal.status();
    }
    auto json = ctx.deps.snapshots.latestJson(req.matches[1]);
    if (!json.isOk()) {
      return json.status();
    }
    // Up to snapshots.max_bytes: moved into the answer rather than copied by set_content().
    res.status = 200;
    res.body = std::move(*json);
    res.set_header("Content-Type", "application/json");
    return Status::ok();
  });
}

}  // namespace

void addSnapshotRoutes(httplib::Server& server, ApiContext& ctx) {
  server.Post(kSnapshotPath, [&ctx](const httplib::Request& req, httplib::Response& res) {
    upload(ctx, req, res);
  });
  server.Get("/api/v1/clusters", [&ctx](const httplib::Request& req, httplib::Response& res) {
    listClusters(ctx, req, res);
  });
  server.Get(R"(/api/v1/clusters/([^/]+)/snapshot)",
             [&ctx](const httplib::Request& req, httplib::Response& res) {
               latestSnapshot(ctx, req, res);
             });
}

}  // namespace corral::master
