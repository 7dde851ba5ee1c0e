using PineconeRestore.Emulator;

namespace PineconeRestore.Benchmarks;

/// <summary>The fixed, seeded jobs every case reads: the same seed gives the same jobs, and a smaller set is a prefix of a larger one.</summary>
public static class DataSet
{
    private const int Seed = 16;
    private static readonly string[] Indexes = { "products", "docs-prod", "search-staging", "analytics-events", "faq-embeddings", "reviews-archive", "images-v2", "legal-docs" };

    public static IEnumerable<EmulatedRestoreJob> Create(int count)
    {
        var random = new Random(Seed);
        var start = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            // Mostly finished jobs, as a real project's history is; every status the API serves appears.
            var roll = random.Next(100);
            var status = roll < 80 ? "Completed" : roll < 88 ? "Failed" : roll < 92 ? "Cancelled" : roll < 96 ? "InProgress" : "Pending";
            var created = start.AddSeconds(-i * 37 - random.Next(30)).AddMilliseconds(random.Next(1000));
            var done = status is "Completed" or "Failed" or "Cancelled";
            yield return new EmulatedRestoreJob
            {
                RestoreJobId = Guid(random),
                BackupId = Guid(random),
                TargetIndexName = Indexes[random.Next(Indexes.Length)] + "-" + (i % 97).ToString(System.Globalization.CultureInfo.InvariantCulture),
                TargetIndexId = Guid(random),
                Status = status,
                CreatedAt = created,
                CompletedAt = done ? created.AddSeconds(60 + random.Next(3600)).AddMilliseconds(random.Next(1000)) : null,
                PercentComplete = status switch
                {
                    "Completed" => 100,
                    "Pending" => 0,
                    _ => Math.Round(random.NextDouble() * 100, 1),
                },
            };
        }
    }

    private static string Guid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }
}
