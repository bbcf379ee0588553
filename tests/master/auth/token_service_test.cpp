#include "master/auth/token_service.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "common/crypto.h"
#include "tests/master/support/store_fixture.h"
#include "tests/support/fake_clock.h"

namespace corral::master {
namespace {

using testing::FakeClock;
using testing::readValue;
using testing::StoreFixture;
using testing::writeValue;

struct AuthFixture {
  StoreFixture db;
  FakeClock clock;
  TokenService tokens{db.store(), clock};
  Actor admin{"tok_admin", "10.0.0.1"};
  Pool pool = db.addPool("runners");

  int64_t now() const { return toUnixMillis(clock.wallNow()); }

  IssuedToken create(TokenKind kind, const TokenSpec& spec) {
    auto issued = tokens.create(kind, spec, admin);
    REQUIRE_OK(issued);
    return std::move(*issued);
  }

  IssuedToken operatorToken(Role role = Role::kOperator, int64_t expires_at = 0) {
    TokenSpec spec;
    spec.name = "ci";
    spec.role = role;
    spec.expires_at = expires_at;
    return create(TokenKind::kOperator, spec);
  }

  IssuedToken enrollmentToken(int64_t max_uses = 0) {
    TokenSpec spec;
    spec.name = "bootstrap";
    spec.pool_id = pool.id;
    spec.max_uses = max_uses;
    return create(TokenKind::kEnrollment, spec);
  }

  IssuedToken agentToken(const std::string& agent_id) {
    auto issued = writeValue<IssuedToken>(db.store(), [&](StoreTx& tx) {
      return TokenService::insert(tx, TokenKind::kAgent, TokenSpec{}, agent_id, now(), "system");
    });
    REQUIRE_OK(issued);
    return std::move(*issued);
  }

  std::vector<AuditEntry> audit(const std::string& prefix) {
    auto entries = readValue<std::vector<AuditEntry>>(
        db.store(), [&](StoreTx& tx) { return tx.audit().list(prefix, Page{}); });
    REQUIRE_OK(entries);
    return std::move(*entries);
  }
};

std::string startsWith(const std::string& s, std::string_view prefix) {
  return s.substr(0, prefix.size());
}

std::string readAllFiles(const std::filesystem::path& dir) {
  std::string all;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return all;
}

}  // namespace

TEST_CASE("every kind of token starts with its own prefix", "[auth]") {
  AuthFixture f;
  CHECK(startsWith(f.operatorToken().secret, kOperatorTokenPrefix) == kOperatorTokenPrefix);
  CHECK(startsWith(f.enrollmentToken().secret, kEnrollmentTokenPrefix) == kEnrollmentTokenPrefix);
  f.db.addAgent(f.pool.id, "agt_1");
  CHECK(startsWith(f.agentToken("agt_1").secret, kAgentTokenPrefix) == kAgentTokenPrefix);
}

TEST_CASE("only the SHA-256 of a secret is stored, never the secret", "[auth]") {
  AuthFixture f;
  IssuedToken issued = f.operatorToken(Role::kAdmin);
  Token row = f.db.token(issued.token.id);
  CHECK(row.hash == sha256Hex(issued.secret));
  CHECK(row.hash != issued.secret);
  // The hint is only enough to recognise the token in a list.
  CHECK(row.hint == issued.secret.substr(0, kOperatorTokenPrefix.size() + 4));
  CHECK(row.kind == TokenKind::kOperator);
  CHECK(row.role == Role::kAdmin);
  CHECK(row.created_by == "tok_admin");

  // Nothing on disk holds the secret, while the hash written next to it is found.
  f.db.close();
  std::string bytes = readAllFiles(f.db.dir().path());
  CHECK(bytes.find(row.hash) != std::string::npos);
  CHECK(bytes.find(issued.secret) == std::string::npos);
  CHECK(bytes.find(issued.secret.substr(kOperatorTokenPrefix.size())) == std::string::npos);
}

TEST_CASE("authenticate accepts a valid token and says who is calling", "[auth]") {
  AuthFixture f;
  IssuedToken op = f.operatorToken(Role::kAdmin);
  auto who = f.tokens.authenticate(op.secret, TokenKind::kOperator);
  REQUIRE_OK(who);
  CHECK(who->kind == TokenKind::kOperator);
  CHECK(who->token_id == op.token.id);
  CHECK(who->name == "ci");
  CHECK(who->role == Role::kAdmin);

  IssuedToken enr = f.enrollmentToken();
  auto enrolling = f.tokens.authenticate(enr.secret, TokenKind::kEnrollment);
  REQUIRE_OK(enrolling);
  CHECK(enrolling->pool_id == f.pool.id);

  f.db.addAgent(f.pool.id, "agt_1");
  IssuedToken agt = f.agentToken("agt_1");
  auto agent = f.tokens.authenticate(agt.secret, TokenKind::kAgent);
  REQUIRE_OK(agent);
  CHECK(agent->agent_id == "agt_1");
}

TEST_CASE("authenticate refuses a token of another kind", "[auth]") {
  AuthFixture f;
  IssuedToken op = f.operatorToken();
  IssuedToken enr = f.enrollmentToken();
  auto as_agent = f.tokens.authenticate(op.secret, TokenKind::kAgent);
  CHECK(as_agent.status().code() == ErrorCode::kUnauthenticated);
  CHECK(as_agent.status().message().find("agent token") != std::string::npos);
  CHECK(f.tokens.authenticate(enr.secret, TokenKind::kOperator).status().code() ==
        ErrorCode::kUnauthenticated);

  // A stored row decides, not the prefix alone: a secret with the operator prefix whose row says
  // it is an agent token does not open operator routes.
  std::string forged = std::string(kOperatorTokenPrefix) + "forged-secret";
  Token row;
  row.id = "tok_forged";
  row.kind = TokenKind::kAgent;
  row.hash = sha256Hex(forged);
  row.hint = forged.substr(0, 11);
  REQUIRE_OK(f.db.store().write([&](StoreTx& tx) { return tx.tokens().insert(row); }));
  auto refused = f.tokens.authenticate(forged, TokenKind::kOperator);
  CHECK(refused.status().code() == ErrorCode::kUnauthenticated);
}

TEST_CASE("authenticate refuses a missing or unknown token", "[auth]") {
  AuthFixture f;
  f.operatorToken();
  auto missing = f.tokens.authenticate("", TokenKind::kOperator);
  CHECK(missing.status().code() == ErrorCode::kUnauthenticated);
  CHECK(missing.status().message().find("missing") != std::string::npos);

  auto unknown = f.tokens.authenticate(newSecretToken(kOperatorTokenPrefix), TokenKind::kOperator);
  CHECK(unknown.status().code() == ErrorCode::kUnauthenticated);
  CHECK(unknown.status().message().find("unknown") != std::string::npos);
}

TEST_CASE("authenticate refuses a revoked token", "[auth]") {
  AuthFixture f;
  IssuedToken op = f.operatorToken();
  REQUIRE_OK(f.tokens.revoke(op.token.id, TokenKind::kOperator, f.admin));
  auto refused = f.tokens.authenticate(op.secret, TokenKind::kOperator);
  CHECK(refused.status().code() == ErrorCode::kUnauthenticated);
  CHECK(refused.status().message().find("revoked") != std::string::npos);
  CHECK(f.db.token(op.token.id).revoked_at == f.now());
}

TEST_CASE("authenticate refuses a token once the clock reaches its expiry", "[auth]") {
  AuthFixture f;
  IssuedToken op = f.operatorToken(Role::kViewer, f.now() + 3'600'000);

  f.clock.advance(std::chrono::milliseconds(3'600'000 - 1));
  CHECK_OK(f.tokens.authenticate(op.secret, TokenKind::kOperator));

  f.clock.advance(std::chrono::milliseconds(1));
  auto refused = f.tokens.authenticate(op.secret, TokenKind::kOperator);
  CHECK(refused.status().code() == ErrorCode::kUnauthenticated);
  CHECK(refused.status().message().find("expired") != std::string::npos);
}

TEST_CASE("a token cannot be created already expired", "[auth]") {
  AuthFixture f;
  TokenSpec spec;
  spec.expires_at = f.now();
  auto made = f.tokens.create(TokenKind::kOperator, spec, f.admin);
  CHECK(made.status().code() == ErrorCode::kInvalidArgument);
  CHECK(made.status().message().find("expires_at") != std::string::npos);
}

TEST_CASE("an enrollment token is refused once used max_uses times", "[auth]") {
  AuthFixture f;
  IssuedToken enr = f.enrollmentToken(2);
  auto use = [&] {
    REQUIRE_OK(f.db.store().write(
        [&](StoreTx& tx) { return tx.tokens().recordUse(enr.token.id, f.now()); }));
  };
  CHECK_OK(f.tokens.authenticate(enr.secret, TokenKind::kEnrollment));
  use();
  CHECK_OK(f.tokens.authenticate(enr.secret, TokenKind::kEnrollment));
  use();
  auto refused = f.tokens.authenticate(enr.secret, TokenKind::kEnrollment);
  CHECK(refused.status().code() == ErrorCode::kUnauthenticated);
  CHECK(refused.status().message().find("maximum") != std::string::npos);
  CHECK(f.db.token(enr.token.id).use_count == 2);
}

TEST_CASE("an enrollment token without max_uses never runs out", "[auth]") {
  AuthFixture f;
  IssuedToken enr = f.enrollmentToken(0);
  REQUIRE_OK(f.db.store().write([&](StoreTx& tx) -> Status {
    for (int i = 0; i < 50; ++i) {
      CORRAL_RETURN_IF_ERROR(tx.tokens().recordUse(enr.token.id, f.now()));
    }
    return Status::ok();
  }));
  CHECK_OK(f.tokens.authenticate(enr.secret, TokenKind::kEnrollment));
}

TEST_CASE("an enrollment token for an unknown pool is kNotFound and stores nothing", "[auth]") {
  AuthFixture f;
  TokenSpec spec;
  spec.pool_id = "pool_ghost";
  auto made = f.tokens.create(TokenKind::kEnrollment, spec, f.admin);
  CHECK(made.status().code() == ErrorCode::kNotFound);
  auto listed = f.tokens.list(TokenKind::kEnrollment, "");
  REQUIRE_OK(listed);
  CHECK(listed->empty());
  CHECK(f.audit("").empty());
}

TEST_CASE("revoking a token twice is fine and audited each time", "[auth]") {
  AuthFixture f;
  IssuedToken op = f.operatorToken();
  REQUIRE_OK(f.tokens.revoke(op.token.id, TokenKind::kOperator, f.admin));
  int64_t first = f.db.token(op.token.id).revoked_at;
  f.clock.advance(std::chrono::milliseconds(5000));
  CHECK_OK(f.tokens.revoke(op.token.id, TokenKind::kOperator, f.admin));
  CHECK(f.db.token(op.token.id).revoked_at == first);
  CHECK(f.audit("operator_token.revoke").size() == 2);
}

TEST_CASE("revoking an unknown token, or one of another kind, is kNotFound", "[auth]") {
  AuthFixture f;
  CHECK(f.tokens.revoke("tok_ghost", TokenKind::kOperator, f.admin).code() == ErrorCode::kNotFound);

  IssuedToken enr = f.enrollmentToken();
  CHECK(f.tokens.revoke(enr.token.id, TokenKind::kOperator, f.admin).code() ==
        ErrorCode::kNotFound);
  CHECK(f.db.token(enr.token.id).revoked_at == 0);
  CHECK_OK(f.tokens.authenticate(enr.secret, TokenKind::kEnrollment));
}

TEST_CASE("creating a token is audited with the actor", "[auth]") {
  AuthFixture f;
  IssuedToken op = f.operatorToken(Role::kAdmin);
  auto entries = f.audit("operator_token.");
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].action == "operator_token.create");
  CHECK(entries[0].actor == "tok_admin");
  CHECK(entries[0].remote_addr == "10.0.0.1");
  CHECK(entries[0].target == op.token.id);
  CHECK(entries[0].details.at("role") == "admin");
  // The audit log never holds the secret either.
  CHECK(entries[0].details.dump().find(op.secret) == std::string::npos);
}

TEST_CASE("list returns the tokens of a kind newest first, optionally of one pool", "[auth]") {
  AuthFixture f;
  Pool other = f.db.addPool("other");
  IssuedToken first = f.enrollmentToken();
  f.clock.advance(std::chrono::milliseconds(1000));
  IssuedToken second = f.enrollmentToken();
  f.clock.advance(std::chrono::milliseconds(1000));
  TokenSpec spec;
  spec.pool_id = other.id;
  IssuedToken elsewhere = f.create(TokenKind::kEnrollment, spec);
  f.operatorToken();

  auto all = f.tokens.list(TokenKind::kEnrollment, "");
  REQUIRE_OK(all);
  REQUIRE(all->size() == 3);
  CHECK((*all)[0].id == elsewhere.token.id);
  CHECK((*all)[1].id == second.token.id);
  CHECK((*all)[2].id == first.token.id);

  auto in_pool = f.tokens.list(TokenKind::kEnrollment, f.pool.id);
  REQUIRE_OK(in_pool);
  REQUIRE(in_pool->size() == 2);
  CHECK((*in_pool)[0].id == second.token.id);
}

TEST_CASE("revoking an agent's tokens stops its credential", "[auth]") {
  AuthFixture f;
  f.db.addAgent(f.pool.id, "agt_1");
  IssuedToken agt = f.agentToken("agt_1");
  REQUIRE_OK(f.db.store().write(
      [&](StoreTx& tx) { return tx.tokens().revokeForAgent("agt_1", f.now()); }));
  CHECK(f.tokens.authenticate(agt.secret, TokenKind::kAgent).status().code() ==
        ErrorCode::kUnauthenticated);
}

TEST_CASE("find returns the token of a secret whatever its state", "[auth]") {
  AuthFixture f;
  IssuedToken op = f.operatorToken();
  REQUIRE_OK(f.tokens.revoke(op.token.id, TokenKind::kOperator, f.admin));
  auto found = readValue<std::optional<Token>>(
      f.db.store(), [&](StoreTx& tx) { return TokenService::find(tx, op.secret); });
  REQUIRE_OK(found);
  REQUIRE(found->has_value());
  CHECK((*found)->id == op.token.id);
  CHECK((*found)->revoked_at != 0);

  auto unknown = readValue<std::optional<Token>>(f.db.store(), [&](StoreTx& tx) {
    return TokenService::find(tx, newSecretToken(kOperatorTokenPrefix));
  });
  REQUIRE_OK(unknown);
  CHECK_FALSE(unknown->has_value());
}

}  // namespace corral::master
