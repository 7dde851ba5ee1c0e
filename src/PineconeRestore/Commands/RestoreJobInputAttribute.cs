using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace PineconeRestore.Commands
{
    /// <summary>
    /// Lets a PineconeRestore.RestoreJob stand for its id in -RestoreJobId, and remembers the object: a job piped in
    /// (or passed) has been seen, which tells a wait that a later 404 for it may be transient (NOTES.md). Binding and
    /// ProcessRecord run on the pipeline thread one after the other, so the cmdlet takes the object right after.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class RestoreJobInputAttribute : ArgumentTransformationAttribute
    {
        [ThreadStatic]
        private static Dictionary<string, RestoreJob>? t_seen;

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object? value = Unwrap(inputData);
            if (value is RestoreJob job)
            {
                Remember(job);
                return new[] { job.RestoreJobId };
            }

            if (value is IEnumerable items && !(value is string))
            {
                var ids = new List<string>();
                bool anyJob = false;
                foreach (object? item in items)
                {
                    switch (Unwrap(item))
                    {
                        case RestoreJob one:
                            Remember(one);
                            ids.Add(one.RestoreJobId);
                            anyJob = true;
                            break;
                        case string id:
                            ids.Add(id);
                            break;
                        default:
                            return inputData; // let binding convert or refuse it as usual
                    }
                }

                return anyJob ? ids.ToArray() : inputData;
            }

            return inputData;
        }

        /// <summary>The job bound for this id since the last call, if one was.</summary>
        internal static RestoreJob? TakeSeen(string id)
        {
            if (t_seen != null && t_seen.TryGetValue(id, out RestoreJob? job))
            {
                t_seen.Remove(id);
                return job;
            }

            return null;
        }

        internal static void Forget() => t_seen?.Clear();

        private static void Remember(RestoreJob job) => (t_seen ??= new Dictionary<string, RestoreJob>(StringComparer.Ordinal))[job.RestoreJobId] = job;

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
