using System.Collections.Concurrent;
using RollbackFunctions.Incidents;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Trust;

/// <summary>
/// Applies <see cref="TriggerAdmission"/> on the trigger path, before start-or-join (API.md "Trust rules"): reads the
/// component, the current version's ledger record and the last rollback, and records what it refuses. A Stale trigger
/// is recorded on the component; a Cooldown trigger on the rollback just ended as a late trigger, and the first of
/// them escalates ("still unhealthy after rollback ..."). A trigger already bound to a rollback is not judged again
/// (it stays that rollback's duplicate), and a trigger refused before is answered as it was the first time.
/// </summary>
public sealed class TriggerAdmissionGate(
    ComponentStateStore components,
    ReleaseLedger ledger,
    RollbackAuditStore audit,
    TriggerKeyStore keys,
    RefusedTriggerLog refusals,
    IncidentNotifier incidents,
    IOptionsMonitor<RollbackOptions> options,
    TimeProvider time,
    ILogger<TriggerAdmissionGate> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<AdmissionFacts>>> _factReads = new(StringComparer.Ordinal);

    /// <returns>Null when the trigger may start or join a rollback; otherwise the refusal to answer.</returns>
    public async Task<TriggerRefusal?> CheckAsync(string component, RollbackTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var facts = await SharedFactsAsync(component, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var decision = Judge(trigger.Source == TriggerSource.Pipeline ? TriggerKind.Pipeline : TriggerKind.Automatic, trigger.ObservedAt, facts, now);
        if (decision.Outcome == AdmissionOutcome.Admit)
        {
            // The starter answers a trigger already bound as its rollback's duplicate, so admission need not read the
            // binding; and a trigger refused before is refused again while the reason holds (Stale never ends, Cooldown
            // only when the component changes or its time is over, and then a repeat is a new judgement). Skipping
            // the two per-trigger reads here is what keeps an alert storm at a few Table requests.
            return null;
        }

        var earlier = refusals.FindAsync(component, trigger.Source, trigger.TriggerId, cancellationToken);
        var bound = keys.FindAsync(component, trigger.Source, trigger.TriggerId, cancellationToken);
        await Task.WhenAll(earlier, bound).ConfigureAwait(false);
        if (await earlier.ConfigureAwait(false) is { } refusedBefore)
        {
            return TriggerRefusal.From(refusedBefore);
        }

        if (await bound.ConfigureAwait(false) is not null)
        {
            return null;
        }

        if (decision is { Outcome: AdmissionOutcome.Cooldown, RollbackId: { } lateOn })
        {
            await audit.RecordLateTriggerAsync(new LateTrigger(lateOn, trigger, decision.Reason), cancellationToken).ConfigureAwait(false);
        }

        var record = new RefusedTrigger(component, decision.Outcome, trigger.Source, trigger.TriggerId, trigger.ObservedAt, decision.Reason, decision.RollbackId, now);
        var standing = await refusals.RecordAsync(record, cancellationToken).ConfigureAwait(false);
        if (!ReferenceEquals(standing, record))
        {
            // A concurrent delivery of the same trigger recorded it first: its answer stands, and it escalated if anyone did.
            return TriggerRefusal.From(standing);
        }

        TrustLog.Refused(logger, trigger.Source.ToString(), trigger.TriggerId, component, decision.Outcome.ToString(), decision.Reason);
        var escalated = decision is { Outcome: AdmissionOutcome.Cooldown, RollbackId: { } rollbackId }
            && await EscalateOnceAsync(rollbackId, component, trigger, decision.Reason, cancellationToken).ConfigureAwait(false);
        return TriggerRefusal.From(standing, escalated);
    }

    /// <summary>
    /// The cooldown in force now, for readers (the component view): what a trigger arriving now would be told, without
    /// recording or escalating anything. Null when a trigger now would not be refused for the cooldown.
    /// </summary>
    public async Task<CooldownInForce?> CooldownAsync(string component, CancellationToken cancellationToken)
    {
        var facts = await ReadFactsAsync(component, cancellationToken).ConfigureAwait(false);
        var decision = Judge(TriggerKind.Pipeline, null, facts, time.GetUtcNow());
        return decision is { Outcome: AdmissionOutcome.Cooldown, RollbackId: { } rollbackId } && facts.Last is { } last
            ? new CooldownInForce(rollbackId, last.EndedAt + options.CurrentValue.Cooldown, decision.Reason)
            : null;
    }

    /// <summary>
    /// Concurrent triggers for one component share one read of its facts (a storm's deliveries arrive together), so a
    /// trigger may be judged on facts read at most one read's latency before it arrived: the same window there always
    /// is between admission and the starter's own conditional writes, which stay the authority.
    /// </summary>
    private async Task<AdmissionFacts> SharedFactsAsync(string component, CancellationToken cancellationToken)
    {
        var read = new Lazy<Task<AdmissionFacts>>(() => ReadFactsAsync(component, CancellationToken.None));
        var shared = _factReads.GetOrAdd(component, read);
        try
        {
            return await shared.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ReferenceEquals(shared, read))
            {
                _factReads.TryRemove(KeyValuePair.Create(component, read));
            }
        }
    }

    /// <summary>The component, the current version's ledger record and the rollback admission judges against, read now.</summary>
    private async Task<AdmissionFacts> ReadFactsAsync(string component, CancellationToken cancellationToken)
    {
        var stateRead = components.GetAsync(component, cancellationToken);
        var lastRead = audit.ListAsync(component, 1, cancellationToken);
        await Task.WhenAll(stateRead, lastRead).ConfigureAwait(false);
        var state = await stateRead.ConfigureAwait(false);
        var current = state.CurrentVersion is { } version ? await ledger.GetAsync(component, version, cancellationToken).ConfigureAwait(false) : null;
        var newestFirst = await lastRead.ConfigureAwait(false);
        return new AdmissionFacts(state, current?.RecordedAt, LastRollbackOf(newestFirst is [var newest, ..] ? newest : null, state, time.GetUtcNow()));
    }

    private AdmissionDecision Judge(TriggerKind kind, DateTimeOffset? observedAt, AdmissionFacts facts, DateTimeOffset now)
    {
        var rollback = options.CurrentValue;
        return TriggerAdmission.Evaluate(
            new AdmissionInput(kind, observedAt, facts.State.CurrentVersion, facts.CurrentDeployedAt, facts.Last, now), rollback.Cooldown, rollback.EvidenceSkew);
    }

    /// <summary>What admission reads about a component: its state, when its current version was recorded, and the last rollback.</summary>
    private sealed record AdmissionFacts(ComponentState State, DateTimeOffset? CurrentDeployedAt, LastRollback? Last);

    /// <summary>
    /// The rollback admission judges against. One whose audit does not say ended yet while the component is no longer
    /// held by it and runs its target is ending now (the component is settled before the audit says ended): it is
    /// judged as succeeded at this moment, so a trigger in that gap cannot start a second rollback.
    /// </summary>
    private static LastRollback? LastRollbackOf(RollbackRecord? last, ComponentState state, DateTimeOffset now)
    {
        if (last is null)
        {
            return null;
        }

        if (last.Phase.IsTerminal())
        {
            return new LastRollback(last.RollbackId, last.Phase == RollbackPhase.Succeeded, last.EndedAt ?? last.StartedAt, last.TargetVersion);
        }

        var settledSucceeded = state.ActiveRollbackId != last.RollbackId && !state.IsFrozen && last.TargetVersion is not null
            && string.Equals(state.CurrentVersion, last.TargetVersion, StringComparison.Ordinal);
        return settledSucceeded ? new LastRollback(last.RollbackId, true, now, last.TargetVersion) : null;
    }

    /// <summary>Once per rollback (insert-if-absent); a delivery that fails gives the claim back so the next late trigger tries again.</summary>
    private async Task<bool> EscalateOnceAsync(string rollbackId, string component, RollbackTrigger trigger, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!await audit.TryClaimLateEscalationAsync(rollbackId, trigger.TriggerId, now, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var ended = await audit.GetRollbackAsync(rollbackId, cancellationToken).ConfigureAwait(false);
        var report = new IncidentReport(
            rollbackId,
            component,
            ended?.Phase ?? RollbackPhase.Succeeded,
            $"Still unhealthy after rollback {rollbackId}: trigger {trigger.Source}/{trigger.TriggerId} ({trigger.Reason}) arrived in the cooldown. {reason}",
            ended?.FromVersion,
            ended?.TargetVersion,
            ended?.StartedAt ?? now,
            ended?.EndedAt ?? now);
        var delivery = await incidents.DeliverAsync(report, cancellationToken).ConfigureAwait(false);
        TrustLog.LateEscalation(logger, rollbackId, component, delivery.Delivered, delivery.Error);
        if (!delivery.Delivered && !delivery.NotConfigured)
        {
            await audit.ReleaseLateEscalationAsync(rollbackId, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            await audit.RecordLateEscalationAsync(rollbackId, delivery, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }

        return delivery.Delivered;
    }
}
