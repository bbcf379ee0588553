#include "master/alerts/rule_text.h"

namespace corral::master {

std::string durationText(int64_t ms) {
  int64_t s = ms / 1000;
  if (s < 60) {
    return std::to_string(s) + "s";
  }
  struct Unit {
    int64_t seconds;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{86'400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  std::string out;
  int parts = 0;
  for (const Unit& unit : kUnits) {
    if (s >= unit.seconds && parts < 2) {
      out += std::to_string(s / unit.seconds) + unit.name;
      s %= unit.seconds;
      ++parts;
    } else if (parts > 0) {
      break;  // "1h" rather than "1h0m5s"
    }
  }
  return out;
}

std::string qualifiedName(const std::string& ns, const std::string& name) {
  return ns.empty() ? name : ns + "/" + name;
}

std::string plural(int64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace corral::master
