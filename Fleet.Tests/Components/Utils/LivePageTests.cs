using Fleet.Tests.Infrastructure;
using Bunit;
using Fleet.Web.Components.Utils;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Fleet.Tests.Components.Utils;

public sealed class LivePageTests : FleetPageTestContext
{
    private static readonly Guid WatchedHost = Guid.NewGuid();

    /// <summary>A page whose first read waits for the test, then follows events about <see cref="WatchedHost"/>.</summary>
    public sealed class SlowReadingPage : LivePage
    {
        [Parameter] public Task FirstRead { get; set; } = Task.CompletedTask;

        public int Refreshes { get; private set; }
        public bool Following { get; private set; }

        protected override async Task OnInitializedAsync()
        {
            await FirstRead;
            FollowLiveEvents("a slow page", e => e.HostId == WatchedHost, TimeSpan.FromMilliseconds(50), () =>
            {
                Refreshes++;
                return Task.CompletedTask;
            });
            Following = true;
        }

        protected override void BuildRenderTree(RenderTreeBuilder builder) =>
            builder.AddMarkupContent(0, $"<p id='refreshes'>{Refreshes}</p>");
    }

    private static FleetEvent About(Guid host) => new(FleetEventKind.HostOnline, host, DateTimeOffset.UtcNow);

    [Fact]
    public async Task AChangePublishedWhileThePageReads_RefreshesItOnceItFollows()
    {
        var read = new TaskCompletionSource();
        var cut = Render<SlowReadingPage>(p => p.Add(x => x.FirstRead, read.Task));
        await Eventually.Until(() => Events.SubscriberCount == 1, "the page to subscribe before its first read ends");

        Events.Publish(About(WatchedHost));
        await Eventually.Until(() => Events.Handled == 1, "the page to hold the early event");
        Assert.Equal(0, cut.Instance.Refreshes);
        read.SetResult();

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("#refreshes").TextContent));
        Assert.Equal(1, cut.Instance.RefreshRequests);
    }

    [Fact]
    public async Task AnUnrelatedChangeWhileThePageReads_DoesNotRefreshIt()
    {
        var read = new TaskCompletionSource();
        var cut = Render<SlowReadingPage>(p => p.Add(x => x.FirstRead, read.Task));
        await Eventually.Until(() => Events.SubscriberCount == 1, "the page to subscribe before its first read ends");

        Events.Publish(About(Guid.NewGuid()));
        await Eventually.Until(() => Events.Handled == 1, "the page to hold the early event");
        read.SetResult();
        cut.WaitForState(() => cut.Instance.Following);
        Assert.Equal(0, cut.Instance.RefreshRequests);

        Events.Publish(About(WatchedHost));
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("#refreshes").TextContent));
        Assert.Equal(1, cut.Instance.RefreshRequests);
    }
}
