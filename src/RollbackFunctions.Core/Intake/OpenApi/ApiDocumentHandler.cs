namespace RollbackFunctions.Intake.OpenApi;

/// <summary><c>GET /api/openapi.json</c> on both hosts: the generated document (dev host) or the checked-in copy (Functions app).</summary>
public sealed class ApiDocumentHandler(IRollbackApiDocument document)
{
    public async Task<IResult> GetAsync(CancellationToken cancellationToken) =>
        Results.Text(await document.JsonAsync(cancellationToken).ConfigureAwait(false), "application/json", System.Text.Encoding.UTF8);
}
