#include "master/metrics/text_format.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <set>

namespace corral::metrics {
namespace {

bool isNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

// `{name="value",...}`, with `le` appended for a histogram bucket; nothing when there are no
// labels at all.
void appendLabels(std::string& out, const std::vector<std::string>& names,
                  const LabelValues& values, const std::string* le = nullptr) {
  if (names.empty() && le == nullptr) {
    return;
  }
  out += '{';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    out += names[i];
    out += "=\"";
    out += escapeLabelValue(values[i]);
    out += '"';
  }
  if (le != nullptr) {
    if (!names.empty()) {
      out += ',';
    }
    out += "le=\"";
    out += *le;
    out += '"';
  }
  out += '}';
}

void appendLine(std::string& out, const std::string& name, const char* suffix,
                const std::vector<std::string>& names, const LabelValues& values, double value,
                const std::string* le = nullptr) {
  out += name;
  out += suffix;
  appendLabels(out, names, values, le);
  out += ' ';
  out += formatValue(value);
  out += '\n';
}

Status invalid(const FamilyData& family, const std::string& what) {
  return invalidArgument("metric family '" + family.name + "': " + what);
}

}  // namespace

const char* metricTypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

bool isValidMetricName(std::string_view name) {
  if (name.empty() || !(isNameStart(name[0]) || name[0] == ':')) {
    return false;
  }
  for (char c : name) {
    if (!isNameStart(c) && !isDigit(c) && c != ':') {
      return false;
    }
  }
  return true;
}

bool isValidLabelName(std::string_view name) {
  if (name.empty() || !isNameStart(name[0]) || name.substr(0, 2) == "__") {
    return false;
  }
  for (char c : name) {
    if (!isNameStart(c) && !isDigit(c)) {
      return false;
    }
  }
  return true;
}

std::string escapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string formatValue(double value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  // Counts and sizes are integers; writing them as such keeps the output easy to read and exact
  // up to 2^53, where every integer is still a double.
  constexpr double kExactIntegers = 9007199254740992.0;
  if (value == std::trunc(value) && std::fabs(value) < kExactIntegers) {
    return std::to_string(static_cast<int64_t>(value));
  }
  char buf[64];
  auto written = std::to_chars(buf, buf + sizeof buf, value);
  return {buf, written.ptr};
}

Status checkFamily(const FamilyData& family) {
  if (!isValidMetricName(family.name)) {
    return invalid(family, "not a valid metric name");
  }
  std::set<std::string> seen;
  for (const auto& label : family.label_names) {
    if (!isValidLabelName(label)) {
      return invalid(family, "'" + label + "' is not a valid label name");
    }
    if (family.type == MetricType::kHistogram && label == "le") {
      return invalid(family, "a histogram may not have a label named 'le'");
    }
    if (!seen.insert(label).second) {
      return invalid(family, "label '" + label + "' appears twice");
    }
  }
  for (const auto& sample : family.samples) {
    if (sample.labels.size() != family.label_names.size()) {
      return invalid(family, "a sample has " + std::to_string(sample.labels.size()) +
                                 " label values for " + std::to_string(family.label_names.size()) +
                                 " label names");
    }
  }
  if (family.type != MetricType::kHistogram) {
    if (!family.series.empty()) {
      return invalid(family, "only a histogram has bucket series");
    }
    return Status::ok();
  }
  if (!family.samples.empty()) {
    return invalid(family, "a histogram has bucket series, not samples");
  }
  for (size_t i = 0; i < family.bounds.size(); ++i) {
    if (!std::isfinite(family.bounds[i]) || (i > 0 && family.bounds[i] <= family.bounds[i - 1])) {
      return invalid(family, "bucket bounds must be finite and strictly increasing");
    }
  }
  for (const auto& s : family.series) {
    if (s.labels.size() != family.label_names.size()) {
      return invalid(family, "a series has " + std::to_string(s.labels.size()) +
                                 " label values for " + std::to_string(family.label_names.size()) +
                                 " label names");
    }
    if (s.bucket_counts.size() != family.bounds.size() + 1) {
      return invalid(family, "a series has " + std::to_string(s.bucket_counts.size()) +
                                 " buckets for " + std::to_string(family.bounds.size()) +
                                 " bounds");
    }
  }
  return Status::ok();
}

void appendFamily(std::string& out, const FamilyData& family) {
  out += "# HELP ";
  out += family.name;
  out += ' ';
  out += escapeHelp(family.help);
  out += "\n# TYPE ";
  out += family.name;
  out += ' ';
  out += metricTypeName(family.type);
  out += '\n';
  if (family.type != MetricType::kHistogram) {
    for (const auto& sample : family.samples) {
      appendLine(out, family.name, "", family.label_names, sample.labels, sample.value);
    }
    return;
  }
  std::vector<std::string> les;
  les.reserve(family.bounds.size() + 1);
  for (double bound : family.bounds) {
    les.push_back(formatValue(bound));
  }
  les.emplace_back("+Inf");
  for (const auto& s : family.series) {
    // The text format wants each bucket to count everything at or below its bound.
    uint64_t cumulative = 0;
    for (size_t i = 0; i < s.bucket_counts.size(); ++i) {
      cumulative += s.bucket_counts[i];
      appendLine(out, family.name, "_bucket", family.label_names, s.labels,
                 static_cast<double>(cumulative), &les[i]);
    }
    appendLine(out, family.name, "_sum", family.label_names, s.labels, s.sum);
    appendLine(out, family.name, "_count", family.label_names, s.labels,
               static_cast<double>(cumulative));
  }
}

}  // namespace corral::metrics
