namespace RollbackFunctions.Intake;

/// <summary>The answer to every trigger that started, joined or repeated a rollback.</summary>
/// <param name="Outcome">Started, Joined (the component's active rollback) or Duplicate (this trigger was seen before).</param>
public sealed record RollbackAccepted(string RollbackId, string StatusUri, StartRollbackOutcome Outcome, string Component);

public static class RollbackStartResults
{
    public static string StatusUri(string rollbackId) => "/api/rollbacks/" + Uri.EscapeDataString(rollbackId);

    /// <summary>202 with <c>Location</c> for an accepted trigger; 409 for a frozen component; 422 for an unknown one.</summary>
    public static IResult ToHttpResult(StartRollbackResult result, string component)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome switch
        {
            StartRollbackOutcome.Started or StartRollbackOutcome.Joined or StartRollbackOutcome.Duplicate when result.RollbackId is not null =>
                IntakeJson.Result(
                    new RollbackAccepted(result.RollbackId, StatusUri(result.RollbackId), result.Outcome, component),
                    StatusCodes.Status202Accepted,
                    StatusUri(result.RollbackId)),
            StartRollbackOutcome.Frozen => Problems.Frozen(component, result.Reason, result.FrozenByRollbackId),
            StartRollbackOutcome.UnknownComponent => Problems.UnknownComponent(component, "component"),
            _ => throw new InvalidOperationException($"Start-or-join returned {result.Outcome} without a rollback id."),
        };
    }
}
