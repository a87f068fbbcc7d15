using Tenants.Host.Commands;
using Tenants.Host.Hosting;

if (IndexCommand.Matches(args))
{
    return await IndexCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddTenantsHost();

var app = builder.Build();
app.MapTenantsHost();
app.Run();
return 0;
