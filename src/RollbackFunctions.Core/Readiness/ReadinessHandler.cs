using RollbackFunctions.Intake;

namespace RollbackFunctions.Readiness;

/// <summary><c>GET /api/readiness</c> (API.md "Readiness and drills").</summary>
public sealed class ReadinessHandler(ReadinessReader reader)
{
    public async Task<IResult> GetAsync(CancellationToken cancellationToken) =>
        IntakeJson.Result(await reader.ReadAllAsync(cancellationToken).ConfigureAwait(false));
}
