namespace PineconeRestore.Emulator;

/// <summary>
/// The 12 deterministic sample jobs, relative to <see cref="EmulatorClock.DefaultStart"/> (2025-06-01T12:00:00Z).
/// Every status seen in the wild appears; exactly one job has no created_at; some timestamps have milliseconds, some not.
/// </summary>
public static class SampleJobs
{
    public static IReadOnlyList<EmulatedRestoreJob> Create() => new[]
    {
        Job("7a3f9c2e-5b1d-4e8a-9f6c-0d2b4e6a8c01", "b41c7e29-8d3a-4f5e-a6b1-2c9d0e7f3a11", "products-restore", "e5d2a8f1-3c6b-4a9e-8d7f-1b0c2e4a6d21",
            "Completed", T("2025-05-31T09:15:00Z"), T("2025-05-31T09:42:17.512Z"), 100),
        Job("1e8b5d7f-2a4c-4b6e-8f0a-3c5e7a9b1d02", "c52d8f3a-9e4b-4a6f-b7c2-3d0e1f8a4b12", "docs-prod", "f6e3b9a2-4d7c-4b0f-9e8a-2c1d3f5b7e22",
            "Completed", T("2025-05-30T22:01:43.218Z"), T("2025-05-30T23:10:05Z"), 100),
        Job("9c2e4a6b-8d0f-4c1e-a3b5-7d9f1b3c5e03", "d63e9a4b-0f5c-4b7a-8c3d-4e1f2a9b5c13", "products-restore-2", "a7f4c0b3-5e8d-4c1a-8f9b-3d2e4a6c8f23",
            "InProgress", T("2025-06-01T11:30:00Z"), null, 42.2, progressPerMinute: 1.5),
        Job("3f5a7c9e-1b3d-4f5a-9c7e-9b1d3f5a7c04", "e74f0b5c-1a6d-4c8b-9d4e-5f2a3b0c6d14", "search-staging", "b8a5d1c4-6f9e-4d2b-9a0c-4e3f5b7d9a24",
            "Pending", T("2025-06-01T11:58:30.250Z"), null, 0),
        Job("5b7d9f1a-3c5e-4a7b-8d9f-1c3e5a7b9d05", "f85a1c6d-2b7e-4d9c-8e5f-6a3b4c1d7e15", "analytics-events", "c9b6e2d5-7a0f-4e3c-8b1d-5f4a6c8e0b25",
            "Failed", T("2025-05-28T14:00:00Z"), T("2025-05-28T14:05:12.904Z"), 37.5),
        Job("6c8e0a2b-4d6f-4b8c-9e0a-2d4f6b8c0e06", "a96b2d7e-3c8f-4e0d-9f6a-7b4c5d2e8f16", "faq-embeddings", "d0c7f3e6-8b1a-4f4d-9c2e-6a5b7d9f1c26",
            "Completed", null, T("2025-05-27T06:48:00Z"), 100),
        Job("8e0a2c4d-6f8b-4d0e-a1c3-4f6b8d0e2a07", "b07c3e8f-4d9a-4f1e-a0b7-8c5d6e3f9a17", "docs-prod-2", "e1d8a4f7-9c2b-4a5e-8d3f-7b6c8e0a2d27",
            "Running", T("2025-06-01T10:45:09.731Z"), null, 88),
        Job("0a2c4e6f-8b0d-4f2a-b3c5-6b8d0f2a4c08", "c18d4f9a-5e0b-4a2f-b1c8-9d6e7f4a0b18", "reviews-archive", "f2e9b5a8-0d3c-4b6f-9e4a-8c7d9f1b3e28",
            "Cancelled", T("2025-05-25T08:00:00Z"), T("2025-05-25T08:20:00Z"), 12.5),
        Job("2c4e6a8b-0d2f-4b4c-8d5e-8d0f2b4c6e09", "d29e5a0b-6f1c-4b3a-8c2d-0e7f8a5b1c19", "images-v2", "a3f0c6b9-1e4d-4c7a-8f5b-9d8e0a2c4f29",
            "Completed", T("2025-05-20T16:33:21.046Z"), T("2025-05-20T18:02:00Z"), 100),
        Job("4e6a8c0d-2f4b-4d6e-9f7a-0f2b4d6e8a10", "e30f6b1c-7a2d-4c4b-9d3e-1f8a9b6c2d20", "products-restore", "b4a1d7c0-2f5e-4d8b-9a6c-0e9f1b3d5a30",
            "Completed", T("2025-05-15T07:00:00Z"), T("2025-05-15T07:12:44.380Z"), 100),
        Job("6a8c0e2f-4b6d-4f8a-a9b1-2b4d6f8a0c11", "f41a7c2d-8b3e-4d5c-ae4f-2a9b0c7d3e21", "docs-prod-restore", "c5b2e8d1-3a6f-4e9c-8b7d-1f0a2c4e6b31",
            "Failed", T("2025-05-10T19:20:00Z"), T("2025-05-10T19:20:31.007Z"), 0),
        Job("8c0e2a4b-6d8f-4a0c-b1d3-4d6f8b0c2e12", "a52b8d3e-9c4f-4e6d-bf5a-3b0c1d8e4f22", "legal-docs", "d6c3f9e2-4b7a-4f0d-9c8e-2a1b3d5f7c32",
            "Completed", T("2025-05-01T00:00:00Z"), T("2025-05-01T00:30:00.500Z"), 100),
    };

    private static DateTimeOffset T(string iso) =>
        DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);

    private static EmulatedRestoreJob Job(string id, string backup, string index, string indexId, string status,
        DateTimeOffset? created, DateTimeOffset? completed, double? percent, double? progressPerMinute = null) => new()
    {
        RestoreJobId = id, BackupId = backup, TargetIndexName = index, TargetIndexId = indexId, Status = status,
        CreatedAt = created, CompletedAt = completed, PercentComplete = percent, ProgressPerMinute = progressPerMinute,
    };
}
