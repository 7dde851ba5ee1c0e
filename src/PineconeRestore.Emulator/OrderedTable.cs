namespace PineconeRestore.Emulator;

/// <summary>
/// Items by id plus their list order, so a lookup is O(1) and a page is O(page) with no copy of the rest. Adding at
/// either end is O(1); removing is O(n). Not thread-safe: <see cref="EmulatorState"/> guards it with its lock.
/// </summary>
internal sealed class OrderedTable<T> where T : class
{
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private readonly List<string> _front = new(); // reversed: the last element is the first row
    private readonly List<string> _back = new();

    public int Count => _byId.Count;

    /// <summary>Adds at the end (or the front); an id already present is replaced where it stands.</summary>
    public void Put(string id, T item, DateTimeOffset addedAt, bool atFront = false)
    {
        if (_byId.TryGetValue(id, out var existing))
        {
            existing.Item = item;
            existing.AddedAt = addedAt;
            return;
        }
        _byId[id] = new Entry(item, addedAt);
        (atFront ? _front : _back).Add(id);
    }

    public bool TryGet(string id, out T item, out DateTimeOffset addedAt)
    {
        if (_byId.TryGetValue(id, out var e))
        {
            (item, addedAt) = (e.Item, e.AddedAt);
            return true;
        }
        (item, addedAt) = (null!, default);
        return false;
    }

    public bool Remove(string id)
    {
        if (!_byId.Remove(id)) return false;
        var i = _back.LastIndexOf(id);
        if (i >= 0) _back.RemoveAt(i); else _front.Remove(id);
        return true;
    }

    public void Clear()
    {
        _byId.Clear();
        _front.Clear();
        _back.Clear();
    }

    /// <summary>The row at list position <paramref name="index"/>.</summary>
    public (T Item, DateTimeOffset AddedAt) At(int index)
    {
        var id = index < _front.Count ? _front[_front.Count - 1 - index] : _back[index - _front.Count];
        var e = _byId[id];
        return (e.Item, e.AddedAt);
    }

    /// <summary>Rows offset..offset+limit in list order, each mapped (e.g. to the copy the API serves at that moment).</summary>
    public TOut[] Page<TOut>(int offset, int limit, Func<T, DateTimeOffset, TOut> map)
    {
        var page = new TOut[Math.Max(0, Math.Min(Count, offset + limit) - offset)];
        for (var i = 0; i < page.Length; i++)
        {
            var (item, added) = At(offset + i);
            page[i] = map(item, added);
        }
        return page;
    }

    public TOut[] All<TOut>(Func<T, DateTimeOffset, TOut> map) => Page(0, Count, map);

    public TOut? Find<TOut>(string id, Func<T, DateTimeOffset, TOut> map) where TOut : class =>
        _byId.TryGetValue(id, out var e) ? map(e.Item, e.AddedAt) : null;

    public IEnumerable<(T Item, DateTimeOffset AddedAt)> InOrder()
    {
        for (var i = 0; i < Count; i++) yield return At(i);
    }

    private sealed class Entry(T item, DateTimeOffset addedAt)
    {
        public T Item { get; set; } = item;
        public DateTimeOffset AddedAt { get; set; } = addedAt;
    }
}
