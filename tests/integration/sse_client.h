#pragma once

// A Server-Sent Events client for integration tests, over a plain socket so that a test decides
// exactly when it reads and when it hangs up. It sends what a browser's EventSource sends
// (Accept: text/event-stream, Accept-Encoding: gzip), decodes the chunked body and parses events
// and comments as they arrive. Every wait takes a deadline. Used by one thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/json.h"

namespace corral::testing {

struct SseEvent {
  std::string id;  // as sent; empty when the block had no id line
  std::string type;
  std::string data;
  int64_t numericId() const { return id.empty() ? 0 : std::stoll(id); }
  Json json() const { return Json::parse(data, nullptr, /*allow_exceptions=*/false); }
};

class SseClient {
 public:
  // Connects to the master on loopback and sends GET `target` (path and query) with `headers`.
  // Waits up to `deadline` for the status line and headers; status() is 0 when none came.
  SseClient(int port, const std::string& target, const std::map<std::string, std::string>& headers,
            std::chrono::milliseconds deadline = std::chrono::seconds(10));
  ~SseClient();
  SseClient(const SseClient&) = delete;
  SseClient& operator=(const SseClient&) = delete;

  int status() const { return status_; }
  std::string header(const std::string& name) const;  // case-insensitive; empty when absent
  // The body of a response that is not a stream (an error), inflated when it came gzip-encoded,
  // once readToEnd() returned.
  std::string body() const;

  // Reads until `done(events())` holds, the server ends the response, or the deadline passes.
  // Returns whether `done` held.
  bool readUntil(const std::function<bool(const std::vector<SseEvent>&)>& done,
                 std::chrono::milliseconds deadline = std::chrono::seconds(10));
  // Reads until at least `count` events (not comments) arrived.
  bool readEvents(size_t count, std::chrono::milliseconds deadline = std::chrono::seconds(10));
  // Reads until a comment arrives that contains `text`.
  bool readComment(const std::string& text,
                   std::chrono::milliseconds deadline = std::chrono::seconds(10));
  // Reads until the server closes the connection.
  bool readToEnd(std::chrono::milliseconds deadline = std::chrono::seconds(10));

  const std::vector<SseEvent>& events() const { return events_; }
  const std::vector<std::string>& comments() const { return comments_; }
  // The field lines seen outside events ("retry: 3000", a bare "id: N").
  const std::vector<std::string>& otherFields() const { return other_fields_; }
  bool ended() const { return ended_; }
  // Hangs up at once, as a browser tab that closes does.
  void close();

 private:
  // Reads what arrives within `until`; false on timeout or end of stream.
  bool readSome(std::chrono::steady_clock::time_point until);
  void decodeBody();
  void parseEvents();

  int fd_ = -1;
  int status_ = 0;
  std::map<std::string, std::string> headers_;  // lower-case names
  bool chunked_ = false;
  bool ended_ = false;
  std::string raw_;   // received and not yet decoded
  std::string body_;  // decoded body, not yet parsed into events
  std::vector<SseEvent> events_;
  std::vector<std::string> comments_;
  std::vector<std::string> other_fields_;
  SseEvent pending_;  // the event whose lines are being read
};

}  // namespace corral::testing
