using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using RollbackFunctions.Domain;
using RollbackFunctions.Storage;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Intake;

/// <summary>
/// <c>POST /api/rollbacks/{id}/confirm</c> (section 8: an operator confirms restored availability) and
/// <c>POST /api/components/{component}/unfreeze</c> (section 11: the freeze ends only with an incident and its analysis),
/// both recorded as the authenticated caller (<see cref="OperatorNames"/>).
/// </summary>
public sealed class OperatorActionHandler(
    RollbackAuditStore audit,
    ComponentStateStore components,
    ComponentReadHandler componentReads,
    IValidator<ConfirmBody> confirmValidator,
    IValidator<UnfreezeBody> unfreezeValidator,
    SignalLog signals,
    TimeProvider time,
    ILogger<OperatorActionHandler> logger)
{
    public async Task<IResult> ConfirmAsync(HttpRequest request, string rollbackId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (RollbackIds.Check(rollbackId) is { } invalidId)
        {
            return Problems.Validation("The rollback id in the path is invalid.", new Dictionary<string, string[]> { ["id"] = [invalidId] });
        }

        var (body, problem) = await RequestBody.ReadAsync(
            request, IntakeJsonContext.Default.ConfirmBody, confirmValidator, "The confirmation is missing fields or has invalid ones: see 'errors'.", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var (operatorName, operatorObjectId, mismatch) = OperatorNames.Resolve(request, body.Operator, "confirm", logger);
        if (mismatch is not null)
        {
            return mismatch;
        }

        var note = body.Note;
        var rollback = await audit.GetRollbackAsync(rollbackId, cancellationToken).ConfigureAwait(false);
        var instance = await client.GetInstanceAsync(rollbackId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        if (rollback is null && instance is null)
        {
            return Problems.NotFound($"There is no rollback '{rollbackId}': check the id in the trigger's answer or GET /api/rollbacks.");
        }

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
            "Unfreezing needs the operator, the incident reference and the analysis of the failure (section 11): see 'errors'.",
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
}

public sealed record ConfirmationAccepted(string RollbackId, string ConfirmedBy, string? Note, DateTimeOffset ConfirmedAt, string StatusUri, string? ConfirmedByObjectId = null);
