using Fleet.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddFleet();

var app = builder.Build();
await app.MapFleetAsync();
await app.RunAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
