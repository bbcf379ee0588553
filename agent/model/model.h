#pragma once

// The agent's shared model in one include: every kind, the snapshot and their JSON.

#include "agent/model/cluster_snapshot.h"  // IWYU pragma: export
#include "agent/model/config.h"            // IWYU pragma: export
#include "agent/model/event.h"             // IWYU pragma: export
#include "agent/model/meta.h"              // IWYU pragma: export
#include "agent/model/networking.h"        // IWYU pragma: export
#include "agent/model/node.h"              // IWYU pragma: export
#include "agent/model/pod.h"               // IWYU pragma: export
#include "agent/model/resource_kind.h"     // IWYU pragma: export
#include "agent/model/workloads.h"         // IWYU pragma: export
