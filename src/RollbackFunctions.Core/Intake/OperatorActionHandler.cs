using FluentValidation;
using RollbackFunctions.Security;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Intake;

/// <summary>
/// <c>POST /api/rollbacks/{id}/confirm</c> (section 8: an operator confirms restored availability),
/// <c>POST /api/rollbacks/{id}/abort</c> (an operator stops a rollback in flight) and
/// <c>POST /api/components/{component}/unfreeze</c> (section 11: the freeze ends only with an incident and its analysis),
/// each recorded as the authenticated caller (<see cref="OperatorNames"/>).
/// </summary>
public sealed class OperatorActionHandler(
    RollbackAuditStore audit,
    ComponentStateStore components,
    ComponentReadHandler componentReads,
    IValidator<ConfirmBody> confirmValidator,
    IValidator<UnfreezeBody> unfreezeValidator,
    IValidator<AbortBody> abortValidator,
    SignalLog signals,
    TimeProvider time,
    ILogger<OperatorActionHandler> logger)
{
    public async Task<IResult> ConfirmAsync(HttpRequest request, string rollbackId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        // Who confirms is checked with the body, before the rollback is looked up: a bad request is 400 whatever the id.
        string? operatorName = null, operatorObjectId = null;
        var (body, rollback, instance, problem) = await ReadActionAsync(
            request, rollbackId, client, IntakeJsonContext.Default.ConfirmBody, confirmValidator, "The confirmation is missing fields or has invalid ones: see 'errors'.", cancellationToken,
            confirm =>
            {
                (operatorName, operatorObjectId, var mismatch) = OperatorNames.Resolve(request, confirm.Operator, "confirm", logger);
                return mismatch;
            }).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var note = body.Note;

        // The audit records AwaitingConfirmation when the orchestration starts waiting for the operator's event; the
        // orchestration must still be running to receive it.
        var phase = rollback?.Phase ?? RollbackPhase.Received;
        if (phase != RollbackPhase.AwaitingConfirmation || instance?.RuntimeStatus != OrchestrationRuntimeStatus.Running)
        {
            return Problems.Conflict(
                $"Rollback {rollbackId} is not awaiting confirmation (phase {phase}): confirm only after automated verification passed, while the rollback is AwaitingConfirmation.",
                null,
                new Dictionary<string, object?> { ["phase"] = phase.ToString(), ["statusUri"] = RollbackStartResults.StatusUri(rollbackId) });
        }

        var confirmation = new OperatorConfirmation(operatorName!, note, time.GetUtcNow(), operatorObjectId);
        await client.RaiseEventAsync(rollbackId, OperatorConfirmation.EventName, confirmation, cancellationToken).ConfigureAwait(false);
        IntakeLog.Confirmed(logger, confirmation.Operator, rollbackId);
        return IntakeJson.Result(
            new ConfirmationAccepted(rollbackId, confirmation.Operator, note, confirmation.ConfirmedAt, RollbackStartResults.StatusUri(rollbackId), operatorObjectId),
            StatusCodes.Status202Accepted,
            RollbackStartResults.StatusUri(rollbackId));
    }

    /// <summary>
    /// <c>POST /api/rollbacks/{id}/abort</c>: stops a rollback in flight. The orchestration races the event against its
    /// stages from its start (so one still pending gets it too), ends <see cref="RollbackPhase.Aborted"/>, cancels a
    /// deployment in flight, freezes and escalates. An ended rollback is <c>409</c>.
    /// </summary>
    public async Task<IResult> AbortAsync(HttpRequest request, string rollbackId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (body, rollback, instance, problem) = await ReadActionAsync(
            request, rollbackId, client, IntakeJsonContext.Default.AbortBody, abortValidator, "Aborting needs the reason: see 'errors'.", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var phase = rollback?.Phase ?? RollbackPhase.Received;
        if (phase.IsTerminal() || instance?.RuntimeStatus is not (OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending))
        {
            return Problems.Conflict(
                $"Rollback {rollbackId} has already ended ({phase}): there is nothing to abort.",
                null,
                new Dictionary<string, object?> { ["phase"] = phase.ToString(), ["statusUri"] = RollbackStartResults.StatusUri(rollbackId) });
        }

        if (CallerIdentity.From(request.HttpContext.User) is not { } caller)
        {
            return Problems.Unauthorized();
        }

        // The audit names the authenticated caller, never a name from the body (API.md "Who may call what").
        var abort = new OperatorAbort(caller.ObjectId is { } objectId ? $"{caller.Name} ({objectId})" : caller.Name, body.Reason, time.GetUtcNow());
        await client.RaiseEventAsync(rollbackId, OperatorAbort.EventName, abort, cancellationToken).ConfigureAwait(false);
        IntakeLog.Aborted(logger, abort.AbortedBy, rollbackId);
        return IntakeJson.Result(
            new AbortAccepted(rollbackId, abort.AbortedBy, abort.Reason, abort.AbortedAt, RollbackStartResults.StatusUri(rollbackId)),
            StatusCodes.Status202Accepted,
            RollbackStartResults.StatusUri(rollbackId));
    }

    public async Task<IResult> UnfreezeAsync(HttpRequest request, string component, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (componentReads.Configured(component, out var pathProblem) is not { } config)
        {
            return pathProblem!;
        }

        var (body, problem) = await RequestBody.ReadAsync(
            request,
            IntakeJsonContext.Default.UnfreezeBody,
            unfreezeValidator,
            "Unfreezing needs the incident reference and the analysis of the failure (section 11); the operator is who is signed in: see 'errors'.",
            cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var (operatorName, operatorObjectId, mismatch) = OperatorNames.Resolve(request, body.Operator, "unfreeze", logger);
        if (mismatch is not null)
        {
            return mismatch;
        }

        var (incidentRef, analysis) = (body.IncidentRef, body.Analysis);
        var (outcome, state) = await components.UnfreezeAsync(
            component, operatorName!, incidentRef, analysis, operatorObjectId, cancellationToken).ConfigureAwait(false);
        if (outcome == UnfreezeOutcome.NotFrozen)
        {
            return Problems.Conflict($"Component '{component}' is not frozen: there is nothing to unfreeze.");
        }

        var unfreeze = state.LastUnfreeze!;
        await signals.RecordAsync(component, SignalLog.Unfreeze, unfreeze.UnfrozenAt.UtcTicks.ToString(CultureInfo.InvariantCulture), new Dictionary<string, string?>
        {
            ["Operator"] = unfreeze.Operator,
            ["OperatorObjectId"] = unfreeze.OperatorObjectId,
            ["IncidentRef"] = unfreeze.IncidentRef,
            ["Analysis"] = unfreeze.Analysis,
            ["RollbackId"] = unfreeze.RollbackId,
            ["UnfrozenAt"] = unfreeze.UnfrozenAt.ToString("O"),
        }, cancellationToken).ConfigureAwait(false);
        IntakeLog.Unfrozen(logger, unfreeze.Operator, component, incidentRef);
        return IntakeJson.Result(await componentReads.ViewAsync(component, config, client, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>An action on one rollback: its id in the path, its body, then the rollback; the first problem is the answer.</summary>
    private async Task<OperatorActionTarget<T>> ReadActionAsync<T>(
        HttpRequest request, string rollbackId, DurableTaskClient client, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, IValidator<T> validator,
        string invalidTitle, CancellationToken cancellationToken, Func<T, IResult?>? checkBody = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (RollbackIds.Check(rollbackId) is { } invalidId)
        {
            return new(default!, null, null, Problems.Validation("The rollback id in the path is invalid.", new Dictionary<string, string[]> { ["id"] = [invalidId] }));
        }

        var (body, problem) = await RequestBody.ReadAsync(request, type, validator, invalidTitle, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return new(default!, null, null, problem);
        }

        if (checkBody?.Invoke(body) is { } refused)
        {
            return new(default!, null, null, refused);
        }

        var rollback = await audit.GetRollbackAsync(rollbackId, cancellationToken).ConfigureAwait(false);
        var instance = await client.GetInstanceAsync(rollbackId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        return rollback is null && instance is null
            ? new(body, null, null, Problems.NotFound($"There is no rollback '{rollbackId}': check the id in the trigger's answer or GET /api/rollbacks."))
            : new(body, rollback, instance, null);
    }

    private readonly record struct OperatorActionTarget<T>(T Body, RollbackRecord? Rollback, OrchestrationMetadata? Instance, IResult? Problem);
}

public sealed record ConfirmationAccepted(string RollbackId, string ConfirmedBy, string? Note, DateTimeOffset ConfirmedAt, string StatusUri, string? ConfirmedByObjectId = null);

/// <summary>The abort was handed to the rollback; its status says when it ended <see cref="RollbackPhase.Aborted"/>.</summary>
public sealed record AbortAccepted(string RollbackId, string AbortedBy, string Reason, DateTimeOffset AbortedAt, string StatusUri, string? ConfirmedByObjectId = null);
