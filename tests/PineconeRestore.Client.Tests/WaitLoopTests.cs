using PineconeRestore.Client;

namespace PineconeRestore.Client.Tests;

/// <summary>
/// The generic wait loop against a scripted poller (no HTTP): finishing order, timeouts that cut sleeps, hangs and
/// Retry-After short, transient and fatal failures, and 404s for items seen or never seen.
/// </summary>
public sealed class WaitLoopTests
{
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(20);

    /// <summary>Liveness bound only: a loop that should end and does not fails the test instead of hanging it.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private sealed record Thing(string Id, string Status);

    /// <summary>Answers each id's polls from its script in turn, repeating the last step; logs every poll.</summary>
    private sealed class ScriptedPoller
    {
        private readonly Dictionary<string, Queue<Func<CancellationToken, Task<Thing>>>> _scripts = new();
        private readonly Dictionary<string, Func<CancellationToken, Task<Thing>>> _last = new();

        public List<string> Polls { get; } = new();

        public ScriptedPoller For(string id, params Func<CancellationToken, Task<Thing>>[] steps)
        {
            _scripts[id] = new Queue<Func<CancellationToken, Task<Thing>>>(steps);
            return this;
        }

        public Task<Thing> Poll(string id, CancellationToken ct)
        {
            Func<CancellationToken, Task<Thing>> step;
            lock (Polls)
            {
                Polls.Add(id);
                Queue<Func<CancellationToken, Task<Thing>>> script = _scripts[id];
                step = script.Count > 0 ? _last[id] = script.Dequeue() : _last[id];
            }

            return step(ct);
        }
    }

    private static Func<CancellationToken, Task<Thing>> Is(string id, string status) => _ => Task.FromResult(new Thing(id, status));

    private static Func<CancellationToken, Task<Thing>> Throws(Exception ex) => _ => Task.FromException<Thing>(ex);

    private static Func<CancellationToken, Task<Thing>> Hangs() => async ct => { await Task.Delay(Timeout.Infinite, ct); throw new InvalidOperationException(); };

    private static PineconeApiException Api(int status, string code, TimeSpan? retryAfter = null) =>
        new(status, code, "The API's words.", "GET", new Uri("http://127.0.0.1/x"), retryAfter);

    private static WaitTarget<Thing> Target(ScriptedPoller poller) =>
        new("thing", "things", poller.Poll, t => t.Status is "Done" or "Broken");

    private static async Task<List<WaitEvent<Thing>>> RunAsync(ScriptedPoller poller, WaitOptions options, params WaitItem<Thing>[] items)
    {
        var loop = new WaitLoop<Thing>(Target(poller), options, items);
        loop.Start(CancellationToken.None);
        var events = new List<WaitEvent<Thing>>();
        using var bound = new CancellationTokenSource(Bound);
        for (WaitEvent<Thing>? e = await loop.NextEventAsync(bound.Token); e != null; e = await loop.NextEventAsync(bound.Token))
        {
            events.Add(e);
        }

        await loop.Completion.WaitAsync(Bound);
        return events;
    }

    private static WaitItem<Thing>[] Items(params string[] ids) => ids.Select(id => new WaitItem<Thing>(id)).ToArray();

    private static IEnumerable<string> Of(IEnumerable<WaitEvent<Thing>> events, WaitEventKind kind) => events.Where(e => e.Kind == kind).Select(e => e.Id);

    [Fact]
    public async Task Items_finish_in_finishing_order_from_one_loop_that_interleaves_their_polls()
    {
        var poller = new ScriptedPoller()
            .For("slow", Is("slow", "Pending"), Is("slow", "Pending"), Is("slow", "Pending"), Is("slow", "Done"))
            .For("fast", Is("fast", "Pending"), Is("fast", "Done"))
            .For("now", Is("now", "Broken"));

        List<WaitEvent<Thing>> events = await RunAsync(poller, new WaitOptions { PollingInterval = Fast }, Items("slow", "fast", "now"));

        Assert.Equal(new[] { "now", "fast", "slow" }, Of(events, WaitEventKind.Finished));
        Assert.Equal("Broken", events.Single(e => e.Id == "now" && e.Kind == WaitEventKind.Finished).Item!.Status);
        Assert.Equal(new[] { "fast", "slow", "slow", "slow" }, Of(events, WaitEventKind.Polled).Order());
        // Both were polled before either finished: one loop, not one item after another.
        Assert.True(poller.Polls.IndexOf("fast") < poller.Polls.LastIndexOf("slow"));
        Assert.Equal(7, poller.Polls.Count);
    }

    [Fact]
    public async Task The_timeout_reports_each_unfinished_item_with_its_last_state_and_cuts_a_long_sleep_short()
    {
        var poller = new ScriptedPoller().For("a", Is("a", "Done")).For("b", Is("b", "Pending"));

        List<WaitEvent<Thing>> events = await RunAsync(poller,
            new WaitOptions { PollingInterval = TimeSpan.FromHours(1), Timeout = TimeSpan.FromMilliseconds(200) }, Items("a", "b"));

        Assert.Equal(new[] { "a" }, Of(events, WaitEventKind.Finished));
        WaitEvent<Thing> timedOut = Assert.Single(events, e => e.Kind == WaitEventKind.TimedOut);
        Assert.Equal("b", timedOut.Id);
        Assert.Equal("Pending", timedOut.Item!.Status);
        Assert.Equal(WaitEventKind.TimedOut, events[^1].Kind);
    }

    [Fact]
    public async Task The_timeout_cuts_a_hanging_poll_short_and_an_item_never_seen_times_out_without_a_state()
    {
        var poller = new ScriptedPoller().For("h", Hangs());

        List<WaitEvent<Thing>> events = await RunAsync(poller, new WaitOptions { Timeout = TimeSpan.FromMilliseconds(200) }, Items("h"));

        WaitEvent<Thing> timedOut = Assert.Single(events);
        Assert.Equal(WaitEventKind.TimedOut, timedOut.Kind);
        Assert.Null(timedOut.Item);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_interval_delays_the_next_poll_and_the_timeout_cuts_it_short()
    {
        var poller = new ScriptedPoller().For("r", Throws(Api(429, "RESOURCE_EXHAUSTED", TimeSpan.FromHours(1))), Is("r", "Done"));

        List<WaitEvent<Thing>> events = await RunAsync(poller, new WaitOptions { PollingInterval = Fast, Timeout = TimeSpan.FromMilliseconds(300) }, Items("r"));

        Assert.Single(poller.Polls);
        Assert.Contains("as Retry-After asked", Assert.Single(events, e => e.Kind == WaitEventKind.Note).Message);
        Assert.Equal(WaitEventKind.TimedOut, events[^1].Kind);
    }

    [Theory]
    [InlineData(503, "UNAVAILABLE")]
    [InlineData(500, "INTERNAL")]
    [InlineData(429, "RESOURCE_EXHAUSTED")]
    public async Task A_transient_failure_is_a_note_and_polled_again_at_the_next_interval(int status, string code)
    {
        var poller = new ScriptedPoller().For("t", Throws(Api(status, code)), Throws(new PineconeConnectionException("refused", new Uri("http://127.0.0.1/"), false)), Is("t", "Done"));

        List<WaitEvent<Thing>> events = await RunAsync(poller, new WaitOptions { PollingInterval = Fast }, Items("t"));

        Assert.Equal(new[] { WaitEventKind.Note, WaitEventKind.Note, WaitEventKind.Finished }, events.Select(e => e.Kind));
        Assert.StartsWith("Polling thing t failed, trying again in 0.02 s: ", events[0].Message);
    }

    [Theory]
    [InlineData(401, "UNAUTHENTICATED")]
    [InlineData(403, "PERMISSION_DENIED")]
    public async Task A_fatal_failure_ends_the_wait_for_every_item_without_timeouts(int status, string code)
    {
        var poller = new ScriptedPoller().For("ok", Is("ok", "Pending")).For("bad", Is("bad", "Pending"), Throws(Api(status, code)));

        List<WaitEvent<Thing>> events = await RunAsync(poller, new WaitOptions { PollingInterval = Fast }, Items("ok", "bad"));

        WaitEvent<Thing> fatal = events[^1];
        Assert.Equal(WaitEventKind.Fatal, fatal.Kind);
        Assert.Equal("bad", fatal.Id);
        Assert.Equal(code, ((PineconeApiException)fatal.Error!).ErrorCode);
        Assert.DoesNotContain(events, e => e.Kind == WaitEventKind.TimedOut);
    }

    [Fact]
    public async Task A_404_for_an_item_never_seen_fails_that_item_and_the_others_are_still_waited_for()
    {
        var poller = new ScriptedPoller().For("gone", Throws(Api(404, "NOT_FOUND"))).For("ok", Is("ok", "Pending"), Is("ok", "Done"));

        List<WaitEvent<Thing>> events = await RunAsync(poller, new WaitOptions { PollingInterval = Fast }, Items("gone", "ok"));

        Assert.Equal(new[] { "gone" }, Of(events, WaitEventKind.Failed));
        Assert.Equal(new[] { "ok" }, Of(events, WaitEventKind.Finished));
        Assert.Single(poller.Polls, "gone");
    }

    [Fact]
    public async Task A_404_for_an_item_seen_before_is_polled_again_and_survived()
    {
        var poller = new ScriptedPoller().For("j", Is("j", "Pending"), Throws(Api(404, "NOT_FOUND")), Throws(Api(404, "NOT_FOUND")), Is("j", "Done"));

        List<WaitEvent<Thing>> events = await RunAsync(poller, new WaitOptions { PollingInterval = Fast }, Items("j"));

        Assert.Equal(new[] { WaitEventKind.Polled, WaitEventKind.Note, WaitEventKind.Note, WaitEventKind.Finished }, events.Select(e => e.Kind));
        Assert.Contains("seen before", events[1].Message);
        Assert.Contains("(2 of 3)", events[2].Message);
    }

    [Fact]
    public async Task A_404_that_persists_for_an_item_known_from_the_caller_fails_after_the_retries()
    {
        var poller = new ScriptedPoller().For("j", Throws(Api(404, "NOT_FOUND")));

        List<WaitEvent<Thing>> events = await RunAsync(poller, new WaitOptions { PollingInterval = Fast, NotFoundRetries = 2 },
            new WaitItem<Thing>("j", new Thing("j", "Pending")));

        Assert.Equal(new[] { WaitEventKind.Note, WaitEventKind.Note, WaitEventKind.Failed }, events.Select(e => e.Kind));
        Assert.Equal("Pending", events[^1].Item!.Status);
        Assert.Equal(3, poller.Polls.Count);
    }

    [Fact]
    public async Task Polls_in_flight_never_exceed_the_limit()
    {
        int inFlight = 0, most = 0;
        var poller = new ScriptedPoller();
        string[] ids = Enumerable.Range(0, 12).Select(i => "i" + i).ToArray();
        foreach (string id in ids)
        {
            poller.For(id, async _ =>
            {
                int now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                await Task.Delay(10);
                Interlocked.Decrement(ref inFlight);
                return new Thing(id, "Done");
            });
        }

        List<WaitEvent<Thing>> events = await RunAsync(poller, new WaitOptions { MaxConcurrentPolls = 3 }, Items(ids));

        Assert.Equal(12, Of(events, WaitEventKind.Finished).Count());
        Assert.InRange(most, 1, 3);
    }

    [Fact]
    public async Task Cancelling_ends_the_wait_during_a_sleep_and_during_a_hanging_poll()
    {
        var poller = new ScriptedPoller().For("sleeps", Is("sleeps", "Pending")).For("hangs", Hangs());
        var loop = new WaitLoop<Thing>(Target(poller), new WaitOptions { PollingInterval = TimeSpan.FromHours(1) }, Items("sleeps", "hangs"));
        using var cancel = new CancellationTokenSource();
        loop.Start(cancel.Token);
        Assert.Equal(WaitEventKind.Polled, (await loop.NextEventAsync(CancellationToken.None).WaitAsync(Bound))!.Kind);

        Task<WaitEvent<Thing>?> next = loop.NextEventAsync(cancel.Token);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Bound));
        await loop.Completion.WaitAsync(Bound);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
