#include "master/metrics/text_format.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

namespace corral::metrics {
namespace {

std::string render(const FamilyData& family) {
  REQUIRE(checkFamily(family).toString() == "ok");
  std::string out;
  appendFamily(out, family);
  return out;
}

FamilyData histogramFamily(std::vector<std::string> label_names = {}) {
  FamilyData f;
  f.name = "job_seconds";
  f.help = "How long jobs took.";
  f.type = MetricType::kHistogram;
  f.label_names = std::move(label_names);
  f.bounds = {0.5, 1, 2.5};
  return f;
}

TEST_CASE("a family opens with its HELP and TYPE lines, then one line per sample",
          "[metrics][text]") {
  FamilyData f = gaugeFamily("corral_agents", "Agents by pool and status.", {"pool", "status"});
  f.add({"runners", "online"}, 3);
  f.add({"runners", "offline"}, 0);
  CHECK(render(f) ==
        "# HELP corral_agents Agents by pool and status.\n"
        "# TYPE corral_agents gauge\n"
        "corral_agents{pool=\"runners\",status=\"online\"} 3\n"
        "corral_agents{pool=\"runners\",status=\"offline\"} 0\n");
}

TEST_CASE("a sample without labels has no braces", "[metrics][text]") {
  FamilyData f;
  f.name = "requests_total";
  f.help = "Requests.";
  f.type = MetricType::kCounter;
  f.add({}, 12);
  CHECK(render(f) ==
        "# HELP requests_total Requests.\n"
        "# TYPE requests_total counter\n"
        "requests_total 12\n");
}

TEST_CASE("a family without series is its HELP and TYPE lines alone", "[metrics][text]") {
  FamilyData f = gaugeFamily("corral_alerts_firing", "Alerts firing.", {"rule"});
  CHECK(render(f) ==
        "# HELP corral_alerts_firing Alerts firing.\n"
        "# TYPE corral_alerts_firing gauge\n");
}

TEST_CASE("label values escape backslash, double quote and line feed, and nothing else",
          "[metrics][text]") {
  CHECK(escapeLabelValue(R"(C:\runners)") == R"(C:\\runners)");
  CHECK(escapeLabelValue(R"(say "hi")") == R"(say \"hi\")");
  CHECK(escapeLabelValue("two\nlines") == R"(two\nlines)");
  CHECK(escapeLabelValue("tab\tand ünïcode {} = ,") == "tab\tand ünïcode {} = ,");

  FamilyData f = gaugeFamily("g", "h", {"agent"});
  f.add({"a\\b\"c\nd"}, 1);
  CHECK(render(f).find("g{agent=\"a\\\\b\\\"c\\nd\"} 1\n") != std::string::npos);
}

TEST_CASE("HELP text escapes backslash and line feed but keeps double quotes", "[metrics][text]") {
  CHECK(escapeHelp("a \\ b\nc \"d\"") == "a \\\\ b\\nc \"d\"");
  FamilyData f = gaugeFamily("g", "first\nsecond");
  CHECK(render(f).rfind("# HELP g first\\nsecond\n", 0) == 0);
}

TEST_CASE("histogram buckets are cumulative, end with +Inf, then _sum and _count",
          "[metrics][text]") {
  FamilyData f = histogramFamily();
  // Per bucket: 2 at or below 0.5, 1 in (0.5, 1], 0 in (1, 2.5], 3 above 2.5.
  f.series.push_back({{}, {2, 1, 0, 3}, 17.25});
  CHECK(render(f) ==
        "# HELP job_seconds How long jobs took.\n"
        "# TYPE job_seconds histogram\n"
        "job_seconds_bucket{le=\"0.5\"} 2\n"
        "job_seconds_bucket{le=\"1\"} 3\n"
        "job_seconds_bucket{le=\"2.5\"} 3\n"
        "job_seconds_bucket{le=\"+Inf\"} 6\n"
        "job_seconds_sum 17.25\n"
        "job_seconds_count 6\n");
}

TEST_CASE("a labelled histogram puts le after its own labels", "[metrics][text]") {
  FamilyData f = histogramFamily({"route"});
  f.series.push_back({{"/api/v1/agents/{id}"}, {0, 1, 0, 0}, 0.75});
  std::string out = render(f);
  CHECK(out.find("job_seconds_bucket{route=\"/api/v1/agents/{id}\",le=\"0.5\"} 0\n") !=
        std::string::npos);
  CHECK(out.find("job_seconds_bucket{route=\"/api/v1/agents/{id}\",le=\"+Inf\"} 1\n") !=
        std::string::npos);
  CHECK(out.find("job_seconds_sum{route=\"/api/v1/agents/{id}\"} 0.75\n") != std::string::npos);
  CHECK(out.find("job_seconds_count{route=\"/api/v1/agents/{id}\"} 1\n") != std::string::npos);
}

TEST_CASE("values: integers as integers, fractions exactly, and the special values",
          "[metrics][text]") {
  CHECK(formatValue(0) == "0");
  CHECK(formatValue(-0.0) == "0");
  CHECK(formatValue(42) == "42");
  CHECK(formatValue(-7) == "-7");
  CHECK(formatValue(1234567890123.0) == "1234567890123");
  CHECK(formatValue(0.005) == "0.005");
  CHECK(formatValue(0.1 + 0.2) == "0.30000000000000004");
  CHECK(formatValue(1e300) == "1e+300");
  CHECK(formatValue(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(formatValue(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(formatValue(std::nan("")) == "NaN");
}

TEST_CASE("metric and label names follow the Prometheus grammar", "[metrics][text]") {
  CHECK(isValidMetricName("corral_agents"));
  CHECK(isValidMetricName("job:rate5m"));
  CHECK(isValidMetricName("_x9"));
  CHECK_FALSE(isValidMetricName(""));
  CHECK_FALSE(isValidMetricName("9lives"));
  CHECK_FALSE(isValidMetricName("with-dash"));
  CHECK_FALSE(isValidMetricName("with space"));

  CHECK(isValidLabelName("agent_id"));
  CHECK(isValidLabelName("_private"));
  CHECK_FALSE(isValidLabelName("__name__"));
  CHECK_FALSE(isValidLabelName("a:b"));
  CHECK_FALSE(isValidLabelName("1st"));
  CHECK_FALSE(isValidLabelName(""));
}

TEST_CASE("checkFamily refuses what would make a scrape unreadable", "[metrics][text]") {
  FamilyData wrong_count = gaugeFamily("g", "h", {"a", "b"});
  wrong_count.add({"only one"}, 1);
  CHECK(checkFamily(wrong_count).code() == ErrorCode::kInvalidArgument);

  CHECK(checkFamily(gaugeFamily("bad-name", "h")).code() == ErrorCode::kInvalidArgument);
  CHECK(checkFamily(gaugeFamily("g", "h", {"a", "a"})).code() == ErrorCode::kInvalidArgument);
  CHECK(checkFamily(gaugeFamily("g", "h", {"__name__"})).code() == ErrorCode::kInvalidArgument);

  FamilyData le_label = histogramFamily({"le"});
  CHECK(checkFamily(le_label).code() == ErrorCode::kInvalidArgument);

  FamilyData unordered = histogramFamily();
  unordered.bounds = {1, 0.5};
  CHECK(checkFamily(unordered).code() == ErrorCode::kInvalidArgument);

  FamilyData infinite = histogramFamily();
  infinite.bounds = {1, std::numeric_limits<double>::infinity()};
  CHECK(checkFamily(infinite).code() == ErrorCode::kInvalidArgument);

  FamilyData short_buckets = histogramFamily();
  short_buckets.series.push_back({{}, {1, 2, 3}, 0});  // 3 bounds need 4 buckets
  CHECK(checkFamily(short_buckets).code() == ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace corral::metrics
