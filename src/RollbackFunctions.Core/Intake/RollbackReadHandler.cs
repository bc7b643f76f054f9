using RollbackFunctions.Workflow;

namespace RollbackFunctions.Intake;

/// <summary><c>GET /api/rollbacks/{id}</c> and <c>GET /api/rollbacks?component=&amp;limit=</c>: "why was rollback executed, and to which version?"</summary>
public sealed class RollbackReadHandler(RollbackAuditStore audit, ComponentStateStore components, IOptionsMonitor<RollbackOptions> options, TimeProvider time)
{
    public Task<IResult> GetAsync(string rollbackId, DurableTaskClient client, CancellationToken cancellationToken) =>
        GetAsync(rollbackId, AuditTrail.Rollbacks, client, cancellationToken);

    /// <summary>A rollback, or with <see cref="AuditTrail.Drills"/> a drill: the same view, from its own tables.</summary>
    public async Task<IResult> GetAsync(string rollbackId, AuditTrail trail, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var (noun, route) = Words(trail);
        if (RollbackIds.Check(rollbackId) is { } invalid)
        {
            return Problems.Validation($"The {noun} id in the path is invalid.", new Dictionary<string, string[]> { ["id"] = [invalid] });
        }

        var view = await FindAsync(rollbackId, trail, client, cancellationToken).ConfigureAwait(false);
        return view is null
            ? Problems.NotFound($"There is no {noun} '{rollbackId}': list them with GET /api/{route}?component=<name>.")
            : IntakeJson.Result(view);
    }

    /// <summary>The audit's view with its timeline; while the audit has not caught up, the orchestration's own input and status.</summary>
    public Task<RollbackView?> FindAsync(string rollbackId, DurableTaskClient client, CancellationToken cancellationToken) =>
        FindAsync(rollbackId, AuditTrail.Rollbacks, client, cancellationToken);

    public async Task<RollbackView?> FindAsync(string rollbackId, AuditTrail trail, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var view = await FindInTrailAsync(rollbackId, trail, client, cancellationToken).ConfigureAwait(false);
        return view is not null && trail == AuditTrail.Drills ? view with { StatusUri = Drills.DrillIds.StatusUri(rollbackId) } : view;
    }

    private static (string Noun, string Route) Words(AuditTrail trail) => trail == AuditTrail.Drills ? ("drill", "drills") : ("rollback", "rollbacks");

    private async Task<RollbackView?> FindInTrailAsync(string rollbackId, AuditTrail trail, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var store = audit.Of(trail);
        var (rollback, steps, joined) = await store.GetTimelineAsync(rollbackId, cancellationToken).ConfigureAwait(false);
        if (rollback is not null)
        {
            var view = RollbackView.FromAudit(rollback, steps, joined, time.GetUtcNow());
            if (rollback.Phase.IsTerminal())
            {
                // Only a succeeded rollback has a cooldown, so only an ended one can have late triggers.
                var late = rollback.Phase == RollbackPhase.Succeeded ? audit.ListLateTriggersAsync(rollbackId, cancellationToken) : Task.FromResult<IReadOnlyList<LateTrigger>>([]);
                var lateEscalation = rollback.Phase == RollbackPhase.Succeeded ? audit.GetLateEscalationAsync(rollbackId, cancellationToken) : Task.FromResult<LateEscalation?>(null);
                var undelivered = audit.ListNotificationFailuresAsync(rollbackId, cancellationToken);
                var escalatedLate = await lateEscalation.ConfigureAwait(false);
                return view with
                {
                    // A succeeded rollback escalates only through a trigger in its cooldown: "still unhealthy after rollback ...".
                    Escalation = view.Escalation ?? (escalatedLate is { } e ? new EscalationRecord(e.At, e.Delivered, 1, e.Error) : null),
                    LateEscalation = escalatedLate,
                    LateTriggers = [.. (await late.ConfigureAwait(false)).Select(LateTriggerView.From)],
                    UndeliveredNotifications = [.. (await undelivered.ConfigureAwait(false)).Select(UndeliveredNotificationView.From)],
                };
            }

            // The custom status only comes with inputs and outputs.
            var live = await client.GetInstanceAsync(rollbackId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
            var livePhase = LivePhase(view.Phase, live);
            if (livePhase == view.Phase)
            {
                return view;
            }

            var liveStatus = live?.ReadCustomStatusAs<RollbackCustomStatus>();
            return view with
            {
                Phase = livePhase,
                FromVersion = view.FromVersion ?? liveStatus?.FromVersion,
                TargetVersion = view.TargetVersion ?? liveStatus?.TargetVersion,
                TargetArtifact = view.TargetArtifact ?? liveStatus?.TargetArtifact,
                DeploymentId = view.DeploymentId ?? liveStatus?.DeploymentId,
                Source = "audit+orchestration",
            };
        }

        var instance = await client.GetInstanceAsync(rollbackId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        // A drill's orchestration is not a rollback's, nor the other way round.
        if (instance?.ReadInputAs<RollbackRequest>() is not { } request || (request.Trigger.Source == TriggerSource.Drill) != (trail == AuditTrail.Drills))
        {
            return null;
        }

        var status = instance.ReadCustomStatusAs<RollbackCustomStatus>();
        var fromRequest = RollbackView.FromRequest(request, status?.Phase ?? RollbackPhase.Received, request.Policy?.Budget ?? options.CurrentValue.Budget, time.GetUtcNow());
        return fromRequest with
        {
            FromVersion = status?.FromVersion,
            TargetVersion = status?.TargetVersion,
            TargetArtifact = status?.TargetArtifact,
            DeploymentId = status?.DeploymentId,
        };
    }

    /// <summary>
    /// Only the phase, as <see cref="FindAsync"/> would show it, from the summary row without the timeline (a rollback
    /// joined by an alert storm has hundreds of rows); null when there is no such rollback.
    /// </summary>
    public async Task<RollbackPhase?> FindPhaseAsync(string rollbackId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var summary = await audit.GetRollbackAsync(rollbackId, cancellationToken).ConfigureAwait(false);
        if (summary?.Phase.IsTerminal() == true)
        {
            return summary.Phase;
        }

        var live = await client.GetInstanceAsync(rollbackId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        if (summary is not null)
        {
            return LivePhase(summary.Phase, live);
        }

        return live is null ? null : live.ReadCustomStatusAs<RollbackCustomStatus>()?.Phase ?? RollbackPhase.Received;
    }

    /// <summary>
    /// The audit is written in batches (target pinned, awaiting confirmation, end); between them the orchestration's
    /// custom status is ahead, so an operator sees Deploying and Verifying as they happen. An end comes from the audit only.
    /// </summary>
    private static RollbackPhase LivePhase(RollbackPhase audited, OrchestrationMetadata? live) =>
        live?.ReadCustomStatusAs<RollbackCustomStatus>()?.Phase is { } phase && phase > audited && !phase.IsTerminal() ? phase : audited;

    public Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ListAsync(request, AuditTrail.Rollbacks, cancellationToken);

    /// <summary>Rollbacks, or with <see cref="AuditTrail.Drills"/> drills, newest first.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, AuditTrail trail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? component = null;
        var limit = IntakeLimits.DefaultHistoryLimit;
        if (request.Query.TryGetValue("component", out var components))
        {
            if ((components.Count != 1 ? "must be given once." : TextRules.CheckComponentName(components[0])) is { } invalid)
            {
                errors["component"] = [invalid];
            }
            else
            {
                component = components[0];
            }
        }

        if (request.Query.TryGetValue("limit", out var limits))
        {
            if (limits.Count != 1 || !int.TryParse(limits[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > IntakeLimits.MaxHistoryLimit)
            {
                errors["limit"] = [$"must be a whole number from 1 to {IntakeLimits.MaxHistoryLimit}."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation("The history query is invalid: see 'errors'.", errors);
        }

        if (component is not null && options.CurrentValue.FindComponent(component) is null)
        {
            return Problems.UnknownComponent(component, "component");
        }

        var now = time.GetUtcNow();
        var rollbacks = await audit.Of(trail).ListAsync(component, limit, cancellationToken).ConfigureAwait(false);
        var views = rollbacks.Select(r => RollbackView.FromAudit(r, null, null, now)).ToList();
        if (trail == AuditTrail.Rollbacks)
        {
            views = await WithActiveNotYetAuditedAsync(views, component, limit, now, cancellationToken).ConfigureAwait(false);
        }

        return trail == AuditTrail.Drills
            ? IntakeJson.Result(new Drills.DrillList(component, limit, [.. views.Select(v => v with { StatusUri = Drills.DrillIds.StatusUri(v.RollbackId) })]))
            : IntakeJson.Result(new RollbackList(component, limit, views));
    }

    /// <summary>
    /// A rollback is in the history from its first audit row, written at the pin; until then only its component's
    /// claim holds it. A list read right after a trigger shows it too, from the claim's request, as the single read does.
    /// </summary>
    private async Task<List<RollbackView>> WithActiveNotYetAuditedAsync(List<RollbackView> views, string? component, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rollback = options.CurrentValue;
        // One read either way: the component's row, or every component's in one query (the operator page polls this).
        IEnumerable<ComponentState> states = component is null
            ? (await components.ListAllAsync(cancellationToken).ConfigureAwait(false)).Values
            : [await components.GetAsync(component, cancellationToken).ConfigureAwait(false)];
        var listed = views.Select(v => v.RollbackId).ToHashSet(StringComparer.Ordinal);
        var unaudited = states
            .Where(s => s is { ActiveScheduledAt: not null, ActiveRequest: { } request } && !listed.Contains(request.RollbackId))
            .Select(s => RollbackView.FromRequest(s.ActiveRequest!, RollbackPhase.Received, s.ActiveRequest!.Policy?.Budget ?? rollback.Budget, now))
            .ToList();
        return unaudited.Count == 0 ? views : [.. views.Concat(unaudited).OrderByDescending(v => v.StartedAt).Take(limit)];
    }
}
