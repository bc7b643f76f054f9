using System.Diagnostics;
using RollbackFunctions.Security.Outbound;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Verification;

/// <summary>
/// Runs one attempt of a smoke probe or health check: a plain GET that must answer the expected status (and contain
/// the expected text) within its timeout. No retry here: the workflow counts consecutive passes between durable timers.
/// </summary>
public sealed class ProbeRunner(HttpClient http, TimeProvider time)
{
    private const int MaxBodyChars = 64 * 1024;

    public async Task<ProbeResult> RunAsync(ProbeSpec probe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (!Uri.TryCreate(probe.Url, UriKind.Absolute, out var url))
        {
            return new ProbeResult(false, null, $"'{ProbeUrls.Redact(probe.Url)}' is not an absolute URL", 0);
        }

        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(probe.Timeout);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status != probe.ExpectedStatus)
            {
                return Result(false, status, $"answered {status}, expected {probe.ExpectedStatus}", started);
            }

            if (probe.BodyContains is { Length: > 0 } expected)
            {
                var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                if (!body.AsSpan(0, Math.Min(body.Length, MaxBodyChars)).Contains(expected, StringComparison.Ordinal))
                {
                    return Result(false, status, $"answered {status} but the body does not contain '{expected}'", started);
                }
            }

            return Result(true, status, $"answered {status}", started);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Result(false, null, $"no answer within {probe.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", started);
        }
        catch (HttpRequestException ex)
        {
            return Result(false, null, "request failed: " + ex.Message, started);
        }
    }

    private ProbeResult Result(bool passed, int? status, string detail, long started) =>
        new(passed, status, detail, time.GetElapsedTime(started).TotalMilliseconds);
}
