#pragma once

// What the queue (and the fleet, which releases the commands of an agent it deletes or moves)
// reports as commands change state, for the live event stream. Called on the changing thread
// after the commit, never inside a transaction, once per command changed, in the order of the
// changes; an implementation must be cheap and must not block. Implementations are called from
// many threads at once.

#include <optional>
#include <vector>

#include "master/model/model.h"

namespace corral::master {

struct CommandChange {
  CommandRecord command;                 // as committed
  std::optional<CommandState> previous;  // empty: the command was just created
};

class CommandObserver {
 public:
  virtual ~CommandObserver() = default;
  // A new command, a new state, or a cancellation requested of a leased or running command.
  virtual void commandChanged(const CommandChange& change) = 0;
};

// Tells `observer` (which may be null) about each of `changes`, in order.
inline void reportCommandChanges(CommandObserver* observer,
                                 const std::vector<CommandChange>& changes) {
  if (observer == nullptr) {
    return;
  }
  for (const auto& change : changes) {
    observer->commandChanged(change);
  }
}

}  // namespace corral::master
