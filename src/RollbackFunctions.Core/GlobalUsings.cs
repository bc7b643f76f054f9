// Namespaces most of this project's files use (as eShop's services do): the files list only what is particular to them.
global using RollbackFunctions.Domain;
global using Microsoft.Extensions.Options;
global using Microsoft.Extensions.Logging;
global using RollbackFunctions.Storage;
global using Microsoft.DurableTask;
global using RollbackFunctions.Configuration;
global using Microsoft.AspNetCore.Http;
global using Microsoft.DurableTask.Client;
global using Microsoft.Extensions.DependencyInjection;
global using System.Text.Json;
global using System.Globalization;
global using Microsoft.Extensions.Configuration;
global using Microsoft.Extensions.DependencyInjection.Extensions;
