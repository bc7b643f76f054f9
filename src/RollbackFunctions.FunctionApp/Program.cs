using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RollbackFunctions.Intake;
using RollbackFunctions.Workflow;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddRollbackWorkflow(builder.Configuration);
builder.Services.AddRollbackIntake(builder.Configuration);
builder.Build().Run();
