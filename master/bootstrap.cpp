#include "master/bootstrap.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace corral::master {

Status ensureDataDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return invalidArgument("cannot create the data directory '" + dir + "': " + ec.message());
  }
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  return Status::ok();
}

Status writeSecretFile(const std::string& path, const std::string& secret) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return internalError("cannot write '" + path + "': " + std::strerror(errno));
  }
  std::string line = secret + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) {
    return internalError("cannot write '" + path + "'");
  }
  return Status::ok();
}

Result<std::string> bootstrapAdminToken(Store& store, TokenService& tokens,
                                        const std::string& dir) {
  bool any = false;
  CORRAL_RETURN_IF_ERROR(store.read([&](StoreTx& tx) {
    auto existing = tx.tokens().list(TokenKind::kOperator, "");
    if (!existing.isOk()) {
      return existing.status();
    }
    any = !existing->empty();
    return Status::ok();
  }));
  if (any) {
    return std::string();
  }
  TokenSpec spec;
  spec.name = "first admin";
  spec.role = Role::kAdmin;
  auto issued = tokens.create(TokenKind::kOperator, spec, Actor{"system", ""});
  if (!issued.isOk()) {
    return issued.status();
  }
  CORRAL_RETURN_IF_ERROR(writeSecretFile(dir + "/admin.token", issued->secret));
  return issued->secret;
}

}  // namespace corral::master
