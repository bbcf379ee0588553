#pragma once

// Where the Kubernetes API is and how to authenticate to it: from the pod's service account when
// the agent runs in the cluster, or from a kubeconfig file when it runs outside. Both are read
// once at start; errors name the file and the key at fault. Thread-safe (no shared state).

#include <string>

#include "agent/sdk/rest_k8s_client.h"
#include "common/http_transport.h"
#include "common/status.h"

namespace corral::agent {

struct K8sConnection {
  K8sEndpoint endpoint;
  TlsOptions tls;
  std::string ns = "default";  // the namespace the agent works in unless told otherwise
};

// The service-account mount and the environment Kubernetes gives every pod; tests point these
// elsewhere.
struct InClusterPaths {
  std::string token_file = "/var/run/secrets/kubernetes.io/serviceaccount/token";
  std::string ca_file = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
  std::string namespace_file = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
  std::string host_env = "KUBERNETES_SERVICE_HOST";
  std::string port_env = "KUBERNETES_SERVICE_PORT";
};

// The API server from the environment, the CA from ca_file, and the token from token_file,
// re-read as kubelet rotates it. A missing namespace file means "default". Fails (kNotFound)
// outside a pod, or when the token or CA cannot be read.
Result<K8sConnection> loadInCluster(const InClusterPaths& paths = {});

// Reads the kubeconfig at `path` with the context named `context`, or its current-context when
// `context` is empty. Relative file names in it are relative to the file's folder. Supports
// bearer tokens (token, tokenFile) and client certificates; exec and auth-provider plugins are
// refused with a clear error.
Result<K8sConnection> loadKubeconfig(const std::string& path, const std::string& context);

}  // namespace corral::agent
