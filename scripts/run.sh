#!/usr/bin/env bash
# Installs the dependencies, builds, and runs a master on the embedded SQLite default
# (./var/corral), then drives it once with curl the way an agent and an operator would:
# create a pool, enrol an agent, park its long-poll, enqueue a command, watch it arrive and
# report its result. Then a real corral-agent joins for a Kubernetes cluster served by the
# project's Kubernetes API emulator, and its cluster snapshot shows in the master. Everything
# keeps running until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh

data_dir="${CORRAL_DATA_DIR:-./var/corral}"
listen="${CORRAL_LISTEN:-127.0.0.1:8420}"
url="http://$listen"
master=build/master/corral-master

if curl -s -o /dev/null "$url/healthz"; then
  echo "run.sh: something already answers on $listen; choose another address with CORRAL_LISTEN" >&2
  exit 1
fi
"$master" --data-dir "$data_dir" --listen "$listen" &
master_pid=$!
trap 'kill "$master_pid" 2>/dev/null || true; wait "$master_pid" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
  curl -sf "$url/healthz" >/dev/null && break
  kill -0 "$master_pid" 2>/dev/null || break
  sleep 0.1
done
if ! kill -0 "$master_pid" 2>/dev/null; then
  echo "run.sh: corral-master did not start (its message is above)" >&2
  exit 1
fi

admin=$(cat "$data_dir/admin.token")
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
call() { curl -sS -H "Authorization: Bearer $1" -H 'Content-Type: application/json' "${@:2}"; }

echo "== operator creates a pool and an enrollment token"
pool=$(call "$admin" -X POST "$url/api/v1/agent-pools" \
  -d '{"name":"demo-'"$$"'","selection_strategy":"least_busy"}' | json "['id']")
enrollment=$(call "$admin" -X POST "$url/api/v1/agent-pools/$pool/tokens" \
  -d '{"name":"demo"}' | json "['token']")
echo "pool $pool"

echo "== an agent registers with the enrollment token"
registration=$(call "$enrollment" -X POST "$url/api/v1/agent/register" \
  -d '{"name":"demo-agent-'"$$"'","type":"host","protocol_version":"1.0","labels":{"os":"linux"}}')
agent_id=$(echo "$registration" | json "['agent_id']")
agent_token=$(echo "$registration" | json "['agent_token']")
echo "agent $agent_id"

echo "== the agent parks a long-poll; the operator enqueues a command to the pool"
call "$agent_token" "$url/api/v1/agent/commands?wait=30" > /tmp/corral-demo-poll.$$ &
poll_pid=$!
command=$(call "$admin" -X POST "$url/api/v1/commands" \
  -d '{"target":{"pool_id":"'"$pool"'"},"action":"plan","params":{"workspace":"demo"}}')
command_id=$(echo "$command" | json "['id']")
wait "$poll_pid"
echo "agent received: $(cat /tmp/corral-demo-poll.$$)"
fence=$(json "['commands'][0]['fence']" < /tmp/corral-demo-poll.$$)
rm -f /tmp/corral-demo-poll.$$

echo "== the agent reports the result; the operator reads the command"
call "$agent_token" -X POST "$url/api/v1/agent/commands/$command_id/result" \
  -d '{"fence":'"$fence"',"success":true,"data":{"changes":0}}' >/dev/null
call "$admin" "$url/api/v1/commands/$command_id" | python3 -m json.tool

echo "== a Kubernetes agent joins, against the Kubernetes API emulator (real recorded cluster data)"
emulator=build/tests/k8s_emulator/corral-k8s-emulator
agent=build/agent/corral-agent
run_dir="$data_dir/demo"
mkdir -p "$run_dir"
"$emulator" --listen 127.0.0.1:0 --token demo-cluster-token --kubeconfig-out "$run_dir/kubeconfig" \
  > "$run_dir/emulator.out" 2> "$run_dir/emulator.log" &
emulator_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$run_dir/emulator.out" 2>/dev/null && break; sleep 0.1; done
k8s_pool=$(call "$admin" -X POST "$url/api/v1/agent-pools" \
  -d '{"name":"clusters-'"$$"'","pool_type":"k8s"}' | json "['id']")
k8s_enrollment=$(call "$admin" -X POST "$url/api/v1/agent-pools/$k8s_pool/tokens" -d '{}' | json "['token']")
cat > "$run_dir/agent.yaml" <<YAML
name: demo-cluster-agent-$$
server_url: $url
enrollment_token: $k8s_enrollment
cluster_id: demo
state_dir: $run_dir/agent-state
health_listen: 127.0.0.1:0
snapshot_interval: 30s
kubernetes:
  in_cluster: false
  kubeconfig: $run_dir/kubeconfig
YAML
"$agent" --config "$run_dir/agent.yaml" 2> "$run_dir/agent.log" &
agent_pid=$!
trap 'kill "$agent_pid" "$emulator_pid" "$master_pid" 2>/dev/null || true; wait 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
  curl -sf -H "Authorization: Bearer $admin" "$url/api/v1/clusters/demo/snapshot" >/dev/null && break
  sleep 0.2
done
echo "clusters:"
call "$admin" "$url/api/v1/clusters" | python3 -m json.tool

echo
echo "corral-master is running at $url (data in $data_dir), with a Kubernetes agent connected."
echo "Dashboard: $url/ (sign in with the admin token)."
echo "Admin token: $data_dir/admin.token. Logs of the demo agent and emulator: $run_dir."
echo "Press Ctrl-C to stop."
wait "$master_pid"
