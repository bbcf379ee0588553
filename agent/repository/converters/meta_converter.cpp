#include <algorithm>

#include "agent/repository/converters/converter_support.h"
#include "agent/repository/converters/json_fields.h"

namespace corral::agent {

namespace {

// kubectl apply stores the whole applied object here: a second copy of the spec, and for a
// ConfigMap its data values.
constexpr std::string_view kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";

}  // namespace

model::CommonMeta metaFromJson(const Json& item, std::string_view default_kind) {
  const Json& metadata = fields::at(item, {"metadata"});
  model::CommonMeta meta;
  meta.uid = fields::str(metadata, {"uid"});
  meta.name = fields::str(metadata, {"name"});
  meta.ns = fields::str(metadata, {"namespace"});
  meta.kind = fields::str(item, {"kind"});
  if (meta.kind.empty()) {
    meta.kind = default_kind;
  }
  meta.node_name = fields::str(item, {"spec", "nodeName"});
  meta.labels = fields::stringMap(fields::at(metadata, {"labels"}));
  meta.annotations = fields::stringMap(fields::at(metadata, {"annotations"}));
  meta.annotations.erase(std::string(kLastApplied));
  meta.created_at = fields::str(metadata, {"creationTimestamp"});

  const Json& owners = fields::array(fields::at(metadata, {"ownerReferences"}));
  auto controller = std::find_if(owners.begin(), owners.end(), [](const Json& owner) {
    return fields::boolean(owner, {"controller"});
  });
  const Json* owner = controller != owners.end() ? &*controller
                      : owners.empty()           ? nullptr
                                                 : &owners.front();
  if (owner != nullptr) {
    meta.owner_kind = fields::str(*owner, {"kind"});
    meta.owner_name = fields::str(*owner, {"name"});
  }
  return meta;
}

std::vector<model::Condition> conditionsFromJson(const Json& conditions) {
  std::vector<model::Condition> out;
  for (const Json& c : fields::array(conditions)) {
    model::Condition condition;
    condition.type = fields::str(c, {"type"});
    condition.status = fields::str(c, {"status"});
    condition.reason = fields::str(c, {"reason"});
    condition.message = fields::str(c, {"message"});
    condition.last_transition_time = fields::str(c, {"lastTransitionTime"});
    out.push_back(std::move(condition));
  }
  return out;
}

std::vector<std::string> containerImages(const Json& pod_spec) {
  std::vector<std::string> images;
  for (const Json& container : fields::array(fields::at(pod_spec, {"containers"}))) {
    std::string image = fields::str(container, {"image"});
    if (!image.empty() && std::find(images.begin(), images.end(), image) == images.end()) {
      images.push_back(std::move(image));
    }
  }
  return images;
}

Status notAnObject(std::string_view kind, const Json& item) {
  return invalidArgument(std::string(kind) + ": expected a JSON object, got " + item.type_name());
}

}  // namespace corral::agent
