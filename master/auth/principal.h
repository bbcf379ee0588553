#pragma once

// Who is calling: the result of checking a bearer token. Plain value.

#include <string>

#include "master/model/model.h"

namespace corral::master {

struct Principal {
  TokenKind kind = TokenKind::kOperator;
  std::string token_id;
  std::string name;
  Role role = Role::kViewer;  // operator tokens
  std::string pool_id;        // enrollment tokens
  std::string agent_id;       // agent tokens
};

// The caller of a mutating operation, for the audit log.
struct Actor {
  std::string id;  // token id, or "system" for the master's own actions
  std::string remote_addr;
};

}  // namespace corral::master

namespace corral::master {

inline AuditEntry auditEntry(const Actor& actor, int64_t now, std::string action,
                             std::string target, Json details = Json::object()) {
  AuditEntry e;
  e.at = now;
  e.actor = actor.id;
  e.action = std::move(action);
  e.target = std::move(target);
  e.details = std::move(details);
  e.remote_addr = actor.remote_addr;
  return e;
}

}  // namespace corral::master
