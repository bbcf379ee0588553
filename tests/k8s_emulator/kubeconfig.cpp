// writeKubeconfig() of k8s_emulator.h: a kubeconfig an agent or kubectl can be started with.

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <fstream>

#include "tests/k8s_emulator/k8s_emulator.h"

namespace corral::testing {

Status writeKubeconfig(const std::string& path, const std::string& server, const std::string& token,
                       const std::string& ca_file) {
  constexpr const char* kName = "k8s-emulator";
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "apiVersion" << YAML::Value << "v1";
  out << YAML::Key << "kind" << YAML::Value << "Config";
  out << YAML::Key << "clusters" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << kName;
  out << YAML::Key << "cluster" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "server" << YAML::Value << server;
  if (!ca_file.empty()) {
    out << YAML::Key << "certificate-authority" << YAML::Value << ca_file;
  } else if (server.rfind("https://", 0) == 0) {
    out << YAML::Key << "insecure-skip-tls-verify" << YAML::Value << true;
  }
  out << YAML::EndMap << YAML::EndMap << YAML::EndSeq;
  out << YAML::Key << "users" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << kName;
  out << YAML::Key << "user" << YAML::Value << YAML::BeginMap;
  if (!token.empty()) {
    out << YAML::Key << "token" << YAML::Value << YAML::DoubleQuoted << token;
  }
  out << YAML::EndMap << YAML::EndMap << YAML::EndSeq;
  out << YAML::Key << "contexts" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << kName;
  out << YAML::Key << "context" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "cluster" << YAML::Value << kName;
  out << YAML::Key << "user" << YAML::Value << kName;
  out << YAML::Key << "namespace" << YAML::Value << "default";
  out << YAML::EndMap << YAML::EndMap << YAML::EndSeq;
  out << YAML::Key << "current-context" << YAML::Value << kName;
  out << YAML::EndMap;
  if (!out.good()) {
    return internalError(std::string("cannot write the kubeconfig: ") + out.GetLastError());
  }
  std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::trunc);
    file << out.c_str() << "\n";
    if (!file.good()) {
      return internalError("cannot write " + temporary);
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return internalError("cannot rename " + temporary + " to " + path);
  }
  return Status::ok();
}

}  // namespace corral::testing
