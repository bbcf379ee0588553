#include "master/auth/token_service.h"

#include "common/crypto.h"

namespace corral::master {
namespace {

std::string_view prefixOf(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEnrollment:
      return kEnrollmentTokenPrefix;
    case TokenKind::kAgent:
      return kAgentTokenPrefix;
    case TokenKind::kOperator:
      return kOperatorTokenPrefix;
  }
  return kOperatorTokenPrefix;
}

std::string kindNoun(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEnrollment:
      return "an enrollment token";
    case TokenKind::kAgent:
      return "an agent token";
    case TokenKind::kOperator:
      return "an operator token";
  }
  return "a token";
}

}  // namespace

Result<std::optional<Token>> TokenService::find(StoreTx& tx, std::string_view secret) {
  std::string hash = sha256Hex(secret);
  auto found = tx.tokens().findByHash(hash);
  if (!found.isOk() || !*found) {
    return found;
  }
  // The index lookup already matched; the constant-time compare keeps the check honest should the
  // lookup ever become a prefix or range scan.
  if (!constantTimeEquals((*found)->hash, hash)) {
    return std::optional<Token>();
  }
  return found;
}

Result<Principal> TokenService::authenticate(std::string_view secret, TokenKind kind) {
  if (secret.empty()) {
    return unauthenticated("missing bearer token: send 'Authorization: Bearer <token>'");
  }
  if (secret.substr(0, prefixOf(kind).size()) != prefixOf(kind)) {
    return unauthenticated("this route needs " + kindNoun(kind) + " (prefix " +
                           std::string(prefixOf(kind)) + ")");
  }
  std::optional<Token> token;
  Status read = store_.read([&](StoreTx& tx) {
    auto found = find(tx, secret);
    if (!found.isOk()) {
      return found.status();
    }
    token = std::move(*found);
    return Status::ok();
  });
  CORRAL_RETURN_IF_ERROR(read);
  if (!token || token->kind != kind) {
    return unauthenticated("unknown token");
  }
  int64_t now = toUnixMillis(clock_.wallNow());
  if (token->revoked_at != 0) {
    return unauthenticated("the token was revoked");
  }
  if (token->expires_at != 0 && token->expires_at <= now) {
    return unauthenticated("the token has expired");
  }
  if (token->max_uses != 0 && token->use_count >= token->max_uses) {
    return unauthenticated("the enrollment token has been used its maximum number of times");
  }
  Principal p;
  p.kind = token->kind;
  p.token_id = token->id;
  p.name = token->name;
  p.role = token->role;
  p.pool_id = token->pool_id;
  p.agent_id = token->agent_id;
  return p;
}

Result<IssuedToken> TokenService::insert(StoreTx& tx, TokenKind kind, const TokenSpec& spec,
                                         const std::string& agent_id, int64_t now,
                                         const std::string& created_by) {
  IssuedToken issued;
  issued.secret = newSecretToken(prefixOf(kind));
  Token& t = issued.token;
  t.id = newId("tok_");
  t.kind = kind;
  t.hash = sha256Hex(issued.secret);
  t.hint = issued.secret.substr(0, prefixOf(kind).size() + 4);
  t.name = spec.name;
  t.role = spec.role;
  t.pool_id = spec.pool_id;
  t.agent_id = agent_id;
  t.created_at = now;
  t.expires_at = spec.expires_at;
  t.max_uses = spec.max_uses;
  t.created_by = created_by;
  CORRAL_RETURN_IF_ERROR(tx.tokens().insert(t));
  return issued;
}

Result<IssuedToken> TokenService::create(TokenKind kind, const TokenSpec& spec,
                                         const Actor& actor) {
  int64_t now = toUnixMillis(clock_.wallNow());
  if (spec.expires_at != 0 && spec.expires_at <= now) {
    return invalidArgument("field 'expires_at': expected a time in the future");
  }
  std::optional<IssuedToken> issued;
  CORRAL_RETURN_IF_ERROR(store_.write([&](StoreTx& tx) {
    if (kind == TokenKind::kEnrollment) {
      auto pool = tx.pools().get(spec.pool_id);
      if (!pool.isOk()) {
        return pool.status();
      }
    }
    auto made = insert(tx, kind, spec, "", now, actor.id);
    if (!made.isOk()) {
      return made.status();
    }
    issued = std::move(*made);
    return tx.audit().append(auditEntry(
        actor, now, std::string(tokenKindName(kind)) + "_token.create", issued->token.id,
        {{"name", spec.name}, {"role", roleName(spec.role)}, {"pool_id", spec.pool_id}}));
  }));
  return std::move(*issued);
}

Status TokenService::revoke(const std::string& token_id, TokenKind kind, const Actor& actor) {
  int64_t now = toUnixMillis(clock_.wallNow());
  return store_.write([&](StoreTx& tx) {
    auto token = tx.tokens().get(token_id);
    if (!token.isOk()) {
      return token.status();
    }
    if (token->kind != kind) {
      return notFound(kindNoun(kind) + " '" + token_id + "' not found");
    }
    CORRAL_RETURN_IF_ERROR(tx.tokens().revoke(token_id, now));
    return tx.audit().append(
        auditEntry(actor, now, std::string(tokenKindName(kind)) + "_token.revoke", token_id));
  });
}

Result<std::vector<Token>> TokenService::list(TokenKind kind, const std::string& pool_id) {
  std::vector<Token> out;
  CORRAL_RETURN_IF_ERROR(store_.read([&](StoreTx& tx) {
    auto tokens = tx.tokens().list(kind, pool_id);
    if (!tokens.isOk()) {
      return tokens.status();
    }
    out = std::move(*tokens);
    return Status::ok();
  }));
  return out;
}

}  // namespace corral::master
