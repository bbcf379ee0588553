#pragma once

// The adapter from the inventory: a cluster's published index -> what the alert rules read. Pods
// are read from the index's kept fields, and their JSON is parsed only when they carry a reason a
// pod rule looks at (a crash loop, a failed pull, an OOM kill), so a large healthy cluster costs
// little; nodes and deployments are parsed, events come from the kept fields. Pure; safe from any
// thread.

#include "master/alerts/observation.h"

namespace corral::master {

class ClusterIndex;

ClusterObservation observationFromIndex(const ClusterIndex& index);

}  // namespace corral::master
