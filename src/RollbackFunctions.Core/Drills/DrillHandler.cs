using FluentValidation;
using RollbackFunctions.Intake;

namespace RollbackFunctions.Drills;

/// <summary><c>POST /api/drills</c>, <c>GET /api/drills/{id}</c> and <c>GET /api/drills?component=</c> (API.md "Readiness and drills").</summary>
public sealed class DrillHandler(DrillStarter starter, RollbackReadHandler reads, IValidator<DrillBody> validator)
{
    public async Task<IResult> StartAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (body, problem) = await RequestBody.ReadAsync(
            request, IntakeJsonContext.Default.DrillBody, validator, "A drill needs the component to drill: see 'errors'.", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var started = await starter.StartAsync(client, body.Component, body.RequestedBy ?? "operator", cancellationToken).ConfigureAwait(false);
        return started switch
        {
            { Outcome: DrillStartOutcome.Started, DrillId: { } id } =>
                IntakeJson.Result(new DrillAccepted(id, DrillIds.StatusUri(id), body.Component), StatusCodes.Status202Accepted, DrillIds.StatusUri(id)),
            { Outcome: DrillStartOutcome.NoDrillEnvironment } => Problems.Unprocessable(
                $"Component '{body.Component}' has no drill environment: configure Rollback:Components:{body.Component}:Drill (a provider and the probes of a non-production copy) to drill it.",
                new Dictionary<string, string[]> { ["component"] = [$"'{body.Component}' has no drill environment."] }),
            _ => Problems.UnknownComponent(body.Component, "component"),
        };
    }

    public Task<IResult> GetAsync(string drillId, DurableTaskClient client, CancellationToken cancellationToken) =>
        reads.GetAsync(drillId, AuditTrail.Drills, client, cancellationToken);

    public Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken) =>
        reads.ListAsync(request, AuditTrail.Drills, cancellationToken);
}

public sealed record DrillAccepted(string DrillId, string StatusUri, string Component);

/// <summary>The answer of <c>GET /api/drills?component=</c>: drills newest first, each as a rollback's view.</summary>
public sealed record DrillList(string? Component, int Limit, IReadOnlyList<RollbackView> Drills);
