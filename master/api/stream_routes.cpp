// GET /api/v1/stream: the master's live events as Server-Sent Events, for dashboards.
//
// A stream holds its connection's thread for as long as it is open, like a parked long-poll, but
// for hours rather than seconds. Streams therefore have a cap of their own (http.max_streams,
// below http.max_connections): past it a new stream is answered 503 with Retry-After, and the
// connections left over stay free for agents. The thread waits on the event bus, never on
// anything a publisher needs; writing to a slow client happens outside the bus's lock, and a
// client that stops reading is dropped by the server's write timeout. See docs/api.md.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "master/api/http_observer.h"
#include "master/api/routes.h"
#include "master/auth/token_service.h"
#include "master/events/event_bus.h"
#include "master/events/event_subscription.h"
#include "master/events/event_types.h"
#include "master/events/sse_format.h"

namespace corral::master {
namespace {

constexpr const char* kStreamPath = "/api/v1/stream";
// Events written to the connection at once; a reader far behind catches up in such batches.
constexpr size_t kBatchMax = 256;
// How long a browser waits before it reconnects a dropped stream.
constexpr int64_t kReconnectMs = 3'000;
// Told to a client refused for the cap: by then some stream has likely ended.
constexpr int kRetryAfterS = 10;

// Streams open now, against the cap, reported to the observer when there is one. Shared by the
// route and every open stream.
class StreamSlots {
 public:
  StreamSlots(int max, HttpObserver* observer) : max_(max), observer_(observer) {}

  bool tryAcquire() {
    int open = open_.load();
    while (open < max_) {
      if (open_.compare_exchange_weak(open, open + 1)) {
        report(1);
        return true;
      }
    }
    return false;
  }
  void release() {
    open_.fetch_sub(1);
    report(-1);
  }

 private:
  void report(int delta) {
    if (observer_ != nullptr) {
      observer_->eventStreamsChanged(delta);
    }
  }

  const int max_;
  HttpObserver* const observer_;
  std::atomic<int> open_{0};
};

// One open stream. cpp-httplib calls pump() in a loop on the connection's thread until it returns
// false or signals the end, then destroys the response, and with it this object and its slot.
class Stream {
 public:
  Stream(ApiContext& ctx, std::shared_ptr<StreamSlots> slots, std::string token,
         std::optional<int64_t> last_event_id, EventTypeFilter filter)
      : ctx_(ctx),
        slots_(std::move(slots)),
        token_(std::move(token)),
        subscription_(*ctx.deps.events, last_event_id, std::move(filter)),
        sent_id_(subscription_.position()),
        checked_at_(ctx.deps.clock.now()) {}
  ~Stream() { slots_->release(); }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // Writes the next piece of the stream, waiting up to the keepalive interval for events.
  // Returns false when the client is gone (the write failed).
  bool pump(httplib::DataSink& sink) {
    if (!opened_) {
      opened_ = true;
      return write(sink, sse::retry(kReconnectMs));
    }
    SubscriptionBatch batch = subscription_.next(kBatchMax, ctx_.options.stream_keepalive);
    if (batch.closed || !tokenStillValid()) {
      // The master is stopping, or the token was revoked or expired: end the stream cleanly. A
      // browser reconnects, and is then told why.
      sink.done();
      return true;
    }
    if (batch.events.empty() && !batch.reset_id) {
      std::string idle = sse::comment("keepalive");
      if (subscription_.position() > sent_id_) {
        // Only events of other types came: move the client's last id past them, so that a
        // reconnect does not ask for them again or fall out of the retention window for them.
        sent_id_ = subscription_.position();
        idle += sse::idOnly(sent_id_);
      }
      return write(sink, idle);
    }
    sent_id_ = batch.events.empty() ? *batch.reset_id : batch.events.back()->id;
    return write(sink, sse::formatBatch(batch));
  }

 private:
  static bool write(httplib::DataSink& sink, const std::string& text) {
    return sink.write(text.data(), text.size());
  }

  // Revocation reaches an open stream within one keepalive interval, at one store read per
  // interval and stream.
  bool tokenStillValid() {
    SteadyTime now = ctx_.deps.clock.now();
    if (now - checked_at_ < ctx_.options.stream_keepalive) {
      return true;
    }
    checked_at_ = now;
    return ctx_.deps.tokens.authenticate(token_, TokenKind::kOperator).isOk();
  }

  ApiContext& ctx_;
  std::shared_ptr<StreamSlots> slots_;
  std::string token_;
  EventSubscription subscription_;
  int64_t sent_id_;  // the last id the client was given
  SteadyTime checked_at_;
  bool opened_ = false;
};

// "Last-Event-ID" as a browser sends it when it reconnects, else "?last_event_id=" (a page that
// opens a new EventSource cannot set the header). Absent or empty: start at the newest event.
Result<std::optional<int64_t>> lastEventId(const httplib::Request& req) {
  std::string text = req.get_header_value("Last-Event-ID");
  std::string name = "header 'Last-Event-ID'";
  if (text.empty()) {
    text = queryString(req, "last_event_id");
    name = "query parameter 'last_event_id'";
  }
  if (text.empty()) {
    return std::optional<int64_t>();
  }
  if (text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) {
    return invalidArgument(name + ": expected an event id this master sent, got '" + text + "'");
  }
  return std::optional<int64_t>(std::stoll(text));
}

Status openStream(ApiContext& ctx, const std::shared_ptr<StreamSlots>& slots,
                  const httplib::Request& req, httplib::Response& res) {
  // Browsers' EventSource cannot set headers, so this route alone also takes the token from the
  // query. Every operator role may read the stream.
  std::string token = bearerToken(req);
  if (token.empty()) {
    token = queryString(req, "access_token");
  }
  auto principal = ctx.deps.tokens.authenticate(token, TokenKind::kOperator);
  if (!principal.isOk()) {
    return principal.status();
  }
  auto filter = event_types::parseFilter(queryString(req, "types"), "types");
  if (!filter.isOk()) {
    return filter.status();
  }
  auto last = lastEventId(req);
  if (!last.isOk()) {
    return last.status();
  }
  if (!slots->tryAcquire()) {
    res.set_header("Retry-After", std::to_string(kRetryAfterS));
    return unavailable("too many event streams are open (http.max_streams is " +
                       std::to_string(ctx.options.max_streams) + "); retry later");
  }
  // From here the slot belongs to the stream, which gives it back when the response goes.
  auto stream = std::make_shared<Stream>(ctx, slots, std::move(token), *last, std::move(*filter));
  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  // Reverse proxies that buffer responses (nginx) pass this one through as it is written.
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream",
      [stream](size_t /*offset*/, httplib::DataSink& sink) { return stream->pump(sink); });
  return Status::ok();
}

}  // namespace

void addStreamRoutes(httplib::Server& server, ApiContext& ctx) {
  if (ctx.deps.events == nullptr) {
    return;
  }
  auto slots = std::make_shared<StreamSlots>(ctx.options.max_streams, ctx.deps.http_observer);
  server.Get(kStreamPath, [&ctx, slots](const httplib::Request& req, httplib::Response& res) {
    respond(res, [&] { return openStream(ctx, slots, req, res); });
  });
}

}  // namespace corral::master
