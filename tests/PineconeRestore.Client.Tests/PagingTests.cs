using PineconeRestore.Client;

namespace PineconeRestore.Client.Tests;

/// <summary>Offset pagination as the real server does it (NOTES.md): rows repeat across pages, a last full page has a token.</summary>
public sealed class PagingTests
{
    private readonly ListLog _log = new();

    private PageCursor<string> Cursor(params Page<string>[] pages)
    {
        int next = 0;
        return new PageCursor<string>((_, _) => Task.FromResult(pages[next++]), keyOf: s => s, log: _log);
    }

    private static async Task<List<string>> ReadAll(PageCursor<string> cursor)
    {
        var all = new List<string>();
        while (!cursor.IsComplete)
        {
            all.AddRange(await cursor.NextPageAsync(CancellationToken.None));
        }

        return all;
    }

    [Fact]
    public async Task Rows_repeated_from_the_previous_page_are_written_once_in_order()
    {
        PageCursor<string> cursor = Cursor(new(new[] { "a", "b", "c" }, "1"), new(new[] { "b", "c", "d" }, "2"), new(new[] { "d", "e" }, null));

        Assert.Equal(new[] { "a", "b", "c", "d", "e" }, await ReadAll(cursor));
        Assert.Equal(3, cursor.DuplicatesSkipped);
        Assert.Equal(2, _log.Messages.Count);
        Assert.StartsWith("Skipped 2 item(s) of page 2", _log.Messages[0]);
        Assert.EndsWith("3 skipped so far.", _log.Messages[1]);
    }

    [Fact]
    public async Task Only_the_previous_page_is_remembered()
    {
        // "a" again two pages later is not a shift of one page: memory stays bounded by a page, so it is written.
        PageCursor<string> cursor = Cursor(new(new[] { "a" }, "1"), new(new[] { "b" }, "2"), new(new[] { "a" }, null));

        Assert.Equal(new[] { "a", "b", "a" }, await ReadAll(cursor));
        Assert.Equal(0, cursor.DuplicatesSkipped);
    }

    [Fact]
    public async Task A_repeat_within_one_page_is_skipped_too()
    {
        PageCursor<string> cursor = Cursor(new Page<string>(new[] { "a", "a", "b" }, null));

        Assert.Equal(new[] { "a", "b" }, await ReadAll(cursor));
        Assert.Equal(1, cursor.DuplicatesSkipped);
    }

    [Fact]
    public async Task A_page_without_repeats_is_passed_on_as_read()
    {
        string[] items = { "a", "b" };
        PageCursor<string> cursor = Cursor(new Page<string>(items, null));

        Assert.Same(items, await cursor.NextPageAsync(CancellationToken.None));
        Assert.Empty(_log.Messages);
    }

    [Fact]
    public async Task A_last_page_exactly_limit_long_then_an_empty_page_ends_quietly()
    {
        PageCursor<string> cursor = Cursor(new(new[] { "a", "b" }, "1"), new(new[] { "c", "d" }, "2"), new(Array.Empty<string>(), null));

        Assert.Equal(new[] { "a", "b", "c", "d" }, await ReadAll(cursor));
        Assert.Equal(3, cursor.PagesFetched);
        Assert.Equal(0, cursor.DuplicatesSkipped);
    }

    [Fact]
    public async Task A_failed_page_is_asked_for_again_with_the_same_token()
    {
        var tokens = new List<string?>();
        int calls = 0;
        var cursor = new PageCursor<string>((token, _) =>
        {
            tokens.Add(token);
            return ++calls == 2 ? throw new PineconeConnectionException("cut", new Uri("http://x/"), false) : Task.FromResult(new Page<string>(new[] { "p" + calls }, calls < 3 ? "t" + calls : null));
        }, keyOf: s => s);

        await cursor.NextPageAsync(CancellationToken.None);
        await Assert.ThrowsAsync<PineconeConnectionException>(() => cursor.NextPageAsync(CancellationToken.None));
        IReadOnlyList<string> again = await cursor.NextPageAsync(CancellationToken.None);

        Assert.Equal(new[] { "p3" }, again);
        Assert.Equal(new string?[] { null, "t1", "t1" }, tokens);
    }
}
