#pragma once

// Issues, checks and revokes the three kinds of bearer tokens. Secrets exist only in the return
// value of the call that creates them; the store keeps their SHA-256. Thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "master/auth/principal.h"
#include "master/store/store.h"

namespace corral::master {

struct IssuedToken {
  Token token;
  std::string secret;  // shown once
};

struct TokenSpec {
  std::string name;
  Role role = Role::kViewer;  // operator tokens
  std::string pool_id;        // enrollment tokens
  int64_t expires_at = 0;     // unix ms, 0: never
  int64_t max_uses = 0;       // enrollment tokens, 0: unlimited
};

class TokenService {
 public:
  TokenService(Store& store, Clock& clock) : store_(store), clock_(clock) {}

  // Checks `secret` (the bearer token) and that it is of `kind`. kUnauthenticated for a missing,
  // unknown, expired, revoked or exhausted token, with a message that says which.
  Result<Principal> authenticate(std::string_view secret, TokenKind kind);

  // Creates an operator or enrollment token and audits it in the same transaction.
  Result<IssuedToken> create(TokenKind kind, const TokenSpec& spec, const Actor& actor);
  // Inside an existing transaction: a fresh token of `kind` (used for agent credentials).
  static Result<IssuedToken> insert(StoreTx& tx, TokenKind kind, const TokenSpec& spec,
                                    const std::string& agent_id, int64_t now,
                                    const std::string& created_by);
  Status revoke(const std::string& token_id, TokenKind kind, const Actor& actor);
  Result<std::vector<Token>> list(TokenKind kind, const std::string& pool_id);

  // The token of `secret` if one exists, whatever its state; for checks during registration.
  static Result<std::optional<Token>> find(StoreTx& tx, std::string_view secret);

 private:
  Store& store_;
  Clock& clock_;
};

}  // namespace corral::master
