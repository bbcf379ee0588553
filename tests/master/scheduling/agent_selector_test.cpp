#include "master/scheduling/agent_selector.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace corral::master {
namespace {

Pool pool(const std::string& strategy, Labels required = {}) {
  Pool p;
  p.id = "pool_" + strategy;
  p.name = strategy;
  p.selection_strategy = strategy;
  p.required_labels = std::move(required);
  return p;
}

Agent agent(const std::string& id, Labels labels = {}, int slots_used = 0, int slots_total = 3) {
  Agent a;
  a.id = id;
  a.pool_id = "pool";
  a.name = id;
  a.labels = std::move(labels);
  a.slots_used = slots_used;
  a.slots_total = slots_total;
  return a;
}

// A random source that returns the values it is given, in order, and counts its calls.
struct ScriptedRandom {
  std::vector<uint64_t> values;
  size_t calls = 0;
  uint64_t operator()() { return values[calls++ % values.size()]; }
};

using Busy = std::map<std::string, int>;

}  // namespace

TEST_CASE("round_robin cycles through the eligible agents in id order and wraps", "[scheduling]") {
  AgentSelector selector([] { return uint64_t{0}; });
  Pool p = pool("round_robin");
  // Out of order on purpose: the order is by id, not by the list handed in.
  std::vector<Agent> live = {agent("agt_c"), agent("agt_a"), agent("agt_b")};
  std::vector<std::string> picks;
  for (int i = 0; i < 7; ++i) {
    picks.push_back(selector.select(p, live, {}, {}).value_or("none"));
  }
  CHECK(picks ==
        std::vector<std::string>{"agt_a", "agt_b", "agt_c", "agt_a", "agt_b", "agt_c", "agt_a"});
}

TEST_CASE("round_robin skips agents that are not eligible and carries on after the last pick",
          "[scheduling]") {
  AgentSelector selector([] { return uint64_t{0}; });
  Pool p = pool("round_robin");
  std::vector<Agent> live = {agent("agt_a"), agent("agt_b"), agent("agt_c")};
  CHECK(selector.select(p, live, {}, {}) == "agt_a");
  live[1].drain = true;
  CHECK(selector.select(p, live, {}, {}) == "agt_c");
  CHECK(selector.select(p, live, {}, {}) == "agt_a");
  // The agent picked last may leave; the rotation continues from its position.
  live = {agent("agt_b"), agent("agt_c")};
  CHECK(selector.select(p, live, {}, {}) == "agt_b");
}

TEST_CASE("round_robin keeps a separate position for every pool", "[scheduling]") {
  AgentSelector selector([] { return uint64_t{0}; });
  Pool first = pool("round_robin");
  Pool second = pool("round_robin");
  second.id = "pool_second";
  std::vector<Agent> live = {agent("agt_a"), agent("agt_b")};
  CHECK(selector.select(first, live, {}, {}) == "agt_a");
  CHECK(selector.select(first, live, {}, {}) == "agt_b");
  CHECK(selector.select(second, live, {}, {}) == "agt_a");
}

TEST_CASE("least_busy picks the lowest share of slots in use", "[scheduling]") {
  AgentSelector selector([] { return uint64_t{0}; });
  Pool p = pool("least_busy");
  // agt_a: 2 of 3 used; agt_b: 2 of 5 used (lowest share); agt_c: 1 of 2 used.
  std::vector<Agent> live = {agent("agt_a", {}, 2, 3), agent("agt_b", {}, 2, 5),
                             agent("agt_c", {}, 1, 2)};
  CHECK(selector.select(p, live, {}, {}) == "agt_b");
}

TEST_CASE("least_busy counts the larger of the reported slots and the master's count",
          "[scheduling]") {
  AgentSelector selector([] { return uint64_t{0}; });
  Pool p = pool("least_busy");
  std::vector<Agent> live = {agent("agt_a", {}, 0, 4), agent("agt_b", {}, 1, 4)};
  // agt_a reports idle but the master has just assigned it 3 commands it has not reported yet.
  CHECK(selector.select(p, live, Busy{{"agt_a", 3}}, {}) == "agt_b");
  // agt_b reports 1 in use; a lower master count does not hide that.
  CHECK(selector.select(p, live, Busy{{"agt_a", 2}, {"agt_b", 0}}, {}) == "agt_b");
  CHECK(selector.select(p, live, Busy{{"agt_a", 1}, {"agt_b", 0}}, {}) == "agt_a");
}

TEST_CASE("least_busy breaks ties by the lowest id", "[scheduling]") {
  AgentSelector selector([] { return uint64_t{0}; });
  Pool p = pool("least_busy");
  std::vector<Agent> live = {agent("agt_z", {}, 1, 3), agent("agt_m", {}, 1, 3)};
  CHECK(selector.select(p, live, {}, {}) == "agt_m");
}

TEST_CASE("random picks the eligible agent the injected source points at", "[scheduling]") {
  ScriptedRandom source{{0, 1, 2, 3, 5}};
  AgentSelector selector([&] { return source(); });
  Pool p = pool("random");
  std::vector<Agent> live = {agent("agt_c"), agent("agt_a"), agent("agt_b"),
                             agent("agt_x", {}, 3, 3)};  // full: not a candidate
  std::vector<std::string> picks;
  for (int i = 0; i < 5; ++i) {
    picks.push_back(selector.select(p, live, {}, {}).value_or("none"));
  }
  // Index = value modulo the eligible agents, in id order.
  CHECK(picks == std::vector<std::string>{"agt_a", "agt_b", "agt_c", "agt_a", "agt_c"});
  CHECK(source.calls == 5);
}

TEST_CASE("label_match prefers the agent with the fewest labels beyond those asked for",
          "[scheduling]") {
  AgentSelector selector([] { return uint64_t{0}; });
  Pool p = pool("label_match", {{"os", "linux"}});
  std::vector<Agent> live = {
      agent("agt_a", {{"os", "linux"}, {"gpu", "a100"}, {"region", "eu"}}),
      agent("agt_b", {{"os", "linux"}, {"gpu", "a100"}}),
      agent("agt_c", {{"os", "linux"}, {"gpu", "a100"}, {"ssd", "yes"}}),
      agent("agt_d", {{"os", "linux"}}),  // lacks the gpu label: not eligible
  };
  CHECK(selector.select(p, live, {}, {{"gpu", "a100"}}) == "agt_b");
  // Asked for nothing beyond the pool's labels, the agent without extras fits best.
  CHECK(selector.select(p, live, {}, {}) == "agt_d");
}

TEST_CASE("label_match breaks ties by the least busy agent", "[scheduling]") {
  AgentSelector selector([] { return uint64_t{0}; });
  Pool p = pool("label_match");
  std::vector<Agent> live = {agent("agt_a", {{"gpu", "yes"}}, 2, 3),
                             agent("agt_b", {{"gpu", "yes"}}, 0, 3),
                             agent("agt_c", {{"gpu", "yes"}, {"ssd", "yes"}}, 0, 3)};
  CHECK(selector.select(p, live, {}, {{"gpu", "yes"}}) == "agt_b");
  CHECK(selector.select(p, live, Busy{{"agt_b", 3}}, {{"gpu", "yes"}}) == "agt_a");
}

TEST_CASE("draining, offline and error agents are never selected", "[scheduling]") {
  for (const char* strategy : {"round_robin", "least_busy", "random", "label_match"}) {
    INFO(strategy);
    AgentSelector selector([] { return uint64_t{0}; });
    Pool p = pool(strategy);
    std::vector<Agent> live = {agent("agt_a"), agent("agt_b"), agent("agt_c"), agent("agt_d"),
                               agent("agt_e", {}, 2, 3)};
    live[0].drain = true;
    live[1].status = "offline";
    live[2].status = "draining";
    live[3].status = "error";
    CHECK(selector.select(p, live, {}, {}) == "agt_e");
  }
}

TEST_CASE("a busy agent with a free slot is still eligible", "[scheduling]") {
  AgentSelector selector([] { return uint64_t{0}; });
  Pool p = pool("round_robin");
  std::vector<Agent> live = {agent("agt_a", {}, 2, 3)};
  live[0].status = "busy";
  CHECK(selector.select(p, live, {}, {}) == "agt_a");
}

TEST_CASE("an agent needs the pool's required labels and the command's labels", "[scheduling]") {
  AgentSelector selector([] { return uint64_t{0}; });
  Pool p = pool("least_busy", {{"os", "linux"}});
  std::vector<Agent> live = {
      agent("agt_a", {{"os", "windows"}, {"zone", "a"}}),  // wrong required label value
      agent("agt_b", {{"zone", "a"}}),                     // lacks the required label
      agent("agt_c", {{"os", "linux"}, {"zone", "b"}}),    // wrong command label value
      agent("agt_d", {{"os", "linux"}, {"zone", "a"}}, 2, 3),
  };
  CHECK(selector.select(p, live, {}, {{"zone", "a"}}) == "agt_d");
  CHECK(selector.select(p, live, {}, {{"zone", "c"}}) == std::nullopt);
}

TEST_CASE("an agent without a free slot is not eligible", "[scheduling]") {
  AgentSelector selector([] { return uint64_t{0}; });
  Pool p = pool("least_busy");
  std::vector<Agent> live = {agent("agt_a", {}, 3, 3), agent("agt_b", {}, 0, 2),
                             agent("agt_c", {}, 0, 0)};
  // agt_a reports all slots used; agt_b is full by the master's count; agt_c has no slots.
  CHECK(selector.select(p, live, Busy{{"agt_b", 2}}, {}) == std::nullopt);
  CHECK(selector.select(p, live, Busy{{"agt_b", 1}}, {}) == "agt_b");
}

TEST_CASE("no eligible agent selects nothing, whatever the strategy", "[scheduling]") {
  for (const char* strategy : {"round_robin", "least_busy", "random", "label_match"}) {
    INFO(strategy);
    bool random_called = false;
    AgentSelector selector([&] {
      random_called = true;
      return uint64_t{0};
    });
    Pool p = pool(strategy);
    CHECK(selector.select(p, {}, {}, {}) == std::nullopt);
    std::vector<Agent> live = {agent("agt_a", {}, 3, 3)};
    live.push_back(agent("agt_b"));
    live.back().status = "offline";
    CHECK(selector.select(p, live, {}, {}) == std::nullopt);
    CHECK_FALSE(random_called);
  }
}

TEST_CASE("labelsMatch needs every wanted label with the same value", "[scheduling]") {
  Labels have = {{"os", "linux"}, {"zone", "a"}};
  CHECK(AgentSelector::labelsMatch(have, {}));
  CHECK(AgentSelector::labelsMatch(have, {{"os", "linux"}}));
  CHECK(AgentSelector::labelsMatch(have, {{"os", "linux"}, {"zone", "a"}}));
  CHECK_FALSE(AgentSelector::labelsMatch(have, {{"os", "windows"}}));
  CHECK_FALSE(AgentSelector::labelsMatch(have, {{"gpu", "yes"}}));
  CHECK_FALSE(AgentSelector::labelsMatch({}, {{"os", "linux"}}));
}

}  // namespace corral::master
