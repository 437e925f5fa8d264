using System.Text.Json;
using Fleet.Domain.Execution;
using Fleet.Web.Api.JobInvocations;

namespace Fleet.Tests.Api.JobInvocations;

/// <summary>Reading seed 002's create body: every field it maps, and every rule naming the field Foreman would name.</summary>
public sealed class CreateJobInvocationRequestTests
{
    private const string Valid = "\"feature\": \"run_script\", \"targeting_type\": \"static_query\", \"search_query\": \"name ~ web\"";

    private static CreateJobInvocationRequest Read(string json) => CreateJobInvocationRequest.Read(JsonDocument.Parse(json).RootElement);

    private static CreateJobInvocationRequest ReadInvocation(string fields) => Read($"{{\"job_invocation\": {{{fields}}}}}");

    [Fact]
    public void Read_AFullBody_MapsEveryField()
    {
        var request = ReadInvocation("""
            "job_template_id": "17", "feature": "ignored_when_an_id_is_given", "targeting_type": "dynamic_query", "search_query": "os = debian",
            "bookmark_id": 4, "randomized_ordering": "true", "inputs": {"command": "uptime", "count": 3},
            "ssh": {"effective_user": "deploy"}, "description_format": "Run %{command}",
            "recurrence": {"cron_line": "5 * * * *", "max_iteration": 3, "end_time": "2030-01-02 03:04:05 UTC", "purpose": "nightly"},
            "scheduling": {"start_at": "2030-01-01T00:00:00Z", "start_before": "2030-01-01T01:00:00+01:00"},
            "concurrency_control": {"concurrency_level": 5, "waves": "1, rest", "wave_pause": 30, "failure_threshold": 2},
            "execution_timeout_interval": 60, "time_to_pickup": 30, "target_run_timeout_interval": 3600
            """);
        Assert.Empty(request.Errors);
        var job = request.Job;
        Assert.Equal(17, job.TemplateId);
        Assert.Null(job.Feature);
        Assert.Equal(TargetingType.DynamicQuery, job.Targeting);
        Assert.Equal("os = debian", job.SearchQuery);
        Assert.Equal(4, job.BookmarkId);
        Assert.True(job.RandomizedOrdering);
        Assert.Equal(["command", "count"], job.Inputs.Keys.Order());
        Assert.Equal(("uptime", "3"), (job.Inputs["command"], job.Inputs["count"]));
        Assert.Equal("deploy", job.EffectiveUser);
        Assert.Equal("Run %{command}", job.DescriptionFormat);
        Assert.Equal(("5 * * * *", (int?)3, "nightly"), (job.CronLine, job.MaxIteration, job.Purpose));
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), job.EndTime);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), job.StartAt);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), job.StartBefore);
        Assert.Equal(((int?)5, "1, rest", (int?)30, "2"), (job.ConcurrencyLevel, job.Waves, job.WavePauseSeconds, job.FailureThreshold));
        Assert.Equal(((int?)60, (int?)30, (int?)3600), (job.ExecutionTimeoutSeconds, job.TimeToPickupSeconds, job.TargetRunTimeoutSeconds));
    }

    [Fact]
    public void Read_AFeatureWithoutATemplateId_AsksForTheFeaturesTemplate()
    {
        var request = ReadInvocation(Valid);
        Assert.Empty(request.Errors);
        Assert.Equal(("run_script", (long?)null), (request.Job.Feature, request.Job.TemplateId));
        Assert.Equal(TargetingType.StaticQuery, request.Job.Targeting);
        Assert.False(request.Job.RandomizedOrdering);
    }

    [Fact]
    public void Read_ABookmarkInsteadOfAQuery_IsEnough()
    {
        var request = ReadInvocation("\"job_template_id\": 1, \"targeting_type\": \"static_query\", \"bookmark_id\": 9");
        Assert.Empty(request.Errors);
        Assert.Equal(9, request.Job.BookmarkId);
    }

    [Theory]
    [InlineData("[]", "job_invocation")]
    [InlineData("{\"job\": {}}", "job_invocation")]
    [InlineData("{\"job_invocation\": \"run it\"}", "job_invocation")]
    public void Read_WithoutTheWrapper_NamesIt(string json, string field) => Assert.Equal([field], Read(json).Errors.Keys);

    [Theory]
    [InlineData("\"targeting_type\": \"static_query\", \"search_query\": \"x\"", "job_template_id")]
    [InlineData("\"job_template_id\": \"seven\", \"targeting_type\": \"static_query\", \"search_query\": \"x\"", "job_template_id")]
    [InlineData("\"job_template_id\": 1, \"feature\": 3, \"targeting_type\": \"static_query\", \"search_query\": \"x\"", "feature")]
    [InlineData("\"feature\": \"run_script\", \"search_query\": \"x\"", "targeting_type")]
    [InlineData("\"feature\": \"run_script\", \"targeting_type\": \"sideways\", \"search_query\": \"x\"", "targeting_type")]
    [InlineData("\"feature\": \"run_script\", \"targeting_type\": \"static_query\"", "search_query")]
    [InlineData("\"feature\": \"run_script\", \"targeting_type\": \"static_query\", \"search_query\": \" \"", "search_query")]
    [InlineData(Valid + ", \"bookmark_id\": true", "bookmark_id")]
    [InlineData(Valid + ", \"inputs\": [\"command\"]", "inputs")]
    [InlineData(Valid + ", \"ssh\": \"root\"", "ssh")]
    [InlineData(Valid + ", \"ssh\": {\"effective_user\": 0}", "ssh[effective_user]")]
    [InlineData(Valid + ", \"recurrence\": {\"max_iteration\": 3}", "recurrence[cron_line]")]
    [InlineData(Valid + ", \"recurrence\": {\"cron_line\": \"* * * * *\", \"max_iteration\": 1.5}", "recurrence[max_iteration]")]
    [InlineData(Valid + ", \"recurrence\": {\"cron_line\": \"* * * * *\", \"end_time\": \"soon\"}", "recurrence[end_time]")]
    [InlineData(Valid + ", \"scheduling\": {\"start_at\": \"tomorrow\"}", "scheduling[start_at]")]
    [InlineData(Valid + ", \"scheduling\": {\"start_before\": 5}", "scheduling[start_before]")]
    [InlineData(Valid + ", \"concurrency_control\": {\"concurrency_level\": 0}", "concurrency_control[concurrency_level]")]
    [InlineData(Valid + ", \"concurrency_control\": {\"waves\": \"rest, 1\"}", "concurrency_control[waves]")]
    [InlineData(Valid + ", \"concurrency_control\": {\"wave_pause\": -1}", "concurrency_control[wave_pause]")]
    [InlineData(Valid + ", \"concurrency_control\": {\"wave_pause\": 604801}", "concurrency_control[wave_pause]")]
    [InlineData(Valid + ", \"concurrency_control\": {\"failure_threshold\": \"lots\"}", "concurrency_control[failure_threshold]")]
    [InlineData(Valid + ", \"target_run_timeout_interval\": 0", "target_run_timeout_interval")]
    [InlineData(Valid + ", \"execution_timeout_interval\": -5", "execution_timeout_interval")]
    [InlineData(Valid + ", \"execution_timeout_interval\": 99999999999", "execution_timeout_interval")]
    [InlineData(Valid + ", \"time_to_pickup\": 0", "time_to_pickup")]
    [InlineData(Valid + ", \"randomized_ordering\": \"maybe\"", "randomized_ordering")]
    [InlineData(Valid + ", \"description_format\": []", "description_format")]
    public void Read_ABrokenRule_NamesItsField(string fields, string field)
    {
        var request = ReadInvocation(fields);
        Assert.True(request.Errors.ContainsKey(field), string.Join(", ", request.Errors.Keys));
        Assert.Single(request.Errors);
        Assert.All(request.Errors[field], message => Assert.False(string.IsNullOrWhiteSpace(message)));
    }

    [Fact]
    public void Read_OversizedValues_AreRefusedPerField()
    {
        var longName = new string('n', 256);
        var request = ReadInvocation($"\"feature\": \"{longName}\", \"targeting_type\": \"static_query\", \"search_query\": \"x\", " +
            $"\"inputs\": {{\"{longName}\": \"1\", \"big\": \"{new string('v', 64 * 1024 + 1)}\"}}, \"recurrence\": {{\"cron_line\": \"* * * * *\", \"purpose\": \"{longName}\"}}");
        Assert.Equal(["feature", "inputs", "inputs[big]", "recurrence[purpose]"], request.Errors.Keys.Order());
        Assert.DoesNotContain("big", request.Job.Inputs.Keys);
    }

    [Fact]
    public void Read_CollectsEveryProblemAtOnce()
    {
        var request = ReadInvocation("\"targeting_type\": \"sideways\", \"time_to_pickup\": -1, \"concurrency_control\": {\"concurrency_level\": -2}");
        Assert.Equal(["concurrency_control[concurrency_level]", "job_template_id", "search_query", "targeting_type", "time_to_pickup"], request.Errors.Keys.Order());
    }

    [Fact]
    public void Read_NumbersAndStringsForThreshold_BothReadAsWritten()
    {
        Assert.Equal("10%", ReadInvocation(Valid + ", \"concurrency_control\": {\"failure_threshold\": \"10%\"}").Job.FailureThreshold);
        Assert.Equal("3", ReadInvocation(Valid + ", \"concurrency_control\": {\"failure_threshold\": 3}").Job.FailureThreshold);
    }
}
