#pragma once

// Posts every alert that fires or resolves to a webhook: one JSON POST per change
// (alert_json.h's alertChangeJson), in the order they happened. Changes wait in a bounded queue
// and one background thread sends them through the injected HttpTransport, retrying a failed
// post with capped exponential backoff and full jitter (common/backoff.h), sleeping through the
// injected Clock. A dead or slow webhook therefore never blocks an evaluation, and never holds
// more than `queue_size` changes: past that the oldest waiting change is dropped and counted.
//
// A post is retried on a network error, a timeout, 408, 429 and 5xx (waiting at least what a
// Retry-After of seconds asks, within retry_cap); any other answer below 200 or from 300 up
// drops it at once, since sending it again would get the same answer. Each post carries an
// Idempotency-Key ("<alert id>:<state>") so a receiver can drop the duplicate of a retry whose
// first answer was lost.
//
// Thread-safe. stop() returns once a post in flight ends (it is abandoned) and a backoff wait in
// progress ends, which it does when the clock is interrupted: main interrupts the clock first.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/backoff.h"
#include "common/clock.h"
#include "common/http_transport.h"
#include "master/alerts/alert_notifier.h"
#include "master/config/alerts_config.h"

namespace corral::master {

class WebhookNotifier final : public AlertNotifier {
 public:
  struct Counters {
    int64_t delivered = 0;  // answered 2xx
    int64_t failed = 0;     // refused, or still failing after max_attempts
    int64_t dropped = 0;    // pushed out of a full queue
  };

  // `settings.url` must be set. `random` feeds the backoff's jitter; the transport and the clock
  // must outlive the notifier.
  WebhookNotifier(WebhookSettings settings, HttpTransport& transport, Clock& clock,
                  std::function<uint64_t()> random);
  ~WebhookNotifier() override;
  WebhookNotifier(const WebhookNotifier&) = delete;
  WebhookNotifier& operator=(const WebhookNotifier&) = delete;

  // Queues fired and resolved changes; ignores the others. Never blocks on the webhook.
  void alertChanged(const AlertChange& change) override;

  // Starts the sender thread, which delivers whatever is queued.
  void start();
  // Stops the sender thread; changes still queued are not sent.
  void stop();

  // Delivers the oldest queued change on the calling thread, with its retries; false when the
  // queue was empty. The sender thread loops on it; tests call it directly.
  bool deliverNext();

  Counters counters() const;
  size_t queued() const;

 private:
  struct Delivery {
    std::string alert_id;
    std::string state;  // firing | resolved
    std::string body;
  };

  HttpRequest requestFor(const Delivery& delivery) const;
  // Whether an answer, or the failure to get one, is worth another attempt.
  static bool retryable(const Result<HttpResponse>& answer);
  // How long a Retry-After answer asks to wait, within retry_cap; 0 when it does not say.
  std::chrono::milliseconds retryAfter(const Result<HttpResponse>& answer) const;
  void run();

  WebhookSettings settings_;
  HttpTransport& transport_;
  Clock& clock_;
  Backoff backoff_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Delivery> queue_;  // guarded by mutex_
  Counters counters_;           // guarded by mutex_
  std::atomic<bool> stopping_{false};
  std::thread sender_;
};

}  // namespace corral::master
