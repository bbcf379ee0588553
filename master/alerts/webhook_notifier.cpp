#include "master/alerts/webhook_notifier.h"

#include <algorithm>
#include <utility>

#include "master/alerts/alert_json.h"
#include "spdlog/spdlog.h"

namespace corral::master {

WebhookNotifier::WebhookNotifier(WebhookSettings settings, HttpTransport& transport, Clock& clock,
                                 std::function<uint64_t()> random)
    : settings_(std::move(settings)),
      transport_(transport),
      clock_(clock),
      backoff_(settings_.retry_base, settings_.retry_cap, std::move(random)) {}

WebhookNotifier::~WebhookNotifier() { stop(); }

void WebhookNotifier::alertChanged(const AlertChange& change) {
  if (change.kind != AlertChange::Kind::kFired && change.kind != AlertChange::Kind::kResolved) {
    return;
  }
  Delivery delivery{change.alert.id, change.alert.state, alertChangeJson(change).dump()};
  int64_t dropped = 0;
  {
    std::lock_guard lock(mutex_);
    while (queue_.size() >= static_cast<size_t>(settings_.queue_size)) {
      queue_.pop_front();
      dropped = ++counters_.dropped;
    }
    queue_.push_back(std::move(delivery));
  }
  wake_.notify_one();
  // The first drop, then every hundredth: a dead webhook must not flood the log either.
  if (dropped == 1 || dropped % 100 == 0) {
    spdlog::warn("alerts webhook: queue full ({} changes); {} change(s) dropped so far",
                 settings_.queue_size, dropped);
  }
}

void WebhookNotifier::start() {
  if (!sender_.joinable()) {
    stopping_ = false;
    sender_ = std::thread([this] { run(); });
  }
}

void WebhookNotifier::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (sender_.joinable()) {
    sender_.join();
  }
}

void WebhookNotifier::run() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) {
        return;
      }
    }
    deliverNext();
  }
}

HttpRequest WebhookNotifier::requestFor(const Delivery& d) const {
  HttpRequest r;
  r.method = "POST";
  r.url = settings_.url;
  r.body = d.body;
  r.timeout = settings_.timeout;
  r.abandon = &stopping_;
  r.headers = {{"Content-Type", "application/json"},
               {"User-Agent", "corral-master"},
               {"Idempotency-Key", d.alert_id + ":" + d.state},
               {"Corral-Alert-Id", d.alert_id},
               {"Corral-Alert-State", d.state}};
  if (!settings_.bearer_token.empty()) {
    r.headers.emplace_back("Authorization", "Bearer " + settings_.bearer_token);
  }
  for (const auto& [name, value] : settings_.headers) {
    r.headers.emplace_back(name, value);
  }
  return r;
}

bool WebhookNotifier::retryable(const Result<HttpResponse>& answer) {
  if (!answer.isOk()) {
    return true;
  }
  int status = answer->status;
  return status == 408 || status == 429 || status >= 500;
}

std::chrono::milliseconds WebhookNotifier::retryAfter(const Result<HttpResponse>& answer) const {
  if (!answer.isOk()) {
    return std::chrono::milliseconds(0);
  }
  std::string value = answer->header("retry-after");
  if (value.empty() || value.size() > 9 ||
      value.find_first_not_of("0123456789") != std::string::npos) {
    return std::chrono::milliseconds(0);  // absent, or an HTTP date: the backoff decides
  }
  return std::min<std::chrono::milliseconds>(std::chrono::seconds(std::stoll(value)),
                                             settings_.retry_cap);
}

bool WebhookNotifier::deliverNext() {
  Delivery delivery;
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) {
      return false;
    }
    delivery = std::move(queue_.front());
    queue_.pop_front();
  }
  HttpRequest request = requestFor(delivery);
  std::string last_error;
  std::chrono::milliseconds asked(0);
  for (int attempt = 0; attempt < settings_.max_attempts; ++attempt) {
    if (attempt > 0) {
      std::chrono::milliseconds wait = std::max(backoff_.next(attempt - 1), asked);
      if (!clock_.sleepFor(wait) || stopping_) {
        // An interrupted clock is the master shutting down: nothing more can wait out a backoff,
        // so the sender stops here rather than try every queued change once.
        stopping_ = true;
        spdlog::info("alerts webhook: stopping; alert {} ({}) not delivered", delivery.alert_id,
                     delivery.state);
        return true;
      }
    }
    auto answer = transport_.send(request);
    if (answer.isOk() && answer->status >= 200 && answer->status < 300) {
      std::lock_guard lock(mutex_);
      ++counters_.delivered;
      return true;
    }
    last_error =
        answer.isOk() ? "HTTP " + std::to_string(answer->status) : answer.status().message();
    if (!retryable(answer)) {
      break;
    }
    asked = retryAfter(answer);
  }
  {
    std::lock_guard lock(mutex_);
    ++counters_.failed;
  }
  // Not the URL: it may carry a secret in its query.
  spdlog::warn("alerts webhook: alert {} ({}) not delivered: {}", delivery.alert_id, delivery.state,
               last_error);
  return true;
}

WebhookNotifier::Counters WebhookNotifier::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

size_t WebhookNotifier::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

}  // namespace corral::master
