#!/usr/bin/env bash
# A rollback drill end to end against a running dev host (./scripts/run.sh in another terminal): records two releases
# of storefront (1.4.0 verified, 1.5.0 deployed) if they are not there, shows its readiness, starts a drill against its
# drill environment (the demo's simulators), waits for the end and prints the drill's timeline and its R. The
# component's state, gate and ledger are not changed by it.
# ROLLBACK_URL (default http://127.0.0.1:7071) and ROLLBACK_KEY (default: the demo key) point it elsewhere.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/lib.sh"
COMPONENT="${1:-storefront}"

if [[ "$COMPONENT" == storefront ]]; then
  echo "1. releases of storefront: 1.4.0 Verified, 1.5.0 Deployed (already recorded is fine)"
  call POST /api/releases "$HERE/release-v1-verified.json" >/dev/null; expect 200 201 409
  call POST /api/releases "$HERE/release-v2-deployed.json" >/dev/null; expect 200 201 409
fi

echo "2. readiness of $COMPONENT"
call GET /api/readiness > "$TMP/readiness.json"; expect 200
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).components.find(c => c.component === process.argv[2]);
  if (!r) { console.log("   not configured"); process.exit(1); }
  console.log(r.ready ? `   ready: a rollback now would deploy ${r.target.version}` : `   NOT ready: ${r.failingPrecondition.name}: ${r.failingPrecondition.reason}`);' "$TMP/readiness.json" "$COMPONENT"

echo "3. drill $COMPONENT"
printf '{"component":"%s","requestedBy":"samples/drill.sh"}' "$COMPONENT" > "$TMP/drill.json"
call POST /api/drills "$TMP/drill.json" > "$TMP/accepted.json"; expect 202
ID="$(field drillId < "$TMP/accepted.json")"
echo "   HTTP 202, drill $ID ($URL$(field statusUri < "$TMP/accepted.json"))"

for _ in $(seq 1 600); do
  call GET "/api/drills/$ID" > "$TMP/drill-view.json"
  OUTCOME="$(field outcome < "$TMP/drill-view.json")"
  [[ -n "$OUTCOME" ]] && break
  sleep 0.5
done
[[ -n "${OUTCOME:-}" ]] || { echo "   the drill did not end"; exit 1; }

node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const t0 = new Date(d.trigger.receivedAt).getTime();
  for (const s of d.timeline) console.log(`   +${String(new Date(s.at).getTime() - t0).padStart(6)} ms  ${s.status.padEnd(7)} ${s.name}: ${s.detail || ""}`);
  console.log(`4. drill ${d.outcome}: ${d.outcomeReason}`);
  console.log(d.recoverySeconds != null ? `   R = ${d.recoverySeconds.toFixed(3)} s (budget ${d.budgetSeconds} s)` : "   no R: verification did not pass");' "$TMP/drill-view.json"
[[ "$OUTCOME" == Succeeded ]]
