#include "agent/sdk/rest_k8s_client.h"

#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <future>
#include <random>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "spdlog/spdlog.h"

#include "agent/sdk/list_page_reader.h"

namespace corral::agent {

namespace {

// client-go re-reads a token file at the same period; a rotated token is valid for a while.
constexpr std::chrono::minutes kTokenRereadPeriod{1};
// Plain-text error bodies (a proxy's HTML, priority-and-fairness) are cut to this in messages.
constexpr size_t kMaxErrorText = 512;

constexpr int kHttpGone = 410;
constexpr int kHttpTooManyRequests = 429;
constexpr int kHttpServiceUnavailable = 503;

ErrorCode codeForHttpStatus(int status) {
  switch (status) {
    case 400:
      return ErrorCode::kBadRequest;
    case 401:
      return ErrorCode::kUnauthenticated;
    case 403:
      return ErrorCode::kPermissionDenied;
    case 404:
      return ErrorCode::kNotFound;
    case 409:
    case kHttpGone:
      return ErrorCode::kConflict;
    case 413:
      return ErrorCode::kPayloadTooLarge;
    case 415:
      return ErrorCode::kUnsupportedMediaType;
    case 422:
      return ErrorCode::kInvalidArgument;
    case kHttpTooManyRequests:
      return ErrorCode::kResourceExhausted;
    default:
      return status >= 500 ? ErrorCode::kUnavailable : ErrorCode::kBadRequest;
  }
}

// The reason the API server would give, for answers without a Status body.
std::string defaultReason(int status) {
  switch (status) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 409:
      return "Conflict";
    case kHttpGone:
      return "Gone";
    case 413:
      return "RequestEntityTooLarge";
    case 415:
      return "UnsupportedMediaType";
    case 422:
      return "Invalid";
    case kHttpTooManyRequests:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case kHttpServiceUnavailable:
      return "ServiceUnavailable";
    case 504:
      return "Timeout";
    default:
      return "HTTP" + std::to_string(status);
  }
}

std::string trimmed(const std::string& s) {
  size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) {
    return {};
  }
  size_t end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

// "NotFound: pods \"x\" not found (HTTP 404)", from a Status body or, failing that, the text.
Status statusFromResponse(const HttpResponse& response) {
  std::string reason;
  std::string message;
  Json body = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object() && (body.contains("message") || body.contains("reason"))) {
    if (body.contains("reason") && body["reason"].is_string()) {
      reason = body["reason"].get<std::string>();
    }
    if (body.contains("message") && body["message"].is_string()) {
      message = body["message"].get<std::string>();
    }
  } else {
    message = trimmed(response.body);
    if (message.size() > kMaxErrorText) {
      message = message.substr(0, kMaxErrorText) + "...";
    }
  }
  if (reason.empty()) {
    reason = defaultReason(response.status);
  }
  std::string text = reason;
  if (!message.empty()) {
    text += ": " + message;
  }
  text += " (HTTP " + std::to_string(response.status) + ")";
  return {codeForHttpStatus(response.status), text};
}

bool isSuccess(int status) { return status >= 200 && status < 300; }

// Retry-After in seconds; the HTTP-date form is not used by the API server and counts as absent.
std::optional<std::chrono::seconds> parseRetryAfter(const std::string& value) {
  std::string text = trimmed(value);
  if (text.empty() || text.size() > 9) {
    return std::nullopt;
  }
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
      return std::nullopt;
    }
  }
  return std::chrono::seconds(std::stol(text));
}

void appendQuery(std::string& path, const std::string& name, const std::string& value) {
  path += path.find('?') == std::string::npos ? '?' : '&';
  path += urlEncode(name);
  path += '=';
  path += urlEncode(value);
}

const char* patchContentType(PatchType type) {
  switch (type) {
    case PatchType::kMerge:
      return "application/merge-patch+json";
    case PatchType::kStrategicMerge:
      return "application/strategic-merge-patch+json";
    case PatchType::kJson:
      return "application/json-patch+json";
  }
  return "application/merge-patch+json";
}

Result<Json> parseObject(const HttpResponse& response, const std::string& what) {
  if (trimmed(response.body).empty()) {
    return Json::object();
  }
  Json json = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return internalError("the API server answered " + what + " with a body that is not JSON");
  }
  return json;
}

K8sRetryPolicy withDefaultRandom(K8sRetryPolicy policy) {
  if (!policy.random) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    policy.random = [engine] { return (*engine)(); };
  }
  return policy;
}

}  // namespace

std::string urlEncode(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

// The service-account token as last read, and what the file looked like then.
struct RestK8sClient::TokenCache {
  std::mutex mutex;
  bool loaded = false;  // guarded by mutex
  std::string token;    // guarded by mutex
  ino_t inode = 0;      // guarded by mutex
  off_t size = 0;       // guarded by mutex
  timespec mtime{};     // guarded by mutex
  SteadyTime read_at;   // guarded by mutex
};

RestK8sClient::RestK8sClient(HttpTransport& transport, Clock& clock, K8sEndpoint endpoint,
                             K8sRetryPolicy policy)
    : transport_(transport),
      clock_(clock),
      endpoint_(std::move(endpoint)),
      policy_(withDefaultRandom(std::move(policy))),
      token_(std::make_unique<TokenCache>()),
      backoff_(policy_.backoff_base, policy_.backoff_cap, [this] {
        std::lock_guard lock(random_mutex_);
        return policy_.random();
      }) {}

RestK8sClient::RestK8sClient(std::unique_ptr<HttpTransport> transport, Clock& clock,
                             K8sEndpoint endpoint, K8sRetryPolicy policy)
    : owned_transport_(std::move(transport)),
      transport_(*owned_transport_),
      clock_(clock),
      endpoint_(std::move(endpoint)),
      policy_(withDefaultRandom(std::move(policy))),
      token_(std::make_unique<TokenCache>()),
      backoff_(policy_.backoff_base, policy_.backoff_cap, [this] {
        std::lock_guard lock(random_mutex_);
        return policy_.random();
      }) {}

RestK8sClient::~RestK8sClient() = default;

Result<std::string> RestK8sClient::bearerToken() {
  if (endpoint_.token_file.empty()) {
    return endpoint_.bearer_token;
  }
  TokenCache& cache = *token_;
  std::lock_guard lock(cache.mutex);
  struct stat st {};
  bool seen = ::stat(endpoint_.token_file.c_str(), &st) == 0;
  SteadyTime now = clock_.now();
  bool changed = !seen || !cache.loaded || st.st_ino != cache.inode || st.st_size != cache.size ||
                 st.st_mtim.tv_sec != cache.mtime.tv_sec ||
                 st.st_mtim.tv_nsec != cache.mtime.tv_nsec ||
                 now - cache.read_at >= kTokenRereadPeriod;
  if (!changed) {
    return cache.token;
  }
  std::ifstream in(endpoint_.token_file);
  std::stringstream text;
  text << in.rdbuf();
  if (!seen || !in) {
    if (cache.loaded) {
      // Kubelet swaps the file by symlink; a miss mid-swap must not fail the call.
      spdlog::warn("cannot read the token file '{}'; using the token read before",
                   endpoint_.token_file);
      return cache.token;
    }
    return unauthenticated("cannot read the token file '" + endpoint_.token_file + "'");
  }
  cache.token = trimmed(text.str());
  cache.loaded = true;
  cache.inode = st.st_ino;
  cache.size = st.st_size;
  cache.mtime = st.st_mtim;
  cache.read_at = now;
  return cache.token;
}

std::chrono::milliseconds RestK8sClient::retryDelay(const HttpResponse& response, int attempt) {
  if (auto after = parseRetryAfter(response.header("retry-after"))) {
    return std::min<std::chrono::milliseconds>(*after, policy_.backoff_cap);
  }
  return backoff_.next(attempt);
}

Result<HttpResponse> RestK8sClient::exchange(const std::string& method,
                                             const std::string& path_and_query,
                                             const std::string& body,
                                             const std::string& content_type) {
  std::string server = endpoint_.server;
  while (!server.empty() && server.back() == '/') {
    server.pop_back();
  }
  HttpRequest request;
  request.method = method;
  request.url = server + (path_and_query.starts_with('/') ? "" : "/") + path_and_query;
  request.body = body;
  request.timeout = endpoint_.timeout;
  for (int attempt = 0;; ++attempt) {
    Result<std::string> token = bearerToken();
    if (!token.isOk()) {
      return token.status();
    }
    request.headers.clear();
    request.headers.emplace_back("Accept", "application/json, */*");
    request.headers.emplace_back("User-Agent", "corral-agent");
    if (!token->empty()) {
      request.headers.emplace_back("Authorization", "Bearer " + *token);
    }
    if (!content_type.empty()) {
      request.headers.emplace_back("Content-Type", content_type);
    }
    Result<HttpResponse> response = transport_.send(request);
    if (!response.isOk()) {
      return response;
    }
    bool retryable =
        response->status == kHttpTooManyRequests || response->status == kHttpServiceUnavailable;
    if (!retryable || attempt >= policy_.max_retries) {
      return response;
    }
    std::chrono::milliseconds delay = retryDelay(*response, attempt);
    spdlog::debug("{} {}: HTTP {}, retry {} in {} ms", method, path_and_query, response->status,
                  attempt + 1, delay.count());
    if (!clock_.sleepFor(delay)) {
      std::string message = method;
      message += " " + path_and_query + ": interrupted while waiting to retry";
      return unavailable(message);
    }
  }
}

Result<HttpResponse> RestK8sClient::call(const std::string& method,
                                         const std::string& path_and_query, const std::string& body,
                                         const std::string& content_type) {
  Result<HttpResponse> response = exchange(method, path_and_query, body, content_type);
  if (response.isOk() && !isSuccess(response->status)) {
    return statusFromResponse(*response);
  }
  return response;
}

Result<std::vector<Json>> RestK8sClient::list(const std::string& path, const ListOptions& options) {
  std::vector<Json> items;
  Status status = listEach(
      path, options, [&items](Json& item) { items.push_back(std::move(item)); },
      [&items] { items.clear(); });
  if (!status.isOk()) {
    return status;
  }
  return items;
}

Status RestK8sClient::listEach(const std::string& path, const ListOptions& options,
                               const std::function<void(Json& item)>& visit,
                               const std::function<void()>& restarted) {
  const std::string what = "a list of " + path;
  auto pageQuery = [&](const std::string& continue_token) {
    std::string query = path;
    appendQuery(query, "limit", std::to_string(options.page_size));
    if (!continue_token.empty()) {
      appendQuery(query, "continue", continue_token);
    }
    if (!options.label_selector.empty()) {
      appendQuery(query, "labelSelector", options.label_selector);
    }
    if (!options.field_selector.empty()) {
      appendQuery(query, "fieldSelector", options.field_selector);
    }
    return query;
  };
  for (int restart = 0;; ++restart) {
    if (restart > 0 && restarted) {
      restarted();
    }
    std::string asked_with;  // the continue token of the request that got `response`
    Result<HttpResponse> response = exchange("GET", pageQuery(asked_with), "", "");
    while (true) {
      if (!response.isOk()) {
        return response.status();
      }
      if (response->status == kHttpGone && restart < policy_.max_expired_restarts) {
        // The continue token outlived the server's compaction window; only a new list is
        // consistent again.
        spdlog::debug("list {}: continue token expired, restarting", path);
        break;
      }
      if (!isSuccess(response->status)) {
        return statusFromResponse(*response);
      }
      // The next page is asked for as soon as this one's continue token is read, so the server
      // prepares it while this one is parsed. Every path out of this scope waits for it.
      std::future<Result<HttpResponse>> next;
      auto prefetch = [&](const std::string& token) {
        if (token.empty() || token == asked_with) {
          return;
        }
        try {
          next = std::async(std::launch::async, [this, query = pageQuery(token)] {
            return exchange("GET", query, "", "");
          });
        } catch (const std::system_error&) {
          // No thread to spare: the page is fetched after this one is read.
        }
      };
      Result<ListPage> page = readListPage(response->body, options.omit, visit, what, prefetch);
      response->body = std::string();
      if (!page.isOk()) {
        return page.status();
      }
      if (page->continue_token.empty()) {
        return Status::ok();
      }
      if (page->continue_token == asked_with) {
        return internalError("list " + path + ": the API server repeated its continue token");
      }
      asked_with = std::move(page->continue_token);
      response = next.valid() ? next.get() : exchange("GET", pageQuery(asked_with), "", "");
    }
  }
}

Result<Json> RestK8sClient::get(const std::string& path) {
  Result<HttpResponse> response = call("GET", path, "", "");
  if (!response.isOk()) {
    return response.status();
  }
  return parseObject(*response, "GET " + path);
}

Result<Json> RestK8sClient::patch(const std::string& path, const Json& body, PatchType type) {
  Result<HttpResponse> response = call("PATCH", path, body.dump(), patchContentType(type));
  if (!response.isOk()) {
    return response.status();
  }
  return parseObject(*response, "PATCH " + path);
}

Result<Json> RestK8sClient::remove(const std::string& path, std::optional<int> grace_period_s) {
  std::string query = path;
  if (grace_period_s) {
    appendQuery(query, "gracePeriodSeconds", std::to_string(*grace_period_s));
  }
  Result<HttpResponse> response = call("DELETE", query, "", "");
  if (!response.isOk()) {
    return response.status();
  }
  return parseObject(*response, "DELETE " + path);
}

Result<std::string> RestK8sClient::logs(const std::string& ns, const std::string& pod,
                                        const LogOptions& options) {
  std::string path = "/api/v1/namespaces/" + urlEncode(ns) + "/pods/" + urlEncode(pod) + "/log";
  if (!options.container.empty()) {
    appendQuery(path, "container", options.container);
  }
  if (options.tail_lines) {
    appendQuery(path, "tailLines", std::to_string(*options.tail_lines));
  }
  if (options.since_seconds) {
    appendQuery(path, "sinceSeconds", std::to_string(*options.since_seconds));
  }
  if (options.limit_bytes) {
    appendQuery(path, "limitBytes", std::to_string(*options.limit_bytes));
  }
  if (options.previous) {
    appendQuery(path, "previous", "true");
  }
  Result<HttpResponse> response = call("GET", path, "", "");
  if (!response.isOk()) {
    return response.status();
  }
  return std::move(response->body);
}

Result<Json> RestK8sClient::request(const std::string& method, const std::string& path,
                                    const std::string& body) {
  Result<HttpResponse> response =
      call(method, path, body, body.empty() ? std::string() : "application/json");
  if (!response.isOk()) {
    return response.status();
  }
  if (trimmed(response->body).empty()) {
    return Json::object();
  }
  Json json = Json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    // Some endpoints answer text (/healthz, /version of old servers, logs): pass it on as-is.
    return Json(std::move(response->body));
  }
  return json;
}

}  // namespace corral::agent
