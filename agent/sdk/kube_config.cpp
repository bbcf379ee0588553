#include "agent/sdk/kube_config.h"

#include <yaml-cpp/yaml.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace corral::agent {

namespace {

std::string trimmed(const std::string& s) {
  size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) {
    return {};
  }
  size_t end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

std::optional<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool isReadable(const std::string& path) { return std::ifstream(path).good(); }

// Standard base64 with padding, as kubeconfig's *-data fields hold; whitespace is skipped.
std::optional<std::string> decodeBase64(const std::string& text) {
  static const std::array<int, 256> kValues = [] {
    std::array<int, 256> values{};
    values.fill(-1);
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < alphabet.size(); ++i) {
      values[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
    }
    return values;
  }();
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  int padding = 0;
  size_t symbols = 0;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      continue;
    }
    ++symbols;
    if (c == '=') {
      ++padding;
      continue;
    }
    int value = kValues[static_cast<unsigned char>(c)];
    if (value < 0 || padding > 0) {
      return std::nullopt;  // a foreign character, or data after the padding
    }
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (symbols % 4 != 0 || padding > 2) {
    return std::nullopt;
  }
  return out;
}

// Reads one kubeconfig, keeping the file name and the key path for messages.
class KubeconfigReader {
 public:
  KubeconfigReader(std::string path, const YAML::Node& root)
      : path_(std::move(path)), root_(root) {}

  Status error(const std::string& key, const std::string& problem) const {
    return invalidArgument("kubeconfig '" + path_ + "': " + key + " " + problem);
  }

  // The string at parent[key]; nullopt when absent. An error when present but not a string.
  Result<std::optional<std::string>> optionalString(const YAML::Node& parent,
                                                    const std::string& where,
                                                    const std::string& key) const {
    YAML::Node node = parent[key];
    if (!node || node.IsNull()) {
      return std::optional<std::string>();
    }
    if (!node.IsScalar()) {
      return error(where + "." + key, "must be a string");
    }
    return std::optional<std::string>(node.as<std::string>());
  }

  Result<std::string> requiredString(const YAML::Node& parent, const std::string& where,
                                     const std::string& key) const {
    Result<std::optional<std::string>> value = optionalString(parent, where, key);
    if (!value.isOk()) {
      return value.status();
    }
    if (!value->has_value() || (*value)->empty()) {
      return error(where + "." + key, "is missing");
    }
    return **value;
  }

  // The `field` mapping of the entry named `name` in the list `list` (contexts, clusters, users).
  Result<YAML::Node> findNamed(const std::string& list, const std::string& field,
                               const std::string& name) const {
    YAML::Node entries = root_[list];
    if (entries && !entries.IsNull() && !entries.IsSequence()) {
      return error(list, "must be a list");
    }
    if (entries) {
      for (const YAML::Node& entry : entries) {
        if (entry.IsMap() && entry["name"] && entry["name"].IsScalar() &&
            entry["name"].as<std::string>() == name) {
          YAML::Node value = entry[field];
          if (!value || !value.IsMap()) {
            return error(where(list, name) + "." + field, "is missing");
          }
          return value;
        }
      }
    }
    return invalidArgument("kubeconfig '" + path_ + "': " + list + " has no entry named \"" + name +
                           "\"");
  }

  static std::string where(const std::string& list, const std::string& name) {
    return list + "[\"" + name + "\"]";
  }

  // A file name from the kubeconfig: relative ones are relative to the kubeconfig's folder.
  std::string resolve(const std::string& file) const {
    std::filesystem::path p(file);
    if (p.is_absolute()) {
      return file;
    }
    return (std::filesystem::path(path_).parent_path() / p).string();
  }

  // The file named at parent[key], resolved and checked readable; empty when absent.
  Result<std::string> readableFile(const YAML::Node& parent, const std::string& where_key,
                                   const std::string& key) const {
    Result<std::optional<std::string>> name = optionalString(parent, where_key, key);
    if (!name.isOk()) {
      return name.status();
    }
    if (!name->has_value() || (*name)->empty()) {
      return std::string();
    }
    std::string file = resolve(**name);
    if (!isReadable(file)) {
      return error(where_key + "." + key, "names '" + file + "', which cannot be read");
    }
    return file;
  }

  // The base64 data at parent[key], decoded; empty when absent.
  Result<std::string> base64Data(const YAML::Node& parent, const std::string& where_key,
                                 const std::string& key) const {
    Result<std::optional<std::string>> text = optionalString(parent, where_key, key);
    if (!text.isOk()) {
      return text.status();
    }
    if (!text->has_value()) {
      return std::string();
    }
    std::optional<std::string> data = decodeBase64(**text);
    if (!data) {
      return error(where_key + "." + key, "is not valid base64");
    }
    return *data;
  }

  const YAML::Node& root() const { return root_; }

 private:
  std::string path_;
  YAML::Node root_;
};

Status readCluster(const KubeconfigReader& reader, const std::string& name, K8sConnection& out) {
  Result<YAML::Node> cluster = reader.findNamed("clusters", "cluster", name);
  if (!cluster.isOk()) {
    return cluster.status();
  }
  std::string where = KubeconfigReader::where("clusters", name) + ".cluster";
  Result<std::string> server = reader.requiredString(*cluster, where, "server");
  if (!server.isOk()) {
    return server.status();
  }
  out.endpoint.server = *server;
  Result<std::string> ca_file = reader.readableFile(*cluster, where, "certificate-authority");
  if (!ca_file.isOk()) {
    return ca_file.status();
  }
  out.tls.ca_file = *ca_file;
  Result<std::string> ca_pem = reader.base64Data(*cluster, where, "certificate-authority-data");
  if (!ca_pem.isOk()) {
    return ca_pem.status();
  }
  out.tls.ca_pem = *ca_pem;
  YAML::Node insecure = (*cluster)["insecure-skip-tls-verify"];
  if (insecure && !insecure.IsNull()) {
    bool value = false;
    if (!insecure.IsScalar() || !YAML::convert<bool>::decode(insecure, value)) {
      return reader.error(where + ".insecure-skip-tls-verify", "must be true or false");
    }
    // Only an explicit true turns verification off.
    out.tls.insecure_skip_verify = value;
  }
  return Status::ok();
}

Status readUser(const KubeconfigReader& reader, const std::string& name, K8sConnection& out) {
  Result<YAML::Node> user = reader.findNamed("users", "user", name);
  if (!user.isOk()) {
    return user.status();
  }
  std::string where = KubeconfigReader::where("users", name) + ".user";
  Result<std::optional<std::string>> token = reader.optionalString(*user, where, "token");
  if (!token.isOk()) {
    return token.status();
  }
  out.endpoint.bearer_token = token->value_or("");
  Result<std::string> token_file = reader.readableFile(*user, where, "tokenFile");
  if (!token_file.isOk()) {
    return token_file.status();
  }
  out.endpoint.token_file = *token_file;

  Result<std::string> cert_file = reader.readableFile(*user, where, "client-certificate");
  Result<std::string> cert_pem = reader.base64Data(*user, where, "client-certificate-data");
  Result<std::string> key_file = reader.readableFile(*user, where, "client-key");
  Result<std::string> key_pem = reader.base64Data(*user, where, "client-key-data");
  for (const auto* part : {&cert_file, &cert_pem, &key_file, &key_pem}) {
    if (!part->isOk()) {
      return part->status();
    }
  }
  out.tls.client_cert_file = *cert_file;
  out.tls.client_cert_pem = *cert_pem;
  out.tls.client_key_file = *key_file;
  out.tls.client_key_pem = *key_pem;
  bool has_cert = !cert_file->empty() || !cert_pem->empty();
  bool has_key = !key_file->empty() || !key_pem->empty();
  if (has_cert != has_key) {
    return reader.error(where, has_cert ? "has a client certificate but no client-key(-data)"
                                        : "has a client key but no client-certificate(-data)");
  }

  bool has_credential =
      !out.endpoint.bearer_token.empty() || !out.endpoint.token_file.empty() || has_cert;
  if (!has_credential) {
    for (const char* plugin : {"exec", "auth-provider", "username"}) {
      if ((*user)[plugin]) {
        return reader.error(where + "." + plugin,
                            "is not supported; use token, tokenFile or a client certificate");
      }
    }
  }
  return Status::ok();
}

Result<K8sConnection> readKubeconfig(const KubeconfigReader& reader, const std::string& context) {
  std::string context_name = context;
  if (context_name.empty()) {
    Result<std::string> current =
        reader.requiredString(reader.root(), "(top level)", "current-context");
    if (!current.isOk()) {
      return reader.error("current-context", "is not set and no context was named");
    }
    context_name = *current;
  }
  Result<YAML::Node> ctx = reader.findNamed("contexts", "context", context_name);
  if (!ctx.isOk()) {
    return ctx.status();
  }
  std::string where = KubeconfigReader::where("contexts", context_name) + ".context";
  K8sConnection out;
  Result<std::string> cluster = reader.requiredString(*ctx, where, "cluster");
  if (!cluster.isOk()) {
    return cluster.status();
  }
  CORRAL_RETURN_IF_ERROR(readCluster(reader, *cluster, out));
  Result<std::optional<std::string>> user = reader.optionalString(*ctx, where, "user");
  if (!user.isOk()) {
    return user.status();
  }
  if (user->has_value() && !(*user)->empty()) {
    CORRAL_RETURN_IF_ERROR(readUser(reader, **user, out));
  }
  Result<std::optional<std::string>> ns = reader.optionalString(*ctx, where, "namespace");
  if (!ns.isOk()) {
    return ns.status();
  }
  if (ns->has_value() && !(*ns)->empty()) {
    out.ns = **ns;
  }
  return out;
}

}  // namespace

Result<K8sConnection> loadInCluster(const InClusterPaths& paths) {
  const char* host = std::getenv(paths.host_env.c_str());
  const char* port = std::getenv(paths.port_env.c_str());
  if (host == nullptr || *host == '\0' || port == nullptr || *port == '\0') {
    return notFound("not running in a Kubernetes pod: " + paths.host_env + " or " + paths.port_env +
                    " is not set");
  }
  std::string host_text = host;
  if (host_text.find(':') != std::string::npos) {
    host_text = "[" + host_text + "]";  // an IPv6 address
  }
  if (!isReadable(paths.token_file)) {
    return notFound("cannot read the service-account token '" + paths.token_file + "'");
  }
  if (!isReadable(paths.ca_file)) {
    return notFound("cannot read the service-account CA '" + paths.ca_file + "'");
  }
  K8sConnection out;
  out.endpoint.server = "https://" + host_text + ":" + port;
  out.endpoint.token_file = paths.token_file;
  out.tls.ca_file = paths.ca_file;
  if (std::optional<std::string> ns = readFile(paths.namespace_file)) {
    std::string name = trimmed(*ns);
    if (!name.empty()) {
      out.ns = name;
    }
  }
  return out;
}

Result<K8sConnection> loadKubeconfig(const std::string& path, const std::string& context) {
  std::optional<std::string> text = readFile(path);
  if (!text) {
    return notFound("cannot read the kubeconfig '" + path + "'");
  }
  // yaml-cpp throws on syntax errors and failed conversions; nothing thrown passes this point.
  try {
    YAML::Node root = YAML::Load(*text);
    if (!root.IsMap()) {
      return invalidArgument("kubeconfig '" + path + "': not a YAML mapping");
    }
    return readKubeconfig(KubeconfigReader(path, root), context);
  } catch (const YAML::Exception& e) {
    return invalidArgument("kubeconfig '" + path + "': " + e.what());
  }
}

}  // namespace corral::agent
