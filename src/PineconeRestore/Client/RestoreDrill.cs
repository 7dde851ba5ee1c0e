using System;
using System.Collections.Generic;
using System.Globalization;

namespace PineconeRestore.Client
{
    /// <summary>The rules of a restore drill that need no PowerShell: the scratch name, the run tag, the comparison.</summary>
    internal static class RestoreDrill
    {
        /// <summary>The tag key that marks a scratch index as a drill's; its value is the run's id.</summary>
        public const string RunTagKey = "restore-drill";

        /// <summary>How many times the stats are read before a difference counts (reads are eventually consistent).</summary>
        public const int StatsReads = 6;

        /// <summary>The most time between two reads of the stats, whatever -PollingIntervalSeconds says.</summary>
        public static readonly TimeSpan MaxStatsInterval = TimeSpan.FromSeconds(10);

        /// <summary>What the scratch index's deletion gets after Ctrl+C, when nothing else may run any longer.</summary>
        public static readonly TimeSpan StopCleanupTimeout = TimeSpan.FromSeconds(10);

        /// <summary>
        /// <c>&lt;source&gt;-drill-&lt;yyyyMMddHHmmss&gt;</c> (UTC), the source shortened so the whole fits 45 characters,
        /// never ending in a hyphen before the suffix.
        /// </summary>
        public static string ScratchName(string sourceIndexName, DateTime utcNow)
        {
            string suffix = "-drill-" + utcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            string source = sourceIndexName.Length > ResourceRules.MaxIndexNameLength - suffix.Length
                ? sourceIndexName.Substring(0, ResourceRules.MaxIndexNameLength - suffix.Length)
                : sourceIndexName;
            source = source.TrimEnd('-');
            return (source.Length == 0 ? "index" : source) + suffix;
        }

        /// <summary>A new run id: short, and within the spec's tag-value characters.</summary>
        public static string NewRunId() => Guid.NewGuid().ToString("N").Substring(0, 16);

        /// <summary>True when the index carries this run's tag: only then may the drill delete it.</summary>
        public static bool IsThisRunsIndex(IReadOnlyDictionary<string, string>? tags, string runId) =>
            tags != null && tags.TryGetValue(RunTagKey, out string? value) && string.Equals(value, runId, StringComparison.Ordinal);

        /// <summary>
        /// Compares the stats with what the backup reports. <paramref name="differences"/> says what differs;
        /// <paramref name="notCompared"/> names each count the backup does not report.
        /// </summary>
        public static void Compare(
            long? expectedRecords,
            int? expectedNamespaces,
            int? expectedDimension,
            IndexStats stats,
            int? indexDimension,
            out List<string> differences,
            out List<string> notCompared)
        {
            differences = new List<string>();
            notCompared = new List<string>();
            if (expectedRecords is long records)
            {
                if (stats.TotalRecordCount != records)
                {
                    differences.Add(string.Format(CultureInfo.InvariantCulture, "{0} records, the backup has {1}", stats.TotalRecordCount, records));
                }
            }
            else
            {
                notCompared.Add("record count");
            }

            if (expectedNamespaces is int namespaces)
            {
                if (stats.NamespaceCount != namespaces)
                {
                    differences.Add(string.Format(CultureInfo.InvariantCulture, "{0} namespaces, the backup has {1}", stats.NamespaceCount, namespaces));
                }
            }
            else
            {
                notCompared.Add("namespace count");
            }

            int? dimension = stats.Dimension ?? indexDimension;
            if (expectedDimension is int expected)
            {
                if (dimension != expected)
                {
                    differences.Add(string.Format(CultureInfo.InvariantCulture, "dimension {0}, the backup's is {1}", dimension?.ToString(CultureInfo.InvariantCulture) ?? "unknown", expected));
                }
            }
            else
            {
                notCompared.Add("dimension");
            }
        }
    }
}
