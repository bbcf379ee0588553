#include "agent/sdk/k8s_client_factory.h"

#include "agent/sdk/rest_k8s_client.h"
#include "common/http_transport.h"

namespace corral::agent {

Result<std::unique_ptr<K8sClient>> makeK8sClient(const K8sConnection& connection, Clock& clock) {
  TransportOptions options;
  options.tls = connection.tls;
  // The agent talks to one API server all the time; a new TLS handshake per call is waste.
  options.reuse_connections = true;
  Result<std::unique_ptr<HttpTransport>> transport = makeCurlTransport(options);
  if (!transport.isOk()) {
    return transport.status();
  }
  return std::unique_ptr<K8sClient>(
      std::make_unique<RestK8sClient>(std::move(*transport), clock, connection.endpoint));
}

}  // namespace corral::agent
