#pragma once

// The parts every converter shares: metadata, conditions, a pod template's images. Internal to
// the converters.

#include <string>
#include <string_view>
#include <vector>

#include "agent/model/meta.h"
#include "common/json.h"
#include "common/status.h"

namespace corral::agent {

// metadata -> CommonMeta. `default_kind` fills `kind` when the item does not name its own (the
// items of a List usually do not).
model::CommonMeta metaFromJson(const Json& item, std::string_view default_kind);
std::vector<model::Condition> conditionsFromJson(const Json& conditions);
// The images of a pod spec's app containers, in order, without repeats.
std::vector<std::string> containerImages(const Json& pod_spec);
// The refusal for an item that is not an object.
Status notAnObject(std::string_view kind, const Json& item);

}  // namespace corral::agent
