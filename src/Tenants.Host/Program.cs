using Tenants.Host.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddTenantsHost();

var app = builder.Build();
app.MapTenantsHost();
app.Run();
