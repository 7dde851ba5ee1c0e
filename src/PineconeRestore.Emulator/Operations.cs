namespace PineconeRestore.Emulator;

/// <summary>The spec's operationIds, used as endpoint names; fault kinds that only make sense on some answers match only those.</summary>
internal static class Operations
{
    public const string ListRestoreJobs = "list_restore_jobs";
    public const string DescribeRestoreJob = "describe_restore_job";
    public const string ListProjectBackups = "list_project_backups";
    public const string ListIndexBackups = "list_index_backups";
    public const string DescribeBackup = "describe_backup";
    public const string CreateBackup = "create_backup";
    public const string DeleteBackup = "delete_backup";
    public const string CreateIndexFromBackup = "create_index_from_backup_operation";
    public const string ListIndexes = "list_indexes";
    public const string DescribeIndex = "describe_index";
    public const string DeleteIndex = "delete_index";
    public const string DescribeIndexStats = "describeIndexStats";

    public static bool IsList(string? op) => op is ListRestoreJobs or ListProjectBackups or ListIndexBackups;

    /// <summary>The required id field MissingRequiredField removes from this operation's answer, or null.</summary>
    public static string? IdField(string? op) => op switch
    {
        ListRestoreJobs or DescribeRestoreJob => "restore_job_id",
        ListProjectBackups or ListIndexBackups or DescribeBackup or CreateBackup => "backup_id",
        ListIndexes or DescribeIndex => "name",
        _ => null,
    };

    public static bool Accepts(FaultKind kind, string? op) => kind switch
    {
        FaultKind.RepeatToken => IsList(op),
        FaultKind.MissingRequiredField => IdField(op) is not null,
        FaultKind.LoseRecords or FaultKind.FailRestore => op == CreateIndexFromBackup,
        FaultKind.LagStats => op == DescribeIndexStats,
        _ => true,
    };
}
