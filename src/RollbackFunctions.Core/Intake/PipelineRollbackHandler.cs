using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using RollbackFunctions.Configuration;
using RollbackFunctions.Domain;

namespace RollbackFunctions.Intake;

/// <summary>
/// <c>POST /api/rollbacks</c>: a pipeline asks for a rollback. The <c>correlationId</c> is the trigger id, so the
/// same request again returns the same rollback; without one every request is a new trigger (and joins the
/// component's active rollback if there is one).
/// </summary>
public sealed class PipelineRollbackHandler(TriggerIntake triggers, IOptionsMonitor<RollbackOptions> options, TimeProvider time)
{
    public async Task<IResult> RequestAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var receivedAt = time.GetUtcNow();
        var (body, problem) = await JsonBody.ReadAsync(request, acceptsStructuredJson: false, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        using (body)
        {
            var root = body!.Root;
            var errors = new FieldErrors();
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                errors.Add("body", "must be a JSON object.");
                return Problems.Validation("The rollback request must be a JSON object: {component, reason, requestedBy, targetVersion?, correlationId?, details?}.", errors);
            }

            var component = JsonFields.Text(root, "component", "", TextRule.ComponentName, required: true, errors);
            var reason = JsonFields.Enum<TriggerReason>(root, "reason", "", required: true, errors);
            var targetVersion = JsonFields.Text(root, "targetVersion", "", TextRule.Version, required: false, errors);
            var requestedBy = JsonFields.Text(root, "requestedBy", "", TextRule.ShortText, required: true, errors);
            var correlationId = JsonFields.Text(root, "correlationId", "", TextRule.ShortText, required: false, errors);
            var details = JsonFields.Text(root, "details", "", TextRule.LongText, required: false, errors);
            if (!errors.IsEmpty)
            {
                return Problems.Validation("The rollback request is missing fields or has invalid ones: see 'errors'.", errors);
            }

            if (options.CurrentValue.FindComponent(component!) is null)
            {
                return Problems.UnknownComponent(component!, "component");
            }

            var triggerId = correlationId ?? "request-" + receivedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
            var trigger = TriggerIntake.Trigger(reason!.Value, TriggerSource.Pipeline, triggerId, receivedAt, requestedBy!, details);
            return await triggers.StartOrJoinAsResultAsync(client, new StartRollbackCommand(component!, targetVersion, trigger), cancellationToken).ConfigureAwait(false);
        }
    }
}
