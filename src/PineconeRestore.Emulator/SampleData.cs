namespace PineconeRestore.Emulator;

/// <summary>
/// Deterministic sample indexes and backups, consistent with <see cref="SampleJobs"/>: the backups of the sample
/// restore jobs exist, and so do their source indexes. Every backup status appears; one index has deletion protection.
/// </summary>
public static class SampleData
{
    /// <summary>Ready; source of the Completed sample job 7a3f9c2e-... ; restorable.</summary>
    public const string ReadyBackupId = "b41c7e29-8d3a-4f5e-a6b1-2c9d0e7f3a11";
    /// <summary>Ready, but the Pending sample job 3f5a7c9e-... restores from it: DELETE is a 412.</summary>
    public const string BackupWithPendingRestoreId = "e74f0b5c-1a6d-4c8b-9d4e-5f2a3b0c6d14";
    /// <summary>Initializing for good (a restore from it is a 412 "is not completed").</summary>
    public const string InitializingBackupId = "9d1e3f5a-7b9c-4d1e-8f3a-5b7c9d1e3f40";
    /// <summary>InitializationFailed.</summary>
    public const string FailedBackupId = "0e2f4a6b-8c0d-4e2f-9a4b-6c8d0e2f4a41";
    /// <summary>Ready; its source index legacy-catalog was deleted, so GET /indexes/legacy-catalog/backups is a 404.</summary>
    public const string OrphanBackupId = "1f3a5b7c-9d1e-4f3a-8b5c-7d9e1f3a5b42";

    public const string ProductsIndexId = "5a7c9e1b-3d5f-4a7c-9e1b-3d5f7a9c1e50";
    public const string DocsIndexId = "6b8d0f2c-4e6a-4b8d-8f2c-4e6a8b0d2f51";

    public static IReadOnlyList<EmulatedIndex> Indexes() => new[]
    {
        new EmulatedIndex
        {
            Name = "products", IndexId = ProductsIndexId, Dimension = 1536, Metric = "cosine", DeletionProtection = "enabled",
            Tags = new() { ["environment"] = "production", ["team"] = "search" },
            Namespaces = new() { [""] = 60_000, ["electronics"] = 40_000, ["garden"] = 20_000 },
        },
        new EmulatedIndex
        {
            Name = "docs-prod", IndexId = DocsIndexId, Dimension = 768, Metric = "dotproduct", Cloud = "gcp", Region = "us-central1",
            Tags = new() { ["environment"] = "production" },
            Namespaces = new() { [""] = 12_000, ["v2"] = 8_000 },
        },
        new EmulatedIndex
        {
            Name = "products-restore", IndexId = "e5d2a8f1-3c6b-4a9e-8d7f-1b0c2e4a6d21", Dimension = 1536, Metric = "cosine",
            Tags = new() { ["environment"] = "production", ["team"] = "search" },
            Namespaces = new() { [""] = 60_000, ["electronics"] = 40_000, ["garden"] = 20_000 },
        },
        new EmulatedIndex
        {
            // The target of the Pending sample job 3f5a7c9e-...: still being restored.
            Name = "search-staging", IndexId = "b8a5d1c4-6f9e-4d2b-9a0c-4e3f5b7d9a24", Dimension = 768, Metric = "dotproduct",
            Cloud = "gcp", Region = "us-central1", State = "Initializing",
        },
        new EmulatedIndex { Name = "scratch", IndexId = "7c9e1f3d-5a7b-4c9e-9f3d-5a7b9c1e3f52", Dimension = 384, Metric = "euclidean" },
    };

    public static IReadOnlyList<EmulatedBackup> Backups() => new[]
    {
        new EmulatedBackup
        {
            BackupId = ReadyBackupId, SourceIndexName = "products", SourceIndexId = ProductsIndexId,
            Name = "products-nightly-2025-05-31", Description = "Nightly backup of products", Status = "Ready",
            Dimension = 1536, Metric = "cosine", RecordCount = 120_000, NamespaceCount = 3, SizeBytes = 737_280_000,
            Tags = new() { ["environment"] = "production", ["team"] = "search" }, CreatedAt = T("2025-05-31T02:00:00Z"),
            Namespaces = new() { [""] = 60_000, ["electronics"] = 40_000, ["garden"] = 20_000 },
        },
        new EmulatedBackup
        {
            BackupId = "c52d8f3a-9e4b-4a6f-b7c2-3d0e1f8a4b12", SourceIndexName = "docs-prod", SourceIndexId = DocsIndexId,
            Name = "docs-prod-weekly", Status = "Ready", Cloud = "gcp", Region = "us-central1",
            Dimension = 768, Metric = "dotproduct", RecordCount = 20_000, NamespaceCount = 2, SizeBytes = 61_440_000,
            Tags = new() { ["environment"] = "production" }, CreatedAt = T("2025-05-30T21:00:00.125Z"),
            Namespaces = new() { [""] = 12_000, ["v2"] = 8_000 },
        },
        new EmulatedBackup
        {
            BackupId = BackupWithPendingRestoreId, SourceIndexName = "docs-prod", SourceIndexId = DocsIndexId,
            Name = "docs-prod-pre-deploy", Description = "Before the v3 deploy", Status = "Ready", Cloud = "gcp", Region = "us-central1",
            Dimension = 768, Metric = "dotproduct", RecordCount = 19_500, NamespaceCount = 2, SizeBytes = 59_904_000,
            CreatedAt = T("2025-06-01T11:50:00Z"),
        },
        new EmulatedBackup
        {
            BackupId = InitializingBackupId, SourceIndexName = "products", SourceIndexId = ProductsIndexId,
            Name = "products-adhoc", Status = "Initializing", Dimension = 1536, Metric = "cosine",
            CreatedAt = T("2025-06-01T11:59:00Z"),
        },
        new EmulatedBackup
        {
            BackupId = FailedBackupId, SourceIndexName = "docs-prod", SourceIndexId = DocsIndexId,
            Status = "InitializationFailed", Cloud = "gcp", Region = "us-central1", Dimension = 768, Metric = "dotproduct",
            CreatedAt = T("2025-05-29T03:00:00Z"),
        },
        new EmulatedBackup
        {
            BackupId = OrphanBackupId, SourceIndexName = "legacy-catalog", SourceIndexId = "8d0f2a4e-6b8c-4d0f-8a4e-6b8c0d2f4a53",
            Name = "legacy-catalog-final", Status = "Ready", Dimension = 512, Metric = "euclidean",
            RecordCount = 5_000, NamespaceCount = 1, SizeBytes = 10_240_000, CreatedAt = T("2025-04-01T00:00:00Z"),
        },
    };

    private static DateTimeOffset T(string iso) =>
        DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);
}
