#pragma once

// An HttpTransport for unit tests: it records every request and answers from a queue of responses
// and errors, in order. When the queue is empty it asks the handler set with setHandler(), or
// fails with kInternal so that an unexpected extra request shows up in the test. Thread-safe.

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/http_transport.h"

namespace corral::testing {

class FakeTransport final : public HttpTransport {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;

  Result<HttpResponse> send(const HttpRequest& request) override;

  // Queues an answer.
  // Header names may be in any case; they are stored in lower case, as a transport would.
  void respond(int status, std::string body,
               const std::map<std::string, std::string>& headers = {});
  void respond(HttpResponse response);
  // Queues a failure to get an answer, as a network error would be.
  void fail(Status status);
  // Answers requests that find the queue empty.
  void setHandler(Handler handler);

  std::vector<HttpRequest> requests() const;
  // Answers still queued.
  size_t pending() const;

 private:
  mutable std::mutex mutex_;
  std::vector<HttpRequest> requests_;        // guarded by mutex_
  std::vector<Result<HttpResponse>> queue_;  // guarded by mutex_
  size_t next_ = 0;                          // guarded by mutex_; index of the next answer
  Handler handler_;                          // guarded by mutex_
};

// The value of query parameter `name` in `url`, percent-decoded, or empty.
std::string queryParam(const std::string& url, const std::string& name);
// The path of `url`, without scheme, authority and query.
std::string urlPath(const std::string& url);
// The value of request header `name` (compared case-insensitively), or empty.
std::string requestHeader(const HttpRequest& request, const std::string& name);

}  // namespace corral::testing
