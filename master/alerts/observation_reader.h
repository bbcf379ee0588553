#pragma once

// One snapshot object, as JSON in the agent's model shape (agent/model: the CommonMeta fields,
// then the kind's own), -> the facts the rules read. Lenient like the agent's converters: a
// missing field, or one of another type, reads as empty, 0 or false; nothing throws. Pure; safe
// from any thread.

#include "common/json.h"
#include "master/alerts/observation.h"

namespace corral::master {

PodFacts podFacts(const Json& pod);
NodeFacts nodeFacts(const Json& node);
DeploymentFacts deploymentFacts(const Json& deployment);
EventFacts eventFacts(const Json& event);

// A whole snapshot envelope ({"cluster_id", "version", "fetched_at", "resources", "errors"}).
// agent_id and received_at are the caller's to set.
ClusterObservation observationFromEnvelope(const Json& envelope);

}  // namespace corral::master
