namespace RollbackFunctions.Intake;

/// <summary>
/// Every API request is answered within <c>RollbackApi:AnswerWithin</c> (8 s by default): an Azure Monitor action group
/// gives up after 10 s and retries, and a pipeline step should not hang on a storage account that stopped answering.
/// The request's token (<see cref="HttpContext.RequestAborted"/>, which every handler passes down) is cancelled at the
/// deadline; a dependency call still running then fails and is answered <c>503</c> with <c>Retry-After</c>, like a
/// dependency that refuses. Nothing is lost: every intake step is conditional, so the retry completes it.
/// </summary>
public static class IntakeDeadline
{
    /// <summary>Arms the deadline; called before the handler's parameters are bound (dev host middleware, Functions middleware).</summary>
    /// <param name="hostStopping">The Functions invocation's token, which the host cancels on shutdown.</param>
    public static void Start(HttpContext http, TimeSpan within, CancellationToken hostStopping = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        var client = http.RequestAborted;
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(client, hostStopping);
        deadline.CancelAfter(within);
        http.Response.RegisterForDispose(deadline);
        http.Features.Set(new ClientAbort(client));
        http.RequestAborted = deadline.Token;
    }

    /// <summary>
    /// The handler has its answer: the response is written under the client's own token again, so an answer given
    /// close to the deadline (or the 503 for it) is not cut off by the deadline itself.
    /// </summary>
    public static void End(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Features.Get<ClientAbort>() is { } client)
        {
            http.RequestAborted = client.Token;
        }
    }

    /// <summary>The client's own abort, without the deadline: a request its client gave up on is no dependency's failure.</summary>
    public static CancellationToken ClientAborted(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Features.Get<ClientAbort>()?.Token ?? http.RequestAborted;
    }

    private sealed record ClientAbort(CancellationToken Token);
}
