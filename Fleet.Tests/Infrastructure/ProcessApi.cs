using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Fleet.Tests.Infrastructure;

/// <summary>The REST calls the tests that run Fleet.Web as its own process make: a bearer client, JSON reads, readiness.</summary>
public static class ProcessApi
{
    public static HttpClient Client(string baseUrl, string bearerToken)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return client;
    }

    /// <summary>GETs <paramref name="path"/> and fails the test, quoting the answer, unless it succeeded.</summary>
    public static async Task<JsonElement> GetJsonAsync(this HttpClient api, string path)
    {
        using var response = await api.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<int> OnlineHostsAsync(this HttpClient api) =>
        (await api.GetJsonAsync("/api/v1/fleet/status")).GetProperty("online_hosts").GetInt32();

    /// <summary>Waits until <paramref name="path"/> answers with success; a server that exits first fails at once with its log.</summary>
    public static Task WaitUntilAnsweringAsync(this HttpClient api, ProgramProcess server, string path, string name, TimeSpan timeout) =>
        Eventually.Until(async () =>
        {
            if (server.HasExited) throw new InvalidOperationException($"{name} exited ({server.ExitCode}):\n{server.Tail()}");
            try
            {
                return (await api.GetAsync(path)).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, up => up, $"{name} to answer {path}", timeout);
}
