#include "master/model/model.h"

namespace corral::master {

const char* tokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEnrollment:
      return "enrollment";
    case TokenKind::kAgent:
      return "agent";
    case TokenKind::kOperator:
      return "operator";
  }
  return "operator";
}

const char* roleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kOperator:
      return "operator";
    case Role::kAdmin:
      return "admin";
  }
  return "viewer";
}

std::optional<Role> parseRole(const std::string& name) {
  if (name == "viewer") {
    return Role::kViewer;
  }
  if (name == "operator") {
    return Role::kOperator;
  }
  if (name == "admin") {
    return Role::kAdmin;
  }
  return std::nullopt;
}

const char* commandStateName(CommandState state) {
  switch (state) {
    case CommandState::kQueued:
      return "queued";
    case CommandState::kLeased:
      return "leased";
    case CommandState::kRunning:
      return "running";
    case CommandState::kSucceeded:
      return "succeeded";
    case CommandState::kFailed:
      return "failed";
    case CommandState::kCancelled:
      return "cancelled";
    case CommandState::kExpired:
      return "expired";
  }
  return "failed";
}

std::optional<CommandState> parseCommandState(const std::string& name) {
  for (auto s : {CommandState::kQueued, CommandState::kLeased, CommandState::kRunning,
                 CommandState::kSucceeded, CommandState::kFailed, CommandState::kCancelled,
                 CommandState::kExpired}) {
    if (name == commandStateName(s)) {
      return s;
    }
  }
  return std::nullopt;
}

bool isTerminal(CommandState state) {
  return state == CommandState::kSucceeded || state == CommandState::kFailed ||
         state == CommandState::kCancelled || state == CommandState::kExpired;
}

}  // namespace corral::master
