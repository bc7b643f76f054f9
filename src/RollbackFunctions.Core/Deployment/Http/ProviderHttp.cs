using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization.Metadata;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RollbackFunctions.Security.Outbound;

namespace RollbackFunctions.Deployment.Http;

/// <summary>
/// One provider entry's view of its typed <see cref="HttpClient"/>: sends with a <see cref="ProviderCallPolicy"/>,
/// turns every failure into a <see cref="DeploymentProviderException"/> whose message names the system, the
/// provider entry and what to check, and scrubs the entry's secrets (read at the time of the failure, so a token
/// obtained mid-call counts) from anything a server echoes back.
/// </summary>
internal sealed class ProviderHttp(
    HttpClient http,
    TimeProvider time,
    ILogger logger,
    string system,
    string providerName,
    Func<IEnumerable<string?>> secrets,
    ProviderWording? wording = null)
{
    private const int MaxEchoedMessageLength = 300;

    private readonly ProviderWording words = wording ?? ProviderWording.CiCd;

    public TimeProvider Time => time;

    public ILogger Logger => logger;

    /// <summary>The system's name in messages, e.g. "GitHub Actions".</summary>
    public string System => system;

    /// <summary>Logs the progress read and returns it.</summary>
    public DeploymentProgress Reported(DeploymentProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ProviderLog.Progress(logger, system, providerName, progress.DeploymentId, progress.State);
        return progress;
    }

    /// <summary>Sends and returns a 2xx answer; anything else throws <see cref="DeploymentProviderException"/>.</summary>
    /// <param name="notFoundHint">What to check when the server answers 404, e.g. the settings naming the resource.</param>
    public Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        ProviderCallPolicy policy,
        string operation,
        string notFoundHint,
        CancellationToken cancellationToken) =>
        SendAsync(request, policy, operation, notFoundHint, alsoAnswers: null, cancellationToken);

    /// <summary>As the other overload, but <paramref name="alsoAnswers"/> are returned, not thrown.</summary>
    /// <param name="alsoAnswers">Error statuses that answer this call (a cancel's 409: the run had already ended).</param>
    public async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        ProviderCallPolicy policy,
        string operation,
        string notFoundHint,
        IReadOnlySet<HttpStatusCode>? alsoAnswers,
        CancellationToken cancellationToken)
    {
        if (policy.Deadline <= time.GetUtcNow())
        {
            request.Dispose();
            throw Fail(operation, "not attempted: the rollback's deadline has passed", statusCode: null, transient: false, deadlinePassed: true);
        }

        request.Options.Set(ProviderCallPolicy.Key, policy);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            var pastDeadline = policy.Deadline <= time.GetUtcNow();
            var reason = pastDeadline
                ? "did not answer in time: no answer before the rollback's deadline"
                : $"did not answer in time: no answer within {policy.AttemptTimeout.TotalSeconds:0.#} s, and retries within the rollback's budget did not help";
            throw Fail(operation, reason, statusCode: null, transient: true, ex, pastDeadline);
        }
        catch (InsecureCredentialTransportException ex)
        {
            throw Fail(operation, ex.Message, statusCode: null, transient: false, ex);
        }
        catch (HttpRequestException ex)
        {
            throw Fail(operation, $"could not reach {request.RequestUri?.GetLeftPart(UriPartial.Authority)} ({Describe(ex)})", statusCode: null, transient: true, ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw Fail(operation, "calls are suspended after repeated failures (circuit open)", statusCode: null, transient: true, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail(operation, "the call was abandoned before an answer came", statusCode: null, transient: true, ex);
        }
        finally
        {
            request.Dispose();
        }

        if ((response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NonAuthoritativeInformation)
            || alsoAnswers?.Contains(response.StatusCode) == true)
        {
            return response;
        }

        using (response)
        {
            throw await FailFromResponseAsync(response, policy, operation, notFoundHint, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, string operation, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false)
                    ?? throw Fail(operation, $"answered {(int)response.StatusCode} with an empty JSON body", (int)response.StatusCode, transient: false);
            }
        }
        catch (JsonException ex)
        {
            throw Fail(operation, $"answered {(int)response.StatusCode} with malformed JSON", (int)response.StatusCode, transient: false, ex);
        }
    }

    public DeploymentProviderException Fail(string operation, string reason, int? statusCode, bool transient, Exception? inner = null, bool deadlinePassed = false)
    {
        var message = Redact(words.Message(system, providerName, operation, reason));
        ProviderLog.CallFailed(logger, system, providerName, operation, statusCode, transient, message);

        // The inner exception stays for diagnostics in the debugger, never in the message; it carries no secret either
        // (HttpClient exceptions name hosts and socket errors only).
        return inner is null
            ? new DeploymentProviderException(message) { StatusCode = statusCode, IsTransient = transient, DeadlinePassed = deadlinePassed }
            : new DeploymentProviderException(message, inner) { StatusCode = statusCode, IsTransient = transient, DeadlinePassed = deadlinePassed };
    }

    public string Redact(string text)
    {
        foreach (var secret in secrets())
        {
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    private async Task<DeploymentProviderException> FailFromResponseAsync(
        HttpResponseMessage response,
        ProviderCallPolicy policy,
        string operation,
        string notFoundHint,
        CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        var status = $"{code} {response.ReasonPhrase ?? response.StatusCode.ToString()}".Trim();
        var echoed = await ReadServerMessageAsync(response, cancellationToken).ConfigureAwait(false);
        var detail = echoed is null ? "" : $": {echoed}";

        if (response.StatusCode == HttpStatusCode.NonAuthoritativeInformation)
        {
            return Fail(operation, $"answered {status} with a sign-in page: the credentials were not accepted", code, transient: false);
        }

        if (ProviderResilience.IsTransientStatus(response))
        {
            var retryAfter = ProviderResilience.RetryAfter(response, time);
            var why = retryAfter is { } wait && time.GetUtcNow() + wait >= policy.Deadline
                ? $"it asked to retry after {wait.TotalSeconds:0} s, past the rollback's deadline"
                : policy.RetryByHandler ? "retries within the rollback's budget did not help" : "not retried blindly";
            var failure = Fail(operation, $"answered {status}{detail} ({why})", code, transient: true);
            return retryAfter is null ? failure : new DeploymentProviderException(failure.Message) { StatusCode = code, IsTransient = true, RetryAfter = retryAfter };
        }

        var reason = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => words.CredentialsRefused(status, detail),
            HttpStatusCode.Forbidden => $"the identity lacks permission ({status}){detail}",
            HttpStatusCode.NotFound => $"not found ({status}){detail}; check {notFoundHint}",
            _ => $"the request was rejected ({status}){detail}",
        };
        return Fail(operation, reason, code, transient: false);
    }

    /// <summary>The <c>message</c> field GitHub and Azure DevOps put in error bodies, shortened and scrubbed.</summary>
    private async Task<string?> ReadServerMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
            {
                return null;
            }

            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                var text = Redact(message.GetString() ?? "");
                return text.Length > MaxEchoedMessageLength ? text[..MaxEchoedMessageLength] + "…" : text;
            }
        }
        catch (JsonException)
        {
            // An error body that is not JSON adds nothing the status does not already say.
        }

        return null;
    }

    private static string Describe(HttpRequestException ex) =>
        ex.InnerException is SocketException socket
            ? socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData => "host not found",
                SocketError.TimedOut => "connection timed out",
                var other => other.ToString(),
            }
            : ex.HttpRequestError switch
            {
                HttpRequestError.ConnectionError => "connection failed",
                HttpRequestError.NameResolutionError => "host not found",
                HttpRequestError.SecureConnectionError => "TLS handshake failed",
                HttpRequestError.ResponseEnded => "the connection closed before the answer ended",
                var other => other.ToString(),
            };
}
