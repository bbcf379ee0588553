#pragma once

// Where long-polls park. A request arms a waiter under a key (an agent id, a command id), checks
// the store, and waits; whoever changes what the key stands for calls notify(key). Arming before
// checking means a notify that lands between the check and the wait is not lost. Thread-safe;
// notify() is O(waiters of that key).

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "master/model/model.h"

namespace corral::master {

class Notifier {
 public:
  // A parked waiter set aside to receive commands directly (see reserve()).
  class Reservation {
   public:
    virtual ~Reservation() = default;
  };

  virtual ~Notifier() = default;
  virtual void notify(const std::string& key) = 0;
  // Wakes every waiter, for changes that concern all of them (an operator token revoked).
  virtual void notifyAll() = 0;

  // Takes a waiter parked under `key` out of the waiting game: it stays blocked, whatever its
  // timeout, until handOff() gives it commands or release() lets it go back to waiting. Lets an
  // enqueue lease a command straight to a parked poll in its own transaction. nullptr when no
  // waiter is parked (in wait()) right now.
  virtual std::unique_ptr<Reservation> reserve(const std::string& key) = 0;
  // Delivers `commands` (already leased and committed) to the reserved waiter.
  virtual void handOff(std::unique_ptr<Reservation> reservation,
                       std::vector<CommandRecord> commands) = 0;
  // Gives up a reservation; the waiter re-checks the store.
  virtual void release(std::unique_ptr<Reservation> reservation) = 0;
};

class WaitSet final : public Notifier {
 public:
  enum class Wake { kNotified, kTimeout, kSuperseded, kShutdown, kHandedOff };

  class Waiter {
   public:
    // Forget earlier notifications; call before each check of the store.
    void reset();
    // The commands handed over by handOff(), after wait() returned kHandedOff.
    std::vector<CommandRecord> takeHandedOff();

   private:
    friend class WaitSet;
    std::condition_variable cv_;
    // All guarded by the WaitSet's mutex.
    bool notified_ = false;
    bool superseded_ = false;
    bool in_wait_ = false;   // blocked in wait(): safe to reserve
    bool reserved_ = false;  // wait() does not return while set
    bool handed_off_ = false;
    std::vector<CommandRecord> handed_;
    WaitSet* owner_ = nullptr;
  };

  // Unregisters the waiter when it goes out of scope.
  class Ticket {
   public:
    Ticket(WaitSet& set, std::string key, std::shared_ptr<Waiter> waiter);
    ~Ticket();
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    Waiter& waiter() { return *waiter_; }

   private:
    WaitSet& set_;
    std::string key_;
    std::shared_ptr<Waiter> waiter_;
  };

  // With `exclusive`, an earlier waiter under the same key is woken with kSuperseded: an agent has
  // one parked poll, and its newest replaces one that may belong to a dead connection.
  std::unique_ptr<Ticket> arm(const std::string& key, bool exclusive);
  // Blocks up to `timeout` (real time) unless notified since the last reset().
  Wake wait(Ticket& ticket, std::chrono::milliseconds timeout);

  void notify(const std::string& key) override;
  void notifyAll() override;
  std::unique_ptr<Reservation> reserve(const std::string& key) override;
  void handOff(std::unique_ptr<Reservation> reservation,
               std::vector<CommandRecord> commands) override;
  void release(std::unique_ptr<Reservation> reservation) override;
  // Wakes everything with kShutdown, now and for every later wait.
  void shutdown();

  bool isWaiting(const std::string& key) const;
  // Whether a waiter of `key` is blocked inside wait() right now (it could take a hand-off).
  bool isBlocked(const std::string& key) const;
  size_t parked() const;

 private:
  void disarm(const std::string& key, const Waiter* waiter);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::shared_ptr<Waiter>>> waiters_;  // mutex_
  size_t count_ = 0;       // guarded by mutex_
  bool shutdown_ = false;  // guarded by mutex_
};

}  // namespace corral::master
