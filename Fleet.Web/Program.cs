using Fleet.Web;
using Fleet.Web.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddFleet();

var app = builder.Build();
if (AdminPasswordReset.IsRequested(args)) return await AdminPasswordReset.RunAsync(app.Services, args, Console.Out);
await app.MapFleetAsync();
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
