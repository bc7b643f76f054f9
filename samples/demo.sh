#!/usr/bin/env bash
# The whole loop against a running dev host (./scripts/run.sh in another terminal): records two releases of
# storefront (1.4.0 verified, 1.5.0 deployed), fires an Azure Monitor alert, waits for the rollback to reach
# AwaitingConfirmation, confirms as an operator, and prints the rollback's timeline.
# ROLLBACK_URL (default http://127.0.0.1:7071) and ROLLBACK_KEY (default: the demo key) point it elsewhere.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/lib.sh"

echo "1. record releases of storefront: 1.4.0 Verified (known healthy), 1.5.0 Deployed (the broken one)"
call POST /api/releases "$HERE/release-v1-verified.json" >/dev/null; expect 200 201; echo "   1.4.0 -> HTTP $STATUS"
call POST /api/releases "$HERE/release-v2-deployed.json" >/dev/null; expect 200 201; echo "   1.5.0 -> HTTP $STATUS"

echo "2. Azure Monitor fires an alert on storefront (a fresh alert id each run)"
node -e '
  const a = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  a.data.essentials.alertId += "-" + Date.now();
  a.data.essentials.firedDateTime = new Date().toISOString();
  require("fs").writeFileSync(process.argv[2], JSON.stringify(a));' "$HERE/alert-fired.json" "$TMP/alert.json"
call POST /api/alerts "$TMP/alert.json" > "$TMP/accepted.json"
if [[ "$STATUS" != 202 ]]; then echo "   HTTP $STATUS:"; cat "$TMP/accepted.json"; echo; exit 1; fi
ID="$(field rollbackId < "$TMP/accepted.json")"
echo "   HTTP 202, rollback $ID ($URL$(field statusUri < "$TMP/accepted.json"))"

wait_for() {
  local want="$1" last="" phase=""
  for _ in $(seq 1 600); do
    phase="$(call GET "/api/rollbacks/$ID" | field phase)"
    [[ "$phase" != "$last" ]] && { echo "   phase: $phase"; last="$phase"; }
    [[ "$phase" == "$want" ]] && return 0
    case "$phase" in Succeeded|Rejected|Failed|TimedOut|Unconfirmed) return 1 ;; esac
    sleep 0.5
  done
  return 1
}

echo "3. the rollback runs: validate target, deploy through the simulated deployment API, smoke probes, health checks"
if wait_for AwaitingConfirmation; then
  echo "4. an operator confirms restored availability"
  # The audit records the caller's identity (here the demo key, by its fingerprint), never a name typed into the body.
  printf '{"note":"storefront serves checkout again on 1.4.0"}' > "$TMP/confirm.json"
  call POST "/api/rollbacks/$ID/confirm" "$TMP/confirm.json" >/dev/null; expect 200 202; echo "   HTTP $STATUS"
  wait_for Succeeded || true
fi

echo "5. the rollback, as an operator reads it (GET /api/rollbacks/$ID)"
call GET "/api/rollbacks/$ID" | node -e '
  let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
    const r = JSON.parse(s);
    console.log(`   ${r.component}: ${r.fromVersion ?? "?"} -> ${r.targetVersion ?? "?"} (${r.targetArtifact ?? ""})`);
    console.log(`   why: ${r.trigger.reason} from ${r.trigger.source} at ${r.trigger.receivedAt}`);
    console.log(`   outcome: ${r.outcome ?? r.phase}${r.outcomeReason ? " - " + r.outcomeReason : ""}`);
    console.log(`   R = ${r.recoverySeconds ?? "?"} s to verified (budget ${r.budgetSeconds} s), ${r.elapsedSeconds} s to the end`);
    console.log("   timeline:");
    for (const step of r.timeline ?? [])
      console.log(`     ${step.at}  ${step.phase.padEnd(20)} ${step.name.padEnd(24)} ${step.status.padEnd(9)} ${step.detail ?? ""}`);
  });'
