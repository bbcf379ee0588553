#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <fstream>
#include <mutex>
#include <vector>

#include "common/http_transport.h"

namespace corral {

namespace {

// Idle handles kept for reuse; more concurrent requests than this simply make new handles.
constexpr size_t kMaxIdleHandles = 8;

// curl_global_init is not thread-safe and must run once per process, before any handle exists.
// The matching cleanup is left to process exit: a transport may be destroyed while another lives.
void initCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string trim(std::string_view s) {
  size_t begin = 0;
  size_t end = s.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(s[begin])) != 0) {
    ++begin;
  }
  while (end > begin && std::isspace(static_cast<unsigned char>(s[end - 1])) != 0) {
    --end;
  }
  return std::string(s.substr(begin, end - begin));
}

std::string toLower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

Status checkReadable(const std::string& path, const char* what) {
  if (path.empty()) {
    return Status::ok();
  }
  std::ifstream in(path);
  if (!in) {
    return invalidArgument(std::string("cannot read the TLS ") + what + " file '" + path + "'");
  }
  return Status::ok();
}

// A curl_blob that curl copies, so `pem` need only live for the setopt call.
curl_blob copiedBlob(const std::string& pem) {
  curl_blob blob{};
  blob.data = const_cast<char*>(pem.data());  // NOLINT: curl copies and never writes it
  blob.len = pem.size();
  blob.flags = CURL_BLOB_COPY;
  return blob;
}

size_t writeBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// Header lines arrive one at a time, for every response of the exchange (a 100 Continue, then
// the final one); a new status line starts the set afresh so only the final headers remain.
size_t writeHeader(char* data, size_t size, size_t count, void* user) {
  auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
  std::string_view line(data, size * count);
  if (line.substr(0, 5) == "HTTP/") {
    headers.clear();
    return size * count;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return size * count;  // the blank line that ends the block
  }
  std::string name = toLower(trim(line.substr(0, colon)));
  std::string value = trim(line.substr(colon + 1));
  auto [it, inserted] = headers.emplace(name, value);
  if (!inserted) {
    it->second += ", " + value;  // repeated fields combine as one list (RFC 9110 5.3)
  }
  return size * count;
}

// Progress callback: a non-zero answer makes curl end the transfer (CURLE_ABORTED_BY_CALLBACK).
int checkAbandoned(void* user, curl_off_t /*dltotal*/, curl_off_t /*dlnow*/, curl_off_t /*ultotal*/,
                   curl_off_t /*ulnow*/) {
  return static_cast<const std::atomic<bool>*>(user)->load() ? 1 : 0;
}

struct HeaderList {
  curl_slist* list = nullptr;
  HeaderList() = default;
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  ~HeaderList() { curl_slist_free_all(list); }
  void add(const std::string& line) { list = curl_slist_append(list, line.c_str()); }
};

class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(TransportOptions options) : options_(std::move(options)) {}

  ~CurlTransport() override {
    for (CURL* handle : idle_) {
      curl_easy_cleanup(handle);
    }
  }

  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> send(const HttpRequest& request) override {
    CURL* handle = acquire();
    if (handle == nullptr) {
      return internalError("cannot create a curl handle");
    }
    Result<HttpResponse> result = perform(handle, request);
    release(handle);
    return result;
  }

 private:
  CURL* acquire() {
    if (options_.reuse_connections) {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        CURL* handle = idle_.back();
        idle_.pop_back();
        // Clears the options of the last request but keeps its live connection.
        curl_easy_reset(handle);
        return handle;
      }
    }
    return curl_easy_init();
  }

  void release(CURL* handle) {
    if (options_.reuse_connections) {
      std::lock_guard lock(mutex_);
      if (idle_.size() < kMaxIdleHandles) {
        idle_.push_back(handle);
        return;
      }
    }
    curl_easy_cleanup(handle);
  }

  void setTlsOptions(CURL* handle) const {
    const TlsOptions& tls = options_.tls;
    if (!tls.ca_file.empty() || !tls.ca_pem.empty()) {
      // A configured CA replaces the system store instead of adding to it.
      curl_easy_setopt(handle, CURLOPT_CAPATH, nullptr);
      if (!tls.ca_file.empty()) {
        curl_easy_setopt(handle, CURLOPT_CAINFO, tls.ca_file.c_str());
      } else {
        curl_easy_setopt(handle, CURLOPT_CAINFO, nullptr);
        curl_blob blob = copiedBlob(tls.ca_pem);
        curl_easy_setopt(handle, CURLOPT_CAINFO_BLOB, &blob);
      }
    }
    if (!tls.client_cert_file.empty()) {
      curl_easy_setopt(handle, CURLOPT_SSLCERT, tls.client_cert_file.c_str());
    } else if (!tls.client_cert_pem.empty()) {
      curl_blob blob = copiedBlob(tls.client_cert_pem);
      curl_easy_setopt(handle, CURLOPT_SSLCERT_BLOB, &blob);
    }
    if (!tls.client_cert_file.empty() || !tls.client_cert_pem.empty()) {
      curl_easy_setopt(handle, CURLOPT_SSLCERTTYPE, "PEM");
    }
    if (!tls.client_key_file.empty()) {
      curl_easy_setopt(handle, CURLOPT_SSLKEY, tls.client_key_file.c_str());
    } else if (!tls.client_key_pem.empty()) {
      curl_blob blob = copiedBlob(tls.client_key_pem);
      curl_easy_setopt(handle, CURLOPT_SSLKEY_BLOB, &blob);
    }
    if (!tls.client_key_file.empty() || !tls.client_key_pem.empty()) {
      curl_easy_setopt(handle, CURLOPT_SSLKEYTYPE, "PEM");
    }
    long verify = tls.insecure_skip_verify ? 0L : 1L;
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, verify);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, tls.insecure_skip_verify ? 0L : 2L);
  }

  Result<HttpResponse> perform(CURL* handle, const HttpRequest& request) const {
    HttpResponse response;
    char error[CURL_ERROR_SIZE] = {};
    HeaderList headers;
    bool has_content_type = false;
    for (const auto& [name, value] : request.headers) {
      std::string line = name;
      line += ": ";
      line += value;
      headers.add(line);
      has_content_type = has_content_type || toLower(name) == "content-type";
    }
    // curl would otherwise wait for a 100 Continue before sending a larger body.
    headers.add("Expect:");
    if (!has_content_type) {
      // Nor label a body as a form: the caller says what it sends.
      headers.add("Content-Type:");
    }

    curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM, for threads
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.list);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    auto connect_timeout = std::min(options_.connect_timeout, request.timeout);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout.count()));
    if (!options_.reuse_connections) {
      curl_easy_setopt(handle, CURLOPT_FRESH_CONNECT, 1L);
      curl_easy_setopt(handle, CURLOPT_FORBID_REUSE, 1L);
    }
    setTlsOptions(handle);

    if (request.method == "GET") {
      curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
      curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
    } else {
      // POSTFIELDS makes curl send the body (with its length, even when empty); CUSTOMREQUEST
      // then puts the real method on the request line.
      curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }

    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &writeBody);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &writeHeader);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &response.headers);

    if (request.abandon != nullptr) {
      curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
      curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &checkAbandoned);
      curl_easy_setopt(handle, CURLOPT_XFERINFODATA, request.abandon);
    }

    CURLcode rc = curl_easy_perform(handle);
    // Nothing set above may outlive this call on a handle that goes back to the pool.
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);
    if (rc == CURLE_ABORTED_BY_CALLBACK) {
      return unavailable(request.method + " " + request.url + ": abandoned");
    }
    if (rc != CURLE_OK) {
      std::string reason = error[0] != '\0' ? trim(error) : curl_easy_strerror(rc);
      return unavailable(request.method + " " + request.url + ": " + reason);
    }
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return response;
  }

  const TransportOptions options_;
  std::mutex mutex_;
  std::vector<CURL*> idle_;  // guarded by mutex_
};

}  // namespace

Result<std::unique_ptr<HttpTransport>> makeCurlTransport(const TransportOptions& options) {
  CORRAL_RETURN_IF_ERROR(checkReadable(options.tls.ca_file, "CA"));
  CORRAL_RETURN_IF_ERROR(checkReadable(options.tls.client_cert_file, "client certificate"));
  CORRAL_RETURN_IF_ERROR(checkReadable(options.tls.client_key_file, "client key"));
  initCurlOnce();
  return std::unique_ptr<HttpTransport>(std::make_unique<CurlTransport>(options));
}

}  // namespace corral
