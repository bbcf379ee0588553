#pragma once

// The Prometheus text exposition format, version 0.0.4: HELP and TYPE lines, then one line per
// sample, `name{label="value",...} value`. Histograms are written as cumulative `_bucket` series
// ending with le="+Inf", then `_sum` and `_count`. Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "common/status.h"
#include "master/metrics/family_data.h"

namespace corral::metrics {

// The Content-Type of a scrape answer in this format.
inline constexpr const char* kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool isValidMetricName(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*, and not starting with "__" (reserved for Prometheus itself).
bool isValidLabelName(std::string_view name);

// A label value between double quotes: backslash, double quote and line feed are escaped.
std::string escapeLabelValue(std::string_view value);
// HELP text: backslash and line feed are escaped.
std::string escapeHelp(std::string_view help);
// A sample value: integers as integers, other finite values in their shortest exact form, and
// +Inf, -Inf, NaN.
std::string formatValue(double value);

// kInvalidArgument naming the family when its name, a label name, the number of label values of
// a series, or a histogram's bounds or bucket counts are wrong; such a family would make the whole
// scrape unreadable.
Status checkFamily(const FamilyData& family);

// Appends `family` (which passed checkFamily) to `out`. A family without series is written as
// its HELP and TYPE lines only.
void appendFamily(std::string& out, const FamilyData& family);

}  // namespace corral::metrics
