using FluentValidation;

namespace RollbackFunctions.Intake;

/// <summary>
/// <c>POST /api/rollbacks</c>: a pipeline asks for a rollback. The <c>correlationId</c> is the trigger id, so the
/// same request again returns the same rollback; without one every request is a new trigger (and joins the
/// component's active rollback if there is one).
/// </summary>
public sealed class PipelineRollbackHandler(
    TriggerIntake triggers, IValidator<PipelineRollbackBody> validator, IOptionsMonitor<RollbackOptions> options, TimeProvider time)
{
    public async Task<IResult> RequestAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var receivedAt = time.GetUtcNow();
        var (body, problem) = await RequestBody.ReadAsync(
            request, IntakeJsonContext.Default.PipelineRollbackBody, validator, "The rollback request is missing fields or has invalid ones: see 'errors'.", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (options.CurrentValue.FindComponent(body.Component) is null)
        {
            return Problems.UnknownComponent(body.Component, "component");
        }

        var triggerId = body.CorrelationId ?? "request-" + receivedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
        var trigger = TriggerIntake.Trigger(TextRules.ParseName<TriggerReason>(body.Reason), TriggerSource.Pipeline, triggerId, receivedAt, body.RequestedBy, body.DetailsText);
        return await triggers.StartOrJoinAsResultAsync(client, new StartRollbackCommand(body.Component, body.TargetVersion, trigger), cancellationToken).ConfigureAwait(false);
    }
}
