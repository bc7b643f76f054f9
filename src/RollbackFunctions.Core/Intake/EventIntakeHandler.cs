using Azure.Messaging;
using Azure.Messaging.EventGrid;
using FluentValidation;
using FluentValidation.Results;

namespace RollbackFunctions.Intake;

/// <summary>
/// <c>POST /api/events</c> and <c>OPTIONS /api/events</c>: an Event Grid webhook subscription in the Event Grid schema
/// or CloudEvents 1.0 (single or batch). A batch is validated whole before anything of it is applied; an event id
/// that was applied before has no second effect (Event Grid delivers at least once).
/// </summary>
public sealed class EventIntakeHandler(
    TriggerIntake triggers,
    ReleaseHandler releases,
    ReleaseLedger ledger,
    ComponentStateStore components,
    SignalLog signals,
    IOptionsMonitor<RollbackOptions> options,
    TimeProvider time,
    IValidator<TriggerEventData> triggerValidator,
    IValidator<HealthResourcesData> healthValidator,
    IValidator<SubscriptionValidationData> validationValidator,
    ILogger<EventIntakeHandler> logger)
{
    private const string EventsPath = "events";
    private static readonly EnvelopeValidator Envelope = new();

    private static readonly Dictionary<ReleaseStatus, ReleaseBody.EventValidator> ReleaseEventValidators =
        ReleaseBody.RecordableStatuses.ToDictionary(status => status, status => new ReleaseBody.EventValidator(status));

    /// <summary>The CloudEvents webhook abuse-protection handshake: any origin may deliver, at any rate.</summary>
    public static IResult Handshake(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var origin = request.Headers["WebHook-Request-Origin"].ToString();
        if (string.IsNullOrWhiteSpace(origin) || origin.Length > IntakeLimits.MaxReference || origin.Any(char.IsControl))
        {
            return Problems.BadRequest("The abuse-protection handshake needs a 'WebHook-Request-Origin' header naming the sender.");
        }

        return new HandshakeResult(origin);
    }

    public async Task<IResult> ReceiveAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var receivedAt = time.GetUtcNow();
        var (root, problem) = await RequestBody.ReadAsync(
            request,
            IntakeJsonContext.Default.JsonElement,
            null,
            "The body must be an event or an array of events (Event Grid schema or CloudEvents 1.0): see 'errors'.",
            cancellationToken,
            acceptsStructuredJson: true).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var failures = new List<ValidationFailure>();
        var elements = Elements(root, failures);
        if (elements is null)
        {
            return Problems.Validation("The body must be an event or an array of events (Event Grid schema or CloudEvents 1.0): see 'errors'.", failures);
        }

        if (TryValidationHandshake(elements, failures) is { } handshake)
        {
            return handshake;
        }

        if (failures.Count > 0)
        {
            return Problems.Validation("The subscription validation event is invalid: see 'errors'.", failures);
        }

        var rollback = options.CurrentValue;
        var planned = new List<IncomingEvent>(elements.Count);
        for (var i = 0; i < elements.Count; i++)
        {
            if (Validate(i, elements[i], rollback, failures) is { } incoming)
            {
                planned.Add(incoming);
            }
        }

        if (failures.Count > 0)
        {
            var named = failures.Select(f => f.PropertyName.Split('.')[0]).Distinct(StringComparer.Ordinal).ToList();
            return Problems.Validation($"The batch was not applied: {string.Join(", ", named.Take(5))} {(named.Count == 1 ? "is" : "are")} invalid. Fix or drop the events named in 'errors' and send the batch again.", failures);
        }

        var unknown = UnknownComponents(planned, rollback);
        if (unknown.Count > 0)
        {
            return Problems.Unprocessable("The batch was not applied: it names components that are not configured (see 'errors'); add them under Rollback:Components or correct the events.", unknown);
        }

        if (await CheckBeforeApplyingAsync(planned, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        var applied = new List<AppliedEvent>(planned.Count);
        foreach (var incoming in planned)
        {
            if (await signals.WasEventAppliedAsync(ComponentOf(incoming), incoming.Id, cancellationToken).ConfigureAwait(false))
            {
                IntakeLog.EventAlreadyApplied(logger, incoming.Id, incoming.Type);
                applied.Add(new AppliedEvent(incoming.Id, incoming.Type, "AlreadyApplied", ComponentOf(incoming), null, null));
                continue;
            }

            var (result, refused) = await ApplyAsync(incoming, client, receivedAt, cancellationToken).ConfigureAwait(false);
            if (refused is not null)
            {
                return refused;
            }

            await signals.MarkEventAppliedAsync(incoming.Id, incoming.Type, ComponentOf(incoming), cancellationToken).ConfigureAwait(false);
            applied.Add(result!);
        }

        return IntakeJson.Result(new EventBatchApplied(applied));
    }

    private static List<JsonElement>? Elements(JsonElement root, List<ValidationFailure> failures)
    {
        if (root.ValueKind == JsonValueKind.Object)
        {
            return [root];
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            failures.Add(new ValidationFailure(EventsPath, "must be an event object or an array of them."));
            return null;
        }

        var count = root.GetArrayLength();
        if (count == 0 || count > IntakeLimits.MaxEventsPerBatch)
        {
            failures.Add(new ValidationFailure(EventsPath, $"must hold 1 to {IntakeLimits.MaxEventsPerBatch} events."));
            return null;
        }

        return [.. root.EnumerateArray()];
    }

    private static bool IsCloudEvent(JsonElement element) => element.ValueKind == JsonValueKind.Object && element.TryGetProperty("specversion", out _);

    private IResult? TryValidationHandshake(List<JsonElement> elements, List<ValidationFailure> failures)
    {
        var index = elements.FindIndex(e => e.ValueKind == JsonValueKind.Object && !IsCloudEvent(e)
            && e.TryGetProperty("eventType", out var t) && t.ValueKind == JsonValueKind.String && t.ValueEquals(EventTypes.SubscriptionValidation));
        if (index < 0)
        {
            return null;
        }

        var path = $"{EventsPath}[{index}]";
        if (elements.Count != 1)
        {
            failures.Add(new ValidationFailure(path, "a subscription validation event must arrive alone."));
            return null;
        }

        if (!elements[0].TryGetProperty("data", out var data))
        {
            failures.Add(new ValidationFailure(path + ".data", "is required."));
            return null;
        }

        return RequestBody.TryRead(data, IntakeJsonContext.Default.SubscriptionValidationData, validationValidator, path + ".data", failures, out var validation)
            ? IntakeJson.Result(new SubscriptionValidationAnswer(validation.ValidationCode!))
            : null;
    }

    /// <summary>Checks the envelope with the Event Grid SDK's parser and the data with the record of its type.</summary>
    private IncomingEvent? Validate(int index, JsonElement element, RollbackOptions rollback, List<ValidationFailure> failures)
    {
        var path = $"{EventsPath}[{index}]";
        if (element.ValueKind != JsonValueKind.Object)
        {
            failures.Add(new ValidationFailure(path, "must be an event object."));
            return null;
        }

        string id, type;
        DateTimeOffset? time;
        var raw = BinaryData.FromString(element.GetRawText());
        try
        {
            if (IsCloudEvent(element))
            {
                var cloudEvent = CloudEvent.ParseMany(raw, skipValidation: false).Single();
                (id, type, time) = (cloudEvent.Id, cloudEvent.Type, cloudEvent.Time);
                if (cloudEvent.DataContentType is { } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add(new ValidationFailure(path + ".datacontenttype", "must be JSON."));
                    return null;
                }
            }
            else
            {
                var gridEvent = EventGridEvent.ParseMany(raw).Single();
                (id, type, time) = (gridEvent.Id, gridEvent.EventType, gridEvent.EventTime);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or JsonException or InvalidOperationException)
        {
            failures.Add(new ValidationFailure(path, "is neither a valid Event Grid event nor a valid CloudEvent 1.0: " + ex.Message));
            return null;
        }

        if (Envelope.Validate(new EventEnvelope(id, type)) is { IsValid: false } envelope)
        {
            failures.AddRange(envelope.Errors.Select(f => new ValidationFailure(path + "." + f.PropertyName.ToLowerInvariant(), f.ErrorMessage)));
            return null;
        }

        path += $" (id {id})";
        var dataPath = path + ".data";
        if (!element.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            failures.Add(new ValidationFailure(dataPath, "must be a JSON object."));
            return null;
        }

        if (EventTypes.ReleaseStatusOf(type) is { } status)
        {
            return RequestBody.TryRead(data, IntakeJsonContext.Default.ReleaseBody, ReleaseEventValidators[status], dataPath, failures, out var release)
                ? new ReleaseEvent(index, id, type, release.ToSubmission(status))
                : null;
        }

        if (EventTypes.TriggerReasonOf(type) is { } reason)
        {
            return RequestBody.TryRead(data, IntakeJsonContext.Default.TriggerEventData, triggerValidator, dataPath, failures, out var trigger)
                ? new TriggerEvent(index, id, type, trigger.Component, reason, trigger.TargetVersion, trigger.DetailsText, trigger.RequestedBy ?? "event-grid", time)
                : null;
        }

        if (type == EventTypes.HealthAvailabilityChanged)
        {
            return RequestBody.TryRead(data, IntakeJsonContext.Default.HealthResourcesData, healthValidator, dataPath, failures, out var health)
                ? Health(index, id, type, health.ResourceInfo!.Properties!, rollback, time)
                : null;
        }

        failures.Add(new ValidationFailure(path + ".type", $"'{TriggerIntake.Clip(type, 120)}' is not an event type this endpoint handles: one of {string.Join(", ", EventTypes.All)}."));
        return null;
    }

    private static HealthAvailabilityEvent Health(int index, string id, string type, HealthResourcesData.HealthProperties properties, RollbackOptions rollback, DateTimeOffset? time)
    {
        var resourceId = properties.TargetResourceId!;
        var component = rollback.ComponentForResource(resourceId);
        if (component is not null && rollback.FindComponent(component) is null)
        {
            // Mapped to a name that is not configured: nothing can be rolled back, so it is recorded as unmapped.
            component = null;
        }

        return new HealthAvailabilityEvent(index, id, type, resourceId, component, properties.AvailabilityState!, properties.PreviousAvailabilityState, properties.OccurredTime, time);
    }

    /// <summary>What the SDK's parsers leave unchecked of an envelope: an id we can key on and a type.</summary>
    private sealed record EventEnvelope(string? Id, string? Type);

    private sealed class EnvelopeValidator : IntakeValidator<EventEnvelope>
    {
        public EnvelopeValidator()
        {
            RuleFor(x => x.Id).NotNull().WithMessage("is required.").ShortText();
            RuleFor(x => x.Type).NotNull().WithMessage("is missing or invalid.").Reference().WithMessage("is missing or invalid.");
        }
    }

    private static Dictionary<string, string[]> UnknownComponents(List<IncomingEvent> planned, RollbackOptions rollback)
    {
        var unknown = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var incoming in planned)
        {
            var component = incoming switch
            {
                ReleaseEvent r => r.Release.Component,
                TriggerEvent t => t.Component,
                _ => null,
            };
            if (component is not null && rollback.FindComponent(component) is null)
            {
                unknown[$"{EventsPath}[{incoming.Index}] (id {incoming.Id}).data.component"] = [$"'{component}' is not a configured component."];
            }
        }

        return unknown;
    }

    /// <summary>Read-only checks that would otherwise refuse an event half-way through the batch: frozen components, changed artifacts, failed or rolled-back releases.</summary>
    private async Task<IResult?> CheckBeforeApplyingAsync(List<IncomingEvent> planned, CancellationToken cancellationToken)
    {
        foreach (var incoming in planned)
        {
            if (await signals.WasEventAppliedAsync(ComponentOf(incoming), incoming.Id, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (incoming is TriggerEvent trigger)
            {
                var state = await components.GetAsync(trigger.Component, cancellationToken).ConfigureAwait(false);
                if (state.Freeze is { } freeze)
                {
                    return Problems.Frozen(trigger.Component, $"Event {trigger.Id} was refused and nothing of the batch applied. Frozen: {freeze.Reason}", freeze.RollbackId);
                }
            }
            else if (incoming is ReleaseEvent { Release: var release })
            {
                var existing = await ledger.GetAsync(release.Component, release.Version, cancellationToken).ConfigureAwait(false);
                if (existing is not null && !string.Equals(existing.Artifact, release.Artifact, StringComparison.Ordinal))
                {
                    return Problems.Conflict(
                        $"The batch was not applied: event {incoming.Id} records version {release.Version} of {release.Component} with another artifact than the recorded one. Versions are immutable: publish a new version.",
                        $"Recorded artifact: {existing.Artifact}.");
                }

                if (existing is { Status: ReleaseStatus.Failed } && release.Status != ReleaseStatus.Failed)
                {
                    return Problems.Conflict($"The batch was not applied: event {incoming.Id} would mark failed release {release.Version} of {release.Component} as {release.Status}; a failed release stays failed.");
                }

                if (existing is { Status: ReleaseStatus.RolledBack } && release.Status == ReleaseStatus.Verified)
                {
                    return ReleaseHandler.RolledBackConflict(
                        $"The batch was not applied: event {incoming.Id} would mark release {release.Version} of {release.Component} Verified", existing);
                }
            }
        }

        return null;
    }

    private async Task<(AppliedEvent? Applied, IResult? Refused)> ApplyAsync(IncomingEvent incoming, DurableTaskClient client, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        switch (incoming)
        {
            case ReleaseEvent r:
            {
                var (outcome, record, escalationFailed) = await releases.ApplyAsync(r.Release, cancellationToken).ConfigureAwait(false);
                if (escalationFailed is not null)
                {
                    // Recorded, not yet escalated: not marked applied, so Event Grid's redelivery escalates it.
                    return (null, escalationFailed);
                }

                if (outcome is ReleaseWriteOutcome.ArtifactConflict or ReleaseWriteOutcome.StatusConflict or ReleaseWriteOutcome.RolledBackConflict)
                {
                    return (null, Problems.Conflict(
                        $"Event {r.Id} conflicts with the ledger ({outcome}): version {r.Release.Version} of {r.Release.Component} is recorded as {record.Status} with {record.Artifact}. Events before it in the batch were applied; publish a new version."));
                }

                return (new AppliedEvent(r.Id, r.Type, outcome.ToString(), r.Release.Component, null, null), null);
            }

            case TriggerEvent t:
            {
                var trigger = TriggerIntake.Trigger(t.Reason, TriggerSource.EventGrid, t.Id, receivedAt, t.RequestedBy, t.Details, t.Time);
                var answer = await triggers.StartOrJoinAsync(client, new StartRollbackCommand(t.Component, t.TargetVersion, trigger), cancellationToken).ConfigureAwait(false);
                if (answer.Refusal is { } refusal)
                {
                    // Stale or Cooldown: recorded, so the event is applied and Event Grid does not deliver it again.
                    return (new AppliedEvent(t.Id, t.Type, refusal.Outcome.ToString(), t.Component, refusal.RollbackId,
                        refusal.RollbackId is { } lateOn ? RollbackStartResults.StatusUri(lateOn) : null, refusal.Reason), null);
                }

                var result = answer.Start!;
                return result.RollbackId is { } rollbackId
                    ? (new AppliedEvent(t.Id, t.Type, result.Outcome.ToString(), t.Component, rollbackId, RollbackStartResults.StatusUri(rollbackId)), null)
                    : (null, RollbackStartResults.ToHttpResult(result, t.Component));
            }

            case HealthAvailabilityEvent h:
                return (await ApplyHealthAsync(h, client, receivedAt, cancellationToken).ConfigureAwait(false), null);

            default:
                throw new InvalidOperationException($"Unhandled event kind {incoming.GetType().Name}.");
        }
    }

    /// <summary>A degradation of a mapped, unfrozen component starts or joins a HealthDegraded rollback; everything else is recorded only.</summary>
    private async Task<AppliedEvent> ApplyHealthAsync(HealthAvailabilityEvent h, DurableTaskClient client, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        if (h.Component is { } component && h.IndicatesDegradation)
        {
            var trigger = TriggerIntake.Trigger(TriggerReason.HealthDegraded, TriggerSource.EventGrid, h.Id, receivedAt, "event-grid:health-resources", h.Describe(), h.Time);
            var answer = await triggers.StartOrJoinAsync(client, new StartRollbackCommand(component, null, trigger), cancellationToken).ConfigureAwait(false);
            if (answer.Refusal is { } refusal)
            {
                return new AppliedEvent(h.Id, h.Type, refusal.Outcome.ToString(), component, refusal.RollbackId,
                    refusal.RollbackId is { } lateOn ? RollbackStartResults.StatusUri(lateOn) : null, refusal.Reason);
            }

            var result = answer.Start!;
            if (result.RollbackId is { } rollbackId)
            {
                return new AppliedEvent(h.Id, h.Type, result.Outcome.ToString(), component, rollbackId, RollbackStartResults.StatusUri(rollbackId));
            }

            // Frozen (section 11: no further changes): the signal is kept for the incident, not retried by Event Grid.
            await RecordHealthAsync(h, component, "not rolled back: " + result.Reason, cancellationToken).ConfigureAwait(false);
            return new AppliedEvent(h.Id, h.Type, "Recorded" + result.Outcome, component, null, null);
        }

        await RecordHealthAsync(h, h.Component ?? SignalLog.Unmapped, h.Component is null ? "resource mapped to no component" : "state starts nothing", cancellationToken).ConfigureAwait(false);
        return new AppliedEvent(h.Id, h.Type, "Recorded", h.Component, null, null);
    }

    private async Task RecordHealthAsync(HealthAvailabilityEvent h, string partition, string note, CancellationToken cancellationToken)
    {
        await signals.RecordAsync(partition, SignalLog.HealthState, h.Id, new Dictionary<string, string?>
        {
            ["EventId"] = h.Id,
            ["ResourceId"] = h.ResourceId,
            ["AvailabilityState"] = h.AvailabilityState,
            ["PreviousAvailabilityState"] = h.PreviousState,
            ["OccurredAt"] = h.OccurredAt?.ToString("O"),
            ["Note"] = note,
        }, cancellationToken).ConfigureAwait(false);
        IntakeLog.SignalRecorded(logger, SignalLog.HealthState, partition, h.Id);
    }

    private static string? ComponentOf(IncomingEvent incoming) => incoming switch
    {
        ReleaseEvent r => r.Release.Component,
        TriggerEvent t => t.Component,
        HealthAvailabilityEvent h => h.Component,
        _ => null,
    };

    private sealed class HandshakeResult(string origin) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            httpContext.Response.Headers["WebHook-Allowed-Origin"] = origin;
            httpContext.Response.Headers["WebHook-Allowed-Rate"] = "*";
            httpContext.Response.Headers.Allow = "POST, OPTIONS";
            return Task.CompletedTask;
        }
    }
}
