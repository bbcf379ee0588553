#pragma once

// Secrets and identifiers. Tokens are 256 random bits from the operating system's CSPRNG with a
// readable prefix; only their SHA-256 is ever stored. All functions are thread-safe.

#include <string>
#include <string_view>

namespace corral {

// Prefixes say what a token is when it shows up in a log or a paste.
inline constexpr std::string_view kEnrollmentTokenPrefix = "crl_enr_";
inline constexpr std::string_view kAgentTokenPrefix = "crl_agt_";
inline constexpr std::string_view kOperatorTokenPrefix = "crl_op_";

// `prefix` followed by 32 random bytes in unpadded base64url (43 characters).
std::string newSecretToken(std::string_view prefix);

// `prefix` followed by 16 random hex characters: unique ids for records (not secrets).
std::string newId(std::string_view prefix);

// Lower-case hex SHA-256 of `data`.
std::string sha256Hex(std::string_view data);

// Compares without an early exit, so the time taken does not reveal where two secrets differ.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace corral
