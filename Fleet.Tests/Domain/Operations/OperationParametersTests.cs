using Fleet.Domain.Operations;

namespace Fleet.Tests.Domain.Operations;

public sealed class OperationParametersTests
{
    private static Dictionary<string, object?> Given(params (string Name, object? Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void Validate_HealthCheckWithNothingGiven_FillsTheDefaults()
    {
        var (values, problems) = OperationParameters.Validate(OperationType.HealthCheck, null);

        Assert.Empty(problems);
        Assert.Equal(true, values["check_disk_space"]);
        Assert.Equal(85, values["disk_threshold_percent"]);
        Assert.Equal(90, values["memory_threshold_percent"]);
        Assert.Equal(15, values["timeout_minutes"]);
        Assert.Empty((string[])values["services"]!);
    }

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce_WithItsField()
    {
        var (_, problems) = OperationParameters.Validate(OperationType.HealthCheck, Given(
            ("disk_threshold_percent", 150L), ("memory_threshold_percent", "high"), ("check_disk_space", 1L), ("colour", "blue")));

        Assert.Equal(
            ["body/parameters/colour", "body/parameters/check_disk_space", "body/parameters/disk_threshold_percent", "body/parameters/memory_threshold_percent"],
            problems.Select(p => string.Join('/', p.Location)));
    }

    [Theory]
    [InlineData("nginx", true)]
    [InlineData("getty@tty1.service", true)]
    [InlineData("nginx; rm -rf /", false)]
    [InlineData("$(reboot)", false)]
    [InlineData("a b", false)]
    [InlineData("", false)]
    public void Validate_ServiceName_AcceptsOnlyUnitNames(string name, bool valid)
    {
        var (_, problems) = OperationParameters.Validate(OperationType.RestartService, Given(("service_name", name)));

        Assert.Equal(valid, problems.Count == 0);
    }

    [Fact]
    public void Validate_RestartServiceWithoutServiceName_IsAProblem()
    {
        var (_, problems) = OperationParameters.Validate(OperationType.RestartService, Given(("verify_status", true)));

        Assert.Equal("body/parameters/service_name", string.Join('/', Assert.Single(problems).Location));
    }

    [Fact]
    public void Validate_PackageListWithAShellWord_IsAProblem()
    {
        var (_, problems) = OperationParameters.Validate(OperationType.Update, Given(("package_list", new List<object?> { "openssl", "`id`" })));

        Assert.Contains("`id`", Assert.Single(problems).Message);
    }

    [Fact]
    public void Validate_UpdateLocationWithoutALocation_IsAProblem()
    {
        var (_, problems) = OperationParameters.Validate(OperationType.InventorySync, Given(("update_location", true)));

        Assert.Equal("body/parameters/location", string.Join('/', Assert.Single(problems).Location));
    }

    [Fact]
    public void AsTemplateInputs_WritesBooleansListsAndNumbersAsTheScriptsReadThem()
    {
        var (values, _) = OperationParameters.Validate(OperationType.HealthCheck, Given(("services", new List<object?> { "ssh", "cron" }), ("check_memory_usage", false)));

        var inputs = OperationParameters.AsTemplateInputs(values);

        Assert.Equal("ssh cron", inputs["services"]);
        Assert.Equal("false", inputs["check_memory_usage"]);
        Assert.Equal("85", inputs["disk_threshold_percent"]);
    }
}
