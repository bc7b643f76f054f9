using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using RollbackFunctions.Observability;

namespace RollbackFunctions.Tests.Observability;

public sealed class RollbackIdSpanProcessorTests
{
    [Fact]
    public void Durable_spans_and_outbound_children_get_the_rollback_id_unrelated_spans_do_not()
    {
        using var source = new ActivitySource("test." + Guid.NewGuid().ToString("N"));
        var spans = new List<Activity>();
        using (Sdk.CreateTracerProviderBuilder()
            .AddSource(source.Name)
            .AddProcessor(new RollbackIdSpanProcessor())
            .AddInMemoryExporter(spans)
            .Build())
        {
            using (var durable = source.StartActivity("activity:StartDeployment", ActivityKind.Internal, default(ActivityContext),
                [new KeyValuePair<string, object?>(RollbackTelemetry.DurableInstanceIdTag, "rb-123")]))
            {
                RollbackTelemetry.TagRollback("rb-123");
                using var outbound = source.StartActivity("POST", ActivityKind.Client);
            }

            using var alone = source.StartActivity("alone");
        }

        Assert.Equal("rb-123", spans.Single(s => s.DisplayName == "activity:StartDeployment").GetTagItem(RollbackTelemetry.RollbackIdTag));
        Assert.Equal("rb-123", spans.Single(s => s.DisplayName == "POST").GetTagItem(RollbackTelemetry.RollbackIdTag));
        Assert.Null(spans.Single(s => s.DisplayName == "alone").GetTagItem(RollbackTelemetry.RollbackIdTag));
    }
}
