#pragma once

// A SqliteStore on a file of its own, with helpers that insert the records most master tests
// start from. Each fixture owns a fresh temporary directory, so tests never share a database and
// may run in parallel.

#include <catch2/catch.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "master/model/model.h"
#include "master/store/sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace Catch {

// Failed checks print "conflict" rather than an enum's integer.
template <>
struct StringMaker<corral::ErrorCode> {
  static std::string convert(corral::ErrorCode code) { return corral::errorCodeName(code); }
};

}  // namespace Catch

namespace corral::testing {

inline const Status& statusOf(const Status& status) { return status; }
template <typename T>
const Status& statusOf(const Result<T>& result) {
  return result.status();  // ok when the result holds a value
}

}  // namespace corral::testing

// Stops the test when an expression yielding a Status or a Result fails, printing its error.
#define REQUIRE_OK(expr) REQUIRE(::corral::testing::statusOf(expr).toString() == "ok")
#define CHECK_OK(expr) CHECK(::corral::testing::statusOf(expr).toString() == "ok")

namespace corral::testing {

// The store's own helpers, under the names the tests use.
using master::readValue;
using master::writeValue;

class StoreFixture {
 public:
  // `synchronous` is passed to SqliteOptions; "normal" keeps tests fast where durability across a
  // power cut is not what is being checked.
  explicit StoreFixture(std::string synchronous = "normal");
  ~StoreFixture();

  master::SqliteStore& store() { return *store_; }
  std::string path() const { return dir_.file("corral.db"); }
  const TempDir& dir() const { return dir_; }

  // Closes the store and opens a new one on the same file, as a restarted master would.
  void reopen();
  void close();

  // Inserts a pool with id "pool_<name>".
  master::Pool addPool(const std::string& name,
                       const std::function<void(master::Pool&)>& edit = nullptr);
  // Inserts an online agent with the given id (also its name) in the pool.
  master::Agent addAgent(const std::string& pool_id, const std::string& id,
                         const std::function<void(master::Agent&)>& edit = nullptr);
  void updateAgent(const std::string& id, const std::function<void(master::Agent&)>& edit);

  master::Agent agent(const std::string& id);
  master::CommandRecord command(const std::string& id);
  master::Token token(const std::string& id);
  std::string log(const std::string& command_id);

 private:
  void open();

  TempDir dir_;
  std::string synchronous_;
  std::unique_ptr<master::SqliteStore> store_;
};

}  // namespace corral::testing
