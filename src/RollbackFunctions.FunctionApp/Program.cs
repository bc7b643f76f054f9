using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RollbackFunctions.FunctionApp.Hosting;
using RollbackFunctions.Observability;
using RollbackFunctions.Security;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<IntakeRequestMiddleware>();
builder.Services.AddRollbackTelemetry(builder.Configuration, "rollback-functions").UseFunctionsWorkerDefaults();
builder.Services.AddRollbackWorkflow(builder.Configuration);
builder.Services.AddRollbackIntake(builder.Configuration).UseAppServiceAuthentication();
builder.Build().Run();
